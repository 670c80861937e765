"""Programme Impact: the sheet a client reads once managers have completed the programme, checked
on a real in-process run of the demo (managers completed mid-window, no effect planted) with openpyxl."""

from __future__ import annotations

import dataclasses

import openpyxl
import pandas as pd
import pytest

from workbook.deliverable import registry, write_deliverable
from workbook.deliverable.sheets import impact_sheet
from workbook.deliverable.sheets.impact_sheet import (
    TITLE,
    answer_sentence,
    answer_sentences,
    signed,
)
from workbook.deliverable.sheets.methodology import IMPACT_SHEET


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """(context, workbook path) of one in-process run of the regular demo."""
    from workbook.demo import generate_demo
    from workbook.intake.load import load_engagement_data
    from workbook.run.deliverable_build import deliverable_context
    from workbook.run.in_process import run_in_process
    from workbook.run.manifest import Manifest

    root = tmp_path_factory.mktemp("impact")
    engagement = generate_demo(root / "demo")
    out = root / "out"
    path = run_in_process(engagement, out, root / "demo.xlsx")
    data = load_engagement_data(engagement)
    e = data.engagement
    manifest = Manifest(run_id="in-process", engagement=e.name, client=e.client,
                        engagement_dir=str(engagement), started="")
    return deliverable_context(data, out, "in-process", manifest), path


def _load(path):
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def measured(demo, tmp_path_factory):
    """The demo's run with a measured estimate whose intervals include zero, as a larger client's
    placebo would give (the 12-manager demo itself has too few teams for anything to be measured)."""
    ctx, _ = demo
    impact = ctx.results["impact"].copy()
    impact["measured"] = True
    impact["uplift"], impact["uplift_low"], impact["uplift_high"] = [-0.021, 0.034], [-0.094, -0.05], [0.052, 0.118]
    impact["trained_teams"], impact["comparison_teams"] = 4, 5
    shown = dataclasses.replace(ctx, results={**ctx.results, "impact": impact})
    return shown, write_deliverable(tmp_path_factory.mktemp("measured") / "measured.xlsx", shown)


def _texts(ws) -> list[str]:
    return [c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str)]


def test_sheet_follows_ownership_and_contents_lists_it(demo):
    ctx, path = demo
    wb = _load(path)
    names = wb.sheetnames
    assert names.index(TITLE) == names.index("Ownership") + 1
    assert names.index("Data Quality") == names.index(TITLE) + 1
    contents = wb["Contents"]
    listed = [contents.cell(row=r, column=2).value for r in range(5, 5 + len(names))]
    assert listed == names


def test_the_demo_says_nothing_is_measured_yet_and_why(demo):
    ctx, path = demo
    assert not ctx.results["impact"]["measured"].any()
    answer = _load(path)[TITLE]["A5"].value
    assert answer.startswith("Not measured yet") and "at least 3 teams must be measured" in answer


def test_answer_quotes_the_estimate_table_and_says_includes_zero(measured):
    ctx, path = measured
    impact = ctx.results["impact"]
    assert impact["measured"].all()
    assert ((impact["uplift_low"] <= 0) & (impact["uplift_high"] >= 0)).all()   # no effect planted
    ws = _load(path)[TITLE]
    assert ws["A1"].value == TITLE
    answers = [ws.cell(row=r, column=1).value for r in (5, 6)]
    assert answers == answer_sentences(ctx.results)
    by_measure = {row.measure: row for row in impact.itertuples()}
    attainment = by_measure["Core performers' attainment"]
    assert answers[0].startswith("Core performers' attainment — no measurable change yet: the 90% interval ("
                                 f"{signed(attainment.uplift_low)} to {signed(attainment.uplift_high)}) "
                                 "includes zero")
    for text in answers:
        assert "includes zero" in text and "trained team" in text
    # the estimate table: an Excel table whose cells are impact.csv's values, in the sentence's format
    table = ws.tables["tbl_impact"]
    rows = list(ws[table.ref])
    assert [c.value for c in rows[0]] == ["Measure", "Measured change", "Interval from", "Interval to",
                                          "Trained teams measured", "Teams not trained in the data"]
    for cells in rows[1:]:
        row = by_measure[cells[0].value]
        assert cells[1].value == pytest.approx(row.uplift)
        assert cells[2].value == pytest.approx(row.uplift_low)
        assert cells[3].value == pytest.approx(row.uplift_high)
        assert cells[4].value == row.trained_teams and cells[5].value == row.comparison_teams
        assert cells[2].number_format == impact_sheet.SIGNED_PERCENT
        shown = f"({signed(cells[2].value)} to {signed(cells[3].value)})"
        assert any(row.measure in a and shown in a for a in answers), shown
    evidence = ws["A7"].value
    assert "6–8%" in evidence and "19%" in evidence and "CEB / Sales Executive Council" in evidence


def test_charts_read_the_cohort_table_and_the_sheet_prints_one_page_wide(demo):
    ctx, path = demo
    ws = _load(path)[TITLE]
    assert len(ws._charts) == 2
    cohort_ref = ws.tables["tbl_impact_by_cohort"].ref
    first_row = int(cohort_ref.split(":")[0][1:]) + 1
    for chart in ws._charts:
        assert chart.tagname == "barChart" and chart.grouping == "clustered"
        assert [s.tx.v for s in chart.series] == ["Before", "After"]
        refs = [s.val.numRef.f for s in chart.series]
        assert all(f"${first_row}:" in r for r in refs), refs
    headers = [c.value for c in list(ws[cohort_ref])[0]]
    columns = [ws._charts[k].series[j].val.numRef.f.split("!")[1][1] for k in (0, 1) for j in (0, 1)]
    assert [headers[ord(c) - ord("A")] for c in columns] == [
        "Coaching hours per rep, before", "Coaching hours per rep, after", "Core attainment, before",
        "Core attainment, after"]
    cohorts = ctx.results["impact_by_cohort"]
    assert len(list(ws[cohort_ref])) - 1 == len(cohorts)
    assert "tbl_impact_by_manager" in ws.tables
    assert ws.freeze_panes == "A3"
    assert int(ws.page_setup.fitToWidth or 1) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_executive_summary_leads_with_the_measured_change_and_methodology_explains_it(measured):
    ctx, path = measured
    wb = _load(path)
    summary = wb["Executive Summary"]
    assert summary["B7"].value == "Programme impact"
    assert summary["D7"].value == answer_sentence(ctx.results)
    assert summary["C7"].value == "Core performers' attainment: no measurable change yet"
    assert summary["B8"].value == "Scale"   # the other findings follow, in their order
    method = " ".join(_texts(wb["Methodology"]))
    assert "Borusyak, Jaravel & Spiess 2024" in method and "stepped-wedge" in method
    assert IMPACT_SHEET in method


def _without_completions(results: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    events = results["impact_events"].copy()
    events.loc[events["status"] == "completed", ["status", "completed_date"]] = ["planned", pd.NaT]
    return {**results, "impact_events": events}


def test_no_completion_no_sheet(demo, tmp_path):
    ctx, _ = demo
    bare = dataclasses.replace(ctx, results=_without_completions(ctx.results))
    assert not registry.has_impact(bare)
    wb = _load(write_deliverable(tmp_path / "bare.xlsx", bare))
    assert TITLE not in wb.sheetnames
    assert wb.sheetnames.index("Data Quality") == wb.sheetnames.index("Ownership") + 1
    assert "Programme impact" not in _texts(wb["Executive Summary"])
    assert IMPACT_SHEET not in " ".join(_texts(wb["Methodology"]))
    no_results = {k: v for k, v in ctx.results.items() if k != "impact"}
    assert not registry.has_impact(dataclasses.replace(ctx, results=no_results))


def test_nothing_measurable_says_what_it_needs(demo, tmp_path):
    ctx, _ = demo
    impact = ctx.results["impact"].copy()
    impact["measured"] = False
    impact[["uplift", "uplift_low", "uplift_high"]] = float("nan")
    status = pd.DataFrame({"status": ["not measured yet — the first managers completed on 2026-02-26; each "
                                      "needs 3 whole months before and after a 1-month ramp"],
                           "needs": ["coaching and sales data through 2026-10-31 or later"]})
    unmeasured = dataclasses.replace(ctx, results={**ctx.results, "impact": impact, "impact_status": status})
    wb = _load(write_deliverable(tmp_path / "unmeasured.xlsx", unmeasured))
    ws = wb[TITLE]
    assert ws["A5"].value == ("Not measured yet — the first managers completed on 2026-02-26; each needs 3 "
                              "whole months before and after a 1-month ramp. It needs coaching and sales "
                              "data through 2026-10-31 or later.")
    assert "Programme impact" not in _texts(wb["Executive Summary"])
    # without the status table (results of an older run) the sentence is rebuilt from the completions
    older = {k: v for k, v in unmeasured.results.items() if k != "impact_status"}
    assert answer_sentence(older).startswith("Not measured yet: no team has enough months")


def test_an_interval_clear_of_zero_reads_as_an_uplift():
    results = {"impact": pd.DataFrame({
        "outcome": ["coaching", "attainment"], "measure": ["Coaching hours per rep per month",
                                                           "Core performers' attainment"],
        "measured": [True, True], "uplift": [0.3, 0.05], "uplift_low": [0.12, 0.021],
        "uplift_high": [0.5, 0.084], "trained_teams": [4, 4], "comparison_teams": [6, 6], "level": [0.9, 0.9]})}
    assert answer_sentences(results) == [
        "Core performers' attainment — consistent with an uplift of +2.1% to +8.4%, over 4 trained teams "
        "against 6 not yet trained.",
        "Coaching hours per rep per month — consistent with an uplift of +12.0% to +50.0%, over 4 trained "
        "teams against 6 not yet trained."]
    assert impact_sheet.headline(results) == ("Core performers' attainment: consistent with an uplift of "
                                              "+2.1% to +8.4%")
