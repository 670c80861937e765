"""An engagement's own reshaping step: `prepare.ipynb` in the engagement folder.

For what engagement.yaml's mapping cannot express (order lines summed into orders, a region ->
manager table joined in, several monthly exports stacked), the consultant writes a notebook in the
engagement folder that reads the client's files and writes canonical CSVs into `prepared/`;
engagement.yaml's sources point at those. `workbook validate` and `workbook run` execute it first,
through papermill with parameters `engagement_dir` and `prepared_dir`, on this environment's
kernel. The run keeps the executed copy (notebooks/00_prepare.ipynb and its HTML) and records the
notebook's sha256 among the inputs (Provenance sheet, manifest), so the reshaping is part of the
audit trail; the batch fingerprint covers the notebook and every file it could have read.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from workbook.errors import NotebookFailure, PrepareFailed
from workbook.run.fingerprint import file_sha256

PREPARE_NAME = "prepare.ipynb"
PREPARED_DIR = "prepared"
DEFAULT_TIMEOUT = 1800
SKIPPED_PARTS = {PREPARED_DIR, ".ipynb_checkpoints", "__pycache__"}


@dataclass
class Prepared:
    notebook: Path     # the engagement's prepare.ipynb
    executed: Path     # its executed copy (with outputs)
    sha256: str
    seconds: float
    scratch: Path | None = None   # the temporary folder `executed` was written to, if any

    def discard(self) -> None:
        """Remove the executed copy's temporary folder, unless it was kept in a run."""
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None

    def input_record(self) -> dict:
        return {"table": "prepare", "file": PREPARE_NAME, "sha256": self.sha256,
                "bytes": self.notebook.stat().st_size}


def prepare_notebook(folder: Path) -> Path | None:
    path = Path(folder) / PREPARE_NAME
    return path if path.is_file() else None


def run_prepare(folder: Path, executed: Path | None = None, cell_timeout: int = 600,
                timeout: int = DEFAULT_TIMEOUT) -> Prepared | None:
    """Execute the engagement's prepare.ipynb (None when there is none). Raises NotebookFailure
    (a WorkbookError naming the cell) when it fails; the client's files are only read by it."""
    from workbook.run.kernel import ensure_kernel
    from workbook.run.notebooks import execute

    folder = Path(folder).resolve()
    notebook = prepare_notebook(folder)
    if notebook is None:
        return None
    (folder / PREPARED_DIR).mkdir(exist_ok=True)
    scratch = None
    if executed is None:
        scratch = Path(tempfile.mkdtemp(prefix="workbook-prepare-"))
        executed = scratch / "00_prepare.ipynb"
    started = time.perf_counter()
    try:
        execute(notebook, executed, {"engagement_dir": str(folder),
                                     "prepared_dir": str(folder / PREPARED_DIR)},
                ensure_kernel(), cell_timeout, time.monotonic() + timeout)
    except NotebookFailure as exc:
        where = f" in cell {exc.cell}" if exc.cell is not None else ""
        raise PrepareFailed(f"{notebook}: the engagement's prepare notebook failed{where}: {exc.ename}: "
                            f"{exc.evalue}. The executed copy with the error is {executed}; fix the "
                            "notebook and run again (nothing was analysed)") from None
    return Prepared(notebook, executed, file_sha256(notebook), round(time.perf_counter() - started, 3),
                    scratch)


def keep_executed(prepared: Prepared, notebooks_dir: Path) -> Path:
    """Move the executed prepare notebook into a run's notebooks/ folder."""
    target = notebooks_dir / "00_prepare.ipynb"
    if prepared.executed != target:
        shutil.move(str(prepared.executed), target)
        prepared.executed = target
    prepared.discard()
    return target


def prepare_inputs(folder: Path) -> list[Path]:
    """What a prepare notebook may read: every file in the engagement folder but its own outputs."""
    folder = Path(folder)
    if prepare_notebook(folder) is None:
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file()
                  and not SKIPPED_PARTS & set(p.relative_to(folder).parts)
                  and not p.name.startswith("."))
