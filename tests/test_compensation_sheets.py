"""Compensation and Ownership sheets: what a client sees, and the live payouts recalculated."""

from __future__ import annotations

import dataclasses

import openpyxl
import pandas as pd
import pytest
from engagement_files import roster, write_csv, write_engagement
from libreoffice import recalculate, requires_libreoffice

from workbook import pipeline
from workbook.analyses.compensation import recommend
from workbook.deliverable import registry, write_deliverable
from workbook.deliverable.registry import SheetSpec
from workbook.deliverable.sample import sample_context
from workbook.deliverable.sheets import assumptions_sheet
from workbook.deliverable.sheets.assumptions_sheet import assumption_cell_refs
from workbook.deliverable.sheets.compensation_sheet import build_compensation
from workbook.deliverable.sheets.ownership_sheet import build_ownership
from workbook.pipeline.results import read_results

ERRORS = {"#DIV/0!", "#NAME?", "#REF!", "#VALUE!", "#N/A", "#NUM!", "Err:502", "Err:504", "Err:508"}
SPECS = [
    SheetSpec("Compensation", "The plan.", build_compensation),
    SheetSpec("Ownership", "The owner.", build_ownership),
    SheetSpec("Assumptions", "Inputs.", assumptions_sheet.build),
]
PAYOUTS = {"payout_current_plan": "Payout, current plan", "payout_proposed_plan": "Payout, proposed plan",
           "payout_change": "Change"}


def _context(data, out):
    pipeline.compensation(data, out)
    pipeline.ownership(data, out)
    return dataclasses.replace(sample_context(), assumptions=data.engagement.assumptions,
                               results=read_results(out))


@pytest.fixture(scope="module")
def demo(demo_engagement, tmp_path_factory):
    data = pipeline.load(demo_engagement)
    ctx = _context(data, tmp_path_factory.mktemp("comp_run"))
    return data, ctx


def _manager_rows(ws):
    """cell(manager_id, header) over the workings: the plans table, then the payouts table below it
    (the same managers in the same order), not the answer above them."""
    cells = {}
    for row in ws.iter_rows():
        if row[0].value == "Manager ID" and row[1].value == "Manager" and not any(
                c.value == "Payout, current plan" for c in row if c.column <= 4):   # not the answer table
            if not any(c.value in ("Target variable", "Proposed weight: team development") for c in row):
                continue
            header = {c.value: c.column for c in row if c.value}
            r = row[0].row + 1
            while ws.cell(r, 1).value:
                for title, column in header.items():
                    cells[(ws.cell(r, 1).value, title)] = ws.cell(r, column)
                r += 1
    if not cells:
        raise AssertionError("no manager tables on the Compensation sheet")
    ids = sorted({k[0] for k in cells})
    return lambda manager_id, title: cells[(manager_id, title)], ids


def _assert_payouts(ws, expected: pd.DataFrame) -> None:
    cell, ids = _manager_rows(ws)
    assert set(ids) == set(expected["manager_id"])
    for _, r in expected.iterrows():
        for key, title in PAYOUTS.items():
            got = cell(r["manager_id"], title).value
            assert got == pytest.approx(r[key], abs=0.005), (r["manager_id"], key)
        flag = cell(r["manager_id"], "Change-management risk").value or ""
        assert (flag == "yes") == bool(r["risk_flag"]), r["manager_id"]


def test_formulas_are_live_and_carry_their_values(tmp_path, demo):
    _, ctx = demo
    path = write_deliverable(tmp_path / "out.xlsx", ctx, sheets=SPECS)
    ws = openpyxl.load_workbook(path)["Compensation"]
    cell, ids = _manager_rows(ws)
    r = ids[0]
    assert "team_development_weight" in cell(r, "Proposed weight: team development").value
    factor = cell(r, "Payout %: team attainment").value
    for name in ("payout_threshold_attainment", "payout_at_threshold", "payout_cap_attainment",
                 "payout_at_cap"):
        assert name in factor
    for title in (*PAYOUTS.values(), "Change %", "Change-management risk", "Proposed weight: revenue"):
        assert str(cell(r, title).value).startswith("="), title
    for title in ("Target variable", "Current weight: revenue", "Team attainment vs quota",
                  "Team development attainment"):
        assert cell(r, title).data_type == "n", title   # client data: numbers
    cached = openpyxl.load_workbook(path, data_only=True)["Compensation"]
    _assert_payouts(cached, ctx.results["compensation"])
    texts = " ".join(str(c.value) for row in cached.iter_rows() for c in row if isinstance(c.value, str))
    assert "Budget neutral" in texts and "Sensitivity to the team development weight" not in texts
    assert "Sensitivity to the team-development weight" in texts


def test_budget_check_says_neutral(tmp_path, demo):
    _, ctx = demo
    ws = openpyxl.load_workbook(write_deliverable(tmp_path / "out.xlsx", ctx, sheets=SPECS),
                                data_only=True)["Compensation"]
    labels = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}
    current = ws.cell(labels["Target variable, current plans"], 3).value
    proposed = ws.cell(labels["Target variable, proposed plans"], 3).value
    assert current == pytest.approx(proposed) and current == pytest.approx(
        ctx.results["compensation"]["target_variable"].sum())
    assert ws.cell(labels["Same target incentive"], 3).value == "yes"
    # at today's performance: calibrated, the proposed total equals the current one within 0.5%
    today = ws.cell(labels["Total payout, current plan"], 3).value
    assert today == pytest.approx(ctx.results["compensation"]["payout_current_plan"].sum())
    assert ws.cell(labels["Total payout, proposed plan"], 3).value == pytest.approx(today, rel=0.005)
    assert ws.cell(labels["Budget neutral (within 0.5%)"], 3).value == "yes"
    standard = ws.cell(labels["Team-development standard"], 3).value
    assert standard == pytest.approx(ctx.results["compensation_budget"]["team_development_standard"][0])
    assert 0.05 <= standard <= 1
    sentence = next(c.value for row in ws.iter_rows() for c in row
                    if isinstance(c.value, str) and c.value.startswith("Budget neutral at today's"))
    assert f"the full team-development payout set at {standard:.0%} team-development attainment" in sentence


def test_ownership_sheet_shows_finding_and_a_coloured_raci(tmp_path, demo):
    _, ctx = demo
    ws = openpyxl.load_workbook(write_deliverable(tmp_path / "out.xlsx", ctx, sheets=SPECS))["Ownership"]
    texts = " ".join(str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str))
    assert "Finding" in texts and "Recommendation" in texts and "Evidence" in texts
    assert "ownership by committee" in texts
    table = next(iter(ws.tables.values()))
    first = int(table.ref.split(":")[0][1:])
    header = {c.value: c.column for c in ws[first] if c.value}
    rows = {ws.cell(r, 1).value: r for r in range(first + 1, first + 6)}
    assert ws.cell(rows["Reinforcement and coaching"], header["Front-line managers"]).value == "A/R"
    assert len(ws.conditional_formatting) >= 1


def test_people_and_sales_only_says_not_assessed_and_shows_percentages(tmp_path):
    folder = tmp_path / "lean"
    roster(folder)
    write_csv(folder / "sales.csv", ["rep_id,date,amount", "R1,2026-03-01,300000", "R3,2026-06-01,150000"])
    write_engagement(folder, {"people": "roster.csv", "sales": "sales.csv"}, as_of="2026-09-30")
    ctx = _context(pipeline.load(folder), tmp_path / "run")
    path = write_deliverable(tmp_path / "out.xlsx", ctx, sheets=SPECS)
    ws = openpyxl.load_workbook(path, data_only=True)["Compensation"]
    cells = [(c.value, c.number_format) for row in ws.iter_rows() for c in row if c.value is not None]
    texts = [v for v, _ in cells if isinstance(v, str)]
    assert "Not assessed — needs compensation" in texts
    assert (0.2, "0.0%") in cells and (0.8, "0.0%") in cells
    assert "Team development (one component)" in texts
    own = openpyxl.load_workbook(path)["Ownership"]
    owned = " ".join(str(c.value) for row in own.iter_rows() for c in row if isinstance(c.value, str))
    assert "not recorded" in owned.lower()


def test_registered_in_the_full_workbook(tmp_path, demo):
    _, ctx = demo
    titles = [s.title for s in registry.SHEETS if s.build is not None]
    assert "Compensation" in titles and "Ownership" in titles
    names = openpyxl.load_workbook(write_deliverable(tmp_path / "full.xlsx", ctx)).sheetnames
    assert names.index("ROI Model") < names.index("Compensation") < names.index("Ownership") \
        < names.index("Assumptions")


@requires_libreoffice
@pytest.mark.libreoffice
def test_libreoffice_recalculates_the_payouts_to_the_cent(tmp_path, demo):
    _, ctx = demo
    path = write_deliverable(tmp_path / "out.xlsx", ctx, sheets=SPECS)
    ws = openpyxl.load_workbook(recalculate(path, tmp_path / "recalc"), data_only=True)["Compensation"]
    errors = [(c.coordinate, c.value) for r in ws.iter_rows() for c in r if c.value in ERRORS]
    assert errors == []
    _assert_payouts(ws, ctx.results["compensation"])


@requires_libreoffice
@pytest.mark.libreoffice
def test_changing_the_team_development_weight_moves_payouts_as_python_predicts(tmp_path, demo):
    data, ctx = demo
    path = write_deliverable(tmp_path / "out.xlsx", ctx, sheets=SPECS)
    edited = openpyxl.load_workbook(path)
    ref = assumption_cell_refs(ctx)["team_development_weight"].split("!")[1].replace("$", "")
    edited["Assumptions"][ref].value = 0.3
    changed = tmp_path / "edited" / "changed.xlsx"
    changed.parent.mkdir()
    edited.save(changed)
    ws = openpyxl.load_workbook(recalculate(changed, tmp_path / "recalc"), data_only=True)["Compensation"]
    a = {**data.engagement.assumptions.as_dict(), "team_development_weight": 0.3}
    predicted, _, _ = recommend(data.tables["compensation"].reset_index(drop=True),
                                pipeline.manager_readiness(data), pipeline.analysis_of(data).coaching, a)
    before = ctx.results["compensation"].set_index("manager_id")["payout_proposed_plan"]
    after = predicted.set_index("manager_id")["payout_proposed_plan"]
    assert not after.reindex(before.index).to_numpy() == pytest.approx(before.to_numpy())
    _assert_payouts(ws, predicted)
    # the sentence above the table follows the numbers
    more, less = int((predicted["payout_change"] > 0.005).sum()), int((predicted["payout_change"] < -0.005).sum())
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert (f"With 30% of target variable on team development, at today's measured performance {more} of "
            f"{len(predicted)} front-line managers would earn more and {less} less.") in " ".join(texts)
