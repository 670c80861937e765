"""`workbook run` and `workbook demo`: registered on the main parser by cli.build_parser."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from workbook.run.notebooks import UnknownNotebook
from workbook.run.runner import DEFAULT_CELL_TIMEOUT, DEFAULT_RUN_TIMEOUT, RunResult, run_engagement

EXIT_OK, EXIT_DATA = 0, 1


def add_run_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="validate, run the notebooks and write the deliverable",
                       description="Validate the engagement, execute the analysis notebooks through "
                                   "papermill and write the Excel deliverable to "
                                   "OUT/<engagement>/<run-stamp>/. Blocking data issues stop the run "
                                   "before anything is written (exit 1).")
    p.add_argument("engagement_dir", type=Path, help="the engagement folder (holds engagement.yaml)")
    _common(p)
    p.add_argument("--only", action="append", metavar="NOTEBOOK",
                   help="run only this notebook (e.g. 01 or 01_data_quality); repeatable. "
                        "Writes no deliverable and leaves 'latest' alone")
    p.add_argument("--fresh-kernels", action="store_true",
                   help="start a new kernel for every notebook (default: one kernel per run, its "
                        "namespace reset between notebooks)")
    p.set_defaults(handler=_run)

    p = sub.add_parser("demo", help="generate the synthetic demo client and run it end to end",
                       description="Generate the synthetic demo engagement in client_data/demo "
                                   "(deterministic), run it and print the deliverable's path.")
    _common(p)
    p.add_argument("--engagement-dir", type=Path, default=Path("client_data/demo"),
                   help="where to generate the demo engagement (default: client_data/demo)")
    p.set_defaults(handler=_demo)


    p = sub.add_parser("batch", help="re-run many engagements in parallel, skipping unchanged ones",
                       description="Run every engagement given (engagement folders, or folders of them), "
                                   "each in its own worker process, skipping those whose engagement.yaml, "
                                   "input files, notebooks and toolkit version are unchanged since their "
                                   "latest successful run. One failing engagement never stops the others; "
                                   "exit 1 when any failed.")
    p.add_argument("engagement_dirs", nargs="+", type=Path, metavar="DIR",
                   help="an engagement folder, or a folder of engagement folders")
    _common(p)
    p.add_argument("--jobs", type=int, default=None, help="engagements run at once (default: CPU cores)")
    p.add_argument("--force", action="store_true", help="re-run unchanged engagements too")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="a Dask distributed scheduler (tcp://HOST:PORT) to run the engagements on; "
                        "workers need the toolkit installed and the folders on shared storage")
    p.set_defaults(handler=_batch)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, default=Path("deliverables"),
                   help="deliverables folder (default: ./deliverables)")
    p.add_argument("--cell-timeout", type=int, default=DEFAULT_CELL_TIMEOUT,
                   help=f"seconds any one notebook cell may run (default {DEFAULT_CELL_TIMEOUT})")
    p.add_argument("--timeout", type=int, default=DEFAULT_RUN_TIMEOUT,
                   help=f"seconds the whole run may take (default {DEFAULT_RUN_TIMEOUT})")


class ConsoleProgress:
    """One line per step, so a consultant sees where a long run is."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self.started = time.monotonic()

    def __call__(self, event: str, info: dict) -> None:
        elapsed = time.monotonic() - self.started
        if event == "validated":
            self._line(f"validated {info['engagement']}: {info['blocking']} blocking, "
                       f"{info['warnings']} warning(s)")
        elif event == "notebook_started":
            self._line(f"[{info['index']}/{info['total']}] {info['notebook']} ...", end="")
        elif event == "notebook_finished":
            self.stream.write(f" ok ({info['seconds']:.1f} s)\n")
            self.stream.flush()
        elif event == "notebook_failed":
            self.stream.write(" FAILED\n")
        elif event == "writing_deliverable":
            self._line("writing the Excel deliverable ...")
        elif event == "succeeded":
            self._line(f"done in {elapsed:.1f} s")

    def _line(self, text: str, end: str = "\n") -> None:
        self.stream.write(text + end)
        self.stream.flush()


def report(result: RunResult) -> int:
    if result.status == "blocked":
        from workbook.cli.report import print_validation

        print_validation(result.data, limit=20)
        print("\nerror: the run did not start; nothing was written.", file=sys.stderr)
        return EXIT_DATA
    if result.status == "failed":
        failure = result.failure
        print(f"\nerror: notebook {failure.notebook} failed"
              + (f" in cell {failure.cell}" if failure.cell is not None else "") + ":", file=sys.stderr)
        print(f"  {failure.ename}: {failure.evalue}", file=sys.stderr)
        print(f"  executed notebook (with the error cell): {result.run_dir / 'notebooks' / (failure.notebook + '.ipynb')}",
              file=sys.stderr)
        print(f"  manifest: {result.run_dir / 'manifest.json'}", file=sys.stderr)
        print("  the previous successful deliverable (latest) was left in place", file=sys.stderr)
        return EXIT_DATA
    if result.status == "locked":
        print(f"error: {result.message}", file=sys.stderr)
        return EXIT_DATA
    if result.status == "partial":
        print(f"results and executed notebooks: {result.run_dir}")
        print(result.message)
        return EXIT_OK
    print(f"deliverable: {result.deliverable}")
    return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    try:
        result = run_engagement(args.engagement_dir, args.out, only=args.only,
                                cell_timeout=args.cell_timeout, run_timeout=args.timeout,
                                progress=ConsoleProgress(), fresh_kernels=args.fresh_kernels)
    except UnknownNotebook as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return report(result)


def _demo(args: argparse.Namespace) -> int:
    from workbook.demo import generate_demo

    folder = generate_demo(args.engagement_dir)
    print(f"demo engagement: {folder}")
    result = run_engagement(folder, args.out, cell_timeout=args.cell_timeout, run_timeout=args.timeout,
                            progress=ConsoleProgress())
    return report(result)


class BatchProgress:
    """A line per engagement event with elapsed time: engagement, notebook, status."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self.started = time.monotonic()

    def __call__(self, event: str, info: dict) -> None:
        name = info.get("engagement", "")
        elapsed = f"{time.monotonic() - self.started:7.1f}s"
        text = {
            "started": "started",
            "skipped": "skipped (unchanged since its latest successful run)",
            "notebook_started": f"{info.get('notebook', '')} running",
            "notebook_finished": f"{info.get('notebook', '')} ok ({info.get('seconds', 0):.1f} s)",
            "notebook_failed": f"{info.get('notebook', '')} FAILED",
            "writing_deliverable": "writing the deliverable",
            "ran": f"done ({info.get('seconds', 0):.1f} s)",
            "failed": f"FAILED: {info.get('error', '')}",
        }.get(event)
        if text:
            self.stream.write(f"{elapsed}  {name:<24} {text}\n")
            self.stream.flush()


def print_batch_summary(items, stream=None) -> None:
    stream = stream or sys.stdout
    width = max([len(i.name) for i in items] + [10])
    stream.write(f"\n{'engagement':<{width}}  {'status':<8} {'seconds':>8}  deliverable or error\n")
    stream.write("-" * (width + 60) + "\n")
    for i in items:
        detail = i.deliverable if i.status in ("ran", "skipped") else i.error
        stream.write(f"{i.name:<{width}}  {i.status:<8} {i.seconds:>8.1f}  {detail}\n")
    counts = {s: sum(1 for i in items if i.status == s) for s in ("ran", "skipped", "failed")}
    stream.write(f"\n{counts['ran']} ran, {counts['skipped']} skipped, {counts['failed']} failed\n")


def _batch(args: argparse.Namespace) -> int:
    from workbook.run.batch import run_batch

    if args.jobs is not None and args.jobs < 1:
        print("error: --jobs must be at least 1", file=sys.stderr)
        return 2
    items = run_batch(args.engagement_dirs, args.out, jobs=args.jobs, force=args.force,
                      scheduler=args.scheduler, cell_timeout=args.cell_timeout, run_timeout=args.timeout,
                      on_event=BatchProgress())
    print_batch_summary(items)
    return EXIT_DATA if any(i.status == "failed" for i in items) else EXIT_OK
