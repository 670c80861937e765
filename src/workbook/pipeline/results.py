"""The result tables: the machine-readable face of a run (results/*.csv).

Notebooks save each table through `save_result`; the runner reads them back
with `read_results` to build the deliverable, so the workbook shows exactly
the numbers the CSVs hold.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

# name -> (columns the SPEC guarantees, date columns to parse on read)
RESULT_TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "data_issues": (("severity", "table", "file", "row", "column", "value", "message"), ()),
    "row_counts": (("table", "file", "rows_read", "rows_used", "rows_skipped"), ()),
    "manager_readiness": (("manager_id", "manager_name", "team_size", "readiness_score", "tier",
                           "barrier_point", "priority_rank"), ()),
    "training_plan": (("person_id", "name", "role", "manager_id", "wave", "start_date"), ("start_date",)),
    "coaching_gaps": (("manager_id", "manager_name", "reps", "hours_per_rep_month",
                       "target_hours_per_rep_month", "gap_hours_per_rep_month", "coverage", "core_share"),
                      ()),
    "roi_scenarios": (("scenario", "uplift", "annual_benefit", "program_cost", "net_benefit", "roi_pct"), ()),
    "compensation": (("manager_id", "manager_name", "target_variable", "current_weights",
                      "proposed_weights", "payout_current_plan", "payout_proposed_plan", "payout_change"),
                     ()),
    "impact_events": (("person_id", "name", "role", "manager_id", "completed_date", "status", "planned_start"),
                      ("completed_date", "planned_start")),
    "impact": (("outcome", "measure", "measured", "uplift", "uplift_low", "uplift_high", "trained_teams",
                "comparison_teams"), ()),
    "impact_by_manager": (("manager_id", "manager_name", "completed_date", "months_each_side",
                           "hours_per_rep_before", "hours_per_rep_after", "core_attainment_before",
                           "core_attainment_after"), ("completed_date",)),
    "impact_status": (("status", "needs"), ()),
    "impact_by_cohort": (("cohort", "managers", "hours_per_rep_before", "hours_per_rep_after",
                          "core_attainment_before", "core_attainment_after"), ()),
}
TEXT_COLUMNS = ("manager_id", "person_id", "leader_id", "rep_id", "barrier_point", "value", "file",
                "message", "column", "why", "flags", "not_assessed", "name", "manager_name", "team", "cohort", "month")


# OWASP CSV injection: text a spreadsheet would run as a formula starts with one of these; the CSV
# holds it behind a single quote (which Excel shows as text), and read_results takes the quote off
FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d[\d,]*)?(\.\d+)?([eE][+-]?\d+)?%?$")


def neutralise(value: object) -> object:
    """A text value that would run as a formula in a spreadsheet, quoted; anything else unchanged
    (a signed number such as -1 is a number, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_LEAD) and not _NUMBER.match(value.strip()):
        return "'" + value
    return value


def restore(value: object) -> object:
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_LEAD):
        return value[1:]
    return value


def _on_cells_starting(column: pd.Series, prefixes: str | tuple[str, ...], fn) -> pd.Series:
    """fn (neutralise or restore) on the text cells that start with one of `prefixes` (a few, if
    any): a 50,000-row result is not asked cell by cell."""
    try:
        hits = column.str.startswith(prefixes, na=False).to_numpy(dtype=bool)
    except AttributeError:   # an object column holding no text at all
        return column
    if not hits.any():
        return column
    column = column.copy()
    column[hits] = column[hits].map(fn).astype(column.dtype)
    return column


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]


def results_dir(output_dir: str | Path) -> Path:
    return Path(output_dir) / "results"


def save_result(name: str, frame: pd.DataFrame, output_dir: str | Path | None) -> Path | None:
    """Write results/<name>.csv atomically; None output_dir (an exploratory run) writes nothing."""
    if not output_dir:
        return None
    expected = RESULT_TABLES.get(name, ((), ()))[0]
    missing = [c for c in expected if c not in frame.columns]
    if missing:
        raise ValueError(f"result table {name} lacks columns {missing}")
    folder = results_dir(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.csv"
    tmp = target.with_suffix(".csv.tmp")
    ordered = list(expected) + [c for c in frame.columns if c not in expected]
    out = frame[ordered].copy()
    for column in _text_columns(out):
        out[column] = _on_cells_starting(out[column], FORMULA_LEAD, neutralise)
    out.to_csv(tmp, index=False, date_format="%Y-%m-%d")
    os.replace(tmp, target)
    return target


def read_results(output_dir: str | Path) -> dict[str, pd.DataFrame]:
    folder = results_dir(output_dir)
    tables: dict[str, pd.DataFrame] = {}
    if not folder.is_dir():
        return tables
    for path in sorted(folder.glob("*.csv")):
        name = path.stem
        dates = RESULT_TABLES.get(name, ((), ()))[1]
        header = pd.read_csv(path, nrows=0).columns
        dtype = {c: "string" for c in header if c in TEXT_COLUMNS}
        frame = pd.read_csv(path, dtype=dtype, keep_default_na=True)
        for column in _text_columns(frame):
            frame[column] = _on_cells_starting(frame[column], "'", restore)
        for column in dates:
            if column in frame.columns:
                frame[column] = pd.to_datetime(frame[column])
        tables[name] = frame
    return tables
