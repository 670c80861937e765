"""The raw grid of cells a client file is read into (readers.read_grid), and the CSV quote problems
found while reading it."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class QuoteProblem:
    """A CSV quote that does not close where it should, found while reading.

    kind: 'cut_off' (the file ends inside a quoted value: an export cut off mid-row; that last row
    is not read), 'unclosed' (a stray quote opens a value that never closes: the rest of the file
    would be one value, so it is not read) or 'merged' (a stray quote's value closes further down:
    the lines in between, which look like rows of their own, were read as part of one value).
    `row` is the client row (record) the quote is in, `line` and `end_line` the physical lines
    (as a text editor numbers them) that record spans; `sample` a swallowed line or the cut-off end.
    """

    kind: str
    row: int
    line: int
    end_line: int
    sample: str


@dataclass
class Grid:
    """Every cell of one sheet or CSV, as objects; index = the client's 1-based row numbers.

    CSV only: `width` is the number of fields most records have and `field_counts` the records
    (by client row number) with another number of fields, blank lines excluded: title rows,
    short footers, and rows broken by an unquoted delimiter ('R2,Bob,1,234.50'). Which of them
    are a problem depends on the header row: see `ragged_rows`.

    Workbooks only: `uncached_formulas` maps (client row, column) -> formula text for formula
    cells saved without a computed value (a file written by a script or tool that does not
    calculate formulas, e.g. openpyxl): those cells read as empty. The column is the position in
    `cells.columns` (0-based); it may lie beyond the grid when nothing to its right has a value.
    """

    cells: pd.DataFrame
    sheet: str | None
    encoding: str | None
    note: str = ""
    width: int | None = None
    field_counts: dict[int, int] = field(default_factory=dict)
    uncached_formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    quote_problems: list[QuoteProblem] = field(default_factory=list)
    stray_cells: list[str] = field(default_factory=list)

    def below(self, header_row: int) -> pd.DataFrame:
        """The rows under the header: a slice of the grid, not a copy (rows are numbered in order)."""
        return self.cells.loc[header_row + 1:]

    def ragged_rows(self, header_row: int) -> dict[int, int]:
        """CSV records below `header_row` whose fields do not line up with the header's:
        client row number -> number of fields.

        A record is ragged when it has a value beyond the header's last field (usually an
        unquoted delimiter inside a value, so its later values are shifted right), or when it
        has fewer fields than the header has named columns and is not blank (values missing or
        shifted left). Extra empty fields (a trailing delimiter) are not ragged. {} for workbooks.
        """
        if self.width is None or header_row not in self.cells.index:
            return {}
        header_fields = self.field_counts.get(header_row, self.width)
        header = self.cells.loc[header_row].iloc[:header_fields]
        named = len(header)
        while named and not str(header.iloc[named - 1]).strip():
            named -= 1   # a trailing delimiter after the last column name
        body = self.below(header_row)
        if body.empty:
            return {}
        counts = pd.Series(self.width, index=body.index)
        known = {r: n for r, n in self.field_counts.items() if r > header_row}
        if known:
            counts.loc[list(known)] = list(known.values())
        beyond = pd.Series(False, index=body.index)
        for c in body.columns[header_fields:]:
            beyond |= body[c].astype(str).str.strip().ne("").to_numpy()
        short = counts.gt(0) & counts.lt(named)
        if short.any():
            filled = body[short].apply(lambda col: col.astype(str).str.strip().ne("")).any(axis=1)
            short.loc[short] = filled.to_numpy()
        ragged = beyond | short
        return {int(r): int(n) for r, n in counts[ragged].items()}


def column_letter(index: int) -> str:
    """0-based column position -> Excel letters (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def short_error(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
