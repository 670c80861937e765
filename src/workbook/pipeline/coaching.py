"""Sections of the coaching notebook: the gap per manager, the link to attainment, the ROI model."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbook.intake.load import EngagementData
from workbook.pipeline.analysis import Analysis, CoachingGaps, RoiModel, analysis_of
from workbook.pipeline.results import save_result


def coaching_gaps(source: EngagementData | Analysis, output_dir: str | Path | None = None) -> CoachingGaps:
    """Coaching per manager against the target; the coaching-attainment association when sales exist."""
    result = analysis_of(source).coaching_gaps
    if result.gaps is not None:
        save_result("coaching_gaps", result.gaps, output_dir)
    if result.link is not None:
        save_result("coaching_link", pd.DataFrame([result.link]), output_dir)
    return result


def roi_model(source: EngagementData | Analysis, output_dir: str | Path | None = None) -> RoiModel:
    """Inputs and the scenarios (conservative, base, upper, and "measured here" once the programme's
    uplift is measured with an interval above zero); needs coaching and sales."""
    roi = analysis_of(source).roi
    if roi.scenarios is not None:
        save_result("roi_inputs", roi.inputs_frame, output_dir)
        save_result("roi_scenarios", roi.scenarios, output_dir)
        save_result("roi_by_manager", roi.by_manager, output_dir)
    return roi
