"""Manager Readiness and Training Plan sheets, read back the way a client's tools read them."""

from __future__ import annotations

import dataclasses

import openpyxl
import pandas as pd
import pytest
from test_readiness import ADKAR, AS_OF, coaching_frame, make_people, survey_frame, survey_rows

from workbook.analyses.readiness import assess_readiness
from workbook.analyses.training_plan import plan_training, wave_summary
from workbook.assumptions import build_assumptions
from workbook.deliverable import write_deliverable
from workbook.deliverable.registry import SheetSpec
from workbook.deliverable.sheets.readiness_sheets import (
    PLAN_TITLE,
    READINESS_TITLE,
    build_manager_readiness,
    build_training_plan,
    readiness_summary,
)
from workbook.results import read_results, save_result

# openpyxl drops the Excel 2010 data-bar extension on read; the file itself is fine
pytestmark = pytest.mark.filterwarnings("ignore:.*extension is not supported:UserWarning")

SHEETS = [SheetSpec(READINESS_TITLE, "readiness", build_manager_readiness),
          SheetSpec(PLAN_TITLE, "plan", build_training_plan)]


@pytest.fixture(scope="module")
def results():
    people = make_people({"A": (7, 1), "B": (9, 0), "C": (4, 2), "D": (12, 0)})
    people.loc["B", "name"] = "=HYPERLINK(\"http://evil\",\"x\")"
    survey = survey_frame(survey_rows("A", dict.fromkeys(ADKAR, 4))
                          + survey_rows("C", {"awareness": 4, "desire": 2, "knowledge": 3, "ability": 4,
                                              "reinforcement": 4}))
    coaching = coaching_frame({"A": (3.5, 1.0), "B": (1.0, 0.4), "C": (2.0, 0.5), "D": (0.5, 0.2)})
    a = build_assumptions({"cohort_size": 2}).as_dict()
    readiness = assess_readiness({"people": people, "survey": survey}, AS_OF, a, coaching)
    plan = plan_training(people, readiness, AS_OF, a)
    return {"manager_readiness": readiness, "training_plan": plan}


def write(tmp_path, ctx):
    return openpyxl.load_workbook(write_deliverable(tmp_path / "out.xlsx", ctx, sheets=SHEETS))


def test_manager_readiness_sheet_is_a_table_in_priority_order(tmp_path, deliverable_context, results):
    ctx = dataclasses.replace(deliverable_context, results=results)
    ws = write(tmp_path, ctx)[READINESS_TITLE]
    assert ws["A1"].value == "Manager Readiness"
    narrative = ws["A4"].value
    assert "front-line managers assessed" in narrative and "Train first:" in narrative
    (table,) = ws.tables.values()
    first_row = ws[table.ref.split(":")[0]].row
    headers = [c.value for c in ws[first_row]][: 6]
    assert headers == ["Priority (1 = train first)", "Manager", "Manager ID", "Reps",
                       "Readiness score (0-100)", "Tier"]
    readiness = results["manager_readiness"]
    ranks = [ws.cell(first_row + 1 + i, 1).value for i in range(len(readiness))]
    assert ranks == list(range(1, len(readiness) + 1))
    ids = [ws.cell(first_row + 1 + i, 3).value for i in range(len(readiness))]
    assert ids == list(readiness["manager_id"])
    score = ws.cell(first_row + 1, 5)
    assert score.value == pytest.approx(readiness["readiness_score"].iloc[0])
    assert score.number_format == "#,##0.0"
    assert ws.freeze_panes == f"A{first_row + 1}"
    # client text stays text
    names = [ws.cell(first_row + 1 + i, 2).value for i in range(len(readiness))]
    assert '=HYPERLINK("http://evil","x")' in names
    assert all(ws.cell(first_row + 1 + i, 2).data_type == "s" for i in range(len(readiness)))


def test_manager_readiness_has_icons_colour_scales_and_a_chart(tmp_path, deliverable_context, results):
    ctx = dataclasses.replace(deliverable_context, results=results)
    ws = write(tmp_path, ctx)[READINESS_TITLE]
    rules = [rule for cf in ws.conditional_formatting for rule in cf.rules]
    kinds = [rule.type for rule in rules]
    assert "iconSet" in kinds
    assert kinds.count("colorScale") == 6  # one per pillar
    icon = next(rule for rule in rules if rule.type == "iconSet")
    assert [float(v.val) for v in icon.iconSet.cfvo[1:]] == [50.0, 70.0]
    assert len(ws._charts) == 1


def test_barrier_and_not_assessed_notes_are_shown(tmp_path, deliverable_context, results):
    ctx = dataclasses.replace(deliverable_context, results=results)
    ws = write(tmp_path, ctx)[READINESS_TITLE]
    (table,) = ws.tables.values()
    first_row = ws[table.ref.split(":")[0]].row
    headers = {c.value: c.column for c in ws[first_row] if c.value}
    rows = {ws.cell(r, headers["Manager ID"]).value: r
            for r in range(first_row + 1, first_row + 1 + len(results["manager_readiness"]))}
    assert ws.cell(rows["C"], headers["ADKAR barrier point"]).value == "Desire"
    assert ws.cell(rows["A"], headers["ADKAR barrier point"]).value is None
    assert "buy-in — needs survey" in ws.cell(rows["B"], headers["Not assessed"]).value
    assert ws.cell(rows["A"], headers["Why"]).value.endswith(".")


def test_training_plan_sheet_shows_waves_then_people(tmp_path, deliverable_context, results):
    ctx = dataclasses.replace(deliverable_context, results=results)
    ws = write(tmp_path, ctx)[PLAN_TITLE]
    tables = {t.name: t for t in ws.tables.values()}
    assert set(tables) == {"tbl_training_waves", "tbl_training_plan"}
    waves_at = ws[tables["tbl_training_waves"].ref.split(":")[0]].row
    plan_at = ws[tables["tbl_training_plan"].ref.split(":")[0]].row
    assert waves_at < plan_at
    assert [c.value for c in ws[waves_at]][:6] == ["Wave", "Starts", "Leaders", "Front-line managers",
                                                   "Reps", "People"]
    summary = wave_summary(results["training_plan"])
    assert ws.cell(waves_at + 1, 2).value == summary["start_date"].iloc[0].to_pydatetime()
    assert ws.cell(waves_at + 1, 2).number_format == "yyyy-mm-dd"
    assert [ws.cell(waves_at + 1 + i, 6).value for i in range(len(summary))] == list(summary["total"])
    headers = [c.value for c in ws[plan_at]][:8]
    assert headers == ["Wave", "Cohort", "Starts", "Person", "Person ID", "Role", "Manager", "Manager ID"]
    plan = results["training_plan"]
    assert ws.cell(plan_at + len(plan), 1).value == plan["wave"].iloc[-1]
    assert ws.cell(plan_at + 1, 6).value == "Leader"
    assert len(ws._charts) == 1


def test_missing_results_say_not_assessed(tmp_path, deliverable_context):
    ctx = dataclasses.replace(deliverable_context, results={})
    wb = write(tmp_path, ctx)
    for title in (READINESS_TITLE, PLAN_TITLE):
        assert wb[title]["A4"].value == "Not assessed — needs people"


def test_sheets_read_results_back_from_csv(tmp_path, deliverable_context, results):
    for name, frame in results.items():
        save_result(name, frame, tmp_path / "run")
    ctx = dataclasses.replace(deliverable_context, results=read_results(tmp_path / "run"))
    wb = write(tmp_path, ctx)
    ws = wb[READINESS_TITLE]
    assert "Train first:" in ws["A4"].value
    (table,) = ws.tables.values()
    first_row = ws[table.ref.split(":")[0]].row
    assert isinstance(ws.cell(first_row + 1, 5).value, float)


def test_summary_sentence_names_the_first_managers(results):
    text = readiness_summary(results["manager_readiness"])
    first = results["manager_readiness"]["manager_name"].iloc[0]
    assert f"Train first: {first}" in text
    assert readiness_summary(pd.DataFrame(columns=results["manager_readiness"].columns)).startswith("No ")
