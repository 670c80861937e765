"""What a notebook's set-up cell and tables call: one set-up, one way to show a result table."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from workbook.pipeline.analysis import Analysis, analysis_of
from workbook.pipeline.columns import SHOWN
from workbook.pipeline.data_quality import load
from workbook.pipeline.display import say, table

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
        from workbook.pipeline.charts import show_charts_uncropped

        show_charts_uncropped(shell)
    pd.set_option("display.max_rows", 60)
    pd.set_option("display.max_colwidth", 120)
    data = load(engagement_dir, output_dir=output_dir or None)
    say(f"{data.engagement.client}: data as of {data.as_of}")
    return analysis_of(data)


def show(analysis: Analysis, frame: pd.DataFrame, shown: str | Sequence[str | tuple[str, str]],
         rows: int | None = DEFAULT_ROWS):
    """The table `shown` (a key of columns.SHOWN, or catalogue column names) in catalogue headers
    and the engagement's currency; the first `rows` rows, its caption saying so when there are more."""
    columns = SHOWN[shown] if isinstance(shown, str) else shown
    if rows is None or len(frame) <= rows:
        return table(frame, columns, currency=analysis.currency)
    styled = table(frame.head(rows), columns, currency=analysis.currency)
    return styled.set_caption(f"The first {rows} of {len(frame)} rows "
                              "(all are in the workbook and the results CSVs).")
