"""Coaching Gaps and ROI Model sheets: what a client sees, and the live formulas recalculated."""

from __future__ import annotations

import dataclasses
import datetime as dt

import openpyxl
import pandas as pd
import pytest
from libreoffice import recalculate, requires_libreoffice
from test_coaching import WINDOW, coaching, people

from workbook.analyses.attainment import rep_performance
from workbook.analyses.coaching import (
    coaching_attainment_link,
    coaching_by_manager,
    coaching_by_rep,
    coaching_gaps_table,
)
from workbook.analyses.roi import (
    COSTS,
    LINES,
    roi_by_manager,
    roi_inputs,
    roi_inputs_frame,
    roi_scenarios,
)
from workbook.deliverable import registry, write_deliverable
from workbook.deliverable.registry import SheetSpec
from workbook.deliverable.sheets import assumptions_sheet
from workbook.deliverable.sheets.assumptions_sheet import assumption_cell_refs
from workbook.deliverable.sheets.coaching_sheets import build_coaching_gaps
from workbook.deliverable.sheets.roi_sheet import build_roi_model
from workbook.deliverable.sheets.roi_text import roi_evidence_sentence

ERRORS = {"#DIV/0!", "#NAME?", "#REF!", "#VALUE!", "#N/A", "#NUM!", "Err:502", "Err:504", "Err:508"}
SPECS = [
    SheetSpec("Coaching Gaps", "Coaching per manager.", build_coaching_gaps),
    SheetSpec("ROI Model", "The live ROI model.", build_roi_model),
    SheetSpec("Assumptions", "Inputs.", assumptions_sheet.build),
]
ROI_COLUMNS = {line.key: 2 + j for j, line in enumerate(LINES)}  # 1-based openpyxl columns


def _chain(ctx):
    """(coaching by manager, rep performance, people, window) of the small test organisation."""
    ppl = people()
    sales = pd.DataFrame({
        "rep_id": ["R1", "R2", "R3", "R5", "R6", "R7", "R8", "R1"],
        "date": pd.to_datetime(["2026-03-01", "2026-09-01", "2026-02-01", "2026-04-01", "2026-05-01",
                                "2026-06-01", "2026-07-01", "2026-11-30"]),
        "amount": pd.array([61_000.5, 40_000, 9_000, 83_333.33, 10_000, 75_000, 180_000, 12_345.67],
                           dtype="Float64"),
        "stage": ["won"] * 8,
    })
    a = ctx.assumptions
    perf = rep_performance(ppl, sales, WINDOW, a["core_band_low_pct"], a["core_band_high_pct"])
    by_manager = coaching_by_manager(ppl, coaching(), WINDOW, a, perf)
    return by_manager, perf, ppl, WINDOW


def results(ctx) -> dict[str, pd.DataFrame]:
    by_manager, perf, ppl, _ = _chain(ctx)
    a = ctx.assumptions
    inputs = roi_inputs(by_manager, perf, ppl, WINDOW)
    link = coaching_attainment_link(coaching_by_rep(ppl, coaching(), WINDOW, a, perf))
    return {
        "coaching_gaps": coaching_gaps_table(by_manager),
        "roi_inputs": roi_inputs_frame(inputs),
        "roi_scenarios": roi_scenarios(inputs, a),
        "roi_by_manager": roi_by_manager(by_manager, perf, ppl, WINDOW, a),
        "coaching_link": pd.DataFrame([link]),
    }


@pytest.fixture
def ctx(deliverable_context):
    return dataclasses.replace(deliverable_context, results=results(deliverable_context))


def _roi_rows(ws) -> dict[str, int]:
    """Scenario label -> row number on the ROI Model sheet."""
    return {c.value: c.row for c in ws["A"] if c.value in ("Conservative", "Base", "Upper")}


def _assert_roi_matches(ws, expected: pd.DataFrame) -> None:
    rows = _roi_rows(ws)
    assert len(rows) == 3
    for _, s in expected.iterrows():
        r = rows[s["scenario"].capitalize()]
        for key in ("uplift", "annual_benefit", "total_cost", "net_benefit", "bcr"):
            got = ws.cell(r, ROI_COLUMNS[key]).value
            assert got == pytest.approx(s[key], abs=0.005), (s["scenario"], key)
        assert ws.cell(r, ROI_COLUMNS["roi"]).value * 100 == pytest.approx(s["roi_pct"], abs=0.005)
        assert s["program_cost"] == s["total_cost"]
    costs: dict[str, int] = {}   # the first row of each label: the cost block (the words come later)
    for c in ws["A"]:
        if isinstance(c.value, str):
            costs.setdefault(c.value, c.row)
    first = expected.iloc[0]
    for line in COSTS:
        label = line.label.format(currency="USD")
        assert ws.cell(costs[label], 2).value == pytest.approx(first[line.key], abs=0.005), line.key


def _team_benefits(ws) -> dict[str, float]:
    """Manager ID -> base-scenario benefit in the Benefit by team table."""
    header = next(r for r in ws.iter_rows() if r[0].value == "Manager ID")
    cols = {c.value: c.column for c in header if c.value}
    base = next(h for h in cols if str(h).startswith("Benefit, base"))
    out, r = {}, header[0].row + 1
    while ws.cell(r, 1).value:
        out[ws.cell(r, 1).value] = ws.cell(r, cols[base]).value
        r += 1
    return out


def test_roi_model_formulas_are_live_and_carry_their_values(tmp_path, ctx):
    path = write_deliverable(tmp_path / "out.xlsx", ctx, sheets=SPECS)
    formulas = openpyxl.load_workbook(path)["ROI Model"]
    rows = _roi_rows(formulas)
    base = rows["Base"]
    assert formulas.cell(base, ROI_COLUMNS["uplift"]).value == "=uplift_base"
    benefit = formulas.cell(base, ROI_COLUMNS["annual_benefit"]).value
    assert benefit.startswith("=roi_core_revenue_usd*") and benefit.endswith(
        "*gap_closure_share*gross_margin_pct*isolation_share*estimate_confidence")
    assert formulas.cell(base, ROI_COLUMNS["total_cost"]).value == "=roi_total_cost"
    for key, col in ROI_COLUMNS.items():
        assert str(formulas.cell(base, col).value).startswith("="), key
    wb = openpyxl.load_workbook(path)
    assert {"roi_core_revenue_usd", "roi_gap_hours_per_year", "roi_managers_to_train", "roi_reps_to_train",
            "roi_total_cost", "roi_rep_program_cost", "roi_participants_time_cost", "uplift_base"} <= set(
        wb.defined_names)

    def named(name: str):
        dest = next(iter(wb.defined_names[name].destinations))
        return wb[dest[0]][dest[1].replace("$", "")]

    # counts from the data are numbers; the core revenue is the sum of the per-team table's formulas
    assert named("roi_gap_hours_per_year").data_type == "n"
    assert named("roi_reps_to_train").value == ctx.results["roi_inputs"]["reps_to_train"].iloc[0]
    assert named("roi_core_revenue_usd").value.startswith("=SUM(")
    cached = openpyxl.load_workbook(path, data_only=True)["ROI Model"]
    _assert_roi_matches(cached, ctx.results["roi_scenarios"])
    teams = ctx.results["roi_by_manager"].set_index("manager_id")["benefit_base"]
    got = _team_benefits(cached)
    assert got == pytest.approx(teams.to_dict())
    assert sum(got.values()) == pytest.approx(ctx.results["roi_scenarios"].set_index("scenario").loc[
        "base", "annual_benefit"])


def test_coaching_gaps_sheet_has_table_formatting_chart_and_the_caveat(tmp_path, ctx):
    path = write_deliverable(tmp_path / "out.xlsx", ctx, sheets=SPECS)
    ws = openpyxl.load_workbook(path)["Coaching Gaps"]
    assert len(ws.tables) == 1
    table = next(iter(ws.tables.values()))
    header_row = int(table.ref.split(":")[0][1:])
    headers = [c.name for c in table.tableColumns]
    assert headers[:5] == ["Manager ID", "Manager", "Reps now", "Reps in window (incl. leavers)",
                           "Hours per rep per month"]
    assert "Target hours per rep per month" not in headers   # the same on every row: said above instead
    gaps = ctx.results["coaching_gaps"]
    assert ws.cell(header_row + 1, 3).value == gaps["active_reps"].iloc[0]
    assert ws.cell(header_row + 1, 4).value == gaps["reps"].iloc[0]
    first = ws.cell(header_row + 1, 5).value
    assert first == pytest.approx(gaps["hours_per_rep_month"].iloc[0])
    assert ws.cell(header_row + 1, 5).number_format == '#,##0.0 "h"'
    assert len(ws.conditional_formatting) >= 4
    bars = [r for cf in ws.conditional_formatting for r in cf.rules if r.type == "dataBar"]
    assert bars and all(r.dataBar.cfvo[1].type == "num" for r in bars)   # a max bound: no bar fills its cell
    texts = " ".join(str(c.value) for r in ws.iter_rows(max_row=header_row) for c in r if c.value)
    assert "not proof" in texts
    target = gaps["target_hours_per_rep_month"].iloc[0]
    assert f"3 of 5 front-line managers coach below the target of {target:g} hours per rep per month" in texts
    assert "('Reps now')" in texts and "leavers included ('Reps in window (incl. leavers)')" in texts
    assert "percentage points of attainment per extra coaching hour per rep-month" in texts
    # the chart's target line reads a hidden helper column outside the table
    helper = max(c.column for c in ws[header_row] if c.value)
    assert ws.cell(header_row, helper).value == "Target hours per rep per month"
    assert ws.column_dimensions[openpyxl.utils.get_column_letter(helper)].hidden
    with open(path, "rb"):
        import zipfile
        names = zipfile.ZipFile(path).namelist()
    assert any(n.startswith("xl/charts/chart") for n in names)


def test_roi_model_explains_in_words_and_shows_the_clients_own_evidence(tmp_path, ctx):
    path = write_deliverable(tmp_path / "out.xlsx", ctx, sheets=SPECS)
    ws = openpyxl.load_workbook(path)["ROI Model"]
    texts = [str(c.value) for r in ws.iter_rows() for c in r if isinstance(c.value, str)
             and not c.value.startswith("=")]
    joined = " ".join(texts)
    assert "scenarios, not promises" in joined
    assert "CEB / SEC 2011/2007; Gartner 2019" in joined and "Gartner 2021" in joined
    assert f"Manager program ({ctx.currency})" in texts
    assert f"Participants' time out of the field ({ctx.currency})" in texts
    assert f"First-year benefit, gross profit ({ctx.currency})" in texts
    assert any("× share of the gap closed × gross margin × share attributed to the program" in t for t in texts)
    assert not any("core_revenue_usd" in t or "manager_loaded_hourly_cost_usd" in t for t in texts)
    link = ctx.results["coaching_link"].iloc[0]
    evidence = next(t for t in texts if t.startswith("In this data"))
    assert f"across {int(link['n'])} reps" in evidence
    assert "published research" in evidence
    rows = _roi_rows(ws)
    assert ws.cell(rows["Base"], ROI_COLUMNS["roi"]).number_format == "#,##0.0%"
    hours = next(r for r in ws.iter_rows() if r[0].value and str(r[0].value).startswith("Coaching gap"))
    assert hours[1].number_format == '#,##0.0 "h"'


@pytest.mark.parametrize(("slope", "low", "high", "expected"), [
    (-0.004, -0.037, 0.029, "In this data, more coaching is not yet visibly linked to attainment (slope "
                            "\u22120.4 percentage points of attainment per extra coaching hour per rep-month, "
                            "95% CI \u22123.7 to +2.9, across 102 reps); the scenarios rest on published "
                            "research, not on this client's data."),
    (0.03, 0.01, 0.05, "In this data, reps who get more coaching reach higher attainment"),
    (-0.03, -0.05, -0.01, "the data does not support the uplift"),
])
def test_roi_evidence_sentence_says_whether_the_data_supports_the_uplift(deliverable_context, slope, low,
                                                                          high, expected):
    link = pd.DataFrame([{"n": 102, "slope": slope, "ci_low": low, "ci_high": high, "level": 0.95}])
    ctx = dataclasses.replace(deliverable_context, results={"coaching_link": link})
    assert expected in roi_evidence_sentence(ctx)
    none = dataclasses.replace(deliverable_context, results={})
    assert "rest on published research" in roi_evidence_sentence(none)


def test_missing_results_say_not_assessed(tmp_path, deliverable_context):
    path = write_deliverable(tmp_path / "out.xlsx", deliverable_context, sheets=SPECS)
    wb = openpyxl.load_workbook(path)
    assert wb["Coaching Gaps"]["A4"].value == "Not assessed — needs coaching"
    assert wb["ROI Model"]["A4"].value == "Not assessed — needs coaching"
    only_gaps = dataclasses.replace(deliverable_context,
                                    results={"coaching_gaps": results(deliverable_context)["coaching_gaps"]})
    wb = openpyxl.load_workbook(write_deliverable(tmp_path / "two.xlsx", only_gaps, sheets=SPECS))
    assert wb["ROI Model"]["A4"].value == "Not assessed — needs sales"


def test_registered_in_the_full_workbook(tmp_path, ctx):
    sheets = [dataclasses.replace(s, build=build_coaching_gaps) if s.title == "Coaching Gaps" else
              dataclasses.replace(s, build=build_roi_model) if s.title == "ROI Model" else s
              for s in registry.SHEETS]
    path = write_deliverable(tmp_path / "full.xlsx", ctx, sheets=sheets)
    names = openpyxl.load_workbook(path).sheetnames
    assert names.index("Coaching Gaps") < names.index("ROI Model") < names.index("Assumptions")


@requires_libreoffice
@pytest.mark.libreoffice
def test_libreoffice_recalculates_the_roi_model_to_the_cent(tmp_path, ctx):
    path = write_deliverable(tmp_path / "out.xlsx", ctx, sheets=SPECS)
    wb = openpyxl.load_workbook(recalculate(path, tmp_path / "recalc"), data_only=True)
    ws = wb["ROI Model"]
    errors = [(c.coordinate, c.value) for r in ws.iter_rows() for c in r if c.value in ERRORS]
    assert errors == []
    _assert_roi_matches(ws, ctx.results["roi_scenarios"])
    assert _team_benefits(ws) == pytest.approx(
        ctx.results["roi_by_manager"].set_index("manager_id")["benefit_base"].to_dict(), abs=0.005)


@requires_libreoffice
@pytest.mark.libreoffice
@pytest.mark.parametrize(("name", "value"), [("uplift_base", 0.12), ("gross_margin_pct", 0.4),
                                             ("isolation_share", 0.5), ("program_cost_per_rep_usd", 2500)])
def test_changing_an_assumption_in_excel_moves_the_model_as_python_predicts(tmp_path, ctx, name, value):
    path = write_deliverable(tmp_path / "out.xlsx", ctx, sheets=SPECS)
    edited = openpyxl.load_workbook(path)
    ref = assumption_cell_refs(ctx)[name].split("!")[1].replace("$", "")
    edited["Assumptions"][ref].value = value
    changed = tmp_path / "edited" / "changed.xlsx"
    changed.parent.mkdir()
    edited.save(changed)
    ws = openpyxl.load_workbook(recalculate(changed, tmp_path / "recalc"), data_only=True)["ROI Model"]
    inputs = ctx.results["roi_inputs"].iloc[0].to_dict()
    before = ctx.results["roi_scenarios"].set_index("scenario").loc["base"]
    predicted = roi_scenarios(inputs, ctx.assumptions.with_overrides({name: value}))
    after = predicted.set_index("scenario").loc["base"]
    assert after["net_benefit"] != pytest.approx(before["net_benefit"])
    _assert_roi_matches(ws, predicted)
    a = ctx.assumptions.with_overrides({name: value})
    teams = roi_by_manager(*_chain(ctx), a).set_index("manager_id")["benefit_base"]
    assert _team_benefits(ws) == pytest.approx(teams.to_dict(), abs=0.005)
    if name == "uplift_base":
        assert ws.cell(_roi_rows(ws)["Base"], ROI_COLUMNS["uplift"]).value == pytest.approx(value)


def test_sample_window_is_the_test_window():
    assert WINDOW.end == pd.Timestamp(dt.date(2026, 12, 31))
