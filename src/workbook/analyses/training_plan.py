"""The manager-first training plan: leaders, then manager cohorts by priority, each team after its manager.

Rules (cite them on the Methodology sheet):

- Only people active on the as-of date are planned.
- Wave 1: every leader (a manager of managers), in cohorts of cohort_size,
  so leaders back the program before the managers who report to them.
- Front-line managers, ordered by priority_rank from the readiness
  assessment (1 = train first; managers missing from it come last, by id),
  are cut into cohorts of cohort_size; cohort j (1-based) is wave 1 + j
  (`cohorts_per_wave` cohorts can share a wave for large organisations).
  A manager who reports to another front-line manager moves to the wave
  after their boss's.
- Every rep is in the wave after their own manager's (a rep reporting to a
  leader, the wave after the leaders; a rep with no manager in post, wave
  2, cohort "No manager in post"), so no
  rep is ever trained before or alongside their manager.
- Dates: the program starts program_start_weeks_after_as_of weeks after the
  as-of date, moved on to the next Monday; wave k starts
  (k - 1) x weeks_between_waves weeks later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from workbook.analyses import assumption_values
from workbook.analyses.window import active_on

ROLE_ORDER = {"leader": 0, "manager": 1, "rep": 2}
PLAN_COLUMNS = ["person_id", "name", "role", "manager_id", "wave", "start_date", "cohort", "manager_name",
                "priority_rank"]


def program_start(as_of: dt.date | pd.Timestamp, weeks_after: float) -> pd.Timestamp:
    """as_of + weeks, moved on to a Monday (kept when it already is one)."""
    day = pd.Timestamp(as_of).normalize() + pd.Timedelta(weeks=float(weeks_after))
    return day + pd.Timedelta(days=(7 - day.weekday()) % 7)


def plan_training(people: pd.DataFrame, readiness: pd.DataFrame | None, as_of: dt.date | pd.Timestamp,
                  assumptions: Mapping[str, Any] | Any, *, cohorts_per_wave: int = 1) -> pd.DataFrame:
    """One row per active person with their wave (1 = first), cohort and start date.

    `readiness` is `assess_readiness(...)` (manager_id, priority_rank); None or
    empty orders managers by id. Output sorted by wave, role (leaders,
    managers, reps), cohort order and person_id.
    """
    a = assumption_values(assumptions)
    cohort_size = max(1, int(a["cohort_size"]))
    cohorts_per_wave = max(1, int(cohorts_per_wave))
    as_of_ts = pd.Timestamp(as_of).normalize()
    staff = people[active_on(people, as_of_ts).to_numpy(dtype=bool)]
    ids = pd.Index(staff.index.astype("object"))
    role = pd.Series(staff["role"].astype("object").to_numpy(), index=ids).fillna("rep")
    boss = pd.Series(staff["manager_id"].astype("object").to_numpy(), index=ids)
    boss = boss.where(boss.isin(ids))  # a manager who has left: treated as no manager
    names = pd.Series(staff["name"].astype("object").to_numpy(), index=ids)

    wave = pd.Series(0, index=ids, dtype=int)
    cohort = pd.Series("", index=ids, dtype=object)
    rank = pd.Series(np.nan, index=ids, dtype=float)
    order = pd.Series(np.nan, index=ids, dtype=float)  # position within the wave, for sorting

    # managers: priority order, then cut into cohorts
    managers = ids[(role == "manager").to_numpy()]
    if readiness is not None and not readiness.empty and "priority_rank" in readiness.columns:
        given = pd.Series(readiness["priority_rank"].to_numpy(dtype=float),
                          index=readiness["manager_id"].astype("object").to_numpy())
        given = given[~given.index.duplicated(keep="first")]
        rank.loc[managers] = given.reindex(managers).to_numpy()
    m = pd.DataFrame({"id": managers.astype(str), "rank": rank.loc[managers].to_numpy()}, index=managers)
    m = m.sort_values(["rank", "id"], na_position="last")
    position = np.arange(len(m))
    m_cohort = position // cohort_size
    wave.loc[m.index] = 2 + m_cohort // cohorts_per_wave
    cohort.loc[m.index] = [f"Managers {c + 1}" for c in m_cohort]
    order.loc[m.index] = position

    # leaders: wave 1, ordered by the best priority among their managers (those whose teams go first)
    leaders = ids[(role == "leader").to_numpy()]
    first_rank = pd.Series(position, index=m.index).groupby(boss.loc[m.index].to_numpy()).min()
    lead = pd.DataFrame({"id": leaders.astype(str), "first": first_rank.reindex(leaders).to_numpy()},
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
    boss_wave = wave.reindex(their_boss.to_numpy()).fillna(1).to_numpy(dtype=int)
    wave.loc[others] = boss_wave + 1
    boss_order = order.reindex(their_boss.to_numpy()).to_numpy()
    order.loc[others] = np.where(np.isnan(boss_order), np.inf, boss_order)
    boss_names = names.reindex(their_boss.to_numpy()).to_numpy()
    cohort.loc[others] = np.where(pd.isna(boss_names), "No manager in post",
                                  "Team of " + pd.Series(boss_names, dtype=object).fillna("").astype(str))

    start = program_start(as_of_ts, float(a["program_start_weeks_after_as_of"]))
    gap = pd.to_timedelta(float(a["weeks_between_waves"]) * 7, unit="D")
    plan = pd.DataFrame({
        "person_id": ids.to_numpy(dtype=object),
        "name": names.to_numpy(),
        "role": role.to_numpy(),
        "manager_id": boss.to_numpy(),
        "wave": wave.to_numpy(dtype=int),
        "start_date": start + gap * (wave.to_numpy(dtype=int) - 1),
        "cohort": cohort.to_numpy(),
        "manager_name": names.reindex(boss.to_numpy()).to_numpy(),
        "priority_rank": rank.to_numpy(),
    })
    plan["priority_rank"] = plan["priority_rank"].astype("Int64")
    plan["_role"] = plan["role"].map(ROLE_ORDER).fillna(3)
    plan["_order"] = order.to_numpy()
    plan["_id"] = plan["person_id"].astype(str)
    plan = plan.sort_values(["wave", "_role", "_order", "_id"], kind="mergesort")
    return plan[PLAN_COLUMNS].reset_index(drop=True)


def wave_summary(plan: pd.DataFrame) -> pd.DataFrame:
    """One row per wave: its start date and how many leaders, managers and reps it trains."""
    columns = ["wave", "start_date", "leaders", "managers", "reps", "total"]
    if plan.empty:
        return pd.DataFrame(columns=columns)
    counts = pd.crosstab(plan["wave"], plan["role"]).reindex(columns=["leader", "manager", "rep"], fill_value=0)
    summary = pd.DataFrame({
        "wave": counts.index.astype(int),
        "start_date": plan.groupby("wave")["start_date"].min().reindex(counts.index).to_numpy(),
        "leaders": counts["leader"].to_numpy(),
        "managers": counts["manager"].to_numpy(),
        "reps": counts["rep"].to_numpy(),
    })
    summary["total"] = plan.groupby("wave").size().reindex(counts.index).to_numpy()
    return summary[columns].reset_index(drop=True)
