"""Tables in notebooks as a client would read them: plain-English headers, number formats, no index."""

from __future__ import annotations

import pandas as pd

FORMATS = {
    "count": "{:,.0f}",
    "score": "{:,.0f}",
    "number": "{:,.1f}",
    "hours": "{:,.1f} h",
    "percent": "{:.0%}",
    "percent1": "{:.1%}",
    "money": "${:,.0f}",
    "ratio": "{:,.1f}x",
    "date": "{:%Y-%m-%d}",
}


CODE_LABELS = {
    "tier": {"ready": "Ready", "developing": "Developing", "not_ready": "Not ready"},
    "role": {"rep": "Rep", "manager": "Front-line manager", "leader": "Leader"},
    "severity": {"blocking": "Blocking", "warning": "Warning"},
    "scenario": {"conservative": "Conservative", "base": "Base", "upper": "Upper"},
}


def table(frame: pd.DataFrame, columns: dict[str, tuple[str, str | None]], na: str = "n/a"):
    """A styled view: `columns` maps column -> (header, format kind or None for text)."""
    frame = frame.copy()
    for column, labels in CODE_LABELS.items():
        if column in frame.columns:
            frame[column] = frame[column].map(lambda v, m=labels: m.get(v, v))
    view = frame[[c for c in columns if c in frame.columns]].rename(
        columns={c: label for c, (label, _) in columns.items()})
    formats = {columns[c][0]: FORMATS[columns[c][1]] for c in columns
               if c in frame.columns and columns[c][1]}
    return view.style.format(formats, na_rep=na).hide(axis="index")


def measures(frame: pd.DataFrame, label: str = "measure", value: str = "value"):
    """A two-column measure/value table with whole numbers shown without decimals."""
    shown = frame.copy()
    shown[value] = [f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}" for v in shown[value]]
    return shown.style.hide(axis="index")
