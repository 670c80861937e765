"""Sections of the readiness notebook: readiness per manager and the manager-first training plan."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbook.intake.load import EngagementData
from workbook.pipeline.analysis import Analysis, analysis_of
from workbook.pipeline.results import save_result


def manager_readiness(source: EngagementData | Analysis, output_dir: str | Path | None = None
                      ) -> pd.DataFrame:
    """One row per front-line manager: pillar scores, readiness, tier, barrier point, priority."""
    readiness = analysis_of(source).readiness
    save_result("manager_readiness", readiness, output_dir)
    return readiness


def training_plan(source: EngagementData | Analysis, output_dir: str | Path | None = None
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(plan, waves): every active person's wave, reps strictly after their own manager."""
    analysis = analysis_of(source)
    save_result("training_plan", analysis.plan, output_dir)
    return analysis.plan, analysis.waves
