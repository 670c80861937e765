"""Every error the toolkit raises on purpose, under one base the `workbook` command catches once.

Client data problems are not exceptions: they are `DataIssue` rows (intake/issues.py) that the
consultant reads as a list. These classes are for what stops a command: an engagement folder or
engagement.yaml that cannot be used, a file that cannot be read at all, blocking data issues in a
notebook, a locked engagement, a notebook that failed, a scenario that cannot be saved, a run that
could not write its files. Each message says what is wrong and what to do.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


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


class WriteFailed(WorkbookError):
    """A run could not write one of its files (disk full, read-only folder, a file where a folder
    should be); the message names the path, the system's reason and what to do."""


def os_error_text(exc: OSError, path: object = None, verb: str = "write") -> str:
    """An OSError as a sentence: 'could not write <path>: <reason>. <what to do>'. `path` names the
    file when the error does not; advice mentions --out when a run's output is concerned (write)."""
    import errno
    from pathlib import Path

    target = exc.filename or path or "a file"
    reason = exc.strerror or str(exc) or type(exc).__name__
    out = "give --out a folder" if verb == "write" else "use a folder"
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        advice = (f"The disk is full: free some space there (or {out} on another disk) and run "
                  "again.")
    elif code in (errno.EACCES, errno.EPERM, errno.EROFS):
        advice = (f"You cannot {verb} there: {out} you can write to (or fix the folder's "
                  "permissions) and run again.")
    elif code in (errno.ENOTDIR, errno.EEXIST, errno.EISDIR):
        blocker = next((p for p in [Path(str(target)), *Path(str(target)).parents]
                        if p.exists() and not p.is_dir()), None)
        where = f"{blocker} is a file" if blocker is not None else "a file stands where a folder is needed"
        advice = f"{where}: {out} (new or existing), not a file, and run again."
    elif code == errno.ENAMETOOLONG:
        advice = "Use a shorter folder path and run again."
    else:
        advice = "Check that the folder is there and reachable (a network drive?) and run again."
    return f"could not {verb} {target}: {reason}. {advice}"


def write_failed(exc: OSError, path: object = None) -> WriteFailed:
    return WriteFailed(os_error_text(exc, path))


@contextmanager
def naming(path: object) -> Iterator[None]:
    """An OSError raised inside (that does not say which file) names `path`."""
    try:
        yield
    except OSError as exc:
        if not exc.filename:
            exc.filename = str(path)
        raise
