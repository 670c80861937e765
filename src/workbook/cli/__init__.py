"""The `workbook` command: thin argument handling over the package.

Exit codes: 0 success, 1 data or engagement errors, 2 usage errors.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbook import __version__
from workbook.engagement.config import EngagementError

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.handler(args)
    except EngagementError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        print("interrupted; nothing was published", file=sys.stderr)
        return 130


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
                                   "print each issue with file, row, column and value. Exits 1 when "
                                   "any issue is blocking.")
    p.add_argument("engagement_dir", type=Path, help="the engagement folder (holds engagement.yaml)")
    p.add_argument("--all", action="store_true", help="list every warning (default: first 50)")
    p.set_defaults(handler=_validate)

    p = sub.add_parser("new", help="scaffold a new engagement folder",
                       description="Create client_data/NAME/ with a commented engagement.yaml, "
                                   "an empty roster to fill and the client data-request workbook "
                                   "(see `workbook request`).")
    p.add_argument("name", help="engagement name: lowercase letters, digits, _ and -")
    p.add_argument("--client", help="the client's display name (default: from NAME)")
    p.add_argument("--root", type=Path, default=Path("client_data"),
                   help="folder holding engagements (default: ./client_data)")
    p.set_defaults(handler=_new)

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
    p.set_defaults(handler=_request)

    from workbook.cli.run_commands import add_run_commands

    add_run_commands(sub)
    return parser


def _validate(args: argparse.Namespace) -> int:
    from workbook.cli.report import print_validation
    from workbook.intake.load import load_engagement_data

    data = load_engagement_data(args.engagement_dir)
    print_validation(data, limit=None if args.all else 50)
    return EXIT_DATA if data.blocking else EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from workbook.engagement.scaffold import new_engagement

    folder = new_engagement(args.name, args.root, args.client)
    request = next(folder.glob("Data Request - *.xlsx"))
    print(f"created {folder}")
    print(f"created {request} (send it to the client; engagement.yaml says how to read it back)")
    print(f"next: copy the client's files there, edit {folder / 'engagement.yaml'}, "
          f"then run: workbook validate {folder}")
    return EXIT_OK


def _request(args: argparse.Namespace) -> int:
    from workbook.data_request import HEADER_ROW, sources_block
    from workbook.engagement.scaffold import new_request

    path = new_request(args.name, args.root, args.client, overwrite=args.force)
    print(f"created {path}")
    print(f"Send it to the client. When it comes back filled in, save it in {path.parent} and use "
          f"these sources in engagement.yaml (canonical column names, header in row {HEADER_ROW} of "
          "every sheet; sheets the client leaves empty load as empty tables):")
    print()
    print(sources_block(path.name), end="")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
