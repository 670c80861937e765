"""What the export itself got wrong, and how its labels were read, reported as DataIssues.

- CSV rows whose fields do not line up with the header: more fields than the header (an unquoted
  delimiter inside a value) shift every later value into the wrong column, so they are blocking;
  fewer fields are a warning (their missing values are reported where they matter).
- CSV quotes that do not close where they should: a file cut off inside a quoted value (its last
  row is dropped), a stray quote that swallows the rest of the file or merges rows into one value:
  blocking, naming the row and the physical line.
- Formula cells saved without a computed value (a workbook written by a tool that does not
  calculate): they read as empty, so the client should open and save the file in Excel; one issue
  per column, blocking when the analysis uses the column.
- Two columns with the same header: the first is used (blocking when it is mapped and the values
  differ, since the other may be the right one).
- Cells far outside a sheet's table (a stray value at XFD1048576) that were ignored.
- How role labels (job levels, titles) were read: "label -> role, N rows", so a consultant sees
  every mapping the toolkit made instead of trusting a guess (labels that already are a role are
  not listed).
"""

from __future__ import annotations

import re

import pandas as pd

from workbook.intake.issues import IssueLog, rows_text
from workbook.intake.labels import normalise_header
from workbook.intake.readers import Grid, QuoteProblem, column_letter
from workbook.intake.schema import TABLE_SPECS

LABELS_REPORTED = {("people", "role"): "role"}


def report_export_problems(grid: Grid, header_row: int, skipped: set[int], table: str, file: str,
                           log: IssueLog, mapping: dict[str, str] | None = None) -> None:
    """Every problem of the export itself, as DataIssues naming the file, row and column.

    `mapping` is the client header -> canonical column mapping the table was read with (headers
    named as intake names them: a second 'Amount' is 'Amount (2)'); it decides which problems are
    blocking (a column the analysis uses). Without it, headers that are a canonical column name
    are taken as the mapped ones."""
    for problem in grid.quote_problems:
        _report_quote_problem(problem, table, file, log)
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
    headers = _headers(grid, header_row)
    used = mapping if mapping is not None else _canonical_headers(headers, table)
    _report_uncached_formulas(grid, header_row, headers, used, table, file, log)
    _report_duplicate_headers(grid, header_row, headers, used, table, file, log)
    if grid.stray_cells:
        log.add("warning", table, file,
                f"{len(grid.stray_cells)} cell(s) far outside the table in sheet '{grid.sheet}' were ignored "
                f"({', '.join(grid.stray_cells[:10])}{' ...' if len(grid.stray_cells) > 10 else ''}): "
                "probably typed or formatted by accident; if they matter, move them into the table",
                value=grid.stray_cells[0])


def _report_quote_problem(problem: QuoteProblem, table: str, file: str, log: IssueLog) -> None:
    if problem.kind == "cut_off":
        log.add("blocking", table, file,
                f"the file looks cut off: it ends inside a quoted value on line {problem.line}, so its "
                f"last row ({problem.row}) is incomplete and was not read; the last complete row is "
                f"{problem.row - 1}. Ask the client to export it again (the export or the copy was "
                "probably interrupted)", row=problem.row - 1, value=problem.sample)
    elif problem.kind == "unclosed":
        log.add("blocking", table, file,
                f"a stray quote in row {problem.row} (line {problem.line}) opens a value that never "
                f"closes: lines {problem.line}-{problem.end_line}, the rest of the file, would be one "
                "value, so they were not read. Fix the quote in that row, or ask the client to export "
                "again with quotes inside values doubled", row=problem.row, value=problem.sample)
    else:
        log.add("blocking", table, file,
                f"a stray quote in row {problem.row} (line {problem.line}) opens a value that runs to "
                f"line {problem.end_line}: the lines in between look like rows of their own but were "
                "read as part of that one value, so those rows are missing, and the rows below are "
                "numbered as Excel shows them (a text editor shows them further down). Fix the quote "
                "in that row, or ask the client to export again with quotes inside values doubled",
                row=problem.row, value=problem.sample)


def _header_names(grid: Grid, header_row: int) -> list[str]:
    """The header row's names as written (spaces collapsed; blank -> 'Column N')."""
    if header_row not in grid.cells.index:
        return []
    names = []
    for i, value in enumerate(grid.cells.loc[header_row]):
        text = " ".join(str(value).split()) if value is not None else ""
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        names.append(text if text not in ("", "nan") else f"Column {i + 1}")
    return names


def _headers(grid: Grid, header_row: int) -> list[str]:
    """The header row's names as intake names them: repeats -> 'Name (2)' (tables._dedupe)."""
    seen: dict[str, int] = {}
    out = []
    for name in _header_names(grid, header_row):
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def _canonical_headers(headers: list[str], table: str) -> dict[str, str]:
    spec = TABLE_SPECS[table]
    found: dict[str, str] = {}
    for name in headers:
        norm = normalise_header(name)
        if spec.is_mappable(norm) and norm not in found.values():
            found[name] = norm
    return found


def _position(grid: Grid, index: int) -> str:
    return f"column {column_letter(index)}" if grid.sheet is not None else f"field {index + 1}"


def _report_uncached_formulas(grid: Grid, header_row: int, headers: list[str], used: dict[str, str],
                              table: str, file: str, log: IssueLog) -> None:
    by_column: dict[int, list[tuple[int, str]]] = {}
    for (row, column), formula in sorted(grid.uncached_formulas.items()):
        if row >= header_row:
            by_column.setdefault(column, []).append((row, formula))
    for column, cells in sorted(by_column.items()):
        name = headers[column] if column < len(headers) else f"Column {column + 1}"
        canonical = used.get(name)
        rows = [r for r, _ in cells]
        where = f"{_position(grid, column)} ('{name}') of sheet '{grid.sheet}'"
        message = (f"{len(cells)} formula cell(s) in {where} were saved without their computed value, so "
                   f"they read as empty (rows {rows_text(rows)}): the file was written by a tool that does "
                   "not calculate formulas. Open it in Excel and save it (or export values), then send "
                   "it again")
        if canonical:
            message += f"; the analysis uses this column as {canonical}, so it cannot go ahead without them"
        log.add("blocking" if canonical else "warning", table, file, message, row=rows[0],
                column=name, value=cells[0][1])


def _report_duplicate_headers(grid: Grid, header_row: int, headers: list[str], used: dict[str, str],
                              table: str, file: str, log: IssueLog) -> None:
    groups: dict[str, list[int]] = {}
    for i, name in enumerate(_header_names(grid, header_row)):
        groups.setdefault(name, []).append(i)
    body = grid.below(header_row)
    for name, positions in groups.items():
        if len(positions) < 2 or re.fullmatch(r"Column [0-9]+", name):
            continue
        copies = [headers[i] for i in positions]
        where = " and ".join(_position(grid, i) for i in positions)
        chosen = next((c for c in copies if c in used), None)
        same = all(_same_values(body[positions[0]], body[i]) for i in positions[1:])
        if chosen is None:
            continue   # none of them is used: nothing is read from the wrong one
        first = positions[copies.index(chosen)]
        others = ", ".join(f"'{c}'" for c in copies if c != chosen)
        message = (f"{len(positions)} columns are headed '{name}' ({where}): {_position(grid, first)} is "
                   f"read as {used[chosen]}; the other(s) read as {others}")
        if same:
            log.add("warning", table, file, message + " (they hold the same values)", row=header_row,
                    column=name)
        elif chosen == name:
            log.add("blocking", table, file,
                    message + ", and their values differ. Check which holds the right values: to use "
                    f"another, map it by that name in engagement.yaml (e.g. '{copies[1]}: {used[chosen]}'); "
                    "if the first is right, ask the client to rename or remove the others",
                    row=header_row, column=name)
        else:
            log.add("warning", table, file, message + " (mapped by that name in engagement.yaml)",
                    row=header_row, column=name)


def _same_values(a: pd.Series, b: pd.Series) -> bool:
    return bool((a.astype(str).str.strip().to_numpy() == b.astype(str).str.strip().to_numpy()).all())


def report_label_mapping(raw: pd.Series, parsed: pd.Series, table: str, column: str, file: str,
                         client_column: str, log: IssueLog) -> None:
    """One line saying how each distinct label of a coded column was read (role)."""
    what = LABELS_REPORTED.get((table, column))
    if what is None:
        return
    pairs = pd.DataFrame({"label": raw, "value": parsed}).dropna()
    counts = pairs.groupby(["label", "value"], sort=False, observed=True).size().reset_index(name="n")
    label = counts["label"].astype(str).str.strip()
    counts = counts[(label != "") & (label.str.casefold() != counts["value"].astype(str))]
    if counts.empty:
        return
    counts = counts.set_index(["label", "value"])["n"].sort_values(ascending=False, kind="stable")
    readings = [f"'{label}' -> {value} ({n} rows)" for (label, value), n in counts.items()]
    shown = "; ".join(readings[:12]) + (f"; and {len(readings) - 12} more" if len(readings) > 12 else "")
    log.add("warning", table, file, f"{what} labels read as: {shown}. Check them; map others in "
            "engagement.yaml or fix the labels at the source", column=client_column)
