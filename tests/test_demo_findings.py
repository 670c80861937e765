"""The demo deliverable tells the planted story, and every sheet shows its results CSV's numbers."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from workbook import demo

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def book(demo_run):
    return openpyxl.load_workbook(demo_run.deliverable)


def results(demo_run, name):
    return pd.read_csv(demo_run.run_dir / "results" / f"{name}.csv", dtype={"manager_id": str,
                                                                             "person_id": str})


def rows_by_key(ws, key_values):
    """Sheet rows (as lists of values) keyed by the first cell equal to one of `key_values`."""
    found = {}
    for row in ws.iter_rows(values_only=True):
        for value in row:
            if isinstance(value, str) and value in key_values and value not in found:
                found[value] = list(row)
                break
    return found


def test_the_planted_weak_manager_is_among_the_first_to_train(demo_run, book):
    readiness = results(demo_run, "manager_readiness").set_index("manager_id")
    weak = readiness.loc[demo.PLANTED_WEAK_MANAGER_ID]
    assert weak["priority_rank"] <= 3
    assert weak["span"] > 10 and weak["tier"] != "ready"
    assert "span over 10" in weak["flags"]
    summary = " ".join(str(c) for r in book["Executive Summary"].iter_rows(values_only=True) for c in r if c)
    assert demo.PLANTED_WEAK_MANAGER_NAME in summary


def test_planted_coaches_show_in_the_gaps(demo_run):
    gaps = results(demo_run, "coaching_gaps").set_index("manager_id")
    assert gaps.loc[demo.PLANTED_STRONG_COACH_ID, "gap_hours_per_rep_month"] == 0
    for weak in demo.PLANTED_WEAK_COACH_IDS:
        assert gaps.loc[weak, "gap_hours_per_rep_month"] > 1.5
        assert gaps.loc[weak, "core_share"] < gaps.loc[demo.PLANTED_STRONG_COACH_ID, "core_share"]


def test_manager_readiness_sheet_matches_the_csv_cell_for_cell(demo_run, book):
    readiness = results(demo_run, "manager_readiness")
    sheet_rows = rows_by_key(book["Manager Readiness"], set(readiness["manager_name"]))
    assert set(sheet_rows) == set(readiness["manager_name"])
    for r in readiness.itertuples():
        row = sheet_rows[r.manager_name]
        numbers = [v for v in row if isinstance(v, (int, float))]
        assert r.readiness_score in numbers, (r.manager_name, r.readiness_score, row)
        assert r.team_size in numbers and r.priority_rank in numbers


def test_training_plan_sheet_matches_the_csv(demo_run, book):
    plan = results(demo_run, "training_plan")
    ws = book["Training Plan"]
    ids = set(plan["person_id"])
    sheet_rows = rows_by_key(ws, ids)
    assert set(sheet_rows) == ids
    for r in plan.itertuples():
        assert r.wave in sheet_rows[r.person_id]
    managers = plan.set_index("person_id")
    for r in plan[plan["role"] == "rep"].itertuples():
        assert r.wave > managers.loc[r.manager_id, "wave"]


def test_coaching_gaps_sheet_matches_the_csv(demo_run, book):
    gaps = results(demo_run, "coaching_gaps")
    sheet_rows = rows_by_key(book["Coaching Gaps"], set(gaps["manager_name"]))
    for r in gaps.itertuples():
        numbers = [v for v in sheet_rows[r.manager_name] if isinstance(v, (int, float))]
        assert any(abs(v - r.hours_per_rep_month) < 1e-9 for v in numbers), r.manager_name
        assert any(abs(v - r.coverage) < 1e-9 for v in numbers), r.manager_name


def test_compensation_is_budget_neutral_in_the_deliverable(demo_run):
    comp = results(demo_run, "compensation")
    weights = comp.filter(like="proposed_weight_").sum(axis=1)
    assert ((weights - 1).abs() < 1e-9).all()
    assert comp["payout_change"].notna().any()


def test_executive_summary_prints_on_one_landscape_page(book):
    ws = book["Executive Summary"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight in (None, 1)  # 1 is the default


# --- the planted truths: each case the demo hides is found where a client would look ----------------

def _sheet_text(book, title: str) -> str:
    return " ".join(str(c) for r in book[title].iter_rows(values_only=True) for c in r if c is not None)


def test_the_big_team_losing_reps_without_coaching_is_flagged_and_named(demo_run, book):
    readiness = results(demo_run, "manager_readiness").set_index("manager_id")
    gary = readiness.loc[demo.PLANTED_WEAK_MANAGER_ID]
    assert gary["attrition_exits"] == 11
    assert (gary["attrition_exits_voluntary"], gary["attrition_exits_involuntary"]) == (7, 4)
    assert gary["attrition_low"] > gary["org_attrition_rate"]          # the interval clears it
    assert "attrition above organisation" in gary["flags"]
    assert gary["hours_per_rep_month"] == 0 and gary["tier"] == "not_ready"
    summary = _sheet_text(book, "Executive Summary")
    assert f"1 team clearly above the organisation's rate after allowing for team size: " \
           f"{demo.PLANTED_WEAK_MANAGER_NAME} (11 exits)" in summary
    flagged = readiness["flags"].fillna("").str.contains("attrition above")
    assert list(readiness.index[flagged]) == [demo.PLANTED_WEAK_MANAGER_ID]   # and nobody else


def test_the_team_of_three_is_not_judged_on_its_raw_rate(demo_run, book):
    readiness = results(demo_run, "manager_readiness").set_index("manager_id")
    small = readiness.loc[demo.PLANTED_TEAM_OF_THREE_ID]
    assert small["team_size"] == 3
    assert small["attrition_rate_raw"] > 2 * small["org_attrition_rate"]    # looks terrible raw
    assert small["attrition_low"] < small["org_attrition_rate"]             # but cannot be shown
    assert "attrition above" not in str(small["flags"])
    assert small["attrition_rate_raw"] > small["attrition_rate_shrunk"] > small["org_attrition_rate"]
    assert demo.PLANTED_TEAM_OF_THREE_NAME in _sheet_text(book, "Manager Readiness")


def test_the_low_buy_in_manager_with_good_numbers_is_not_ready_and_gets_a_buy_in_step(demo_run, book):
    readiness = results(demo_run, "manager_readiness").set_index("manager_id")
    rachel = readiness.loc[demo.PLANTED_LOW_BUY_IN_ID]
    assert rachel["readiness_score"] >= 70 and rachel["score_coaching"] == 100
    assert rachel["tier"] == "developing" and rachel["barrier_point"] == "awareness"
    assert "buy-in gate" in rachel["flags"]
    # no 'ready' manager anywhere answered 2 or less on awareness or desire
    ready = readiness[readiness["tier"] == "ready"]
    assert not ((ready["adkar_awareness"] <= 2) | (ready["adkar_desire"] <= 2)).any()
    sheet = _sheet_text(book, "Manager Readiness")
    assert demo.PLANTED_LOW_BUY_IN_NAME in sheet and "buy-in" in sheet
    plan = results(demo_run, "training_plan").set_index("person_id")
    step = pd.to_datetime(plan.loc[demo.PLANTED_LOW_BUY_IN_ID, "buy_in_session_date"])
    assert step < pd.to_datetime(plan.loc[demo.PLANTED_LOW_BUY_IN_ID, "start_date"])   # buy-in first
    assert plan.loc[demo.PLANTED_LOW_BUY_IN_ID, "cohort"] != "Pilot"
    pilot = plan[plan["cohort"] == "Pilot"]
    assert 1 <= len(pilot) <= 3 and not pilot.index.isin(readiness.index[readiness["buy_in_gate"]]).any()


def test_the_near_target_coach_earns_a_small_share_of_the_roi(demo_run, book):
    gaps = results(demo_run, "coaching_gaps").set_index("manager_id")
    near = gaps.loc[demo.PLANTED_NEAR_TARGET_ID]
    assert 0 < near["gap_hours_per_rep_month"] < 0.5
    roi = results(demo_run, "roi_by_manager").set_index("manager_id")
    per_revenue = roi["benefit_base"] / roi["core_revenue"].where(roi["core_revenue"] > 0)
    weak = demo.PLANTED_WEAK_COACH_IDS[0]
    # dose, not switch: benefit per dollar of core revenue in proportion to the hours gained
    assert per_revenue[demo.PLANTED_NEAR_TARGET_ID] / per_revenue[weak] == pytest.approx(
        near["gap_hours_per_rep_month"] / gaps.loc[weak, "gap_hours_per_rep_month"])
    assert demo.PLANTED_NEAR_TARGET_NAME in _sheet_text(book, "ROI Model")


def test_tiers_spread(demo_run):
    tiers = results(demo_run, "manager_readiness")["tier"].value_counts()
    assert tiers.get("ready", 0) <= 0.6 * tiers.sum()
    assert tiers.get("developing", 0) >= 2 and tiers.get("not_ready", 0) >= 1


def test_the_compensation_notebook_says_whether_the_plan_is_budget_neutral(demo_run):
    from workbook.analyses.budget_neutrality import Budget, sentence

    budget = Budget.from_frame(results(demo_run, "compensation_budget"))
    report = (demo_run.run_dir / "notebooks" / "04_compensation_ownership.report.html").read_text(
        encoding="utf-8")
    assert sentence(budget, "USD").replace("'", "&#x27;") in report or sentence(budget, "USD") in report


def test_the_executive_summary_names_the_pilot_the_plan_trains_first(demo_run, book):
    plan = results(demo_run, "training_plan")
    pilot = plan.loc[plan["cohort"] == "Pilot", "name"].tolist()
    assert 1 <= len(pilot) <= 3
    summary = _sheet_text(book, "Executive Summary")
    assert f"({', '.join(pilot)}) trains first to test the program" in summary
    readiness = results(demo_run, "manager_readiness").set_index("manager_name")
    assert (readiness.loc[pilot, "tier"] == "ready").all()


def test_data_quality_reconciles_the_roster_to_the_reps_assessed(demo_run, book):
    readiness = results(demo_run, "manager_readiness")
    counts = results(demo_run, "row_counts").set_index("table")
    text = _sheet_text(book, "Data Quality")
    assert (f"From roster to assessment: {int(counts.loc['people', 'rows_read'])} roster rows read, "
            f"{int(counts.loc['people', 'rows_used'])} people used") in text
    assert f"{len(readiness)} front-line managers in post with {int(readiness['team_size'].sum())} reps in post" \
        in text
