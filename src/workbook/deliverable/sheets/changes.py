"""Changes Since Last Run: what moved against the previous successful run of this engagement.

Written only when an earlier run exists. Each change is coloured by what it
means for the client: green better, red worse, grey neutral (e.g. a move).
Above the changes, the programme view: who completed the manager programme
since the previous run, with coaching hours per rep before and after. The
columns are fixed so the sheet prints one page wide and every sentence is a
note across the page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from workbook.analyses.changes import COMPLETED, programme_basis
from workbook.deliverable.sheets.coaching_sheets import HOURS_FORMAT
from workbook.pipeline.columns import TIER_LABELS

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

TITLE = "Changes Since Last Run"
PROGRAMME_HEADING = "Completed the manager programme since the last run"
# The sheet's columns, shared by the changes table (What changed, Person, Id, Measure, Before, After,
# Change, Direction) and the programme table (Manager, Id, Completed, Months before and after, coaching
# hours before, after, Note): fixed so the sheet prints one page wide at 70% or more (about 140
# characters) and the notes merged across them are as tall as their text.
COLUMN_WIDTHS = (33.0, 22.0, 12.0, 24.0, 12.0, 12.0, 14.0, 11.0)
NOTE_LAST_COL = len(COLUMN_WIDTHS) - 1
NOTE_WIDTH = sum(COLUMN_WIDTHS)
VALUE_FORMAT = "#,##0.0#"   # before, after and change: a score to 0.1, hours to 0.01, never 16 digits


def _shown(value):
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    if isinstance(value, str):
        return TIER_LABELS.get(value, value)
    return float(value)


def _note(book: DeliverableBook, ws, row: int, text: str) -> None:
    """A grey sentence across the page (all the sheet's columns), as tall as its wrapped text."""
    book.write_note(ws, row, text, NOTE_LAST_COL, NOTE_WIDTH)


def _widths(columns) -> dict[str, float]:
    return {c: COLUMN_WIDTHS[j] for j, c in enumerate(columns)}


def build(book: DeliverableBook, ctx: DeliverableContext) -> None:
    ws = book.sheet(TITLE)
    row = book.write_title(ws, TITLE, f"Compared with the previous successful run of {ctx.engagement}.")
    for j, width in enumerate(COLUMN_WIDTHS):
        book.set_width(ws, j, width)
    changes = ctx.results.get("changes")
    if changes is None or changes.empty:
        _note(book, ws, row, "Nothing changed in manager readiness, coaching gaps, the training plan "
                             "or programme completions since the previous run.")
        _programme(book, ws, row + 2, ctx, changes)
        return
    counts = changes["change"].value_counts()
    summary = "; ".join(f"{n} {kind}" for kind, n in counts.items())
    _note(book, ws, row, f"{len(changes)} change(s): {summary}. Green is better for the client, red is "
                         "worse, grey is neutral (moves, team sizes).")
    # the programme view first: a short list that is the news of a follow-up, above the long list of
    # changes whose header repeats on every printed page
    row = _programme(book, ws, row + 2, ctx, changes)
    table = pd.DataFrame({
        "What changed": changes["change"].str.capitalize(),
        "Person": changes["name"].fillna(""),
        "Id": changes["person_id"].fillna(""),
        "Measure": changes["measure"],
        "Before": [_shown(v) for v in changes["before"]],
        "After": [_shown(v) for v in changes["after"]],
        "Change": pd.to_numeric(changes["delta"], errors="coerce"),
        "Direction": changes["direction"],
    })
    value = book.fmt(num_format=VALUE_FORMAT, align="right", indent=1)
    book.write_table(ws, row, table, "changes",
                     column_kinds={"Change": "number", "Before": "text", "After": "text", "Measure": "wrap"},
                     formats_by_column={"Before": value, "After": value, "Change": value},
                     widths=_widths(table.columns), freeze=True)
    better = changes["better"].map(lambda v: str(v).lower())
    green, red = book.fmt(bg_color="#E2EFDA"), book.fmt(bg_color="#F8CBAD")
    for i, flag in enumerate(better):
        fmt = green if flag == "true" else red if flag == "false" else None
        if fmt is not None:
            ws.conditional_format(row + 1 + i, 0, row + 1 + i, len(table.columns) - 1,
                                  {"type": "no_blanks", "format": fmt})
            ws.conditional_format(row + 1 + i, 0, row + 1 + i, len(table.columns) - 1,
                                  {"type": "blanks", "format": fmt})


def _programme(book: DeliverableBook, ws, row: int, ctx: DeliverableContext,
               changes: pd.DataFrame | None) -> int:
    """Who completed the manager programme since the previous run, with coaching before and after;
    returns the next free row (after a blank one)."""
    basis = programme_basis(ctx.previous or {}, ctx.results, ctx.previous_as_of)
    if not basis:
        return row
    ws.write_string(row, 0, PROGRAMME_HEADING, book.fmt("heading"))
    _note(book, ws, row + 1, basis)
    done = changes[changes["change"].eq(COMPLETED)] if changes is not None and not changes.empty \
        and "completed_date" in changes.columns else None
    if done is None or done.empty:
        if (ctx.previous is not None and "impact_events" in ctx.previous) or ctx.previous_as_of is not None:
            _note(book, ws, row + 3, "No front-line manager completed the manager programme since the "
                                     "previous run.")
            return row + 5
        return row + 3
    note = done["note"].astype("object").where(done["note"].notna(), "") if "note" in done else ""
    table = pd.DataFrame({
        "Manager": done["name"].fillna("").to_numpy(),
        "Id": done["person_id"].fillna("").to_numpy(),
        "Completed": pd.to_datetime(done["completed_date"], errors="coerce").to_numpy(),
        "Months before and after": pd.to_numeric(done["months_each_side"], errors="coerce").to_numpy(),
        "Coaching hours per rep, before": pd.to_numeric(done["hours_per_rep_before"], errors="coerce").to_numpy(),
        "Coaching hours per rep, after": pd.to_numeric(done["hours_per_rep_after"], errors="coerce").to_numpy(),
        "Note": list(note),
    })
    hours = book.fmt(num_format=HOURS_FORMAT, align="right", indent=1)
    last = book.write_table(ws, row + 3, table, "programme_completions",
                            column_kinds={"Completed": "date", "Months before and after": "count",
                                          "Coaching hours per rep, before": "hours",
                                          "Coaching hours per rep, after": "hours", "Note": "wrap"},
                            formats_by_column={"Coaching hours per rep, before": hours,
                                               "Coaching hours per rep, after": hours},
                            widths=_widths(table.columns), freeze=False, repeat_header=False)
    return last + 2
