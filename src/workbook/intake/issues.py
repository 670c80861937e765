"""DataIssue: one problem found in a client's file, located precisely enough to fix."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

import pandas as pd

Severity = Literal["blocking", "warning"]
ROWS_LISTED = 10   # row numbers named in one message before "and N more"


def rows_text(rows: list[int], limit: int = ROWS_LISTED) -> str:
    """'4, 9, 12' or '4, 9, ... and 3 more': the rows a message names."""
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (f" and {len(rows) - limit} more" if len(rows) > limit else "")
ISSUE_COLUMNS = ["severity", "table", "file", "row", "column", "value", "message"]


@dataclass(frozen=True)
class DataIssue:
    """A problem in the client's data.

    `row` is the row number as the client sees it in their own file (1-based,
    counting the header and any title rows), or None when the issue concerns
    the whole file or table.
    """

    severity: Severity
    table: str
    file: str
    row: int | None
    column: str
    value: str
    message: str

    def location(self) -> str:
        parts = [self.file or self.table]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)


@dataclass
class IssueLog:
    """Collects DataIssues while intake and checks run."""

    issues: list[DataIssue] = field(default_factory=list)

    def add(
        self,
        severity: Severity,
        table: str,
        file: str,
        message: str,
        row: int | None = None,
        column: str = "",
        value: object = "",
    ) -> None:
        self.issues.append(
            DataIssue(severity, table, file, _as_row(row), column, _as_text(value), message)
        )

    def blocking(self) -> list[DataIssue]:
        return [i for i in self.issues if i.severity == "blocking"]

    def warnings(self) -> list[DataIssue]:
        return [i for i in self.issues if i.severity == "warning"]

    def to_frame(self) -> pd.DataFrame:
        return issues_frame(self.issues)


def issues_frame(issues: list[DataIssue]) -> pd.DataFrame:
    if not issues:
        return pd.DataFrame(columns=ISSUE_COLUMNS)
    frame = pd.DataFrame([asdict(i) for i in issues], columns=ISSUE_COLUMNS)
    frame["row"] = frame["row"].astype("Int64")
    return frame


def _as_row(row: object) -> int | None:
    if row is None:
        return None
    try:
        if pd.isna(row):
            return None
    except (TypeError, ValueError):
        pass
    return int(row)


def _as_text(value: object) -> str:
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    text = str(value)
    return text if len(text) <= 200 else text[:197] + "..."
