"""The Training Plan sheet: the waves (who starts when), then each person's wave, cohort and start.

Reads ctx.results["training_plan"], which may come back from the result CSV:
every number is coerced, never trusted.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from workbook.analyses.training_plan import wave_summary
from workbook.deliverable.sheets.sheet_text import plural, text_column, write_note
from workbook.pipeline.columns import ROLE_LABELS, labels

NOTE_WIDTH = 120

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

PLAN_TITLE = "Training Plan"
PLAN_SUBTITLE = "Who is trained in which wave, managers before their reps."
PLAN_CHART_MAX_WAVES = 30

# Printing. Widths are fixed so the print layout is known in advance: the scale is the largest that
# fits the widest printed page on both A4 and Letter landscape (0.4 in side margins), 100% at most.
PRINTABLE_PX = 979 * 0.97  # Letter landscape is the narrower paper: 10.2 in at 96 px per inch
PRINTABLE_PT = 516.0  # A4 landscape is the shorter: 8.27 in less 1.1 in of margins, in points
DEFAULT_ROW_PT = 15.0

PLAN_HEADERS = labels(("wave", "cohort", "start_date", "name", "person_id", "role", "manager_name",
                       "manager_id"))
PLAN_KINDS = {"Wave": "count", "Starts": "date", "Cohort": "text", "Person": "text", "Person ID": "text",
              "Role": "text", "Manager": "text", "Manager ID": "text"}
PLAN_WIDTHS = {"Wave": 8, "Cohort": 26, "Starts": 12, "Person": 22, "Person ID": 10, "Role": 19,
               "Manager": 22, "Manager ID": 11}
SUMMARY_HEADERS = {"wave": "Wave", "start_date": "Starts", "leaders": "Leaders",
                   "managers": "Front-line managers", "reps": "Reps", "total": "People"}
# The person list's header is frozen on screen only when it sits near the top; lower down a freeze
# would lock most of the window.
MAX_FROZEN_ROW = 14


def column_px(width: float) -> int:
    """The pixels Excel gives a column of this width (Calibri 11 default font)."""
    return int(width * 12 + 0.5) if width < 1 else int(width * 7 + 0.5) + 5


def print_scale(pages: list[list[float]]) -> int:
    """The largest print scale (%), at most 100, at which each page's columns fit the paper's width."""
    widest = max((sum(column_px(w) for w in page) for page in pages), default=1)
    return max(10, min(100, int(PRINTABLE_PX / widest * 100)))


def plan_table(plan: pd.DataFrame) -> pd.DataFrame:
    frame = plan.copy()
    frame["wave"] = pd.to_numeric(frame["wave"], errors="coerce").astype("Int64")
    frame["start_date"] = pd.to_datetime(frame["start_date"], errors="coerce")
    for c in ("name", "person_id", "manager_name", "manager_id", "cohort"):
        if c in frame.columns:
            frame[c] = text_column(frame[c])
    frame["role"] = text_column(frame["role"]).str.strip().str.lower().map(lambda r: ROLE_LABELS.get(r, r))
    columns = [c for c in PLAN_HEADERS if c in frame.columns]
    return frame[columns].rename(columns=PLAN_HEADERS).reset_index(drop=True)


def plan_summary(plan: pd.DataFrame, waves: pd.DataFrame) -> str:
    if plan.empty:
        return "No one is active at the as-of date, so there is no one to plan."
    start, end = waves["start_date"].min(), waves["start_date"].max()
    roles = text_column(plan["role"]).str.strip().str.lower().value_counts()
    return (f"{plural(len(plan), 'person')} in {plural(len(waves), 'wave')}, from {start:%d %b %Y} to "
            f"{end:%d %b %Y}: {plural(int(roles.get('leader', 0)), 'leader')} first, then "
            f"{plural(int(roles.get('manager', 0)), 'front-line manager')} in cohorts by priority, and "
            f"{plural(int(roles.get('rep', 0)), 'rep')}, each in the wave after their own manager's, so "
            "every manager has taken and modelled the program before their team starts. The chart and "
            "the waves come first; the list of who is trained when starts on the next printed page.")


PLAN_CHART_PX = (600, 300)


def build_training_plan(book: DeliverableBook, ctx: DeliverableContext) -> None:
    ws = book.sheet(PLAN_TITLE)
    plan = ctx.results.get("training_plan")
    if plan is None:
        book.write_not_assessed(ws, PLAN_TITLE, PLAN_SUBTITLE, "people", width=NOTE_WIDTH)
        return
    plan = plan.copy()
    plan["wave"] = pd.to_numeric(plan["wave"], errors="coerce")
    plan["start_date"] = pd.to_datetime(plan["start_date"], errors="coerce")
    plan = plan[plan["wave"].notna()]
    plan["wave"] = plan["wave"].astype(int)
    plan["role"] = text_column(plan["role"]).str.strip().str.lower()
    waves = wave_summary(plan)
    table = plan_table(plan)
    widths = {c: w for c, w in PLAN_WIDTHS.items() if c in table.columns}
    # one page wide (the default set-up); the page height below is estimated at Excel's scale for it
    page_pt = PRINTABLE_PT * 100 / print_scale([list(widths.values())])
    note_width = sum(widths.values())
    summary = plan_summary(plan, waves)

    row = book.write_title(ws, PLAN_TITLE, PLAN_SUBTITLE)
    write_note(book, ws, row, summary, len(widths) - 1, note_width)
    used = 28 + 2 * DEFAULT_ROW_PT + book.wrapped_height(summary, note_width)  # title rows and the note
    row += 2
    ws.write_string(row, 0, "Waves", book.fmt("heading"))
    row += 1
    shown = waves.rename(columns=SUMMARY_HEADERS)
    summary_kinds = {"Wave": "count", "Starts": "date", "Leaders": "count", "Front-line managers": "count",
                     "Reps": "count", "People": "count"}
    last = book.write_table(ws, row, shown, "training_waves", column_kinds=summary_kinds,
                            freeze=False, repeat_header=False)
    used += 2 * DEFAULT_ROW_PT + 33 + DEFAULT_ROW_PT * max(len(waves), 1)
    breaks = []
    row = last + 2
    if not waves.empty:
        chart_pt = PLAN_CHART_PX[1] * 0.75 + 10
        if used + chart_pt > page_pt:  # the chart would straddle a page: start it on a fresh one
            breaks.append(row)
        _plan_chart(book, ws, row, len(waves), header_row=last - len(waves))
        row += math.ceil(PLAN_CHART_PX[1] * 0.75 / DEFAULT_ROW_PT) + 1
    breaks.append(row)  # the person list starts a page, under its own repeated header
    ws.set_h_pagebreaks(breaks)
    ws.write_string(row, 0, "Who is trained when", book.fmt("heading"))
    row += 1
    freeze = row <= MAX_FROZEN_ROW
    book.write_table(ws, row, table, "training_plan", column_kinds=PLAN_KINDS, widths=widths,
                     freeze=freeze, repeat_header=True)


def _plan_chart(book: DeliverableBook, ws, anchor_row: int, n_waves: int, *, header_row: int) -> None:
    shown = min(n_waves, PLAN_CHART_MAX_WAVES)
    first, last = header_row + 1, header_row + shown
    chart = book.workbook.add_chart({"type": "column", "subtype": "stacked"})
    for col, colour in ((2, "#1F3864"), (3, "#2E75B6"), (4, "#9DC3E6")):
        chart.add_series({"name": [ws.name, header_row, col], "categories": [ws.name, first, 0, last, 0],
                          "values": [ws.name, first, col, last, col], "fill": {"color": colour},
                          "gap": 50})
    suffix = f" (first {shown} waves)" if shown < n_waves else ""
    chart.set_title({"name": "People starting in each wave" + suffix, "name_font": {"size": 11, "bold": True}})
    chart.set_x_axis({"name": "Wave"})
    chart.set_y_axis({"name": "People", "min": 0,
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": PLAN_CHART_PX[0], "height": PLAN_CHART_PX[1]})
    ws.insert_chart(anchor_row, 0, chart, {"x_offset": 4, "y_offset": 4})
