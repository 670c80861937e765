"""Compensation: the payout curve, budget neutrality, the risk flag, the plans as received."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from engagement_files import roster, write_csv, write_engagement

from workbook import pipeline
from workbook.analyses.budget_neutrality import sentence
from workbook.analyses.compensation import (
    CURVE_EXCEL,
    SENSITIVITY_WEIGHTS,
    TEAM_DEVELOPMENT,
    budget_of,
    payout_factor,
    recommend,
    sensitivity,
    team_development_measures,
    template,
)
from workbook.engagement.assumptions import build_assumptions
from workbook.pipeline.results import read_results

A = build_assumptions().as_dict()


def readiness(**overrides) -> pd.DataFrame:
    """The readiness columns compensation reads, for three managers."""
    frame = pd.DataFrame({
        "manager_id": ["M1", "M2", "M3"],
        "manager_name": ["Mia Manager", "Max Manager", "Meg Manager"],
        "results_measure": ["attainment"] * 3,
        "results_raw": [1.0, 0.8, 1.3],
        "org_results": [1.0] * 3,
        "manager_sales_program": [1.0, 0.0, 1.0],
        "manager_coaching_program": [1.0, 0.5, 0.0],
        "attrition_rate_shrunk": [0.20, 0.40, 0.25],
        "org_attrition_rate": [0.25] * 3,
    })
    for k, v in overrides.items():
        frame[k] = v
    return frame


def coaching() -> pd.DataFrame:
    return pd.DataFrame({"hours_per_rep_month": [3.0, 0.6, 1.5], "coverage": [1.0, 1.0, 1.0],
                         "monthly_coverage": [1.0, 0.2, 0.5]},
                        index=pd.Index(["M1", "M2", "M3"], name="manager_id"))


def comp(**weights) -> pd.DataFrame:
    frame = pd.DataFrame({"person_id": ["M1", "M2", "M3", "L1"],
                          "base_salary": [120000.0, 110000.0, 100000.0, 200000.0],
                          "target_variable": [60000.0, 50000.0, 40000.0, 90000.0]})
    defaults = {"weight_revenue": [0.7, 0.6, 1.0, 1.0], "weight_margin": [0.3, 0.4, 0.0, 0.0]}
    for k, v in {**defaults, **weights}.items():
        frame[k] = pd.array(v, dtype="Float64")
    return frame


# --- the payout curve ---------------------------------------------------------------------------

@pytest.mark.parametrize("attainment, expected", [
    (0.0, 0.0), (0.49, 0.0), (0.5, 0.5), (0.75, 0.75), (1.0, 1.0), (1.25, 1.5), (1.5, 2.0),
    (1.8, 2.0), (3.0, 2.0),
])
def test_payout_curve_below_at_threshold_target_cap_and_beyond(attainment, expected):
    assert payout_factor(attainment, A) == pytest.approx(expected)


def test_payout_curve_follows_the_assumptions_and_handles_degenerate_curves():
    a = {**A, "payout_threshold_attainment": 0.8, "payout_at_threshold": 0.4, "payout_cap_attainment": 1.2,
         "payout_at_cap": 1.6}
    assert payout_factor(0.79, a) == 0
    assert payout_factor(0.8, a) == pytest.approx(0.4)
    assert payout_factor(0.9, a) == pytest.approx(0.7)
    assert payout_factor(1.1, a) == pytest.approx(1.3)
    assert payout_factor(1.2, a) == pytest.approx(1.6)
    assert payout_factor(1.0, {**a, "payout_threshold_attainment": 1.0}) == 1.0
    assert payout_factor(1.3, {**a, "payout_cap_attainment": 1.0}) == pytest.approx(1.6)
    assert math.isnan(payout_factor(float("nan"), a))


def test_curve_formula_names_every_curve_assumption():
    for name in ("payout_threshold_attainment", "payout_at_threshold", "payout_cap_attainment",
                 "payout_at_cap"):
        assert name in CURVE_EXCEL


# --- the recommendation -------------------------------------------------------------------------

def test_budget_neutral_for_every_manager():
    table, _, _ = recommend(comp(), readiness(), coaching(), A)
    assert len(table) == 3   # the leader's plan is not a front-line manager's
    for _, r in table.iterrows():
        proposed = [r[c] for c in table.columns if c.startswith("proposed_weight_")]
        current = [r[c] for c in table.columns if c.startswith("current_weight_")]
        assert sum(proposed) == pytest.approx(1.0)
        assert sum(current) == pytest.approx(1.0)
        assert r["target_variable"] * sum(proposed) == pytest.approx(r["target_variable"])
        assert r[f"proposed_weight_{TEAM_DEVELOPMENT}"] == pytest.approx(0.20)
    mia = table.set_index("manager_id").loc["M1"]
    assert mia["current_weights"] == "revenue 70% · margin 30%"
    assert mia["proposed_weights"] == "revenue 56% · margin 24% · team development 20%"
    assert mia["proposed_weight_revenue"] == pytest.approx(0.56)


def test_the_standard_is_solved_so_total_payouts_match():
    table, notes, _ = recommend(comp(), readiness(), coaching(), A)
    t = table.set_index("manager_id").loc[["M1", "M2", "M3"]]
    # team development (hours / 3, monthly coverage, own training, 1 - attrition / (2 x 25%)):
    # Mia mean(1, 1, 1, 0.6) = 0.9; Max mean(0.2, 0.2, 0, 0.2) = 0.15; Meg mean(0.5, 0.5, 0.5, 0.5) = 0.5
    assert list(t["team_development_attainment"]) == pytest.approx([0.9, 0.15, 0.5])
    # current: Mia 100% -> 60,000; Max 80% -> 40,000; Meg 130% -> 160% -> 64,000: 164,000
    assert list(t["payout_current_plan"]) == pytest.approx([60000, 40000, 64000])
    # other components at 80%: 48,000 + 32,000 + 51,200 = 131,200, so team development must pay 32,800.
    # At a standard s just under 50%: Mia 0.9/s is past the cap (2 x 12,000 = 24,000), Max 0.15/s is
    # below threshold (0), Meg 0.5/s = 1 + x: 8,000 x (1 + 2x) = 8,800 -> 0.5/s = 1.05, s = 1/2.1
    assert list(t["team_development_standard"]) == pytest.approx([1 / 2.1] * 3)
    assert list(t["payout_proposed_plan"]) == pytest.approx([48000 + 24000, 32000, 51200 + 8800])
    assert t["payout_proposed_plan"].sum() == pytest.approx(t["payout_current_plan"].sum())
    budget = budget_of(table, A)
    assert budget.neutral and budget.standard == pytest.approx(1 / 2.1)
    assert not any("budget neutral" in n.lower() for n in notes)   # said live, by the sentence below
    assert sentence(budget, "EUR") == (
        "Budget neutral at today's measured performance: the proposed plan pays €164,000 in total against "
        "€164,000 under the current plan, with the full team-development payout set at 48% "
        "team-development attainment (calibrated to today's performance, as a quota is).")


def test_at_target_the_plan_pays_the_target_incentive():
    r = readiness(results_raw=[1.0, 1.0, 1.0], manager_sales_program=[1.0] * 3, manager_coaching_program=[1.0] * 3,
                  attrition_rate_shrunk=[0.0] * 3)
    full = pd.DataFrame({"hours_per_rep_month": [3.0] * 3, "coverage": [1.0] * 3, "monthly_coverage": [1.0] * 3},
                        index=coaching().index)
    table, _, _ = recommend(comp(), r, full, A)
    assert list(table["team_development_standard"]) == pytest.approx([1.0] * 3)
    assert list(table["payout_proposed_plan"]) == pytest.approx(list(table["target_variable"]))
    assert list(table["payout_current_plan"]) == pytest.approx(list(table["target_variable"]))


def test_a_plan_that_pays_more_even_at_the_full_standard_says_so():
    r = readiness(results_raw=[0.4, 0.4, 0.4])          # below threshold: no payout today
    table, _, _ = recommend(comp(), r, coaching(), A)
    budget = budget_of(table, A)
    assert budget.current == 0 and budget.standard == 1.0 and budget.change > 0
    assert sentence(budget, "USD").endswith(
        "(no payout today), because even asking for full marks on every team-development measure pays "
        "more than today.")


def test_no_team_development_credit_anywhere_cannot_be_neutral_and_says_why():
    r = readiness(results_raw=[1.0, 0.8, 1.0], manager_sales_program=[0.0] * 3,
                  manager_coaching_program=[0.0] * 3, attrition_rate_shrunk=[0.5] * 3)
    none = pd.DataFrame({"hours_per_rep_month": [0.0] * 3, "coverage": [0.0] * 3,
                         "monthly_coverage": [0.0] * 3}, index=coaching().index)
    table, _, _ = recommend(comp(), r, none, A)
    budget = budget_of(table, A)
    assert budget.development == 0 and budget.standard == pytest.approx(0.05)
    text = sentence(budget, "USD")
    assert "(20.0% less), because even the lowest standard (5% team-development attainment for the full " \
           "payout) falls short." in text


def test_a_measure_that_does_not_tell_managers_apart_is_left_out_and_noted():
    r = readiness(attrition_rate_shrunk=[0.25, 0.26, 0.25])   # retention 50%, 48%, 50%
    m = team_development_measures(r, coaching(), A)
    assert (m["measures_used"] == 3).all()
    assert m.loc["M1", "team_development_attainment"] == pytest.approx(1.0)
    _, notes, _ = recommend(comp(), r, coaching(), A)
    assert any(n.startswith("Team retention vs organisation is left out") and "48% and 50%" in n
               for n in notes)


def test_risk_flag_when_the_change_exceeds_the_threshold():
    table, _, _ = recommend(comp(), readiness(), coaching(), A)
    t = table.set_index("manager_id").loc[["M1", "M2", "M3"]]
    assert list(t["payout_change_pct"]) == pytest.approx([72000 / 60000 - 1, -0.2, 60000 / 64000 - 1])
    assert list(t["risk_flag"].astype(bool)) == [True, True, False]
    relaxed, _, _ = recommend(comp(), readiness(), coaching(), {**A, "payout_change_risk_pct": 0.25})
    assert not relaxed.set_index("manager_id")["risk_flag"].astype(bool).any()


def test_weights_in_percent_or_not_summing_to_100_are_normalised_and_noted():
    plans = comp(weight_revenue=[70, 50, 100, 100], weight_margin=[30, 30, 0, 0])
    table, notes, _ = recommend(plans, readiness(), coaching(), A)
    t = table.set_index("manager_id")
    assert t.at["M1", "current_weight_revenue"] == pytest.approx(0.7)
    assert t.at["M2", "current_weight_revenue"] == pytest.approx(0.625)   # 50 / 80
    assert any("Max Manager (M2)" in n and "80%" in n for n in notes)
    assert not any("Mia Manager" in n and "sum" in n for n in notes)


def test_small_components_and_missing_plans_are_noted():
    plans = comp(weight_revenue=[0.9, 0.6, 1.0, 1.0], weight_margin=[0.1, 0.4, 0.0, 0.0])
    plans = plans[plans["person_id"] != "M3"]
    table, notes, _ = recommend(plans, readiness(), coaching(), A)
    t = table.set_index("manager_id")
    assert any("Mia Manager" in n and "margin under 20%" in n for n in notes)
    assert any("Meg Manager" in n and "no compensation plan" in n for n in notes)
    assert np.isnan(t.at["M3", "payout_current_plan"])
    assert "no compensation plan" in t.at["M3", "not_assessed"]


def test_an_existing_coaching_component_is_folded_into_team_development():
    plans = comp(weight_revenue=[0.6, 0.6, 1.0, 1.0], weight_margin=[0.2, 0.4, 0.0, 0.0],
                 weight_coaching=[0.2, 0.0, 0.0, 0.0])
    table, _, components = recommend(plans, readiness(), coaching(), A)
    assert [c.name for c in components] == ["revenue", "margin", "coaching"]
    mia = table.set_index("manager_id").loc["M1"]
    assert mia["proposed_weight_coaching"] == 0
    assert mia["proposed_weight_revenue"] == pytest.approx(0.6 / 0.8 * 0.8)
    assert mia["attainment_coaching"] == pytest.approx(mia["team_development_attainment"])


def test_without_quotas_attainment_is_revenue_relative_to_the_organisation():
    r = readiness(results_measure="revenue per rep-month", results_raw=[10000.0, 8000.0, 13000.0],
                  org_results=10000.0)
    table, notes, _ = recommend(comp(), r, coaching(), A)
    assert table.set_index("manager_id").at["M2", "team_attainment"] == pytest.approx(0.8)
    assert any("No quotas" in n for n in notes)


def test_measures_use_what_is_there():
    m = team_development_measures(readiness(), None, A)
    assert m["coaching_hours"].isna().all()
    assert m.loc["M2", "team_development_attainment"] == pytest.approx((0.0 + 0.2) / 2)
    assert (m["measures_used"] == 2).all()


def test_sensitivity_covers_10_to_30_percent_and_moves_with_the_weight():
    sens = sensitivity(comp(), readiness(results_raw=[1.0, 0.8, 1.0]), coaching(), A)
    assert list(sens["team_development_weight"]) == pytest.approx(list(SENSITIVITY_WEIGHTS))
    assert sens["payout_current_plan"].nunique() == 1
    # calibrated at every weight: the totals stay equal, who earns more or less moves
    assert sens["payout_proposed_plan"].to_numpy() == pytest.approx(sens["payout_current_plan"].to_numpy())
    assert sens["budget_neutral"].all()
    assert sens["managers_at_risk"].is_monotonic_increasing
    assert sens.loc[sens["is_assumption"], "team_development_weight"].item() == pytest.approx(0.2)


def test_template_is_in_percentages():
    t = template(A)
    assert list(t["weight"]) == pytest.approx([0.8, 0.2])


# --- through the pipeline -----------------------------------------------------------------------

def test_demo_compensation_is_budget_neutral_and_saved(demo_engagement, tmp_path):
    data = pipeline.load(demo_engagement)
    result = pipeline.compensation(data, tmp_path)
    assert result.not_assessed == ""
    table = result.table
    assert len(table) > 0 and table["payout_current_plan"].notna().all()
    weights = table[[c for c in table.columns if c.startswith("proposed_weight_")]].sum(axis=1)
    assert np.allclose(weights, 1.0)
    saved = read_results(tmp_path)
    for name in ("compensation", "compensation_sensitivity", "compensation_measures", "compensation_notes"):
        assert name in saved
    assert saved["compensation"]["payout_change"].to_numpy() == pytest.approx(
        table["payout_change"].to_numpy())
    assert set(saved["compensation_sensitivity"]["team_development_weight"]) >= set(SENSITIVITY_WEIGHTS)


def test_people_and_sales_only_is_not_assessed_but_keeps_the_template(tmp_path):
    folder = tmp_path / "lean"
    roster(folder)
    write_csv(folder / "sales.csv", ["rep_id,date,amount", "R1,2026-03-01,300000", "R2,2026-05-01,200000",
                                     "R3,2026-06-01,150000"])
    write_engagement(folder, {"people": "roster.csv", "sales": "sales.csv"}, as_of="2026-09-30")
    data = pipeline.load(folder)
    result = pipeline.compensation(data, tmp_path / "out")
    assert result.not_assessed == "not assessed — needs compensation"
    assert result.table is None and result.sensitivity is None
    assert list(result.template["weight"]) == pytest.approx([0.8, 0.2])
    saved = read_results(tmp_path / "out")
    assert "compensation" not in saved and "compensation_measures" in saved


@pytest.mark.parametrize("curve", [
    {"payout_threshold_attainment": 0.5, "payout_at_threshold": 0.5, "payout_cap_attainment": 1.5, "payout_at_cap": 2.0},
    {"payout_threshold_attainment": 1.0, "payout_at_threshold": 0.5, "payout_cap_attainment": 1.0, "payout_at_cap": 1.5},
    {"payout_threshold_attainment": 0.0, "payout_at_threshold": 0.0, "payout_cap_attainment": 3.0, "payout_at_cap": 2.5},
])
def test_the_vectorised_payout_curve_is_the_same_curve(curve):
    """Budget neutrality solves the standard with payout_factors over every manager at once: it must
    give payout_factor's value for each attainment, including the edges and missing values."""
    import math

    import numpy as np

    from workbook.analyses.payout import payout_factor, payout_factors

    values = np.array([-1.0, 0.0, 0.25, 0.5, 0.75, 1.0, 1.2, 1.5, 3.0, 9.0, np.nan, np.inf])
    vectorised = payout_factors(values, curve)
    for x, got in zip(values, vectorised, strict=True):
        one = payout_factor(float(x), curve)
        assert (math.isnan(one) and math.isnan(got)) or got == pytest.approx(one), x
