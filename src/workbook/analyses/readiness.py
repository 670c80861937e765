"""Manager readiness: is each front-line manager ready to lead the program, and whom to train first.

Every active front-line manager (role 'manager', employed on the as-of date)
is scored 0-100 on six pillars, each from the data that can show it. A
pillar without data for a manager is NaN with the status "not assessed —
needs <table>", and its weight is shared out over the assessed pillars: a
missing survey never counts as a zero. On the absolute pillars 100 means "no
gap"; the mappings (cite them on the Methodology sheet):

- Scale: span of control (active direct reports) against the healthy band
  healthy_span_min..healthy_span_max (100 inside; below it 100 x span / min;
  above it falling linearly to 50 at span_flag_above and 0 at twice that
  distance). Flag "span over N" above span_flag_above. Team won revenue and
  prorated quota in the window are reported as what is at stake.
- Team health: every rep exit (voluntary and involuntary, reported apart)
  over exposure (person-years on the team in the window), shrunk toward the
  organisation's rate by Poisson-gamma empirical Bayes (see shrinkage.py),
  with an interval at attrition_interval_level. Score relative to the
  organisation: 50 + 50 x (1 - shrunk / organisation) / 0.5, clipped to
  0-100 (the organisation's rate scores 50, half of it 100, one and a half
  times it 0). Flag only when the interval's lower bound clears the
  organisation's rate. Replacement cost = exits x the replacement cost of
  their type.
- Modelling: 40 points for the manager completing the reps' sales program,
  30 for completing a manager coaching program, 30 x the team's completion
  share of the reps' program (in progress earns the manager half credit);
  items that cannot be known are dropped and the rest rescaled to 100.
- Buy-in: the manager's own ADKAR answers, mean per element; score =
  (mean of the element means - 1) / 4 x 100. Barrier point = first element in
  ADKAR order with a mean <= adkar_barrier_max_score.
- Coaching: 2/3 x min(1, hours per rep per month / target) + 1/3 x coverage,
  x 100 (hours only when coverage is unknown).
- Results: team attainment (won / prorated quota; revenue per rep-month when
  the organisation has no quotas), shrunk toward the organisation by
  normal-normal empirical Bayes weighted by rep-months. Score relative to the
  organisation: 50 + 50 x (shrunk / organisation - 1) / 0.2, clipped to 0-100
  (the organisation's level scores 50, 20% above it 100, 20% below it 0).
  Flag when the interval's upper bound is below it.

Pillars measured against the organisation score 50 at its level, so a
readiness score mixes absolute standards (span, training, coaching target,
ADKAR) with relative ones; tiers use tier_ready_min_score and
tier_developing_min_score. Gates cap the tier at 'developing' whatever the
score: awareness or desire at or below adkar_ready_gate_max_score, and a
coaching pillar below ready_min_coaching_score (a manager who barely
coaches cannot lead a coaching-centred change).

Priority: leverage x (100 - readiness). Leverage is team size relative to the
average team (averaged with team revenue relative to the average team's when
there are sales); the order follows the people and revenue at stake, so a big
team with a fairly ready manager can precede a small team with the least ready
one. Ties: higher leverage, then manager_id.

The pillars are computed in readiness_pillars.py and the flags and the 'why'
sentence worded in readiness_text.py; their public names are re-exported here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from workbook.analyses import assumption_values
from workbook.analyses.attainment import rep_performance
from workbook.analyses.readiness_pillars import (
    ADKAR,
    ASSESSED,
    PILLAR_LABELS,
    PILLARS,
    buy_in_pillar,
    coaching_pillar,
    modelling_pillar,
    results_pillar,
    scale_pillar,
    team_health_pillar,
)
from workbook.analyses.readiness_pillars import COACHING_HOURS_SHARE as COACHING_HOURS_SHARE
from workbook.analyses.readiness_pillars import COACHING_PROGRAM_PATTERN as COACHING_PROGRAM_PATTERN
from workbook.analyses.readiness_pillars import MODELLING_POINTS as MODELLING_POINTS
from workbook.analyses.readiness_pillars import STATUS_CREDIT as STATUS_CREDIT
from workbook.analyses.readiness_pillars import barrier_point as barrier_point
from workbook.analyses.readiness_pillars import detect_programs as detect_programs
from workbook.analyses.readiness_text import FLAG_PHRASE as FLAG_PHRASE
from workbook.analyses.readiness_text import TIER_PHRASE as TIER_PHRASE
from workbook.analyses.readiness_text import WEAK_PILLAR_BELOW as WEAK_PILLAR_BELOW
from workbook.analyses.readiness_text import readiness_flags, why_text
from workbook.analyses.window import Window, active_on

TIERS = ("ready", "developing", "not_ready")

SPEC_COLUMNS = ["manager_id", "manager_name", "team_size", "readiness_score", "tier", "barrier_point",
                "priority_rank"]
DETAIL_COLUMNS = ["leader_id", "span", "team_revenue", "team_quota", "attrition_exits",
                  "attrition_exits_voluntary", "attrition_exits_involuntary",
                  "attrition_person_years", "attrition_rate_raw", "attrition_rate_shrunk", "attrition_low",
                  "attrition_high", "org_attrition_rate", "replacement_cost",
                  *[f"score_{p}" for p in PILLARS], "pillars_assessed", "not_assessed",
                  *[f"adkar_{d}" for d in ADKAR], "flags", "why"]
EXTRA_COLUMNS = ["leverage", "priority", "replacement_ramp_months", "manager_sales_program",
                 "manager_coaching_program", "team_completion_share", "hours_per_rep_month", "coverage",
                 "results_measure", "results_raw", "results_shrunk", "results_low", "results_high",
                 "org_results", "buy_in_gate", "coaching_gate", *[f"status_{p}" for p in PILLARS]]
COLUMNS = SPEC_COLUMNS + DETAIL_COLUMNS + EXTRA_COLUMNS


def assess_readiness(tables: Mapping[str, pd.DataFrame], as_of: dt.date | pd.Timestamp,
                     assumptions: Mapping[str, Any] | Any, coaching: pd.DataFrame | None = None, *,
                     sales_program: str | None = None,
                     coaching_programs: str | Iterable[str] | None = None,
                     performance: pd.DataFrame | None = None,
                     pillars: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per active front-line manager, sorted by priority_rank (1 = train first).

    `performance` is `rep_performance` over the same window (the analysis chain passes the one
    it computed with the engagement's core band); None computes it here. `pillars` is
    `readiness_pillars(...)` for the same data and assumptions (the what-if explorer reuses it when
    only the coaching target moves); None computes it here.

    `sales_program` / `coaching_programs` override the detection of the reps'
    program (the non-coaching program most active reps are enrolled in) and of
    the manager coaching program(s) (names containing 'coach' or 'manager');
    names are compared after trimming, case folding and collapsing spaces.
    """
    a = assumption_values(assumptions)
    if pillars is None:
        pillars = readiness_pillars(tables, as_of, a, sales_program=sales_program,
                                    coaching_programs=coaching_programs, performance=performance)
    out = pillars.join(coaching_pillar(coaching, pillars.index, float(a["target_coaching_hours_per_rep_month"])))
    has_sales = _table(tables, "sales") is not None
    out = _combine(out, a)
    out = _prioritise(out, has_sales)
    out["flags"] = readiness_flags(out, a)
    out["why"] = why_text(out, a)
    out = out.reset_index()
    return out[COLUMNS].reset_index(drop=True)


def readiness_pillars(tables: Mapping[str, pd.DataFrame], as_of: dt.date | pd.Timestamp,
                      assumptions: Mapping[str, Any] | Any, *, sales_program: str | None = None,
                      coaching_programs: str | Iterable[str] | None = None,
                      performance: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every pillar but coaching (scale, team health, modelling, buy-in, results), indexed by
    manager_id: none of them reads the coaching target, the one readiness input on a slider."""
    if as_of is None:
        raise ValueError("assess_readiness needs an as-of date")
    a = assumption_values(assumptions)
    people = tables["people"]
    window = Window.trailing(as_of, int(a.get("analysis_window_months", 12)))
    active = active_on(people, window.end).to_numpy(dtype=bool)
    role = people["role"].astype("object").to_numpy()
    managers = people[(role == "manager") & active]
    index = pd.Index(managers.index.astype("object"), name="manager_id")
    out = pd.DataFrame(index=index)
    out["manager_name"] = managers["name"].astype("object").to_numpy()
    out["leader_id"] = managers["manager_id"].astype("object").to_numpy()
    out["inferred"] = (managers["inferred"].fillna(False).astype(bool).to_numpy()
                       if "inferred" in managers.columns else False)
    sales = _table(tables, "sales")
    if performance is None:
        performance = rep_performance(people, sales, window)
    out = out.join(scale_pillar(people, active, role, index, performance, sales is not None, a))
    out = out.join(team_health_pillar(people, role, index, window, a))
    out = out.join(modelling_pillar(_table(tables, "training"), people, active, role, index,
                                    sales_program, coaching_programs))
    out = out.join(buy_in_pillar(_table(tables, "survey"), index, float(a["adkar_barrier_max_score"])))
    return out.join(results_pillar(performance, sales is not None, index, float(a["attrition_interval_level"])))


# --- helpers ----------------------------------------------------------------------------------


def _table(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame | None:
    frame = tables.get(name)
    return None if frame is None or frame.empty else frame


# --- the score and the priority --------------------------------------------------------------

def _combine(out: pd.DataFrame, a: dict[str, Any]) -> pd.DataFrame:
    scores = out[[f"score_{p}" for p in PILLARS]].to_numpy(dtype=float)
    weights = np.array([float(a[f"weight_{p}"]) for p in PILLARS])
    known = ~np.isnan(scores)
    used = known * weights
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(used.sum(axis=1) > 0,
                         np.nansum(np.where(known, scores, 0.0) * weights, axis=1) / used.sum(axis=1), np.nan)
    out["readiness_score"] = np.round(score, 1)
    out["pillars_assessed"] = known.sum(axis=1).astype(int)
    ready, developing = float(a["tier_ready_min_score"]), float(a["tier_developing_min_score"])
    s = out["readiness_score"]
    out["tier"] = np.select([s >= ready, s >= developing], ["ready", "developing"], default="not_ready")
    # ADKAR gate: low awareness or desire caps the tier at 'developing', whatever the score
    gate = float(a["adkar_ready_gate_max_score"])
    gated = np.zeros(len(out), dtype=bool)
    for dimension in ("awareness", "desire"):
        column = f"adkar_{dimension}"
        if column in out.columns:
            gated |= (pd.to_numeric(out[column], errors="coerce") <= gate).fillna(False).to_numpy()
    out["buy_in_gate"] = gated
    out["coaching_gate"] = (pd.to_numeric(out["score_coaching"], errors="coerce")
                            < float(a["ready_min_coaching_score"])).fillna(False).to_numpy()
    capped = gated | out["coaching_gate"].to_numpy(dtype=bool)
    out.loc[capped & (out["tier"] == "ready").to_numpy(), "tier"] = "developing"
    notes = pd.Series("", index=out.index, dtype="object")
    for p in PILLARS:
        status = out[f"status_{p}"].astype("object")
        missing = status != ASSESSED
        text = PILLAR_LABELS[p] + " — " + status.str.replace("not assessed — ", "", regex=False)
        notes = notes.where(~missing, np.where(notes == "", text, notes + "; " + text))
    out["not_assessed"] = notes
    return out


def _prioritise(out: pd.DataFrame, has_sales: bool) -> pd.DataFrame:
    size = out["team_size"].astype(float)
    leverage = size / size.mean() if size.mean() > 0 else size * 0.0
    revenue = out["team_revenue"].astype(float)
    if has_sales and revenue.notna().any() and revenue.mean() > 0:
        leverage = 0.5 * leverage + 0.5 * revenue.fillna(0.0) / revenue.mean()
    out["leverage"] = leverage.round(6)
    out["priority"] = (out["leverage"] * (100.0 - out["readiness_score"])).round(6)
    order = out.assign(_id=out.index.astype(str)).sort_values(
        ["priority", "leverage", "_id"], ascending=[False, False, True], na_position="last")
    out = out.loc[order.index]
    out["priority_rank"] = np.arange(1, len(out) + 1)
    return out
