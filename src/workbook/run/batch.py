"""Re-run many engagements: in parallel, incremental, isolated per engagement.

Each engagement runs in its own worker process (a crash or a timeout in one
never touches another) or, with a scheduler address, as a task on a Dask
distributed cluster. An engagement whose fingerprint (engagement.yaml, every
input file, the notebooks, the toolkit version) equals that of its latest
successful run is skipped unless forced. The skip check runs here, before any
worker starts, so an unchanged batch costs milliseconds per engagement.
"""

from __future__ import annotations

import json
import os
import queue as queue_module
import signal
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from workbook.engagement.config import CONFIG_NAME, load_engagement
from workbook.errors import EngagementError, WorkbookError
from workbook.run.fingerprint import engagement_fingerprint
from workbook.run.kernel import sweep_stale_kernel_files
from workbook.run.runner import DEFAULT_CELL_TIMEOUT, DEFAULT_RUN_TIMEOUT, latest_run
from workbook.run.status import BatchStatus, RunStatus

Event = Callable[[str, dict], None]


@dataclass
class BatchItem:
    engagement_dir: str
    name: str
    status: str = BatchStatus.PENDING
    seconds: float = 0.0
    deliverable: str = ""
    error: str = ""


def discover(paths: list[Path]) -> list[Path]:
    """Engagement folders, or folders of them (each subfolder holding engagement.yaml)."""
    found: list[Path] = []
    for path in paths:
        path = Path(path).expanduser().resolve()
        if (path / CONFIG_NAME).is_file():
            found.append(path)
        elif path.is_dir():
            found += sorted(p for p in path.iterdir() if (p / CONFIG_NAME).is_file())
        else:
            raise EngagementError(f"{path}: not an engagement folder or a folder of engagements")
    unique = list(dict.fromkeys(found))
    if not unique:
        raise EngagementError("no engagement folders (with engagement.yaml) found in " +
                              ", ".join(str(p) for p in paths))
    return unique


def up_to_date(engagement_dir: Path, out_root: Path) -> tuple[bool, str, str]:
    """(unchanged, engagement name, deliverable path of the latest successful run)."""
    engagement = load_engagement(engagement_dir)
    latest = latest_run(out_root / engagement.name)
    if latest is None or not (latest / "manifest.json").is_file():
        return False, engagement.name, ""
    try:
        manifest = json.loads((latest / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):   # an unreadable record of the last run: run again
        return False, engagement.name, ""
    if not isinstance(manifest, dict) or manifest.get("status") != RunStatus.SUCCEEDED:
        return False, engagement.name, ""
    same = manifest.get("fingerprint") == engagement_fingerprint(engagement)
    return same, engagement.name, str(latest / (manifest.get("deliverable") or ""))


def run_one(engagement_dir: str, out_root: str, cell_timeout: int = DEFAULT_CELL_TIMEOUT,
            run_timeout: int = DEFAULT_RUN_TIMEOUT, events=None, kernel_seed=None) -> dict:
    """Run one engagement (in a worker process or a Dask task); never raises."""
    from workbook.run.runner import run_engagement

    item = BatchItem(engagement_dir, Path(engagement_dir).name)
    started = time.monotonic()

    def progress(event: str, info: dict) -> None:
        if events is not None:
            try:
                events.put(("event", item.name, event, info))
            except Exception:
                pass

    try:
        result = run_engagement(engagement_dir, out_root, cell_timeout=cell_timeout,
                                run_timeout=run_timeout, progress=progress, kernel_seed=kernel_seed)
        item.name = result.engagement
        if result.status == RunStatus.SUCCEEDED:
            item.status, item.deliverable = BatchStatus.RAN, str(result.deliverable)
        else:
            item.status = BatchStatus.FAILED
            if result.status == RunStatus.FAILED and result.failure is not None:
                item.error = f"{result.failure.summary()} ({result.run_dir / result.failure.notebook}.ipynb)"
            elif result.status == RunStatus.BLOCKED and result.data is not None and result.data.blocking:
                item.error = blocked_summary(result.data.blocking, engagement_dir)
            else:
                item.error = result.message
    except Exception as exc:  # one engagement's problem must never stop the batch
        item.status, item.error = BatchStatus.FAILED, failure_text(exc)
    item.seconds = round(time.monotonic() - started, 2)
    return asdict(item)


def failure_text(exc: BaseException) -> str:
    """One engagement's failure as its summary row says it: the toolkit's own errors are already
    sentences; anything else is unexpected, named with its type."""
    if isinstance(exc, WorkbookError):
        return str(exc)
    if isinstance(exc, OSError) and exc.filename:
        return f"could not use {exc.filename}: {exc.strerror or exc}"
    return (f"unexpected {type(exc).__name__}: {exc} (a toolkit bug: `workbook run` on this "
            "engagement shows where)")


def blocked_summary(blocking: list, engagement_dir: str | Path) -> str:
    """Blocking data issues, as one summary row: how many, the first one's file and place, and the
    command that lists them all."""
    first = blocking[0]
    return (f"{len(blocking)} blocking data issue(s), nothing was run; first: {first.location()}: "
            f"{first.message}. `workbook validate {engagement_dir}` lists them all")


def run_batch(paths: list[Path], out_root: Path, *, jobs: int | None = None, force: bool = False,
              scheduler: str | None = None, cell_timeout: int = DEFAULT_CELL_TIMEOUT,
              run_timeout: int = DEFAULT_RUN_TIMEOUT, on_event: Event | None = None) -> list[BatchItem]:
    emit = on_event or (lambda event, info: None)
    out_root = Path(out_root).expanduser().resolve()
    items, todo = [], []
    for folder in discover(paths):
        item = BatchItem(str(folder), folder.name)
        items.append(item)
        try:
            unchanged, item.name, deliverable = up_to_date(folder, out_root)
        except Exception as exc:   # a bad engagement.yaml or scenario file: its row, never the batch
            item.status, item.error = BatchStatus.FAILED, failure_text(exc)
            emit("failed", {"engagement": item.name, "error": item.error})
            continue
        if unchanged and not force:
            item.status, item.deliverable = BatchStatus.SKIPPED, deliverable
            emit("skipped", {"engagement": item.name})
        else:
            todo.append(item)
    if todo:
        runner = _run_on_cluster if scheduler else _run_in_processes
        results = runner(todo, out_root, jobs or os.cpu_count() or 1, cell_timeout, run_timeout, emit,
                         scheduler)
        for item in todo:
            item.__dict__.update(results[item.engagement_dir])
    return items


def _run_in_processes(todo: list[BatchItem], out_root: Path, jobs: int, cell_timeout: int,
                      run_timeout: int, emit: Event, scheduler: str | None = None) -> dict[str, dict]:
    import multiprocessing as mp

    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    ctx = mp.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(["workbook.run.batch_preload"])
    events = ctx.Queue()
    pending = list(todo)
    running: dict[str, tuple[mp.Process, float, BatchItem]] = {}
    results: dict[str, dict] = {}
    limit = run_timeout + 60  # the run enforces its own timeout; this catches a hung worker
    while pending or running:
        while pending and len(running) < jobs:
            item = pending.pop(0)
            process = ctx.Process(target=_worker, args=(item.engagement_dir, str(out_root), cell_timeout,
                                                        run_timeout, events), daemon=False)
            process.start()
            running[item.engagement_dir] = (process, time.monotonic(), item)
            emit("started", {"engagement": item.name})
        _drain(events, results, emit, timeout=0.2)
        for key, (process, started, item) in list(running.items()):
            if not process.is_alive():
                process.join()
                _drain(events, results, emit, timeout=0.5 if key not in results else 0)
                if key not in results:
                    results[key] = asdict(BatchItem(key, item.name, BatchStatus.FAILED, time.monotonic() - started,
                                                    error=f"worker crashed (exit code {process.exitcode})"))
                del running[key]
                emit(results[key]["status"], {"engagement": item.name, **results[key]})
            elif time.monotonic() - started > limit:
                _kill_group(process)
                sweep_stale_kernel_files()   # the killed worker's kernel files
                results[key] = asdict(BatchItem(key, item.name, BatchStatus.FAILED, time.monotonic() - started,
                                                error=f"timed out after {limit} s; worker stopped"))
                del running[key]
                emit("failed", {"engagement": item.name, **results[key]})
    return results


def _worker(engagement_dir: str, out_root: str, cell_timeout: int, run_timeout: int, events) -> None:
    from workbook.run.kernel_seed import KernelSeed

    if hasattr(os, "setpgrp"):
        os.setpgrp()  # its own process group: stopping it stops what it started (its kernel, in a
        # session of its own as kernels are, exits when it sees its worker gone)
    seed = KernelSeed.plant()   # first, while the worker is a single thread (see kernel_seed)
    try:
        result = run_one(engagement_dir, out_root, cell_timeout, run_timeout, events, kernel_seed=seed)
    finally:
        if seed is not None:
            seed.close()
    events.put(("result", engagement_dir, result))


def _drain(events, results: dict, emit: Event, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            message = events.get(timeout=max(0.0, deadline - time.monotonic()))
        except (queue_module.Empty, OSError, EOFError):
            return
        if message[0] == "result":
            results[message[1]] = message[2]
        else:
            _, name, event, info = message
            emit(event, {"engagement": name, **info})


def _kill_group(process) -> None:
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except ProcessLookupError:
        pass
    process.join(timeout=5)


def _run_on_cluster(todo: list[BatchItem], out_root: Path, jobs: int, cell_timeout: int, run_timeout: int,
                    emit: Event, scheduler: str | None = None) -> dict[str, dict]:
    """The same work as Dask tasks: workers need the toolkit installed and the folders on shared storage."""
    from distributed import Client, as_completed

    results: dict[str, dict] = {}
    with Client(scheduler, timeout="30s") as client:
        futures = {}
        for item in todo:
            future = client.submit(run_one, item.engagement_dir, str(out_root), cell_timeout, run_timeout,
                                   None, pure=False, key=f"workbook-{item.name}-{time.time_ns()}")
            futures[future] = item
            emit("started", {"engagement": item.name})
        for future in as_completed(futures):
            item = futures[future]
            try:
                results[item.engagement_dir] = future.result()
            except Exception as exc:  # a worker lost mid-task
                results[item.engagement_dir] = asdict(BatchItem(item.engagement_dir, item.name, BatchStatus.FAILED,
                                                                error=f"{type(exc).__name__}: {exc}"))
            emit(results[item.engagement_dir]["status"], {"engagement": item.name,
                                                           **results[item.engagement_dir]})
    return results
