"""Programme Impact: did the teams change once their managers completed the programme?

Answer first: one sentence per run saying what the data is consistent with (built from the same
values the estimate table below shows, in the same format), set beside the published range; then the
estimate table, before/after charts per completion month, and the matched windows per manager. Written
only once a manager has completed the programme (`impact_present`). No figure here depends on an
assumption the client can edit in Excel, so the sentences are plain text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from workbook.deliverable.book import DEFAULT_ROW_POINTS, PAGE_WIDTH_CHARS, TITLE_ROWS
from workbook.deliverable.sheets.sheet_text import finite_number, is_flagged, plain_text, plural
from workbook.pipeline.columns import SHOWN, kind, label

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

TITLE = "Programme Impact"
SUBTITLE = "Did the teams change once their managers completed the programme?"
# the measured change and its interval, signed as the sentence quotes them
SIGNED_PERCENT = "+0.0%;-0.0%;0.0%"
# business outcome first, then the behaviour that drives it
OUTCOME_ORDER = ("attainment", "coaching")
EVIDENCE = ("Published evidence puts the uplift from better coaching at 6–8% typically and up to 19% for "
            "core performers (CEB / Sales Executive Council; Gartner 2019).")
TYPICAL_LOW = 0.06   # the low end of the published typical range
# column widths: a name column, then six numbers (120 characters: one page wide at about 88%)
WIDTHS = (30.0, 15.0, 15.0, 15.0, 15.0, 15.0, 15.0)
LAST_COL = len(WIDTHS) - 1
TEXT_WIDTH = sum(WIDTHS)
CHART_ROWS = 13      # rows of 15 points the charts stand on
ROW_PIXELS = 20      # a default 15-point row
PAGE_POINTS = 480.0  # points of rows per printed page at 100% (A4 landscape, our margins)


def _book_kind(name: str) -> str:
    """The book's number format kind for a catalogued column."""
    return {"percent1": "percent", "money": "currency"}.get(kind(name), kind(name))


def _shown(table: str) -> list[tuple[str, str]]:
    """(frame column, catalogue name) of the columns SHOWN for `table`."""
    return [c if isinstance(c, tuple) else (c, c) for c in SHOWN[table]]


def _events_completed(results: dict[str, pd.DataFrame]) -> pd.DataFrame:
    events = results.get("impact_events")
    if events is None or events.empty or not {"role", "status"} <= set(events.columns):
        return pd.DataFrame()
    return events[(events["role"].astype(str) == "manager") & (events["status"].astype(str) == "completed")]


def impact_present(results: dict[str, pd.DataFrame]) -> bool:
    """Whether the workbook has a Programme Impact sheet: the impact results exist and at least one
    front-line manager has completed the programme."""
    impact = results.get("impact")
    return impact is not None and not impact.empty and not _events_completed(results).empty


def estimates(results: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """impact.csv, attainment first (the business outcome), then coaching."""
    impact = results.get("impact")
    if impact is None or impact.empty:
        return pd.DataFrame()
    order = {k: i for i, k in enumerate(OUTCOME_ORDER)}
    keys = impact["outcome"].astype(str).map(order).fillna(len(order)) if "outcome" in impact else None
    return impact.iloc[keys.argsort(kind="stable")] if keys is not None else impact


def measured(results: dict[str, pd.DataFrame]) -> bool:
    frame = estimates(results)
    return not frame.empty and any(is_flagged(v) for v in frame["measured"])


def signed(value: float) -> str:
    """A change as the table shows it (SIGNED_PERCENT): +7.1%, -11.6%, 0.0%."""
    text = f"{value:+.1%}"
    return "0.0%" if text in ("+0.0%", "-0.0%") else text


def _verdict(row: pd.Series) -> str:
    """What one outcome's interval says: an uplift, a fall, or no measurable change yet."""
    low, high = finite_number(row.get("uplift_low")), finite_number(row.get("uplift_high"))
    if not is_flagged(row.get("measured")) or low is None or high is None:
        return "not measurable yet"
    if low <= 0 <= high:
        level = finite_number(row.get("level"))
        interval = f"the {level:.0%} interval" if level else "the interval"
        return f"no measurable change yet: {interval} ({signed(low)} to {signed(high)}) includes zero"
    direction = "an uplift" if low > 0 else "a fall"
    return f"consistent with {direction} of {signed(low)} to {signed(high)}"


def _measure(row: pd.Series) -> str:
    return plain_text(row.get("measure")) or plain_text(row.get("outcome")).capitalize()


def _outcome_sentence(row: pd.Series, comparison: int) -> str:
    """'<Measure> — <verdict>, over N trained teams against M not yet trained.'"""
    verdict = _verdict(row)
    if not is_flagged(row.get("measured")):
        return f"{_measure(row)} — {verdict}."
    teams = int(finite_number(row.get("trained_teams")) or 0)
    against = f" against {comparison} not yet trained" if comparison else ""
    return f"{_measure(row)} — {verdict}, over {plural(teams, 'trained team')}{against}."


def headline(results: dict[str, pd.DataFrame]) -> str:
    """The first measured outcome (attainment before coaching) and its verdict, without the interval."""
    frame = estimates(results)
    rows = [row for _, row in frame.iterrows() if is_flagged(row.get("measured"))]
    if not rows:
        return "Not measured yet"
    verdict = _verdict(rows[0]).split(":")[0]
    return f"{_measure(rows[0])}: {verdict}"


def answer_sentences(results: dict[str, pd.DataFrame]) -> list[str]:
    """What was measured, one sentence per outcome, from the values the estimate table shows; when
    nothing is measurable yet, why and what it needs."""
    frame = estimates(results)
    if frame.empty or not measured(results):
        return [not_measured_sentence(results)]
    comparison = max((int(finite_number(v) or 0) for v in frame.get("comparison_teams", [])), default=0)
    return [_outcome_sentence(row, comparison) for _, row in frame.iterrows()]


def answer_sentence(results: dict[str, pd.DataFrame]) -> str:
    """The answer as one paragraph (the Executive Summary quotes it)."""
    return " ".join(answer_sentences(results))


def evidence_sentence(results: dict[str, pd.DataFrame]) -> str:
    """The published range, and whether the attainment interval can yet tell it from no change."""
    frame = estimates(results)
    row = frame[frame["outcome"].astype(str) == "attainment"] if "outcome" in frame else frame.iloc[:0]
    if row.empty or not is_flagged(row.iloc[0].get("measured")):
        return EVIDENCE
    low, high = finite_number(row.iloc[0].get("uplift_low")), finite_number(row.iloc[0].get("uplift_high"))
    if low is not None and high is not None and low <= 0 <= high and high >= TYPICAL_LOW:
        return EVIDENCE + (" The attainment interval is still too wide to tell an uplift of that size "
                           "from no change; it narrows as more teams complete and more months accrue.")
    return EVIDENCE


def not_measured_sentence(results: dict[str, pd.DataFrame]) -> str:
    """Why nothing is measured yet and what it needs: the run's impact_status, or (results from an
    older run) the first completion date."""
    status = results.get("impact_status")
    if status is not None and not status.empty and plain_text(status.iloc[0].get("status")):
        text, needs = plain_text(status.iloc[0]["status"]), plain_text(status.iloc[0].get("needs"))
        return f"{text[:1].upper()}{text[1:]}." + (f" It needs {needs}." if needs else "")
    completed = pd.to_datetime(_events_completed(results).get("completed_date"), errors="coerce")
    first = completed.min() if completed is not None and completed.notna().any() else None
    since = f" (the first completed on {first:%Y-%m-%d})" if first is not None else ""
    return ("Not measured yet: no team has enough months of coaching and sales data both before its "
            f"manager completed the programme and after the ramp{since}, with teams not yet trained "
            "in the same months to compare against.")


def _table(frame: pd.DataFrame, table: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """The SHOWN columns of `frame` under their catalogue labels, and each label's book kind."""
    columns = [(src, name) for src, name in _shown(table) if src in frame.columns]
    out = pd.DataFrame({label(name): frame[src].to_numpy() for src, name in columns})
    return out, {label(name): _book_kind(name) for _, name in columns}


def _widths(frame: pd.DataFrame) -> dict[str, float]:
    return {c: WIDTHS[j] for j, c in enumerate(frame.columns) if j < len(WIDTHS)}


def _note(book: DeliverableBook, ws, row: int, text: str, fmt=None) -> None:
    book.write_note(ws, row, text, LAST_COL, TEXT_WIDTH, fmt)


def build(book: DeliverableBook, ctx: DeliverableContext) -> None:
    ws = book.sheet(TITLE)
    for j, w in enumerate(WIDTHS):
        book.set_width(ws, j, w)
    row = book.write_title(ws, TITLE, SUBTITLE)
    book.freeze(ws, TITLE_ROWS)   # the title stays in view; the tables are short
    results = ctx.results
    blocks: list[tuple[int, int]] = []   # (first row, row after) kept on one printed page

    ws.write_string(row, 0, "What was measured", book.fmt("heading"))
    row += 1
    for sentence in answer_sentences(results):
        _note(book, ws, row, sentence, book.fmt("wrap", bold=True, font_size=11, valign="top"))
        ws.set_row(row, book.wrapped_height(sentence, TEXT_WIDTH * 0.85) + 4)
        row += 1
    _note(book, ws, row, evidence_sentence(results))
    row += 2
    frame = estimates(results)
    if not frame.empty:
        table, kinds = _table(frame.assign(measure=frame["measure"].astype(str)), "impact")
        signed_fmt = book.fmt(num_format=SIGNED_PERCENT, align="right", indent=1)
        formats = {label(n): signed_fmt for n in ("measured_uplift", "uplift_low", "uplift_high")}
        last = book.write_table(ws, row, table, "impact", column_kinds=kinds, formats_by_column=formats,
                                widths=_widths(table), freeze=False, repeat_header=False)
        level = finite_number(frame["level"].iloc[0]) if "level" in frame else None
        _note(book, ws, last + 1,
              "Measured change: the trained teams after the ramp against what the teams not yet trained, and "
              "each team's own months before, predict for the same months"
              + (f"; {level:.0%} interval" if level else "") + ". A blank row was not measurable."
              + (" Method: see the Methodology sheet." if book.written("Methodology") else ""))
        row = last + 3
    blocks.append((0, row))
    row = _cohorts(book, ws, results, row, blocks)
    _managers(book, ws, results, row, blocks)
    ws.set_h_pagebreaks(_page_breaks(ws, blocks, TEXT_WIDTH))


def _page_breaks(ws, blocks: list[tuple[int, int]], width: float) -> list[int]:
    """Rows to start a new printed page at, so no block (a table, the charts) is cut across pages:
    a block that does not fit in what is left of the page starts the next one."""
    scale = min(1.0, PAGE_WIDTH_CHARS / width)
    capacity = PAGE_POINTS / scale
    sizes = getattr(ws, "row_sizes", {})   # XlsxWriter keeps set_row heights here, in pixels

    def points(r: int) -> float:
        pixels = sizes[r][0] if r in sizes else None
        return pixels * 0.75 if pixels else DEFAULT_ROW_POINTS

    def height(first: int, stop: int) -> float:
        return sum(points(r) for r in range(first, stop))

    breaks, used = [], 0.0
    for first, stop in blocks:
        need = height(first, stop)
        if used and used + need > capacity:
            breaks.append(first)
            used = 0.0
        used += need
    return breaks


def _cohorts(book: DeliverableBook, ws, results: dict[str, pd.DataFrame], row: int,
             blocks: list[tuple[int, int]]) -> int:
    """Charts of the before/after means per completion month, then their table; the next free row."""
    cohorts = results.get("impact_by_cohort")
    heading = row
    ws.write_string(row, 0, "Before and after, by month of completion", book.fmt("heading"))
    row += 1
    if cohorts is None or cohorts.empty:
        _note(book, ws, row, "No manager yet has whole months of data on both sides of their completion.")
        blocks.append((heading, row + 2))
        return row + 2
    chart_row = row
    row += CHART_ROWS + 1
    blocks.append((heading, row))
    cohorts = cohorts.sort_values("cohort")
    table, kinds = _table(cohorts.assign(cohort=cohorts["cohort"].astype(str)), "impact_by_cohort")
    kinds[label("completion_month")] = "text"
    top = row
    ws.write_string(row, 0, "The figures behind the charts", book.fmt("label"))
    row += 1
    first = row
    last = book.write_table(ws, first, table, "impact_by_cohort", column_kinds=kinds, widths=_widths(table),
                            freeze=False, repeat_header=False)
    _note(book, ws, last + 1, "Each completion month's managers, the mean of their matched windows: the "
          "same number of whole months before the completion month and after the ramp.")
    blocks.append((top, last + 3))
    col = {c: j for j, c in enumerate(table.columns)}
    sheet = ws.name
    charts = (("Coaching hours per rep per month", "hours_per_rep", "0.0"),
              ("Core performers' attainment", "core_attainment", "0%"))
    width = int(sum(w * 7 + 5 for w in WIDTHS) / 2) - 12
    for i, (title, stem, num_format) in enumerate(charts):
        chart = book.workbook.add_chart({"type": "column"})
        for side, colour in (("before", "#A6A6A6"), ("after", "#2E75B6")):
            j = col[label(f"{stem}_{side}")]
            chart.add_series({"name": side.capitalize(),
                              "categories": [sheet, first + 1, 0, last, 0],
                              "values": [sheet, first + 1, j, last, j],
                              "fill": {"color": colour}, "gap": 80,
                              "data_labels": {"value": True, "num_format": num_format,
                                              "font": {"size": 8}}})
        chart.set_title({"name": f"{title}, before and after", "name_font": {"size": 10, "bold": True}})
        chart.set_x_axis({"name": "Month of completion", "name_font": {"size": 9, "bold": False}})
        chart.set_y_axis({"min": 0, "num_format": num_format,
                          "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": width, "height": CHART_ROWS * ROW_PIXELS - 8})
        ws.insert_chart(chart_row, 0, chart, {"x_offset": 4 + i * (width + 16), "y_offset": 4})
    return last + 3


def _managers(book: DeliverableBook, ws, results: dict[str, pd.DataFrame], row: int,
              blocks: list[tuple[int, int]]) -> None:
    per_manager = results.get("impact_by_manager")
    heading = row
    ws.write_string(row, 0, "Per manager: matched windows before and after (descriptive)",
                    book.fmt("heading"))
    row += 1
    if per_manager is None or per_manager.empty:
        _note(book, ws, row, "No manager has completed the programme in the data.")
        blocks.append((heading, row + 1))
        return
    per_manager = per_manager.sort_values(["completed_date", "manager_name"])
    table, kinds = _table(per_manager.assign(manager_name=per_manager["manager_name"].astype(str)),
                          "impact_by_manager")
    last = book.write_table(ws, row, table, "impact_by_manager", column_kinds=kinds, widths=_widths(table),
                            freeze=False, repeat_header=True)
    months = pd.to_numeric(per_manager["months_each_side"], errors="coerce").fillna(0)
    note = ("One team at a time, the same number of whole months before the completion month and after "
            "the ramp: small teams are noisy, so read the measured change above for the effect.")
    if (months == 0).any():
        note += (f" {plural(int((months == 0).sum()), 'manager')} with 0 months completed too early or too "
                 "late for a whole month on both sides in the data.")
    _note(book, ws, last + 1, note)
    # the heading stays with the header and the first rows; a long table continues on later pages
    blocks.append((heading, min(last + 2, row + 1 + 5)))
