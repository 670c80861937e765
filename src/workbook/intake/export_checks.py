"""What the export itself got wrong, and how its labels were read, reported as DataIssues.

- CSV rows whose fields do not line up with the header: more fields than the header (an unquoted
  delimiter inside a value) shift every later value into the wrong column, so they are blocking;
  fewer fields are a warning (their missing values are reported where they matter).
- Formula cells saved without a computed value (a workbook written by a tool that does not
  calculate): they read as empty, so the client should open and save the file in Excel.
- How role labels (job levels, titles) were read: "label -> role, N rows", so a consultant sees
  every mapping the toolkit made instead of trusting a guess (labels that already are a role are
  not listed).
"""

from __future__ import annotations

import pandas as pd

from workbook.intake.issues import IssueLog, rows_text
from workbook.intake.readers import Grid

LABELS_REPORTED = {("people", "role"): "role"}


def report_export_problems(grid: Grid, header_row: int, skipped: set[int], table: str, file: str,
                           log: IssueLog) -> None:
    ragged = {row: n for row, n in grid.ragged_rows(header_row).items() if row not in skipped}
    if ragged:
        fields = grid.field_counts.get(header_row, grid.width or 0)
        longer = sorted(r for r, n in ragged.items() if n > fields)
        shorter = sorted(r for r, n in ragged.items() if n <= fields)
        if longer:
            log.add("blocking", table, file,
                    f"{len(longer)} row(s) have more fields than the header's {fields} (rows "
                    f"{rows_text(longer)}): probably a comma or delimiter inside a value that is not quoted, "
                    "so the values after it sit in the wrong columns; re-export with quoted text "
                    "(or as .xlsx), or fix those rows", row=longer[0])
        if shorter:
            log.add("warning", table, file,
                    f"{len(shorter)} row(s) have fewer fields than the header's {fields} (rows "
                    f"{rows_text(shorter)}): their last values are missing", row=shorter[0])
    formulas = sorted(grid.uncached_formulas.items())
    if formulas:
        (row, _), formula = formulas[0]
        log.add("warning", table, file,
                f"{len(formulas)} formula cell(s) were saved without their computed value and read as "
                f"empty (rows {rows_text(sorted({r for (r, _), _ in formulas}))}): open the file in Excel and "
                "save it, then send it again", row=row, value=formula)


def report_label_mapping(raw: pd.Series, parsed: pd.Series, table: str, column: str, file: str,
                         client_column: str, log: IssueLog) -> None:
    """One line saying how each distinct label of a coded column was read (role)."""
    what = LABELS_REPORTED.get((table, column))
    if what is None:
        return
    pairs = pd.DataFrame({"label": raw.astype("object"), "value": parsed.astype("object")}).dropna()
    label = pairs["label"].astype(str).str.strip()
    pairs = pairs[(label != "") & (label.str.casefold() != pairs["value"].astype(str))]
    if pairs.empty:
        return
    counts = pairs.groupby(["label", "value"], sort=False).size().sort_values(ascending=False)
    readings = [f"'{label}' -> {value} ({n} rows)" for (label, value), n in counts.items()]
    shown = "; ".join(readings[:12]) + (f"; and {len(readings) - 12} more" if len(readings) > 12 else "")
    log.add("warning", table, file, f"{what} labels read as: {shown}. Check them; map others in "
            "engagement.yaml or fix the labels at the source", column=client_column)
