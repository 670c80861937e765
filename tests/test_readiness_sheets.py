"""Manager Readiness and Training Plan sheets, read back the way a client's tools read them."""

from __future__ import annotations

import dataclasses
import zipfile

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import get_column_letter
from test_readiness import ADKAR, AS_OF, coaching_frame, make_people, survey_frame, survey_rows

from workbook.analyses.readiness import assess_readiness
from workbook.analyses.training_plan import plan_training, wave_summary
from workbook.deliverable import write_deliverable
from workbook.deliverable.book import FREEZE_MAX_POINTS
from workbook.deliverable.registry import SheetSpec
from workbook.deliverable.sheets.manager_readiness_sheet import (
    PILLAR_HEADERS,
    READINESS_TITLE,
    build_manager_readiness,
    readiness_summary,
)
from workbook.deliverable.sheets.training_plan_sheet import PLAN_TITLE, build_training_plan
from workbook.engagement.assumptions import build_assumptions
from workbook.pipeline.results import read_results, save_result

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


def _table_at(ws):
    (table,) = ws.tables.values()
    first_row = ws[table.ref.split(":")[0]].row
    return first_row, {c.value: c.column for c in ws[first_row] if c.value}


def test_manager_readiness_sheet_is_a_table_in_priority_order(tmp_path, deliverable_context, results):
    ctx = dataclasses.replace(deliverable_context, results=results)
    ws = write(tmp_path, ctx)[READINESS_TITLE]
    assert ws["A1"].value == "Manager Readiness"
    narrative = ws["A4"].value
    assert "front-line managers assessed" in narrative and "Train first:" in narrative
    first_row, headers = _table_at(ws)
    assert list(headers)[:5] == ["Manager", "Priority (1 = train first)", "Reps", "Readiness score (0-100)",
                                 "Tier"]
    readiness = results["manager_readiness"]
    rows = range(first_row + 1, first_row + 1 + len(readiness))
    assert [ws.cell(r, headers["Priority (1 = train first)"]).value for r in rows] == list(
        range(1, len(readiness) + 1))
    assert [ws.cell(r, headers["Manager ID"]).value for r in rows] == list(readiness["manager_id"])
    score = ws.cell(first_row + 1, headers["Readiness score (0-100)"])
    assert score.value == pytest.approx(readiness["readiness_score"].iloc[0])
    assert score.number_format == "#,##0.0"
    # the manager's name stays in view scrolling right; the header too, unless the text above it would
    # lock most of the screen (then the title stays)
    above = sum(ws.row_dimensions[r].height or 15 for r in range(1, first_row + 1))
    assert ws.freeze_panes == (f"B{first_row + 1}" if above <= FREEZE_MAX_POINTS else "B3")
    assert ws.print_title_rows == f"${first_row}:${first_row}"
    # client text stays text
    names = [ws.cell(r, headers["Manager"]).value for r in rows]
    assert '=HYPERLINK("http://evil","x")' in names
    assert all(ws.cell(r, headers["Manager"]).data_type == "s" for r in rows)


def test_headers_are_plain_english_and_tiers_are_client_words(tmp_path, deliverable_context, results):
    ctx = dataclasses.replace(deliverable_context, results=results)
    ws = write(tmp_path, ctx)[READINESS_TITLE]
    first_row, headers = _table_at(ws)
    assert not [h for h in headers if "_" in h]  # no raw column names (score_team_health, ...)
    assert {"Scale", "Team health", "Modelling", "Buy-in", "Coaching", "Results"} <= set(headers)
    tiers = {ws.cell(r, headers["Tier"]).value
             for r in range(first_row + 1, first_row + 1 + len(results["manager_readiness"]))}
    assert tiers <= {"Ready", "Developing", "Not ready"}
    assert results["manager_readiness"]["tier"].isin(["ready", "developing", "not_ready"]).all()  # CSV


def test_manager_readiness_prints_legibly(tmp_path, deliverable_context, results):
    ctx = dataclasses.replace(deliverable_context, results=results)
    ws = write(tmp_path, ctx)[READINESS_TITLE]
    first_row, headers = _table_at(ws)
    widths = {h: ws.column_dimensions[get_column_letter(c)].width for h, c in headers.items()}
    for h in ("Priority (1 = train first)", "Reps", "Readiness score (0-100)", *PILLAR_HEADERS.values()):
        assert widths[h] <= 13, h
    assert "Why" not in widths and "Flags" not in widths   # the reasons follow the table: rows stay short
    rows = len(results["manager_readiness"])
    assert all((ws.row_dimensions[first_row + 1 + i].height or 15) <= 46 for i in range(rows))  # <= 3 lines
    assert ws.row_dimensions[first_row].height >= 40  # wrapped headers
    setup = ws.page_setup
    assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 2
    assert setup.pageOrder == "overThenDown"
    # page 1 ends with the scores; page 2 starts with the manager's name again
    (col_break,) = [b.id for b in ws.col_breaks.brk]
    assert get_column_letter(col_break + 1) == get_column_letter(headers["Manager (priority)"])
    assert get_column_letter(col_break) == get_column_letter(headers["ADKAR barrier point"])


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


def test_blanks_say_what_they_mean(tmp_path, deliverable_context, results):
    ctx = dataclasses.replace(deliverable_context, results=results)
    ws = write(tmp_path, ctx)[READINESS_TITLE]
    first_row, headers = _table_at(ws)
    rows = {ws.cell(r, headers["Manager ID"]).value: r
            for r in range(first_row + 1, first_row + 1 + len(results["manager_readiness"]))}
    barrier = headers["ADKAR barrier point"]
    assert ws.cell(rows["C"], barrier).value == "Desire"
    assert ws.cell(rows["A"], barrier).value == "None (all above 3)"  # surveyed, no barrier
    assert ws.cell(rows["B"], barrier).value == "Not assessed — needs survey"  # no survey
    buy_in = ws.cell(rows["B"], headers["Buy-in"])
    assert buy_in.value == "n/a" and buy_in.font.color.rgb.endswith("808080")
    assert isinstance(ws.cell(rows["A"], headers["Buy-in"]).value, (int, float))
    reasons = {r[0]: r[1] for r in ws.iter_rows(min_row=first_row + 2, values_only=True)
               if isinstance(r[0], str) and isinstance(r[1], str) and len(r[1]) > 40}
    b_name = ws.cell(rows["B"], headers["Manager"]).value
    a_name = ws.cell(rows["A"], headers["Manager"]).value
    assert "Not assessed: " in reasons[b_name] and "buy-in — needs survey" in reasons[b_name]
    assert reasons[a_name].endswith(".")
    assert ws.cell(rows["A"], headers["Manager (priority)"]).value.startswith(ws.cell(rows["A"], 1).value)


def test_summary_explains_the_order_and_the_tiers(results):
    text = readiness_summary(results["manager_readiness"], 70, 50)
    assert "largest teams" not in text
    assert "ordered by training priority" in text and "x readiness gap (100 minus the score)" in text
    assert "at least 70" in text and "at least 50" in text and "below 50" in text


def test_chart_names_points_and_draws_the_ready_line(tmp_path, deliverable_context, results):
    ctx = dataclasses.replace(deliverable_context, results=results)
    path = write_deliverable(tmp_path / "out.xlsx", ctx, sheets=SHEETS)
    with zipfile.ZipFile(path) as z:
        xml = next(z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")
                   and "Readiness against team size" in z.read(n).decode())
    assert "<c:dLbls>" in xml and "Ready from 70" in xml
    assert xml.count("<c:title>") >= 3  # chart, x axis and y axis titles
    names = results["manager_readiness"]["manager_name"]
    assert all(name in xml for name in names if not name.startswith("="))


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
    roles = {ws.cell(plan_at + 1 + i, 6).value for i in range(len(plan))}
    assert roles == {"Leader", "Front-line manager", "Rep"}
    assert len(ws._charts) == 1
    # the person list owns the printed header, and starts a page after the waves and chart
    assert ws.print_title_rows == f"${plan_at}:${plan_at}"
    assert plan_at - 2 in [b.id for b in ws.row_breaks.brk]  # above the "Who is trained when" heading
    chart_row = ws._charts[0].anchor._from.row + 1
    assert waves_at < chart_row < plan_at


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
    first_row, headers = _table_at(ws)
    assert isinstance(ws.cell(first_row + 1, headers["Readiness score (0-100)"]).value, float)
    assert ws.cell(first_row + 1, headers["Tier"]).value in {"Ready", "Developing", "Not ready"}


def test_summary_sentence_names_the_first_managers(results):
    text = readiness_summary(results["manager_readiness"])
    first = results["manager_readiness"]["manager_name"].iloc[0]
    assert f"Train first: {first}" in text
    assert readiness_summary(pd.DataFrame(columns=results["manager_readiness"].columns)).startswith("No ")
