"""Changes Since Last Run: what moved against the previous successful run of this engagement.

Written only when an earlier run exists. Each change is coloured by what it
means for the client: green better, red worse, grey neutral (e.g. a move).
Below the changes, the programme view: who completed the manager programme
since the previous run, with coaching hours per rep before and after.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from workbook.analyses.changes import COMPLETED, programme_basis
from workbook.pipeline.columns import TIER_LABELS

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

TITLE = "Changes Since Last Run"
PROGRAMME_HEADING = "Completed the manager programme since the last run"


def _shown(value):
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    if isinstance(value, str):
        return TIER_LABELS.get(value, value)
    return float(value)


def build(book: DeliverableBook, ctx: DeliverableContext) -> None:
    ws = book.sheet(TITLE)
    row = book.write_title(ws, TITLE, f"Compared with the previous successful run of {ctx.engagement}.")
    changes = ctx.results.get("changes")
    if changes is None or changes.empty:
        ws.write_string(row, 0, "Nothing changed in manager readiness, coaching gaps, the training plan "
                                "or programme completions since the previous run.", book.fmt("note"))
        _programme(book, ws, row + 2, ctx, changes)
        return
    counts = changes["change"].value_counts()
    summary = "; ".join(f"{n} {kind}" for kind, n in counts.items())
    book.write_paragraph(ws, row, 0, f"{len(changes)} change(s): {summary}. Green is better for the "
                         "client, red is worse, grey is neutral (moves, team sizes).", 110, book.fmt("note"))
    row += 2
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
    last = book.write_table(ws, row, table, "changes", column_kinds={"Change": "number", "Before": "text",
                                                                     "After": "text"}, freeze=True)
    better = changes["better"].map(lambda v: str(v).lower())
    green, red = book.fmt(bg_color="#E2EFDA"), book.fmt(bg_color="#F8CBAD")
    for i, flag in enumerate(better):
        fmt = green if flag == "true" else red if flag == "false" else None
        if fmt is not None:
            ws.conditional_format(row + 1 + i, 0, row + 1 + i, len(table.columns) - 1,
                                  {"type": "no_blanks", "format": fmt})
            ws.conditional_format(row + 1 + i, 0, row + 1 + i, len(table.columns) - 1,
                                  {"type": "blanks", "format": fmt})
    _programme(book, ws, last + 2, ctx, changes)


def _programme(book: DeliverableBook, ws, row: int, ctx: DeliverableContext,
               changes: pd.DataFrame | None) -> None:
    """Who completed the manager programme since the previous run, with coaching before and after."""
    basis = programme_basis(ctx.previous or {}, ctx.results, ctx.previous_as_of)
    if not basis:
        return
    ws.write_string(row, 0, PROGRAMME_HEADING, book.fmt("heading"))
    book.write_note(ws, row + 1, basis, 6, 110)
    done = changes[changes["change"].eq(COMPLETED)] if changes is not None and not changes.empty \
        and "completed_date" in changes.columns else None
    if done is None or done.empty:
        if (ctx.previous is not None and "impact_events" in ctx.previous) or ctx.previous_as_of is not None:
            ws.write_string(row + 3, 0, "No front-line manager completed the manager programme since the "
                                        "previous run.", book.fmt("note"))
        return
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
    book.write_table(ws, row + 3, table, "programme_completions",
                     column_kinds={"Completed": "date", "Months before and after": "count",
                                   "Coaching hours per rep, before": "number",
                                   "Coaching hours per rep, after": "number", "Note": "text"},
                     freeze=False)
