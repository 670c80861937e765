"""Rep performance in the window: won revenue, prorated quota, attainment, performer tier.

Shared by readiness (results pillar), coaching (core performers' share of
coaching time) and compensation (payout at current performance).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.analyses.window import Window, exposure_months

TIERS = ("low", "core", "top")


def rep_performance(people: pd.DataFrame, sales: pd.DataFrame | None, window: Window,
                    core_low: float = 0.20, core_high: float = 0.80) -> pd.DataFrame:
    """One row per rep with exposure in the window.

    Columns: manager_id, exposure_months, won_revenue, quota_in_window (prorated
    annual quota, NA without quota), attainment (NA without quota),
    revenue_per_month, percentile (0-1, of attainment or else revenue per
    month, among reps with at least a month of exposure), tier (low/core/top).
    """
    reps = people[people["role"] == "rep"]
    months = exposure_months(reps, window)
    out = pd.DataFrame({"manager_id": reps["manager_id"], "exposure_months": months},
                       index=reps.index)
    out = out[out["exposure_months"] > 0]
    if sales is not None and not sales.empty:
        won = sales[window.contains(sales["date"])]
        if "stage" in won.columns:
            won = won[won["stage"].fillna("won") == "won"]
        revenue = won.groupby("rep_id")["amount"].sum()
        out["won_revenue"] = revenue.reindex(out.index).fillna(0.0).astype(float)
    else:
        out["won_revenue"] = np.nan
    quota = pd.to_numeric(reps.get("annual_quota"), errors="coerce") if "annual_quota" in reps else None
    if quota is not None:
        out["quota_in_window"] = (quota.reindex(out.index) * out["exposure_months"] / 12).where(
            lambda q: q > 0)
    else:
        out["quota_in_window"] = np.nan
    out["attainment"] = out["won_revenue"] / out["quota_in_window"]
    out["revenue_per_month"] = out["won_revenue"] / out["exposure_months"]
    measure = out["attainment"].where(out["attainment"].notna(), np.nan)
    if measure.notna().sum() < max(3, 0.5 * len(out)):
        measure = out["revenue_per_month"]
    eligible = out["exposure_months"] >= 1
    out["percentile"] = measure.where(eligible).rank(pct=True, method="average")
    out["tier"] = pd.Series(pd.NA, index=out.index, dtype="string")
    known = out["percentile"].notna()
    out.loc[known, "tier"] = np.select(
        [out.loc[known, "percentile"] <= core_low, out.loc[known, "percentile"] > core_high],
        ["low", "top"], default="core")
    return out
