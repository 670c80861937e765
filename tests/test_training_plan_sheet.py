"""The Training Plan sheet as a client reads it: the pilot, buy-in sessions, the comparison window and
the notes saying what priority is, which weeks are blacked out and what the staggered waves allow."""

from __future__ import annotations

import dataclasses

import openpyxl
import pandas as pd
import pytest
from test_readiness import ADKAR, AS_OF, coaching_frame, make_people, survey_frame, survey_rows

from workbook.analyses.readiness import assess_readiness
from workbook.analyses.training_plan import PRIORITY_RULE, plan_training, wave_summary
from workbook.deliverable import write_deliverable
from workbook.deliverable.registry import SheetSpec
from workbook.deliverable.sheets import methodology
from workbook.deliverable.sheets.training_plan_sheet import PLAN_TITLE, build_training_plan
from workbook.engagement.assumptions import build_assumptions
from workbook.pipeline.results import read_results, save_result

pytestmark = pytest.mark.filterwarnings("ignore:.*extension is not supported:UserWarning")

SHEETS = [SheetSpec(PLAN_TITLE, "plan", build_training_plan)]
WILLING = dict.fromkeys(ADKAR, 4)
UNWILLING = {"awareness": 4, "desire": 2, "knowledge": 4, "ability": 4, "reinforcement": 4}


@pytest.fixture(scope="module")
def results():
    # A and B answer the survey willingly; C's barrier point is desire; D has no survey answers
    people = make_people({"A": (7, 1), "B": (9, 0), "C": (12, 2), "D": (4, 0)})
    survey = survey_frame(survey_rows("A", WILLING) + survey_rows("B", WILLING) + survey_rows("C", UNWILLING))
    coaching = coaching_frame({"A": (3.5, 1.0), "B": (3.2, 1.0), "C": (0.5, 0.2), "D": (2.0, 0.5)})
    a = build_assumptions({"cohort_size": 2, "pilot_size": 2}).as_dict()
    readiness = assess_readiness({"people": people, "survey": survey}, AS_OF, a, coaching)
    plan = plan_training(people, readiness, AS_OF, a)
    return {"manager_readiness": readiness, "training_plan": plan}


def context(deliverable_context, results):
    return dataclasses.replace(deliverable_context, results=results,
                               assumptions=build_assumptions({"cohort_size": 2, "pilot_size": 2}))


def sheet(tmp_path, ctx, sheets=SHEETS):
    return openpyxl.load_workbook(write_deliverable(tmp_path / "out.xlsx", ctx, sheets=sheets))


def table_rows(ws, name: str) -> list[dict]:
    ref = ws.tables[name].ref
    rows = [[c.value for c in r] for r in ws[ref]]
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def sheet_text(ws) -> str:
    return " ".join(str(c.value) for r in ws.iter_rows() for c in r if isinstance(c.value, str))


def test_the_fixture_has_a_blocked_manager_outside_the_pilot(results):
    readiness = results["manager_readiness"].set_index("manager_id")
    assert readiness.loc["C", "barrier_point"] == "desire"
    plan = results["training_plan"].set_index("person_id")
    assert not plan.loc["C", "pilot"]
    # C trains on 5 Oct 2026; 2 weeks before is 21 Sep, in the Q3 blackout (17-30 Sep): 14 Sep
    assert plan.loc["C", "start_date"] == pd.Timestamp("2026-10-05")
    assert plan.loc["C", "buy_in_session_date"] == pd.Timestamp("2026-09-14")


@pytest.mark.parametrize("from_csv", [False, True])
def test_sheet_shows_the_pilot_and_each_buy_in_session(tmp_path, deliverable_context, results, from_csv):
    if from_csv:
        for name, frame in results.items():
            save_result(name, frame, tmp_path / "run")
        results = {**results, **read_results(tmp_path / "run")}
    ws = sheet(tmp_path, context(deliverable_context, results))[PLAN_TITLE]
    plan = results["training_plan"]
    people = {r["Person ID"]: r for r in table_rows(ws, "tbl_training_plan")}
    assert set(people) == set(plan["person_id"])
    pilot = plan.loc[plan["cohort"] == "Pilot", "person_id"].tolist()
    assert len(pilot) == 2 and "C" not in pilot
    assert all(people[m]["Cohort"] == "Pilot" and people[m]["Wave"] == 2 for m in pilot)
    buy_in = pd.Timestamp(plan.set_index("person_id").loc["C", "buy_in_session_date"]).to_pydatetime()
    assert people["C"]["Buy-in session"] == buy_in
    assert people["C"]["Buy-in session"] < people["C"]["Starts"]
    assert [p for p, r in people.items() if r["Buy-in session"] is not None] == ["C"]


def test_waves_table_flags_the_pilot_counts_buy_in_and_gives_the_comparison_window(
        tmp_path, deliverable_context, results):
    ws = sheet(tmp_path, context(deliverable_context, results))[PLAN_TITLE]
    waves = {r["Wave"]: r for r in table_rows(ws, "tbl_training_waves")}
    summary = wave_summary(results["training_plan"]).set_index("wave")
    assert list(waves[1])[-3:] == ["Pilot", "Buy-in sessions", "Comparison until"]
    assert waves[2]["Pilot"] == "Yes" and waves[1]["Pilot"] is None and waves[3]["Pilot"] is None
    c_wave = int(results["training_plan"].set_index("person_id").loc["C", "wave"])
    assert waves[c_wave]["Buy-in sessions"] == 1
    assert sum(w["Buy-in sessions"] for w in waves.values()) == 1
    assert waves[2]["Comparison until"] == summary.loc[2, "comparison_until"].to_pydatetime()
    assert waves[2]["Comparison until"] == waves[2]["Starts"] - pd.Timedelta(days=1)
    assert waves[1]["Comparison until"] is None                # leaders: no teams to compare


def test_notes_say_what_priority_is_the_blackouts_and_the_stepped_wedge(tmp_path, deliverable_context, results):
    ws = sheet(tmp_path, context(deliverable_context, results))[PLAN_TITLE]
    text = sheet_text(ws)
    assert PRIORITY_RULE in text
    assert "Priority = leverage x (100 - readiness score)" in text
    assert "The pilot is the first 2 front-line managers in priority order who are rated ready and whose " \
           "survey shows they see the need for the change and want it" in text
    pilot = results["training_plan"].query("cohort == 'Pilot'")["name"].tolist()
    assert f"a pilot of 2 front-line managers ({', '.join(pilot)})" in text
    assert "each starting 4 weeks after their own manager" in text
    assert "1 front-line manager whose ADKAR barrier point is awareness or desire has a buy-in session" in text
    assert ("the last 2 weeks of each fiscal quarter (quarters ending March, June, September, December) and "
            "20 December to 5 January") in text
    assert "stepped-wedge comparison" in text
    assert "a later re-run can compare teams trained earlier with teams not yet trained" in text


def test_notes_follow_the_engagement_assumptions(tmp_path, deliverable_context, results):
    a = {"cohort_size": 2, "pilot_size": 0, "fiscal_year_start_month": 4, "year_end_blackout": 0,
         "rep_lag_weeks": 6}
    ctx = dataclasses.replace(deliverable_context, results=results, assumptions=build_assumptions(a))
    text = sheet_text(sheet(tmp_path, ctx)[PLAN_TITLE])
    assert "There is no pilot (pilot size 0)" in text
    assert "quarters ending March, June, September, December)." in text   # April year: same quarter ends
    assert "20 December to 5 January" not in text
    assert "each starting 6 weeks after their own manager" in text


def test_methodology_quotes_the_priority_rule_and_the_stepped_wedge(tmp_path, deliverable_context):
    sheets = [SheetSpec("Methodology", "how", methodology.build)]
    text = sheet_text(sheet(tmp_path, deliverable_context, sheets)["Methodology"])
    assert PRIORITY_RULE in text
    assert "The first manager cohort is a pilot" in text
    assert "buy-in session first" in text
    assert "20 December to 5 January" in text
    assert "a later re-run can compare teams trained earlier with teams not yet trained" in text
