"""Text on the analysis sheets: grey notes across a sheet's columns, labels, plain text of values,
flags read from CSV text, and plurals."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from workbook.deliverable import style

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook

NOTE_WIDTH = 110   # default total width of the columns a note is merged across


def write_note(book: DeliverableBook, ws, row: int, text: str, last_col: int,
               width: float = NOTE_WIDTH, formula: str = "") -> None:
    """A grey wrapped paragraph merged across columns 0..last_col (`width` wide in all); with
    `formula`, a live formula whose computed value is `text`."""
    book.write_note(ws, row, text, last_col, width, formula=formula)


PAGE_NOTE_CHARS = 128.0   # a note merged no wider than this stays on a sheet's first printed page


def page_span(widths: list[float], limit: float = PAGE_NOTE_CHARS) -> tuple[int, float]:
    """(the last column, the total width) of the leading columns that fit on one printed page, so a
    note merged across them is not cut where a wide sheet continues on the next page."""
    total, last = 0.0, 0
    for j, w in enumerate(widths):
        if total + w > limit and j > 0:
            break
        total, last = total + w, j
    return last, total


def write_label(book: DeliverableBook, ws, row: int, text: str) -> None:
    """A label across the first two columns (ID and name in the tables below)."""
    ws.merge_range(row, 0, row, 1, None, book.fmt("label"))
    book.safe_write(ws, row, 0, text, book.fmt("label"))


def side_note(book: DeliverableBook, ws, row: int, text: str, cols: tuple[int, int], width: float,
              label: str = "", label_width: float = 0.0) -> None:
    """A grey explanation beside a figure, wrapped within columns cols[0]..cols[1] (`width` wide in
    all) so it never runs past the page's edge; the row as tall as the longer of it and the label."""
    if not text:
        return
    fmt = book.fmt("wrap", font_color=style.GREY, valign="top")
    ws.merge_range(row, cols[0], row, cols[1], None, fmt)
    ws.write_string(row, cols[0], text, fmt)
    height = book.wrapped_height(text, width)
    if label:
        height = max(height, book.wrapped_height(label, label_width))
    ws.set_row(row, height)


def grey(book: DeliverableBook):
    return book.fmt(font_color=style.GREY)


def finite_number(value: Any) -> float | None:
    """The value as a float, or None when it is missing, text or not finite."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def plain_text(value: Any) -> str:
    """A value as text; missing values are empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value)


def text_column(series: pd.Series) -> pd.Series:
    """A column as text; missing values are empty."""
    return series.astype("object").where(series.notna(), "").astype(str)


def is_flagged(value: Any) -> bool:
    """A flag as read back from a results CSV (True, "True", "yes", 1)."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    try:
        return bool(value) and not (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):
        return False


def plural(n: int, word: str) -> str:
    plural_word = "people" if word == "person" else word + "s"
    return f"{n} {word if n == 1 else plural_word}"
