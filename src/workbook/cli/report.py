"""Readable console output for `workbook validate` and the run commands."""

from __future__ import annotations

from workbook.intake.issues import DataIssue
from workbook.intake.load import EngagementData


def print_validation(data: EngagementData, limit: int | None = 50) -> None:
    e = data.engagement
    print(f"{e.client} ({e.name})  -  {e.folder}")
    as_of = data.as_of.isoformat() if data.as_of else "unknown (no dated data)"
    print(f"as of {as_of}{'' if e.as_of else ' (latest date in the data)'}\n")
    counts = data.row_counts()
    print(f"{'table':<14}{'file':<34}{'read':>9}{'used':>9}{'skipped':>9}  status")
    for r in counts.itertuples():
        print(f"{r.table:<14}{_cut(r.file, 33):<34}{r.rows_read:>9,}{r.rows_used:>9,}"
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
        print(f"  - {i.location()}: {i.message}{value}")
    if limit is not None and len(issues) > limit:
        print(f"  ... {len(issues) - limit} more (use --all, or see data_issues.csv after a run)")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
