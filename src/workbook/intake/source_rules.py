"""engagement.yaml's per-source rules, applied to the client's sheet before cleaning.

- `footer_rows: N` drops the last N rows of the sheet (a report footer the detection cannot see);
- `where: {Department: Sales}` keeps the rows whose column holds one of the values (trimmed,
  case-insensitive), counting the others as excluded;
- `lookup: {path: order_lines.csv, on: OrderID, sum: LineTotal, as: Amount}` adds a column from
  another file by key: summed per key (order lines -> order amounts) or, with `take:`, the
  matching row's value (a region -> manager table);
- `columns: {name: [First Name, Last Name]}` builds a canonical column by joining several with a
  space; `{column: Close Date, fallback: Created Date}` fills its blanks from other columns;
  `{column: Monthly Income, per: month}` converts an amount to annual after cleaning.

Every client column a rule names must be in the header: a missing one is a blocking issue naming
the file, the header row and the column, with a did-you-mean.
"""

from __future__ import annotations

import pandas as pd

from workbook.engagement.config import Lookup, Source
from workbook.engagement.suggest import nearest
from workbook.errors import ReadError
from workbook.intake import cleaning, labels, money
from workbook.intake.issues import IssueLog
from workbook.intake.readers import read_grid

BUILT_PREFIX = "__built__"


def _text(column: pd.Series) -> pd.Series:
    """Cell text as intake cleans free text (blank tokens such as NULL or N/A are empty), "" if blank."""
    return cleaning.clean_text(column)[0].astype("object").fillna("").astype(str)


def _find(body: pd.DataFrame, theirs: str) -> str | None:
    return labels.find_header(body.columns, theirs)


def apply_source_rules(body: pd.DataFrame, source: Source, log: IssueLog,
                       header_row: int) -> pd.DataFrame | None:
    """The body with footer rows dropped, the row filter applied and built columns added (named
    BUILT_PREFIX + ours); None when a rule names a column the file does not have."""
    table, file = source.table, source.display_name
    body = _add_lookups(body, source, log)
    if body is None:
        return None
    missing = [c for c in sorted(source.client_columns() - set(source.columns)) if _find(body, c) is None]
    for theirs in missing:
        hint = nearest(theirs, [c for c in body.columns if not c.startswith("Column ")])
        log.add("blocking", table, file,
                f"column '{theirs}' named in engagement.yaml (columns or where) is not in the file's "
                f"header (row {header_row})" + (f"; did you mean '{hint}'?" if hint else ""),
                row=header_row, column=theirs)
    if missing:
        return None
    if source.footer_rows:
        dropped = body.index[-source.footer_rows:]
        body = body.iloc[:-source.footer_rows]
        if len(dropped):
            log.add("warning", table, file, f"the last {len(dropped)} row(s) skipped (footer_rows: "
                    f"{source.footer_rows} in engagement.yaml)", row=int(dropped[0]))
    for theirs, kept in source.where.items():
        values = _text(body[_find(body, theirs)]).str.casefold()
        keep = values.isin({k.casefold() for k in kept}).to_numpy()
        excluded = int((~keep).sum())
        if excluded:
            log.add("warning", table, file,
                    f"{excluded} row(s) excluded by where: {theirs} is not "
                    + " or ".join(f"'{k}'" for k in kept), column=theirs)
        body = body[keep]
    body = body.copy()
    for ours, rule in source.built.items():
        parts = [_text(body[_find(body, c)]) for c in rule.columns]
        built = parts[0]
        for part in parts[1:]:
            built = (built + " " + part).str.strip()
        for fallback in rule.fallback:
            built = built.mask(built == "", _text(body[_find(body, fallback)]))
        body[BUILT_PREFIX + ours] = built.mask(built == "", None)
    return body


def _lookup_frame(lookup: Lookup, table: str, log: IssueLog) -> pd.DataFrame | None:
    try:
        grid = read_grid(lookup.path, lookup.sheet)
    except ReadError as exc:
        log.add("blocking", table, lookup.path.name, f"lookup file: {exc}")
        return None
    cells = grid.cells
    if lookup.header_row not in cells.index:
        log.add("blocking", table, lookup.path.name, f"lookup file has no row {lookup.header_row} "
                "to read the header from (set header_row under lookup)")
        return None
    frame = cells.loc[cells.index > lookup.header_row].copy()
    frame.columns = [str(v).strip() if v is not None else f"Column {i + 1}"
                     for i, v in enumerate(cells.loc[lookup.header_row])]
    absent = [c for c in (lookup.other_on, lookup.column) if _find(frame, c) is None]
    for column in absent:
        hint = nearest(column, list(frame.columns))
        log.add("blocking", table, lookup.path.name,
                f"lookup column '{column}' is not in the header (row {lookup.header_row})"
                + (f"; did you mean '{hint}'?" if hint else ""), row=lookup.header_row, column=column)
    return None if absent else frame


def _add_lookups(body: pd.DataFrame, source: Source, log: IssueLog) -> pd.DataFrame | None:
    """Columns brought in from other files by key: summed per key, or taken from the matching row."""
    for lookup in source.lookups:
        other = _lookup_frame(lookup, source.table, log)
        key_column = _find(body, lookup.on)
        if key_column is None:
            log.add("blocking", source.table, source.display_name,
                    f"lookup key '{lookup.on}' is not in the file's header", column=lookup.on)
            return None
        if other is None:
            return None
        keys = cleaning.clean_id(other[_find(other, lookup.other_on)])[0]
        values = other[_find(other, lookup.column)]
        if lookup.how == "sum":
            amounts, _ = money.parse_money(values)
            by_key = amounts.groupby(keys.to_numpy()).sum(min_count=1)
        else:
            taken = _text(values)
            by_key = taken[taken != ""].groupby(keys[taken != ""].to_numpy()).first()
        ours = cleaning.clean_id(body[key_column])[0]
        body = body.copy()
        body[lookup.name] = ours.map(by_key).to_numpy()
        unmatched = int((ours.notna() & body[lookup.name].isna()).sum())
        if unmatched:
            log.add("warning", source.table, source.display_name,
                    f"{unmatched} row(s) have no match in {lookup.path.name} on {lookup.on}; their "
                    f"'{lookup.name}' is blank", column=lookup.on)
    return body


def built_mapping(source: Source, mapping: dict[str, str]) -> dict[str, str]:
    """The column mapping with the built columns in, replacing any other source of the same column."""
    mapping = {theirs: ours for theirs, ours in mapping.items() if ours not in source.built}
    mapping.update({BUILT_PREFIX + ours: ours for ours in source.built})
    return mapping


def built_names(source: Source) -> dict[str, str]:
    """ours -> how the client would name a built column in a message ("First Name + Last Name")."""
    return {ours: " + ".join(rule.columns) for ours, rule in source.built.items()}


def annualise(frame: pd.DataFrame, source: Source) -> pd.DataFrame:
    """Amounts given per month (or week, quarter) made annual, as the canonical columns are."""
    for ours, rule in source.built.items():
        if rule.per and ours in frame.columns:
            frame[ours] = frame[ours] * rule.annual_factor
    return frame
