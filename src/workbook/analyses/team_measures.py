"""The measures a front-line manager's pay is scored on: the team's attainment (financial
components) and the objective team-development measures (coaching hours and coverage, the
manager's own training, team retention), capped at 100% and left out where they do not tell
managers apart. Read by the compensation recommendation (compensation.py, which re-exports these
names) and its sheet; the modelling choices are in compensation.py's docstring.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from workbook.analyses import assumption_values

MEASURES = ("coaching_hours", "coaching_coverage", "own_training", "team_retention")
MEASURE_LABELS = {
    "coaching_hours": "Coaching hours vs target",
    "coaching_coverage": "Coaching coverage",
    "own_training": "Own training completed",
    "team_retention": "Team retention vs organisation",
}
MEASURE_NOTES = {
    "coaching_hours": "Coaching hours per rep per month / the target (Gartner: 3-5 hours), capped at 100%.",
    "coaching_coverage": "Share of rep-months in the window in which the rep was coached at least once "
                         "(a rep coached once a year counts one month in twelve).",
    "own_training": "The manager completed the reps' sales program and a coaching program: 100%; "
                    "one of them: 50%; none: 0%.",
    "team_retention": "1 - team attrition / (2 x organisation attrition), using the shrunk "
                      "(small-team-honest) rate of all exits: no exits 100%, the organisation's rate 50%, "
                      "twice the organisation's rate or more 0%.",
}
MEASURE_CAP = 1.0
MIN_SPREAD = 0.10            # a measure spanning less than this across managers does not discriminate
MIN_MANAGERS_FOR_SPREAD = 3
BASIS_QUOTA = "team won revenue / team prorated quota"
BASIS_RELATIVE = "team revenue per rep-month relative to the organisation (no quotas)"



# --- measured performance ------------------------------------------------------------------------

def team_development_measures(readiness: pd.DataFrame, coaching: pd.DataFrame | None,
                              assumptions: Mapping[str, Any] | Any) -> pd.DataFrame:
    """One row per front-line manager (index manager_id): each objective measure and their mean."""
    a = assumption_values(assumptions)
    frame = readiness.set_index(readiness["manager_id"].astype("object"))
    out = pd.DataFrame({"manager_name": frame["manager_name"].astype("object")}, index=frame.index)
    out.index.name = "manager_id"
    target = float(a["target_coaching_hours_per_rep_month"])
    if coaching is not None:
        c = coaching.copy()
        c.index = c.index.astype("object")
        hours = pd.to_numeric(c["hours_per_rep_month"], errors="coerce").astype(float).reindex(out.index)
        coverage = pd.to_numeric(c["monthly_coverage"], errors="coerce").astype(float).reindex(out.index)
        out["coaching_hours"] = (hours / target).clip(0, MEASURE_CAP) if target > 0 else np.nan
        out["coaching_coverage"] = coverage.clip(0, MEASURE_CAP)
    else:
        out["coaching_hours"] = np.nan
        out["coaching_coverage"] = np.nan
    sales = pd.to_numeric(frame["manager_sales_program"], errors="coerce").astype(float)
    coach = pd.to_numeric(frame["manager_coaching_program"], errors="coerce").astype(float)
    done = pd.concat([(sales >= 1).astype(float).where(sales.notna()),
                      (coach >= 1).astype(float).where(coach.notna())], axis=1)
    out["own_training"] = done.mean(axis=1)
    shrunk = pd.to_numeric(frame["attrition_rate_shrunk"], errors="coerce").astype(float)
    org = pd.to_numeric(frame["org_attrition_rate"], errors="coerce").astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        retention = 1 - shrunk / (2 * org)
    out["team_retention"] = retention.where(org > 0).clip(0, MEASURE_CAP)
    used = [m for m in MEASURES if m not in saturated_measures(out)]
    out["measures_used"] = out[used].notna().sum(axis=1).astype(int)
    out["team_development_attainment"] = out[used].mean(axis=1)
    return out


def saturated_measures(measures: pd.DataFrame) -> list[str]:
    """Measures that do not tell managers apart: measured for at least MIN_MANAGERS_FOR_SPREAD
    managers and spanning less than MIN_SPREAD between the lowest and the highest. Paying on them
    would hand everyone the same credit, so they are left out of team-development attainment,
    unless every measure is like that (then there is nothing better to pay on and all are kept)."""
    out, available = [], []
    for m in MEASURES:
        values = pd.to_numeric(measures[m], errors="coerce").dropna()
        if len(values):
            available.append(m)
        if len(values) >= MIN_MANAGERS_FOR_SPREAD and float(values.max() - values.min()) < MIN_SPREAD:
            out.append(m)
    return [] if set(out) >= set(available) else out


def team_attainment(readiness: pd.DataFrame) -> tuple[pd.Series, str]:
    """(the team's attainment per manager, the basis in words)."""
    frame = readiness.set_index(readiness["manager_id"].astype("object"))
    raw = pd.to_numeric(frame["results_raw"], errors="coerce").astype(float)
    measure = str(frame["results_measure"].iloc[0]) if len(frame) else ""
    if measure == "attainment":
        return raw, BASIS_QUOTA
    org = pd.to_numeric(frame["org_results"], errors="coerce").astype(float)
    if measure and org.notna().any() and (org > 0).any():
        return raw / org, BASIS_RELATIVE
    return pd.Series(np.nan, index=frame.index), ""
