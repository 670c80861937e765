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
from workbook.pipeline.columns import label, labels

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

GAPS_TITLE = "Coaching Gaps"
ROI_TITLE = "ROI Model"
CHART_MAX_MANAGERS = 30
NOTE_WIDTH = 110

HOURS_FORMAT = '#,##0.0 "h"'
ROI_PCT_FORMAT = "#,##0.0%"
REPS_NOW = label("active_reps")
REPS_WINDOW = label("reps")
TARGET_HEADER = label("target_hours_per_rep_month")
# the target is the same on every row: said in the sentence above the table, not a column;
# it is written in a hidden helper column only for the chart's target line
GAP_HEADERS = labels(("manager_id", "manager_name", "active_reps", "reps", "hours_per_rep_month",
                      "gap_hours_per_rep_month", "gap_manager_hours_per_month", "coverage",
                      "monthly_coverage", "core_share", "sessions", "avg_quality"))
GAP_KINDS = {
    REPS_NOW: "count", REPS_WINDOW: "count", "Sessions": "count",
    "Hours per rep per month": "hours",
    "Gap, hours per rep per month": "hours", "Gap, manager hours per month": "hours",
    "Coverage (% of reps coached)": "percent", "Monthly coverage (% of rep-months)": "percent",
    "Core performers' share of coaching time": "percent", "Average quality (1-5)": "decimal",
    "Manager ID": "text", "Manager": "text",
}
ROI_NOTE = (
    "These are scenarios, not promises. The uplift for core performers (the middle 60%) comes from "
    "published research, not from this client's data: 6-8% for a moderate improvement in coaching "
    "(CEB / Sales Executive Council: Dixon & Adamson, HBR 2011; SEC 'World-Class Sales Coaching' 2007), "
    "8% (Gartner 2021) and up to 19% for the best coaching (CEB / SEC 2011/2007; Gartner 2019). The "
    "uplift applies to core performers in proportion to the coaching their team would gain: a team's "
    "core revenue is weighted by its gap as a share of the target (a team already at the target has "
    "nothing to gain), is scaled by the share of the coaching gap actually closed, and counts gross "
    "profit, not revenue. ROI follows the Phillips method: first-year "
    "benefits only, fully loaded costs, ROI % = net benefit / total cost x 100. Change the yellow "
    "cells on the Assumptions sheet to test other values; the figures below recalculate."
)
INPUT_NOTES = {
    "core_revenue_usd": "Won revenue of core-tier reps still on staff at the as-of date, each annualised "
                        "over the months on the team, weighted by their team's dose: the share of the "
                        "target coaching hours the team gains by closing its gap (0 at or above the "
                        "target); per team in roi_by_manager.csv.",
    "gap_hours_per_year": "Coaching Gaps: manager hours per month needed to bring every team to the "
                          "target, x 12.",
    "managers": "Front-line managers in post at the as-of date; all of them take the manager program.",
}
CONTEXT_INPUT = ("core_revenue_all_usd", "All core performers' yearly revenue, for context ({currency})",
                 "Every core-tier rep still on staff, whatever the manager's coaching; not used in the "
                 "model, since teams at the target have no gap to close.")
ASSUMPTIONS_SHOWN = ("uplift_conservative", "uplift_base", "uplift_upper", "gap_closure_share",
                     "gross_margin_pct", "manager_loaded_hourly_cost_usd", "program_cost_per_manager_usd")
ASSUMPTION_LABELS = {"program_cost_per_manager_usd": "Manager coaching program cost per manager"}


def _note(book: DeliverableBook, ws, row: int, text: str, last_col: int, fmt=None) -> None:
    book.write_note(ws, row, text, last_col, NOTE_WIDTH, fmt)


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _signed(x: float, digits: int = 1) -> str:
    """A signed number with a true minus sign: +2.9, −0.4."""
    text = f"{x:+.{digits}f}"
    return text.replace("-", "\u2212")


def gaps_summary(gaps: pd.DataFrame) -> str:
    below = int((pd.to_numeric(gaps["gap_hours_per_rep_month"], errors="coerce") > 0).sum())
    target = _number(gaps["target_hours_per_rep_month"].iloc[0]) \
        if len(gaps) and "target_hours_per_rep_month" in gaps else None
    hours = _number(gaps["gap_manager_hours_per_month"].sum()) if "gap_manager_hours_per_month" in gaps \
        else None
    text = (f"{below} of {len(gaps)} front-line managers coach below the target"
            + (f" of {target:g} hours per rep per month (Gartner 2019: 3-5; the same target for every "
               "manager)" if target is not None else ""))
    if hours is not None:
        text += (f". Bringing every team to the target takes about {hours:,.0f} more manager hours a "
                 f"month for the reps on the teams now ('{REPS_NOW}')")
    return text + (f". Hours per rep per month count every rep on the team during the window, leavers "
                   f"included ('{REPS_WINDOW}'), only for the months each was on the team.")


def _link(ctx: DeliverableContext) -> pd.Series | None:
    link = ctx.results.get("coaching_link")
    if link is None or link.empty or any(_number(link.iloc[0].get(k)) is None
                                         for k in ("slope", "ci_low", "ci_high")):
        return None
    return link.iloc[0]


def _slope_words(r: pd.Series) -> tuple[str, str]:
    level = _number(r.get("level")) or 0.95
    slope = (f"{_signed(r['slope'] * 100)} percentage points of attainment per extra coaching hour "
             "per rep-month")
    ci = f"{level:.0%} CI {_signed(r['ci_low'] * 100)} to {_signed(r['ci_high'] * 100)}"
    return slope, ci


def link_sentence(ctx: DeliverableContext) -> str:
    r = _link(ctx)
    if r is None:
        return ASSOCIATION_NOTE
    slope, ci = _slope_words(r)
    return f"Across {int(r['n'])} reps, {slope} ({ci}). " + ASSOCIATION_NOTE


def roi_evidence_sentence(ctx: DeliverableContext) -> str:
    """What the client's own data says about coaching and attainment, next to the ROI scenarios."""
    r = _link(ctx)
    if r is None:
        return ("This client's data could not show whether more coaching goes with higher attainment "
                "(it needs coaching and sales for enough reps); the scenarios rest on published "
                "research, not on this client's data.")
    slope, ci = _slope_words(r)
    measured = f"slope {slope}, {ci}, across {int(r['n'])} reps"
    if r["ci_low"] > 0:
        return (f"In this data, reps who get more coaching reach higher attainment ({measured}): an "
                "association consistent with the published uplift, not proof of it; the scenarios "
                "still rest on published research.")
    if r["ci_high"] < 0:
        return (f"In this data, reps who get more coaching show lower attainment ({measured}), perhaps "
                "because managers coach the reps who struggle: the data does not support the uplift, "
                "and the scenarios rest on published research, not on this client's data.")
    return (f"In this data, more coaching is not yet visibly linked to attainment ({measured}); the "
            "scenarios rest on published research, not on this client's data.")


def build_coaching_gaps(book: DeliverableBook, ctx: DeliverableContext) -> None:
    ws = book.sheet(GAPS_TITLE)
    subtitle = "How much coaching each team gets against the target, and where it goes."
    gaps = ctx.results.get("coaching_gaps")
    if gaps is None:
        book.write_not_assessed(ws, "Coaching Gaps", subtitle, "coaching")
        return
    row = book.write_title(ws, "Coaching Gaps", subtitle)
    columns = [c for c in GAP_HEADERS if c in gaps.columns]
    table = gaps[columns].rename(columns=GAP_HEADERS)
    last_col = len(columns) - 1
    _note(book, ws, row, gaps_summary(gaps), last_col)
    _note(book, ws, row + 1, "Coverage is the share of the team's reps (in the window) the manager "
          "coached at least once; core share is the share of coaching time spent on core performers, "
          "the middle 60% by attainment, where coaching pays most (CEB / Sales Executive Council). "
          + link_sentence(ctx), last_col)
    first = row + 3
    kinds = {k: v for k, v in GAP_KINDS.items() if k in table.columns}
    hours_fmt = book.fmt(num_format=HOURS_FORMAT)
    last = book.write_table(ws, first, table, "coaching_gaps", column_kinds=kinds,
                            formats_by_column={k: hours_fmt for k, v in kinds.items() if v == "hours"},
                            widths={"Manager": 24})
    if gaps.empty:
        return
    col = {name: i for i, name in enumerate(table.columns)}
    data = (first + 1, last)

    def cf(name: str, options: dict) -> None:
        if name in col:
            ws.conditional_format(data[0], col[name], data[1], col[name], options)

    def bar_max(column: str, floor: float = 0.0) -> float:
        """A bound above the largest value, so no bar fills its cell and the text stays readable."""
        values = pd.to_numeric(gaps[column], errors="coerce") if column in gaps else pd.Series(dtype=float)
        top = max(_number(values.max()) or 0.0, floor)
        return round(top * 1.25, 2) if top > 0 else 1.0

    target_value = _number(gaps["target_hours_per_rep_month"].iloc[0]) \
        if "target_hours_per_rep_month" in gaps else None
    cf("Hours per rep per month", {"type": "data_bar", "bar_color": "#BDD7EE", "bar_solid": False,
                                   "min_type": "num", "min_value": 0, "max_type": "num",
                                   "max_value": bar_max("hours_per_rep_month", target_value or 0.0)})
    cf("Gap, hours per rep per month", {"type": "2_color_scale", "min_color": "#FFFFFF",
                                        "max_color": "#F8696B"})
    cf("Gap, manager hours per month", {"type": "data_bar", "bar_color": "#F4B6B6", "bar_solid": False,
                                        "min_type": "num", "min_value": 0, "max_type": "num",
                                        "max_value": bar_max("gap_manager_hours_per_month")})
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
    if target_value is not None:
        # the target line reads a hidden helper column next to the table (the same value per row)
        helper = last_col + 2
        ws.write_string(first, helper, TARGET_HEADER, book.fmt("label"))
        for i in range(shown):
            ws.write_number(data[0] + i, helper, target_value, hours_fmt)
        ws.set_column(helper, helper, None, None, {"hidden": True})
        target = book.workbook.add_chart({"type": "line"})
        target.add_series({"name": f"Target ({target_value:g} h)", "categories": cats,
                           "values": [sheet, data[0], helper, data[0] + shown - 1, helper],
                           "line": {"color": "#C00000", "width": 2, "dash_type": "dash"},
                           "marker": {"type": "none"}})
        chart.combine(target)
        chart.show_hidden_data()
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
        book.write_not_assessed(ws, "ROI Model", subtitle, needs)
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
        fmt = book.fmt(num_format=HOURS_FORMAT) if item.kind == "hours" else book.kind_format(item.kind)
        book.safe_write(ws, row, 1, inputs[item.key], fmt)
        ws.write_string(row, 2, INPUT_NOTES.get(item.key, ""), book.fmt(font_color=style.GREY))
        book.workbook.define_name(item.excel_name, f"={sheet_ref}!${_col(1)}${row + 1}")
        row += 1
    key, label, note = CONTEXT_INPUT
    context = _number(ctx.results["roi_inputs"][key].iloc[0]) \
        if key in ctx.results["roi_inputs"].columns else None
    if context is not None:
        grey = {"font_color": style.GREY}
        ws.write_string(row, 0, label.format(currency=currency), book.fmt("label", **grey))
        book.safe_write(ws, row, 1, context, book.kind_format("currency", **grey))
        ws.write_string(row, 2, note, book.fmt(**grey))
        row += 1
    row += 1

    # --- the assumptions used, linked (change them on the Assumptions sheet)
    by_name = ctx.assumptions.by_name()
    ws.write_string(row, 0, "Assumptions used (change them on the Assumptions sheet)", book.fmt("heading"))
    row += 1
    for name in ASSUMPTIONS_SHOWN:
        a = by_name[name]
        unit = currency if a.kind == "currency" else a.unit
        ws.write_string(row, 0, f"{ASSUMPTION_LABELS.get(name, a.label)} ({unit})", book.fmt("label"))
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

    # --- what the client's own data says, next to the scenarios
    ws.write_string(row, 0, "What this client's data shows", book.fmt("heading"))
    _note(book, ws, row + 1, roi_evidence_sentence(ctx), last_col,
          book.fmt("wrap", "warning", valign="vcenter"))
    row += 3

    # --- how each column is computed, in words
    ws.write_string(row, 0, "How each figure is computed", book.fmt("heading"))
    row += 1
    for line in LINES:
        ws.write_string(row, 0, line.label.format(currency=currency), book.fmt("label"))
        ws.merge_range(row, 1, row, last_col, None, book.fmt("text"))
        ws.write_string(row, 1, line.words, book.fmt("text"))
        row += 1

    chart = book.workbook.add_chart({"type": "column"})
    net_col = 1 + [line.key for line in LINES].index("net_benefit")
    ben_col = 1 + [line.key for line in LINES].index("annual_benefit")
    cost_col = 1 + [line.key for line in LINES].index("total_cost")
    last_data = first_data + len(SCENARIOS) - 1
    label_format = book.number_formats["currency"].replace("#,##0", '#,##0,"k"', 1)
    for col, colour in ((ben_col, "#2E75B6"), (cost_col, "#A6A6A6"), (net_col, "#1F3864")):
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
    book.set_width(ws, 0, 60)
    book.fit_width(ws, 2, 16)


def _col(index: int) -> str:
    return xl_rowcol_to_cell(0, index)[:-1]


def _line_format(book: DeliverableBook, kind: str):
    if kind == "ratio":
        return book.fmt(num_format="0.00")
    if kind == "percent":
        return book.fmt(num_format=ROI_PCT_FORMAT)
    return book.kind_format(kind)
