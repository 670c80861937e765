"""Rows an export adds that are not data: blank rows, totals and report footers.

A total or footer row is recognised from its first non-blank cell (in the order of the mapped
columns), which must start with a footer word (FOOTER_PATTERN), and only when every other cell of
the row is blank or a number/amount. On a long export the second condition is checked first,
on the columns that repeat their values (owners, stages): a row with an owner's name beside its
first cell is data whatever that cell says, so the footer words are looked for in the few rows
left, not in five million deal ids.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.intake import cleaning, distinct

FOOTER_PATTERN = (   # the start of a total or footer row's FIRST non-blank cell, as whole words
    "(?i)^[ \t*=#>-]*(?:"
    "(?:grand[ \t]+|sub[ \t-]?)?totals?|sum|summary|counts?|average|avg"
    "|summe|zwischensumme|gesamt(?:summe)?|totaal|totale|subtotaal"
    "|(?:row|record|line)[ \t]+count|(?:records|rows)[ \t]*:"
    "|[0-9][0-9,.]*[ \t]+(?:records|rows)(?:[ \t]+(?:returned|selected|found|listed))?[ \t]*$"
    "|end[ \t]+of[ \t]+(?:report|file|data)|report[ \t]+(?:generated|run|date|printed|total)"
    "|(?:generated|exported|printed|created|extracted|run)[ \t]+(?:on|by|at)"
    "|confidential|copyright|\\(c\\)|\u00a9|page[ \t]+[0-9]+(?:[ \t]+of[ \t]+[0-9]+)?"
    "|filtered[ \t]+by|filters?[ \t]*:"
    ")(?:[^A-Za-z]|$)"
)  # a plain string, not a compiled pattern: pandas then runs it in Arrow, not per cell in Python


def _footer_cells(part: pd.Series) -> pd.Series:
    """Text cells that start like a total or footer (FOOTER_PATTERN); numbers and dates never do."""
    if distinct.is_text_dtype(part):   # every cell is text (or missing, which never matches)
        return part.str.contains(FOOTER_PATTERN, regex=True, na=False)
    text = part.where(cleaning.is_str_cell(part), "").astype(str)
    return text.str.contains(FOOTER_PATTERN, regex=True, na=False)


def blank_and_footer_rows(body: pd.DataFrame, source, log) -> pd.Series:
    """Rows to skip (blank, totals and footers), each reported.

    A total or footer row is recognised from its first non-blank cell (in the order of the mapped
    columns), which must start with a footer word (Total, Grand total, Subtotal, Sum, Summary,
    Count, Average, Report generated, Confidential, Page 1 of 3, Filtered by, Records: 12, ...),
    and only when every other cell of the row is blank or a number/amount. 'Summer Lee',
    'Countryman', or an account 'Total Quality Ltd' with a date and an owner beside it are data.
    """
    if body.empty:
        return pd.Series(False, index=body.index)
    columns = list(body.columns)
    blank_cells = np.column_stack(distinct.each_column(
        lambda c: cleaning.is_blank(body[c]).to_numpy(dtype=bool), columns, len(body)))
    blank = blank_cells.all(axis=1)
    first = blank_cells.argmin(axis=1)   # the first non-blank cell
    candidate = ~blank & ~_text_beside_first(body, blank_cells, first, ~blank)
    footer = np.zeros(len(body), dtype=bool)
    for i, c in enumerate(columns):
        here = candidate & (first == i)
        if not here.any():
            continue
        if here.sum() > 0.5 * len(body):   # most rows: once per distinct value of the column
            footer |= here & distinct.on_uniques(_footer_cells, body[c]).to_numpy(dtype=bool)
        else:
            at = np.flatnonzero(here)
            footer[at] = _footer_cells(body[c].iloc[at]).to_numpy(dtype=bool)
    if footer.any():   # the rest of a total row is blank or numbers: a few rows, checked cell by cell
        at = footer.nonzero()[0]
        rows = body.iloc[at]
        rest_ok = np.ones(len(at), dtype=bool)
        for i in range(body.shape[1]):
            ok = blank_cells[at, i] | cleaning.looks_numeric(rows.iloc[:, i]).to_numpy(dtype=bool)
            rest_ok &= ok | (first[at] == i)
        footer[at] = rest_ok
    for position in footer.nonzero()[0]:
        row = body.index[position]
        log.add("warning", source.table, source.display_name,
                "looks like a total or footer row; skipped", row=int(row),
                value=body.iat[position, int(first[position])])
    if blank.any() and (~blank).any():
        # blank rows after the last data row are just the end of the export: not worth a warning
        last_data_row = int(body.index[~blank].max())
        inner = [int(r) for r in body.index[blank] if r < last_data_row]
        if inner:
            shown = ", ".join(map(str, inner[:10])) + (" …" if len(inner) > 10 else "")
            log.add("warning", source.table, source.display_name,
                    f"{len(inner)} blank row(s) skipped (rows {shown})", row=inner[0])
    return pd.Series(blank | footer, index=body.index)


def _text_beside_first(body: pd.DataFrame, blank_cells: np.ndarray, first: np.ndarray,
                       left: np.ndarray) -> np.ndarray:
    """Rows with a text cell (neither blank nor a number) in a column other than their first
    non-blank one: never a total row. A shortcut, so only where it is cheap: text columns that
    repeat their values, fewest distinct values first (a stage or an owner settles nearly every
    row), stopping once few of the rows `left` (the non-blank ones) remain for the full check."""
    found = np.zeros(len(body), dtype=bool)
    left = left.copy()
    texts = [i for i in range(body.shape[1]) if distinct.is_text_dtype(body.iloc[:, i])]
    texts.sort(key=lambda i: len(pd.unique(body.iloc[:SAMPLE_ROWS, i])))
    for i in texts:
        if left.sum() <= STOP_SHARE * len(body):
            break
        numeric = distinct.on_few_uniques(cleaning.looks_numeric, body.iloc[:, i])
        if numeric is None:
            continue
        found |= ~blank_cells[:, i] & ~numeric.to_numpy(dtype=bool) & (first != i)
        left &= ~found
    return found


SAMPLE_ROWS = 10_000   # the first rows tell which columns repeat their values most
STOP_SHARE = 0.01      # rows left to the full check once the shortcut has settled the rest
