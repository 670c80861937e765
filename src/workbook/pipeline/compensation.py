"""Sections of the compensation and ownership notebook: the budget-neutral plan and who owns coaching."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from workbook.analyses import not_assessed
from workbook.analyses.compensation import (
    recommend,
    sensitivity,
    team_development_measures,
    template,
)
from workbook.analyses.ownership import Ownership, assess_ownership
from workbook.analyses.window import active_on
from workbook.intake.load import EngagementData
from workbook.pipeline.readiness import manager_readiness
from workbook.pipeline.results import save_result
from workbook.pipeline.shared import coaching_metrics


@dataclass
class CompensationPlan:
    table: pd.DataFrame | None        # compensation.csv, one row per front-line manager
    sensitivity: pd.DataFrame | None  # compensation_sensitivity.csv: totals at 10-30% weight
    notes: list[str] = field(default_factory=list)   # anomalies in the plans, modelling caveats
    not_assessed: str = ""            # "not assessed — needs compensation" without comp plans
    template: pd.DataFrame | None = None   # the recommended plan in percentages
    measures: pd.DataFrame | None = None   # team-development measures per manager


def compensation(data: EngagementData, output_dir: str | Path | None = None) -> CompensationPlan:
    """The recommended plan, payouts at current performance under both plans, and the sensitivity."""
    assumptions = data.engagement.assumptions.as_dict()
    readiness = manager_readiness(data)
    coaching = coaching_metrics(data)
    measures = team_development_measures(readiness, coaching, assumptions).reset_index()
    save_result("compensation_measures", measures, output_dir)
    plan_template = template(assumptions)
    if not data.has("compensation"):
        note = not_assessed("compensation")
        return CompensationPlan(None, None, [f"Payout simulation {note}: the recommended weights are "
                                             "shown as a template in percentages."], note,
                                plan_template, measures)
    comp = data.tables["compensation"].reset_index(drop=True)
    table, notes, _ = recommend(comp, readiness, coaching, assumptions)
    sens = sensitivity(comp, readiness, coaching, assumptions)
    save_result("compensation", table, output_dir)
    save_result("compensation_sensitivity", sens, output_dir)
    save_result("compensation_notes", pd.DataFrame({"note": notes}, dtype="object"), output_dir)
    return CompensationPlan(table, sens, notes, "", plan_template, measures)


def ownership(data: EngagementData, output_dir: str | Path | None = None) -> Ownership:
    """Finding, recommendation, evidence and RACI: the sales manager owns reinforcement and coaching."""
    people = data.tables["people"]
    is_manager = (people["role"].astype("object") == "manager").to_numpy(dtype=bool).copy()
    if data.as_of is not None:
        is_manager &= active_on(people, pd.Timestamp(data.as_of)).to_numpy(dtype=bool)
    managers = people.index[is_manager]
    result = assess_ownership(data.engagement.current_owner, data.engagement.ownership_notes,
                              data.tables.get("compensation") if data.has("compensation") else None,
                              data.tables.get("training") if data.has("training") else None,
                              list(managers), data.engagement.assumptions.as_dict())
    save_result("ownership", result.summary_frame(), output_dir)
    save_result("ownership_raci", result.raci, output_dir)
    return result
