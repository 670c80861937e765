"""The six readiness pillars, each scored 0-100 per front-line manager from the data that shows it.

The mapping from data to score for each pillar is set out in readiness.py's docstring.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from workbook.analyses import not_assessed
from workbook.analyses.shrinkage import poisson_gamma_prior, shrink_means, shrink_rates
from workbook.analyses.window import Window, exposure_months
from workbook.lookup import isin

PILLARS = ("scale", "team_health", "modelling", "buy_in", "coaching", "results")
PILLAR_LABELS = {"scale": "scale", "team_health": "team health", "modelling": "modelling",
                 "buy_in": "buy-in", "coaching": "coaching", "results": "results"}
ADKAR = ("awareness", "desire", "knowledge", "ability", "reinforcement")
ASSESSED = "assessed"

# A manager coaching program is any program whose name mentions coaching or managers.
COACHING_PROGRAM_PATTERN = re.compile(r"coach|manager", re.IGNORECASE)
MODELLING_POINTS = {"sales_program": 40.0, "coaching_program": 30.0, "team_completion": 30.0}
STATUS_CREDIT = {"completed": 1.0, "complete": 1.0, "in_progress": 0.5, "in progress": 0.5}
COACHING_HOURS_SHARE = 2.0 / 3.0
# Pillars measured against the organisation score 50 at its level and reach 0 or 100 this far
# from it (a share of the organisation's value), so real differences show rather than everyone at
# or above the organisation scoring 100.
TEAM_HEALTH_SPAN = 0.5    # half the organisation's attrition rate scores 100, one and a half times it 0
RESULTS_SPAN = 0.2        # 20% above the organisation's attainment scores 100, 20% below it 0


def relative_score(difference: pd.Series, span: float) -> pd.Series:
    """50 at the organisation (difference 0), linear to 100 at +span and 0 at -span, clipped."""
    return (50.0 + 50.0 * difference / span).clip(0.0, 100.0)


# --- shared by the pillars -------------------------------------------------------------------

def normalised(values: pd.Series) -> pd.Series:
    """Trimmed, case-folded, single-spaced text for matching free-text names (each distinct name
    once: an LMS export repeats a few program names and statuses on every row)."""
    text = values.astype("string")
    codes, distinct = pd.factorize(text)
    if 2 * len(distinct) > len(text):
        return _normalised(text)
    clean = _normalised(pd.Series(distinct, dtype=text.dtype))
    return pd.Series(clean.array.take(codes, allow_fill=True), index=values.index, name=values.name)


def _normalised(text: pd.Series) -> pd.Series:
    return text.str.strip().str.casefold().str.replace(r"\s+", " ", regex=True)


def _status(assessed: pd.Series, needs: str) -> pd.Series:
    missing = not_assessed(needs)
    return pd.Series(np.where(assessed.to_numpy(dtype=bool), ASSESSED, missing), index=assessed.index,
                     dtype="object")


def _by_manager(values: pd.Series, keys: pd.Series, index: pd.Index, how: str = "sum",
                min_count: int = 0) -> pd.Series:
    grouped = pd.Series(values.to_numpy(), index=keys.astype("object").to_numpy()).groupby(level=0)
    result = grouped.sum(min_count=min_count) if how == "sum" else grouped.agg(how)
    return result.reindex(index)


# --- scale ------------------------------------------------------------------------------------

def scale_pillar(people: pd.DataFrame, active: np.ndarray, role: np.ndarray, index: pd.Index,
           performance: pd.DataFrame, has_sales: bool, a: dict[str, Any]) -> pd.DataFrame:
    boss = people["manager_id"].astype("object")
    reports = boss[active & boss.notna().to_numpy()]
    span = reports.value_counts().reindex(index, fill_value=0).astype(int)
    team = reports[role[active & boss.notna().to_numpy()] == "rep"]
    team_size = team.value_counts().reindex(index, fill_value=0).astype(int)
    low, high, flag = float(a["healthy_span_min"]), float(a["healthy_span_max"]), float(a["span_flag_above"])
    slope = 50.0 / (flag - high) if flag > high else 25.0
    s = span.to_numpy(dtype=float)
    score = np.where(s < low, 100.0 * s / low, np.where(s > high, 100.0 - slope * (s - high), 100.0))
    out = pd.DataFrame({"span": span, "team_size": team_size, "score_scale": np.clip(score, 0, 100),
                        "status_scale": ASSESSED}, index=index)
    keys = performance["manager_id"].astype("object")
    if has_sales:
        out["team_revenue"] = _by_manager(performance["won_revenue"], keys, index).fillna(0.0)
    else:
        out["team_revenue"] = np.nan
    out["team_quota"] = _by_manager(performance["quota_in_window"], keys, index, min_count=1)
    return out


# --- team health ------------------------------------------------------------------------------

def team_health_pillar(people: pd.DataFrame, role: np.ndarray, index: pd.Index, window: Window,
                 a: dict[str, Any]) -> pd.DataFrame:
    out = pd.DataFrame(index=index)
    reps = people[(role == "rep") & people["manager_id"].notna().to_numpy()]
    if "termination_date" not in people.columns or people["termination_date"].isna().all():
        # no leaver in the data: a roster of current staff only cannot show attrition (never "100")
        for c in ("attrition_exits", "attrition_exits_voluntary", "attrition_exits_involuntary",
                  "attrition_person_years", "attrition_rate_raw", "attrition_rate_shrunk",
                  "attrition_low", "attrition_high", "org_attrition_rate", "replacement_cost",
                  "replacement_ramp_months", "score_team_health"):
            out[c] = np.nan
        out["status_team_health"] = not_assessed("people.termination_date")
        return out
    years = exposure_months(reps, window) / 12.0
    left = pd.to_datetime(reps["termination_date"])
    in_window = window.contains(left).fillna(False).to_numpy(dtype=bool)
    kind = (normalised(reps["termination_type"]) if "termination_type" in reps.columns
            else pd.Series(pd.NA, index=reps.index, dtype="string"))
    # every exit counts toward the rate (a team loses the rep either way); the split is reported
    # and costed by type, an exit of unknown type as voluntary
    involuntary = kind.eq("involuntary").fillna(False).to_numpy(dtype=bool)
    exits = pd.Series(in_window.astype(float), index=reps.index)
    keys = reps["manager_id"].astype("object")
    out["attrition_exits_involuntary"] = _by_manager(
        pd.Series((in_window & involuntary).astype(float), index=reps.index), keys, index).fillna(0.0)
    total_exits, total_years = float(exits.sum()), float(years.sum())
    org_rate = total_exits / total_years if total_years > 0 else np.nan
    y = _by_manager(exits, keys, index).fillna(0.0)
    e = _by_manager(years, keys, index).fillna(0.0)
    out["attrition_exits"] = y
    out["attrition_person_years"] = e
    assessed = (e > 0).to_numpy()
    if np.isfinite(org_rate) and assessed.any():
        prior = poisson_gamma_prior(y.to_numpy()[assessed], e.to_numpy()[assessed], org_rate)
        post = shrink_rates(y.to_numpy(), e.to_numpy(), float(a["attrition_interval_level"]), prior)
        for name, key in (("attrition_rate_raw", "raw"), ("attrition_rate_shrunk", "shrunk"),
                          ("attrition_low", "low"), ("attrition_high", "high")):
            out[name] = np.where(assessed, post[key], np.nan)
        ratio = out["attrition_rate_shrunk"] / org_rate if org_rate > 0 else out["attrition_rate_shrunk"] * 0
        score = relative_score(1.0 - ratio, TEAM_HEALTH_SPAN)   # fewer exits than the organisation: higher
        out["score_team_health"] = np.where(assessed, score, np.nan)
    else:
        for c in ("attrition_rate_raw", "attrition_rate_shrunk", "attrition_low", "attrition_high",
                  "score_team_health"):
            out[c] = np.nan
    out["org_attrition_rate"] = org_rate
    out["attrition_exits_voluntary"] = y - out["attrition_exits_involuntary"]
    out["replacement_cost"] = (out["attrition_exits_voluntary"] * float(a["replacement_cost_per_rep_usd"])
                               + out["attrition_exits_involuntary"]
                               * float(a["replacement_cost_involuntary_per_rep_usd"]))
    out["replacement_ramp_months"] = y * float(a["ramp_months"])
    out["status_team_health"] = _status(pd.Series(assessed, index=index), "people.termination_date")
    out.loc[~assessed, "status_team_health"] = "not assessed — no reps on the team in the window"
    if not np.isfinite(org_rate):
        out["status_team_health"] = "not assessed — no reps with time on a team in the window"
    return out


# --- modelling --------------------------------------------------------------------------------

def detect_programs(training: pd.DataFrame, rep_ids: pd.Index, sales_program: str | None = None,
                    coaching_programs: str | Iterable[str] | None = None) -> tuple[str | None, list[str]]:
    """(the reps' sales program, the manager coaching programs), as normalised names.

    Coaching programs: names containing 'coach' or 'manager' unless given.
    Sales program: unless given, the non-coaching program with the most
    distinct active reps enrolled (any status); ties go to the alphabetically
    first name, so the choice never depends on row order.
    """
    names = normalised(training["program"])
    known = pd.unique(names.dropna().to_numpy())
    if coaching_programs is None:
        coaching = sorted(p for p in known if COACHING_PROGRAM_PATTERN.search(p))
    else:
        given = [coaching_programs] if isinstance(coaching_programs, str) else list(coaching_programs)
        coaching = sorted(normalised(pd.Series(given)).dropna().tolist())
    if sales_program is not None:
        return normalised(pd.Series([sales_program])).iloc[0], coaching
    of_reps = pd.DataFrame({"person": training["person_id"].astype("object").to_numpy(),
                            "program": names.to_numpy()})
    of_reps = of_reps[isin(of_reps["person"], rep_ids) & of_reps["program"].notna().to_numpy()
                      & ~of_reps["program"].isin(coaching).to_numpy()]
    if of_reps.empty:
        return None, coaching
    counts = of_reps.drop_duplicates().groupby("program").size().reset_index(name="n")
    counts = counts.sort_values(["n", "program"], ascending=[False, True])
    return str(counts["program"].iloc[0]), coaching


def completion_credit(training: pd.DataFrame) -> pd.Series:
    """Each training row's credit: 1 completed (or a completion date without a status), partial for
    in progress (STATUS_CREDIT), 0 otherwise; 1 for every row of a bare list of programs taken."""
    if "status" in training.columns:
        credit = normalised(training["status"]).map(STATUS_CREDIT).astype(float).fillna(0.0)
        if "completed_date" in training.columns:  # a completion date without a status is a completion
            dated = training["completed_date"].notna().to_numpy() & training["status"].isna().to_numpy()
            credit[dated] = 1.0
        return credit
    if "completed_date" in training.columns:
        return training["completed_date"].notna().astype(float)
    return pd.Series(1.0, index=training.index)  # a list of programs taken


def modelling_pillar(training: pd.DataFrame | None, people: pd.DataFrame, active: np.ndarray, role: np.ndarray,
               index: pd.Index, sales_program: str | None,
               coaching_programs: str | Iterable[str] | None) -> pd.DataFrame:
    out = pd.DataFrame(index=index)
    cols = ("manager_sales_program", "manager_coaching_program", "team_completion_share", "score_modelling")
    if training is None:
        for c in cols:
            out[c] = np.nan
        out["status_modelling"] = not_assessed("training")
        return out
    reps = people[(role == "rep") & active]
    program, coaching = detect_programs(training, pd.Index(reps.index.astype("object")), sales_program,
                                        coaching_programs)
    rows = pd.DataFrame({"person": training["person_id"].astype("object").to_numpy(),
                         "program": normalised(training["program"]).to_numpy(),
                         "credit": completion_credit(training).to_numpy()})
    best = rows.groupby(["person", "program"])["credit"].max()
    learners = set(rows["person"])

    def credit_for(person_ids: pd.Index, programs: list[str]) -> np.ndarray:
        if not programs:
            return np.full(len(person_ids), np.nan)
        picked = best[best.index.get_level_values("program").isin(programs)]
        per_person = picked.groupby(level="person").max()
        return per_person.reindex(person_ids).fillna(0.0).to_numpy()

    out["manager_sales_program"] = credit_for(index, [program] if program else [])
    out["manager_coaching_program"] = credit_for(index, coaching)
    rep_ids = pd.Index(reps.index.astype("object"))
    rep_done = pd.Series((credit_for(rep_ids, [program] if program else []) >= 1.0).astype(float),
                         index=rep_ids) if program else pd.Series(np.nan, index=rep_ids)
    keys = reps["manager_id"].astype("object")
    share = _by_manager(rep_done, keys, index, how="mean")
    out["team_completion_share"] = share
    items = np.column_stack([out["manager_sales_program"], out["manager_coaching_program"], share])
    points = np.array([MODELLING_POINTS[k] for k in ("sales_program", "coaching_program", "team_completion")])
    known = ~np.isnan(items)
    earned = np.nansum(np.where(known, items * points, 0.0), axis=1)
    possible = (known * points).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(possible > 0, 100.0 * earned / possible, np.nan)
    in_lms = isin(index, list(learners))
    team_in_lms = _by_manager(pd.Series(isin(rep_ids, list(learners)).astype(float), index=rep_ids), keys,
                              index).fillna(0.0).to_numpy() > 0
    assessed = (in_lms | team_in_lms) & ~np.isnan(score)
    out.loc[~assessed, list(cols[:3])] = np.nan
    out["score_modelling"] = np.where(assessed, score, np.nan)
    out["status_modelling"] = _status(pd.Series(assessed, index=index), "training")
    out.attrs["sales_program"] = program
    out.attrs["coaching_programs"] = coaching
    return out


# --- buy-in -----------------------------------------------------------------------------------

def barrier_point(adkar: pd.DataFrame, threshold: float) -> pd.Series:
    """First ADKAR element, in order, whose score is at or below `threshold`; '' when none."""
    result = np.full(len(adkar), "", dtype=object)
    for dimension in reversed(ADKAR):
        column = adkar.get(f"adkar_{dimension}")
        if column is None:
            continue
        low = (pd.to_numeric(column, errors="coerce") <= threshold).fillna(False).to_numpy(dtype=bool)
        result[low] = dimension
    return pd.Series(result, index=adkar.index, dtype="object")


def buy_in_pillar(survey: pd.DataFrame | None, index: pd.Index, threshold: float) -> pd.DataFrame:
    out = pd.DataFrame(index=index)
    for d in ADKAR:
        out[f"adkar_{d}"] = np.nan
    if survey is not None:
        rows = pd.DataFrame({"person": survey["person_id"].astype("object").to_numpy(),
                             "dimension": normalised(survey["dimension"]).to_numpy(),
                             "score": pd.to_numeric(survey["score"], errors="coerce").astype(float).to_numpy()})
        rows = rows[isin(rows["person"], index) & rows["dimension"].isin(ADKAR).to_numpy() & rows["score"].notna().to_numpy()]
        if not rows.empty:
            means = rows.groupby(["person", "dimension"])["score"].mean().unstack("dimension")
            for d in ADKAR:
                if d in means.columns:
                    out[f"adkar_{d}"] = means[d].reindex(index)
    dims = out[[f"adkar_{d}" for d in ADKAR]]
    assessed = dims.notna().any(axis=1)
    out["score_buy_in"] = ((dims.mean(axis=1) - 1.0) / 4.0 * 100.0).clip(0, 100).where(assessed)
    out["barrier_point"] = barrier_point(out, threshold)
    out["status_buy_in"] = _status(assessed, "survey")
    return out


# --- coaching ---------------------------------------------------------------------------------

def coaching_pillar(coaching: pd.DataFrame | None, index: pd.Index, target: float) -> pd.DataFrame:
    out = pd.DataFrame(index=index)
    if coaching is None:
        out["hours_per_rep_month"] = np.nan
        out["coverage"] = np.nan
        out["score_coaching"] = np.nan
        out["status_coaching"] = not_assessed("coaching")
        return out
    frame = coaching.set_index("manager_id") if "manager_id" in coaching.columns else coaching
    frame = frame[~frame.index.duplicated(keep="first")]
    frame.index = frame.index.astype("object")
    hours = pd.to_numeric(frame["hours_per_rep_month"], errors="coerce").astype(float).reindex(index)
    coverage = (pd.to_numeric(frame["coverage"], errors="coerce").astype(float).reindex(index)
                if "coverage" in frame.columns else pd.Series(np.nan, index=index))
    out["hours_per_rep_month"] = hours
    out["coverage"] = coverage
    hours_part = (hours / target).clip(0, 1) if target > 0 else (hours >= 0).astype(float)
    cover_part = coverage.clip(0, 1)
    score = np.where(cover_part.notna(),
                     COACHING_HOURS_SHARE * hours_part + (1 - COACHING_HOURS_SHARE) * cover_part,
                     hours_part) * 100.0
    out["score_coaching"] = np.where(hours.notna(), score, np.nan)
    out["status_coaching"] = _status(hours.notna(), "coaching")
    return out


# --- results ----------------------------------------------------------------------------------

def results_pillar(performance: pd.DataFrame, has_sales: bool, index: pd.Index, level: float) -> pd.DataFrame:
    out = pd.DataFrame(index=index)
    for c in ("results_raw", "results_shrunk", "results_low", "results_high", "org_results", "score_results"):
        out[c] = np.nan
    out["results_measure"] = ""
    if not has_sales:
        out["status_results"] = not_assessed("sales")
        return out
    perf = performance[performance["exposure_months"] > 0]
    with_quota = perf[perf["quota_in_window"].notna()]
    if not with_quota.empty:
        measure, perf, denominator = "attainment", with_quota, with_quota["quota_in_window"]
    else:
        measure, denominator = "revenue per rep-month", perf["exposure_months"]
    keys = perf["manager_id"].astype("object")
    won = perf["won_revenue"].astype(float)
    months = perf["exposure_months"].astype(float)
    num = _by_manager(won, keys, index).fillna(0.0)
    den = _by_manager(denominator.astype(float), keys, index).fillna(0.0)
    weight = _by_manager(months, keys, index).fillna(0.0)
    centre = float(won.sum() / denominator.sum()) if denominator.sum() > 0 else np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = np.where(den > 0, num / den.where(den > 0, 1.0), np.nan)
    out["results_measure"] = measure
    out["org_results"] = centre
    if not np.isfinite(centre) or centre <= 0:
        out["status_results"] = "not assessed — no won revenue in the window"
        return out
    # within-team variance per rep-month, pooled: reps' own values around their team's value
    rep_value = (won / denominator).to_numpy(dtype=float)
    team_value = pd.Series(raw, index=index).reindex(keys.to_numpy()).to_numpy(dtype=float)
    team_value = np.where(np.isnan(team_value), centre, team_value)
    m = months.to_numpy(dtype=float)
    teams = int(np.count_nonzero(den > 0))
    dof = len(perf) - teams
    if dof > 0:
        within = float(np.nansum(m * (rep_value - team_value) ** 2) / dof)
    else:
        within = float(np.nansum(m * (rep_value - centre) ** 2) / max(len(perf) - 1, 1))
    post = shrink_means(raw, weight.to_numpy(), within, centre, level)
    assessed = (weight > 0).to_numpy() & (den > 0).to_numpy()
    out["results_raw"] = np.where(assessed, raw, np.nan)
    for name, key in (("results_shrunk", "shrunk"), ("results_low", "low"), ("results_high", "high")):
        out[name] = np.where(assessed, post[key], np.nan)
    relative = out["results_shrunk"] / centre
    score = relative_score(relative - 1.0, RESULTS_SPAN)
    out["score_results"] = score.where(assessed)
    out["status_results"] = _status(pd.Series(assessed, index=index), "sales")
    out.loc[~assessed, "status_results"] = "not assessed — no reps on the team in the window"
    return out
