"""The manager-first training plan: leaders, a pilot, manager cohorts by priority, each team after its manager.

Rules (cite them on the Methodology and Training Plan sheets):

- Only people active on the as-of date are planned.
- Priority is the readiness assessment's (readiness.py): priority = leverage x (100 - readiness
  score), where leverage = the manager's team size (reps reporting to them on the as-of date) /
  the average team size, averaged half and half with the team's won revenue in the window / the
  average team's when there are sales. priority_rank 1 is the highest priority; ties go to the
  higher leverage, then the lower manager_id; a manager without a score comes last. Managers
  missing from the readiness assessment come after every ranked manager, by id.
- Wave 1: every leader (a manager of managers), in cohorts of cohort_size, so leaders back the
  program before the managers who report to them.
- Wave 2, the pilot (cohort "Pilot"): the first pilot_size front-line managers in priority order
  who are ready and willing: tier "ready" and survey answers on awareness and desire with a
  barrier_point that is neither (a manager who did not answer is not chosen: willingness
  unknown), and who do not report to another front-line manager (they must follow their boss).
  Without a readiness assessment (no tiers or survey), only the barrier rule applies. Fewer eligible
  managers make a smaller pilot; pilot_size 0 (or none eligible) means no pilot.
- The other front-line managers, in priority order, are cut into cohorts of cohort_size
  ("Managers 1", ...); cohort j (1-based) is the wave after the pilot's + (j - 1), or wave 1 + j
  without a pilot (`cohorts_per_wave` cohorts can share a wave for large organisations). A manager
  who reports to another front-line manager moves to the wave after their boss's.
- Every rep is in the wave after their own manager's (a rep reporting to a leader, the wave after
  the leaders; a rep with no manager in post, wave 2, cohort "No manager in post"), so no rep is
  ever trained before or alongside their manager.
- Dates: wave 1 starts program_start_weeks_after_as_of weeks after the as-of date, moved on to the
  next Monday; each later wave starts weeks_between_waves after the previous wave's start (moved
  on to a Monday). A rep starts rep_lag_weeks after their own manager's start (a rep with no
  manager in post, after wave 1's), moved on to a Monday. Any start in a blackout (blackouts.py:
  by default the last 2 weeks of each fiscal quarter and 20 December - 5 January) moves to the
  first Monday after it ends; later waves follow on from the moved date.
- Buy-in: a front-line manager whose barrier_point is "awareness" or "desire" gets a buy-in
  session (buy_in_session_date) on the Monday buy_in_weeks_before_training weeks before their
  training starts; when that falls in a blackout, the last Monday before it, and never before
  wave 1's start. Other people's buy_in_session_date is empty.
- Stepped-wedge comparison: a team counts as reached by the program from its manager's start, so
  comparison_until is the day before the start of the person's front-line team's manager (a
  manager's own start, a rep's manager's start; empty for leaders and reps with no manager in
  post). Until that date the team is the untreated comparison for the teams of earlier waves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from workbook.analyses import assumption_values
from workbook.analyses.blackouts import Blackouts, on_or_after_monday, on_or_before_monday
from workbook.analyses.window import active_on
from workbook.lookup import isin

ROLE_ORDER = {"leader": 0, "manager": 1, "rep": 2}
BUY_IN_BARRIERS = ("awareness", "desire")
PILOT_COHORT = "Pilot"
PLAN_COLUMNS = ["person_id", "name", "role", "manager_id", "wave", "start_date", "cohort", "manager_name",
                "priority_rank", "pilot", "barrier_point", "buy_in_session_date", "comparison_until"]
WAVE_COLUMNS = ["wave", "start_date", "leaders", "managers", "reps", "total", "pilot", "buy_in_sessions",
                "comparison_until"]
DAY = pd.Timedelta(days=1)
# The order in words, quoting readiness.py's rule: the Training Plan and Methodology sheets show it.
PRIORITY_RULE = (
    "Priority = leverage x (100 - readiness score), highest first (priority 1 is trained first). "
    "Leverage is the team's size (reps reporting to the manager on the as-of date) relative to the "
    "average team's, averaged half and half with the team's won revenue in the analysis window "
    "relative to the average team's when there are sales. Ties go to the higher leverage, then the "
    "lower manager ID; a manager without a readiness score comes last."
)
STEPPED_WEDGE = (
    "The staggered waves form a stepped-wedge comparison: until the day before its front-line "
    "managers start (the wave's 'Comparison until' date), a wave's teams have not been reached by the "
    "program and are the untreated comparison for the teams of earlier waves, so a later re-run can "
    "compare teams trained earlier with teams not yet trained over the same weeks (coaching hours, "
    "attainment, attrition). The order follows priority, not chance, so compare each team's change "
    "from before its start rather than levels between teams."
)


def pilot_rule(pilot_size: int) -> str:
    """The pilot's selection rule in words."""
    if pilot_size <= 0:
        return "There is no pilot (pilot size 0): the first manager cohort follows the leaders."
    return (f"The pilot is the first {pilot_size} front-line managers in priority order who are rated "
            "ready and whose survey shows they see the need for the change and want it (ADKAR barrier "
            "point neither awareness nor desire; a manager who did not answer is not chosen, since "
            "their willingness is unknown), and who do not report to another front-line manager; it "
            "trains alone, after the leaders and before the other cohorts, to test the program with "
            "managers able and willing to lead it.")


def program_start(as_of: dt.date | pd.Timestamp, weeks_after: float) -> pd.Timestamp:
    """as_of + weeks, moved on to a Monday (kept when it already is one)."""
    return on_or_after_monday(pd.Timestamp(as_of).normalize() + pd.Timedelta(weeks=float(weeks_after)))


def wave_starts(n_waves: int, as_of: dt.date | pd.Timestamp, assumptions: Mapping[str, Any] | Any
                ) -> dict[int, pd.Timestamp]:
    """wave -> start date, for waves 1..n_waves: each weeks_between_waves after the one before,
    on a Monday, never in a blackout (a moved wave moves the ones after it)."""
    a = assumption_values(assumptions)
    blackouts = Blackouts.from_assumptions(a)
    gap = pd.Timedelta(days=7 * float(a["weeks_between_waves"]))
    day = blackouts.after(program_start(as_of, float(a["program_start_weeks_after_as_of"])))
    starts = {1: day}
    for k in range(2, max(1, n_waves) + 1):
        day = blackouts.after(on_or_after_monday(day + gap))
        starts[k] = day
    return starts


def plan_training(people: pd.DataFrame, readiness: pd.DataFrame | None, as_of: dt.date | pd.Timestamp,
                  assumptions: Mapping[str, Any] | Any, *, cohorts_per_wave: int = 1) -> pd.DataFrame:
    """One row per active person with their wave (1 = first), cohort, start date, buy-in session
    and comparison window (the rules are in the module docstring).

    `readiness` is `assess_readiness(...)` (manager_id, priority_rank, barrier_point); None or
    empty orders managers by id with no buy-in barriers. Output sorted by wave, role (leaders,
    managers, reps), training order and person_id.
    """
    a = assumption_values(assumptions)
    cohort_size = max(1, int(a["cohort_size"]))
    pilot_size = max(0, int(a.get("pilot_size", 3)))
    cohorts_per_wave = max(1, int(cohorts_per_wave))
    as_of_ts = pd.Timestamp(as_of).normalize()
    staff = people[active_on(people, as_of_ts).to_numpy(dtype=bool)]
    ids = pd.Index(staff.index.astype("object"))
    role = pd.Series(staff["role"].astype("object").to_numpy(), index=ids).fillna("rep")
    boss = pd.Series(staff["manager_id"].astype("object").to_numpy(), index=ids)
    boss = boss.where(isin(boss, ids))  # a manager who has left: treated as no manager
    names = pd.Series(staff["name"].astype("object").to_numpy(), index=ids)

    wave = pd.Series(0, index=ids, dtype=int)
    cohort = pd.Series("", index=ids, dtype=object)
    order = pd.Series(np.nan, index=ids, dtype=float)  # position in the training order, for sorting
    managers = ids[(role == "manager").to_numpy()]
    rank, barrier, pilot_ok = _manager_facts(readiness, managers, ids)

    # managers: priority order; the pilot first, the others cut into cohorts
    m = pd.DataFrame({"id": managers.astype(str), "rank": rank.loc[managers].to_numpy()}, index=managers)
    m = m.sort_values(["rank", "id"], na_position="last")
    blocked = barrier.loc[m.index].isin(BUY_IN_BARRIERS).to_numpy()
    eligible = (~blocked & pilot_ok.loc[m.index].to_numpy()
                & ~boss.loc[m.index].isin(managers).to_numpy())  # under a manager: after the boss
    pilot = m.index[eligible][:pilot_size]
    rest = m.index[~m.index.isin(pilot)]
    wave.loc[pilot] = 2
    cohort.loc[pilot] = PILOT_COHORT
    rest_cohort = np.arange(len(rest)) // cohort_size
    wave.loc[rest] = (3 if len(pilot) else 2) + rest_cohort // cohorts_per_wave
    cohort.loc[rest] = [f"Managers {c + 1}" for c in rest_cohort]
    trained = pilot.append(rest)
    order.loc[trained] = np.arange(len(trained))

    # leaders: wave 1, ordered by the first of their managers to be trained
    leaders = ids[(role == "leader").to_numpy()]
    first = order.loc[trained].groupby(boss.loc[trained].to_numpy()).min()
    lead = pd.DataFrame({"id": leaders.astype(str), "first": first.reindex(leaders).to_numpy()},
                        index=leaders).sort_values(["first", "id"], na_position="last")
    wave.loc[lead.index] = 1
    cohort.loc[lead.index] = [f"Leaders {i // cohort_size + 1}" for i in range(len(lead))]
    order.loc[lead.index] = np.arange(len(lead))

    # a front-line manager under another front-line manager goes after their boss
    for _ in range(len(m)):
        boss_wave = wave.reindex(boss.loc[m.index].to_numpy()).fillna(0).to_numpy(dtype=int)
        late = boss_wave >= wave.loc[m.index].to_numpy()
        if not late.any():
            break
        wave.loc[m.index[late]] = boss_wave[late] + 1

    # reps (and anyone else): the wave after their own manager's
    others = ids[~role.isin(["leader", "manager"]).to_numpy()]
    their_boss = boss.loc[others]
    leads_team = their_boss.isin(leaders.append(managers)).to_numpy()
    boss_wave = wave.reindex(their_boss.to_numpy()).to_numpy(dtype=float)
    wave.loc[others] = np.where(leads_team, boss_wave, 1).astype(int) + 1
    boss_order = order.reindex(their_boss.to_numpy()).to_numpy()
    order.loc[others] = np.where(np.isnan(boss_order), np.inf, boss_order)
    boss_names = names.reindex(their_boss.to_numpy()).to_numpy()
    cohort.loc[others] = np.where(pd.isna(boss_names), "No manager in post",
                                  "Team of " + pd.Series(boss_names, dtype=object).fillna("").astype(str))

    start, buy_in, until = _dates(a, as_of_ts, wave, role, boss, others[leads_team], others[~leads_team],
                                  managers[barrier.loc[managers].isin(BUY_IN_BARRIERS).to_numpy()])
    plan = pd.DataFrame({
        "person_id": ids.to_numpy(dtype=object),
        "name": names.to_numpy(),
        "role": role.to_numpy(),
        "manager_id": boss.to_numpy(),
        "wave": wave.to_numpy(dtype=int),
        "start_date": start.to_numpy(),
        "cohort": cohort.to_numpy(),
        "manager_name": names.reindex(boss.to_numpy()).to_numpy(),
        "priority_rank": rank.to_numpy(),
        "pilot": ids.isin(pilot),
        "barrier_point": barrier.to_numpy(),
        "buy_in_session_date": buy_in.to_numpy(),
        "comparison_until": until.to_numpy(),
    })
    plan["priority_rank"] = plan["priority_rank"].astype("Int64")
    plan["_role"] = plan["role"].map(ROLE_ORDER).fillna(3)
    plan["_order"] = order.to_numpy()
    plan["_id"] = plan["person_id"].astype(str)
    plan = plan.sort_values(["wave", "_role", "_order", "_id"], kind="mergesort")
    return plan[PLAN_COLUMNS].reset_index(drop=True)


def _manager_facts(readiness: pd.DataFrame | None, managers: pd.Index, ids: pd.Index
                   ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Each person's priority_rank (NaN but for ranked managers), ADKAR barrier point ('' when none)
    and whether they may join the pilot (ready and willing, see pilot_rule)."""
    rank = pd.Series(np.nan, index=ids, dtype=float)
    barrier = pd.Series("", index=ids, dtype=object)
    pilot_ok = pd.Series(True, index=ids, dtype=bool)
    if readiness is None or readiness.empty or "manager_id" not in readiness.columns:
        return rank, barrier, pilot_ok
    given = readiness.assign(_key=readiness["manager_id"].astype("object")).drop_duplicates("_key")
    given = given.set_index("_key")
    if "tier" in given.columns:
        ready = given["tier"].astype("object").eq("ready").reindex(managers).fillna(False)
        pilot_ok.loc[managers] = ready.to_numpy(dtype=bool)
    answers = [c for c in ("adkar_awareness", "adkar_desire") if c in given.columns]
    if answers:   # willingness must be known: a manager who did not answer the survey is not chosen
        answered = given[answers].apply(pd.to_numeric, errors="coerce").notna().all(axis=1)
        pilot_ok.loc[managers] &= answered.reindex(managers).fillna(False).to_numpy(dtype=bool)
    if "priority_rank" in given.columns:
        rank.loc[managers] = pd.to_numeric(given["priority_rank"], errors="coerce").reindex(managers).to_numpy()
    if "barrier_point" in given.columns:
        points = given["barrier_point"].astype("object").where(given["barrier_point"].notna(), "")
        barrier.loc[managers] = points.astype(str).str.strip().str.lower().reindex(managers).fillna("").to_numpy()
    return rank, barrier, pilot_ok


def _dates(a: dict[str, Any], as_of: pd.Timestamp, wave: pd.Series, role: pd.Series, boss: pd.Series,
           team_reps: pd.Index, lone_reps: pd.Index, buy_in_managers: pd.Index
           ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Start dates, buy-in session dates and comparison windows, per person."""
    blackouts = Blackouts.from_assumptions(a)
    leads = role.isin(["leader", "manager"]).to_numpy()
    starts = wave_starts(int(wave[leads].max()) if leads.any() else 1, as_of, a)
    start = pd.Series(pd.NaT, index=wave.index, dtype="datetime64[ns]")
    start[leads] = wave[leads].map(starts).to_numpy(dtype="datetime64[ns]")
    lag = pd.Timedelta(days=7 * float(a.get("rep_lag_weeks", 4)))
    after = pd.Series(start.reindex(boss.loc[team_reps].to_numpy()).to_numpy(), index=team_reps)
    after = pd.concat([after, pd.Series(starts[1], index=lone_reps)])
    moved = {day: blackouts.after(on_or_after_monday(day + lag)) for day in set(after)}
    start.loc[after.index] = after.map(moved).to_numpy(dtype="datetime64[ns]")

    buy_in = pd.Series(pd.NaT, index=wave.index, dtype="datetime64[ns]")
    before = pd.Timedelta(days=7 * float(a.get("buy_in_weeks_before_training", 2)))
    for person in buy_in_managers:
        day = blackouts.before(on_or_before_monday(start[person] - before))
        buy_in[person] = max(day, starts[1])

    until = pd.Series(pd.NaT, index=wave.index, dtype="datetime64[ns]")
    is_manager = (role == "manager").to_numpy()
    until[is_manager] = start[is_manager] - DAY
    until.loc[team_reps] = start.reindex(boss.loc[team_reps].to_numpy()).to_numpy() - DAY
    return start, buy_in, until


def _flags(values: pd.Series) -> pd.Series:
    """A yes/no column as read back from a results CSV (True, "True", "yes", 1)."""
    if values.dtype == bool:
        return values
    text = values.astype("object").where(values.notna(), "").astype(str).str.strip().str.lower()
    return text.isin(["true", "1", "1.0", "yes"])


def wave_summary(plan: pd.DataFrame) -> pd.DataFrame:
    """One row per wave: its first start date, how many leaders, managers and reps it trains,
    whether it is the pilot, its buy-in sessions, and until when its teams are the untreated
    comparison (the day before its front-line managers start; empty without any)."""
    if plan.empty:
        return pd.DataFrame(columns=WAVE_COLUMNS)
    counts = pd.crosstab(plan["wave"], plan["role"]).reindex(columns=["leader", "manager", "rep"], fill_value=0)
    starts = pd.to_datetime(plan["start_date"], errors="coerce")
    summary = pd.DataFrame({
        "wave": counts.index.astype(int),
        "start_date": starts.groupby(plan["wave"]).min().reindex(counts.index).to_numpy(),
        "leaders": counts["leader"].to_numpy(),
        "managers": counts["manager"].to_numpy(),
        "reps": counts["rep"].to_numpy(),
    })
    summary["total"] = plan.groupby("wave").size().reindex(counts.index).to_numpy()
    if "pilot" in plan.columns:
        pilot = _flags(plan["pilot"])
    else:
        pilot = plan.get("cohort", pd.Series("", index=plan.index)).astype(str).eq(PILOT_COHORT)
    summary["pilot"] = pilot.groupby(plan["wave"]).any().reindex(counts.index, fill_value=False).to_numpy()
    buy_in = pd.to_datetime(plan.get("buy_in_session_date", pd.Series(pd.NaT, index=plan.index)),
                            errors="coerce")
    summary["buy_in_sessions"] = buy_in.notna().groupby(plan["wave"]).sum().reindex(counts.index).to_numpy(
        dtype=int)
    is_manager = plan["role"].astype(str).eq("manager")
    first_manager = starts[is_manager].groupby(plan.loc[is_manager, "wave"]).min()
    summary["comparison_until"] = (first_manager - DAY).reindex(counts.index).to_numpy(dtype="datetime64[ns]")
    return summary[WAVE_COLUMNS].reset_index(drop=True)
