"""Difference-in-differences for a staggered roll-out (a stepped wedge), with an interval honest
for a handful of teams.

The panel is one row per team and month with an outcome `y` and a `treated` flag (the months after
the team's manager completed the programme and its ramp); ramp months are left out before this
module sees them. The estimate is the imputation estimator (Borusyak, Jaravel & Spiess 2024):

1. team and month effects `a_team + b_month` are fitted on the untreated cells only (teams not yet
   trained and every team's months before its manager's completion);
2. each treated cell's effect is its outcome minus that fitted counterfactual;
3. the effect is the mean over treated teams of each team's mean effect, and the relative uplift is
   that effect over the mean counterfactual of the same cells.

Unlike a two-way fixed-effects regression this does not let early-trained teams serve as controls
for late ones, so staggered waves with different effects do not bias it. The interval is a cluster
bootstrap over teams, stratified by completion cohort (each wave and the untrained are resampled
within themselves, so every draw keeps the design), with percentile bounds. A team counts as
measured only with enough months before and after (`min_before`, `min_after`); a month's effect is
only imputed when at least `min_comparison` untreated teams are observed in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Estimate:
    effect: float            # mean effect in the outcome's units (e.g. hours per rep per month)
    relative: float          # effect / counterfactual mean (0.12 = +12%)
    low: float               # relative uplift interval
    high: float
    counterfactual: float    # mean fitted outcome without the programme, over the treated cells
    treated_teams: int       # teams measured (enough months before and after)
    comparison_teams: int    # teams never treated in the data
    draws: int               # bootstrap draws that gave an estimate

    @property
    def covers_zero(self) -> bool:
        return self.low <= 0.0 <= self.high


def t_quantile(p: float, df: int) -> float:
    """Student's t quantile by the Cornish-Fisher expansion around the normal (Abramowitz & Stegun
    26.7.5): within 0.5% of the exact value from 3 degrees of freedom, conservative below."""
    z = NormalDist().inv_cdf(p)
    v = max(df, 1)
    return (z + (z**3 + z) / (4 * v) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)
            + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3))


def _fit(team: np.ndarray, month: np.ndarray, y: np.ndarray, n_team: int, n_month: int,
         iterations: int = 200, tol: float = 1e-9) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """a_team + b_month by alternating means (least squares on an unbalanced panel)."""
    n_t = np.bincount(team, minlength=n_team).astype(float)
    n_m = np.bincount(month, minlength=n_month).astype(float)
    a, b = np.zeros(n_team), np.zeros(n_month)
    for _ in range(iterations):
        b_new = np.bincount(month, y - a[team], n_month) / np.maximum(n_m, 1)
        a_new = np.bincount(team, y - b_new[month], n_team) / np.maximum(n_t, 1)
        done = max(np.abs(a_new - a).max(initial=0), np.abs(b_new - b).max(initial=0)) < tol
        a, b = a_new, b_new
        if done:
            break
    return a, b, n_t, n_m


@dataclass(frozen=True)
class _Point:
    effect: float
    relative: float
    counterfactual: float
    measured: int        # teams measured


def _estimate(team: np.ndarray, month: np.ndarray, y: np.ndarray, treated: np.ndarray, n_team: int,
              n_month: int, min_before: int, min_after: int, min_comparison: int) -> _Point | None:
    """The effect over the measured teams, or None when nothing is measurable.

    Each team's outcome is first divided by its own untreated mean, so teams are compared in
    relative terms (trends parallel in percent, not in hours: a team coaching 4 hours a month
    moves more in hours than one coaching half an hour); a team with no untreated level (all
    zero, or no months before) cannot be compared and is left out."""
    control = ~treated
    level = np.bincount(team[control], y[control], n_team) / np.maximum(
        np.bincount(team[control], minlength=n_team), 1)
    keep = level[team] > 0
    team, month, y, treated, control = team[keep], month[keep], y[keep], treated[keep], control[keep]
    y_scaled = y / level[team]
    a, b, n_before, n_control = _fit(team[control], month[control], y_scaled[control], n_team, n_month)
    usable = treated & (n_before[team] >= min_before) & (n_control[month] >= min_comparison)
    if not usable.any():
        return None
    t, m = team[usable], month[usable]
    fitted = (a[t] + b[m]) * level[t]   # back in the outcome's units
    gap = y[usable] - fitted
    cells = np.bincount(t, minlength=n_team)
    measured = cells >= min_after
    if not measured.any():
        return None
    per_team_gap = np.bincount(t, gap, n_team)[measured] / cells[measured]
    per_team_base = np.bincount(t, fitted, n_team)[measured] / cells[measured]
    effect, base = float(per_team_gap.mean()), float(per_team_base.mean())
    relative = effect / base if base > 0 else np.nan
    return _Point(effect, relative, base, int(measured.sum()))


def estimate(panel: pd.DataFrame, *, min_before: int = 3, min_after: int = 3, min_comparison: int = 4,
             min_treated: int = 3, draws: int = 200, level: float = 0.90, seed: int = 0) -> Estimate | None:
    """The programme's effect on `panel.y` (columns team, month, y, treated, cohort).

    `cohort` labels each team's completion (e.g. the month, or "" for never treated in the data);
    the bootstrap resamples teams within cohorts. None when fewer than `min_treated` teams are
    measurable.
    """
    panel = panel[np.isfinite(panel["y"].to_numpy(dtype=float))]
    team_codes, teams = pd.factorize(panel["team"], sort=True)
    month_codes, months = pd.factorize(panel["month"], sort=True)
    y = panel["y"].to_numpy(dtype=float)
    treated = panel["treated"].to_numpy(dtype=bool)
    args = dict(min_before=min_before, min_after=min_after, min_comparison=min_comparison)
    point = _estimate(team_codes, month_codes, y, treated, len(teams), len(months), **args)
    if point is None:
        return None
    effect, relative, base, measured = point.effect, point.relative, point.counterfactual, point.measured
    if measured < min_treated:
        return None   # one or two teams' change is an anecdote, not an estimate
    ever = np.bincount(team_codes, treated, len(teams)) > 0
    cohort = panel.groupby(team_codes, sort=True)["cohort"].first().astype(str).to_numpy()
    order = np.argsort(team_codes, kind="stable")    # each team's rows: order[first[k]:first[k] + size[k]]
    size = np.bincount(team_codes, minlength=len(teams))
    first = np.concatenate([[0], np.cumsum(size)[:-1]])
    strata = [np.flatnonzero(cohort == c) for c in np.unique(cohort)]
    rng = np.random.default_rng(seed)
    relatives = []
    for _ in range(int(draws)):
        picked = np.concatenate([rng.choice(s, len(s), replace=True) for s in strata])
        lengths = size[picked]
        shift = np.repeat(first[picked] - (np.cumsum(lengths) - lengths), lengths)
        rows = order[shift + np.arange(int(lengths.sum()))]
        new_team = np.repeat(np.arange(len(picked)), lengths)
        got = _estimate(new_team, month_codes[rows], y[rows], treated[rows], len(picked), len(months), **args)
        if got is not None and np.isfinite(got.relative):
            relatives.append(got.relative)
    if len(relatives) < 0.5 * draws or not np.isfinite(relative):
        return None
    # normal-theory bounds on the bootstrap spread, widened for few teams: within a cohort of n
    # teams a bootstrap understates a mean's variance by (n-1)/n, so the spread is scaled back by the
    # cohorts' typical (harmonic mean) size, and the quantile is Student's t with one degree of
    # freedom per team less one per cohort
    sizes = np.array([len(s) for s in strata], dtype=float)
    typical = max(len(sizes) / float((1 / sizes).sum()), 2.0)
    spread = float(np.std(relatives, ddof=1)) * np.sqrt(typical / (typical - 1))
    half = t_quantile(0.5 + level / 2, max(int(sizes.sum() - len(sizes)), 1)) * spread
    low, high = relative - half, relative + half
    return Estimate(effect, relative, float(low), float(high), base, measured, int((~ever).sum()),
                    len(relatives))
