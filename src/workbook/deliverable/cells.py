"""What a cell and a column of the deliverable hold, before any formatting: Excel's limits on text
and sheet names, missing values, the kind of a column, and the width its contents need; and the
worksheet class whose formulas skip XlsxWriter's rewrites when none applies."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import numpy as np
import pandas as pd
from xlsxwriter.worksheet import Worksheet

from workbook.deliverable import style

MAX_CELL_CHARS = 32_767
TRUNCATION_MARKER = "… [truncated]"
FORBIDDEN_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
HEADER_MAX_WIDTH = 16     # a longer header wraps rather than widening its column


# the functions XlsxWriter rewrites in every formula (its _prepare_formula runs ~30 regular
# expressions per formula: 9 s for the large client's 126,000 formulas)
_DYNAMIC = re.compile(r"\b(?:ANCHORARRAY|BYCOL|BYROW|CHOOSECOLS|CHOOSEROWS|DROP|EXPAND|FILTER|HSTACK|LAMBDA|"
                      r"MAKEARRAY|MAP|RANDARRAY|REDUCE|SCAN|SEQUENCE|SORT|SORTBY|SWITCH|TAKE|TEXTSPLIT|TOCOL|"
                      r"TOROW|UNIQUE|VSTACK|WRAPCOLS|WRAPROWS|XLOOKUP)\(|SINGLE\(")


class Sheet(Worksheet):
    """An XlsxWriter worksheet whose formulas skip the ~30 rewrites when one test shows none applies
    (none of the dynamic-array functions, future functions off): the same XML, a tenth of the time."""

    def _prepare_formula(self, formula, expand_future_functions=False):
        if self.use_future_functions or expand_future_functions or _DYNAMIC.search(formula):
            return super()._prepare_formula(formula, expand_future_functions)
        if formula.startswith("{"):
            formula = formula[1:]
        if formula.startswith("="):
            formula = formula[1:]
        if formula.endswith("}"):
            formula = formula[:-1]
        return formula


def sheet_title(title: str, existing: set[str] | None = None) -> str:
    """A sheet name Excel accepts: no []:*?/\\, no edge apostrophes, at most 31 chars, unique."""
    existing = {t.lower() for t in existing or set()}
    base = FORBIDDEN_SHEET_CHARS.sub("-", str(title))
    base = "".join(ch for ch in base if ch.isprintable()).strip().strip("'").strip() or "Sheet"
    if base.lower() == "history":
        base = "History (sheet)"
    base = base[:31].rstrip()
    candidate, n = base, 2
    while candidate.lower() in existing:
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)].rstrip() + suffix
        n += 1
    return candidate


def internal_link(title: str, cell: str = "A1") -> str:
    return "internal:'" + title.replace("'", "''") + "'!" + cell


def truncate(text: str) -> str:
    if len(text) <= MAX_CELL_CHARS:
        return text
    return text[: MAX_CELL_CHARS - len(TRUNCATION_MARKER)] + TRUNCATION_MARKER


def is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    kind = type(value)
    if kind is str or kind is int or kind is bool:   # the common cells: no pandas call
        return False
    if kind is float:
        return value != value
    try:
        return bool(pd.isna(value)) if np.ndim(value) == 0 else False
    except (TypeError, ValueError):
        return False


WIDTH_SAMPLE_ROWS = 500   # longer columns are measured on the values that can be the widest


def width_candidates(values: pd.Series) -> Any:
    """The values a column's width is measured on: all of a short column; of a long one, the
    smallest and largest numbers (the widest formatted, whatever the sign) or the distinct texts."""
    if len(values) <= WIDTH_SAMPLE_ROWS:
        return values
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        present = values.dropna()
        return [present.min(), present.max()] if len(present) else [None]
    try:
        return pd.unique(values.to_numpy())
    except TypeError:   # unhashable cells: measure them all
        return values


def infer_kind(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "text"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    if pd.api.types.is_integer_dtype(series):
        return "count"
    if pd.api.types.is_float_dtype(series):
        return "decimal"
    return "text"


def shown_text(value: Any, kind: str) -> str:
    """Roughly what Excel will display, to size the column."""
    if is_missing(value):
        return ""
    if isinstance(value, (dt.date, pd.Timestamp)):
        return "2026-01-01"
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        v = float(value)
        if not math.isfinite(v):
            return ""
        if kind == "percent":
            return f"{v:.1%}"
        if kind == "currency":
            return f"$ {v:,.0f} "
        if kind == "hours":
            return f"{v:.1f} h"
        if kind in ("count", "integer", "score"):
            return f"{v:,.0f}"
        return f"{v:,.2f}" if kind == "number" else f"{v:,.1f}"
    return str(value)


def content_widths(df: pd.DataFrame, kinds: dict[str, str]) -> dict[str, float]:
    """Each column's width for its header (wrapped past HEADER_MAX_WIDTH; a number column's
    longest header word whole) and its values as Excel will show them, indent included."""
    widths = {}
    for c in df.columns:
        width = style.width_for([str(c)], maximum=HEADER_MAX_WIDTH) + 2
        if style.right_aligned(kinds[c]):
            longest_word = max((len(w) for w in str(c).split()), default=0)
            width = max(width, float(longest_word + 4))
        shown = [shown_text(v, kinds[c]) for v in width_candidates(df[c])]
        upper = 70 if kinds[c] == "code" else style.MAX_WIDTH
        widths[c] = max(width, style.width_for(shown, maximum=upper) + style.INDENT_WIDTH)
    return widths
