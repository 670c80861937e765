"""Text that follows the numbers: change each yellow input, recalculate, and no sentence contradicts a table.

Every live assumption (the yellow cells the ROI Model and Compensation formulas read) is changed in
turn in a copy of the demo deliverable; LibreOffice recalculates all the copies; then every figure
quoted in text on the Executive Summary, ROI Model and Compensation is checked against the
recalculated cells it quotes.
"""

from __future__ import annotations

import openpyxl
import pytest
from libreoffice import recalculate_all, requires_libreoffice

from workbook.analyses.budget_neutrality import Budget, sentence
from workbook.engagement.currency import money_text

pytestmark = [pytest.mark.slow, pytest.mark.libreoffice]


def _changed(value: float) -> float:
    """Half the value (a quarter for the cap, so the calibration can bind); 0 becomes 0.5."""
    return 0.5 if value == 0 else value * 0.5


def _named(wb, name: str):
    sheet, cell = wb.defined_names[name].attr_text.split("!")
    return wb[sheet.strip("'")][cell.replace("$", "")].value


def _texts(ws) -> list[str]:
    return [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]


def _header_row(ws, first: str, contains: str):
    for row in ws.iter_rows():
        if row[0].value == first and any(c.value == contains for c in row):
            return row
    raise AssertionError(f"no table headed {first!r} with {contains!r} on {ws.title}")


def _column(ws, first: str, header: str) -> list[float]:
    head = _header_row(ws, first, header)
    col = next(c.column for c in head if c.value == header)
    values, r = [], head[0].row + 1
    while ws.cell(r, 1).value not in (None, ""):
        values.append(ws.cell(r, col).value)
        r += 1
    return values


@pytest.fixture(scope="module")
def recalculated(demo_run, tmp_path_factory):
    """{assumption name: the recalculated workbook with that input changed}."""
    folder = tmp_path_factory.mktemp("live_text")
    names = [a.name for a in demo_run.data.engagement.assumptions.items if a.live]
    paths = []
    for name in names:
        wb = openpyxl.load_workbook(demo_run.deliverable)
        sheet, cell = wb.defined_names[name].attr_text.split("!")
        target = wb[sheet.strip("'")][cell.replace("$", "")]
        target.value = _changed(float(target.value))
        path = folder / "edited" / f"{name}.xlsx"
        path.parent.mkdir(exist_ok=True)
        wb.save(path)
        paths.append(path)
    outs = recalculate_all(paths, folder / "recalc")
    return {name: openpyxl.load_workbook(out, data_only=True) for name, out in zip(names, outs, strict=True)}


def _finding(wb, topic: str) -> tuple[str, str]:
    for row in wb["Executive Summary"].iter_rows(values_only=True):
        if len(row) > 3 and row[1] == topic:
            return str(row[2]), str(row[3])
    raise AssertionError(f"no {topic!r} finding")


@requires_libreoffice
def test_every_live_input_is_covered(recalculated):
    assert len(recalculated) >= 15 and {"uplift_base", "team_development_weight", "payout_at_cap",
                                        "isolation_share", "program_cost_per_rep_usd"} <= set(recalculated)


@requires_libreoffice
def test_the_executive_summary_quotes_the_recalculated_roi(recalculated):
    for name, wb in recalculated.items():
        roi = wb["ROI Model"]
        net = [v for v in _column(roi, "Scenario", "Net benefit (USD)")]
        benefit = _column(roi, "Scenario", "First-year benefit, gross profit (USD)")
        headline, detail = _finding(wb, "Value of closing the gap")
        assert headline == f"{money_text(min(net), 'USD')} to {money_text(max(net), 'USD')} net, first year", name
        assert f"Base scenario {money_text(net[1], 'USD')} net: {money_text(benefit[1], 'USD')}" in detail, name
        assert f"if {_named(wb, 'gap_closure_share'):.0%} of the coaching gap is closed" in detail, name
        uplifts = [_named(wb, n) for n in ("uplift_conservative", "uplift_base", "uplift_upper")]
        assert f"gain {min(uplifts):.0%} to {max(uplifts):.0%}" in detail, name


@requires_libreoffice
def test_the_budget_sentence_quotes_the_recalculated_totals(recalculated):
    for name, wb in recalculated.items():
        # the sentence reads the totals, the standard and the total it was solved for
        budget = Budget(float(_named(wb, "payout_total_current")), float(_named(wb, "payout_total_proposed")),
                        0.0, float(_named(wb, "team_development_standard")),
                        float(_named(wb, "payout_total_calibrated")))
        expected = sentence(budget, "USD")
        assert _finding(wb, "Compensation")[1] == expected, name
        assert expected in _texts(wb["Compensation"]), name
    moved = _finding(recalculated["payout_at_cap"], "Compensation")[1]
    assert moved.startswith("Not budget neutral") and moved.endswith("re-run the engagement to recalibrate it.")
    # the weight moves money between components in proportion: the standard still balances the totals
    assert _finding(recalculated["team_development_weight"], "Compensation")[1].startswith("Budget neutral")


@requires_libreoffice
def test_the_compensation_text_quotes_the_recalculated_weight_counts_and_marker(recalculated):
    for name, wb in recalculated.items():
        ws = wb["Compensation"]
        weight = float(_named(wb, "team_development_weight"))
        change = [float(v) for v in _column(ws, "Manager ID", "Change") if v not in (None, "")]
        more, less = sum(c > 0.005 for c in change), sum(c < -0.005 for c in change)
        texts = " ".join(_texts(ws))
        assert (f"With {weight:.0%} of target variable on team development, at today's measured performance "
                f"{more} of {len(change)} front-line managers would earn more and {less} less.") in texts, name
        assert f"one team-development component of {weight:.0%} of target variable" in texts, name
        head = _header_row(ws, "Team development weight", "Used above")
        col = next(c.column for c in head if c.value == "Used above")
        r = head[0].row + 1
        while ws.cell(r, 1).value not in (None, ""):
            marked = (ws.cell(r, col).value or "") != ""
            assert marked == (abs(float(ws.cell(r, 1).value) - weight) < 1e-9), (name, r)
            r += 1
