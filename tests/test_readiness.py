"""Manager readiness: shrinkage, not-assessed pillars, barrier point, priority and its ties."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from workbook.analyses.readiness import (
    ADKAR,
    PILLARS,
    SPEC_COLUMNS,
    assess_readiness,
    detect_programs,
)
from workbook.analyses.shrinkage import gamma_cdf, gamma_ppf, poisson_gamma_prior, shrink_rates
from workbook.engagement.assumptions import build_assumptions

AS_OF = dt.date(2026, 6, 30)
HIRED = pd.Timestamp("2020-01-01")
LEFT = pd.Timestamp("2026-03-31")  # inside the trailing 12-month window


def assumptions(**overrides) -> dict:
    return build_assumptions(overrides).as_dict()


def person(pid, manager, role, *, left=None, kind=None, quota=None, hired=HIRED):
    return {"person_id": pid, "name": f"Name {pid}", "manager_id": manager, "role": role,
            "hire_date": hired, "termination_date": left, "termination_type": kind, "annual_quota": quota}


def make_people(teams: dict[str, tuple[int, int]], leader: str = "L1", involuntary: int = 0,
                quota: float | None = None) -> pd.DataFrame:
    """teams: manager_id -> (reps, voluntary exits among them in the window)."""
    rows = [person(leader, None, "leader")]
    for manager, (reps, exits) in teams.items():
        rows.append(person(manager, leader, "manager"))
        for i in range(reps):
            left = LEFT if i < exits + involuntary else None
            kind = ("voluntary" if i < exits else "involuntary") if left is not None else None
            rows.append(person(f"{manager}-R{i:02d}", manager, "rep", left=left, kind=kind, quota=quota))
    return frame(rows)


def frame(rows: list[dict]) -> pd.DataFrame:
    people = pd.DataFrame(rows)
    people["hire_date"] = pd.to_datetime(people["hire_date"])
    people["termination_date"] = pd.to_datetime(people["termination_date"])
    for c in ("person_id", "name", "manager_id", "role", "termination_type"):
        people[c] = people[c].astype("string")
    people["annual_quota"] = people["annual_quota"].astype("Float64")
    people = people.set_index("person_id", drop=False)
    people.index.name = None
    people["span"] = people["manager_id"].value_counts().reindex(people.index, fill_value=0)
    people["_row"] = np.arange(len(people)) + 2
    return people


def survey_rows(person_id: str, scores: dict[str, float | list[float]]) -> list[dict]:
    rows = []
    for dimension, values in scores.items():
        for value in values if isinstance(values, list) else [values]:
            rows.append({"person_id": person_id, "dimension": dimension, "score": value})
    return rows


def survey_frame(rows: list[dict]) -> pd.DataFrame:
    survey = pd.DataFrame(rows)
    survey["person_id"] = survey["person_id"].astype("string")
    survey["dimension"] = survey["dimension"].astype("string")
    survey["score"] = survey["score"].astype("Float64")
    return survey


def coaching_frame(values: dict[str, tuple[float, float]]) -> pd.DataFrame:
    return pd.DataFrame({"hours_per_rep_month": [v[0] for v in values.values()],
                         "coverage": [v[1] for v in values.values()]},
                        index=pd.Index(list(values), name="manager_id"))


def by_manager(result: pd.DataFrame) -> pd.DataFrame:
    return result.set_index("manager_id")


# --- the gamma quantile -------------------------------------------------------------------------

@pytest.mark.parametrize(("q", "shape", "rate", "expected"), [
    (0.025, 2, 1, 0.2422),
    (0.975, 2, 1, 5.5716),
    (0.5, 10, 2, 4.8343),          # chi-square(20) median 19.3374 / 4
    (0.95, 0.5, 1, 3.8415 / 2),    # chi-square(1) 95% / 2
    (0.05, 1, 1, -np.log(0.95)),   # exponential
    (0.99, 1, 0.25, -np.log(0.01) * 4),
])
def test_gamma_quantile_matches_known_values(q, shape, rate, expected):
    assert float(gamma_ppf(q, shape, rate)) == pytest.approx(expected, rel=2e-4)


def test_gamma_quantile_inverts_the_cdf_over_a_wide_range():
    shapes = np.array([0.2, 0.9, 1.5, 7.0, 40.0, 900.0, 20000.0])
    for q in (0.001, 0.025, 0.5, 0.975, 0.999):
        x = gamma_ppf(q, shapes, 1.0)
        assert np.allclose(gamma_cdf(x, shapes), q, atol=1e-8)


def test_gamma_quantile_rejects_bad_parameters():
    with pytest.raises(ValueError):
        gamma_ppf(0.5, 0.0, 1.0)


# --- team health: empirical Bayes -----------------------------------------------------------------

def attrition_org() -> pd.DataFrame:
    teams = {f"M{i:02d}": (6, (0, 1, 2, 1)[i % 4]) for i in range(1, 21)}
    teams["SMALL"] = (6, 3)
    teams["LARGE"] = (80, 40)
    return make_people(teams)


def test_small_team_attrition_is_shrunk_toward_the_organisation_and_not_flagged():
    people = attrition_org()
    result = by_manager(assess_readiness({"people": people}, AS_OF, assumptions()))
    small = result.loc["SMALL"]
    org = small["org_attrition_rate"]
    assert small["attrition_exits"] == 3
    assert small["attrition_rate_raw"] == pytest.approx(3 / small["attrition_person_years"])
    assert org < small["attrition_rate_shrunk"] < small["attrition_rate_raw"]
    assert small["attrition_low"] <= org <= small["attrition_high"]
    assert "attrition above organisation" not in small["flags"]


def test_large_team_with_the_same_raw_rate_is_shrunk_less_and_flagged():
    result = by_manager(assess_readiness({"people": attrition_org()}, AS_OF, assumptions()))
    small, large = result.loc["SMALL"], result.loc["LARGE"]
    assert large["attrition_rate_raw"] == pytest.approx(small["attrition_rate_raw"])
    pull_small = small["attrition_rate_raw"] - small["attrition_rate_shrunk"]
    pull_large = large["attrition_rate_raw"] - large["attrition_rate_shrunk"]
    assert pull_large < pull_small
    assert large["attrition_low"] > large["org_attrition_rate"]
    assert "attrition above organisation" in large["flags"]
    assert large["score_team_health"] < small["score_team_health"]


def test_organisation_rate_is_all_exits_over_person_years_split_by_type():
    people = make_people({"M1": (6, 1), "M2": (6, 0)}, involuntary=1)
    result = by_manager(assess_readiness({"people": people}, AS_OF,
                                         assumptions(replacement_cost_involuntary_per_rep_usd=40000)))
    years = result["attrition_person_years"].sum()
    assert result["org_attrition_rate"].iloc[0] == pytest.approx(3 / years)   # a seat lost either way
    assert result.loc["M1", "attrition_exits"] == 2
    assert result.loc["M1", "attrition_exits_voluntary"] == 1
    assert result.loc["M1", "attrition_exits_involuntary"] == 1
    assert result.loc["M1", "replacement_cost"] == 115000 + 40000     # each exit at its type's cost
    # exposure: 4 stayers x 365 window days + 2 leavers x 274 days (2025-07-01 .. 2026-03-31)
    assert result.loc["M1", "attrition_person_years"] == pytest.approx((4 * 365 + 2 * 274) / 365.25)


def test_team_health_scores_50_at_the_organisation_rate_and_spreads_around_it():
    people = make_people({"M1": (6, 0), "M2": (6, 2), "M3": (6, 1)})
    result = by_manager(assess_readiness({"people": people}, AS_OF, assumptions()))
    for m in ("M1", "M2", "M3"):
        r = result.loc[m]
        ratio = r["attrition_rate_shrunk"] / r["org_attrition_rate"]
        assert r["score_team_health"] == pytest.approx(min(100, max(0, 50 + 100 * (1 - ratio))))
    # no exits scores above the organisation's level, two exits below it: not everyone at 100
    assert result.loc["M1", "score_team_health"] > 50 > result.loc["M2", "score_team_health"]


def test_teams_losing_reps_alike_are_scored_alike_and_flag_nobody():
    people = make_people({"M1": (6, 1), "M2": (6, 1)})
    result = assess_readiness({"people": people}, AS_OF, assumptions())
    assert result["score_team_health"].nunique() == 1
    assert not result["flags"].str.contains("attrition").any()


def test_a_roster_without_any_leaver_does_not_score_attrition():
    """Current staff only (no termination dates at all) cannot show attrition: not assessed, not 100."""
    result = assess_readiness({"people": make_people({"M1": (6, 0), "M2": (6, 0)})}, AS_OF, assumptions())
    assert result["score_team_health"].isna().all()
    assert result["replacement_cost"].isna().all()
    assert (result["status_team_health"] == "not assessed — needs people.termination_date").all()
    assert result["not_assessed"].str.contains("team health — needs people.termination_date").all()


def test_prior_strength_has_a_floor_when_teams_look_very_different():
    prior = poisson_gamma_prior(np.array([0.0, 10.0]), np.array([10.0, 10.0]))
    assert prior.shape >= 1.0
    posterior = shrink_rates(np.array([0.0, 10.0]), np.array([10.0, 10.0]), prior=prior)
    assert 0 < posterior["shrunk"][0] < 0.5 < posterior["shrunk"][1] < 1.0


# --- buy-in and not-assessed pillars -----------------------------------------------------------

def scored_org():
    people = make_people({"A": (7, 0), "B": (7, 1), "C": (7, 0)})
    survey = survey_frame(
        survey_rows("A", {"awareness": 4, "desire": [3, 4], "knowledge": 2, "ability": 3, "reinforcement": 1})
        + survey_rows("C", {"awareness": 3, "desire": 5, "knowledge": 5, "ability": 5, "reinforcement": 5}))
    coaching = coaching_frame({"A": (1.5, 0.5), "B": (3.0, 1.0), "C": (4.0, 0.8)})
    return people, survey, coaching


def test_barrier_point_is_the_first_adkar_element_at_or_below_three():
    people, survey, coaching = scored_org()
    result = by_manager(assess_readiness({"people": people, "survey": survey}, AS_OF, assumptions(),
                                         coaching))
    assert result.loc["A", "adkar_desire"] == 3.5  # mean of the answers; not a barrier
    assert result.loc["A", "barrier_point"] == "knowledge"
    assert result.loc["C", "barrier_point"] == "awareness"
    assert result.loc["B", "barrier_point"] == ""
    assert result.loc["A", "score_buy_in"] == pytest.approx((np.mean([4, 3.5, 2, 3, 1]) - 1) / 4 * 100)


def test_barrier_threshold_follows_the_assumption():
    people, survey, coaching = scored_org()
    result = by_manager(assess_readiness({"people": people, "survey": survey}, AS_OF,
                                         assumptions(adkar_barrier_max_score=1), coaching))
    assert result.loc["A", "barrier_point"] == "reinforcement"
    assert result.loc["C", "barrier_point"] == ""


def test_manager_without_survey_is_not_assessed_on_buy_in_and_scored_on_the_rest():
    people, survey, coaching = scored_org()
    a = assumptions()
    result = by_manager(assess_readiness({"people": people, "survey": survey}, AS_OF, a, coaching))
    b = result.loc["B"]
    assert np.isnan(b["score_buy_in"])
    assert b["status_buy_in"] == "not assessed — needs survey"
    assert "buy-in — needs survey" in b["not_assessed"]
    assert all(np.isnan(b[f"adkar_{d}"]) for d in ADKAR)
    assessed = [p for p in PILLARS if not np.isnan(b[f"score_{p}"])]
    assert "buy_in" not in assessed and "coaching" in assessed and "team_health" in assessed
    expected = (sum(a[f"weight_{p}"] * b[f"score_{p}"] for p in assessed)
                / sum(a[f"weight_{p}"] for p in assessed))
    assert b["readiness_score"] == pytest.approx(round(expected, 1))
    assert b["pillars_assessed"] == len(assessed)


def test_missing_tables_never_crash_and_say_what_is_needed():
    people = make_people({"A": (7, 0), "B": (3, 1)})
    result = assess_readiness({"people": people}, AS_OF, assumptions(), None)
    assert list(result.columns[: len(SPEC_COLUMNS)]) == SPEC_COLUMNS
    row = result.set_index("manager_id").loc["A"]
    assert row["status_modelling"] == "not assessed — needs training"
    assert row["status_results"] == "not assessed — needs sales"
    assert row["status_coaching"] == "not assessed — needs coaching"
    assert row["not_assessed"] == ("modelling — needs training; buy-in — needs survey; "
                                   "coaching — needs coaching; results — needs sales")
    assert row["pillars_assessed"] == 2
    assert result["readiness_score"].notna().all()
    assert set(result["tier"]) <= {"ready", "developing", "not_ready"}


def test_only_active_front_line_managers_are_assessed():
    people = make_people({"A": (6, 0), "B": (6, 0)})
    people.loc["B", "termination_date"] = pd.Timestamp("2026-01-15")
    result = assess_readiness({"people": people}, AS_OF, assumptions())
    assert list(result["manager_id"]) == ["A"]


# --- scale, coaching and results pillars -------------------------------------------------------

@pytest.mark.parametrize(("reps", "score", "flagged"), [
    (7, 100, False), (6, 100, False), (3, 50, False), (9, 75, False), (10, 50, False), (11, 25, True),
    (13, 0, True),
])
def test_span_of_control_score_and_flag(reps, score, flagged):
    people = make_people({"A": (reps, 0)})
    row = assess_readiness({"people": people}, AS_OF, assumptions()).iloc[0]
    assert row["span"] == reps and row["team_size"] == reps
    assert row["score_scale"] == pytest.approx(score)
    assert ("span over 10" in row["flags"]) is flagged


def test_coaching_score_from_hours_against_target_and_coverage():
    people, survey, coaching = scored_org()
    result = by_manager(assess_readiness({"people": people}, AS_OF, assumptions(), coaching))
    assert result.loc["A", "score_coaching"] == pytest.approx(100 * (2 / 3 * 0.5 + 1 / 3 * 0.5))
    assert result.loc["C", "score_coaching"] == pytest.approx(100 * (2 / 3 + 0.8 / 3))
    assert "coaching below target" in result.loc["A", "flags"]
    assert "coaching below target" not in result.loc["B", "flags"]


def results_org():
    teams = {f"M{i:02d}": (6, 0) for i in range(1, 11)}
    people = make_people(teams, quota=1_200_000.0)
    sales = []
    spread = (0.4, 1.6, 0.7, 1.3, 0.9, 1.1)  # reps differ within a team: their mean is 1
    for j, pid in enumerate(people.index[people["role"] == "rep"]):
        manager = people.at[pid, "manager_id"]
        base = 2_400_000.0 if manager == "M01" else 1_000_000.0 + 10_000 * int(manager[1:])
        amount = base * spread[j % 6]
        sales.append({"rep_id": pid, "date": pd.Timestamp("2026-01-15"), "amount": amount, "stage": "won"})
        sales.append({"rep_id": pid, "date": pd.Timestamp("2026-02-15"), "amount": 5e6, "stage": "lost"})
    sales = pd.DataFrame(sales)
    sales["rep_id"] = sales["rep_id"].astype("string")
    sales["amount"] = sales["amount"].astype("Float64")
    return people, sales


def test_results_attainment_is_shrunk_toward_the_organisation():
    people, sales = results_org()
    result = by_manager(assess_readiness({"people": people, "sales": sales}, AS_OF, assumptions()))
    m01 = result.loc["M01"]
    assert m01["results_measure"] == "attainment"
    quota = 1_200_000 * 365 / 365.25  # prorated to the 365-day window
    assert m01["results_raw"] == pytest.approx(2_400_000 / quota)
    assert m01["team_revenue"] == pytest.approx(6 * 2_400_000)
    assert m01["team_quota"] == pytest.approx(6 * quota)
    assert m01["org_results"] < m01["results_shrunk"] < m01["results_raw"]
    low = result.loc["M02"]
    assert low["results_shrunk"] < low["org_results"]
    assert low["score_results"] == pytest.approx(
        max(0, 50 + 250 * (low["results_shrunk"] / low["org_results"] - 1)))
    assert m01["score_results"] == pytest.approx(
        min(100, 50 + 250 * (m01["results_shrunk"] / m01["org_results"] - 1)))
    assert low["score_results"] < 50 < m01["score_results"]


# --- modelling -------------------------------------------------------------------------------------

def training_frame(rows):
    training = pd.DataFrame(rows, columns=["person_id", "program", "status"])
    for c in training.columns:
        training[c] = training[c].astype("string")
    return training


def test_modelling_detects_the_reps_program_and_the_coaching_program():
    people = make_people({"A": (4, 0), "B": (4, 0)})
    rows = [(f"A-R{i:02d}", "Consultative Selling Essentials ", "completed") for i in range(4)]
    rows += [(f"B-R{i:02d}", "consultative  selling essentials", "not_started") for i in range(3)]
    rows += [("B-R00", "Negotiation", "completed"), ("B-R01", "Negotiation", "completed")]
    rows += [("A", "Consultative Selling Essentials", "completed"),
             ("A", "Coaching for Sales Managers", "completed"),
             ("B", "Coaching for Sales Managers", "in_progress")]
    training = training_frame(rows)
    program, coaching = detect_programs(training, people.index[people["role"] == "rep"])
    assert program == "consultative selling essentials"
    assert coaching == ["coaching for sales managers"]
    result = by_manager(assess_readiness({"people": people, "training": training}, AS_OF, assumptions()))
    assert result.loc["A", "score_modelling"] == 100
    assert result.loc["B", "team_completion_share"] == 0
    assert result.loc["B", "score_modelling"] == pytest.approx(30 * 0.5 / 100 * 100)
    assert "not trained on the reps' program" in result.loc["B", "flags"]
    overridden = by_manager(assess_readiness({"people": people, "training": training}, AS_OF, assumptions(),
                                             sales_program="NEGOTIATION"))
    assert overridden.loc["B", "team_completion_share"] == 0.5


def test_modelling_not_assessed_when_neither_manager_nor_team_is_in_the_lms():
    people = make_people({"A": (3, 0), "B": (3, 0)})
    training = training_frame([("A-R00", "Consultative Selling Essentials", "completed")])
    result = by_manager(assess_readiness({"people": people, "training": training}, AS_OF, assumptions()))
    assert result.loc["B", "status_modelling"] == "not assessed — needs training"
    assert np.isnan(result.loc["B", "score_modelling"])
    assert result.loc["A", "status_modelling"] == "assessed"


# --- priority and determinism ---------------------------------------------------------------------

def test_priority_puts_big_teams_with_unready_managers_first():
    people = make_people({"BIG": (8, 0), "SMALL": (4, 0), "READY": (8, 0)})
    survey = survey_frame(survey_rows("BIG", dict.fromkeys(ADKAR, 1))
                          + survey_rows("SMALL", dict.fromkeys(ADKAR, 1))
                          + survey_rows("READY", dict.fromkeys(ADKAR, 5)))
    result = assess_readiness({"people": people, "survey": survey}, AS_OF, assumptions())
    assert list(result["manager_id"]) == ["BIG", "SMALL", "READY"]
    assert list(result["priority_rank"]) == [1, 2, 3]
    assert (result["priority"] == result["leverage"] * (100 - result["readiness_score"])).all()


def test_identical_managers_are_ordered_by_id_and_row_order_does_not_matter():
    people = make_people({"M2": (6, 1), "M1": (6, 1), "M3": (7, 0)})
    first = assess_readiness({"people": people}, AS_OF, assumptions())
    assert list(first["manager_id"][:2]) == ["M1", "M2"]
    shuffled = people.sample(frac=1.0, random_state=3)
    second = assess_readiness({"people": shuffled}, AS_OF, assumptions())
    pd.testing.assert_frame_equal(first, second)


def test_tiers_follow_the_thresholds():
    people, survey, coaching = scored_org()
    a = assumptions(tier_ready_min_score=60, tier_developing_min_score=40)
    result = assess_readiness({"people": people, "survey": survey}, AS_OF, a, coaching)
    expected = np.select([result["readiness_score"] >= 60, result["readiness_score"] >= 40],
                         ["ready", "developing"], "not_ready")
    assert list(result["tier"]) == list(expected)
    assert result["why"].str.len().gt(10).all()


def test_why_for_a_ready_manager_names_a_far_off_pillar():
    from workbook.analyses.readiness import why_text
    a = {"tier_ready_min_score": 70}
    out = pd.DataFrame({"tier": ["ready", "ready"], "flags": ["coaching below target", ""],
                        "readiness_score": [78.0, 92.0],
                        "score_scale": [100.0, 100.0], "score_team_health": [100.0, 95.0],
                        "score_modelling": [90.0, 90.0], "score_buy_in": [60.0, 80.0],
                        "score_coaching": [30.0, 85.0], "score_results": [95.0, 100.0]})
    why = why_text(out, a)
    assert why.iloc[0].startswith("Ready overall (78/100); coaching (30) is the gap to close; also buy-in (60)")
    assert why.iloc[1] == "Ready to lead the program (92/100); no pillar below the 'ready' line."


def test_a_score_just_under_a_tier_line_is_not_shown_rounded_onto_it():
    from workbook.analyses.readiness_text import shown_score

    a = assumptions()
    assert shown_score(69.96, a) == "69.9" and shown_score(69.4, a) == "69" and shown_score(70.0, a) == "70"
    assert shown_score(49.5, a) == "49.5" and shown_score(85.2, a) == "85"
