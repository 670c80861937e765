"""Sections of the coaching notebook: the gap per manager, the link to attainment, the ROI model."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workbook.analyses import not_assessed
from workbook.analyses.coaching import (
    NotAssessed,
    coaching_attainment_link,
    coaching_by_rep,
    coaching_gaps_table,
    gap_totals,
)
from workbook.analyses.roi import roi_inputs, roi_inputs_frame, roi_scenarios
from workbook.intake.load import EngagementData
from workbook.pipeline.results import save_result
from workbook.pipeline.shared import analysis_window, coaching_metrics, performance


@dataclass
class CoachingGaps:
    gaps: pd.DataFrame | None          # coaching_gaps.csv, one row per manager
    by_rep: pd.DataFrame | None
    link: dict | None                  # descriptive OLS of attainment on coaching hours
    totals: dict | None
    not_assessed: str = ""             # "not assessed — needs coaching" when there is no log


def coaching_gaps(data: EngagementData, output_dir: str | Path | None = None) -> CoachingGaps:
    by_manager = coaching_metrics(data)
    if by_manager is None:
        return CoachingGaps(None, None, None, None, not_assessed("coaching"))
    gaps = coaching_gaps_table(by_manager)
    save_result("coaching_gaps", gaps, output_dir)
    has_sales = "sales" in data.tables
    by_rep = coaching_by_rep(data.tables["people"], data.tables["coaching"], analysis_window(data),
                             data.engagement.assumptions.as_dict(), performance(data) if has_sales else None)
    link = None
    if has_sales:
        link = coaching_attainment_link(by_rep)
        save_result("coaching_link", pd.DataFrame([link]), output_dir)
    return CoachingGaps(gaps, by_rep, link, gap_totals(by_manager))


def roi_model(data: EngagementData, output_dir: str | Path | None = None
              ) -> tuple[pd.DataFrame | None, pd.DataFrame | None, str]:
    """(inputs, scenarios, not-assessed note). Needs coaching and sales."""
    by_manager = coaching_metrics(data)
    if by_manager is None:
        return None, None, not_assessed("coaching")
    try:
        inputs = roi_inputs(by_manager, performance(data) if "sales" in data.tables else None,
                            data.tables["people"], analysis_window(data))
    except NotAssessed as exc:
        return None, None, str(exc)
    frame = roi_inputs_frame(inputs)
    scenarios = roi_scenarios(inputs, data.engagement.assumptions.as_dict())
    save_result("roi_inputs", frame, output_dir)
    save_result("roi_scenarios", scenarios, output_dir)
    return frame, scenarios, ""
