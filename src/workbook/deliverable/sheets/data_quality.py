"""Data Quality: what was read, what was used, and every problem found in the client's files."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from workbook.deliverable import style
from workbook.intake.issues import ISSUE_COLUMNS

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

TITLE = "Data Quality"
COUNT_COLUMNS = {
    "table": "Table",
    "file": "File",
    "rows_read": "Rows read",
    "rows_used": "Rows used",
    "rows_skipped": "Rows skipped",
}
ISSUE_HEADERS = {
    "severity": "Severity",
    "table": "Table",
    "file": "File",
    "row": "Row in file",
    "column": "Column",
    "value": "Value found",
    "message": "What is wrong",
}
COUNTS_NOTE = (
    "Rows read are the data rows found in each file (title, header and blank rows are not counted). "
    "Rows used feed the analyses. Rows skipped were left out, for example totals footers or rows "
    "with a blocking issue listed below."
)
SEVERITY_ORDER = {"blocking": 0, "warning": 1}
MAX_FROZEN_ROWS = 30  # freeze the issues header only while the rows above it still leave room to scroll


def display_name(value: object) -> object:
    """'people' -> 'People', 'training_records' -> 'Training records': for display only.

    The results CSV keeps the canonical lower-case values; missing values stay missing.
    """
    if not isinstance(value, str) or not value:
        return value
    text = value.replace("_", " ")
    return text[:1].upper() + text[1:]


def for_display(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    shown = frame.copy()
    for column in columns:
        if column in shown.columns:
            shown[column] = shown[column].map(display_name).astype(object)
    return shown


def sorted_issues(issues: pd.DataFrame) -> pd.DataFrame:
    """Blocking first, then warnings; within each, by table, file and row."""
    frame = issues.reindex(columns=ISSUE_COLUMNS).copy()
    frame["_order"] = frame["severity"].map(SEVERITY_ORDER).fillna(2)
    frame["_row"] = pd.to_numeric(frame["row"], errors="coerce")
    frame = frame.sort_values(["_order", "table", "file", "_row"], kind="stable", na_position="first")
    return frame.drop(columns=["_order", "_row"]).reset_index(drop=True)


def summary_sentence(issues: pd.DataFrame) -> str:
    if issues.empty:
        return "No data issues were found: every check on the files received passed."
    blocking = int((issues["severity"] == "blocking").sum())
    warnings = int((issues["severity"] == "warning").sum())
    parts = []
    if blocking:
        parts.append(f"{blocking} blocking issue{'s' if blocking != 1 else ''} (shaded red) must be fixed "
                     "in the client's files before the numbers can be relied on")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}: rows or values the toolkit "
                     "corrected or left out, listed so they can be checked")
    return "; ".join(parts) + ". Row numbers are as in the client's own file."


def reconciliation(ctx: DeliverableContext) -> str:
    """From the roster to the reps assessed, in one sentence with the counts each sheet uses."""
    counts = ctx.row_counts
    readiness = ctx.results.get("manager_readiness")
    if counts is None or counts.empty or readiness is None or readiness.empty:
        return ""
    people = counts[counts["table"].astype(str) == "people"]
    if people.empty:
        return ""
    read = int(pd.to_numeric(people["rows_read"], errors="coerce").fillna(0).sum())
    used = int(pd.to_numeric(people["rows_used"], errors="coerce").fillna(0).sum())
    reps_now = int(pd.to_numeric(readiness["team_size"], errors="coerce").fillna(0).sum())
    text = (f"From roster to assessment: {read:,} roster rows read, {used:,} people used (current staff "
            f"and leavers), {len(readiness):,} front-line managers in post with {reps_now:,} reps in post "
            "on the as-of date (the reps to train and the teams scored)")
    gaps = ctx.results.get("coaching_gaps")
    if gaps is not None and "reps" in gaps:
        window = int(pd.to_numeric(gaps["reps"], errors="coerce").fillna(0).sum())
        text += (f"; {window:,} reps on those teams at some point in the analysis window, leavers "
                 "included (coaching hours and attrition count their months on the team)")
    return text + "."


def build(book: DeliverableBook, ctx: DeliverableContext) -> None:
    ws = book.sheet(TITLE)
    row = book.write_title(ws, "Data Quality", "What in the data received could not be used, and why.")

    issues = sorted_issues(ctx.data_issues)
    counts = for_display(ctx.row_counts.reindex(columns=list(COUNT_COLUMNS)), ["table"])
    counts = counts.rename(columns=COUNT_COLUMNS)
    ws.write_string(row, 0, "Rows per file", book.fmt("heading"))
    row += 1
    last = book.write_table(
        ws, row, counts, "row_counts", freeze=issues.empty,  # with issues, their list is the main table
        column_kinds={"Rows read": "count", "Rows used": "count", "Rows skipped": "count"},
        widths={"File": 22},
    )
    row = last + 1
    ws.merge_range(row, 0, row, 4, None, book.fmt("note"))
    book.safe_write(ws, row, 0, COUNTS_NOTE, book.fmt("note"))
    ws.set_row(row, book.wrapped_height(COUNTS_NOTE, 95))
    reconciled = reconciliation(ctx)
    if reconciled:
        row += 1
        ws.merge_range(row, 0, row, 6, None, book.fmt("wrap"))
        book.safe_write(ws, row, 0, reconciled, book.fmt("wrap"))
        ws.set_row(row, book.wrapped_height(reconciled, 140))

    row += 2
    ws.write_string(row, 0, "Data issues", book.fmt("heading"))
    row += 1
    summary = summary_sentence(issues)
    summary_fmt = book.fmt("wrap", bold=not issues.empty)
    ws.merge_range(row, 0, row, 6, None, summary_fmt)
    ws.write_string(row, 0, summary, summary_fmt)
    ws.set_row(row, book.wrapped_height(summary, 150))
    if issues.empty:
        return
    row += 2
    shown = for_display(issues, ["severity", "table"]).rename(columns=ISSUE_HEADERS)
    first = row
    # the issue list is the long table: its header is frozen and repeated on every printed page
    last = book.write_table(
        ws, first, shown, "data_issues", freeze=first <= MAX_FROZEN_ROWS, repeat_header=True,
        column_kinds={"Value found": "wrap", "What is wrong": "wrap", "Severity": "text", "Row in file": "row"},
        formats_by_column={"Row in file": book.kind_format("row", align="center")},
        widths={"File": 22, "Value found": 16, "What is wrong": 42},
    )
    data_range = (first + 1, 0, last, len(ISSUE_COLUMNS) - 1)
    for severity, fill in (("blocking", "blocking"), ("warning", "warning")):
        label = display_name(severity)
        ws.conditional_format(
            *data_range,
            {"type": "formula", "criteria": f'=$A{first + 2}="{label}"', "format": _cf(book, fill)},
        )


def _cf(book: DeliverableBook, name: str):
    """Conditional formats take a fill only (no font), so they sit over the table style."""
    return book.workbook.add_format({"bg_color": style.STYLES[name]["bg_color"]})
