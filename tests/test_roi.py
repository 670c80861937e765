"""Phillips ROI: a hand-computed case, the inputs from data, and the shared formula definition."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from workbook.analyses.coaching import NotAssessed
from workbook.analyses.roi import (
    COSTS,
    LINES,
    SCENARIO_COLUMNS,
    cost_formula,
    excel_formula,
    roi_inputs,
    roi_inputs_frame,
    roi_scenarios,
    still_to_train,
)
from workbook.analyses.window import Window
from workbook.engagement.assumptions import build_assumptions

# 6%/8%/19%, closure 50%, margin 25%, $90/h manager, $60/h rep, $3,000/manager, $1,500/rep, 16 h each,
# isolation and confidence 100%
ASSUMPTIONS = build_assumptions().as_dict()
INPUTS = {"core_revenue_usd": 4_000_000.0, "gap_hours_per_year": 1_200.0, "managers_to_train": 10,
          "reps_to_train": 60}


def test_hand_computed_scenarios():
    frame = roi_scenarios(INPUTS, ASSUMPTIONS).set_index("scenario")
    assert list(frame.index) == ["conservative", "base", "upper"]
    base = frame.loc["base"]
    assert base["uplift"] == 0.08
    assert base["annual_benefit"] == pytest.approx(4_000_000 * 0.08 * 0.5 * 0.25)  # 40,000 profit
    assert base["coaching_time_cost"] == pytest.approx(1_200 * 0.5 * 90)          # 54,000
    assert base["manager_program_cost"] == pytest.approx(3_000 * 10)              # 30,000
    assert base["rep_program_cost"] == pytest.approx(1_500 * 60)                  # 90,000
    assert base["participants_time_cost"] == pytest.approx(10 * 16 * 90 + 60 * 16 * 60)   # 72,000
    assert base["total_cost"] == pytest.approx(246_000)
    assert base["program_cost"] == base["total_cost"]  # the CSV's program cost is fully loaded
    assert base["net_benefit"] == pytest.approx(-206_000)
    assert base["roi_pct"] == pytest.approx(-206_000 / 246_000 * 100)
    assert base["bcr"] == pytest.approx(40_000 / 246_000)
    assert frame.loc["upper", "annual_benefit"] == pytest.approx(95_000)
    assert frame.loc["conservative", "annual_benefit"] == pytest.approx(30_000)


def test_phillips_adjustments_scale_the_benefit_not_the_cost():
    adjusted = {**ASSUMPTIONS, "isolation_share": 0.5, "estimate_confidence": 0.8}
    base = roi_scenarios(INPUTS, adjusted).set_index("scenario").loc["base"]
    assert base["annual_benefit"] == pytest.approx(40_000 * 0.5 * 0.8)
    assert base["total_cost"] == pytest.approx(246_000)


def test_nobody_left_to_train_costs_only_the_coaching_time():
    done = {**INPUTS, "managers_to_train": 0, "reps_to_train": 0}
    base = roi_scenarios(done, ASSUMPTIONS).set_index("scenario").loc["base"]
    assert base["total_cost"] == pytest.approx(54_000)


def test_still_to_train_counts_only_those_without_a_completed_program():
    readiness = pd.DataFrame({"team_size": [6, 4, 5], "manager_coaching_program": [1.0, 0.5, math.nan],
                              "team_completion_share": [0.5, 1.0, math.nan]})
    # M1 completed the coaching program; M2 half-way and M3 unknown are still to train.
    # Reps: 3 of M1's 6, none of M2's, all 5 of M3's (completion unknown)
    assert still_to_train(readiness, pd.DataFrame()) == {"managers_to_train": 2, "reps_to_train": 8}
    by_manager = pd.DataFrame({"reps": [6, 4]}, index=["M1", "M2"])
    assert still_to_train(None, by_manager) == {"managers_to_train": 2, "reps_to_train": 10}


def test_spec_columns_and_assumptions_object():
    frame = roi_scenarios(INPUTS, build_assumptions({"uplift_base": 0.10}))
    assert list(frame.columns) == SCENARIO_COLUMNS
    assert list(frame.columns[:6]) == ["scenario", "uplift", "annual_benefit", "program_cost",
                                       "net_benefit", "roi_pct"]
    assert frame.set_index("scenario").loc["base", "annual_benefit"] == pytest.approx(50_000)


def test_gap_closure_scales_benefit_and_coaching_cost_together():
    half = roi_scenarios(INPUTS, ASSUMPTIONS).set_index("scenario").loc["base"]
    full = roi_scenarios(INPUTS, {**ASSUMPTIONS, "gap_closure_share": 1.0}).set_index("scenario").loc["base"]
    assert full["annual_benefit"] == pytest.approx(2 * half["annual_benefit"])
    assert full["coaching_time_cost"] == pytest.approx(2 * half["coaching_time_cost"])
    assert full["manager_program_cost"] == half["manager_program_cost"]


def test_benefit_is_gross_profit_not_revenue():
    assert ASSUMPTIONS["gross_margin_pct"] == 0.25
    profit = roi_scenarios(INPUTS, ASSUMPTIONS).set_index("scenario").loc["base"]
    revenue = roi_scenarios(INPUTS, {**ASSUMPTIONS, "gross_margin_pct": 1.0}).set_index("scenario").loc["base"]
    assert revenue["annual_benefit"] == pytest.approx(4 * profit["annual_benefit"])   # 160,000 of revenue
    assert revenue["total_cost"] == profit["total_cost"]                             # costs do not move
    assert profit["net_benefit"] == pytest.approx(40_000 - 246_000)


def test_lines_are_labelled_and_explained_in_words():
    labels = {line.key: line.label for line in (*COSTS, *LINES)}
    assert labels["manager_program_cost"].startswith("Manager program")
    assert labels["participants_time_cost"].startswith("Participants' time")
    assert "gross profit" in labels["annual_benefit"]
    for line in (*COSTS, *LINES):  # no code names in the explanation a client reads
        assert line.words and "_" not in line.words and "{" not in line.words, line.key
    words = {line.key: line.words for line in LINES}
    assert words["annual_benefit"] == ("Core performers' annual revenue weighted by each team's coaching gap "
                                       "× uplift × share of the gap closed × gross margin × share attributed "
                                       "to the program × confidence in the estimate")


def test_zero_cost_gives_an_empty_roi_not_an_error():
    frame = roi_scenarios({"core_revenue_usd": 10.0, "gap_hours_per_year": 0.0, "managers_to_train": 0,
                           "reps_to_train": 0}, ASSUMPTIONS)
    assert frame["roi_pct"].isna().all() and frame["bcr"].isna().all()


def test_excel_formulas_use_names_and_row_cells_only():
    cells = {"uplift": "B9", "annual_benefit": "C9", "total_cost": "D9", "net_benefit": "E9"}
    formulas = {line.key: excel_formula(line, "uplift_base", cells) for line in LINES}
    assert formulas["uplift"] == "=uplift_base"
    assert formulas["annual_benefit"] == ("=roi_core_revenue_usd*B9*gap_closure_share*gross_margin_pct"
                                          "*isolation_share*estimate_confidence")
    assert formulas["total_cost"] == "=roi_total_cost"
    assert formulas["net_benefit"] == "=C9-D9"
    assert formulas["roi"] == '=IF(D9=0,"",E9/D9)'
    costs = {line.key: cost_formula(line) for line in COSTS}
    assert costs["coaching_time_cost"] == "=roi_gap_hours_per_year*gap_closure_share*manager_loaded_hourly_cost_usd"
    assert costs["manager_program_cost"] == "=program_cost_per_manager_usd*roi_managers_to_train"
    assert costs["total_cost"] == ("=roi_coaching_time_cost+roi_manager_program_cost+roi_rep_program_cost"
                                   "+roi_participants_time_cost")
    for formula in (*formulas.values(), *costs.values()):  # no constants: names and row cells only
        assert not any(ch.isdigit() for ch in formula.replace("B9", "").replace("C9", "").replace(
            "D9", "").replace("E9", "").replace("=0,", ","))


def _people() -> pd.DataFrame:
    frame = pd.DataFrame({
        "role": ["rep", "rep", "rep", "rep"],
        "manager_id": ["M1", "M1", "M2", "M2"],
        "hire_date": pd.to_datetime([None, None, None, None]),
        "termination_date": pd.to_datetime([None, "2026-06-30", None, None]),
    }, index=pd.Index(["A", "B", "C", "D"], name="person_id"))
    return frame


def _performance() -> pd.DataFrame:
    return pd.DataFrame({
        "tier": pd.array(["core", "core", "top", "core"], dtype="string"),
        "won_revenue": [60_000.0, 90_000.0, 500_000.0, 20_000.0],
        "exposure_months": [6.0, 6.0, 12.0, 2.0],
    }, index=pd.Index(["A", "B", "C", "D"]))


def test_roi_inputs_annualise_core_revenue_by_exposure():
    window = Window.trailing(dt.date(2026, 12, 31), 12)
    by_manager = pd.DataFrame({"gap_hours_per_rep_month": [1.5, 0.0, math.nan],
                               "target_hours_per_rep_month": [3.0, 3.0, 3.0],
                               "gap_manager_hours_per_month": [9.0, 0.0, 0.0]},
                              index=pd.Index(["M1", "M2", "M3"], name="manager_id"))
    inputs = roi_inputs(by_manager, _performance(), _people(), window)
    # A: 60k over 6 months -> 120k a year; D: 20k over 2 months -> 120k; B left; C is top.
    # Only A's manager (M1) is below the target (D's manager is at it, so D has no gap to close),
    # and M1 is 1.5 h short of 3 h: closing the gap gains half the target hours, half the uplift.
    assert inputs["core_revenue_usd"] == pytest.approx(120_000 * 0.5)
    assert inputs["core_revenue_gap_teams_usd"] == pytest.approx(120_000)
    assert inputs["core_reps"] == 1
    assert inputs["core_revenue_all_usd"] == pytest.approx(240_000)   # context: every core rep still there
    assert inputs["core_reps_all"] == 2
    assert inputs["gap_hours_per_year"] == pytest.approx(9.0 * 12)
    assert inputs["managers"] == 3
    assert inputs["managers_below_target"] == 1
    assert list(roi_inputs_frame(inputs).columns)[:1] == ["core_revenue_usd"]


def test_roi_inputs_without_a_below_target_manager_have_no_revenue_to_lift():
    window = Window.trailing(dt.date(2026, 12, 31), 12)
    by_manager = pd.DataFrame({"gap_hours_per_rep_month": [0.0, 0.0], "target_hours_per_rep_month": [3.0, 3.0],
                               "gap_manager_hours_per_month": [0.0, 0.0]},
                              index=pd.Index(["M1", "M2"], name="manager_id"))
    inputs = roi_inputs(by_manager, _performance(), _people(), window)
    assert inputs["core_revenue_usd"] == 0.0 and inputs["core_reps"] == 0
    assert inputs["core_revenue_all_usd"] == pytest.approx(240_000)
    base = roi_scenarios(inputs, ASSUMPTIONS).set_index("scenario").loc["base"]
    assert base["annual_benefit"] == 0.0 and base["coaching_time_cost"] == 0.0


def test_roi_without_sales_is_not_assessed():
    window = Window.trailing(dt.date(2026, 12, 31), 12)
    by_manager = pd.DataFrame({"gap_hours_per_rep_month": [1.0], "gap_manager_hours_per_month": [2.0]})
    perf = _performance().assign(tier=pd.array([pd.NA] * 4, dtype="string"))
    with pytest.raises(NotAssessed, match="needs sales"):
        roi_inputs(by_manager, perf, _people(), window)
    with pytest.raises(NotAssessed):
        roi_inputs(by_manager, None, _people(), window)


def test_benefit_scales_with_the_coaching_each_team_gains():
    """Dose, not switch: 0.4 h short of a 3 h target earns 0.4/3 of the uplift, 2.9 h short 2.9/3."""
    from workbook.analyses.roi import roi_by_manager

    window = Window.trailing(dt.date(2026, 12, 31), 12)
    by_manager = pd.DataFrame({"manager_name": ["Near", "Far", "At"],
                               "gap_hours_per_rep_month": [0.4, 2.9, 0.0],
                               "target_hours_per_rep_month": [3.0, 3.0, 3.0],
                               "gap_manager_hours_per_month": [2.0, 15.0, 0.0]},
                              index=pd.Index(["M1", "M2", "M3"], name="manager_id"))
    people = _people().assign(manager_id=lambda p: p["manager_id"].replace({"M2": "M3"}))
    people.loc["D", "manager_id"] = "M2"
    table = roi_by_manager(by_manager, _performance(), people, window, ASSUMPTIONS).set_index("manager_id")
    per_revenue = table["benefit_base"] / table["core_revenue"].where(table["core_revenue"] > 0)
    assert per_revenue["M2"] / per_revenue["M1"] == pytest.approx(2.9 / 0.4)
    assert table.loc["M3", "benefit_base"] == 0
    inputs = roi_inputs(by_manager, _performance(), people, window)
    base = roi_scenarios(inputs, ASSUMPTIONS).set_index("scenario").loc["base", "annual_benefit"]
    assert table["benefit_base"].sum() == pytest.approx(base)       # the teams add up to the scenario
