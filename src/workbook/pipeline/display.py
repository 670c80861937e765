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
    "percent_points": "{:,.0f}%",
    "ratio": "{:,.2f}x",
    "row": "{:.0f}",
    "date": "{:%Y-%m-%d}",
}


TEXT_KINDS = ("text", "flag")


def _flag(value: object) -> str:
    return "yes" if value is True or str(value).strip().lower() in ("true", "1", "yes") else ""


def formatter(kind_name: str, currency: str = "USD") -> Callable[[object], str] | str | None:
    """How a value of this kind is shown (None for text)."""
    if kind_name == "money":
        return lambda v: money_text(v, currency)
    if kind_name == "flag":
        return _flag
    return FORMATS.get(kind_name)


def format_value(value: object, kind_name: str, currency: str = "USD", na: str = "n/a") -> str:
    """One value as text, the way a table shows it."""
    if value is None or value is pd.NA or (isinstance(value, float) and not math.isfinite(value)):
        return na
    shown = formatter(kind_name, currency)
    if shown is None:
        return str(value)
    return shown(value) if callable(shown) else shown.format(value)


def table(frame: pd.DataFrame, columns: Sequence[str | tuple[str, str]], currency: str = "USD",
          na: str = "n/a"):
    """A styled view of `columns` (catalogue names, or (frame column, catalogue name) pairs, in
    order; columns the frame lacks are skipped). Text sits at the left, numbers at the right."""
    pairs = [(c, c) if isinstance(c, str) else c for c in columns]
    present = [(column, name) for column, name in pairs if column in frame.columns]
    view = frame[[column for column, _ in present]].copy()
    for column, words in CODE_LABELS.items():
        if column in view.columns:
            view[column] = view[column].map(lambda v, m=words: m.get(v, v))
    view.columns = [label(name) for _, name in present]
    shown = {label(name): formatter(kind(name), currency) for _, name in present}
    formats = {header: shown_as for header, shown_as in shown.items() if shown_as is not None}
    text = [label(name) for _, name in present if kind(name) in TEXT_KINDS]
    styler = view.style.format(formats, na_rep=na).hide(axis="index")
    return styler.set_properties(subset=text, **{"text-align": "left"}) if text else styler


def measures(frame: pd.DataFrame, label_column: str = "measure", value: str = "value"):
    """A two-column measure/value table with whole numbers shown without decimals."""
    shown = frame.copy()
    shown[value] = [f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}" for v in shown[value]]
    return shown.rename(columns={label_column: label(label_column), value: "Value"}).style.hide(axis="index")


def counts(values: pd.Series, column: str) -> str:
    """How many of each coded value, in the catalogue's order and words: "Ready 10 · Developing 1"."""
    words = CODE_LABELS.get(column, {})
    n = values.value_counts()
    order = [k for k in words if k in n.index] + [k for k in n.index if k not in words]
    return " · ".join(f"{words.get(k, k)} {int(n[k])}" for k in order)
