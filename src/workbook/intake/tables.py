"""Client files -> canonical tables: mapping, header detection, skipping, cleaning.

One function per step, each reporting what it could not do as DataIssue
rows rather than raising: a consultant wants every problem in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbook.engagement.config import Source
from workbook.engagement.suggest import nearest
from workbook.errors import ReadError
from workbook.intake import cleaning, distinct, labels, money
from workbook.intake.export_checks import report_export_problems, report_label_mapping
from workbook.intake.footers import blank_and_footer_rows
from workbook.intake.issues import IssueLog
from workbook.intake.readers import Grid, read_grid
from workbook.intake.schema import ADKAR, TABLE_SPECS, TableSpec
from workbook.intake.source_rules import annualise, apply_source_rules, built_mapping, built_names
from workbook.intake.vocabulary import ENUMS

ROW = "_row"  # the client's row number travels with every canonical row
HEADER_SCAN_ROWS = 30


@dataclass
class TableLoad:
    table: str
    file: str
    frame: pd.DataFrame       # the rows as read; emptied once its table is resolved (the tables hold them)
    rows_read: int = 0
    rows_skipped: int = 0
    header_row: int | None = None
    sheet: str | None = None


def load_table(source: Source, log: IssueLog) -> TableLoad | None:
    """Read one source into its canonical table, or None when the file cannot be used."""
    spec = TABLE_SPECS[source.table]
    file = source.display_name
    try:
        grid = read_grid(source.path, source.sheet, source.encoding)
    except ReadError as exc:
        log.add("blocking", source.table, file, str(exc))
        return None
    if grid.note:
        log.add("warning", source.table, file, grid.note)
    header_row = _header_row(grid, source, spec, log)
    if header_row is None:
        return None
    header = [_header_text(v, i) for i, v in enumerate(grid.cells.loc[header_row])]
    body = grid.below(header_row).copy()
    body.columns = _dedupe(header)
    rows_read = len(body)
    body = apply_source_rules(body, source, log, header_row)
    added = [lookup.name for lookup in source.lookups]   # columns the lookups bring in
    mapping = _column_mapping(header + added, source, spec, log, header_row)
    if mapping is None or body is None:
        return None
    mapping = built_mapping(source, mapping)
    body = body[list(mapping)].rename(columns=mapping)
    client_names = {ours: theirs for theirs, ours in mapping.items()} | built_names(source)
    skip = blank_and_footer_rows(body, source, log)
    if spec.name == "survey" and "dimension" not in body.columns:
        body = _melt_wide_survey(body[~skip], source, log)
        if body is None:
            return None
        skip = pd.Series(False, index=body.index)
    report_export_problems(grid, header_row, set(body.index[skip.to_numpy()]), spec.name, file, log,
                           mapping=mapping)
    if not _required_present(body, spec, source, log, header_row):
        return None
    # cleaned before the skipped rows are dropped: each column is then factorised once, for the
    # skip checks and the cleaning alike (see distinct.on_uniques)
    frame, bad_cells = _clean_columns(body, spec, source, log, client_names, skip)
    frame = annualise(frame, source)
    if skip.any():
        keep = ~skip.to_numpy()
        frame = frame[keep]
        # the cells' flags as arrays on the kept rows' index: a boolean Series selection per column
        # costs ~0.1 s on a 5-million-row export
        bad_cells = {k: pd.Series(v.to_numpy(dtype=bool)[keep], index=frame.index) for k, v in bad_cells.items()}
    frame = _drop_incomplete_rows(frame, spec, source, log, client_names, bad_cells)
    distinct.forget_columns(body)
    return TableLoad(spec.name, file, frame, rows_read, rows_read - len(frame), header_row, grid.sheet)


def _header_text(value: object, position: int) -> str:
    text = " ".join(str(value).split()) if value is not None else ""
    if text in ("", "nan"):
        return f"Column {position + 1}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return text


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


def _expected_headers(source: Source, spec: TableSpec) -> set[str]:
    names = {labels.normalise_header(k) for k in source.columns}
    names |= {c for c in spec.mappable_columns()}
    return names


def _header_row(grid: Grid, source: Source, spec: TableSpec, log: IssueLog) -> int | None:
    file = source.display_name
    last = len(grid.cells)
    if source.header_row is not None:
        if source.header_row > last:
            log.add("blocking", spec.name, file,
                    f"header_row is {source.header_row} but the "
                    f"{'sheet' if grid.sheet else 'file'} has only {last} row(s); "
                    "check sources." + spec.name + ".header_row in engagement.yaml",
                    column="", value=source.header_row)
            return None
        if cleaning.is_blank(grid.cells.loc[source.header_row]).all():
            log.add("blocking", spec.name, file,
                    f"header_row {source.header_row} is empty; set header_row to the row holding "
                    "the column names", row=source.header_row)
            return None
        return source.header_row
    if last == 0:
        log.add("blocking", spec.name, file, "the file has no rows")
        return None
    expected = _expected_headers(source, spec)
    best, best_hits = None, 0
    for row in grid.cells.index[:HEADER_SCAN_ROWS]:
        values = grid.cells.loc[row]
        hits = sum(labels.normalise_header(v) in expected for v in values if isinstance(v, str))
        if hits > best_hits:
            best, best_hits = row, hits
    if best is None:
        nonblank = [r for r in grid.cells.index[:HEADER_SCAN_ROWS]
                    if not cleaning.is_blank(grid.cells.loc[r]).all()]
        if not nonblank:
            log.add("blocking", spec.name, file, "no data in the first rows of the file")
            return None
        best = nonblank[0]
    return int(best)


def _column_mapping(header: list[str], source: Source, spec: TableSpec, log: IssueLog,
                    header_row: int) -> dict[str, str] | None:
    """Client header -> canonical column. Mapped columns must exist; unmapped ones are ignored
    unless their name already is a canonical column name."""
    names = _dedupe(header)
    mapping: dict[str, str] = {}
    ok = True
    for theirs, ours in source.columns.items():
        actual = labels.find_header(names, theirs)
        if actual is None:
            hint = nearest(theirs, names)
            log.add("blocking", spec.name, source.display_name,
                    f"mapped column '{theirs}' is not in the file's header (row {header_row})"
                    + (f"; did you mean '{hint}'?" if hint else "")
                    + f" The header has: {', '.join(n for n in names if not n.startswith('Column '))}",
                    row=header_row, column=theirs)
            ok = False
            continue
        mapping[actual] = ours
    taken = set(mapping.values())
    for name in names:
        if name in mapping:
            continue
        norm = labels.normalise_header(name)
        if spec.is_mappable(norm) and norm not in taken and not norm.endswith("<name>"):
            mapping[name] = norm
            taken.add(norm)
        elif spec.is_mappable(norm) and norm in taken and norm in set(source.columns.values()) and \
                not norm.endswith("<name>"):
            mapped = next(theirs for theirs, ours in mapping.items() if ours == norm)
            log.add("warning", spec.name, source.display_name,
                    f"the file has a column '{name}' but engagement.yaml reads '{mapped}' as {norm}: "
                    f"'{name}' is ignored. Check which of the two holds the {norm}, and map that one",
                    row=header_row, column=name)
    return mapping if ok else None


def _melt_wide_survey(body: pd.DataFrame, source: Source, log: IssueLog) -> pd.DataFrame | None:
    dims = [d for d in ADKAR if d in body.columns]
    if not dims:
        log.add("blocking", "survey", source.display_name,
                "the survey has neither a 'dimension' column (long format) nor one column per ADKAR "
                "dimension (wide format); map them under sources.survey.columns, e.g. "
                "'Awareness (1-5)': awareness", column="dimension")
        return None
    ids = [c for c in body.columns if c not in ADKAR]
    long = body.reset_index(names=ROW).melt(id_vars=[ROW, *ids], value_vars=dims,
                                            var_name="dimension", value_name="score")
    long = long[~cleaning.is_blank(long["score"])]
    return long.set_index(ROW).sort_index(kind="stable")


def _required_present(body: pd.DataFrame, spec: TableSpec, source: Source, log: IssueLog,
                      header_row: int) -> bool:
    ok = True
    for c in spec.columns:
        if c.required and c.name not in body.columns:
            log.add("blocking", spec.name, source.display_name,
                    f"required column '{c.name}' ({c.description}) is missing; map the client's "
                    f"column to it under sources.{spec.name}.columns", row=header_row, column=c.name)
            ok = False
    for group, names in spec.one_of_groups().items():
        if not any(n in body.columns for n in names):
            log.add("blocking", spec.name, source.display_name,
                    f"needs one of {' or '.join(names)} to identify the {group}; map the client's "
                    f"column under sources.{spec.name}.columns", row=header_row, column=names[0])
            ok = False
    return ok


def _clean_columns(body: pd.DataFrame, spec: TableSpec, source: Source, log: IssueLog,
                   client_names: dict[str, str], skip: pd.Series
                   ) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    known = [name for name in body.columns if spec.column(name) is not None]
    out = pd.DataFrame(index=body.index)
    bad_cells: dict[str, pd.Series] = {}
    parsed_columns = distinct.each_column(lambda name: _parse_column(body[name], spec, source), known,
                                          len(body))
    for name, (parsed, bad) in zip(known, parsed_columns, strict=True):
        column = spec.column(name)
        raw = body[name]
        if column.kind == "enum":
            report_label_mapping(raw[~skip], parsed[~skip], spec.name, name, source.display_name,
                                 client_names.get(name, name), log)
        out[name] = parsed
        bad = bad & ~skip   # skipped rows (totals, footers) are reported once, as skipped
        bad_cells[name] = bad
        if bad.any():
            _report_bad_cells(raw, bad, spec, column, source, log, client_names.get(name, name))
    out.index.name = ROW
    return out, bad_cells


def _parse_column(raw: pd.Series, spec: TableSpec, source: Source) -> tuple[pd.Series, pd.Series]:
    """One column's cells -> (canonical values, cells that could not be read), by the column's kind."""
    column = spec.column(raw.name)
    if column.kind == "id":
        return cleaning.clean_id(raw)
    if column.kind == "name":
        return cleaning.clean_name(raw)
    if column.kind == "text":
        return cleaning.clean_text(raw)   # keeps "NA" (North America) as written
    if column.kind == "date":
        return cleaning.parse_date(raw, source.date_format)
    if column.kind in ("money", "number"):
        return money.parse_money(raw, source.decimal)
    synonyms, default = ENUMS[(spec.name, raw.name)]
    return labels.map_labels(raw, synonyms, default)


def _report_bad_cells(raw: pd.Series, bad: pd.Series, spec: TableSpec, column, source: Source,
                      log: IssueLog, client_column: str, limit: int = 20) -> None:
    what = {
        "date": "not a date this toolkit can read (use e.g. 2026-03-05)",
        "money": "not an amount (use e.g. 1234.50)",
        "number": "not a number",
    }
    rows = raw.index[bad]
    if column.kind == "enum":
        default = ENUMS[(spec.name, column.name)][1]
        for label, count in raw[bad].astype(str).value_counts().sort_index().items():
            first = int(raw.index[bad & raw.astype(str).eq(label)][0])
            action = f"treated as '{default}'" if default else "left blank"
            log.add("warning", spec.name, source.display_name,
                    f"unknown {column.name} label ({count} row(s)); {action}. Expected: "
                    f"{', '.join(column.choices)}", row=first, column=client_column, value=label)
        return
    severity = "warning"
    consequence = "row excluded" if column.required else "value left blank"
    for row in rows[:limit]:
        log.add(severity, spec.name, source.display_name,
                f"{what.get(column.kind, 'unreadable value')}; {consequence}",
                row=int(row), column=client_column, value=raw.loc[row])
    if len(rows) > limit:
        log.add(severity, spec.name, source.display_name,
                f"{len(rows) - limit} more unreadable '{client_column}' values (first {limit} listed)",
                column=client_column)


def _drop_incomplete_rows(frame: pd.DataFrame, spec: TableSpec, source: Source, log: IssueLog,
                          client_names: dict[str, str], bad_cells: dict[str, pd.Series],
                          limit: int = 20) -> pd.DataFrame:
    """Rows missing a required value (or every alternative of an id/name pair) are excluded.

    Open deals often have no close date yet: they are pipeline, not bad rows, so they are counted
    in one line instead of a warning each (they are not revenue, so nothing is lost)."""
    missing = pd.Series(False, index=frame.index)
    if spec.name == "sales" and "stage" in frame.columns and "date" in frame.columns:
        undated_open = frame["stage"].eq("open").fillna(False) & frame["date"].isna() & ~bad_cells["date"]
        if undated_open.any():
            log.add("warning", spec.name, source.display_name,
                    f"{int(undated_open.sum())} open deal(s) without a close date: pipeline, not "
                    "revenue; left out of the analysis", column=client_names.get("date", "date"))
            missing |= undated_open
    reasons: list[tuple[pd.Series, str]] = []
    for c in spec.columns:
        if c.required and c.name in frame.columns:
            gap = frame[c.name].isna()
            missing |= gap & bad_cells[c.name]  # already reported with its value
            reasons.append((gap, client_names.get(c.name, c.name)))
    for names in spec.one_of_groups().values():
        present = [n for n in names if n in frame.columns]
        if present:
            gap = pd.concat([frame[n].isna() for n in present], axis=1).all(axis=1)
            reasons.append((gap, client_names.get(present[0], present[0])))
    for gap, column in reasons:
        new = gap & ~missing
        for row in frame.index[new][:limit]:
            log.add("warning", spec.name, source.display_name,
                    "required value is missing or unreadable; row excluded", row=int(row), column=column)
        if new.sum() > limit:
            log.add("warning", spec.name, source.display_name,
                    f"{int(new.sum()) - limit} more rows without '{column}' excluded", column=column)
        missing |= gap
    return frame[~missing]
