"""Finding, executing (papermill) and exporting (nbconvert) the analysis notebooks."""

from __future__ import annotations

import errno
import os
import time
from dataclasses import dataclass
from pathlib import Path

from workbook.errors import NotebookFailure, UnknownNotebook

NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
# a file the run writes could not be written (disk full, read-only): the runner says so, not "kernel"
WRITE_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, getattr(errno, "EDQUOT", errno.ENOSPC)}


def notebooks_dir() -> Path:
    """The analysis notebooks: $WORKBOOK_NOTEBOOKS, else the repository's notebooks/ folder."""
    configured = os.environ.get("WORKBOOK_NOTEBOOKS")
    if configured:
        return Path(configured).expanduser().resolve()
    return Path(__file__).resolve().parents[3] / "notebooks"


def find_notebooks(only: list[str] | None = None) -> list[Path]:
    folder = notebooks_dir()
    found = sorted(folder.glob(NOTEBOOK_GLOB))
    if not found:
        raise FileNotFoundError(f"no analysis notebooks found in {folder}")
    if not only:
        return found
    chosen = []
    for wanted in only:
        key = wanted.removesuffix(".ipynb")
        matches = [nb for nb in found if nb.stem == key or nb.stem.startswith(key) or nb.stem[3:] == key]
        if not matches:
            names = ", ".join(nb.stem for nb in found)
            raise UnknownNotebook(f"no notebook matches '{wanted}'; available: {names}")
        chosen.extend(m for m in matches if m not in chosen)
    return sorted(chosen)


def execute(notebook: Path, output: Path, parameters: dict, kernel: str, cell_timeout: int,
            deadline: float, shared=None) -> float | None:
    """Run one notebook with papermill; returns kernel start-up seconds. Retries once if the kernel
    fails to start; raises NotebookFailure otherwise. `shared` is an EngagementKernel whose kernel
    the notebook runs on (None: a fresh kernel)."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from workbook.run.kernel import kernel_manager_class

    def timeout_for(cell) -> int:
        remaining = int(deadline - time.monotonic())
        if remaining <= 0:
            return 1
        return max(1, min(cell_timeout, remaining))

    for attempt in (1, 2):
        if time.monotonic() >= deadline:
            raise NotebookFailure(notebook.stem, "timeout", "RunTimeout",
                                  "the whole-run time limit was reached before this notebook started")
        started = time.perf_counter()
        km = shared.for_notebook() if shared is not None else None
        options = {"km": km} if km is not None else {"kernel_manager_class": kernel_manager_class()}
        try:
            pm.execute_notebook(str(notebook), str(output), parameters=parameters, kernel_name=kernel,
                                progress_bar=False, log_output=False, start_timeout=60,
                                request_save_on_cell_execute=False, timeout_func=timeout_for, **options)
            return _kernel_start_seconds(output, started)
        except PapermillExecutionError as exc:
            raise NotebookFailure(notebook.stem, "error", exc.ename, str(exc.evalue),
                                  exc.exec_count, "\n".join(exc.traceback)) from None
        except Exception as exc:  # nbclient timeouts, dead kernels, start-up failures
            name = type(exc).__name__
            if shared is not None:
                shared.discard()   # never reuse a kernel that timed out or died
            if isinstance(exc, OSError) and exc.errno in WRITE_ERRNOS:
                if not exc.filename:   # the executed copy could not be written: not the kernel's fault
                    exc.filename = str(output)
                raise
            if "Timeout" in name and _cells_started(output):
                raise NotebookFailure(notebook.stem, "timeout", "CellTimeoutError",
                                      f"a cell ran longer than its time limit ({cell_timeout} s per cell, "
                                      "or the whole-run limit)") from None
            if attempt == 1 and not _cells_started(output):
                continue  # the kernel did not start: one retry
            raise NotebookFailure(notebook.stem, "kernel", name, str(exc).strip().splitlines()[0]
                                  if str(exc).strip() else name) from None
    return None  # pragma: no cover - the loop always returns or raises


def _cells_started(output: Path) -> bool:
    import nbformat

    if not output.exists():
        return False
    try:
        nb = nbformat.read(str(output), as_version=4)
    except Exception:
        return False
    return any(c.get("metadata", {}).get("papermill", {}).get("start_time") for c in nb.cells)


def _kernel_start_seconds(output: Path, started: float) -> float | None:
    """Time from papermill start to the first cell starting: kernel start-up plus injection."""
    import datetime as dt

    import nbformat

    nb = nbformat.read(str(output), as_version=4)
    run_start = nb.metadata.get("papermill", {}).get("start_time")
    first = next((c.metadata.get("papermill", {}).get("start_time") for c in nb.cells
                  if c.metadata.get("papermill", {}).get("start_time")), None)
    if not run_start or not first:
        return None
    delta = dt.datetime.fromisoformat(first) - dt.datetime.fromisoformat(run_start)
    return round(delta.total_seconds(), 3)


@dataclass
class _Exporters:
    full: object
    report: object


_EXPORTERS: _Exporters | None = None


def export_html(executed: Path) -> tuple[Path, Path]:
    """Full HTML (code and output) and a report-mode HTML (outputs only) beside the notebook."""
    global _EXPORTERS
    import nbformat
    from nbconvert import HTMLExporter

    if _EXPORTERS is None:
        report = HTMLExporter()
        report.exclude_input = True
        report.exclude_input_prompt = True
        report.exclude_output_prompt = True
        _EXPORTERS = _Exporters(HTMLExporter(), report)
    nb = nbformat.read(str(executed), as_version=4)
    full_path = executed.with_suffix(".html")
    report_path = executed.with_suffix(".report.html")
    body, _ = _EXPORTERS.full.from_notebook_node(nb)
    full_path.write_text(body, encoding="utf-8")
    body, _ = _EXPORTERS.report.from_notebook_node(nb)
    report_path.write_text(body, encoding="utf-8")
    return full_path, report_path
