"""Changes Since Last Run: what moved against the previous successful run of this engagement.

Written only when an earlier run exists. Each change is coloured by what it
means for the client: green better, red worse, grey neutral (e.g. a move).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from workbook.pipeline.columns import TIER_LABELS

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

TITLE = "Changes Since Last Run"


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
        ws.write_string(row, 0, "Nothing changed in manager readiness, coaching gaps or the training plan "
                                "since the previous run.", book.fmt("note"))
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
    del last
