"""The manager-first training plan: leaders first, managers by priority, every rep after their manager."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from workbook.analyses.training_plan import plan_training, program_start, wave_summary
from workbook.engagement.assumptions import build_assumptions

AS_OF = dt.date(2026, 6, 30)  # a Tuesday


def assumptions(**overrides) -> dict:
    return build_assumptions({"cohort_size": 2, **overrides}).as_dict()


def people_frame(rows: list[tuple]) -> pd.DataFrame:
    """rows: (person_id, manager_id, role[, termination_date])."""
    people = pd.DataFrame([(*r, None)[:4] for r in rows],
                          columns=["person_id", "manager_id", "role", "termination_date"])
    people["name"] = "Name " + people["person_id"]
    people["hire_date"] = pd.Timestamp("2020-01-01")
    people["termination_date"] = pd.to_datetime(people["termination_date"])
    for c in ("person_id", "manager_id", "role", "name"):
        people[c] = people[c].astype("string")
    return people.set_index("person_id", drop=False).rename_axis(None)


def org() -> pd.DataFrame:
    rows = [("VP", None, "leader"), ("D1", "VP", "leader"), ("D2", "VP", "leader")]
    for i, boss in enumerate(["D1", "D1", "D1", "D2", "D2"], start=1):
        rows.append((f"M{i}", boss, "manager"))
        rows += [(f"M{i}-R{j}", f"M{i}", "rep") for j in range(3)]
    rows += [("D2-R0", "D2", "rep"), ("LONE", None, "rep"), ("GONE", "M1", "rep", "2026-05-01")]
    return people_frame(rows)


def readiness(ranks: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame({"manager_id": list(ranks), "priority_rank": list(ranks.values())})


RANKS = {"M4": 1, "M2": 2, "M5": 3, "M1": 4, "M3": 5}


def test_no_rep_is_trained_in_or_before_their_managers_wave():
    plan = plan_training(org(), readiness(RANKS), AS_OF, assumptions())
    waves = plan.set_index("person_id")["wave"]
    with_manager = plan[plan["manager_id"].notna() & plan["role"].isin(["rep", "manager"])]
    assert (with_manager["wave"].to_numpy() > waves.loc[with_manager["manager_id"]].to_numpy()).all()
    reps = plan[plan["role"] == "rep"].set_index("person_id")
    assert (reps.loc[[f"M4-R{j}" for j in range(3)], "wave"] == waves["M4"] + 1).all()


def test_leaders_go_first_then_manager_cohorts_by_priority():
    plan = plan_training(org(), readiness(RANKS), AS_OF, assumptions())
    waves = plan.set_index("person_id")["wave"]
    assert (waves[["VP", "D1", "D2"]] == 1).all()
    assert waves["M4"] == waves["M2"] == 2
    assert waves["M5"] == waves["M1"] == 3
    assert waves["M3"] == 4
    managers = plan[plan["role"] == "manager"]
    assert list(managers["person_id"]) == ["M4", "M2", "M5", "M1", "M3"]
    assert list(managers["cohort"]) == ["Managers 1", "Managers 1", "Managers 2", "Managers 2", "Managers 3"]
    # leaders whose managers go first are listed first: D2 (M4 is rank 1), then D1, then VP
    leaders = plan[plan["role"] == "leader"]
    assert list(leaders["person_id"]) == ["D2", "D1", "VP"]
    assert list(leaders["cohort"]) == ["Leaders 1", "Leaders 1", "Leaders 2"]


def test_reps_of_a_leader_or_without_a_manager_follow_the_leaders():
    plan = plan_training(org(), readiness(RANKS), AS_OF, assumptions()).set_index("person_id")
    assert plan.loc["D2-R0", "wave"] == 2
    assert plan.loc["LONE", "wave"] == 2
    assert plan.loc["LONE", "cohort"] == "No manager in post"
    assert plan.loc["M1-R0", "cohort"] == "Team of Name M1"
    assert plan.loc["M1-R0", "manager_name"] == "Name M1"


def test_only_active_people_are_planned():
    plan = plan_training(org(), readiness(RANKS), AS_OF, assumptions())
    assert "GONE" not in set(plan["person_id"])
    assert len(plan) == len(org()) - 1


def test_a_manager_under_a_manager_goes_after_them():
    people = people_frame([("L", None, "leader"), ("A", "L", "manager"), ("B", "A", "manager"),
                           ("B-R", "B", "rep"), ("A-R", "A", "rep")])
    plan = plan_training(people, readiness({"B": 1, "A": 2}), AS_OF, assumptions(cohort_size=8))
    waves = plan.set_index("person_id")["wave"]
    assert waves["A"] == 2 and waves["B"] == 3 and waves["B-R"] == 4


def test_start_dates_are_mondays_spaced_by_the_wave_gap():
    a = assumptions(program_start_weeks_after_as_of=4, weeks_between_waves=3)
    plan = plan_training(org(), readiness(RANKS), AS_OF, a)
    first = program_start(AS_OF, 4)
    assert first == pd.Timestamp("2026-08-03")  # 2026-07-28 (Tuesday) -> next Monday
    assert program_start(dt.date(2026, 7, 6), 0) == pd.Timestamp("2026-07-06")  # already a Monday
    expected = first + pd.to_timedelta((plan["wave"] - 1) * 21, unit="D")
    assert (plan["start_date"] == expected).all()
    assert (plan["start_date"].dt.day_of_week == 0).all()


def test_ties_and_row_order_give_the_same_plan():
    people = org()
    tied = readiness({"M1": 1, "M2": 1, "M3": 1, "M4": 1, "M5": 1})
    first = plan_training(people, tied, AS_OF, assumptions())
    assert list(first.loc[first["role"] == "manager", "person_id"]) == ["M1", "M2", "M3", "M4", "M5"]
    shuffled = plan_training(people.sample(frac=1.0, random_state=7), tied.sample(frac=1.0, random_state=1),
                             AS_OF, assumptions())
    pd.testing.assert_frame_equal(first, shuffled)


def test_without_readiness_managers_are_ordered_by_id():
    plan = plan_training(org(), None, AS_OF, assumptions())
    assert list(plan.loc[plan["role"] == "manager", "person_id"]) == ["M1", "M2", "M3", "M4", "M5"]


def test_several_cohorts_can_share_a_wave():
    plan = plan_training(org(), readiness(RANKS), AS_OF, assumptions(), cohorts_per_wave=2)
    waves = plan.set_index("person_id")["wave"]
    assert waves[["M4", "M2", "M5", "M1"]].eq(2).all() and waves["M3"] == 3


def test_wave_summary_counts_each_role():
    plan = plan_training(org(), readiness(RANKS), AS_OF, assumptions())
    summary = wave_summary(plan)
    assert list(summary.columns) == ["wave", "start_date", "leaders", "managers", "reps", "total"]
    assert summary["total"].sum() == len(plan)
    first = summary.iloc[0]
    assert (first["wave"], first["leaders"], first["managers"], first["reps"]) == (1, 3, 0, 0)
    second = summary.iloc[1]
    assert (second["managers"], second["reps"]) == (2, 2)  # M4, M2; D2's rep and the lone rep
    assert summary["wave"].is_monotonic_increasing
    assert np.all(np.diff(summary["start_date"].to_numpy()).astype("timedelta64[D]").astype(int) > 0)


@pytest.mark.parametrize("size", [1, 3, 100])
def test_every_rep_follows_their_manager_for_any_cohort_size(size):
    plan = plan_training(org(), readiness(RANKS), AS_OF, assumptions(cohort_size=size))
    waves = plan.set_index("person_id")["wave"]
    has = plan["manager_id"].notna() & plan["role"].isin(["rep", "manager"])  # leaders share wave 1
    assert (plan.loc[has, "wave"].to_numpy() > waves.loc[plan.loc[has, "manager_id"]].to_numpy()).all()
