"""The `workbook` command line: every command, its arguments and its help text."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbook import __version__
from workbook.cli import handlers
from workbook.run.runner import DEFAULT_CELL_TIMEOUT, DEFAULT_RUN_TIMEOUT


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbook",
        description="Manager-first sales-effectiveness assessments: client exports in, "
                    "a client-ready Excel deliverable out.",
        epilog="Exit codes: 0 success, 1 data or engagement errors, 2 usage errors.")
    parser.add_argument("--version", action="version", version=f"workbook {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = sub.add_parser("validate", help="check an engagement's data and print every issue",
                       description="Load engagement.yaml and every client file, check them, and "
                                   "print each issue with file, row, column and value (after running the "
                                   "engagement's prepare.ipynb, if it has one). Exits 1 when "
                                   "any issue is blocking.")
    p.add_argument("engagement_dir", type=Path, help="the engagement folder (holds engagement.yaml)")
    p.add_argument("--all", action="store_true", help="list every warning (default: first 50)")
    p.set_defaults(handler=handlers.validate)

    p = sub.add_parser("new", help="scaffold a new engagement folder",
                       description="Create client_data/NAME/ with a commented engagement.yaml, "
                                   "an empty roster to fill and the client data-request workbook "
                                   "(see `workbook request`). With --from, the client's files are "
                                   "copied in and their mapping (see `workbook map`) is written "
                                   "into engagement.yaml's sources.")
    p.add_argument("name", help="engagement name: lowercase letters, digits, _ and -")
    p.add_argument("--client", help="the client's display name (default: from NAME)")
    p.add_argument("--root", type=Path, default=Path("client_data"),
                   help="folder holding engagements (default: ./client_data)")
    p.add_argument("--from", dest="from_files", nargs="+", type=Path, metavar="FILE",
                   help="the client's files (or a folder of them): copied into the new folder, "
                        "mapped as `workbook map` does, their sources written into "
                        "engagement.yaml; nothing is created when one cannot be read or recognised")
    p.set_defaults(handler=handlers.new)

    p = sub.add_parser("map", help="recognise client files and propose engagement.yaml's sources",
                       description="Read each file (a CSV, or every sheet of a workbook), "
                                   "recognise which canonical table it holds (people, sales, "
                                   "coaching, training, survey, compensation) from its headers and "
                                   "values, and print each client column's canonical column with "
                                   "a confidence "
                                   "and the values seen, then a ready-to-paste `sources:` block. "
                                   "When the files are in an engagement folder, the proposal is "
                                   "also loaded as `workbook validate` would (nothing is written). "
                                   "Exits 1 when a file cannot be read or recognised.")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE",
                   help="client files (.csv, .xlsx, .xlsm, .xls), or a folder of them")
    target = p.add_mutually_exclusive_group()
    target.add_argument("--write", type=Path, metavar="DIR",
                        help="write DIR/engagement.yaml with these sources, copying the files into "
                             "DIR; an existing engagement.yaml is never overwritten")
    target.add_argument("--validate", type=Path, metavar="DIR",
                        help="load the proposal as `workbook validate DIR` would, with DIR's "
                             "engagement.yaml for everything else, writing nothing; exit 1 on "
                             "blocking issues")
    p.add_argument("--client", help="the client's name for --write (default: from DIR)")
    p.set_defaults(handler=handlers.map_command)

    p = sub.add_parser("request", help="write the client data-request workbook",
                       description="Write 'Data Request - <Client>.xlsx' into client_data/NAME/: "
                                   "an Instructions sheet and one sheet per table (People, Sales, "
                                   "Coaching, Training, Survey, Compensation) with the canonical "
                                   "column names in row 6, drop-downs and date/number checks, for "
                                   "the client to fill in and return. Prints the engagement.yaml "
                                   "`sources:` block that reads the returned workbook as is.")
    p.add_argument("name", help="engagement name: lowercase letters, digits, _ and -")
    p.add_argument("--client", help="the client's display name (default: client in the folder's "
                                    "engagement.yaml, else from NAME)")
    p.add_argument("--root", type=Path, default=Path("client_data"),
                   help="folder holding engagements (default: ./client_data)")
    p.add_argument("--force", action="store_true",
                   help="replace an existing request workbook (it may be the client's filled-in copy)")
    p.set_defaults(handler=handlers.request)

    add_run_commands(sub)
    add_present_command(sub)
    return parser


def add_present_command(sub) -> None:
    from workbook.cli.present import DEFAULT_PORT, port_number

    p = sub.add_parser("present", help="serve the what-if explorer to a room (Voilà, this machine only)",
                       description="Serve the what-if explorer for ENGAGEMENT_DIR as a page with no "
                                   "code, no JupyterLab and no file paths, laid out for a projector: "
                                   "Voilà runs notebooks/present.ipynb in this environment's kernel on "
                                   "http://127.0.0.1:PORT/ (reachable from this machine only) and the "
                                   "browser opens on it. The folder must hold engagement.yaml; the page "
                                   "cannot switch to another. Ctrl-C stops it. Exits 1 when the folder "
                                   "is not an engagement or the server cannot start, 2 when the port "
                                   "is taken.")
    p.add_argument("engagement_dir", type=Path, metavar="ENGAGEMENT_DIR",
                   help="the engagement folder (holds engagement.yaml)")
    p.add_argument("--port", type=port_number, default=None,
                   help=f"port to serve on, 1024-65535 (default {DEFAULT_PORT}, or a free one when "
                        f"{DEFAULT_PORT} is taken); an explicit port that is taken is an error")
    p.add_argument("--no-browser", action="store_true",
                   help="do not open a browser; just print the address to open")
    p.set_defaults(handler=handlers.present)


def add_run_commands(sub) -> None:
    """run, demo and batch."""
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
    p.set_defaults(handler=handlers.run)

    p = sub.add_parser("demo", help="generate the synthetic demo client and run it end to end",
                       description="Generate the synthetic demo engagement in client_data/demo "
                                   "(deterministic), run it and print the deliverable's path. "
                                   "With --follow-up, the same client six months later, in "
                                   "client_data/demo-follow-up.")
    _common(p)
    p.add_argument("--engagement-dir", type=Path, default=None,
                   help="where to generate the demo engagement (default: client_data/demo, or "
                        "client_data/demo-follow-up with --follow-up)")
    p.add_argument("--follow-up", action="store_true",
                   help="the same client with six more months of exports in which trained managers' "
                        "teams coach 50%% more and core reps sell 12%% more after a one-month ramp "
                        "(its runs land beside the demo's, so Changes Since Last Run compares them). "
                        "With the demo's 12 managers the Programme Impact sheet's intervals are wide "
                        "(they cover the planted effect and zero); with --people 600 they find it")
    p.add_argument("--people", type=_at_least_100, default=120,
                   help="roster size of the synthetic client (default 120: 12 front-line managers; "
                        "at least 100)")
    p.set_defaults(handler=handlers.demo)

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
    p.set_defaults(handler=handlers.batch)


def _at_least_100(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 100:
        raise argparse.ArgumentTypeError(f"{value} is too small: the demo needs at least 100 people")
    return value


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, default=Path("deliverables"),
                   help="deliverables folder (default: ./deliverables)")
    p.add_argument("--cell-timeout", type=int, default=DEFAULT_CELL_TIMEOUT,
                   help=f"seconds any one notebook cell may run (default {DEFAULT_CELL_TIMEOUT})")
    p.add_argument("--timeout", type=int, default=DEFAULT_RUN_TIMEOUT,
                   help=f"seconds the whole run may take (default {DEFAULT_RUN_TIMEOUT})")
