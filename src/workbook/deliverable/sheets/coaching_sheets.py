"""Coaching Gaps and the live ROI Model.

Coaching Gaps shows the per-manager table of results['coaching_gaps'] with
conditional formatting and a native chart of hours per rep against the target.
The ROI Model is live: the data-derived inputs are plain numbers in an
'inputs from the data' block (with defined names), every scenario figure is a
formula over those names and the Assumptions sheet's names, written with its
computed value. The formulas come from workbook.analyses.roi.LINES, the same
definition roi_scenarios() evaluates in Python.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from workbook.analyses.coaching import ASSOCIATION_NOTE
from workbook.analyses.roi import (
    INPUTS,
    LINES,
    SCENARIO_LABELS,
    SCENARIOS,
    excel_formula,
    scenario_row,
)
from workbook.deliverable import style

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

GAPS_TITLE = "Coaching Gaps"
ROI_TITLE = "ROI Model"
NOT_ASSESSED = "Not assessed — needs {needs}"
CHART_MAX_MANAGERS = 30
NOTE_WIDTH = 110

GAP_HEADERS = {
    "manager_id": "Manager ID",
    "manager_name": "Manager",
    "reps": "Reps",
    "hours_per_rep_month": "Hours per rep per month",
    "target_hours_per_rep_month": "Target hours per rep per month",
    "gap_hours_per_rep_month": "Gap, hours per rep per month",
    "gap_manager_hours_per_month": "Gap, manager hours per month",
    "coverage": "Coverage (% of reps coached)",
    "monthly_coverage": "Monthly coverage (% of rep-months)",
    "core_share": "Core performers' share of coaching time",
    "sessions": "Sessions",
    "avg_quality": "Average quality (1-5)",
}
GAP_KINDS = {
    "Reps": "count", "Sessions": "count",
    "Hours per rep per month": "hours", "Target hours per rep per month": "hours",
    "Gap, hours per rep per month": "hours", "Gap, manager hours per month": "hours",
    "Coverage (% of reps coached)": "percent", "Monthly coverage (% of rep-months)": "percent",
    "Core performers' share of coaching time": "percent", "Average quality (1-5)": "decimal",
    "Manager ID": "text", "Manager": "text",
}
ROI_NOTE = (
    "These are scenarios, not promises. The uplift for core performers (the middle 60%) comes from "
    "published research: 6-8% for a moderate improvement in coaching (CEB / Sales Executive Council, "
    "Dixon & Adamson, HBR 2011; SEC 'World-Class Sales Coaching' 2007), 8% (Gartner 2021) and up to "
    "19% for the best coaching (CEB / SEC; Gartner 2019). Each is scaled by the share of the coaching "
    "gap actually closed. ROI follows the Phillips method: first-year benefits only, fully loaded "
    "costs, ROI % = net benefit / total cost x 100. Change the yellow cells on the Assumptions sheet "
    "to test other values; the figures below recalculate."
)
INPUT_NOTES = {
    "core_revenue_usd": "Won revenue of core-tier reps still on staff at the as-of date, each annualised "
                        "over the months they were on the team.",
    "gap_hours_per_year": "Coaching Gaps: manager hours per month needed to bring every team to the "
                          "target, x 12.",
    "managers": "Front-line managers in post at the as-of date; all of them are trained.",
}
ASSUMPTIONS_SHOWN = ("uplift_conservative", "uplift_base", "uplift_upper", "gap_closure_share",
                     "manager_loaded_hourly_cost_usd", "program_cost_per_manager_usd")


def _not_assessed(book: DeliverableBook, ws, title: str, subtitle: str, needs: str) -> None:
    row = book.write_title(ws, title, subtitle)
    ws.write_string(row, 0, NOT_ASSESSED.format(needs=needs), book.fmt("heading"))
    book.write_paragraph(ws, row + 1, 0, f"This part of the assessment needs the client's {needs} data. "
                         "See the Data Quality sheet for the files received.", NOTE_WIDTH, book.fmt("note"))
    book.set_width(ws, 0, NOTE_WIDTH)


def _note(book: DeliverableBook, ws, row: int, text: str, last_col: int) -> None:
    ws.merge_range(row, 0, row, last_col, None, book.fmt("note"))
    book.safe_write(ws, row, 0, text, book.fmt("note"))
    ws.set_row(row, book.wrapped_height(text, NOTE_WIDTH))


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def gaps_summary(gaps: pd.DataFrame) -> str:
    below = int((pd.to_numeric(gaps["gap_hours_per_rep_month"], errors="coerce") > 0).sum())
    target = _number(gaps["target_hours_per_rep_month"].iloc[0]) if len(gaps) else None
    hours = _number(gaps["gap_manager_hours_per_month"].sum()) if "gap_manager_hours_per_month" in gaps \
        else None
    text = (f"{below} of {len(gaps)} front-line managers coach below the target"
            + (f" of {target:g} hours per rep per month" if target is not None else ""))
    if hours is not None:
        text += (f"; bringing every team to the target takes about {hours:,.0f} more manager hours a "
                 "month with today's teams")
    return text + ". Hours count only the months each rep was on the team."


def link_sentence(ctx: DeliverableContext) -> str:
    link = ctx.results.get("coaching_link")
    if link is None or link.empty or _number(link.iloc[0].get("slope")) is None:
        return ASSOCIATION_NOTE
    r = link.iloc[0]
    return (f"Across {int(r['n'])} reps, each extra hour of coaching a month goes with "
            f"{r['slope']:+.1%} attainment (95% interval {r['ci_low']:+.1%} to {r['ci_high']:+.1%}). "
            + ASSOCIATION_NOTE)


def build_coaching_gaps(book: DeliverableBook, ctx: DeliverableContext) -> None:
    ws = book.sheet(GAPS_TITLE)
    subtitle = "How much coaching each team gets against the target, and where it goes."
    gaps = ctx.results.get("coaching_gaps")
    if gaps is None:
        _not_assessed(book, ws, "Coaching Gaps", subtitle, "coaching")
        return
    row = book.write_title(ws, "Coaching Gaps", subtitle)
    columns = [c for c in GAP_HEADERS if c in gaps.columns]
    table = gaps[columns].rename(columns=GAP_HEADERS)
    last_col = len(columns) - 1
    _note(book, ws, row, gaps_summary(gaps), last_col)
    _note(book, ws, row + 1, "Coverage is the share of the team's reps the manager coached at least once; "
          "core share is the share of coaching time spent on core performers, the middle 60% by "
          "attainment, where coaching pays most (CEB / Sales Executive Council). Target: Gartner "
          "(2019), 3-5 hours per seller per month. " + link_sentence(ctx), last_col)
    first = row + 3
    last = book.write_table(ws, first, table, "coaching_gaps",
                            column_kinds={k: v for k, v in GAP_KINDS.items() if k in table.columns},
                            widths={"Manager": 24})
    if gaps.empty:
        return
    col = {name: i for i, name in enumerate(table.columns)}
    data = (first + 1, last)

    def cf(name: str, options: dict) -> None:
        if name in col:
            ws.conditional_format(data[0], col[name], data[1], col[name], options)

    cf("Hours per rep per month", {"type": "data_bar", "bar_color": "#5B9BD5", "bar_solid": True,
                                   "min_type": "num", "min_value": 0})
    cf("Gap, hours per rep per month", {"type": "2_color_scale", "min_color": "#FFFFFF",
                                        "max_color": "#F8696B"})
    cf("Gap, manager hours per month", {"type": "data_bar", "bar_color": "#F8696B", "bar_solid": True,
                                        "min_type": "num", "min_value": 0})
    for name in ("Coverage (% of reps coached)", "Monthly coverage (% of rep-months)",
                 "Core performers' share of coaching time"):
        cf(name, {"type": "3_color_scale", "min_color": "#F8696B", "mid_color": "#FFEB84",
                  "max_color": "#63BE7B", "min_type": "num", "min_value": 0, "mid_type": "num",
                  "mid_value": 0.5, "max_type": "num", "max_value": 1})

    if "Hours per rep per month" not in col:
        return
    shown = min(len(table), CHART_MAX_MANAGERS)
    sheet = ws.name
    cats = [sheet, data[0], col.get("Manager", 0), data[0] + shown - 1, col.get("Manager", 0)]
    chart = book.workbook.add_chart({"type": "column"})
    chart.add_series({"name": "Hours per rep per month", "categories": cats,
                      "values": [sheet, data[0], col["Hours per rep per month"], data[0] + shown - 1,
                                 col["Hours per rep per month"]],
                      "fill": {"color": "#2E75B6"}, "gap": 60})
    if "Target hours per rep per month" in col:
        target = book.workbook.add_chart({"type": "line"})
        target.add_series({"name": "Target", "categories": cats,
                           "values": [sheet, data[0], col["Target hours per rep per month"],
                                      data[0] + shown - 1, col["Target hours per rep per month"]],
                           "line": {"color": "#C00000", "width": 2, "dash_type": "dash"},
                           "marker": {"type": "none"}})
        chart.combine(target)
    suffix = f" (the {shown} largest gaps)" if shown < len(table) else ""
    chart.set_title({"name": "Coaching hours per rep per month vs target" + suffix,
                     "name_font": {"size": 11, "bold": True}})
    chart.set_y_axis({"name": "Hours per rep per month", "min": 0, "num_format": "0.0",
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_x_axis({"num_font": {"rotation": -45}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 920, "height": 360})
    ws.insert_chart(last + 2, 0, chart, {"x_offset": 4, "y_offset": 4})


def _inputs(ctx: DeliverableContext) -> dict[str, float] | None:
    frame = ctx.results.get("roi_inputs")
    if frame is None or frame.empty or any(i.key not in frame.columns for i in INPUTS):
        return None
    values = {i.key: _number(frame[i.key].iloc[0]) for i in INPUTS}
    return None if any(v is None for v in values.values()) else values  # type: ignore[return-value]


def build_roi_model(book: DeliverableBook, ctx: DeliverableContext) -> None:
    ws = book.sheet(ROI_TITLE)
    subtitle = "What closing the coaching gap could return in the first year: three scenarios."
    inputs = _inputs(ctx)
    if inputs is None or ctx.results.get("roi_scenarios") is None:
        needs = "coaching" if ctx.results.get("coaching_gaps") is None else "sales"
        _not_assessed(book, ws, "ROI Model", subtitle, needs)
        return
    currency = ctx.currency
    sheet_ref = "'" + ws.name.replace("'", "''") + "'"
    row = book.write_title(ws, "ROI Model", subtitle)
    last_col = len(LINES)
    _note(book, ws, row, ROI_NOTE, last_col)
    row += 2

    # --- inputs from the client's data: plain numbers, with defined names
    ws.write_string(row, 0, "Inputs from the client's data (computed by the toolkit)", book.fmt("heading"))
    row += 1
    for item in INPUTS:
        ws.write_string(row, 0, item.label.format(currency=currency), book.fmt("label"))
        book.safe_write(ws, row, 1, inputs[item.key], book.kind_format(item.kind))
        ws.write_string(row, 2, INPUT_NOTES.get(item.key, ""), book.fmt(font_color=style.GREY))
        book.workbook.define_name(item.excel_name, f"={sheet_ref}!${_col(1)}${row + 1}")
        row += 1
    row += 1

    # --- the assumptions used, linked (change them on the Assumptions sheet)
    by_name = ctx.assumptions.by_name()
    ws.write_string(row, 0, "Assumptions used (change them on the Assumptions sheet)", book.fmt("heading"))
    row += 1
    for name in ASSUMPTIONS_SHOWN:
        a = by_name[name]
        unit = currency if a.kind == "currency" else a.unit
        ws.write_string(row, 0, f"{a.label} ({unit})", book.fmt("label"))
        kind = "percent" if a.kind == "percent" else "currency" if a.kind == "currency" else "decimal"
        book.write_formula(ws, row, 1, f"={name}", book.kind_format(kind), value=a.value)
        ws.write_string(row, 2, a.source, book.fmt(font_color=style.GREY))
        row += 1
    row += 1

    # --- one row per scenario, every figure a formula
    ws.write_string(row, 0, "Scenarios: first-year benefit, fully loaded cost and ROI", book.fmt("heading"))
    row += 1
    headers = ["Scenario"] + [line.label.format(currency=currency) for line in LINES]
    computed = {name: scenario_row(inputs, ctx.assumptions, name) for _, name in SCENARIOS}
    table = pd.DataFrame(
        [[SCENARIO_LABELS[s]] + [computed[name][line.key] for line in LINES] for s, name in SCENARIOS],
        columns=headers)
    formats = {line.key: _line_format(book, line.kind) for line in LINES}
    book.write_table(ws, row, table, "roi_scenarios",
                     formats_by_column={h: formats[line.key] for h, line in zip(headers[1:], LINES,
                                                                                strict=True)},
                     widths={"Scenario": 40}, freeze=False)
    first_data = row + 1
    for i, (_, name) in enumerate(SCENARIOS):
        r = first_data + i
        cells = {line.key: xl_rowcol_to_cell(r, 1 + j) for j, line in enumerate(LINES)}
        for j, line in enumerate(LINES):
            value = computed[name][line.key]
            book.write_formula(ws, r, 1 + j, excel_formula(line, name, cells), formats[line.key],
                               value=value if math.isfinite(value) else "")
    row = first_data + len(SCENARIOS) + 1

    # --- how each column is computed
    ws.write_string(row, 0, "How each figure is computed", book.fmt("heading"))
    row += 1
    for line in LINES:
        ws.write_string(row, 0, line.label.format(currency=currency), book.fmt("label"))
        ws.write_string(row, 1, _readable(line), book.fmt("text"))
        row += 1

    chart = book.workbook.add_chart({"type": "column"})
    net_col = 1 + [line.key for line in LINES].index("net_benefit")
    ben_col = 1 + [line.key for line in LINES].index("annual_benefit")
    cost_col = 1 + [line.key for line in LINES].index("total_cost")
    last_data = first_data + len(SCENARIOS) - 1
    for col, colour in ((ben_col, "#2E75B6"), (cost_col, "#A6A6A6"), (net_col, "#1F3864")):
        chart.add_series({"name": [ws.name, first_data - 1, col],
                          "categories": [ws.name, first_data, 0, last_data, 0],
                          "values": [ws.name, first_data, col, last_data, col],
                          "fill": {"color": colour}})
    chart.set_title({"name": "First-year benefit, cost and net benefit by scenario",
                     "name_font": {"size": 11, "bold": True}})
    chart.set_y_axis({"num_format": book.number_formats["currency"],
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 720, "height": 320})
    ws.insert_chart(row + 1, 0, chart, {"x_offset": 4, "y_offset": 4})
    book.set_width(ws, 0, 46)
    book.fit_width(ws, 2, 16)


def _col(index: int) -> str:
    return xl_rowcol_to_cell(0, index)[:-1]


def _line_format(book: DeliverableBook, kind: str):
    if kind == "ratio":
        return book.fmt(num_format="0.00")
    return book.kind_format(kind)


def _readable(line) -> str:
    """The formula in words: names as on the Assumptions sheet, earlier columns by their key."""
    text = line.excel.lstrip("=").replace("{scenario_uplift}", "the scenario's uplift assumption")
    text = text.replace('IF({total_cost}=0,"",', "(").replace("{", "").replace("}", "")
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1] + " (empty when the total cost is zero)"
    for op, words in (("*", " x "), ("/", " / "), ("+", " + "), ("-", " - ")):
        text = text.replace(op, words)
    return text
