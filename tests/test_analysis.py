"""The one analysis chain: what a run saves is what the chain computes, and a change of
assumptions is a new chain that recomputes everything that reads it (nothing stale, nothing shared)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbook import pipeline
from workbook.errors import AssumptionError, EngagementError
from workbook.pipeline import Analysis, analysis_of
from workbook.pipeline.results import read_results


@pytest.fixture(scope="module")
def data(demo_engagement):
    return pipeline.load(demo_engagement)


def _same(saved: pd.DataFrame, computed: pd.DataFrame, columns):
    for column in columns:
        got, want = saved[column], computed[column].reset_index(drop=True)
        if pd.api.types.is_numeric_dtype(want):
            np.testing.assert_allclose(got.to_numpy(float), want.to_numpy(float), rtol=1e-9,
                                       equal_nan=True, err_msg=column)
        else:
            # an empty text cell reads back from CSV as missing
            assert got.fillna("").astype(str).tolist() == want.fillna("").astype(str).tolist(), column


def test_the_run_saves_exactly_what_the_chain_computes(demo_run, data):
    results = read_results(demo_run.run_dir)
    chain = Analysis(data)
    _same(results["manager_readiness"], chain.readiness,
          ["manager_id", "readiness_score", "tier", "priority_rank", "barrier_point", "team_size"])
    _same(results["coaching_gaps"], chain.coaching_gaps.gaps,
          ["manager_id", "hours_per_rep_month", "gap_hours_per_rep_month", "coverage", "core_share"])
    _same(results["roi_scenarios"], chain.roi.scenarios,
          ["scenario", "annual_benefit", "program_cost", "net_benefit", "roi_pct"])
    _same(results["compensation"], chain.compensation.table,
          ["manager_id", "payout_current_plan", "payout_proposed_plan", "payout_change"])
    _same(results["training_plan"], chain.plan, ["person_id", "wave"])


def test_each_step_is_computed_once_and_the_engagement_chain_is_kept_with_the_data(data):
    chain = analysis_of(data)
    assert analysis_of(data) is chain and analysis_of(chain) is chain
    assert chain.readiness is chain.readiness
    assert pipeline.manager_readiness(data) is chain.readiness     # sections read the same chain


def test_an_override_is_a_new_chain_and_everything_downstream_follows(data):
    base = Analysis(data)
    target = base.values["target_coaching_hours_per_rep_month"]
    higher = base.with_overrides({"target_coaching_hours_per_rep_month": target + 2})
    assert higher.data is base.data and higher.assumptions["target_coaching_hours_per_rep_month"] == target + 2
    before, after = base.coaching.set_index(base.coaching.index), higher.coaching
    assert (after["gap_hours_per_rep_month"] >= before["gap_hours_per_rep_month"]).all()
    assert after["gap_hours_per_rep_month"].sum() > before["gap_hours_per_rep_month"].sum()
    # readiness reads the gap (coaching pillar), the ROI reads the gap hours, pay reads the measures
    r0, r1 = base.readiness.set_index("manager_id"), higher.readiness.set_index("manager_id")
    assert (r1["score_coaching"] <= r0["score_coaching"].reindex(r1.index)).all()
    assert (r1["score_coaching"] < r0["score_coaching"].reindex(r1.index)).any()
    assert higher.roi.inputs["gap_hours_per_year"] > base.roi.inputs["gap_hours_per_year"]
    m0 = base.compensation.measures.set_index("manager_id")["coaching_hours"]
    m1 = higher.compensation.measures.set_index("manager_id")["coaching_hours"]
    m1 = m1.reindex(m0.index)
    assert (m1 <= m0).all() and (m1 < m0).any()
    # the original chain is untouched
    assert base.values["target_coaching_hours_per_rep_month"] == target
    pd.testing.assert_frame_equal(base.readiness, Analysis(data).readiness)


def test_plain_values_are_checked_against_the_registry(data):
    values = dict(Analysis(data).values, uplift_base=0.1)
    pd.testing.assert_frame_equal(Analysis(data, values).roi.scenarios,
                                  Analysis(data).with_overrides({"uplift_base": 0.1}).roi.scenarios)
    with pytest.raises(AssumptionError):
        Analysis(data, {"uplift_base": -3})


def test_in_post_is_who_is_employed_on_the_as_of_date(data):
    chain = Analysis(data)
    people = data.tables["people"]
    as_of = pd.Timestamp(data.as_of)
    left = people["termination_date"].notna() & (people["termination_date"] < as_of)
    assert left.any()
    assert not chain.in_post.index.isin(people.index[left]).any()
    assert len(chain.in_post) == int((~left).sum())
    managers = chain.in_post.index[chain.in_post["role"] == "manager"]
    reps = chain.in_post[chain.in_post["role"] == "rep"]
    assert sorted(chain.span_of_control.index) == sorted(managers)
    assert chain.span_of_control.sum() == int(reps["manager_id"].isin(managers).sum())


def test_missing_tables_are_not_assessed_not_zero(data):
    import dataclasses

    people_only = dataclasses.replace(data, tables={"people": data.tables["people"]}, cache={})
    chain = Analysis(people_only)
    assert chain.coaching is None
    assert chain.coaching_gaps.not_assessed == "not assessed — needs coaching"
    assert chain.roi.scenarios is None and chain.roi.not_assessed == "not assessed — needs coaching"
    assert chain.compensation.table is None
    assert chain.compensation.not_assessed == "not assessed — needs compensation"
    assert len(chain.plan) == len(chain.in_post)        # the plan needs only people


def test_a_chain_without_an_as_of_date_says_what_to_set(data):
    import dataclasses

    undated = dataclasses.replace(data, as_of=None, cache={})
    with pytest.raises(EngagementError, match="set as_of in engagement.yaml"):
        _ = Analysis(undated).window


def test_the_roi_by_manager_adds_up_to_the_scenarios_and_follows_the_dose(demo_run):
    results = read_results(demo_run.run_dir)
    teams, scenarios = results["roi_by_manager"], results["roi_scenarios"].set_index("scenario")
    for scenario in ("conservative", "base", "upper"):
        assert teams[f"benefit_{scenario}"].sum() == pytest.approx(scenarios.loc[scenario, "annual_benefit"])
    gaining = teams[(teams["core_revenue"] > 0) & (teams["dose"] > 0)]
    assert len(gaining) >= 3 and gaining["dose"].nunique() >= 3       # teams gain different amounts
    # benefit per revenue is proportional to the hours each team gains (dose), the same factor for all
    factor = gaining["benefit_base"] / (gaining["core_revenue"] * gaining["dose"])
    np.testing.assert_allclose(factor, factor.iloc[0], rtol=1e-9)
    assert (teams.loc[teams["gap_hours_per_rep_month"] <= 0, "benefit_base"] == 0).all()
