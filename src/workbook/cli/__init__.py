"""The `workbook` command: thin argument handling over the package.

Exit codes: 0 success, 1 data or engagement errors, 2 usage errors, 3 a fault in the toolkit itself
(its traceback goes to a file the message names, never to the consultant's console).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import traceback
from pathlib import Path

from workbook.errors import WorkbookError, os_error_text

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def main(argv: list[str] | None = None) -> int:
    from workbook.cli.console import safe
    from workbook.cli.parser import build_parser

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.handler(args)
    except WorkbookError as exc:
        print(f"error: {safe(exc)}", file=sys.stderr)
        return EXIT_DATA
    except OSError as exc:   # a file the command could not read or write, wherever it was met
        print(f"error: {safe(os_error_text(exc, verb='read or write'))}", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        print("interrupted; nothing was published", file=sys.stderr)
        return 130
    except Exception as exc:   # a fault in the toolkit: a sentence here, the traceback in a file
        report = _write_fault_report(argv if argv is not None else sys.argv[1:])
        where = f"The details are in {report}; send that file to the toolkit's maintainers." if report else \
            "The details could not be saved."
        print(f"error: the toolkit failed unexpectedly ({type(exc).__name__}: {safe(exc)}). This is a fault "
              f"in the toolkit, not in your data; nothing was published. {where}", file=sys.stderr)
        return EXIT_INTERNAL


def _write_fault_report(argv: list[str]) -> Path | None:
    """The traceback of the exception being handled, with the command line, in a temporary file."""
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    try:
        with tempfile.NamedTemporaryFile("w", prefix=f"workbook-fault-{stamp}-", suffix=".txt", delete=False,
                                         encoding="utf-8") as fh:
            fh.write("workbook " + " ".join(argv) + "\n\n" + traceback.format_exc())
            return Path(fh.name)
    except OSError:
        return None
