"""The live ROI Model: inputs from the data, fully loaded costs, the scenarios and each team's benefit.

Every figure the client can move is a formula: the data-derived inputs are
plain numbers with defined names (the dose-weighted core revenue is the sum of
the per-team table below), the costs and the scenario rows are formulas over
those names and the Assumptions sheet's names, each written with its computed
value. The formulas come from workbook.analyses.roi (COSTS, LINES), the same
definitions roi_scenarios() evaluates in Python, and each team's benefit is
the per-team formula roi_by_manager() evaluates, so the teams add up to the
scenarios' benefit in Excel as in the CSVs. When the run measured the
programme's uplift here (roi_scenarios.csv has a "measured_here" row), the
measured uplift is a named value cell among the data inputs, its interval
beside it, and a fourth scenario row uses it with the same formulas.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from workbook.analyses.roi import (
    COSTS,
    INPUTS,
    LINES,
    MEASURED_UPLIFT_NAME,
    ROI_BENEFIT_NAME,
    ROI_NET_NAME,
    SCENARIO_LABELS,
    MeasuredUplift,
    cost_formula,
    cost_name,
    cost_values,
    excel_formula,
    scenario_row,
    scenarios_with,
)
from workbook.deliverable import style
from workbook.deliverable.sheets.coaching_sheets import HOURS_FORMAT
from workbook.deliverable.sheets.roi_text import (
    CONTEXT_INPUT,
    INPUT_NOTES,
    MEASURED_LABEL,
    ROI_NOTE,
    TEAM_HEADERS,
    measured,
    measured_note,
    roi_evidence_sentence,
)
from workbook.deliverable.sheets.sheet_text import finite_number, side_note

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

ROI_TITLE = "ROI Model"
LABEL_WIDTH = 38.0
COLUMN_WIDTHS = (LABEL_WIDTH, 20.0, *([13.0] * 7))   # about 149 characters: one page at 70% or more
NOTE_WIDTH = sum(COLUMN_WIDTHS)
ROI_PCT_FORMAT = "#,##0.0%"
TEAM_FIXED_COLUMNS = 6   # the team table's columns before one benefit column per scenario
MEASURED_LABEL_WIDTH = 35.0   # the measured case's label column, so ten columns still fit one page


@dataclass(frozen=True)
class Layout:
    """The sheet's column widths and what follows from them: the notes, the side notes (C to the
    last column) and the labels in column A have their row heights computed from these same widths,
    so each is as tall as its wrapped text."""

    widths: tuple[float, ...]

    @property
    def label_width(self) -> float:
        return self.widths[0]

    @property
    def note_last_col(self) -> int:
        return len(self.widths) - 1

    @property
    def note_width(self) -> float:
        return sum(self.widths)

    @property
    def side_note_width(self) -> float:
        return sum(self.widths[2:]) - 4


def layout(columns: int) -> Layout:
    """The widths for a sheet of `columns` columns: the designed nine (labels, the figures in column
    B, seven narrow columns: about 149 characters, one page at 70% or more); with more (a team table
    with the measured scenario's benefit), a narrower label column and the narrow columns sharing the
    rest, so the sheet stays within the same width."""
    if columns <= len(COLUMN_WIDTHS):
        return Layout(COLUMN_WIDTHS)
    narrow = (NOTE_WIDTH - MEASURED_LABEL_WIDTH - COLUMN_WIDTHS[1]) / (columns - 2)
    return Layout((MEASURED_LABEL_WIDTH, COLUMN_WIDTHS[1], *([narrow] * (columns - 2))))


def sheet_columns(m: MeasuredUplift | None) -> int:
    """How many columns the sheet uses: the scenario table's, or the team table's (one benefit
    column per scenario), whichever is wider."""
    return max(1 + len(LINES), TEAM_FIXED_COLUMNS + len(scenarios_with(m)))


ASSUMPTIONS_SHOWN = ("uplift_conservative", "uplift_base", "uplift_upper", "gap_closure_share",
                     "gross_margin_pct", "isolation_share", "estimate_confidence",
                     "manager_loaded_hourly_cost_usd", "rep_loaded_hourly_cost_usd",
                     "program_cost_per_manager_usd", "program_cost_per_rep_usd", "program_hours_per_manager",
                     "program_hours_per_rep")
ASSUMPTION_LABELS = {"program_cost_per_manager_usd": "Manager coaching program cost per manager"}



def _label(book: DeliverableBook, ws, lay: Layout, row: int, text: str) -> None:
    """A label in column A, wrapped, its row as tall as the wrapped text."""
    ws.write_string(row, 0, text, book.fmt("label", "wrap", valign="top"))
    ws.set_row(row, book.wrapped_height(text, lay.label_width - 2))


def _side_note(book: DeliverableBook, ws, lay: Layout, row: int, text: str, label: str) -> None:
    """A grey explanation beside a figure, wrapped within the page (columns C to the last)."""
    side_note(book, ws, row, text, (2, lay.note_last_col), lay.side_note_width, label, lay.label_width - 2)


def _note(book: DeliverableBook, ws, lay: Layout, row: int, text: str, last_col: int, fmt=None) -> None:
    book.write_note(ws, row, text, min(last_col, lay.note_last_col), lay.note_width, fmt)


def _inputs(ctx: DeliverableContext) -> dict[str, float] | None:
    frame = ctx.results.get("roi_inputs")
    if frame is None or frame.empty or any(i.key not in frame.columns for i in INPUTS):
        return None
    values = {i.key: finite_number(frame[i.key].iloc[0]) for i in INPUTS}
    return None if any(v is None for v in values.values()) else values  # type: ignore[return-value]


def _absolute(ws, row: int, col: int) -> str:
    sheet_ref = "'" + ws.name.replace("'", "''") + "'"
    return f"={sheet_ref}!{xl_rowcol_to_cell(row, col, True, True)}"


def build_roi_model(book: DeliverableBook, ctx: DeliverableContext) -> None:
    ws = book.sheet(ROI_TITLE)
    m = measured(ctx)
    subtitle = ("What closing the coaching gap could return in the first year: "
                f"{'four scenarios, one measured here' if m is not None else 'three scenarios'}.")
    inputs = _inputs(ctx)
    if inputs is None or ctx.results.get("roi_scenarios") is None:
        needs = "coaching" if ctx.results.get("coaching_gaps") is None else "sales"
        book.write_not_assessed(ws, "ROI Model", subtitle, needs)
        return
    row = book.write_title(ws, "ROI Model", subtitle)
    # one page wide at a legible scale: labels wrap in column A, the figures share narrow columns
    # (narrower when the measured scenario adds a benefit column to the team table)
    lay = layout(sheet_columns(m))
    for j, width in enumerate(lay.widths):
        book.set_width(ws, j, width)
    last_col = len(LINES)
    _note(book, ws, lay, row, ROI_NOTE, last_col)
    row += 2
    # the answer first (the scenarios, next to what the client's own data shows), the workings below
    row, first_data = _scenarios_block(book, ws, lay, row, ctx, inputs, m)
    if m is not None:
        _note(book, ws, lay, row, measured_note(m), last_col, book.fmt("wrap", "note", valign="vcenter"))
        row += 2
    ws.write_string(row, 0, "What this client's data shows", book.fmt("heading"))
    _note(book, ws, lay, row + 1, roi_evidence_sentence(ctx), last_col,
          book.fmt("wrap", "warning", valign="vcenter"))
    row += 3
    row, revenue_cell = _inputs_block(book, ws, lay, row, ctx, inputs, m)
    row = _assumptions_block(book, ws, lay, row, ctx)
    row = _costs_block(book, ws, lay, row, ctx, inputs)
    row = _teams_block(book, ws, lay, row, ctx, inputs, revenue_cell, last_col, m)

    ws.write_string(row, 0, "How each figure is computed", book.fmt("heading"))
    row += 1
    for line in (*COSTS, *LINES):
        _label(book, ws, lay, row, line.label.format(currency=ctx.currency))
        ws.merge_range(row, 1, row, lay.note_last_col, None, book.fmt("text", "wrap"))
        ws.write_string(row, 1, line.words, book.fmt("text", "wrap"))
        ws.set_row(row, max(book.wrapped_height(line.words, lay.note_width - lay.label_width - 2),
                            book.wrapped_height(line.label, lay.label_width - 2)))
        row += 1
    _chart(book, ws, row, first_data, len(scenarios_with(m)))


def _inputs_block(book: DeliverableBook, ws, lay: Layout, row: int, ctx: DeliverableContext,
                  inputs: dict[str, float], m: MeasuredUplift | None = None) -> tuple[int, tuple[int, int]]:
    """The data-derived inputs, each with a defined name; returns the core-revenue cell."""
    ws.write_string(row, 0, "Inputs from the client's data (computed by the toolkit)", book.fmt("heading"))
    row += 1
    revenue_cell = (row, 1)
    for item in INPUTS:
        label = item.label.format(currency=ctx.currency)
        _label(book, ws, lay, row, label)
        fmt = book.fmt(num_format=HOURS_FORMAT) if item.kind == "hours" else book.kind_format(item.kind)
        book.safe_write(ws, row, 1, inputs[item.key], fmt)
        _side_note(book, ws, lay, row, INPUT_NOTES.get(item.key, ""), label)
        book.workbook.define_name(item.excel_name, _absolute(ws, row, 1))
        if item.key == "core_revenue_usd":
            revenue_cell = (row, 1)
        row += 1
    key, label, note = CONTEXT_INPUT
    context = finite_number(ctx.results["roi_inputs"][key].iloc[0]) \
        if key in ctx.results["roi_inputs"].columns else None
    if context is not None:
        grey = {"font_color": style.GREY}
        ws.write_string(row, 0, label.format(currency=ctx.currency), book.fmt("label", "wrap", valign="top", **grey))
        book.safe_write(ws, row, 1, context, book.kind_format("currency", **grey))
        _side_note(book, ws, lay, row, note, label.format(currency=ctx.currency))
        row += 1
    if m is not None:
        row = _measured_input(book, ws, lay, row, m)
    return row + 1, revenue_cell


def _measured_input(book: DeliverableBook, ws, lay: Layout, row: int, m: MeasuredUplift) -> int:
    """The measured uplift: a named value cell (the fourth scenario's uplift), its interval beside it."""
    _label(book, ws, lay, row, MEASURED_LABEL)
    pct = book.fmt(num_format=ROI_PCT_FORMAT)
    book.safe_write(ws, row, 1, m.uplift, pct)
    book.workbook.define_name(MEASURED_UPLIFT_NAME, _absolute(ws, row, 1))
    ws.write_string(row, 2, f"{m.level:.0%} interval", book.fmt("label", align="right", valign="top"))
    book.safe_write(ws, row, 3, m.low, pct)
    book.safe_write(ws, row, 4, m.high, pct)
    text = (f"Source: measured in this engagement's data (Programme Impact sheet), {m.trained_teams} team(s) "
            f"already trained against {m.comparison_teams} not yet trained. Measured on teams already trained.")
    side_note(book, ws, row, text, (5, lay.note_last_col), sum(lay.widths[5:]) - 4, MEASURED_LABEL,
              lay.label_width - 2)
    return row + 1


def _assumptions_block(book: DeliverableBook, ws, lay: Layout, row: int, ctx: DeliverableContext) -> int:
    by_name = ctx.assumptions.by_name()
    ws.write_string(row, 0, "Assumptions used (change them on the Assumptions sheet)", book.fmt("heading"))
    row += 1
    for name in ASSUMPTIONS_SHOWN:
        a = by_name[name]
        unit = ctx.currency if a.kind == "currency" else a.unit
        _label(book, ws, lay, row, f"{ASSUMPTION_LABELS.get(name, a.label)} ({unit})")
        kind = "percent" if a.kind == "percent" else "currency" if a.kind == "currency" else "decimal"
        book.write_formula(ws, row, 1, f"={name}", book.kind_format(kind), value=a.value)
        _side_note(book, ws, lay, row, a.note or a.source, f"{ASSUMPTION_LABELS.get(name, a.label)} ({unit})")
        row += 1
    return row + 1


def _costs_block(book: DeliverableBook, ws, lay: Layout, row: int, ctx: DeliverableContext,
                 inputs: dict[str, float]) -> int:
    ws.write_string(row, 0, "Costs, fully loaded (the same in every scenario)", book.fmt("heading"))
    row += 1
    values = cost_values(inputs, ctx.assumptions)
    for line in COSTS:
        bold = ("bold",) if line.key == "total_cost" else ()
        _label(book, ws, lay, row, line.label.format(currency=ctx.currency))
        book.write_formula(ws, row, 1, cost_formula(line), book.kind_format("currency", *bold),
                           value=values[line.key])
        _side_note(book, ws, lay, row, line.words, line.label.format(currency=ctx.currency))
        book.workbook.define_name(cost_name(line.key), _absolute(ws, row, 1))
        row += 1
    return row + 1


def _scenarios_block(book: DeliverableBook, ws, lay: Layout, row: int, ctx: DeliverableContext,
                     inputs: dict[str, float], m: MeasuredUplift | None = None) -> tuple[int, int]:
    ws.write_string(row, 0, "Scenarios: first-year benefit, fully loaded cost and ROI", book.fmt("heading"))
    row += 1
    headers = ["Scenario"] + [line.label.format(currency=ctx.currency) for line in LINES]
    scenarios = scenarios_with(m)
    computed = {name: scenario_row(inputs, ctx.assumptions, name, m) for _, name in scenarios}
    table = pd.DataFrame(
        [[SCENARIO_LABELS[s]] + [computed[name][line.key] for line in LINES] for s, name in scenarios],
        columns=headers)
    formats = {line.key: _line_format(book, line.kind) for line in LINES}
    book.write_table(ws, row, table, "roi_scenarios",
                     formats_by_column={h: formats[line.key] for h, line in zip(headers[1:], LINES,
                                                                                strict=True)},
                     widths={"Scenario": lay.label_width}, freeze=True, repeat_header=False)
    first_data = row + 1
    for i, (scenario, name) in enumerate(scenarios):
        r = first_data + i
        cells = {line.key: xl_rowcol_to_cell(r, 1 + j) for j, line in enumerate(LINES)}
        for j, line in enumerate(LINES):
            value = computed[name][line.key]
            book.write_formula(ws, r, 1 + j, excel_formula(line, name, cells), formats[line.key],
                               value=value if math.isfinite(value) else "")
            if line.key in ("net_benefit", "annual_benefit"):
                prefix = ROI_NET_NAME if line.key == "net_benefit" else ROI_BENEFIT_NAME
                book.workbook.define_name(f"{prefix}_{scenario}", _absolute(ws, r, 1 + j))
    return first_data + len(scenarios) + 1, first_data


def _teams_block(book: DeliverableBook, ws, lay: Layout, row: int, ctx: DeliverableContext, inputs: dict[str, float],
                 revenue_cell: tuple[int, int], last_col: int, m: MeasuredUplift | None = None) -> int:
    """Each team's dose and benefit per scenario, live; their dose-weighted revenue sums to the input."""
    teams = ctx.results.get("roi_by_manager")
    if teams is None or teams.empty or "dose_full_gap" not in teams:
        return row
    ws.write_string(row, 0, "Benefit by team: dose, not switch", book.fmt("heading"))
    row += 1
    _note(book, ws, lay, row, "Each team's core revenue counts in proportion to the coaching it would gain: its "
          "gap as a share of the target (at most 100%). A team 0.4 h short of a 3 h target gains 13% of "
          "the uplift; a team not coached at all gains all of it; a team at the target gains nothing. "
          "Revenue, gap and dose come from the data; the benefits are formulas over the Assumptions "
          "sheet, and the teams add up to the scenarios above.", last_col)
    row += 1
    teams = teams.sort_values("benefit_base", ascending=False, kind="stable").reset_index(drop=True)
    frame = pd.DataFrame({TEAM_HEADERS[k]: teams[k].to_numpy() for k in
                          ("manager_id", "manager_name", "core_revenue", "gap_hours_per_rep_month",
                           "dose_full_gap")})
    weighted = pd.to_numeric(teams["core_revenue"], errors="coerce") * pd.to_numeric(teams["dose_full_gap"],
                                                                                      errors="coerce")
    frame[TEAM_HEADERS["weighted"]] = weighted.to_numpy()
    scenarios = tuple((s, n) for s, n in scenarios_with(m) if f"benefit_{s}" in teams)
    for scenario, _ in scenarios:
        frame[f"Benefit, {SCENARIO_LABELS[scenario].lower()} ({ctx.currency})"] = \
            pd.to_numeric(teams[f"benefit_{scenario}"], errors="coerce").to_numpy()
    kinds = {h: "currency" for h in frame.columns}
    kinds.update({"Manager ID": "text", "Manager": "text", TEAM_HEADERS["gap_hours_per_rep_month"]: "hours",
                  TEAM_HEADERS["dose_full_gap"]: "percent"})
    last = book.write_table(ws, row, frame, "roi_by_team", column_kinds=kinds,
                            formats_by_column={TEAM_HEADERS["gap_hours_per_rep_month"]:
                                               book.fmt(num_format=HOURS_FORMAT)}, freeze=False)
    col = {h: j for j, h in enumerate(frame.columns)}
    money = book.kind_format("currency")
    for i in range(len(frame)):
        r = row + 1 + i
        rev = xl_rowcol_to_cell(r, col[TEAM_HEADERS["core_revenue"]])
        dose = xl_rowcol_to_cell(r, col[TEAM_HEADERS["dose_full_gap"]])
        w_cell = xl_rowcol_to_cell(r, col[TEAM_HEADERS["weighted"]])
        book.write_formula(ws, r, col[TEAM_HEADERS["weighted"]], f"={rev}*{dose}", money,
                           value=finite_number(weighted.iloc[i]) or 0.0)
        for j, (scenario, name) in enumerate(scenarios):
            formula = (f"={w_cell}*{name}*gap_closure_share*gross_margin_pct*isolation_share"
                       "*estimate_confidence")
            book.write_formula(ws, r, col[TEAM_HEADERS["weighted"]] + 1 + j, formula, money,
                               value=finite_number(teams[f"benefit_{scenario}"].iloc[i]) or 0.0)
    # the scenarios' core revenue input is the teams' sum: one number, one source
    w_col = col[TEAM_HEADERS["weighted"]]
    total = f"=SUM({xl_rowcol_to_cell(row + 1, w_col)}:{xl_rowcol_to_cell(last, w_col)})"
    book.write_formula(ws, *revenue_cell, total, book.kind_format("currency"), value=inputs["core_revenue_usd"])
    return last + 2


def _chart(book: DeliverableBook, ws, row: int, first_data: int, scenarios: int) -> None:
    chart = book.workbook.add_chart({"type": "column"})
    keys = [line.key for line in LINES]
    last_data = first_data + scenarios - 1
    label_format = book.number_formats["currency"].replace("#,##0", '#,##0,"k"', 1)
    for key, colour in (("annual_benefit", "#2E75B6"), ("total_cost", "#A6A6A6"), ("net_benefit", "#1F3864")):
        col = 1 + keys.index(key)
        chart.add_series({"name": [ws.name, first_data - 1, col],
                          "categories": [ws.name, first_data, 0, last_data, 0],
                          "values": [ws.name, first_data, col, last_data, col],
                          "fill": {"color": colour},
                          "data_labels": {"value": True, "position": "outside_end",
                                          "num_format": label_format, "font": {"size": 8}}})
    chart.set_title({"name": "First-year benefit (gross profit), total cost and net benefit by scenario",
                     "name_font": {"size": 11, "bold": True}})
    chart.set_y_axis({"num_format": book.number_formats["currency"],
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 720, "height": 320})
    ws.insert_chart(row + 1, 0, chart, {"x_offset": 4, "y_offset": 4})


def _line_format(book: DeliverableBook, kind: str):
    if kind == "ratio":
        return book.fmt(num_format="0.00")
    if kind == "percent":
        return book.fmt(num_format=ROI_PCT_FORMAT)
    return book.kind_format(kind)
