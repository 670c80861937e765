"""The result tables: the machine-readable face of a run (results/*.csv).

Notebooks save each table through `save_result`; the runner reads them back
(`RunResults`, as they are saved while the notebooks run) to build the deliverable,
so the workbook shows exactly the numbers the CSVs hold.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping
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
    """Every results/*.csv of a finished run (a previous run's, for Changes Since Last Run)."""
    folder = results_dir(output_dir)
    if not folder.is_dir():
        return {}
    return {path.stem: _read_result(path) for path in sorted(folder.glob("*.csv"))}


def _read_result(path: Path) -> pd.DataFrame:
    dates = RESULT_TABLES.get(path.stem, ((), ()))[1]
    header = pd.read_csv(path, nrows=0).columns
    dtype = {c: "string" for c in header if c in TEXT_COLUMNS}
    frame = pd.read_csv(path, dtype=dtype, keep_default_na=True)
    for column in _text_columns(frame):
        frame[column] = _on_cells_starting(frame[column], "'", restore)
    for column in dates:
        if column in frame.columns:
            frame[column] = pd.to_datetime(frame[column])
    return frame


class ResultsCancelled(Exception):
    """The run stopped (a notebook failed, or it was interrupted) while the workbook waited for a result."""


class RunResults(Mapping[str, pd.DataFrame]):
    """A run's results/*.csv as a mapping, each table read when it is first asked for.

    Made while the run's notebooks are still executing (`pending=True`), it lets the workbook be
    written beside them: a table no notebook has saved yet is waited for (until the next notebook
    finishes, then looked for again), and only once every notebook has finished is a table that is
    not there missing. A table read and then saved again by a later notebook makes the results
    `stale()` (whoever wrote from them writes again). `derive(name, fn)` adds a table computed from
    all the others (Changes Since Last Run), once every notebook has finished."""

    def __init__(self, output_dir: str | Path, pending: bool = False):
        self._folder = results_dir(output_dir)
        self._changed = threading.Condition()
        self._finished = 0          # notebooks finished so far (a waiting reader looks again after each)
        self._complete = not pending
        self._cancelled = False
        self._tables: dict[str, pd.DataFrame] = {}
        self._read: dict[str, tuple[int, int]] = {}   # name -> (mtime_ns, size) of the file read
        self._derived: dict[str, Callable[[RunResults], pd.DataFrame]] = {}

    # -- the run's side -------------------------------------------------------------------------
    def notebook_finished(self) -> None:
        with self._changed:
            self._finished += 1
            self._changed.notify_all()

    def all_finished(self) -> None:
        with self._changed:
            self._complete = True
            self._changed.notify_all()

    def cancel(self) -> None:
        with self._changed:
            self._cancelled = True
            self._changed.notify_all()

    def derive(self, name: str, fn: Callable[[RunResults], pd.DataFrame]) -> None:
        self._derived[name] = fn

    def compute_derived(self) -> None:
        """Every derived table computed (and saved, by its function), whether or not it was asked for."""
        for name in self._derived:
            self[name]

    def stale(self) -> list[str]:
        """Tables read and saved again since (or removed): what was written from them is out of date."""
        return [name for name, seen in self._read.items() if _stamp(self._folder / f"{name}.csv") != seen]

    # -- the reader's side ----------------------------------------------------------------------
    def __getitem__(self, name: str) -> pd.DataFrame:
        if name in self._tables:
            return self._tables[name]
        if name in self._derived:
            self._wait_complete()
            self._tables[name] = self._derived[name](self)
            return self._tables[name]
        path = self._folder / f"{name}.csv"
        while True:
            with self._changed:
                self._check_cancelled()
                finished, complete = self._finished, self._complete
            stamp = _stamp(path)
            if stamp is not None:
                self._tables[name] = frame = _read_result(path)
                self._read[name] = stamp
                return frame
            if complete:
                raise KeyError(name)
            with self._changed:   # not saved yet: look again once the next notebook has finished
                self._changed.wait_for(lambda seen=finished: self._cancelled or self._complete
                                       or self._finished != seen)

    def __iter__(self) -> Iterator[str]:
        self._wait_complete()
        names = {path.stem for path in self._folder.glob("*.csv")} if self._folder.is_dir() else set()
        return iter(sorted(names | set(self._tables) | set(self._derived)))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def _wait_complete(self) -> None:
        with self._changed:
            self._changed.wait_for(lambda: self._cancelled or self._complete)
            self._check_cancelled()

    def _check_cancelled(self) -> None:
        if self._cancelled:
            raise ResultsCancelled("the run stopped before its results were complete")


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size
