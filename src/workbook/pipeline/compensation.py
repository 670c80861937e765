"""Sections of the compensation and ownership notebook: the budget-neutral plan and who owns coaching."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbook.analyses.budget_neutrality import sentence
from workbook.analyses.ownership import Ownership
from workbook.intake.load import EngagementData
from workbook.pipeline.analysis import Analysis, CompensationPlan, analysis_of
from workbook.pipeline.results import save_result


def compensation(source: EngagementData | Analysis, output_dir: str | Path | None = None
                 ) -> CompensationPlan:
    """The recommended plan, payouts at current performance under both plans, and the sensitivity."""
    plan = analysis_of(source).compensation
    save_result("compensation_measures", plan.measures, output_dir)
    if plan.table is not None:
        save_result("compensation", plan.table, output_dir)
        save_result("compensation_sensitivity", plan.sensitivity, output_dir)
        if plan.budget is not None:
            save_result("compensation_budget", plan.budget.as_frame(), output_dir)
        save_result("compensation_notes", pd.DataFrame({"note": plan.notes}, dtype="object"), output_dir)
    return plan


def budget_sentence(plan: CompensationPlan, currency: str) -> str:
    """Whether the proposed plan is budget neutral at today's performance, or by how much and why not
    (the Executive Summary's sentence)."""
    if plan.budget is None:
        return plan.not_assessed or "Payouts not simulated."
    return sentence(plan.budget, currency)


def ownership(source: EngagementData | Analysis, output_dir: str | Path | None = None) -> Ownership:
    """Finding, recommendation, evidence and RACI: the sales manager owns reinforcement and coaching."""
    result = analysis_of(source).ownership
    save_result("ownership", result.summary_frame(), output_dir)
    save_result("ownership_raci", result.raci, output_dir)
    return result
