"""Intermediate results several sections use, computed once per loaded engagement."""

from __future__ import annotations

import pandas as pd

from workbook.analyses.attainment import rep_performance
from workbook.analyses.coaching import coaching_by_manager
from workbook.analyses.window import Window
from workbook.intake.load import EngagementData


def analysis_window(data: EngagementData) -> Window:
    if "window" not in data.cache:
        if data.as_of is None:
            raise ValueError("no as-of date: set as_of in engagement.yaml (the data has no dates)")
        months = int(data.engagement.assumptions["analysis_window_months"])
        data.cache["window"] = Window.trailing(data.as_of, months)
    return data.cache["window"]


def performance(data: EngagementData) -> pd.DataFrame:
    """Rep performance and performer tiers in the window (attainment, or revenue per month)."""
    if "performance" not in data.cache:
        a = data.engagement.assumptions
        data.cache["performance"] = rep_performance(
            data.tables["people"], data.tables.get("sales"), analysis_window(data),
            float(a["core_band_low_pct"]), float(a["core_band_high_pct"]))
    return data.cache["performance"]


def coaching_metrics(data: EngagementData) -> pd.DataFrame | None:
    """Coaching per front-line manager, shared by the coaching-gap and readiness analyses;
    None when the engagement has no coaching log."""
    if "coaching" not in data.cache:
        if "coaching" not in data.tables:
            data.cache["coaching"] = None
        else:
            data.cache["coaching"] = coaching_by_manager(
                data.tables["people"], data.tables["coaching"], analysis_window(data),
                data.engagement.assumptions.as_dict(),
                performance(data) if "sales" in data.tables else None)
    return data.cache["coaching"]
