"""Coaching gaps: how much coaching each front-line manager gives, against the target, and to whom.

Needs the coaching table; without it every caller says "not assessed — needs
coaching" (the `NotAssessed` exception), never a silent zero. Performer tiers
(the core share of coaching time) need sales; without them the tier shares are
empty, not zero.

Modelling choices (cite these on the Methodology sheet):

- Only sessions dated inside the analysis window count. A session without a
  duration counts `default_coaching_minutes`.
- A session counts for the manager who logged it, even when the rep is not on
  that manager's team in the roster (the roster gives only each rep's current
  or last manager, so a rep who changed teams was coached by someone else
  earlier): hours measure the manager's coaching effort. `hours_off_team`
  shows how much of it went outside the team. Coverage and monthly coverage
  count only sessions with the manager's own reps.
- Two head counts, on purpose: `reps` (a SPEC column of coaching_gaps.csv)
  counts every rep on the team at any time in the window, leavers included —
  the people whose months make up the exposure below; `active_reps` counts the
  reps on the team at the window end ("reps now", the count Manager Readiness
  and the Training Plan use). Coverage divides by `reps`; the manager's gap in
  hours multiplies by `active_reps`.
- Hours per rep per month divide the manager's hours by the team's exposure
  (`exposure_months`): reps who joined or left in the window count only for
  the months they were on the team.
- Gap per rep-month = max(target - actual, 0). The manager's gap in hours per
  month multiplies it by the reps on the team at the window end (the team the
  manager must coach from now on), so a manager whose team has left has no gap
  to close.
- Months are the window's month slots counted from its first day (calendar
  months for a window starting on the 1st). Monthly coverage is the share of
  rep-month slots, while the rep was on the team, with at least one session
  from the manager. Cadence regularity is the share of month slots the manager
  was employed in which they logged any coaching at all.
- Activity mix and tier shares are shares of coaching hours (time, not session
  counts); an activity missing from the log counts as "other"; hours with reps
  without a tier (under a month on the team, or not a rep) are `untiered_share`,
  so the four tier shares add up to one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from workbook.analyses import assumption_values, not_assessed
from workbook.analyses.window import Window, active_on, exposure_months
from workbook.errors import WorkbookError
from workbook.lookup import isin, lookup, positions

ACTIVITIES = ("deal_review", "skill_coaching", "joint_call", "one_on_one", "other")
TIER_SHARES = ("low", "core", "top", "untiered")
GAP_COLUMNS = ["manager_id", "manager_name", "reps", "hours_per_rep_month", "target_hours_per_rep_month",
               "gap_hours_per_rep_month", "coverage", "core_share"]
GAP_TOLERANCE_HOURS = 1e-9
ASSOCIATION_NOTE = (
    "An association across reps, not proof that coaching causes attainment: better reps may attract "
    "more coaching (or less), and other differences between teams are not controlled for."
)


class NotAssessed(WorkbookError, LookupError):
    """An analysis whose required table is missing: show 'not assessed — needs <table>'."""

    def __init__(self, needs: str):
        self.needs = needs
        super().__init__(not_assessed(needs))


def month_slot(dates: pd.Series, window: Window) -> np.ndarray:
    """Whole months from the window's first day (0 = the first month of the window)."""
    start = window.start
    dates = pd.to_datetime(dates)
    return ((dates.dt.year - start.year) * 12 + (dates.dt.month - start.month)
            - (dates.dt.day < start.day).astype(int)).to_numpy(dtype=np.int64)


def _window_span(people: pd.DataFrame, window: Window) -> tuple[pd.Series, pd.Series]:
    """First and last day each person was employed within the window (as in exposure_months)."""
    first = pd.Series(window.start, index=people.index)
    last = pd.Series(window.end, index=people.index)
    if "hire_date" in people:
        hire = pd.to_datetime(people["hire_date"])
        first = first.where(hire.isna() | (hire <= window.start), hire)
    if "termination_date" in people:
        term = pd.to_datetime(people["termination_date"])
        last = last.where(term.isna() | (term >= window.end), term)
    return first, last


def _sessions(coaching: pd.DataFrame, window: Window, default_minutes: float) -> pd.DataFrame:
    """In-window sessions with hours (default minutes where none were logged)."""
    in_window = window.contains(pd.to_datetime(coaching["date"])).fillna(False).to_numpy(dtype=bool)
    s = coaching.loc[in_window]
    minutes = (pd.to_numeric(s["minutes"], errors="coerce").astype("float64")
               if "minutes" in s.columns else pd.Series(np.nan, index=s.index))
    activity = (s["activity"].astype("object") if "activity" in s.columns
                else pd.Series(None, index=s.index, dtype="object"))
    quality = (pd.to_numeric(s["quality"], errors="coerce").astype("float64")
               if "quality" in s.columns else pd.Series(np.nan, index=s.index))
    return pd.DataFrame({
        "manager_id": s["manager_id"].array,   # as loaded (Arrow strings): looked up by lookup.positions
        "rep_id": s["rep_id"].array,
        "date": pd.to_datetime(s["date"]).to_numpy(),
        "hours": minutes.fillna(float(default_minutes)).to_numpy() / 60.0,
        "activity": activity.to_numpy(),
        "quality": quality.to_numpy(),
    })


def _sum_by(codes: np.ndarray, weights: np.ndarray | None, n: int) -> np.ndarray:
    return np.bincount(codes, weights=weights, minlength=n)[:n].astype(float)


def coaching_by_manager(people: pd.DataFrame, coaching: pd.DataFrame | None, window: Window,
                        assumptions: Mapping[str, Any] | Any,
                        performance: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per front-line manager active at the window end (index manager_id).

    Computed once and shared: readiness reads hours_per_rep_month and coverage.
    `performance` is `rep_performance(...)`; without it the tier shares are NA.
    Raises NotAssessed("coaching") when there is no coaching table at all.
    """
    if coaching is None:
        raise NotAssessed("coaching")
    a = assumption_values(assumptions)
    target = float(a["target_coaching_hours_per_rep_month"])
    default_minutes = float(a["default_coaching_minutes"])

    role = people["role"].astype("object")
    managers = people[(role == "manager").to_numpy() & active_on(people, window.end).to_numpy(dtype=bool)]
    mgr_index = pd.Index(managers.index.astype("object"), name="manager_id")
    n = len(mgr_index)

    # --- the teams: reps with exposure in the window, credited to their roster manager
    reps = people[(role == "rep").to_numpy()]
    exposure = exposure_months(reps, window)
    team = reps[(exposure > 0).to_numpy() & isin(reps["manager_id"], mgr_index)]
    team_exposure = exposure.reindex(team.index)
    team_code = positions(team["manager_id"], mgr_index)
    first, last = _window_span(team, window)
    slot_a, slot_b = month_slot(first, window), month_slot(last, window)
    rep_active_end = active_on(team, window.end).to_numpy(dtype=bool)

    reps_n = _sum_by(team_code, None, n)
    rep_months = _sum_by(team_code, team_exposure.to_numpy(dtype=float), n)
    active_reps = _sum_by(team_code, rep_active_end.astype(float), n)
    rep_slots = _sum_by(team_code, (slot_b - slot_a + 1).astype(float), n)
    core_reps = np.zeros(n)
    tier = None
    if performance is not None and "tier" in performance:
        tier = performance["tier"].astype("object")
        is_core = (tier.reindex(team.index) == "core").fillna(False).to_numpy(dtype=bool)
        core_reps = _sum_by(team_code, is_core.astype(float), n)

    # --- the sessions: in the window, logged by one of these managers
    s = _sessions(coaching, window, default_minutes)
    code = positions(s["manager_id"], mgr_index)
    keep = code >= 0
    s, code = s.loc[keep].reset_index(drop=True), code[keep]
    hours = s["hours"].to_numpy(dtype=float)
    slot = month_slot(s["date"], window)

    sessions = _sum_by(code, None, n)
    total_hours = _sum_by(code, hours, n)

    # own-team sessions while the rep was on the team (for coverage)
    rep_pos = positions(s["rep_id"], team.index)
    own = (rep_pos >= 0)
    own[own] = team_code[rep_pos[own]] == code[own]
    off_team_hours = _sum_by(code[~own], hours[~own], n)
    covered_reps = pd.DataFrame({"c": code[own], "r": rep_pos[own]}).drop_duplicates()
    coverage_n = _sum_by(covered_reps["c"].to_numpy(), None, n)
    pos, sl = rep_pos[own], slot[own]
    on_team = (sl >= slot_a[pos]) & (sl <= slot_b[pos])
    covered_slots = pd.DataFrame({"r": pos[on_team], "m": sl[on_team]}).drop_duplicates()
    covered_slots_n = _sum_by(team_code[covered_slots["r"].to_numpy()], None, n)

    # cadence: months with any coaching, over the months the manager was employed in the window
    m_first, m_last = _window_span(managers, window)
    m_slots = (month_slot(m_last, window) - month_slot(m_first, window) + 1).astype(float)
    active_months = pd.DataFrame({"c": code, "m": slot}).drop_duplicates()
    months_with_coaching = _sum_by(active_months["c"].to_numpy(), None, n)

    # activity mix (share of hours)
    act = pd.Categorical(s["activity"], categories=list(ACTIVITIES)).codes.astype(np.int64)
    act[act < 0] = ACTIVITIES.index("other")
    k = len(ACTIVITIES)
    act_hours = np.bincount(code * k + act, weights=hours, minlength=n * k)[: n * k].reshape(n, k)

    quality = s["quality"].to_numpy(dtype=float)
    rated = ~np.isnan(quality)
    quality_sum = _sum_by(code[rated], quality[rated], n)
    quality_n = _sum_by(code[rated], None, n)

    with np.errstate(divide="ignore", invalid="ignore"):
        per_rep_month = np.where(rep_months > 0, total_hours / rep_months, np.nan)
        gap = np.where(rep_months > 0, np.maximum(target - per_rep_month, 0.0), np.nan)
        gap = np.where(gap < GAP_TOLERANCE_HOURS, 0.0, gap)  # at target up to float noise: no gap
        share = lambda x: np.where(total_hours > 0, x / total_hours, np.nan)  # noqa: E731
        out = pd.DataFrame({
            "manager_name": managers["name"].to_numpy() if "name" in managers else mgr_index.to_numpy(),
            "reps": reps_n.astype(np.int64),
            "active_reps": active_reps.astype(np.int64),
            "rep_months": rep_months,
            "sessions": sessions.astype(np.int64),
            "hours": total_hours,
            "hours_off_team": off_team_hours,
            "hours_per_rep_month": per_rep_month,
            "target_hours_per_rep_month": target,
            "gap_hours_per_rep_month": gap,
            "gap_manager_hours_per_month": np.nan_to_num(gap, nan=0.0) * active_reps,
            "coverage": np.where(reps_n > 0, coverage_n / reps_n, np.nan),
            "monthly_coverage": np.where(rep_slots > 0, covered_slots_n / rep_slots, np.nan),
            "months_with_coaching": months_with_coaching.astype(np.int64),
            "cadence_regularity": np.where(m_slots > 0, np.minimum(months_with_coaching / m_slots, 1.0),
                                           np.nan),
            **{f"share_{name}": share(act_hours[:, i]) for i, name in enumerate(ACTIVITIES)},
            "avg_quality": np.where(quality_n > 0, quality_sum / quality_n, np.nan),
            "core_reps": core_reps.astype(np.int64),
        }, index=mgr_index)

    if tier is None:
        for t in TIER_SHARES:
            out[f"{t}_share"] = np.nan
    else:
        t_code = pd.Categorical(lookup(tier, s["rep_id"]), categories=list(TIER_SHARES[:3])).codes.astype(np.int64)
        t_code[t_code < 0] = 3
        t_hours = np.bincount(code * 4 + t_code, weights=hours, minlength=n * 4)[: n * 4].reshape(n, 4)
        with np.errstate(divide="ignore", invalid="ignore"):
            for i, t in enumerate(TIER_SHARES):
                out[f"{t}_share"] = np.where(total_hours > 0, t_hours[:, i] / total_hours, np.nan)
    return out


def coaching_gaps_table(by_manager: pd.DataFrame) -> pd.DataFrame:
    """coaching_gaps.csv: the SPEC columns first, then the rest; largest gap first.

    `reps` counts everyone on the team during the window, leavers included;
    `active_reps` (the first column after the SPEC ones) counts the reps on the
    team at the window end.
    """
    table = by_manager.reset_index()
    rest = [c for c in table.columns if c not in GAP_COLUMNS]
    rest = [c for c in rest if c == "active_reps"] + [c for c in rest if c != "active_reps"]
    table = table[GAP_COLUMNS + rest]
    return table.sort_values(["gap_manager_hours_per_month", "gap_hours_per_rep_month", "manager_id"],
                             ascending=[False, False, True], kind="stable",
                             na_position="last").reset_index(drop=True)


def gap_totals(by_manager: pd.DataFrame) -> dict[str, float | int]:
    """The coaching gap across managers: manager hours per month to add, and who is below target."""
    gap = by_manager["gap_hours_per_rep_month"]
    return {
        "gap_manager_hours_per_month": float(by_manager["gap_manager_hours_per_month"].sum()),
        "managers": int(len(by_manager)),
        "managers_with_reps": int(gap.notna().sum()),
        "managers_below_target": int((gap > 0).sum()),
    }


def coaching_by_rep(people: pd.DataFrame, coaching: pd.DataFrame | None, window: Window,
                    assumptions: Mapping[str, Any] | Any,
                    performance: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per rep with exposure in the window: coaching received per month, tier, attainment.

    Hours count every in-window session with the rep, whoever the coach.
    """
    if coaching is None:
        raise NotAssessed("coaching")
    a = assumption_values(assumptions)
    role = people["role"].astype("object")
    reps = people[(role == "rep").to_numpy()]
    exposure = exposure_months(reps, window)
    reps = reps[(exposure > 0).to_numpy()]
    s = _sessions(coaching, window, float(a["default_coaching_minutes"]))
    at = positions(s["rep_id"], reps.index)
    by_rep = s.loc[at >= 0, ["hours"]].groupby(at[at >= 0], sort=False)["hours"].agg(["sum", "size"])
    by_rep.index = reps.index[by_rep.index]
    out = pd.DataFrame({
        "name": reps["name"] if "name" in reps else pd.Series(pd.NA, index=reps.index),
        "manager_id": reps["manager_id"],
        "exposure_months": exposure.reindex(reps.index).astype(float),
    }, index=reps.index)
    out.index.name = "rep_id"
    out["sessions"] = by_rep["size"].reindex(out.index).fillna(0).astype(np.int64)
    out["hours"] = by_rep["sum"].reindex(out.index).fillna(0.0).astype(float)
    out["hours_per_month"] = out["hours"] / out["exposure_months"]
    for col in ("tier", "attainment", "revenue_per_month"):
        out[col] = (performance[col].reindex(out.index) if performance is not None and col in performance
                    else pd.Series(np.nan, index=out.index))
    out["attainment"] = pd.to_numeric(out["attainment"], errors="coerce").astype(float)
    out["revenue_per_month"] = pd.to_numeric(out["revenue_per_month"], errors="coerce").astype(float)
    return out


def coaching_attainment_link(by_rep: pd.DataFrame, min_exposure_months: float = 1.0,
                             level: float = 0.95) -> dict[str, float | int | str]:
    """Descriptive OLS of attainment on coaching hours per month, across reps: association, not proof.

    Uses reps with attainment and at least `min_exposure_months` on the team.
    """
    ok = by_rep["attainment"].notna() & by_rep["hours_per_month"].notna()
    ok &= by_rep["exposure_months"] >= min_exposure_months
    x = by_rep.loc[ok, "hours_per_month"].to_numpy(dtype=float)
    y = by_rep.loc[ok, "attainment"].to_numpy(dtype=float)
    n = len(x)
    result: dict[str, float | int | str] = {
        "n": n, "slope": math.nan, "intercept": math.nan, "se_slope": math.nan, "ci_low": math.nan,
        "ci_high": math.nan, "r": math.nan, "p_value": math.nan, "level": level, "note": ASSOCIATION_NOTE,
    }
    if n < 3:
        result["note"] = "Too few reps with attainment and coaching to describe a link. " + ASSOCIATION_NOTE
        return result
    xm, ym = x.mean(), y.mean()
    sxx = float(((x - xm) ** 2).sum())
    syy = float(((y - ym) ** 2).sum())
    if sxx == 0:
        result["note"] = "Every rep got the same coaching: no link can be described. " + ASSOCIATION_NOTE
        return result
    sxy = float(((x - xm) * (y - ym)).sum())
    slope = sxy / sxx
    intercept = ym - slope * xm
    df = n - 2
    sse = max(syy - slope * sxy, 0.0)
    se = math.sqrt(sse / df / sxx)
    t_crit = t_quantile(0.5 + level / 2, df)
    r = sxy / math.sqrt(sxx * syy) if syy > 0 else math.nan
    p = 2 * (1 - t_cdf(abs(slope / se), df)) if se > 0 else 0.0
    result.update(slope=slope, intercept=intercept, se_slope=se, ci_low=slope - t_crit * se,
                  ci_high=slope + t_crit * se, r=r, p_value=p)
    return result


# --- Student's t without scipy: the regularised incomplete beta by continued fraction ---------
def _betacf(a: float, b: float, x: float) -> float:
    tiny, qab, qap, qam = 1e-300, a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c if abs(1.0 + aa / c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c if abs(1.0 + aa / c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                     + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with `df` degrees of freedom."""
    tail = 0.5 * _betainc(df / 2, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_quantile(p: float, df: float) -> float:
    """The t value with P(T <= t) = p (bisection on t_cdf; exact enough for intervals)."""
    if not 0 < p < 1:
        raise ValueError("p must be between 0 and 1")
    if p < 0.5:
        return -t_quantile(1 - p, df)
    lo, hi = 0.0, 1.0
    while t_cdf(hi, df) < p:
        hi *= 2
    for _ in range(200):
        mid = (lo + hi) / 2
        if t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-12:
            break
    return (lo + hi) / 2
