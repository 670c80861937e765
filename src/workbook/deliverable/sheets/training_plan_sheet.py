"""The Training Plan sheet: the waves (who starts when), then each person's wave, cohort, start and
buy-in session; notes say how the order, the pilot, the dates and the stepped-wedge comparison work.

Reads ctx.results["training_plan"], which may come back from the result CSV:
every number is coerced, never trusted.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from workbook.analyses import assumption_values
from workbook.analyses.blackouts import Blackouts
from workbook.analyses.training_plan import (
    BUY_IN_BARRIERS,
    PILOT_COHORT,
    PRIORITY_RULE,
    STEPPED_WEDGE,
    pilot_rule,
    wave_summary,
)
from workbook.deliverable.sheets.sheet_text import is_flagged, plural, text_column, write_note
from workbook.pipeline.columns import ROLE_LABELS, labels

NOTE_WIDTH = 120

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

PLAN_TITLE = "Training Plan"
PLAN_SUBTITLE = ("Who is trained in which wave: leaders, a pilot, then managers by priority, each before "
                 "their reps.")
PLAN_CHART_MAX_WAVES = 30

# Printing. Widths are fixed so the print layout is known in advance: the scale is the largest that
# fits the widest printed page on both A4 and Letter landscape (0.4 in side margins), 100% at most.
PRINTABLE_PX = 979 * 0.97  # Letter landscape is the narrower paper: 10.2 in at 96 px per inch
PRINTABLE_PT = 516.0  # A4 landscape is the shorter: 8.27 in less 1.1 in of margins, in points
DEFAULT_ROW_PT = 15.0

PLAN_HEADERS = labels(("wave", "cohort", "start_date", "name", "person_id", "role", "manager_name",
                       "manager_id", "buy_in_session_date"))
PLAN_KINDS = {"Wave": "count", "Starts": "date", "Cohort": "text", "Person": "text", "Person ID": "text",
              "Role": "text", "Manager": "text", "Manager ID": "text", "Buy-in session": "date"}
PLAN_WIDTHS = {"Wave": 8, "Cohort": 26, "Starts": 12, "Person": 22, "Person ID": 10, "Role": 19,
               "Manager": 22, "Manager ID": 11, "Buy-in session": 12}
SUMMARY_HEADERS = {"wave": "Wave", "start_date": "Starts", "leaders": "Leaders",
                   "managers": "Front-line managers", "reps": "Reps", "total": "People", "pilot": "Pilot",
                   "buy_in_sessions": "Buy-in sessions", "comparison_until": "Comparison until"}
SUMMARY_KINDS = {"Wave": "count", "Starts": "date", "Leaders": "count", "Front-line managers": "count",
                 "Reps": "count", "People": "count", "Pilot": "text", "Buy-in sessions": "count",
                 "Comparison until": "date"}
PILOT_NAMES_SHOWN = 5  # the pilot's managers are named in the summary up to this many
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
    for c in ("start_date", "buy_in_session_date"):
        if c in frame.columns:
            frame[c] = pd.to_datetime(frame[c], errors="coerce")
    for c in ("name", "person_id", "manager_name", "manager_id", "cohort"):
        if c in frame.columns:
            frame[c] = text_column(frame[c])
    frame["role"] = text_column(frame["role"]).str.strip().str.lower().map(lambda r: ROLE_LABELS.get(r, r))
    columns = [c for c in PLAN_HEADERS if c in frame.columns]
    return frame[columns].rename(columns=PLAN_HEADERS).reset_index(drop=True)


def plan_summary(plan: pd.DataFrame, waves: pd.DataFrame, a: dict | None = None) -> str:
    """What the plan does, in numbers: the waves, the pilot, the teams' lag, the buy-in sessions."""
    if plan.empty:
        return "No one is active at the as-of date, so there is no one to plan."
    a = a or {}
    start, end = waves["start_date"].min(), waves["start_date"].max()
    roles = text_column(plan["role"]).str.strip().str.lower()
    counts = roles.value_counts()
    managers = plan[roles == "manager"]
    pilot = managers[_pilot_flags(managers)]
    text = (f"{plural(len(plan), 'person')} in {plural(len(waves), 'wave')}, from {start:%d %b %Y} to "
            f"{end:%d %b %Y}: {plural(int(counts.get('leader', 0)), 'leader')} first")
    if len(pilot):
        names = text_column(pilot["name"]).tolist()
        named = f" ({', '.join(names)})" if len(names) <= PILOT_NAMES_SHOWN else ""
        pilot_start = pd.to_datetime(pilot["start_date"], errors="coerce").min()
        others = plural(len(managers) - len(pilot), "front-line manager")
        text += (f"; a pilot of {plural(len(pilot), 'front-line manager')}{named} from "
                 f"{pilot_start:%d %b %Y}; then the other {others}")
    else:
        text += f"; then {plural(len(managers), 'front-line manager')}"
    lag = float(a.get("rep_lag_weeks", 4))
    text += (f" in cohorts by priority; and {plural(int(counts.get('rep', 0)), 'rep')}, each starting "
             f"{lag:g} weeks after their own manager (later when that falls in a blackout), so every "
             "manager has taken and modelled the program before their team starts.")
    buy_in = _buy_in_count(managers)
    weeks = float(a.get("buy_in_weeks_before_training", 2))
    if buy_in:
        text += (f" {plural(buy_in, 'front-line manager')} whose ADKAR barrier point is awareness or "
                 f"desire {'has' if buy_in == 1 else 'have'} a buy-in session about {weeks:g} weeks before "
                 "their training (the Buy-in session column) and none is in the pilot.")
    else:
        text += " No front-line manager's ADKAR barrier point is awareness or desire: no buy-in sessions."
    return text + (" The chart and the waves come first; the list of who is trained when starts on the "
                   "next printed page.")


def order_note(a: dict) -> str:
    """How the order is set: the priority rule, quoted, and the pilot's rule."""
    return "Order. " + PRIORITY_RULE + " " + pilot_rule(int(a.get("pilot_size", 3)))


def dates_note(a: dict) -> str:
    """How the dates are set: wave gap, blackouts, buy-in sessions."""
    blackouts = Blackouts.from_assumptions(a)
    return (f"Dates. Waves start on Mondays, {float(a.get('weeks_between_waves', 4)):g} weeks apart, and no "
            f"session starts in a blackout: {blackouts.describe()}. A start that falls in one moves to the "
            "first Monday after it ends, and later waves follow on from the moved date; a buy-in session "
            "moves to the last Monday before the blackout.")


def comparison_note() -> str:
    """What the staggered waves allow: the stepped-wedge comparison."""
    return "Comparison. " + STEPPED_WEDGE


def _pilot_flags(rows: pd.DataFrame) -> pd.Series:
    if "pilot" in rows.columns:
        return rows["pilot"].map(is_flagged).astype(bool)
    if "cohort" in rows.columns:
        return text_column(rows["cohort"]).eq(PILOT_COHORT)
    return pd.Series(False, index=rows.index)


def _buy_in_count(managers: pd.DataFrame) -> int:
    if "buy_in_session_date" in managers.columns:
        return int(pd.to_datetime(managers["buy_in_session_date"], errors="coerce").notna().sum())
    if "barrier_point" in managers.columns:
        return int(text_column(managers["barrier_point"]).str.strip().str.lower().isin(BUY_IN_BARRIERS).sum())
    return 0


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
    a = assumption_values(ctx.assumptions)
    notes = [plan_summary(plan, waves, a)]
    if not plan.empty:
        notes += [order_note(a), dates_note(a), comparison_note()]

    row = book.write_title(ws, PLAN_TITLE, PLAN_SUBTITLE)
    used = 28 + 2 * DEFAULT_ROW_PT  # title rows
    for note in notes:
        write_note(book, ws, row, note, len(widths) - 1, note_width)
        used += book.wrapped_height(note, note_width * 0.95) + DEFAULT_ROW_PT
        row += 2
    ws.write_string(row, 0, "Waves", book.fmt("heading"))
    row += 1
    shown = waves.rename(columns=SUMMARY_HEADERS)
    shown["Pilot"] = ["Yes" if flag else "" for flag in shown["Pilot"]]
    # the waves sit above the person list, in its columns: give them the list's widths
    wave_widths = dict(zip(shown.columns, widths.values(), strict=False))
    last = book.write_table(ws, row, shown, "training_waves", column_kinds=SUMMARY_KINDS, widths=wave_widths,
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
