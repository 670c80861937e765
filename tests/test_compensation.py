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


def test_payouts_at_current_performance_with_the_calibration_at_its_cap():
    table, notes, _ = recommend(comp(), readiness(), coaching(), A)
    t = table.set_index("manager_id").loc[["M1", "M2", "M3"]]
    # team development (hours / 3, monthly coverage, own training, 1 - attrition / (2 x 25%)):
    # Mia mean(1, 1, 1, 0.6) = 0.9; Max mean(0.2, 0.2, 0, 0.2) = 0.15; Meg mean(0.5, 0.5, 0.5, 0.5) = 0.5
    assert list(t["team_development_attainment"]) == pytest.approx([0.9, 0.15, 0.5])
    # current: Mia 100% -> 60,000; Max 80% -> 40,000; Meg 130% -> 160% -> 64,000: 164,000
    assert list(t["payout_current_plan"]) == pytest.approx([60000, 40000, 64000])
    # other components at 80%: 48,000 + 32,000 + 51,200 = 131,200; team development at its curve:
    # 60,000 x 20% x 0.9 + 0 (Max is below threshold) + 40,000 x 20% x 0.5 = 14,800;
    # balancing needs k = 32,800 / 14,800 = 2.22, above the cap (payout at cap 200%): k = 2
    assert list(t["team_development_calibration"]) == pytest.approx([2.0] * 3)
    assert list(t["payout_proposed_plan"]) == pytest.approx([48000 + 21600, 32000, 51200 + 8000])
    budget = budget_of(table, A)
    assert budget.needed == pytest.approx(32800 / 14800)
    assert not budget.neutral and budget.change == pytest.approx(-3200)
    assert any("Not budget neutral" in n and "-2.0%" in n and "cap" in n for n in notes)
    assert sentence(budget, "USD") == (
        "Not budget neutral at today's measured performance: the proposed plan pays $3,200 less in total "
        "than the current plan's $164,000 (2.0% less), because even paying the team-development component "
        "at the curve's cap (200% of its curve) falls short.")


def test_the_calibration_makes_total_payouts_equal():
    r = readiness(results_raw=[1.0, 0.8, 1.0])
    table, notes, _ = recommend(comp(), r, coaching(), A)
    # current 60,000 + 40,000 + 40,000; other 48,000 + 32,000 + 32,000; at curve 14,800
    k = (140000 - 112000) / 14800
    assert list(table["team_development_calibration"]) == pytest.approx([k] * 3)
    assert table["payout_proposed_plan"].sum() == pytest.approx(table["payout_current_plan"].sum())
    t = table.set_index("manager_id")
    assert t.at["M1", "payout_proposed_plan"] == pytest.approx(48000 + 10800 * k)
    assert t.at["M2", "payout_proposed_plan"] == pytest.approx(32000)   # no team-development credit
    assert not any("budget neutral" in n for n in notes)
    budget = budget_of(table, A)
    assert budget.neutral
    assert sentence(budget, "EUR") == (
        "Budget neutral at today's measured performance: the proposed plan pays €140,000 in total against "
        f"€140,000 under the current plan, with the team-development component calibrated to pay {k:.0%} "
        "of its payout curve.")


def test_no_team_development_credit_anywhere_cannot_be_neutral_and_says_why():
    r = readiness(results_raw=[1.0, 0.8, 1.0], manager_sales_program=[0.0] * 3,
                  manager_coaching_program=[0.0] * 3, attrition_rate_shrunk=[0.5] * 3)
    slack = pd.DataFrame({"hours_per_rep_month": [0.3, 0.6, 0.9], "coverage": [0.1] * 3,
                          "monthly_coverage": [0.1, 0.2, 0.3]}, index=coaching().index)
    table, notes, _ = recommend(comp(), r, slack, A)
    budget = budget_of(table, A)
    assert budget.at_curve == 0 and budget.calibration == 0
    assert "no manager's team-development attainment reaches the payout threshold" in sentence(budget, "USD")
    assert any("Not budget neutral" in n and "-20.0%" in n for n in notes)


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
    assert list(t["payout_change_pct"]) == pytest.approx([69600 / 60000 - 1, -0.2, 59200 / 64000 - 1])
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
