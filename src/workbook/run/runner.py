"""Run one engagement: validate, execute the notebooks through papermill, write the deliverable.

Layout of a run (SPEC "Outputs"):

    <out>/<engagement>/<run-stamp>/
        <Client> - Manager Readiness Assessment.xlsx
        notebooks/<nn_name>.ipynb, .html, .report.html
        results/*.csv
        manifest.json
    <out>/<engagement>/latest -> <run-stamp>   (and a LATEST file naming it)

Validation comes first: with blocking issues nothing is written. `latest`
moves only after a fully successful run; a failed run keeps its executed
notebooks (papermill's error cell included) and a manifest saying where it
failed. A file the run cannot write (a full disk, a read-only folder, --out
naming a file) stops it with WriteFailed naming the path; a manifest already
written as running then says failed, with the reason.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from workbook.errors import EngagementLocked, NotebookFailure, WriteFailed, naming, write_failed
from workbook.intake.load import EngagementData, load_engagement_data
from workbook.run.fingerprint import engagement_fingerprint, file_sha256
from workbook.run.kernel import EngagementKernel, ensure_kernel, sweep_stale_kernel_files
from workbook.run.locking import EngagementLock
from workbook.run.manifest import Manifest, NotebookRecord, iso, utc_now
from workbook.run.notebooks import execute, export_html, find_notebooks, notebooks_dir
from workbook.run.prepare import Prepared, keep_executed, run_prepare
from workbook.run.snapshot import remove_snapshot, write_snapshot
from workbook.run.status import NotebookStatus, RunStatus

DEFAULT_CELL_TIMEOUT = 600
DEFAULT_RUN_TIMEOUT = 3600

Progress = Callable[[str, dict], None]


@dataclass
class RunResult:
    status: RunStatus
    engagement: str
    run_dir: Path | None = None
    deliverable: Path | None = None
    data: EngagementData | None = None
    failure: NotebookFailure | None = None
    message: str = ""
    timings: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status in (RunStatus.SUCCEEDED, RunStatus.PARTIAL)


def run_engagement(engagement_dir: str | Path, out_root: str | Path = "deliverables", *,
                   only: list[str] | None = None, cell_timeout: int = DEFAULT_CELL_TIMEOUT,
                   run_timeout: int = DEFAULT_RUN_TIMEOUT, progress: Progress | None = None,
                   data: EngagementData | None = None, extra_parameters: dict | None = None,
                   fresh_kernels: bool = False, kernel_seed=None) -> RunResult:
    """Validate and run one engagement. Raises EngagementError for a bad engagement.yaml.

    Statuses: blocked (blocking data issues; nothing written), locked (another run of
    this engagement is in progress; nothing written), failed, partial (--only), succeeded.
    """
    emit = progress or (lambda event, info: None)
    started = time.monotonic()
    sweep_stale_kernel_files()   # what a run killed outright left in the temporary folder
    kernel = EngagementKernel(ensure_kernel(), fresh=fresh_kernels, seed=kernel_seed)
    kernel.warm_up()   # the kernel starts and imports while the data is validated
    prepared = None
    try:
        t0 = time.perf_counter()
        if data is None:   # a large client's files take a while: say so before, not only after
            emit("validating", {"engagement": Path(engagement_dir).name})
            prepared = run_prepare(Path(engagement_dir), cell_timeout=cell_timeout, timeout=run_timeout)
            data = load_engagement_data(engagement_dir, progress=lambda read: emit("read", read))
            if prepared is not None:
                data.inputs.append(prepared.input_record())
        timings = {"validation_seconds": round(time.perf_counter() - t0, 3)}
        if prepared is not None:
            timings["prepare_seconds"] = prepared.seconds
        engagement = data.engagement
        emit("validated", {"engagement": engagement.name, "blocking": len(data.blocking),
                           "warnings": len(data.warnings), "seconds": timings["validation_seconds"],
                           "as_of": data.as_of, "as_of_how": data.as_of_how})
        if data.blocking:
            return RunResult(RunStatus.BLOCKED, engagement.name, data=data, timings=timings,
                             message=f"{len(data.blocking)} blocking data issue(s); nothing was run")
        notebooks = find_notebooks(only)
        root = Path(out_root).expanduser().resolve() / engagement.name
        try:
            lock = EngagementLock(root, engagement.name).acquire()
        except EngagementLocked as exc:
            return RunResult(RunStatus.LOCKED, engagement.name, data=data, timings=timings, message=str(exc))
        except OSError as exc:   # --out is a file, read-only, or on a full disk: nothing written
            raise write_failed(exc, root) from None
        try:
            return _run_locked(data, root, notebooks, only, cell_timeout, started + run_timeout,
                               run_timeout, emit, timings, started, extra_parameters, kernel, prepared)
        finally:
            lock.release()
    finally:
        kernel.shutdown()
        if prepared is not None:   # blocked, locked or stopped before the run kept its copy
            prepared.discard()


def _run_locked(data, root, notebooks, only, cell_timeout, deadline, run_timeout, emit, timings,
                started, extra_parameters, kernel: EngagementKernel,
                prepared: Prepared | None = None) -> RunResult:
    previous = latest_run(root)
    try:
        run_dir, run_id = _new_run_dir(root)
    except OSError as exc:
        raise write_failed(exc, root) from None
    try:
        return _run_in(run_dir, run_id, data, notebooks, only, cell_timeout, deadline, run_timeout, emit,
                       timings, started, extra_parameters, kernel, prepared, previous)
    except OSError as exc:   # disk full, read-only, a file in the way: a sentence, manifest 'failed'
        raise _write_failed(exc, run_dir) from None


def _write_failed(exc: OSError, run_dir: Path) -> WriteFailed:
    """The run stopped on a file it could not write: mark its manifest failed with the reason (when
    it had been written as running), leave `latest` on the previous complete run."""
    error = write_failed(exc, run_dir)
    remove_snapshot(run_dir)   # the data snapshot is the run's biggest file: give the space back
    path = run_dir / "manifest.json"
    try:
        record = Manifest.read(path)
    except (OSError, ValueError):
        return error   # never written (or unreadable): nothing says 'running'
    target = Path(str(exc.filename or run_dir))
    where = target.relative_to(run_dir) if target.is_relative_to(run_dir) else target
    record.update(status=RunStatus.FAILED, finished=iso(utc_now()), error=str(error),
                  failed_at=f"writing {where}")
    text = json.dumps(record, indent=2, default=str)
    try:
        Manifest.write_text(path, text)
    except OSError:
        try:   # no room for a temporary copy: overwrite in place
            path.write_text(text, encoding="utf-8")
        except OSError:
            pass
    return error


def _run_in(run_dir, run_id, data, notebooks, only, cell_timeout, deadline, run_timeout, emit, timings,
            started, extra_parameters, kernel, prepared, previous) -> RunResult:
    """Everything the run writes into its folder, in order (an OSError is handled by the caller)."""
    engagement = data.engagement
    (run_dir / "notebooks").mkdir()
    if prepared is not None:   # the reshaping is part of the run's record
        _export_html_quietly(keep_executed(prepared, run_dir / "notebooks"), NotebookRecord("00_prepare"),
                             run_dir)
    parameters = {"engagement_dir": str(engagement.folder), "output_dir": str(run_dir),
                  **(extra_parameters or {})}
    manifest = Manifest(run_id=run_id, engagement=engagement.name, client=engagement.client,
                        engagement_dir=str(engagement.folder), started=iso(utc_now()),
                        parameters={**parameters, "only": only, "cell_timeout": cell_timeout,
                                    "run_timeout": run_timeout},
                        inputs=data.inputs, config_sha256=file_sha256(engagement.config_path),
                        fingerprint=engagement_fingerprint(
                            engagement, {r["table"]: r["sha256"] for r in data.inputs}),
                        notebooks=[NotebookRecord(nb.name) for nb in notebooks],
                        previous_run=previous.name if previous else None,
                        as_of=str(data.as_of) if data.as_of is not None else None)
    manifest.write(run_dir)
    write_snapshot(data, run_dir)
    draft = None
    if not only:   # the workbook is written beside the notebooks, each sheet once its results are in
        from workbook.run.deliverable_build import DeliverableDraft

        draft = DeliverableDraft(data, run_dir, run_id, manifest, previous)
    try:
        outcome = _run_notebooks(notebooks, manifest, run_dir, parameters, kernel, cell_timeout, deadline,
                                 emit, draft)
    except BaseException:
        if draft is not None:
            draft.cancel()
        raise
    kernel.shutdown()
    remove_snapshot(run_dir)
    if outcome is not None:
        if draft is not None:
            draft.cancel()
        return RunResult(RunStatus.FAILED, engagement.name, run_dir, data=data, failure=outcome,
                         message=outcome.summary(), timings=timings)
    return _finish(data, manifest, run_dir, only, emit, timings, started, draft)


def _run_notebooks(notebooks, manifest, run_dir, parameters, kernel, cell_timeout, deadline, emit,
                   draft=None):
    """Execute the notebooks in order; the failure of the first one that fails, else None. Each
    notebook's HTML is exported in the background while the next one runs, and the workbook's draft
    is told when each has finished; the manifest is written once they are all in."""
    engagement = manifest.engagement
    with HtmlExports() as exports:
        for index, (nb, record) in enumerate(zip(notebooks, manifest.notebooks, strict=True), start=1):
            info = {"engagement": engagement, "notebook": nb.stem, "index": index, "total": len(notebooks)}
            emit("notebook_started", info)
            failure = _run_notebook(nb, record, run_dir, parameters, kernel, cell_timeout, deadline, exports)
            if failure is not None:
                exports.wait()
                manifest.status, manifest.failed_at, manifest.error = RunStatus.FAILED, nb.stem, failure.summary()
                manifest.finished = iso(utc_now())
                manifest.write(run_dir)
                emit("notebook_failed", {**info, "error": failure.summary(),
                                         "path": str(run_dir / record.executed)})
                return failure
            if draft is not None:
                draft.notebook_finished()
            manifest.write(run_dir)
            emit("notebook_finished", {**info, "seconds": record.seconds})
        exports.wait()
    manifest.write(run_dir)   # with every notebook's HTML path
    return None


class HtmlExports:
    """The notebooks' HTML exports, off the critical path: each is written by one background thread
    while the next notebook runs in its kernel (the runner only waits on it then); the run waits for
    them all before it publishes, so a finished run always has its HTML."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="html-export")
        self._pending: list[Future] = []

    def submit(self, executed: Path, record: NotebookRecord, run_dir: Path) -> None:
        self._pending.append(self._pool.submit(_export_html_quietly, executed, record, run_dir))

    def wait(self) -> None:
        for future in self._pending:
            future.result()
        self._pending.clear()

    def __enter__(self) -> HtmlExports:
        return self

    def __exit__(self, *exc) -> None:
        self.wait()
        self._pool.shutdown(wait=True)


def _finish(data, manifest, run_dir, only, emit, timings, started, draft) -> RunResult:
    engagement = data.engagement

    timings["notebooks_seconds"] = round(sum(r.seconds or 0 for r in manifest.notebooks), 3)
    timings["kernel_start_seconds"] = round(sum(r.kernel_start_seconds or 0 for r in manifest.notebooks), 3)
    if only:
        manifest.status, manifest.finished, manifest.timings = RunStatus.PARTIAL, iso(utc_now()), timings
        manifest.write(run_dir)
        return RunResult(RunStatus.PARTIAL, engagement.name, run_dir, data=data, timings=timings,
                         message="--only run: no deliverable written and 'latest' not moved")

    emit("writing_deliverable", {"engagement": engagement.name})
    t_xlsx = time.perf_counter()
    deliverable = draft.finish()
    timings["workbook_seconds"] = round(time.perf_counter() - t_xlsx, 3)   # after the last notebook
    timings["workbook_draft_cpu_seconds"] = round(draft.cpu_seconds, 3)     # beside the notebooks and after
    timings["total_seconds"] = round(time.monotonic() - started, 3)
    manifest.deliverable = deliverable.name
    manifest.status, manifest.finished, manifest.timings = RunStatus.SUCCEEDED, iso(utc_now()), timings
    manifest.write(run_dir)
    publish_latest(run_dir)
    emit("succeeded", {"engagement": engagement.name, "deliverable": str(deliverable),
                       "seconds": timings["total_seconds"]})
    return RunResult(RunStatus.SUCCEEDED, engagement.name, run_dir, deliverable, data, timings=timings)


def _run_notebook(nb: Path, record: NotebookRecord, run_dir: Path, parameters: dict,
                  kernel: EngagementKernel, cell_timeout: int, deadline: float,
                  exports: HtmlExports) -> NotebookFailure | None:
    executed = run_dir / "notebooks" / nb.name
    record.executed = str(executed.relative_to(run_dir))
    t_nb = time.perf_counter()
    try:
        with naming(executed):
            record.kernel_start_seconds = execute(nb, executed, parameters, kernel.kernel_name, cell_timeout,
                                                  deadline, shared=kernel)
    except NotebookFailure as failure:
        record.status, record.error = NotebookStatus.FAILED, failure.summary()
        record.seconds = round(time.perf_counter() - t_nb, 3)
        exports.submit(executed, record, run_dir)
        return failure
    record.seconds = round(time.perf_counter() - t_nb, 3)
    record.status = NotebookStatus.OK
    exports.submit(executed, record, run_dir)
    return None


def _new_run_dir(engagement_root: Path) -> tuple[Path, str]:
    engagement_root.mkdir(parents=True, exist_ok=True)
    stamp = utc_now().strftime("%Y%m%dT%H%M%SZ")
    run_id, n = stamp, 1
    while True:
        try:
            (engagement_root / run_id).mkdir()
            return engagement_root / run_id, run_id
        except FileExistsError:
            n += 1
            run_id = f"{stamp}-{n}"


def publish_latest(run_dir: Path) -> None:
    """Point <engagement>/latest at this run (symlink + LATEST file), atomically. The LATEST file is
    written first: when it cannot be (a full disk), neither moves."""
    root = run_dir.parent
    tmp_file = root / f".LATEST.{os.getpid()}"
    with naming(root / "LATEST"):
        try:
            tmp_file.write_text(run_dir.name + "\n", encoding="utf-8")
        except OSError:
            tmp_file.unlink(missing_ok=True)
            raise
    tmp_link = root / f".latest.{os.getpid()}"
    try:
        if tmp_link.is_symlink() or tmp_link.exists():
            tmp_link.unlink()
        tmp_link.symlink_to(run_dir.name, target_is_directory=True)
        os.replace(tmp_link, root / "latest")
    except OSError:
        if tmp_link.is_symlink():
            tmp_link.unlink()
    with naming(root / "LATEST"):
        os.replace(tmp_file, root / "LATEST")


def latest_run(engagement_root: Path) -> Path | None:
    marker = engagement_root / "LATEST"
    if marker.is_file():
        candidate = engagement_root / marker.read_text(encoding="utf-8").strip()
        if candidate.is_dir():
            return candidate
    return None


def _export_html_quietly(executed: Path, record: NotebookRecord, run_dir: Path) -> None:
    if not executed.exists():
        return
    try:
        full, report = export_html(executed)
        record.html = str(full.relative_to(run_dir))
    except Exception as exc:  # an HTML export problem must not hide the notebook's own result
        record.html = f"not exported: {exc}"


__all__ = ["RunResult", "run_engagement", "publish_latest", "latest_run", "notebooks_dir"]
