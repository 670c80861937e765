"""The states a run, a notebook within it and an engagement in a batch can end in.

String enums: they compare equal to, and are written to manifest.json as, their plain values.
"""

from __future__ import annotations

from enum import StrEnum


class RunStatus(StrEnum):
    RUNNING = "running"        # manifest.json while notebooks execute
    BLOCKED = "blocked"        # validation found blocking issues: nothing was written
    LOCKED = "locked"          # another run of the engagement holds its lock
    SUCCEEDED = "succeeded"    # deliverable written, `latest` moved
    FAILED = "failed"          # a notebook failed: its executed copy shows where
    PARTIAL = "partial"        # --only: results and notebooks, no deliverable


class NotebookStatus(StrEnum):
    PENDING = "pending"
    OK = "ok"
    FAILED = "failed"
    SKIPPED = "skipped"


class BatchStatus(StrEnum):
    PENDING = "pending"
    RAN = "ran"                # run and succeeded
    SKIPPED = "skipped"        # unchanged since its latest successful run
    FAILED = "failed"
