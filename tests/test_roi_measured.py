"""The "measured here" ROI scenario: once the programme's uplift on core performers' attainment is
measured in the client's data with an interval above zero, it is a fourth scenario, applied exactly
as the published uplifts are, live on the ROI Model sheet; otherwise the three scenarios stand."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from libreoffice import recalculate, requires_libreoffice

from workbook import pipeline
from workbook.analyses.impact import Impact
from workbook.analyses.roi import (
    LINES,
    MEASURED_SCENARIO,
    MEASURED_UPLIFT_NAME,
    SCENARIO_LABELS,
    MeasuredUplift,
    measured_uplift,
    roi_scenarios,
)
from workbook.deliverable import write_deliverable
from workbook.deliverable.registry import SheetSpec
from workbook.deliverable.sheets import assumptions_sheet
from workbook.deliverable.sheets.roi_sheet import build_roi_model
from workbook.deliverable.sheets.roi_text import MEASURED_LABEL
from workbook.pipeline import Analysis
from workbook.pipeline.coaching import roi_model
from workbook.pipeline.results import read_results

DEMO = Path(__file__).resolve().parents[1] / "client_data" / "demo"
SPECS = [SheetSpec("ROI Model", "The live ROI model.", build_roi_model),
         SheetSpec("Assumptions", "Inputs.", assumptions_sheet.build)]
ROI_COLUMNS = {line.key: 2 + j for j, line in enumerate(LINES)}   # 1-based openpyxl columns
ERRORS = {"#DIV/0!", "#NAME?", "#REF!", "#VALUE!", "#N/A", "#NUM!", "Err:502", "Err:504", "Err:508"}


def estimates(uplift: float, low: float, high: float, measured: bool = True) -> pd.DataFrame:
    """impact.csv's rows: the coaching outcome (never used by the ROI) and core attainment."""
    return pd.DataFrame([
        {"outcome": "coaching", "measure": "Coaching hours per rep per month", "measured": True,
         "effect": 0.5, "uplift": 0.3, "uplift_low": 0.1, "uplift_high": 0.5, "counterfactual": 2.0,
         "trained_teams": 4, "comparison_teams": 6, "level": 0.9},
        {"outcome": "attainment", "measure": "Core performers' attainment", "measured": measured,
         "effect": 0.1, "uplift": uplift, "uplift_low": low, "uplift_high": high, "counterfactual": 0.9,
         "trained_teams": 4, "comparison_teams": 6, "level": 0.9},
    ])


@pytest.fixture(scope="module")
def data():
    return pipeline.load(DEMO)


def analysis_with(data, monkeypatch, frame: pd.DataFrame | None) -> Analysis:
    impact = Impact(events=pd.DataFrame(), by_manager=None, panel=None, estimates=frame)
    monkeypatch.setattr(Analysis, "measured_impact", property(lambda self: impact))
    return Analysis(data)


def test_a_measured_interval_above_zero_adds_the_measured_scenario(data, monkeypatch):
    analysis = analysis_with(data, monkeypatch, estimates(0.11, 0.04, 0.18))
    roi = analysis.roi
    scenarios = roi.scenarios.set_index("scenario")
    assert list(scenarios.index) == ["conservative", "base", "upper", MEASURED_SCENARIO]
    assert SCENARIO_LABELS[MEASURED_SCENARIO] == "Measured here"
    row = scenarios.loc[MEASURED_SCENARIO]
    assert row["uplift"] == 0.11     # the point estimate, not a bound
    assert (row["uplift_low"], row["uplift_high"]) == (0.04, 0.18)
    assert "measured on teams already trained" in row["note"].lower()
    assert "Programme Impact" in row["note"]
    # applied exactly as a published uplift: the same benefit a published scenario of 11% would give
    as_published = roi_scenarios(roi.inputs, {**analysis.values, "uplift_base": 0.11})
    assert row["annual_benefit"] == pytest.approx(as_published.set_index("scenario").loc["base",
                                                                                          "annual_benefit"])
    assert row["total_cost"] == scenarios.loc["base", "total_cost"]
    # each team's benefit under it adds up to the scenario, as for the others
    assert roi.by_manager["benefit_measured_here"].sum() == pytest.approx(row["annual_benefit"])
    assert roi.inputs["measured_uplift"] == 0.11 and roi.inputs["measured_uplift_low"] == 0.04


@pytest.mark.parametrize("frame", [estimates(0.05, -0.02, 0.12), estimates(0.05, 0.0, 0.12),
                                   estimates(0.05, 0.01, 0.12, measured=False),
                                   estimates(np.nan, np.nan, np.nan, measured=False), None],
                         ids=["covers-zero", "touches-zero", "not-measured", "nothing", "no-estimates"])
def test_otherwise_the_three_published_scenarios_stand(data, monkeypatch, frame):
    roi = analysis_with(data, monkeypatch, frame).roi
    assert list(roi.scenarios["scenario"]) == ["conservative", "base", "upper"]
    assert roi.measured is None and "measured_uplift" not in roi.inputs
    assert "benefit_measured_here" not in roi.by_manager


def test_measured_uplift_reads_impact_csv_as_read_back(tmp_path):
    """Read back from CSV, `measured` may be text; the same row gives the same answer."""
    frame = estimates(0.11, 0.04, 0.18)
    frame.to_csv(tmp_path / "impact.csv", index=False)
    back = pd.read_csv(tmp_path / "impact.csv")
    assert measured_uplift(back) == measured_uplift(frame) == MeasuredUplift(0.11, 0.04, 0.18, 0.9, 4, 6)
    assert MeasuredUplift.from_inputs(measured_uplift(frame).as_inputs()) == measured_uplift(frame)


def _context(deliverable_context, analysis: Analysis, tmp_path: Path):
    """The ROI results as a run saves and reads them back (CSV), in the sample context."""
    roi_model(analysis, tmp_path / "run")
    return dataclasses.replace(deliverable_context, assumptions=analysis.assumptions,
                               currency=analysis.currency, results=read_results(tmp_path / "run"))


def _rows(ws) -> dict[str, int]:
    labels = set(SCENARIO_LABELS.values())
    return {c.value: c.row for c in ws["A"] if c.value in labels}


def test_the_sheet_shows_the_measured_uplift_as_a_labelled_named_input(data, monkeypatch, tmp_path,
                                                                       deliverable_context):
    ctx = _context(deliverable_context, analysis_with(data, monkeypatch, estimates(0.11, 0.04, 0.18)), tmp_path)
    path = write_deliverable(tmp_path / "out.xlsx", ctx, sheets=SPECS)
    wb = openpyxl.load_workbook(path)
    ws = wb["ROI Model"]
    rows = _rows(ws)
    assert list(rows) == ["Conservative", "Base", "Upper", "Measured here"]
    r = rows["Measured here"]
    assert ws.cell(r, ROI_COLUMNS["uplift"]).value == f"={MEASURED_UPLIFT_NAME}"
    # the same formulas as the published scenarios, the uplift name aside
    base = rows["Base"]
    for key in ("annual_benefit", "net_benefit", "roi", "bcr"):
        ours = ws.cell(r, ROI_COLUMNS[key]).value
        theirs = ws.cell(base, ROI_COLUMNS[key]).value.replace(str(base), str(r))
        assert ours == theirs, key
    dest = next(iter(wb.defined_names[MEASURED_UPLIFT_NAME].destinations))
    cell = wb[dest[0]][dest[1].replace("$", "")]
    assert cell.value == pytest.approx(0.11)
    assert ws.cell(cell.row, 1).value == MEASURED_LABEL
    beside = [ws.cell(cell.row, c).value for c in range(3, 7)]
    assert beside[:3] == ["90% interval", pytest.approx(0.04), pytest.approx(0.18)]
    assert "measured in this engagement's data (Programme Impact sheet)" in beside[3]
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str))
    assert "measured on the 4 team(s) already trained" in text
    assert {"roi_net_benefit_measured_here", "roi_annual_benefit_measured_here"} <= set(wb.defined_names)
    cached = openpyxl.load_workbook(path, data_only=True)["ROI Model"]
    expected = ctx.results["roi_scenarios"].set_index("scenario").loc[MEASURED_SCENARIO]
    assert cached.cell(r, ROI_COLUMNS["net_benefit"]).value == pytest.approx(expected["net_benefit"], abs=0.005)


def test_the_sheet_is_unchanged_without_a_measured_uplift(data, monkeypatch, tmp_path, deliverable_context):
    ctx = _context(deliverable_context, analysis_with(data, monkeypatch, estimates(0.05, -0.02, 0.12)), tmp_path)
    wb = openpyxl.load_workbook(write_deliverable(tmp_path / "out.xlsx", ctx, sheets=SPECS))
    assert list(_rows(wb["ROI Model"])) == ["Conservative", "Base", "Upper"]
    assert MEASURED_UPLIFT_NAME not in wb.defined_names
    assert all(c.value != MEASURED_LABEL for c in wb["ROI Model"]["A"])


@requires_libreoffice
@pytest.mark.libreoffice
def test_libreoffice_recalculates_the_measured_scenario_to_the_python_values(data, monkeypatch, tmp_path,
                                                                              deliverable_context):
    ctx = _context(deliverable_context, analysis_with(data, monkeypatch, estimates(0.11, 0.04, 0.18)), tmp_path)
    path = write_deliverable(tmp_path / "out.xlsx", ctx, sheets=SPECS)
    ws = openpyxl.load_workbook(recalculate(path, tmp_path / "recalc"), data_only=True)["ROI Model"]
    assert [(c.coordinate, c.value) for row in ws.iter_rows() for c in row if c.value in ERRORS] == []
    rows = _rows(ws)
    for scenario, s in ctx.results["roi_scenarios"].set_index("scenario").iterrows():
        r = rows[SCENARIO_LABELS[scenario]]
        for key in ("uplift", "annual_benefit", "total_cost", "net_benefit"):
            assert ws.cell(r, ROI_COLUMNS[key]).value == pytest.approx(s[key], abs=0.005), (scenario, key)
        assert ws.cell(r, ROI_COLUMNS["roi"]).value * 100 == pytest.approx(s["roi_pct"], abs=0.005)
    measured = ctx.results["roi_scenarios"].set_index("scenario").loc[MEASURED_SCENARIO]
    assert not math.isclose(measured["net_benefit"], 0.0)
    assert ws.cell(rows["Measured here"], ROI_COLUMNS["net_benefit"]).value == pytest.approx(
        measured["net_benefit"], abs=0.005)
