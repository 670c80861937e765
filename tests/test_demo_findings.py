"""The demo deliverable tells the planted story, and every sheet shows its results CSV's numbers."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from workbook import demo

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def book(demo_run):
    return openpyxl.load_workbook(demo_run.deliverable)


def results(demo_run, name):
    return pd.read_csv(demo_run.run_dir / "results" / f"{name}.csv", dtype={"manager_id": str,
                                                                             "person_id": str})


def rows_by_key(ws, key_values):
    """Sheet rows (as lists of values) keyed by the first cell equal to one of `key_values`."""
    found = {}
    for row in ws.iter_rows(values_only=True):
        for value in row:
            if isinstance(value, str) and value in key_values and value not in found:
                found[value] = list(row)
                break
    return found


def test_the_planted_weak_manager_is_among_the_first_to_train(demo_run, book):
    readiness = results(demo_run, "manager_readiness").set_index("manager_id")
    weak = readiness.loc[demo.PLANTED_WEAK_MANAGER_ID]
    assert weak["priority_rank"] <= 3
    assert weak["span"] > 10 and weak["tier"] != "ready"
    assert "span over 10" in weak["flags"]
    summary = " ".join(str(c) for r in book["Executive Summary"].iter_rows(values_only=True) for c in r if c)
    assert demo.PLANTED_WEAK_MANAGER_NAME in summary


def test_planted_coaches_show_in_the_gaps(demo_run):
    gaps = results(demo_run, "coaching_gaps").set_index("manager_id")
    assert gaps.loc[demo.PLANTED_STRONG_COACH_ID, "gap_hours_per_rep_month"] == 0
    for weak in demo.PLANTED_WEAK_COACH_IDS:
        assert gaps.loc[weak, "gap_hours_per_rep_month"] > 1.5
        assert gaps.loc[weak, "core_share"] < gaps.loc[demo.PLANTED_STRONG_COACH_ID, "core_share"]


def test_manager_readiness_sheet_matches_the_csv_cell_for_cell(demo_run, book):
    readiness = results(demo_run, "manager_readiness")
    sheet_rows = rows_by_key(book["Manager Readiness"], set(readiness["manager_name"]))
    assert set(sheet_rows) == set(readiness["manager_name"])
    for r in readiness.itertuples():
        row = sheet_rows[r.manager_name]
        numbers = [v for v in row if isinstance(v, (int, float))]
        assert r.readiness_score in numbers, (r.manager_name, r.readiness_score, row)
        assert r.team_size in numbers and r.priority_rank in numbers


def test_training_plan_sheet_matches_the_csv(demo_run, book):
    plan = results(demo_run, "training_plan")
    ws = book["Training Plan"]
    ids = set(plan["person_id"])
    sheet_rows = rows_by_key(ws, ids)
    assert set(sheet_rows) == ids
    for r in plan.itertuples():
        assert r.wave in sheet_rows[r.person_id]
    managers = plan.set_index("person_id")
    for r in plan[plan["role"] == "rep"].itertuples():
        assert r.wave > managers.loc[r.manager_id, "wave"]


def test_coaching_gaps_sheet_matches_the_csv(demo_run, book):
    gaps = results(demo_run, "coaching_gaps")
    sheet_rows = rows_by_key(book["Coaching Gaps"], set(gaps["manager_name"]))
    for r in gaps.itertuples():
        numbers = [v for v in sheet_rows[r.manager_name] if isinstance(v, (int, float))]
        assert any(abs(v - r.hours_per_rep_month) < 1e-9 for v in numbers), r.manager_name
        assert any(abs(v - r.coverage) < 1e-9 for v in numbers), r.manager_name


def test_compensation_is_budget_neutral_in_the_deliverable(demo_run):
    comp = results(demo_run, "compensation")
    weights = comp.filter(like="proposed_weight_").sum(axis=1)
    assert ((weights - 1).abs() < 1e-9).all()
    assert comp["payout_change"].notna().any()


def test_executive_summary_prints_on_one_landscape_page(book):
    ws = book["Executive Summary"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight in (None, 1)  # 1 is the default
