"""The `workbook` command: thin argument handling over the package.

Exit codes: 0 success, 1 data or engagement errors, 2 usage errors.
"""

from __future__ import annotations

import sys

from workbook.errors import WorkbookError, os_error_text

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


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
