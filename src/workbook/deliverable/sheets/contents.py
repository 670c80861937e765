"""Contents: one linked row per sheet actually written, with the question it answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from workbook.deliverable.cells import internal_link

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

TITLE = "Contents"


def answers(book: DeliverableBook, spec) -> str:
    """The sheet's question, without promising a recalculation no sheet in this workbook does."""
    if spec.title == "Assumptions" and "yellow" in spec.answers.lower():
        from workbook.deliverable.sheets.assumptions_sheet import live_sheets

        live = live_sheets(book)
        if not live:
            return "Every assumption behind the numbers, with its source."
        return (f"Every assumption behind the numbers: change the yellow cells to test the "
                f"{' and '.join(live)}.")
    return spec.answers


def build(book: DeliverableBook, ctx: DeliverableContext) -> None:
    ws = book.sheet(TITLE)
    first = book.write_title(ws, "Contents", "Click a sheet name to go to it.")
    names = [book.sheet(spec.title).name for spec in book.planned]
    table = pd.DataFrame(
        {
            "#": range(1, len(names) + 1),
            "Sheet": names,
            "What it answers": [answers(book, spec) for spec in book.planned],
        }
    )
    book.write_table(
        ws, first, table, "contents",
        column_kinds={"What it answers": "wrap"},
        formats_by_column={"#": book.kind_format("count", align="center")},
        widths={"#": 5, "What it answers": 84},
    )
    link = book.fmt("link", indent=1)
    for i, name in enumerate(names):
        ws.write_url(first + 1 + i, 1, internal_link(name), link, string=name, tip=f"Go to {name}")
    book.fit_width(ws, 1, 24)
