"""Tables in notebooks and the explorer as a client would read them: catalogue headers, number
formats, the engagement's currency, coded values and true/false in words, no index; and `say`,
the sentences a notebook writes for its reader (paragraphs, not printed text)."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterable, Sequence

import numpy as np
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


def _is_boolean(values: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(values):
        return True
    present = values.dropna()
    return values.dtype == object and len(present) > 0 and all(isinstance(v, bool | np.bool_) for v in present)


def _yes_no(value: object) -> object:
    return ("yes" if value else "no") if isinstance(value, bool | np.bool_) else value


SHORT_TEXT = 28   # a text column whose values are all this short (names, codes) does not wrap


def _left(styler, headers: Sequence[str]):
    """Text columns, header and cells, at the left (numbers stay at the right); short text such as
    a name stays on one line, longer text wraps in a column wide enough to read."""
    if not headers:
        return styler
    left = [{"selector": "", "props": [("text-align", "left")]}]
    one_line = [{"selector": "td", "props": [("white-space", "nowrap")]}]
    wraps = [{"selector": "td", "props": [("min-width", "10em")]}]
    data = styler.data
    styles = {h: left + (one_line if _short(data[h]) else wraps) for h in headers}
    return styler.set_table_styles(styles, axis=0, overwrite=False)


def _short(values: pd.Series | pd.DataFrame) -> bool:
    if isinstance(values, pd.DataFrame):   # two columns under one header
        values = values.stack()
    return bool(values.map(lambda v: len(str(v)) <= SHORT_TEXT).all())


def table(frame: pd.DataFrame, columns: Sequence[str | tuple[str, str]], currency: str = "USD",
          na: str = "n/a"):
    """A styled view of `columns` (catalogue names, or (frame column, catalogue name) pairs, in
    order; columns the frame lacks are skipped). Text sits at the left, numbers at the right;
    true/false reads "yes"/"no" (a flag column: "yes" or blank)."""
    pairs = [(c, c) if isinstance(c, str) else c for c in columns]
    present = [(column, name) for column, name in pairs if column in frame.columns]
    view = frame[[column for column, _ in present]].copy()
    for column, words in CODE_LABELS.items():
        if column in view.columns:
            view[column] = view[column].map(lambda v, m=words: m.get(v, v))
    for column, name in present:
        if kind(name) == "text" and _is_boolean(view[column]):
            view[column] = view[column].map(_yes_no)
    view.columns = [label(name) for _, name in present]
    shown = {label(name): formatter(kind(name), currency) for _, name in present}
    formats = {header: shown_as for header, shown_as in shown.items() if shown_as is not None}
    text = [label(name) for _, name in present if kind(name) in TEXT_KINDS]
    return _left(view.style.format(formats, na_rep=na).hide(axis="index"), text)


def measures(frame: pd.DataFrame, label_column: str = "measure", value: str = "value"):
    """A two-column measure/value table with whole numbers shown without decimals."""
    shown = frame.copy()
    shown[value] = [f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}" for v in shown[value]]
    shown = shown.rename(columns={label_column: label(label_column), value: "Value"})
    return _left(shown.style.hide(axis="index"), [label(label_column)])


_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _html(text: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", html.escape(text, quote=False))


def say(*paragraphs: str, points: Iterable[str] = ()) -> None:
    """Sentences for the reader: each argument a paragraph, `points` a bulleted list after them,
    `**words**` in bold. In a notebook they display as body text (HTML, with a plain-text copy),
    so the report reads them as paragraphs rather than printed code output; elsewhere they print."""
    paragraphs = tuple(p for p in paragraphs if p)
    points = [str(p) for p in points if p]
    blocks = [*paragraphs, *(["\n".join(f"- {p}" for p in points)] if points else [])]
    plain = _BOLD.sub(r"\1", "\n\n".join(blocks))
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:   # pragma: no cover - IPython ships with ipykernel
        get_ipython = None
    if get_ipython is None or get_ipython() is None:
        print(plain)
        return
    body = "".join(f"<p>{_html(p)}</p>" for p in paragraphs)
    if points:
        body += "<ul>" + "".join(f"<li>{_html(p)}</li>" for p in points) + "</ul>"
    display({"text/html": f'<div class="workbook-say">{body}</div>', "text/plain": plain},
            raw=True)


def counts(values: pd.Series, column: str) -> str:
    """How many of each coded value, in the catalogue's order and words: "Ready 10 · Developing 1"."""
    words = CODE_LABELS.get(column, {})
    n = values.value_counts()
    order = [k for k in words if k in n.index] + [k for k in n.index if k not in words]
    return " · ".join(f"{words.get(k, k)} {int(n[k])}" for k in order)
