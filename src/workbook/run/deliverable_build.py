"""From a finished run (data, results/*.csv, manifest) to the Excel deliverable."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from pathlib import Path

from workbook import __version__
from workbook.analyses.changes import changes_since
from workbook.deliverable import DeliverableContext, deliverable_filename, write_deliverable
from workbook.errors import naming
from workbook.intake.load import EngagementData
from workbook.pipeline.results import ResultsCancelled, RunResults, read_results, save_result
from workbook.run.manifest import Manifest


def deliverable_context(data: EngagementData, run_dir: Path, run_id: str, manifest: Manifest,
                        previous_run: Path | None = None, results: RunResults | None = None
                        ) -> DeliverableContext:
    """Results of this run (and the previous successful run, for Changes Since Last Run). `results`:
    the run's, as its notebooks save them (a draft written beside them); by default, as they are."""
    e = data.engagement
    results = results if results is not None else RunResults(run_dir)
    previous, previous_as_of = None, None
    if previous_run is not None and (previous_run / "results").is_dir():
        previous = read_results(previous_run)
        previous_as_of = recorded_as_of(previous_run)
        results.derive("changes", lambda current: _changes(previous, current, previous_as_of, run_dir))
    issues = results.get("data_issues")
    counts = results.get("row_counts")
    return DeliverableContext(
        client=e.client,
        engagement=e.name,
        as_of=data.as_of or dt.date.today(),
        currency=e.currency,
        run_id=run_id,
        toolkit_version=__version__,
        assumptions=e.assumptions,
        data_issues=issues if issues is not None else data.issues_frame(),
        row_counts=counts if counts is not None else data.row_counts(),
        inputs=data.inputs,
        parameters={k: v for k, v in manifest.parameters.items() if v is not None},
        versions=manifest.versions,
        results=results,
        previous=previous,
        previous_as_of=previous_as_of,
    )


def _changes(previous: dict, current: RunResults, previous_as_of: dt.date | None, run_dir: Path):
    """What moved since the previous run, saved as results/changes.csv (once every notebook is in)."""
    changes = changes_since(previous, current, previous_as_of)
    with naming(run_dir / "results" / "changes.csv"):
        save_result("changes", changes, run_dir)
    return changes


def recorded_as_of(run_dir: Path) -> dt.date | None:
    """The as-of date a run's manifest recorded (runs before it was recorded: None)."""
    try:
        value = Manifest.read(run_dir / "manifest.json").get("as_of")
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def build_deliverable(data: EngagementData, run_dir: Path, run_id: str, manifest: Manifest,
                      previous_run: Path | None = None, results: RunResults | None = None,
                      into: Path | None = None) -> Path:
    """The workbook of a run, `<Client> - Manager Readiness Assessment.xlsx` in its folder (or `into`,
    a draft's file; errors still name the deliverable), with results/changes.csv when there is a
    previous run."""
    target = run_dir / deliverable_filename(data.engagement.client)
    results = results if results is not None else RunResults(run_dir)
    with naming(target):
        path = write_deliverable(into or target,
                                 deliverable_context(data, run_dir, run_id, manifest, previous_run, results))
    results.compute_derived()   # results/changes.csv, whether or not a sheet showed it
    return path


class DeliverableDraft:
    """The run's workbook, written by a background thread while its notebooks execute: each sheet is
    built as soon as the results it shows are saved (the kernel computes on one core while the runner
    writes on the other), so after the last notebook only what needs every result is left.

    It is written to a hidden file and becomes the deliverable only in `finish()`, once every notebook
    has succeeded; `cancel()` (a notebook failed) stops it and removes the file. If a notebook saved
    again a table the draft had already read, `finish()` writes the workbook afresh from the results
    as they are, so the workbook always shows exactly the numbers of the CSVs."""

    def __init__(self, data: EngagementData, run_dir: Path, run_id: str, manifest: Manifest,
                 previous_run: Path | None = None):
        self._args = (data, run_dir, run_id, manifest, previous_run)
        self.results = RunResults(run_dir, pending=True)
        name = deliverable_filename(data.engagement.client)
        self._draft = run_dir / f".{Path(name).stem}.draft.xlsx"
        self._target = run_dir / name
        self._error: BaseException | None = None
        self.cpu_seconds = 0.0
        self._thread = threading.Thread(target=self._write, name="deliverable-draft", daemon=True)
        self._thread.start()

    def _write(self) -> None:
        try:
            build_deliverable(*self._args, results=self.results, into=self._draft)
        except ResultsCancelled:
            pass
        except BaseException as exc:   # handed to the run in finish()
            self._error = exc
        finally:
            self.cpu_seconds = time.thread_time()   # the draft's own work, its waits left out

    def notebook_finished(self) -> None:
        self.results.notebook_finished()

    def cancel(self) -> None:
        """Stop the draft (the run failed or was stopped) and remove its file."""
        self.results.cancel()
        self._thread.join()
        self._draft.unlink(missing_ok=True)

    def finish(self) -> Path:
        """Every notebook has succeeded: the deliverable, once the draft has written its last sheets."""
        self.results.all_finished()
        self._thread.join()
        if self._error is not None:
            self._draft.unlink(missing_ok=True)
            raise self._error
        if self.results.stale():
            self._draft.unlink(missing_ok=True)
            return build_deliverable(*self._args)
        with naming(self._target):
            os.replace(self._draft, self._target)
        return self._target
