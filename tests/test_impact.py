"""Programme impact: the difference-in-differences recovers a known effect, its interval covers the
truth about as often as it says, and on the regular demo (no effect planted) it finds none."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbook.analyses.did import estimate, t_quantile
from workbook.analyses.impact import by_cohort, programme_events


def simulated_panel(seed: int, effect: float, teams: int = 40, months: int = 18) -> pd.DataFrame:
    """Teams trained in waves (before the data, months 4, 8, 12, never); the effect multiplies the
    outcome after the completion month and one ramp month, which are left out as the analysis does."""
    rng = np.random.default_rng(seed)
    starts = rng.choice([-1, 4, 8, 12, 99], teams)
    level = rng.normal(10, 2, teams)
    month_effect = rng.normal(0, 0.5, months)
    rows = []
    for k in range(teams):
        for m in range(months):
            if 0 <= starts[k] <= m <= starts[k] + 1:
                continue
            after = m > starts[k] + 1
            y = (level[k] + month_effect[m]) * (1 + effect * after) + rng.normal(0, 0.25 * level[k] ** 0.5)
            rows.append((k, m, y, after, str(starts[k])))
    return pd.DataFrame(rows, columns=["team", "month", "y", "treated", "cohort"])


@pytest.mark.parametrize("effect", [0.12, 0.0])
def test_interval_covers_the_planted_effect_about_as_often_as_it_says(effect):
    hits, estimates = 0, []
    for seed in range(80):
        got = estimate(simulated_panel(seed, effect), draws=150, seed=seed, level=0.90)
        assert got is not None
        hits += got.low <= effect <= got.high
        estimates.append(got.relative)
    assert abs(np.mean(estimates) - effect) < 0.01          # unbiased under staggered adoption
    assert 0.80 <= hits / 80 <= 0.98                        # nominal 90%


def test_nothing_is_measured_without_months_before_and_after():
    panel = simulated_panel(1, 0.1)
    panel = panel[panel["month"] < 6]                        # wave 1 has one month after its ramp
    only_early = panel[panel["cohort"].isin(["4", "99"])]
    assert estimate(only_early, min_after=3) is None


def test_t_quantile_matches_tables():
    for df, exact in [(3, 2.353), (5, 2.015), (10, 1.812), (30, 1.697)]:
        assert t_quantile(0.95, df) == pytest.approx(exact, abs=0.01)


def test_events_take_the_earliest_completion_and_planned_starts():
    people = pd.DataFrame({"name": ["Ann", "Bo", "Cy", "Di"], "role": ["manager", "manager", "rep", "rep"],
                           "manager_id": [None, None, "M1", "M2"]}, index=pd.Index(["M1", "M2", "R1", "R2"]))
    training = pd.DataFrame({"person_id": ["M1", "M1", "M2", "R1"],
                             "program": ["Coaching Excellence", "Coaching Excellence", "Coaching Excellence",
                                         "Consultative Selling"],
                             "status": ["completed", "completed", "in_progress", "completed"],
                             "completed_date": pd.to_datetime(["2026-03-10", "2026-01-05", None, "2026-02-01"])})
    plan = pd.DataFrame({"person_id": ["M2", "R2"], "start_date": pd.to_datetime(["2026-11-02", "2026-12-01"])})
    events = programme_events(people, training, plan).set_index("person_id")
    assert events.at["M1", "completed_date"] == pd.Timestamp("2026-01-05")
    assert events.at["M1", "status"] == "completed"
    assert events.at["M2", "status"] == "planned" and events.at["M2", "planned_start"] == pd.Timestamp("2026-11-02")
    assert events.at["R1", "completed_date"] == pd.Timestamp("2026-02-01")
    assert events.at["R2", "status"] == "planned"


def test_cohorts_average_only_managers_with_windows():
    per_manager = pd.DataFrame({"completed_date": pd.to_datetime(["2026-02-03", "2026-02-20", "2026-06-01"]),
                                "months_each_side": [3, 0, 2], "hours_per_rep_before": [1.0, np.nan, 2.0],
                                "hours_per_rep_after": [2.0, np.nan, 3.0], "core_attainment_before": [0.9, np.nan, 1.0],
                                "core_attainment_after": [1.0, np.nan, 1.1]})
    cohorts = by_cohort(per_manager).set_index("cohort")
    assert list(cohorts.index) == ["2026-02", "2026-06"]
    assert cohorts.at["2026-02", "managers"] == 1 and cohorts.at["2026-02", "hours_per_rep_after"] == 2.0


@pytest.fixture(scope="module")
def demo_analysis(tmp_path_factory):
    from workbook.demo import generate_demo
    from workbook.intake.load import load_engagement_data
    from workbook.pipeline.analysis import Analysis

    folder = generate_demo(tmp_path_factory.mktemp("impact") / "demo")
    return Analysis(load_engagement_data(folder))


def test_regular_demo_is_a_placebo_no_effect_is_claimed(demo_analysis):
    """The regular demo's managers complete the coaching programme at random dates and nothing changes
    after. With 12 managers, too few teams stay untrained in the months after the completions to
    compare against, so nothing is measured; were anything measured, its interval would include zero."""
    impact = demo_analysis.impact
    for row in impact.estimates.itertuples():
        assert not row.measured or row.uplift_low <= 0 <= row.uplift_high, row
    if not impact.measured:
        assert impact.status.startswith("not measured yet")
        assert "at least 3 teams must be measured" in impact.status and impact.needs


@pytest.mark.parametrize("seed", range(4))
def test_placebo_completion_dates_claim_no_effect(demo_analysis, seed):
    """Random 'completion' dates on data where nothing happened: no interval excludes zero."""
    from workbook.analyses.impact import assess_impact

    data = demo_analysis.data
    training = data.tables["training"].copy()
    rng = np.random.default_rng(seed)
    dated = training["completed_date"].notna()
    training.loc[dated, "completed_date"] = pd.Timestamp("2025-12-01") + pd.to_timedelta(
        rng.integers(0, 120, int(dated.sum())), unit="D")
    impact = assess_impact(data.tables["people"], {**data.tables, "training": training}, data.as_of,
                           demo_analysis.values, demo_analysis.performance["tier"], demo_analysis.plan)
    measured = impact.estimates[impact.estimates["measured"]]
    assert ((measured["uplift_low"] <= 0) & (measured["uplift_high"] >= 0)).all()


def test_without_training_the_impact_is_not_assessed(demo_analysis):
    from workbook.analyses.impact import assess_impact

    data = demo_analysis.data
    tables = {k: v for k, v in data.tables.items() if k != "training"}
    impact = assess_impact(data.tables["people"], tables, data.as_of, demo_analysis.values,
                           demo_analysis.performance["tier"])
    assert not impact.measured and impact.status == "not assessed — needs training"


def test_without_completions_it_says_what_it_needs(demo_analysis):
    from workbook.analyses.impact import assess_impact

    data = demo_analysis.data
    training = data.tables["training"].assign(completed_date=pd.NaT, status="in_progress")
    impact = assess_impact(data.tables["people"], {**data.tables, "training": training}, data.as_of,
                           demo_analysis.values, demo_analysis.performance["tier"])
    assert not impact.measured
    assert "no front-line manager has completed" in impact.status
    assert any("months" in need for need in impact.needs)


@pytest.mark.parametrize("seed", range(1, 5))
def test_follow_up_recovers_the_planted_effect_and_its_placebo_claims_none(tmp_path, seed):
    """A 600-person demo followed up six months later with a known effect (coaching +50%, core
    attainment +12% after a 30-day ramp): each interval contains the planted uplift and excludes
    zero; the same client without the follow-up (completions at random dates, nothing planted)
    claims no effect."""
    from workbook.demo import PLANTED_ATTAINMENT_UPLIFT, PLANTED_COACHING_UPLIFT, generate_demo
    from workbook.intake.load import load_engagement_data
    from workbook.pipeline.analysis import Analysis

    truth = {"coaching": PLANTED_COACHING_UPLIFT, "attainment": PLANTED_ATTAINMENT_UPLIFT}
    follow_up = Analysis(load_engagement_data(generate_demo(tmp_path / "f", seed=seed, people=600,
                                                            follow_up=True))).impact
    for row in follow_up.estimates.itertuples():
        assert row.measured and row.trained_teams >= 20, row
        assert row.uplift_low <= truth[row.outcome] <= row.uplift_high, row
        assert row.uplift_low > 0, row
    placebo = Analysis(load_engagement_data(generate_demo(tmp_path / "p", seed=seed, people=600))).impact
    for row in placebo.estimates.itertuples():
        assert not row.measured or row.uplift_low <= 0 <= row.uplift_high, row


def test_a_completed_person_has_no_planned_start():
    people = pd.DataFrame({"name": ["Ann", "Bo"], "role": ["manager", "manager"], "manager_id": [None, None]},
                          index=pd.Index(["M1", "M2"]))
    training = pd.DataFrame({"person_id": ["M1"], "program": ["Coaching Excellence"], "status": ["completed"],
                             "completed_date": pd.to_datetime(["2026-01-05"])})
    plan = pd.DataFrame({"person_id": ["M1", "M2"], "start_date": pd.to_datetime(["2026-11-02", "2026-12-01"])})
    events = programme_events(people, training, plan).set_index("person_id")
    assert pd.isna(events.at["M1", "planned_start"]) and events.at["M1", "status"] == "completed"
    assert events.at["M2", "planned_start"] == pd.Timestamp("2026-12-01")


def test_month_positions_and_sums_match_period_lookups():
    """The panel's month arithmetic and one-bincount sums give what Period lookups and np.add.at
    give, dates outside the months and missing dates included."""
    import numpy as np
    import pandas as pd

    from workbook.analyses.impact import _month_positions, _summed

    rng = np.random.default_rng(5)
    months = pd.period_range("2025-10", "2026-09", freq="M")
    dates = pd.Series(pd.Timestamp("2025-08-01") + pd.to_timedelta(rng.integers(0, 500, 2000), unit="D"))
    dates[::97] = pd.NaT
    expected = pd.Index(months).get_indexer(dates.dt.to_period("M"))
    assert (_month_positions(dates, months) == expected).all()
    rows, cols, weights = rng.integers(0, 7, 500), rng.integers(0, 12, 500), rng.random(500)
    reference = np.zeros((7, 12))
    np.add.at(reference, (rows, cols), weights)
    assert np.allclose(_summed((7, 12), rows, cols, weights), reference)
