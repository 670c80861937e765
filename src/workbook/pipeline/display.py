"""Tables in notebooks and the explorer as a client would read them: catalogue headers, number
formats, the engagement's currency, coded values in words, no index."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import pandas as pd

from workbook.engagement.currency import money_text
from workbook.pipeline.columns import CODE_LABELS, kind, label

FORMATS = {
    "count": "{:,.0f}",
    "score": "{:,.0f}",
    "number": "{:,.1f}",
    "hours": "{:,.1f} h",
    "percent": "{:.0%}",
    "percent1": "{:.1%}",
    "ratio": "{:,.1f}x",
    "date": "{:%Y-%m-%d}",
}


def formatter(kind_name: str, currency: str = "USD") -> Callable[[object], str] | str | None:
    """How a value of this kind is shown (None for text)."""
    if kind_name == "money":
        return lambda v: money_text(v, currency)
    return FORMATS.get(kind_name)


def format_value(value: object, kind_name: str, currency: str = "USD", na: str = "n/a") -> str:
    """One value as text, the way a table shows it."""
    if value is None or value is pd.NA or (isinstance(value, float) and not math.isfinite(value)):
        return na
    shown = formatter(kind_name, currency)
    if shown is None:
        return str(value)
    return shown(value) if callable(shown) else shown.format(value)


def table(frame: pd.DataFrame, columns: Sequence[str], currency: str = "USD", na: str = "n/a"):
    """A styled view of `columns` (catalogue names, in order; those absent are skipped)."""
    present = [c for c in columns if c in frame.columns]
    view = frame[present].copy()
    for column, words in CODE_LABELS.items():
        if column in view.columns:
            view[column] = view[column].map(lambda v, m=words: m.get(v, v))
    formats = {label(c): formatter(kind(c), currency) for c in present if formatter(kind(c), currency)}
    view = view.rename(columns={c: label(c) for c in present})
    return view.style.format(formats, na_rep=na).hide(axis="index")


def measures(frame: pd.DataFrame, label_column: str = "measure", value: str = "value"):
    """A two-column measure/value table with whole numbers shown without decimals."""
    shown = frame.copy()
    shown[value] = [f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}" for v in shown[value]]
    return shown.rename(columns={label_column: label(label_column), value: "Value"}).style.hide(axis="index")
