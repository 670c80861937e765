"""What a notebook's set-up cell and tables call: one set-up, one way to show a result table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbook.pipeline.analysis import Analysis, analysis_of
from workbook.pipeline.columns import SHOWN
from workbook.pipeline.data_quality import load
from workbook.pipeline.display import table

DEFAULT_ROWS = 30   # rows a notebook table shows; every row is in the workbook and the results CSVs


def setup(engagement_dir: str | Path, output_dir: str | Path | None = "") -> Analysis:
    """Inline charts and readable tables, then the engagement loaded and checked (the run's
    snapshot when there is one): the analysis chain every section of the notebook reads."""
    try:
        from IPython import get_ipython
    except ImportError:   # pragma: no cover - IPython ships with ipykernel
        get_ipython = None
    shell = get_ipython() if get_ipython else None
    if shell is not None:
        shell.run_line_magic("matplotlib", "inline")
    pd.set_option("display.max_rows", 60)
    pd.set_option("display.max_colwidth", 120)
    data = load(engagement_dir, output_dir=output_dir or None)
    print(f"{data.engagement.client}: data as of {data.as_of}")
    return analysis_of(data)


def show(analysis: Analysis, frame: pd.DataFrame, shown: str, rows: int | None = DEFAULT_ROWS):
    """The table `shown` (a key of columns.SHOWN) in catalogue headers and the engagement's
    currency; the first `rows` rows, saying so when there are more."""
    if rows is not None and len(frame) > rows:
        print(f"The first {rows} of {len(frame)} rows (all are in the workbook and the results CSVs).")
        frame = frame.head(rows)
    return table(frame, SHOWN[shown], currency=analysis.currency)
