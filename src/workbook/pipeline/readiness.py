"""Sections of the readiness notebook: readiness per manager and the manager-first training plan."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbook.analyses.readiness import assess_readiness
from workbook.analyses.training_plan import plan_training, wave_summary
from workbook.intake.load import EngagementData
from workbook.pipeline.results import save_result
from workbook.pipeline.shared import coaching_metrics


def manager_readiness(data: EngagementData, output_dir: str | Path | None = None) -> pd.DataFrame:
    """One row per front-line manager: pillar scores, readiness, tier, barrier point, priority."""
    if "readiness" not in data.cache:
        data.cache["readiness"] = assess_readiness(
            data.tables, data.as_of, data.engagement.assumptions.as_dict(), coaching_metrics(data))
    readiness = data.cache["readiness"]
    save_result("manager_readiness", readiness, output_dir)
    return readiness


def training_plan(data: EngagementData, output_dir: str | Path | None = None
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(plan, waves): every active person's wave, reps strictly after their own manager."""
    readiness = manager_readiness(data)
    plan = plan_training(data.tables["people"], readiness, data.as_of,
                         data.engagement.assumptions.as_dict())
    save_result("training_plan", plan, output_dir)
    return plan, wave_summary(plan)
