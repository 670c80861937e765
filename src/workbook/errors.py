"""Every error the toolkit raises on purpose, under one base the `workbook` command catches once.

Client data problems are not exceptions: they are `DataIssue` rows (intake/issues.py) that the
consultant reads as a list. These classes are for what stops a command: an engagement folder or
engagement.yaml that cannot be used, a file that cannot be read at all, blocking data issues in a
notebook, a locked engagement, a notebook that failed, a scenario that cannot be saved. Each
message says what is wrong and what to do.
"""

from __future__ import annotations


class WorkbookError(Exception):
    """Base of the toolkit's errors; the message is written for the consultant."""


class EngagementError(WorkbookError):
    """engagement.yaml (or the folder) cannot be used; the message says what to fix."""


class AssumptionError(EngagementError, ValueError):
    """An assumption override (engagement.yaml, a scenario, the explorer) that cannot be used."""


class ReadError(WorkbookError):
    """A client file cannot be read at all; the message says why and what to do."""


class BlockingDataIssues(WorkbookError):
    """Analysis cannot proceed: the engagement's data has blocking issues."""


class EngagementLocked(WorkbookError):
    """Another run of this engagement is in progress."""


class UnknownNotebook(WorkbookError, ValueError):
    """--only named a notebook that does not exist."""


class NotebookFailure(WorkbookError):
    """A notebook did not complete: a cell raised, a timeout, or the kernel would not start."""

    def __init__(self, notebook: str, kind: str, ename: str, evalue: str, cell: int | None = None,
                 traceback: str = ""):
        super().__init__(f"{notebook}: {ename}: {evalue}")
        self.notebook, self.kind, self.ename, self.evalue = notebook, kind, ename, evalue
        self.cell, self.traceback = cell, traceback

    def summary(self) -> str:
        where = f" (cell {self.cell})" if self.cell is not None else ""
        return f"{self.notebook}{where}: {self.ename}: {self.evalue}"


class PrepareFailed(WorkbookError):
    """The engagement's prepare.ipynb raised or timed out; the message names the cell and the copy."""


class ScenarioError(WorkbookError):
    """The scenario cannot be saved as asked; the message says why and what to do."""
