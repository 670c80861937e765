"""Coaching Gaps: the per-manager table of results['coaching_gaps'] with conditional formatting and
a native chart of hours per rep against the target (the ROI Model is roi_sheet.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from workbook.analyses.coaching import ASSOCIATION_NOTE
from workbook.deliverable.sheets.sheet_text import finite_number
from workbook.pipeline.columns import label, labels

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

GAPS_TITLE = "Coaching Gaps"
CHART_MAX_MANAGERS = 30
NOTE_WIDTH = 140
NOTE_LAST_COL = 11   # notes span the table (the sheet prints one page wide)
NUMBER_WIDTH = 11.0  # 12 columns of ~11 print one page wide at a legible scale
COLUMN_WIDTHS = {"Manager ID": 10.0, "Manager": 22.0}

HOURS_FORMAT = '#,##0.0 "h"'
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


def _note(book: DeliverableBook, ws, row: int, text: str, last_col: int, fmt=None) -> None:
    book.write_note(ws, row, text, min(last_col, NOTE_LAST_COL), NOTE_WIDTH, fmt)




def _signed(x: float, digits: int = 1) -> str:
    """A signed number with a true minus sign: +2.9, −0.4."""
    text = f"{x:+.{digits}f}"
    return text.replace("-", "\u2212")


def gaps_summary(gaps: pd.DataFrame) -> str:
    below = int((pd.to_numeric(gaps["gap_hours_per_rep_month"], errors="coerce") > 0).sum())
    target = finite_number(gaps["target_hours_per_rep_month"].iloc[0]) \
        if len(gaps) and "target_hours_per_rep_month" in gaps else None
    hours = finite_number(gaps["gap_manager_hours_per_month"].sum()) if "gap_manager_hours_per_month" in gaps \
        else None
    text = (f"{below} of {len(gaps)} front-line managers coach below the target"
            + (f" of {target:g} hours per rep per month (Gartner 2019: 3-5; the same target for every "
               "manager)" if target is not None else ""))
    if hours is not None:
        text += (f". Bringing every team to the target takes about {hours:,.0f} more manager hours a "
                 f"month for the reps on the teams now ('{REPS_NOW}')")
    return text + (f". Hours per rep per month count every rep on the team during the window, leavers "
                   f"included ('{REPS_WINDOW}'), only for the months each was on the team.")


def coaching_link(ctx: DeliverableContext) -> pd.Series | None:
    link = ctx.results.get("coaching_link")
    if link is None or link.empty or any(finite_number(link.iloc[0].get(k)) is None
                                         for k in ("slope", "ci_low", "ci_high")):
        return None
    return link.iloc[0]


def slope_words(r: pd.Series) -> tuple[str, str]:
    level = finite_number(r.get("level")) or 0.95
    slope = (f"{_signed(r['slope'] * 100)} percentage points of attainment per extra coaching hour "
             "per rep-month")
    ci = f"{level:.0%} CI {_signed(r['ci_low'] * 100)} to {_signed(r['ci_high'] * 100)}"
    return slope, ci


def link_sentence(ctx: DeliverableContext) -> str:
    r = coaching_link(ctx)
    if r is None:
        return ASSOCIATION_NOTE
    slope, ci = slope_words(r)
    return f"Across {int(r['n'])} reps, {slope} ({ci}). " + ASSOCIATION_NOTE


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
                            widths={c: COLUMN_WIDTHS.get(c, NUMBER_WIDTH) for c in table.columns})
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
        top = max(finite_number(values.max()) or 0.0, floor)
        return round(top * 1.25, 2) if top > 0 else 1.0

    target_value = finite_number(gaps["target_hours_per_rep_month"].iloc[0]) \
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
        helper = last_col + 1
        ws.write_string(first, helper, TARGET_HEADER, book.fmt("label"))
        for i in range(shown):
            ws.write_number(data[0] + i, helper, target_value, hours_fmt)
        book.set_width(ws, helper, 0)   # zero width: hidden, and no width on the printed page
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
    chart.set_size({"width": 920, "height": 330})
    ws.insert_chart(last + 2, 0, chart, {"x_offset": 4, "y_offset": 4})
