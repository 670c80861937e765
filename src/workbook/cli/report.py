"""What the `workbook` command prints: validation results, run progress, how a run or batch ended."""

from __future__ import annotations

import sys
import time

from workbook.cli import EXIT_DATA, EXIT_OK
from workbook.cli.console import safe
from workbook.intake.issues import DataIssue
from workbook.intake.load import EngagementData
from workbook.run.runner import RunResult
from workbook.run.status import BatchStatus, RunStatus


def print_validation(data: EngagementData, limit: int | None = 50) -> None:
    e = data.engagement
    print(f"{safe(e.client)} ({e.name})  -  {safe(e.folder)}")
    as_of = data.as_of.isoformat() if data.as_of else "unknown (no dated data)"
    how = getattr(data, "as_of_how", "") or ("set in engagement.yaml" if e.as_of else "the latest date in the data")
    print(f"as of {as_of} ({how})\n" if data.as_of else f"as of {as_of}\n")
    counts = data.row_counts()
    print(f"{'table':<14}{'file':<34}{'read':>9}{'used':>9}{'skipped':>9}  status")
    for r in counts.itertuples():
        print(f"{r.table:<14}{_cut(safe(r.file), 33):<34}{r.rows_read:>9,}{r.rows_used:>9,}"
              f"{r.rows_skipped:>9,}  {r.status}")
    if data.org is not None:
        people = data.org.people
        roles = people["role"].value_counts()
        print(f"\norg: {roles.get('leader', 0)} leaders, {roles.get('manager', 0)} front-line managers, "
              f"{roles.get('rep', 0)} reps")
    blocking, warnings = data.blocking, data.warnings
    print()
    _print_group("BLOCKING", blocking, None)
    _print_group("warnings", warnings, limit)
    if blocking:
        print(f"\n{len(blocking)} blocking issue(s): fix them (or engagement.yaml) and validate again.")
    elif warnings:
        print(f"\nNo blocking issues; {len(warnings)} warning(s). The data can be analysed.")
    else:
        print("\nNo issues found. The data can be analysed.")


def _print_group(title: str, issues: list[DataIssue], limit: int | None) -> None:
    if not issues:
        return
    print(f"{title} ({len(issues)}):")
    shown = issues if limit is None else issues[:limit]
    for i in shown:
        value = f"  value: {i.value!r}" if i.value != "" else ""
        print(f"  - {safe(i.location())}: {safe(i.message)}{value}")
    if limit is not None and len(issues) > limit:
        print(f"  ... {len(issues) - limit} more (use --all, or see data_issues.csv after a run)")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def read_line(read: dict) -> str:
    """'  read crm_deals_export.csv (sales): 4,999,062 rows in 9.8 s', as intake reads each file."""
    if read["rows"] is None:
        return f"  could not read {safe(read['file'])} ({read['table']}): see the blocking issues below"
    return f"  read {safe(read['file'])} ({read['table']}): {read['rows']:,} rows in {read['seconds']:.1f} s"


class ConsoleProgress:
    """One line per step, so a consultant sees where a long run is."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self.started = time.monotonic()
        self.open = False   # a "[1/5] 01_data_quality ..." line waiting for its " ok"

    def __call__(self, event: str, info: dict) -> None:
        elapsed = time.monotonic() - self.started
        self.open = event == "notebook_started"
        if event == "validating":
            self._line(f"validating {info['engagement']} (reading and checking every file) ...")
        elif event == "read":
            self._line(read_line(info))
        elif event == "validated":
            as_of = f"; as of {info['as_of']:%Y-%m-%d} ({info['as_of_how']})" if info.get("as_of") else ""
            self._line(f"validated {info['engagement']}: {info['blocking']} blocking, "
                       f"{info['warnings']} warning(s){as_of}")
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

    def interrupted(self) -> None:
        """The run stopped mid-notebook (an error follows on stderr): finish the line."""
        if self.open:
            self._line(" stopped")
            self.open = False


def report_run(result: RunResult) -> int:
    """Print how a run ended; the exit code."""
    if result.status == RunStatus.BLOCKED:
        print_validation(result.data, limit=20)
        print("\nerror: the run did not start; nothing was written.", file=sys.stderr)
        return EXIT_DATA
    if result.status == RunStatus.FAILED:
        failure = result.failure
        print(f"\nerror: notebook {failure.notebook} failed"
              + (f" in cell {failure.cell}" if failure.cell is not None else "") + ":", file=sys.stderr)
        print(f"  {safe(failure.ename)}: {safe(failure.evalue)}", file=sys.stderr)
        advice = _write_advice(failure.ename, failure.evalue)
        if advice:
            print(f"  {advice}", file=sys.stderr)
        print(f"  executed notebook (with the error cell): {result.run_dir / 'notebooks' / (failure.notebook + '.ipynb')}",
              file=sys.stderr)
        print(f"  manifest: {result.run_dir / 'manifest.json'}", file=sys.stderr)
        print("  the previous successful deliverable (latest) was left in place", file=sys.stderr)
        return EXIT_DATA
    if result.status == RunStatus.LOCKED:
        print(f"error: {safe(result.message)}", file=sys.stderr)
        return EXIT_DATA
    if result.status == RunStatus.PARTIAL:
        print(f"results and executed notebooks: {result.run_dir}")
        print(result.message)
        return EXIT_OK
    print(f"deliverable: {result.deliverable}")
    return EXIT_OK


def _write_advice(ename: str, evalue: str) -> str:
    """What to do when a notebook could not write its results (a full disk, a read-only folder)."""
    if ename not in ("OSError", "PermissionError") and "Errno" not in evalue:
        return ""
    if "Errno 28]" in evalue or "Errno 122]" in evalue:
        return ("the disk is full: free some space there (or give --out a folder on another disk) "
                "and run again")
    if any(f"Errno {n}]" in evalue for n in (1, 13, 30)):
        return ("the notebook could not write there: give --out a folder you can write to (or fix "
                "the folder's permissions) and run again")
    return ""


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
            "failed": f"FAILED: {safe(info.get('error', ''))}",
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
        detail = i.deliverable if i.status in (BatchStatus.RAN, BatchStatus.SKIPPED) else i.error
        stream.write(f"{safe(i.name):<{width}}  {i.status:<8} {i.seconds:>8.1f}  {safe(detail)}\n")
    counts = {s: sum(1 for i in items if i.status == s) for s in (BatchStatus.RAN, BatchStatus.SKIPPED, BatchStatus.FAILED)}
    stream.write(f"\n{counts['ran']} ran, {counts['skipped']} skipped, {counts['failed']} failed\n")


def print_mapping(proposal, block: str, folder=None) -> None:
    """`workbook map`: per file, its table and each column's mapping; then the sources: block."""
    for f in proposal.files:
        if f.error:
            print(f"{safe(f.path.name)}: could not be read: {safe(f.error)}\n")
            continue
        if not f.recognised:
            reasons = "; ".join(s.reason for s in f.sheets if s.reason) or "no data"
            print(f"{safe(f.path.name)}: not recognised: {safe(reasons)}\n")
            continue
        for s in f.sheets:
            if s.table:
                _print_sheet_map(s)
            elif s.reason != "empty":
                print(f"{safe(s.label)}: not recognised ({safe(s.reason)})\n")
    for table, others in proposal.others.items():
        if others:
            chosen = proposal.chosen[table]
            names = safe(", ".join(s.label for s in [chosen, *others]))
            print(f"{len(others) + 1} files look like {table}: {names}. Proposing the most "
                  f"complete, {safe(chosen.label)} ({len(chosen.mapping)} mapped columns, "
                  f"{chosen.rows:,} rows); engagement.yaml takes one file per table.\n")
    if not proposal.chosen:
        print("No file was recognised: nothing to propose.")
        return
    where = (f"paths relative to {folder}" if folder is not None else
             "paths are file names: copy the files into the engagement folder")
    print(f"Proposed sources for engagement.yaml ({where}):\n")
    print(block)


def _print_sheet_map(s) -> None:
    header = f", header in row {s.header_row}" if s.header_row != 1 else ""
    print(f"{safe(s.label)}: {s.table} ({s.confidence} confidence){header}, {s.rows:,} rows")
    width = min(max([len(safe(c.header)) for c in s.columns] + [13]), 32)
    print(f"  {'client column':<{width}}  {'canonical':<17}{'confidence':<12}values seen")
    for c in s.columns:
        target = c.column or "(not used)"
        print(f"  {_cut(safe(c.header), width):<{width}}  {target:<17}{c.confidence or '':<12}"
              f"{_values(c.samples)}")
        if c.note:
            print(f"  {'':<{width}}  note: {safe(c.note)}")
    for table, columns in s.also.items():
        found = safe(", ".join(f"{theirs} -> {ours}" for theirs, ours in columns.items()))
        print(f"  also has {table} columns ({found}): the same file can be the {table} source")
    print()


def _values(samples) -> str:
    if not samples:
        return "(empty)"
    return safe(", ".join(f'"{v}"' if "," in v else v for v in samples))


def print_check(data) -> None:
    """The proposal loaded as `workbook validate` loads it: rows per table and the issues."""
    print("Loaded as `workbook validate` would:")
    for r in data.row_counts().itertuples():
        if r.status != "not provided":
            print(f"  {r.table:<14}{_cut(safe(r.file), 33):<34}{r.rows_read:>7,} read"
                  f"{r.rows_used:>7,} used  {r.status}")
    blocking, warnings = data.blocking, data.warnings
    _print_group("BLOCKING", blocking, 10)
    if blocking:
        print(f"{len(blocking)} blocking issue(s): fix the mapping (or the data) before a run.")
    else:
        print(f"No blocking issues; {len(warnings)} warning(s) (`workbook validate` lists them).")
