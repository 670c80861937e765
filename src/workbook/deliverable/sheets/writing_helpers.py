"""Writing helpers shared by the Compensation and Ownership sheets: notes, labels, text, flags."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from workbook.deliverable import style

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook

NOTE_WIDTH = 110
_SHEET_WIDTH: dict[str, float] = {}   # sheet name -> total width of the merged note columns


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value)


def _note(book: DeliverableBook, ws, row: int, text: str, last_col: int, width: float | None = None) -> None:
    """Grey wrapped text merged across the sheet's columns; `width` is their total width."""
    ws.merge_range(row, 0, row, max(last_col, 1), None, book.fmt("note"))
    book.safe_write(ws, row, 0, text, book.fmt("note"))
    ws.set_row(row, book.wrapped_height(text, width or _SHEET_WIDTH.get(ws.name, NOTE_WIDTH)))


def _label(book: DeliverableBook, ws, row: int, text: str) -> None:
    """A label across the first two columns (ID and name in the tables below)."""
    ws.merge_range(row, 0, row, 1, None, book.fmt("label"))
    book.safe_write(ws, row, 0, text, book.fmt("label"))


def _grey(book: DeliverableBook):
    return book.fmt(font_color=style.GREY)


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    try:
        return bool(value) and not (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):
        return False
