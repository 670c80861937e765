"""Ownership: the finding reads well for every owner value, and the RACI has one Accountable per activity."""

from __future__ import annotations

import pandas as pd
import pytest

from workbook import pipeline
from workbook.analyses.ownership import (
    ACTIVITIES,
    ROLES,
    accountable_per_activity,
    assess_ownership,
    raci_table,
)
from workbook.engagement.config import OWNERS
from workbook.pipeline.results import read_results

MANAGERS = ["M1", "M2"]


def comp(coaching_weight: float = 0.0) -> pd.DataFrame:
    return pd.DataFrame({"person_id": ["M1", "M2", "L1"], "target_variable": [50000.0, 40000.0, 90000.0],
                         "weight_revenue": [1.0 - coaching_weight, 1.0, 1.0],
                         "weight_coaching": [coaching_weight, 0.0, 0.0]})


def training() -> pd.DataFrame:
    return pd.DataFrame({"person_id": ["M1", "M2", "R1", "R2"], "program": ["Selling"] * 4,
                         "status": ["completed", "in_progress", "completed", "not_started"]})


def test_committee_is_named_ownership_by_committee():
    result = assess_ownership("committee", "Steering group of HR and L&D.", comp(), training(), MANAGERS)
    assert "committee" in result.finding and "no one is accountable" in result.finding
    assert "No front-line manager's pay rewards coaching" in result.finding
    assert "front-line sales manager the single owner" in result.recommendation
    assert "not ownership by committee" in result.recommendation
    assert any("Steering group of HR and L&D." in e for e in result.evidence)
    assert any("Training completion is tracked" in e and "50%" in e for e in result.evidence)


def test_front_line_managers_keep_ownership_and_get_paid_for_it():
    result = assess_ownership("front_line_managers", "", comp(), training(), MANAGERS)
    assert "already own" in result.finding
    assert result.recommendation.startswith("Keep the front-line sales manager")
    paid = assess_ownership("front_line_managers", "", comp(0.2), training(), MANAGERS)
    assert "1 of 2 front-line managers have a development component" in paid.finding
    assert any("coaching" in e for e in paid.evidence)


def test_missing_owner_and_missing_data_still_read_well():
    result = assess_ownership(None, "", None, None, [])
    assert "not recorded" in result.finding
    assert "front-line sales manager the single owner" in result.recommendation
    assert any("not assessed — needs compensation" in e for e in result.evidence)
    assert any("not assessed — needs training" in e for e in result.evidence)
    assert result.summary_frame()["current_owner"].item() == "not recorded"


@pytest.mark.parametrize("owner", [*OWNERS, None])
def test_every_owner_value_gives_a_finding_and_the_same_recommendation(owner):
    result = assess_ownership(owner, "", comp(), training(), MANAGERS)
    assert result.finding and result.recommendation and result.evidence
    assert "compensation plan" in result.recommendation or "development component" in result.recommendation
    assert any("Performio" in e for e in result.evidence)
    assert any("ZS" in e and "Forma.ai" in e for e in result.evidence)
    assert any("Why train the managers first" in e and "Ownership" in e for e in result.evidence)
    assert not any("point 5" in e for e in result.evidence)   # no internal reference


def test_raci_has_exactly_one_accountable_per_activity():
    raci = raci_table()
    assert list(raci["activity"]) == list(ACTIVITIES)
    assert all(r in raci.columns for r in ROLES)
    accountable = accountable_per_activity(raci)
    assert all(len(roles) == 1 for roles in accountable.values()), accountable
    assert accountable["Reinforcement and coaching"] == ["Front-line managers"]
    assert set(raci[list(ROLES)].to_numpy().ravel()) <= {"R", "A", "C", "I", "A/R"}


def test_pipeline_saves_the_finding_and_the_raci(demo_engagement, tmp_path):
    data = pipeline.load(demo_engagement)
    result = pipeline.ownership(data, tmp_path)
    assert result.current_owner == "committee"
    saved = read_results(tmp_path)
    assert saved["ownership"]["finding"].item() == result.finding
    assert saved["ownership_raci"].shape == (len(ACTIVITIES), len(ROLES) + 2)
    assert "plans reviewed" in result.finding
