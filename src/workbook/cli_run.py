"""`workbook run` and `workbook demo`: registered on the main parser by cli.build_parser."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from workbook.notebooks import UnknownNotebook
from workbook.runner import DEFAULT_CELL_TIMEOUT, DEFAULT_RUN_TIMEOUT, RunResult, run_engagement

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
    p.set_defaults(handler=_run)

    p = sub.add_parser("demo", help="generate the synthetic demo client and run it end to end",
                       description="Generate the synthetic demo engagement in client_data/demo "
                                   "(deterministic), run it and print the deliverable's path.")
    _common(p)
    p.add_argument("--engagement-dir", type=Path, default=Path("client_data/demo"),
                   help="where to generate the demo engagement (default: client_data/demo)")
    p.set_defaults(handler=_demo)


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
        from workbook.report import print_validation

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
                                progress=ConsoleProgress())
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
