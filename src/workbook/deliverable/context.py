"""Everything the deliverable shows, gathered by the run before the workbook is written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from workbook.engagement.assumptions import Assumptions


@dataclass
class DeliverableContext:
    """One engagement run, as the Excel deliverable needs it.

    The writer never reads client files itself: the run pipeline hands it
    the tables and facts here, so the workbook shows exactly what the run used.
    """

    client: str
    engagement: str
    as_of: dt.date
    currency: str  # ISO code, e.g. "USD"
    run_id: str  # e.g. "20261126T203000Z"
    toolkit_version: str
    assumptions: Assumptions
    data_issues: pd.DataFrame  # ISSUE_COLUMNS
    row_counts: pd.DataFrame  # table, file, rows_read, rows_used, rows_skipped
    inputs: list[dict]  # each: table, file, sha256, bytes
    parameters: dict
    versions: dict[str, str]
    results: dict[str, pd.DataFrame] = field(default_factory=dict)
    previous: dict[str, pd.DataFrame] | None = None
    previous_as_of: dt.date | None = None   # the previous run's as-of date, when its manifest has it

    def run_time(self) -> dt.datetime:
        """The run's timestamp (from run_id), used as the workbook's fixed creation date."""
        for pattern in ("%Y%m%dT%H%M%SZ", "%Y%m%dT%H%M%S", "%Y%m%d-%H%M%S", "%Y%m%d"):
            try:
                return dt.datetime.strptime(self.run_id, pattern)
            except ValueError:
                continue
        return dt.datetime.combine(self.as_of, dt.time())
