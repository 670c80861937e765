"""The Manager Readiness sheet: managers in training-priority order, scores, barrier point, reasons.

One row per front-line manager in priority order (1 = train first), at normal
height: the readiness score with traffic lights at the tier thresholds, each
pillar score on a red-amber-green scale, the ADKAR barrier point, and what is
at stake; below it, one paragraph per manager with the plain "why", the flags
and what could not be assessed; a native scatter chart of readiness against
team size. Reads ctx.results["manager_readiness"], which may come back from the
result CSV: every number is coerced, never trusted.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import pandas as pd

from workbook.analyses import not_assessed
from workbook.deliverable import style
from workbook.deliverable.sheets.sheet_text import plain_text, plural, text_column, write_note
from workbook.pipeline.columns import TIER_LABELS, label, labels

NOTE_WIDTH = 120

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

READINESS_TITLE = "Manager Readiness"
READINESS_SUBTITLE = "Which managers are ready to lead the program, and who to train first."
TRAIN_FIRST_NAMED = 3
NA = "n/a"  # a pillar that could not be assessed: text, so the colour scale leaves it uncoloured
GREY = "#808080"

PILLAR_HEADERS = labels(("score_scale", "score_team_health", "score_modelling", "score_buy_in",
                         "score_coaching", "score_results"))
# (result column, header from the column catalogue, kind, width, printed page). Page 1 is the
# scores; page 2 what is at stake and why, with the manager's name repeated at the left.
READINESS_COLUMNS = [(key, label(key), kind, width, page) for key, kind, width, page in [
    ("manager_name", "text", 20, 1),
    ("priority_rank", "count", 10, 1),
    ("team_size", "count", 7, 1),
    ("readiness_score", "decimal", 11, 1),
    ("tier", "text", 11, 1),
    ("score_scale", "score", 8, 1),
    ("score_team_health", "score", 9, 1),
    ("score_modelling", "score", 11, 1),
    ("score_buy_in", "score", 8, 1),
    ("score_coaching", "score", 10, 1),
    ("score_results", "score", 9, 1),
    ("barrier_point", "wrap", 14, 1),
    # page 2 is at least as wide as page 1 (128), so fitting two pages across keeps each whole
    ("manager_again", "text", 26, 2),  # names the row on the second printed page
    ("team_revenue", "currency", 22, 2),
    ("attrition_rate_shrunk", "percent", 15, 2),
    ("attrition_low", "percent", 14, 2),
    ("attrition_high", "percent", 14, 2),
    ("replacement_cost", "currency", 22, 2),
    ("manager_id", "text", 19, 2),
]]
# the reasons, one paragraph per manager below the table, so each table row keeps normal height
REASON_COLUMNS = ("why", "flags", "not_assessed")
REASONS_HEADING = "Why each manager is where they are (in priority order)"
READINESS_HEADERS = {key: header for key, header, *_ in READINESS_COLUMNS}
READINESS_KINDS = {header: kind for _, header, kind, *_ in READINESS_COLUMNS}
READINESS_WIDTHS = {header: width for _, header, _, width, _ in READINESS_COLUMNS}
READINESS_PAGE = {header: page for _, header, _, _, page in READINESS_COLUMNS}
SCORE_HEADER = READINESS_HEADERS["readiness_score"]
TIER_FILLS = {TIER_LABELS["ready"]: "#C6EFCE", TIER_LABELS["developing"]: "#FFEB9C",
              TIER_LABELS["not_ready"]: "#FFC7CE"}
NUMERIC = ("priority_rank", "team_size", "readiness_score", *PILLAR_HEADERS, "team_revenue",
           "attrition_rate_shrunk", "attrition_low", "attrition_high", "replacement_cost")


def by_priority(readiness: pd.DataFrame) -> pd.DataFrame:
    """Managers in training-priority order (1 first; unranked last), however the rank was read."""
    rank = pd.to_numeric(readiness["priority_rank"], errors="coerce")
    return readiness.iloc[rank.reset_index(drop=True).sort_values(kind="mergesort", na_position="last").index]


def header_height(headers: dict[str, float]) -> float:
    """A header row tall enough for each header wrapped at word boundaries in its column (bold)."""
    lines = 1
    for header, width in headers.items():
        per_line = max(4, int(width * 1.05) - 2)  # bold, indented
        lines = max(lines, len(textwrap.wrap(str(header), per_line, break_long_words=False)) or 1)
    return 13.5 * lines + 6


def _barrier_text(readiness: pd.DataFrame, barrier_max: float | None) -> pd.Series:
    """The barrier point in words: the element, 'None (all above 3)', or 'Not assessed — needs survey'."""
    barrier = text_column(readiness["barrier_point"]).str.strip()
    if "score_buy_in" in readiness.columns:
        surveyed = pd.to_numeric(readiness["score_buy_in"], errors="coerce").notna()
    elif "status_buy_in" in readiness.columns:
        surveyed = text_column(readiness["status_buy_in"]) == "assessed"
    else:
        surveyed = pd.Series(True, index=readiness.index)
    none = f"None (all above {barrier_max:g})" if barrier_max is not None else "None"
    words = barrier.str.capitalize()
    words = words.where(barrier != "", none)
    return words.where(surveyed | (barrier != ""), not_assessed("survey", capital=True))


def readiness_table(readiness: pd.DataFrame, barrier_max: float | None = None) -> pd.DataFrame:
    """The sheet's table: priority order, client headers and words, numbers as numbers.

    A pillar that could not be assessed shows "n/a" (text, so colour scales skip it); the barrier
    point says whether an empty one means no barrier or no survey. Tier labels are display words;
    the result CSV keeps the canonical values.
    """
    frame = readiness.copy()
    for c in NUMERIC:
        if c in frame.columns:
            frame[c] = pd.to_numeric(frame[c], errors="coerce").astype(float)
    frame = by_priority(frame)
    for c in ("manager_name", "manager_id"):
        if c in frame.columns:
            frame[c] = text_column(frame[c])
    if "tier" in frame.columns:
        frame["tier"] = text_column(frame["tier"]).map(lambda t: TIER_LABELS.get(t, t))
    if "barrier_point" in frame.columns:
        frame["barrier_point"] = _barrier_text(frame, barrier_max)
    for c in PILLAR_HEADERS:
        if c in frame.columns:
            frame[c] = frame[c].astype(object).where(frame[c].notna(), NA)
    if "manager_name" in frame.columns and "priority_rank" in frame.columns:
        rank = frame["priority_rank"].map(lambda r: f" ({r:.0f})" if pd.notna(r) else "")
        frame["manager_again"] = frame["manager_name"] + rank
    columns = [c for c in READINESS_HEADERS if c in frame.columns]
    return frame[columns].rename(columns=READINESS_HEADERS).reset_index(drop=True)


def tier_sentence(ready: float, developing: float) -> str:
    return (f"Ready means a readiness score of at least {ready:g} out of 100, developing at least "
            f"{developing:g}, not ready below {developing:g}.")


def readiness_summary(readiness: pd.DataFrame, ready: float | None = None,
                      developing: float | None = None) -> str:
    """The sentences at the top of the sheet."""
    n = len(readiness)
    if n == 0:
        return "No front-line managers in post at the as-of date, so no one was assessed."
    tiers = text_column(readiness["tier"]).value_counts()
    ordered = by_priority(readiness)
    first = [str(x) for x in text_column(ordered["manager_name"]).head(TRAIN_FIRST_NAMED)]
    text = (f"{plural(n, 'front-line manager')} assessed: {tiers.get('ready', 0)} ready, "
            f"{tiers.get('developing', 0)} developing, {tiers.get('not_ready', 0)} not ready.")
    if ready is not None and developing is not None:
        text += " " + tier_sentence(ready, developing)
    text += (" Managers are ordered by training priority = leverage (team size and won revenue "
             "relative to the average team) x readiness gap (100 minus the score), highest first: a "
             "big team with a fairly ready manager can come before a small team with a less ready one. "
             f"Train first: {', '.join(first)}.")
    flags = text_column(readiness.get("flags", pd.Series(dtype=object)))
    above = flags.str.contains("attrition above organisation", regex=False)
    if above.any():
        names = ", ".join(text_column(readiness.loc[above.to_numpy(), "manager_name"]))
        n = int(above.sum())
        text += (f" {plural(n, 'manager')} {'loses' if n == 1 else 'lose'} reps faster than the "
                 f"organisation as a whole, by more than chance explains for the team's size: {names}.")
    barrier = text_column(readiness.get("barrier_point", pd.Series(dtype=object))).str.strip()
    if (barrier != "").any():
        top = barrier[barrier != ""].value_counts().sort_index().idxmax()
        text += f" The most common ADKAR barrier point is {top}."
    notes = text_column(readiness.get("not_assessed", pd.Series(dtype=object)))
    if (notes != "").any():
        text += (f" {plural(int((notes != '').sum()), 'manager')} could not be assessed on every pillar "
                 "(n/a; see the Not assessed column); their score uses the pillars that were.")
    return text


def build_manager_readiness(book: DeliverableBook, ctx: DeliverableContext) -> None:
    ws = book.sheet(READINESS_TITLE)
    readiness = ctx.results.get("manager_readiness")
    if readiness is None:
        book.write_not_assessed(ws, READINESS_TITLE, READINESS_SUBTITLE, "people", width=NOTE_WIDTH)
        return
    a = ctx.assumptions
    ready, developing = float(a["tier_ready_min_score"]), float(a["tier_developing_min_score"])
    try:
        barrier_max: float | None = float(a["adkar_barrier_max_score"])
    except (KeyError, TypeError, ValueError):
        barrier_max = None
    row = book.write_title(ws, READINESS_TITLE, READINESS_SUBTITLE)
    table = readiness_table(readiness, barrier_max)
    col = {name: i for i, name in enumerate(table.columns)}
    page_one = [c for c in table.columns if READINESS_PAGE[c] == 1]
    note_cols = max(len(page_one) - 1, 1)
    note_width = sum(READINESS_WIDTHS[c] for c in page_one)
    write_note(book, ws, row, readiness_summary(readiness, ready, developing), note_cols, note_width)
    write_note(book, ws, row + 1,
          "Each pillar is scored 0-100. On scale, modelling, buy-in and coaching 100 means no gap; team "
          "health and results are scored against the organisation, 50 at its level. n/a means the pillar "
          "could not be assessed for that manager. The readiness score is the weighted mean of the "
          "pillars that could be (weights on the Assumptions sheet). Attrition is adjusted toward the "
          "organisation's rate for small teams and flagged only when its interval clears that rate. "
          "Printed, the scores come first, then each manager's revenue and attrition at stake; the "
          "reasons follow the table. See the Methodology sheet.", note_cols, note_width)
    first = row + 3
    kinds = {k: v for k, v in READINESS_KINDS.items() if k in table.columns}
    widths = {k: v for k, v in READINESS_WIDTHS.items() if k in table.columns}
    last = book.write_table(ws, first, table, "manager_readiness", column_kinds=kinds, widths=widths,
                            freeze=True, repeat_header=True)
    ws.set_row(first, header_height(widths))
    _row_heights(ws, first + 1, table, widths)
    _print_setup_readiness(book, ws, table, col)
    if "Manager" in col:  # the name stays in view when scrolling right
        book.freeze(ws, first + 1, col["Manager"] + 1)
    if table.empty:
        return
    data = (first + 1, last)
    grey = book.fmt(num_format="0", font_color=GREY, align="right", indent=1, italic=True)
    for header in PILLAR_HEADERS.values():
        if header in col:
            for i, value in enumerate(table[header]):
                if isinstance(value, str) and value == NA:
                    ws.write_string(data[0] + i, col[header], NA, grey)
    if "ADKAR barrier point" in col:
        for i, value in enumerate(table["ADKAR barrier point"]):
            if value.startswith("Not assessed"):
                ws.write_string(data[0] + i, col["ADKAR barrier point"], value,
                                book.fmt("wrap", font_color=GREY, italic=True, indent=1))

    def cf(name: str, options: dict) -> None:
        if name in col:
            ws.conditional_format(data[0], col[name], data[1], col[name], options)

    cf(SCORE_HEADER, {
        "type": "icon_set", "icon_style": "3_traffic_lights",
        "icons": [{"criteria": ">=", "type": "number", "value": ready},
                  {"criteria": ">=", "type": "number", "value": developing}]})
    for tier_label, fill in TIER_FILLS.items():
        cf("Tier", {"type": "cell", "criteria": "==", "value": f'"{tier_label}"',
                    "format": book.workbook.add_format({"bg_color": fill})})
    for header in PILLAR_HEADERS.values():
        cf(header, {"type": "3_color_scale", "min_color": "#F8696B", "mid_color": "#FFEB84",
                    "max_color": "#63BE7B", "min_type": "num", "min_value": 0, "mid_type": "num",
                    "mid_value": 50, "max_type": "num", "max_value": 100})
    cf("Reps", dict(style.COUNT_BAR))
    reasons_end = _reasons(book, ws, last + 2, readiness, note_cols, note_width)
    chart_row = reasons_end + 1
    ws.set_h_pagebreaks([chart_row])  # the chart prints whole, on a page of its own
    _readiness_chart(book, ws, table, col, data, chart_row, ready)


def _reasons(book: DeliverableBook, ws, row: int, readiness: pd.DataFrame, last_col: int,
             width: float) -> int:
    """One paragraph per manager, in priority order: the why, the flags and what was not assessed."""
    ws.write_string(row, 0, REASONS_HEADING, book.fmt("heading"))
    row += 1
    ordered = by_priority(readiness)
    name_fmt = book.fmt("label", "wrap", valign="top")
    text_fmt = book.fmt("wrap", valign="top")
    name_width = READINESS_WIDTHS[READINESS_HEADERS["manager_name"]]
    for r in ordered.to_dict("records"):   # plain dicts: a Series per row costs ~0.2 ms
        parts = [plain_text(r.get("why")).strip()]
        flags = plain_text(r.get("flags")).strip()
        if flags:
            parts.append(f"Flags: {flags}.")
        missing = plain_text(r.get("not_assessed")).strip()
        if missing:
            parts.append(f"Not assessed: {missing}.")
        text = " ".join(p for p in parts if p)
        book.safe_write(ws, row, 0, plain_text(r.get("manager_name")), name_fmt)
        ws.merge_range(row, 1, row, last_col, None, text_fmt)
        book.safe_write(ws, row, 1, text, text_fmt)
        ws.set_row(row, book.wrapped_height(text, (width - name_width) * 0.95) + 2)
        row += 1
    return row


def _row_heights(ws, first_data_row: int, table: pd.DataFrame, widths: dict[str, float]) -> None:
    """Row heights from word-wrapped lines (the book's estimate is per character, tight for narrow
    wrapped columns), so no wrapped text (the barrier point) runs into the next row."""
    wrapped = [c for c in table.columns if READINESS_KINDS.get(c) == "wrap"]
    for i in range(len(table)):
        lines = 1
        for c in wrapped:
            text = str(table[c].iloc[i])
            per_line = max(6, int(widths[c] * 1.1) - 2)
            lines = max(lines, len(textwrap.wrap(text, per_line)) or 1)
        ws.set_row(first_data_row + i, 13.5 * lines + 4)


def _print_setup_readiness(book: DeliverableBook, ws, table: pd.DataFrame, col: dict[str, int]) -> None:
    """Two pages across, at a legible scale: the scores, then (for the same managers) the stakes
    and reasons, each page starting with the manager's name.

    Fit to two pages wide, the renderer picks the scale with its own font metrics; the two pages'
    widths are balanced so its automatic column break falls where the manual one is (Excel ignores
    manual breaks when fitting to pages).
    """
    page_two = [c for c in table.columns if READINESS_PAGE[c] == 2]
    if page_two:
        ws.set_v_pagebreaks([col[page_two[0]]])
        book.print_fit(ws, 2, 0)
    ws.print_across()  # a band of managers' scores, then the same managers' reasons


def _readiness_chart(book: DeliverableBook, ws, table: pd.DataFrame, col: dict[str, int],
                     data: tuple[int, int], chart_row: int, ready: float) -> None:
    if "Reps" not in col or SCORE_HEADER not in col:
        return
    chart = book.workbook.add_chart({"type": "scatter"})
    x, y = col["Reps"], col[SCORE_HEADER]
    name_col = col.get("Manager")
    first_cohort = max(1, min(len(table), int(book.ctx.assumptions["cohort_size"])))

    def labels(start: int, end: int) -> dict:
        if name_col is None:
            return {}
        names = table.iloc[start - data[0]:end - data[0] + 1, name_col]
        # the name as label text; a name that looks like a formula is shown through its cell instead
        custom = [{"value": f"='{ws.name}'!${_col_letter(name_col)}${r + 1}"}
                  if str(n).startswith("=") or not str(n) else {"value": str(n)}
                  for r, n in zip(range(start, end + 1), names, strict=True)]
        return {"data_labels": {"value": True, "custom": custom, "position": "right",
                                "font": {"size": 8, "color": "#404040"}}}

    rest = (data[0] + first_cohort, data[1])
    if rest[0] <= rest[1]:
        chart.add_series({"name": "Other managers",
                          "categories": [ws.name, rest[0], x, rest[1], x],
                          "values": [ws.name, rest[0], y, rest[1], y],
                          "marker": {"type": "circle", "size": 6, "fill": {"color": "#9DC3E6"},
                                     "border": {"color": "#2E75B6"}}, **labels(*rest)})
    cohort_end = data[0] + first_cohort - 1
    chart.add_series({"name": "First manager cohort (train first)",
                      "categories": [ws.name, data[0], x, cohort_end, x],
                      "values": [ws.name, data[0], y, cohort_end, y],
                      "marker": {"type": "diamond", "size": 8, "fill": {"color": "#C00000"},
                                 "border": {"color": "#C00000"}}, **labels(data[0], cohort_end)})
    # the 'ready' line: two points at the threshold, from no reps to the largest team, drawn as a line;
    # its cells sit under the chart
    sizes = pd.to_numeric(table["Reps"], errors="coerce")
    right = float(sizes.max()) + 1 if sizes.notna().any() else 1.0
    line_row = chart_row + 1
    helper = book.fmt(font_color="#FFFFFF")
    ws.write_number(line_row, 1, 0, helper)
    ws.write_number(line_row, 2, ready, helper)
    ws.write_number(line_row + 1, 1, right, helper)
    ws.write_number(line_row + 1, 2, ready, helper)
    chart.add_series({"name": f"Ready from {ready:g}",
                      "categories": [ws.name, line_row, 1, line_row + 1, 1],
                      "values": [ws.name, line_row, 2, line_row + 1, 2],
                      "marker": {"type": "none"},
                      "line": {"color": "#548235", "width": 1.5, "dash_type": "dash"}})
    chart.set_title({"name": "Readiness against team size: bottom right trains first",
                     "name_font": {"size": 11, "bold": True}})
    chart.set_x_axis({"name": "Reps on the team", "min": 0, "max": right,
                      "major_gridlines": {"visible": False}})
    chart.set_y_axis({"name": "Readiness score (0-100)", "min": 0, "max": 100,
                      "major_unit": 25, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 760, "height": 420})
    ws.insert_chart(chart_row, 0, chart, {"x_offset": 4, "y_offset": 4})


def _col_letter(col: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(col)
