"""The manager-first training plan: leaders first, a pilot, managers by priority, every rep after their
manager, buy-in sessions, blackouts and the stepped-wedge comparison window."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from workbook.analyses.training_plan import plan_training, program_start, wave_summary
from workbook.engagement.assumptions import build_assumptions
from workbook.errors import AssumptionError

AS_OF = dt.date(2026, 6, 30)  # a Tuesday
NO_BLACKOUTS = {"quarter_end_blackout_weeks": 0, "year_end_blackout": 0}


def assumptions(**overrides) -> dict:
    return build_assumptions({"cohort_size": 2, **overrides}).as_dict()


def day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


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


def readiness(ranks: dict[str, int], barriers: dict[str, str] | None = None) -> pd.DataFrame:
    barriers = barriers or {}
    return pd.DataFrame({"manager_id": list(ranks), "priority_rank": list(ranks.values()),
                         "barrier_point": [barriers.get(m, "") for m in ranks]})


RANKS = {"M4": 1, "M2": 2, "M5": 3, "M1": 4, "M3": 5}


def test_no_rep_is_trained_in_or_before_their_managers_wave():
    plan = plan_training(org(), readiness(RANKS), AS_OF, assumptions())
    waves = plan.set_index("person_id")["wave"]
    with_manager = plan[plan["manager_id"].notna() & plan["role"].isin(["rep", "manager"])]
    assert (with_manager["wave"].to_numpy() > waves.loc[with_manager["manager_id"]].to_numpy()).all()
    reps = plan[plan["role"] == "rep"].set_index("person_id")
    assert (reps.loc[[f"M4-R{j}" for j in range(3)], "wave"] == waves["M4"] + 1).all()


def test_leaders_go_first_then_manager_cohorts_by_priority():
    plan = plan_training(org(), readiness(RANKS), AS_OF, assumptions(pilot_size=0))
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


def test_start_dates_are_mondays_spaced_by_the_wave_gap_and_reps_follow_by_the_lag():
    a = assumptions(program_start_weeks_after_as_of=4, weeks_between_waves=3, rep_lag_weeks=2,
                    **NO_BLACKOUTS)
    plan = plan_training(org(), readiness(RANKS), AS_OF, a).set_index("person_id")
    first = program_start(AS_OF, 4)
    assert first == pd.Timestamp("2026-08-03")  # 2026-07-28 (Tuesday) -> next Monday
    assert program_start(dt.date(2026, 7, 6), 0) == pd.Timestamp("2026-07-06")  # already a Monday
    leads = plan[plan["role"] != "rep"]
    expected = first + pd.to_timedelta((leads["wave"] - 1) * 21, unit="D")
    assert (leads["start_date"] == expected).all()
    assert plan.loc["M4", "start_date"] == day("2026-08-24")         # the pilot, wave 2
    assert plan.loc["M1", "start_date"] == day("2026-09-14")         # Managers 1, wave 3
    assert plan.loc["M4-R0", "start_date"] == day("2026-09-07")      # its manager's start + 2 weeks
    assert plan.loc["M1-R0", "start_date"] == day("2026-09-28")
    assert plan.loc["D2-R0", "start_date"] == day("2026-08-17")      # a leader's rep: wave 1 + 2 weeks
    assert plan.loc["LONE", "start_date"] == day("2026-08-17")       # no manager: after the leaders
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
    plan = plan_training(org(), readiness(RANKS), AS_OF, assumptions(pilot_size=0), cohorts_per_wave=2)
    waves = plan.set_index("person_id")["wave"]
    assert waves[["M4", "M2", "M5", "M1"]].eq(2).all() and waves["M3"] == 3
    # the pilot always trains alone; the cohorts after it share waves
    plan = plan_training(org(), readiness(RANKS), AS_OF, assumptions(pilot_size=2), cohorts_per_wave=2)
    waves = plan.set_index("person_id")["wave"]
    assert waves[["M4", "M2"]].eq(2).all() and waves[["M5", "M1", "M3"]].eq(3).all()


def test_wave_summary_counts_each_role():
    plan = plan_training(org(), readiness(RANKS, {"M3": "desire"}), AS_OF, assumptions())
    summary = wave_summary(plan)
    assert list(summary.columns) == ["wave", "start_date", "leaders", "managers", "reps", "total", "pilot",
                                     "buy_in_sessions", "comparison_until"]
    assert summary["total"].sum() == len(plan)
    first = summary.iloc[0]
    assert (first["wave"], first["leaders"], first["managers"], first["reps"]) == (1, 3, 0, 0)
    second = summary.iloc[1]
    assert (second["managers"], second["reps"], second["pilot"]) == (3, 2, True)  # M4, M2, M5; D2-R0, LONE
    third = summary.iloc[2]
    assert (third["managers"], third["reps"], third["pilot"], third["buy_in_sessions"]) == (2, 9, False, 1)
    assert list(summary["buy_in_sessions"]) == [0, 0, 1, 0]
    assert summary["wave"].is_monotonic_increasing
    assert np.all(np.diff(summary["start_date"].to_numpy()).astype("timedelta64[D]").astype(int) > 0)


@pytest.mark.parametrize("size", [1, 3, 100])
def test_every_rep_follows_their_manager_for_any_cohort_size(size):
    plan = plan_training(org(), readiness(RANKS), AS_OF, assumptions(cohort_size=size))
    waves = plan.set_index("person_id")["wave"]
    has = plan["manager_id"].notna() & plan["role"].isin(["rep", "manager"])  # leaders share wave 1
    assert (plan.loc[has, "wave"].to_numpy() > waves.loc[plan.loc[has, "manager_id"]].to_numpy()).all()


# --- the pilot --------------------------------------------------------------------------------

def test_the_pilot_is_the_best_ranked_managers_whose_buy_in_is_not_blocked():
    # M4 (rank 1) is blocked at desire, M5 (rank 3) at awareness; a knowledge barrier does not block
    barriers = {"M4": "desire", "M5": "awareness", "M1": "knowledge"}
    plan = plan_training(org(), readiness(RANKS, barriers), AS_OF, assumptions(pilot_size=2))
    pilot = plan[plan["cohort"] == "Pilot"]
    assert list(pilot["person_id"]) == ["M2", "M1"]
    assert pilot["pilot"].all() and pilot["wave"].eq(2).all()
    assert not plan.loc[plan["cohort"] != "Pilot", "pilot"].any()
    rest = plan[plan["role"].eq("manager") & ~plan["pilot"]].set_index("person_id")
    assert list(rest.index) == ["M4", "M5", "M3"]                      # the others, by priority
    assert list(rest["cohort"]) == ["Managers 1", "Managers 1", "Managers 2"]
    assert list(rest["wave"]) == [3, 3, 4]


def test_a_pilot_is_at_most_pilot_size_and_zero_means_none():
    plan = plan_training(org(), readiness(RANKS), AS_OF, assumptions(pilot_size=3))
    assert list(plan.loc[plan["pilot"], "person_id"]) == ["M4", "M2", "M5"]
    blocked = dict.fromkeys(["M4", "M2", "M5", "M1"], "awareness")
    plan = plan_training(org(), readiness(RANKS, blocked), AS_OF, assumptions(pilot_size=3))
    assert list(plan.loc[plan["pilot"], "person_id"]) == ["M3"]       # the only willing manager
    plan = plan_training(org(), readiness(RANKS), AS_OF, assumptions(pilot_size=0))
    assert not plan["pilot"].any() and "Pilot" not in set(plan["cohort"])
    assert plan.set_index("person_id").loc["M4", "wave"] == 2          # managers follow the leaders


def test_a_manager_without_survey_answers_can_be_in_the_pilot():
    # no survey: barrier point missing (NaN when read back from a CSV) counts as not blocked
    ranks = readiness(RANKS)
    ranks["barrier_point"] = np.nan
    plan = plan_training(org(), ranks, AS_OF, assumptions(pilot_size=1))
    assert list(plan.loc[plan["pilot"], "person_id"]) == ["M4"]
    plan = plan_training(org(), readiness(RANKS)[["manager_id", "priority_rank"]], AS_OF,
                         assumptions(pilot_size=1))
    assert list(plan.loc[plan["pilot"], "person_id"]) == ["M4"]


def test_a_manager_under_a_manager_is_not_in_the_pilot_and_still_follows_the_boss():
    people = people_frame([("L", None, "leader"), ("A", "L", "manager"), ("B", "A", "manager"),
                           ("B-R", "B", "rep"), ("A-R", "A", "rep")])
    plan = plan_training(people, readiness({"B": 1, "A": 2}), AS_OF, assumptions(pilot_size=1))
    rows = plan.set_index("person_id")
    assert rows.loc["A", "cohort"] == "Pilot" and not rows.loc["B", "pilot"]
    assert rows.loc["A", "wave"] == 2 and rows.loc["B", "wave"] == 3 and rows.loc["B-R", "wave"] == 4
    assert rows.loc["A", "start_date"] < rows.loc["B", "start_date"] < rows.loc["B-R", "start_date"]


# --- buy-in sessions --------------------------------------------------------------------------

def test_managers_blocked_at_awareness_or_desire_get_a_buy_in_session_before_training():
    barriers = {"M2": "desire", "M3": "awareness", "M1": "knowledge"}
    plan = plan_training(org(), readiness(RANKS, barriers), AS_OF,
                         assumptions(pilot_size=0, **NO_BLACKOUTS)).set_index("person_id")
    # M2 trains on Monday 31 Aug 2026 (wave 2): buy-in on Monday 17 Aug, 2 weeks before
    assert plan.loc["M2", "start_date"] == day("2026-08-31")
    assert plan.loc["M2", "buy_in_session_date"] == day("2026-08-17")
    assert plan.loc["M3", "start_date"] == day("2026-10-26")
    assert plan.loc["M3", "buy_in_session_date"] == day("2026-10-12")
    assert plan.loc["M3", "barrier_point"] == "awareness"
    others = plan.drop(index=["M2", "M3"])
    assert others["buy_in_session_date"].isna().all()                 # M1's knowledge barrier: none


def test_a_buy_in_session_in_a_blackout_moves_before_it_not_onto_the_training():
    # with the default pilot, M2 (desire) is in Managers 1 and trains on 5 Oct 2026 (28 Sep is in the
    # Q3 blackout, 17-30 Sep); 2 weeks before is 21 Sep, also in it: the session moves to 14 Sep
    plan = plan_training(org(), readiness(RANKS, {"M2": "desire"}), AS_OF, assumptions()).set_index("person_id")
    assert plan.loc["M2", "start_date"] == day("2026-10-05")
    assert plan.loc["M2", "buy_in_session_date"] == day("2026-09-14")
    assert plan.loc["M2", "buy_in_session_date"] < plan.loc["M2", "start_date"]


# --- blackouts --------------------------------------------------------------------------------

def wave_two(as_of: dt.date, **overrides) -> pd.Timestamp:
    a = assumptions(program_start_weeks_after_as_of=0, pilot_size=0, **overrides)
    plan = plan_training(org(), readiness(RANKS), as_of, a).set_index("person_id")
    return plan.loc["M4", "start_date"]


def test_a_wave_due_on_21_december_moves_past_the_year_end_blackout():
    # wave 1 on Monday 23 Nov 2026, wave 2 due 4 weeks later on Monday 21 Dec 2026
    assert wave_two(dt.date(2026, 11, 23), **NO_BLACKOUTS) == day("2026-12-21")
    assert wave_two(dt.date(2026, 11, 23)) == day("2027-01-11")       # after 5 Jan (a Tuesday)
    # without the year-end window, the Q4 quarter-end blackout (18-31 Dec) still applies
    assert wave_two(dt.date(2026, 11, 23), year_end_blackout=0) == day("2027-01-04")


def test_a_wave_in_the_last_two_weeks_of_march_moves_to_april():
    # wave 1 on Monday 22 Feb 2027, wave 2 due Monday 22 Mar 2027, inside 18-31 Mar
    assert wave_two(dt.date(2027, 2, 22), **NO_BLACKOUTS) == day("2027-03-22")
    assert wave_two(dt.date(2027, 2, 22)) == day("2027-04-05")
    # a fiscal year starting in February ends its quarters in Jan, Apr, Jul, Oct: March is free
    assert wave_two(dt.date(2027, 2, 22), fiscal_year_start_month=2) == day("2027-03-22")
    # one blackout week covers 25-31 March only
    assert wave_two(dt.date(2027, 2, 22), quarter_end_blackout_weeks=1) == day("2027-03-22")


def test_a_moved_wave_moves_the_waves_after_it_and_their_reps():
    a = assumptions(program_start_weeks_after_as_of=0, pilot_size=0)
    plan = plan_training(org(), readiness(RANKS), dt.date(2026, 11, 23), a).set_index("person_id")
    assert plan.loc["VP", "start_date"] == day("2026-11-23")
    assert plan.loc["M4", "start_date"] == day("2027-01-11")          # 21 Dec -> 11 Jan
    assert plan.loc["M5", "start_date"] == day("2027-02-08")          # 4 weeks after the moved wave
    assert plan.loc["M4-R0", "start_date"] == day("2027-02-08")       # 4 weeks after their manager
    assert plan.loc["D2-R0", "start_date"] == day("2027-01-11")       # 21 Dec -> 11 Jan


@pytest.mark.parametrize("as_of", [dt.date(2026, 6, 30), dt.date(2026, 11, 2), dt.date(2027, 2, 15),
                                   dt.date(2027, 8, 31)])
@pytest.mark.parametrize("gap", [1, 2, 4])
def test_no_session_starts_in_a_blackout_and_reps_stay_after_their_manager(as_of, gap):
    barriers = {"M2": "desire", "M3": "awareness"}
    a = assumptions(program_start_weeks_after_as_of=0, weeks_between_waves=gap, rep_lag_weeks=gap,
                    cohort_size=1)
    plan = plan_training(org(), readiness(RANKS, barriers), as_of, a)
    days = pd.concat([plan["start_date"], plan["buy_in_session_date"].dropna()])
    for d in days:
        in_year_end = (d.month == 12 and d.day >= 20) or (d.month == 1 and d.day <= 5)
        in_quarter_end = d.month in (3, 6, 9, 12) and d.day > d.days_in_month - 14
        assert not (in_year_end or in_quarter_end), d
    assert (days.dt.day_of_week == 0).all()
    rows = plan.set_index("person_id")
    has = plan[plan["manager_id"].notna() & plan["role"].isin(["rep", "manager"])]  # leaders share wave 1
    assert (has["start_date"].to_numpy() > rows.loc[has["manager_id"], "start_date"].to_numpy()).all()
    bought = rows[rows["buy_in_session_date"].notna()]
    assert (bought["buy_in_session_date"] < bought["start_date"]).all()


def test_blackout_assumptions_are_checked():
    with pytest.raises(AssumptionError, match="fiscal_year_start_month"):
        build_assumptions({"fiscal_year_start_month": 13})
    with pytest.raises(AssumptionError, match="year_end_blackout"):
        build_assumptions({"year_end_blackout": 2})


# --- the stepped-wedge comparison -------------------------------------------------------------

def test_each_team_is_the_untreated_comparison_until_its_manager_starts():
    plan = plan_training(org(), readiness(RANKS), AS_OF, assumptions())
    rows = plan.set_index("person_id")
    assert rows.loc["M4", "comparison_until"] == rows.loc["M4", "start_date"] - pd.Timedelta(days=1)
    assert rows.loc["M4-R1", "comparison_until"] == day("2026-08-30")  # M4 starts Monday 31 Aug
    assert rows.loc["M2-R1", "comparison_until"] == day("2026-08-30")  # M2 is in the pilot too
    assert rows.loc["M1-R1", "comparison_until"] == day("2026-10-04")  # M1 starts Monday 5 Oct
    assert rows.loc[["VP", "D1", "D2", "LONE"], "comparison_until"].isna().all()
    summary = wave_summary(plan).set_index("wave")
    assert summary.loc[2, "comparison_until"] == day("2026-08-30")
    assert summary.loc[3, "comparison_until"] == day("2026-10-04")
    assert pd.isna(summary.loc[1, "comparison_until"]) and pd.isna(summary.loc[4, "comparison_until"])
    # wave 3's teams are untreated while wave 2's managers are trained: the comparison is real
    assert summary.loc[3, "comparison_until"] >= summary.loc[2, "start_date"]
