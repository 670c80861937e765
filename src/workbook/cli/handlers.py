"""What each `workbook` command does: thin calls into the package, console output from report.py.

Each handler returns the exit code: 0 success, 1 data or engagement errors, 2 usage errors.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbook.cli import EXIT_DATA, EXIT_OK, EXIT_USAGE
from workbook.cli.console import safe
from workbook.cli.report import (
    BatchProgress,
    ConsoleProgress,
    print_batch_summary,
    print_check,
    print_mapping,
    print_validation,
    read_line,
    report_run,
)
from workbook.errors import UnknownNotebook
from workbook.run.runner import run_engagement
from workbook.run.status import BatchStatus


def validate(args: argparse.Namespace) -> int:
    from workbook.intake.load import load_engagement_data
    from workbook.run.prepare import run_prepare

    prepared = run_prepare(args.engagement_dir)
    if prepared is not None:
        prepared.discard()   # validate keeps what the notebook wrote to prepared/, not its executed copy
        print(f"ran the engagement's prepare.ipynb ({prepared.seconds:.1f} s)")
    print(f"reading and checking every file of {Path(args.engagement_dir).name} ...", flush=True)
    data = load_engagement_data(args.engagement_dir, progress=lambda read: print(read_line(read), flush=True))
    print_validation(data, limit=None if args.all else 50)
    return EXIT_DATA if data.blocking else EXIT_OK


def new(args: argparse.Namespace) -> int:
    from workbook.engagement.scaffold import check_name, new_engagement

    if not args.from_files:
        folder = new_engagement(args.name, args.root, args.client)
        request = next(folder.glob("Data Request - *.xlsx"))
        print(f"created {folder}")
        print(f"created {request} (send it to the client; engagement.yaml says how to read it "
              "back)")
        print(f"next: copy the client's files there, edit {folder / 'engagement.yaml'}, "
              f"then run: workbook validate {folder}")
        return EXIT_OK
    from workbook.engagement.mapping import expand_paths, map_files, sources_block
    from workbook.intake.load import load_engagement_data

    check_name(args.name)
    files = expand_paths(args.from_files)
    proposal = map_files(files)
    target = args.root / args.name
    block = sources_block(proposal, target, people_fallback="roster.csv")
    print_mapping(proposal, block, target)
    if not proposal.ok:
        print(f"error: nothing was created: {safe('; '.join(proposal.problems))}. Leave those files out "
              "of --from (copy them in later) or ask the client for the export.", file=sys.stderr)
        return EXIT_DATA
    folder = new_engagement(args.name, args.root, args.client, files=files, sources_block=block)
    print(f"created {folder} with the client's {len(files)} file(s) and these sources in "
          f"{folder / 'engagement.yaml'}")
    print_check(load_engagement_data(folder))
    print(f"next: workbook validate {folder}")
    return EXIT_OK


def map_command(args: argparse.Namespace) -> int:
    from workbook.engagement.mapping import (
        engagement_folder,
        expand_paths,
        map_files,
        sources_block,
        validate_proposal,
    )
    from workbook.engagement.scaffold import write_engagement_config
    from workbook.errors import EngagementError
    from workbook.intake.load import load_engagement_data

    files = expand_paths(args.files)
    if not files:
        print("error: no CSV or Excel files in " + safe(", ".join(map(str, args.files))), file=sys.stderr)
        return EXIT_USAGE
    folder = args.write or args.validate or engagement_folder(files)
    proposal = map_files(files)
    block = sources_block(proposal, folder, people_fallback="roster.csv" if args.write else None)
    print_mapping(proposal, block, folder)
    code = EXIT_OK if proposal.ok else EXIT_DATA
    if args.write:
        if not proposal.ok:
            print(f"error: {args.write / 'engagement.yaml'} not written: "
                  f"{safe('; '.join(proposal.problems))}", file=sys.stderr)
            return EXIT_DATA
        config = write_engagement_config(args.write, block, files, args.client)
        print(f"wrote {config}")
        print_check(load_engagement_data(args.write))
        print(f"next: workbook validate {args.write}")
        return code
    if proposal.chosen and (args.validate or folder is not None):
        try:
            data = validate_proposal(proposal, folder)
        except (EngagementError, OSError) as exc:
            print(f"Not loaded: {safe(str(exc).split(': ', 1)[-1])}")
            return EXIT_DATA if args.validate else code
        print_check(data)
        if args.validate and data.blocking:
            return EXIT_DATA
    return code


def request(args: argparse.Namespace) -> int:
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


def run(args: argparse.Namespace) -> int:
    progress = ConsoleProgress()
    try:
        result = run_engagement(args.engagement_dir, args.out, only=args.only,
                                cell_timeout=args.cell_timeout, run_timeout=args.timeout,
                                progress=progress, fresh_kernels=args.fresh_kernels)
    except UnknownNotebook as exc:
        print(f"error: {safe(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except BaseException:   # the error is printed once, by main, on a line of its own
        progress.interrupted()
        raise
    return report_run(result)


def demo(args: argparse.Namespace) -> int:
    from workbook.demo import generate_demo

    default = "client_data/demo-follow-up" if args.follow_up else "client_data/demo"
    folder = generate_demo(args.engagement_dir or Path(default), people=args.people, follow_up=args.follow_up)
    print(f"demo engagement: {folder}")
    progress = ConsoleProgress()
    try:
        result = run_engagement(folder, args.out, cell_timeout=args.cell_timeout, run_timeout=args.timeout,
                                progress=progress)
    except BaseException:
        progress.interrupted()
        raise
    return report_run(result)


def batch(args: argparse.Namespace) -> int:
    from workbook.run.batch import run_batch

    if args.jobs is not None and args.jobs < 1:
        print("error: --jobs must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    items = run_batch(args.engagement_dirs, args.out, jobs=args.jobs, force=args.force,
                      scheduler=args.scheduler, cell_timeout=args.cell_timeout, run_timeout=args.timeout,
                      on_event=BatchProgress())
    print_batch_summary(items)
    return EXIT_DATA if any(i.status == BatchStatus.FAILED for i in items) else EXIT_OK


def present(args: argparse.Namespace) -> int:
    from workbook.cli.present import present as serve

    return serve(args)
