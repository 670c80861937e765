"""From a finished run (data, results/*.csv, manifest) to the Excel deliverable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from workbook import __version__
from workbook.deliverable import DeliverableContext, deliverable_filename, write_deliverable
from workbook.engagement_data import EngagementData
from workbook.manifest import Manifest
from workbook.results import read_results


def deliverable_context(data: EngagementData, run_dir: Path, run_id: str, manifest: Manifest
                        ) -> DeliverableContext:
    e = data.engagement
    results = read_results(run_dir)
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
        previous=None,
    )


def build_deliverable(data: EngagementData, run_dir: Path, run_id: str, manifest: Manifest) -> Path:
    ctx = deliverable_context(data, run_dir, run_id, manifest)
    return write_deliverable(run_dir / deliverable_filename(data.engagement.client), ctx)
