"""From a finished run (data, results/*.csv, manifest) to the Excel deliverable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from workbook import __version__
from workbook.analyses.changes import changes_since
from workbook.deliverable import DeliverableContext, deliverable_filename, write_deliverable
from workbook.errors import naming
from workbook.intake.load import EngagementData
from workbook.pipeline.results import read_results, save_result
from workbook.run.manifest import Manifest


def deliverable_context(data: EngagementData, run_dir: Path, run_id: str, manifest: Manifest,
                        previous_run: Path | None = None) -> DeliverableContext:
    """Results of this run (and the previous successful run, for Changes Since Last Run)."""
    e = data.engagement
    results = read_results(run_dir)
    previous, previous_as_of = None, None
    if previous_run is not None and (previous_run / "results").is_dir():
        previous = read_results(previous_run)
        previous_as_of = recorded_as_of(previous_run)
        changes = changes_since(previous, results, previous_as_of)
        save_result("changes", changes, run_dir)
        results["changes"] = changes
    issues = results.pop("data_issues", None)
    counts = results.pop("row_counts", None)
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


def recorded_as_of(run_dir: Path) -> dt.date | None:
    """The as-of date a run's manifest recorded (runs before it was recorded: None)."""
    try:
        value = Manifest.read(run_dir / "manifest.json").get("as_of")
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def build_deliverable(data: EngagementData, run_dir: Path, run_id: str, manifest: Manifest,
                      previous_run: Path | None = None) -> Path:
    with naming(run_dir / "results" / "changes.csv"):
        ctx = deliverable_context(data, run_dir, run_id, manifest, previous_run)
    target = run_dir / deliverable_filename(data.engagement.client)
    with naming(target):
        return write_deliverable(target, ctx)
