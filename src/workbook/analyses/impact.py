"""Did it work here? Programme impact measured from the client's own data on every re-run.

Who was trained when comes from the training table: each front-line manager's completion of the
manager (coaching) programme (`programme_events`), planned waves standing in, marked "planned",
for managers who have not completed. Each team (a manager and the reps who report to them in the
roster) is followed month by month (`monthly_panel`): coaching hours per rep per month and the core
performers' attainment (won revenue over quota, per month). The months from the completion month
through the ramp (`impact_ramp_months`) are left out; the months after are "trained".

Across teams the effect is a difference-in-differences of trained against not-yet-trained teams
(`did.estimate`: the stepped-wedge comparison staggered waves create), stated as "consistent with
an uplift of X-Y%". Per manager, matched windows before and after completion (`by_manager`) show
coaching, coverage, core attainment and attrition, descriptively. When nothing can be measured yet
the result says what data, and how many more months, it needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbook.analyses import not_assessed
from workbook.analyses.did import Estimate, estimate
from workbook.analyses.readiness_pillars import completion_credit, detect_programs, normalised
from workbook.lookup import isin, positions

OUTCOMES = {"coaching": "Coaching hours per rep per month", "attainment": "Core performers' attainment"}
# every assumption the estimate reads (the core band sets who the core performers are)
IMPACT_INPUTS = ("impact_ramp_months", "impact_window_months", "impact_min_months", "impact_bootstrap_draws",
                 "impact_interval_level", "default_coaching_minutes", "core_band_low_pct", "core_band_high_pct",
                 "analysis_window_months")
TRAINED_TEAMS = 3   # trained teams measured before an effect is stated (fewer are anecdotes)
COMPARISON_TEAMS = 4   # untrained teams a month needs before its trained teams' effect is imputed
EVENT_COLUMNS = ["person_id", "name", "role", "manager_id", "completed_date", "status", "planned_start"]


@dataclass
class Impact:
    events: pd.DataFrame                  # impact_events.csv: who completed (or is planned) when
    by_manager: pd.DataFrame | None       # impact_by_manager.csv: matched before/after windows
    panel: pd.DataFrame | None            # impact_panel.csv: team x month outcomes, the chart's data
    estimates: pd.DataFrame | None        # impact.csv: one row per outcome, effect and interval
    by_cohort: pd.DataFrame | None = None  # impact_by_cohort.csv: each completion month's teams, before/after
    status: str = ""                      # why nothing is measured yet ("" when measured)
    needs: list[str] = field(default_factory=list)   # what data would make it measurable

    @property
    def measured(self) -> bool:
        return self.estimates is not None and self.estimates["measured"].any()


def programme_events(people: pd.DataFrame, training: pd.DataFrame | None, plan: pd.DataFrame | None = None,
                     coaching_programs=None) -> pd.DataFrame:
    """Front-line managers and reps with their programme completion: the manager programme for
    managers, the reps' sales programme for reps; a planned start from the plan where none."""
    staff = people[people["role"].isin(["manager", "rep"])]
    out = pd.DataFrame({"person_id": staff.index, "name": staff["name"].to_numpy(),
                        "role": staff["role"].to_numpy(),
                        "manager_id": staff["manager_id"].to_numpy()}).set_index("person_id", drop=False)
    out["completed_date"] = pd.NaT
    if training is not None and not training.empty and "completed_date" in training.columns:
        reps = pd.Index(staff.index[staff["role"] == "rep"].astype("object"))
        sales_program, coaching = detect_programs(training, reps, coaching_programs=coaching_programs)
        rows = pd.DataFrame({"person": training["person_id"].astype("object").to_numpy(),
                             "program": normalised(training["program"]).to_numpy(),
                             "done": completion_credit(training).to_numpy() >= 1,
                             "date": pd.to_datetime(training["completed_date"], errors="coerce").to_numpy()})
        rows = rows[rows["done"] & rows["date"].notna()]
        for role, programs in (("manager", coaching), ("rep", [sales_program] if sales_program else [])):
            first = rows[rows["program"].isin(programs)].groupby("person")["date"].min()
            who = out["role"].eq(role)
            out.loc[who, "completed_date"] = first.reindex(out.index[who]).to_numpy()
    out["completed_date"] = pd.to_datetime(out["completed_date"])
    out["status"] = np.where(out["completed_date"].notna(), "completed", "not started")
    out["planned_start"] = pd.NaT
    return with_planned_starts(out[EVENT_COLUMNS].reset_index(drop=True), plan)


def with_planned_starts(events: pd.DataFrame, plan: pd.DataFrame | None) -> pd.DataFrame:
    """The events with each person who has not completed given their start from the training plan
    (status "planned"); a person who completed keeps no planned start."""
    if plan is None or plan.empty:
        return events
    events = events.copy()
    open_ = events["completed_date"].isna().to_numpy()
    planned = pd.to_datetime(plan.set_index("person_id")["start_date"], errors="coerce")
    events["planned_start"] = planned.reindex(events["person_id"]).where(open_).to_numpy()
    events.loc[open_ & events["planned_start"].notna().to_numpy(), "status"] = "planned"
    return events


def _months(start: pd.Timestamp, end: pd.Timestamp) -> pd.PeriodIndex:
    """Whole calendar months from `start` to `end` (a month counts when the data reaches its last day)."""
    first = start.to_period("M") if start.day == 1 else start.to_period("M") + 1
    last = end.to_period("M") if (end + pd.Timedelta(days=1)).day == 1 else end.to_period("M") - 1
    return pd.period_range(first, last, freq="M") if first <= last else pd.PeriodIndex([], freq="M")


def _rep_months(reps: pd.DataFrame, months: pd.PeriodIndex) -> np.ndarray:
    """Fraction of each month each rep was employed: reps x months."""
    starts = months.start_time.to_numpy()
    ends = (months.end_time.normalize()).to_numpy()
    hire = pd.to_datetime(reps.get("hire_date"), errors="coerce").to_numpy() if "hire_date" in reps \
        else np.full(len(reps), np.datetime64("NaT"))
    term = pd.to_datetime(reps.get("termination_date"), errors="coerce").to_numpy() \
        if "termination_date" in reps else np.full(len(reps), np.datetime64("NaT"))
    lo = np.maximum(starts[None, :], np.where(np.isnat(hire), starts.min(), hire)[:, None])
    hi = np.minimum(ends[None, :], np.where(np.isnat(term), ends.max(), term)[:, None])
    days = (hi - lo).astype("timedelta64[D]").astype(float) + 1
    return np.clip(days, 0, None) / months.days_in_month.to_numpy()[None, :]


@dataclass
class _Teams:
    """Front-line managers' teams over whole months: the reps, each rep's team and months employed."""
    managers: pd.Index
    reps: pd.DataFrame
    months: pd.PeriodIndex
    team_of_rep: np.ndarray      # each rep's position in `managers`
    exposure: np.ndarray         # reps x months: fraction of each month employed

    def by_team(self, values: np.ndarray) -> np.ndarray:
        """reps x months -> teams x months (sums)."""
        n_team, n_month = len(self.managers), len(self.months)
        if not len(self.reps):
            return np.zeros((n_team, n_month))
        return np.vstack([np.bincount(self.team_of_rep, values[:, m], n_team) for m in range(n_month)]).T


def monthly_panel(people: pd.DataFrame, coaching: pd.DataFrame | None, sales: pd.DataFrame | None,
                  tiers: pd.Series, as_of: pd.Timestamp, default_minutes: float,
                  max_months: int = 24) -> pd.DataFrame:
    """Team x month: rep-months, coaching hours per rep, core attainment, coverage (share of the
    team's reps coached by their manager that month) and voluntary leavers (NaN where unmeasured)."""
    columns = ["team", "month", "rep_months", "hours_per_rep", "core_attainment", "coverage", "leavers"]
    dates = [pd.to_datetime(t["date"]).min() for t in (coaching, sales) if t is not None and not t.empty]
    if not dates:
        return pd.DataFrame(columns=columns)
    months = _months(max(min(dates), as_of - pd.DateOffset(months=max_months)), as_of)
    managers = pd.Index(people.index[people["role"] == "manager"])
    reps = people[(people["role"] == "rep").to_numpy() & isin(people["manager_id"], managers)]
    teams = _Teams(managers, reps, months, positions(reps["manager_id"], managers), _rep_months(reps, months))
    rep_months = teams.by_team(teams.exposure)
    hours, coverage = _coaching(teams, coaching, default_minutes)
    return pd.DataFrame({"team": np.repeat(np.asarray(managers, dtype=object), len(months)),
                         "month": np.tile(months.astype(str), len(managers)),
                         "rep_months": rep_months.ravel(),
                         "hours_per_rep": np.where(rep_months >= 0.5, hours / np.maximum(rep_months, 1e-9),
                                                   np.nan).ravel(),
                         "core_attainment": _core_attainment(teams, sales, tiers).ravel(),
                         "coverage": coverage.ravel(),
                         "leavers": teams.by_team(_left_in_month(reps, months)).ravel()})[columns]


def _coaching(teams: _Teams, coaching: pd.DataFrame | None, default_minutes: float
              ) -> tuple[np.ndarray, np.ndarray]:
    """Teams x months: the manager's coaching hours, and the share of the team's reps they coached."""
    shape = (len(teams.managers), len(teams.months))
    if coaching is None:
        return np.full(shape, np.nan), np.full(shape, np.nan)
    m = _month_positions(coaching["date"], teams.months)
    t = positions(coaching["manager_id"], teams.managers)
    minutes = pd.to_numeric(coaching["minutes"], errors="coerce") if "minutes" in coaching \
        else pd.Series(np.nan, index=coaching.index)
    ok = (m >= 0) & (t >= 0)
    hours = _summed(shape, t[ok], m[ok], minutes.fillna(default_minutes).to_numpy(dtype=float)[ok] / 60)
    r = positions(coaching["rep_id"], teams.reps.index)
    own = ok & (r >= 0)
    own[own] = teams.team_of_rep[r[own]] == t[own]    # coached by their own manager
    coached = np.zeros(teams.exposure.shape, dtype=bool)
    coached[r[own], m[own]] = True
    employed = teams.exposure > 0
    present = teams.by_team(employed.astype(float))
    covered = teams.by_team((coached & employed).astype(float))
    return hours, np.where(present > 0, covered / np.maximum(present, 1), np.nan)


def _core_attainment(teams: _Teams, sales: pd.DataFrame | None, tiers: pd.Series) -> np.ndarray:
    """Teams x months: the core reps' won revenue over their monthly quota (revenue per core
    rep-month without quotas; the uplift reads the same)."""
    reps = teams.reps
    core = tiers.reindex(reps.index).eq("core").fillna(False).to_numpy(dtype=bool)
    if sales is None or not core.any():
        return np.full((len(teams.managers), len(teams.months)), np.nan)
    won = sales["stage"].fillna("won").eq("won").to_numpy(dtype=bool) if "stage" in sales.columns \
        else np.ones(len(sales), dtype=bool)   # a mask: no copy of a 5-million-deal table
    m = _month_positions(sales["date"], teams.months)
    r = positions(sales["rep_id"], reps.index)
    ok = won & (m >= 0) & (r >= 0)
    revenue = _summed(teams.exposure.shape, r[ok], m[ok], sales["amount"].to_numpy(dtype=float)[ok])
    quota = pd.to_numeric(reps["annual_quota"], errors="coerce").to_numpy(dtype=float) / 12 \
        if "annual_quota" in reps else np.full(len(reps), np.nan)
    if not np.isfinite(quota[core]).any():
        quota = np.ones(len(reps))
    weight = np.where(core & np.isfinite(quota), 1.0, 0.0)
    expected = teams.by_team(teams.exposure * (np.nan_to_num(quota) * weight)[:, None])
    got = teams.by_team(revenue * weight[:, None])
    return np.where(expected > 0, got / np.where(expected > 0, expected, 1), np.nan)


def _month_positions(dates: pd.Series, months: pd.PeriodIndex) -> np.ndarray:
    """Each date's position in the consecutive `months` (-1 outside them, or no date): calendar
    arithmetic on the dates' months, not a lookup of millions of Periods."""
    values = pd.to_datetime(dates).to_numpy(dtype="datetime64[ns]")
    if not len(months):
        return np.full(len(values), -1)
    at = values.astype("datetime64[M]").astype(np.int64) - months[0].ordinal
    return np.where(np.isnat(values) | (at < 0) | (at >= len(months)), -1, at)


def _summed(shape: tuple[int, int], rows: np.ndarray, cols: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """A rows x cols grid of `weights` summed per cell (np.add.at, in one bincount)."""
    flat = np.bincount(rows * shape[1] + cols, weights=weights, minlength=shape[0] * shape[1])
    return flat[: shape[0] * shape[1]].reshape(shape)


def _left_in_month(reps: pd.DataFrame, months: pd.PeriodIndex) -> np.ndarray:
    """reps x months: 1 in the month a rep left voluntarily (any leaving when the roster does not
    say why), else 0."""
    out = np.zeros((len(reps), len(months)))
    if "termination_date" not in reps:
        return out
    left = pd.to_datetime(reps["termination_date"], errors="coerce")
    if "termination_type" in reps and reps["termination_type"].notna().any():
        left = left.where(reps["termination_type"].astype("string").eq("voluntary").fillna(False).to_numpy())
    at = pd.Index(months).get_indexer(left.dt.to_period("M"))
    hit = at >= 0
    out[np.flatnonzero(hit), at[hit]] = 1.0
    return out


def _mark(panel: pd.DataFrame, events: pd.DataFrame, ramp: int) -> pd.DataFrame:
    """Each cell's phase: before, ramp (left out) or after its manager's completion."""
    done = events[events["role"].eq("manager")].set_index("person_id")["completed_date"]
    completed = pd.to_datetime(done.reindex(panel["team"]).to_numpy())
    codes, labels = pd.factorize(panel["month"])   # each distinct month parsed once
    month = pd.PeriodIndex(labels, freq="M")[codes]
    completed_month = completed.to_period("M")
    never = completed_month.isna()
    since = np.where(never, -1, month.asi8 - completed_month.asi8)   # whole months since completion
    panel = panel.copy()
    panel["phase"] = np.select([since < 0, since <= ramp], ["before", "ramp"], "after")
    codes, months = pd.factorize(completed_month)   # a label per distinct month, not per cell; -1: never
    panel["cohort"] = np.append(np.asarray(months.astype(str), dtype=object), "not trained")[codes]
    return panel


def by_manager(panel: pd.DataFrame, events: pd.DataFrame, window: int) -> pd.DataFrame:
    """Per manager with a completion: matched windows (the same number of whole months, at most
    `window`) before the completion month and after the ramp; the outcomes' means in each."""
    managers = events[events["role"].eq("manager") & events["status"].eq("completed")].set_index("person_id")
    cells = panel[panel["team"].isin(managers.index)].sort_values(["team", "month"], kind="stable")
    before = cells[cells["phase"].eq("before")]
    after = cells[cells["phase"].eq("after")]
    span = pd.concat([before.groupby("team").size().rename("before"), after.groupby("team").size().rename("after")],
                     axis=1).reindex(managers.index).fillna(0).min(axis=1).clip(upper=window).astype(int)
    # the last `span` months before (counted back from the completion) and the first `span` after
    before = before[before.groupby("team").cumcount(ascending=False).to_numpy() < span.reindex(before["team"]).to_numpy()]
    after = after[after.groupby("team").cumcount().to_numpy() < span.reindex(after["team"]).to_numpy()]
    out = pd.DataFrame({"manager_id": managers.index, "manager_name": managers["name"].to_numpy(),
                        "completed_date": managers["completed_date"].to_numpy(),
                        "status": managers["status"].to_numpy(), "months_each_side": span.to_numpy()})
    for column in ("hours_per_rep", "coverage", "core_attainment"):
        out[f"{column}_before"] = before.groupby("team")[column].mean().reindex(managers.index).to_numpy()
        out[f"{column}_after"] = after.groupby("team")[column].mean().reindex(managers.index).to_numpy()
    for side, cells in (("before", before), ("after", after)):   # voluntary leavers per rep-year
        sums = cells.groupby("team")[["leavers", "rep_months"]].sum().reindex(managers.index)
        out[f"attrition_{side}"] = (12 * sums["leavers"] / sums["rep_months"].where(sums["rep_months"] > 0)).to_numpy()
    return out.sort_values("manager_id", kind="stable").reset_index(drop=True)


def assess_impact(people: pd.DataFrame, tables: dict[str, pd.DataFrame], as_of, values: dict,
                  tiers: pd.Series, plan: pd.DataFrame | None = None) -> Impact:
    """The programme's measured impact, or what it needs before it can be measured."""
    training = tables.get("training")
    events = programme_events(people, training, plan)
    if training is None:
        return Impact(events, None, None, None, None, not_assessed("training"),
                      ["the LMS export with each manager's completion date of the manager programme"])
    ramp, window = int(values["impact_ramp_months"]), int(values["impact_window_months"])
    min_months = int(values["impact_min_months"])
    panel = _mark(monthly_panel(people, tables.get("coaching"), tables.get("sales"), tiers,
                                pd.Timestamp(as_of), float(values["default_coaching_minutes"])), events, ramp)
    managers = events[events["role"].eq("manager")]
    completed = managers["completed_date"].dropna()
    if completed.empty:
        return Impact(events, None, panel, None, None,
                      "not measured yet — no front-line manager has completed the manager programme",
                      [f"completion dates in the training table, then {ramp + min_months} months of "
                       "coaching and sales data after the first completions"])
    per_manager = by_manager(panel, events, window)
    rows = []
    for key, column in (("coaching", "hours_per_rep"), ("attainment", "core_attainment")):
        cells = panel[panel["phase"] != "ramp"].rename(columns={column: "y"})
        cells = cells.assign(treated=cells["phase"].eq("after"))
        got: Estimate | None = estimate(cells[["team", "month", "y", "treated", "cohort"]],
                                        min_before=min_months, min_after=min_months,
                                        min_comparison=COMPARISON_TEAMS, min_treated=TRAINED_TEAMS,
                                        draws=int(values["impact_bootstrap_draws"]),
                                        level=float(values["impact_interval_level"]))
        rows.append(_estimate_row(key, got, float(values["impact_interval_level"])))
    estimates = pd.DataFrame(rows)
    status, needs = "", []
    if not estimates["measured"].any():
        status, needs = _not_measured(panel, completed, pd.Timestamp(as_of), ramp, min_months)
    return Impact(events, per_manager, panel, estimates, by_cohort(per_manager), status, needs)


def _not_measured(panel: pd.DataFrame, completed: pd.Series, as_of: pd.Timestamp, ramp: int,
                  min_months: int) -> tuple[str, list[str]]:
    """Why no team could be measured, and what would change that: more months after the
    completions, completions with months of data before them, or teams still untrained then."""
    first = completed.min()
    status = (f"not measured yet — the first managers completed on {first:%Y-%m-%d}; each team needs "
              f"{min_months} whole months before and after a {ramp}-month ramp, in months when at least "
              f"{COMPARISON_TEAMS} teams are not yet trained, and at least {TRAINED_TEAMS} teams must be measured")
    needs = []
    latest = completed.max()
    ready = (latest.to_period("M") + ramp + min_months).end_time.normalize()
    if as_of < ready:
        needs.append(f"coaching and sales data through {ready:%Y-%m-%d} (the latest completion, "
                     f"{latest:%Y-%m-%d}, plus the ramp and {min_months} months)")
    before = panel[panel["phase"].eq("before") & panel["cohort"].ne("not trained")].groupby("team").size()
    if not (before >= min_months).any():
        needs.append(f"completions with at least {min_months} months of data before them (every "
                     "completion so far is before, or too close to, the start of the data)")
    untrained = panel[panel["phase"].eq("before")].groupby("month")["team"].nunique()
    after_months = panel.loc[panel["phase"].eq("after"), "month"].unique()
    short = untrained.reindex(after_months).fillna(0)
    if len(short) and (short < COMPARISON_TEAMS).all():
        needs.append(f"at least {COMPARISON_TEAMS} teams not yet trained in the months after the completions "
                     f"(at most {int(short.max())} so far): keep later waves untrained until then, or add teams")
    return status, needs or [f"at least {TRAINED_TEAMS} trained teams with {min_months} months before and after "
                             "their completion"]


def by_cohort(per_manager: pd.DataFrame) -> pd.DataFrame:
    """Managers grouped by completion month (a wave, in practice): how many, and the mean of their
    matched before/after windows (managers with a window on both sides only)."""
    columns = ["cohort", "managers", "months_each_side", "hours_per_rep_before", "hours_per_rep_after",
               "core_attainment_before", "core_attainment_after"]
    if per_manager is None or per_manager.empty:
        return pd.DataFrame(columns=columns)
    windowed = per_manager[per_manager["months_each_side"] > 0].copy()
    windowed["cohort"] = pd.to_datetime(windowed["completed_date"]).dt.strftime("%Y-%m")
    grouped = windowed.groupby("cohort", sort=True)
    out = grouped[columns[3:]].mean()
    out.insert(0, "months_each_side", grouped["months_each_side"].mean())
    out.insert(0, "managers", grouped.size())
    return out.reset_index()[columns]


def _estimate_row(key: str, got: Estimate | None, level: float) -> dict:
    row = {"outcome": key, "measure": OUTCOMES[key], "measured": got is not None,
           "effect": np.nan, "uplift": np.nan, "uplift_low": np.nan, "uplift_high": np.nan,
           "counterfactual": np.nan, "trained_teams": 0, "comparison_teams": 0, "level": level}
    if got is not None:
        row.update(effect=got.effect, uplift=got.relative, uplift_low=got.low, uplift_high=got.high,
                   counterfactual=got.counterfactual, trained_teams=got.treated_teams,
                   comparison_teams=got.comparison_teams)
    return row
