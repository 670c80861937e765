"""Writing helpers shared by the Manager Readiness and Training Plan sheets: notes, text, plural."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook

NOTE_WIDTH = 120


def _note(book: DeliverableBook, ws, row: int, text: str, last_col: int, width: float = NOTE_WIDTH) -> None:
    """A grey paragraph merged across columns 0..last_col, which are `width` wide in all."""
    ws.merge_range(row, 0, row, max(last_col, 1), None, book.fmt("note"))
    book.safe_write(ws, row, 0, text, book.fmt("note"))
    ws.set_row(row, book.wrapped_height(text, width * 0.95))


def _text(series: pd.Series) -> pd.Series:
    return series.astype("object").where(series.notna(), "").astype(str)


def _plural(n: int, word: str) -> str:
    plural = "people" if word == "person" else word + "s"
    return f"{n} {word if n == 1 else plural}"
