"""Client files -> a raw grid of cells, numbered as the client sees them.

Reads CSV (any delimiter, UTF-8 with or without BOM, UTF-16, Windows-1252;
LF, CRLF or classic-Mac CR line endings) and Excel workbooks (.xlsx/.xlsm/.xls
via python-calamine) without ever writing to them. Every problem that stops a
file being read is a ReadError whose message names the file and says what to
do. Problems that do not stop it are recorded on the Grid for intake to
report: CSV rows with more or fewer fields than the header (`ragged_rows`)
and formula cells saved without a computed value (`uncached_formulas`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from workbook.engagement.suggest import nearest
from workbook.errors import ReadError

ZIP_MAGIC = b"PK\x03\x04"
# Limits on client workbooks, checked before anything is unpacked or allocated (README "Limits on
# client files"): the parts of an .xlsx unpacked (a 'zip bomb' of a few KB can claim gigabytes),
# the cells one sheet may hold, and the grid (used range) one sheet may span.
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
MAX_SHEET_CELLS = 5_000_000
MAX_GRID_CELLS = 20_000_000
STRAY_ROW_GAP = 1_000   # empty rows / columns that set a far-away cell apart from the table
STRAY_COLUMN_GAP = 100
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}


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


def read_grid(path: Path, sheet: str | int | None = None, encoding: str | None = None) -> Grid:
    if not path.exists():
        raise ReadError(f"{path.name}: file not found in the engagement folder ({path.parent})")
    if path.is_dir():
        raise ReadError(f"{path.name}: is a folder, not a file")
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head:
        raise ReadError(f"{path.name}: the file is empty (0 bytes); ask the client to export it again")
    suffix = path.suffix.lower()
    if head.startswith(ZIP_MAGIC):
        if suffix == ".csv":
            raise ReadError(f"{path.name}: this .csv is really an Excel workbook; rename it to .xlsx "
                            "and update engagement.yaml")
        return _read_excel(path, sheet)
    if head.startswith(OLE_MAGIC):
        if suffix == ".xls":
            return _read_excel(path, sheet)
        raise ReadError(f"{path.name}: the workbook is password-protected (encrypted) or in an old "
                        "format; ask the client to remove the password and save it as .xlsx")
    if suffix in EXCEL_SUFFIXES:
        raise ReadError(f"{path.name}: not a real Excel workbook (it looks like a text/CSV file); "
                        "rename it to .csv and update engagement.yaml")
    if sheet is not None:
        raise ReadError(f"{path.name}: 'sheet' is set but this is a CSV file, which has no sheets; "
                        "remove 'sheet' from engagement.yaml")
    return _read_csv(path, encoding)


def _read_excel(path: Path, sheet: str | int | None) -> Grid:
    from python_calamine import CalamineWorkbook

    with path.open("rb") as fh:
        zipped = fh.read(4) == ZIP_MAGIC
    if zipped:
        _check_unpacked_size(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for corrupt archives
        raise ReadError(f"{path.name}: the workbook is corrupt or not readable ({_short(exc)}); "
                        "ask the client to open it in Excel and save it again") from None
    names = list(book.sheet_names)
    if not names:
        raise ReadError(f"{path.name}: the workbook has no sheets")
    if sheet is None:
        chosen = names[0]
    elif isinstance(sheet, int):
        if not 1 <= sheet <= len(names):
            raise ReadError(f"{path.name}: sheet number {sheet} does not exist; the workbook has "
                            f"{len(names)} sheet(s): {', '.join(names)}")
        chosen = names[sheet - 1]
    else:
        matches = [n for n in names if n.strip().casefold() == str(sheet).strip().casefold()]
        if not matches:
            hint = nearest(str(sheet), names)
            raise ReadError(f"{path.name}: no sheet named '{sheet}'"
                            + (f"; did you mean '{hint}'?" if hint else "")
                            + f" Sheets in the workbook: {', '.join(names)}")
        chosen = matches[0]
    stray: list[str] = []
    if zipped:
        trimmed, stray = _check_sheet_extent(path, chosen)
        if trimmed is not None:
            book = CalamineWorkbook.from_filelike(io.BytesIO(trimmed))
    try:
        rows = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except Exception as exc:
        raise ReadError(f"{path.name}: sheet '{chosen}' could not be read ({_short(exc)})") from None
    width = max((len(r) for r in rows), default=0)
    frame = pd.DataFrame([list(r) + [""] * (width - len(r)) for r in rows], dtype=object)
    for c in frame.columns:   # only columns holding dates or times are converted, cell by cell
        if _DATE_TYPES.intersection(map(type, frame[c])):
            frame[c] = frame[c].map(_excel_cell)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return Grid(frame, chosen, None, uncached_formulas=_uncached_formulas(path, chosen), stray_cells=stray)


def _check_unpacked_size(path: Path) -> None:
    """Refuse an .xlsx whose parts would unpack to more than MAX_UNPACKED_BYTES (as its directory
    declares them: Python's zip reader never unpacks more than declared)."""
    try:
        with zipfile.ZipFile(path) as book:
            total = sum(info.file_size for info in book.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return   # calamine says what is wrong with it
    if total > MAX_UNPACKED_BYTES:
        raise ReadError(f"{path.name}: the workbook would unpack to {total / 2**20:,.0f} MB, more than the "
                        f"{MAX_UNPACKED_BYTES / 2**20:,.0f} MB this toolkit reads (a damaged or deliberately "
                        "inflated file); ask the client to export the data again, or as CSV")


def _check_sheet_extent(path: Path, sheet: str) -> tuple[bytes | None, list[str]]:
    """Make sure reading `sheet` allocates no more than its cells: (a copy of the workbook without
    the cells far outside the table, or None to read the file as it is; the cells left out).

    calamine allocates the rectangle from A1 to the farthest cell with a value: one stray value at
    XFD1048576 is 17 billion cells, and the process dies. The sheet's XML is streamed: when every
    cell lies inside its declared <dimension> and that is small (the usual file), that is all.
    Otherwise every cell's position is read; cells beyond a gap of STRAY_ROW_GAP empty rows or
    STRAY_COLUMN_GAP empty columns are left out when the rectangle would exceed MAX_GRID_CELLS."""
    try:
        with zipfile.ZipFile(path) as book:
            member = _sheet_member(book, sheet)
            if member is None:
                return None, []
            with book.open(member) as fh:
                cells, fits = _scan_extent(fh)
            if cells > MAX_SHEET_CELLS:
                raise ReadError(f"{path.name}: sheet '{sheet}' has {cells:,} cells, more than the "
                                f"{MAX_SHEET_CELLS:,} this toolkit reads from one sheet; ask the client for "
                                "an export with only the rows and columns the analysis needs (or as CSV)")
            if fits:
                return None, []
            xml = book.read(member)
            refs = [(m.start(), m.end(), _column_index(m.group(2).decode()), int(m.group(3)), not m.group(4))
                    for m in _ANY_CELL.finditer(xml)]
            data = [(col, row) for _, _, col, row, filled in refs if filled]
            if not data:
                return None, []
            rows = sorted({r for _, r in data})
            cols = sorted({c for c, _ in data})
            if (cols[-1] + 1) * rows[-1] <= MAX_GRID_CELLS:
                return None, []
            last_row = _before_gap(rows, STRAY_ROW_GAP)
            last_col = _before_gap([c + 1 for c in cols], STRAY_COLUMN_GAP) - 1
            if (last_col + 1) * last_row > MAX_GRID_CELLS:
                raise ReadError(f"{path.name}: sheet '{sheet}' spans {column_letter(cols[-1])}{rows[-1]:,} "
                                f"cells wide and high, more than the {MAX_GRID_CELLS:,} cells this toolkit "
                                "reads from one sheet; ask the client for an export with only the table")
            stray = [f"{column_letter(c)}{r}" for c, r in data if r > last_row or c > last_col]
            keep = bytearray()
            at = 0
            for start, end, col, row, _ in refs:
                if row > last_row or col > last_col:
                    keep += xml[at:start]
                    at = end
            keep += xml[at:]
            return _replace_member(book, member, bytes(keep)), stray
    except (zipfile.BadZipFile, KeyError, ET.ParseError, OSError, RuntimeError, ValueError):
        return None, []


_SPACES = (b" ", b"\t", b"\n", b"\r")


def _scan_extent(fh, chunk: int = 1 << 22) -> tuple[int, bool]:
    """(cells in the sheet, whether all lie within a small declared dimension), in one stream.

    Cells are counted by their opening tags. Every cell must open '<c r="B12"' (as Excel and the
    usual libraries write them) and none may lie right of or below the dimension:
    one regular-expression search per chunk for a column or row beyond it."""
    refs = plain = 0
    fits = True   # until a cell is found beyond the dimension
    beyond = None   # the search for such cells, once the dimension is known
    pending = b""
    while True:
        block = fh.read(chunk)
        data = pending + block
        cut = len(data) if not block else data.rfind(b"<")   # whole tags only
        if cut <= 0 and block:
            pending = data
            continue
        part, pending = data[:cut], data[cut:]
        if beyond is None and fits:
            found = _DIMENSION.search(part)
            if found is not None:
                last_col, last_row = _column_index(found.group(1).decode()), int(found.group(2))
                fits = (last_col + 1) * last_row <= MAX_GRID_CELLS
                beyond = re.compile(rb' r="(?:' + _letters_beyond(found.group(1).decode()) + rb')[0-9]|'
                                    rb' r="[A-Z]{1,3}(?:' + _number_beyond(last_row) + rb')"')
            elif b"sheetData" in part or not block:
                fits = False   # no dimension before the cells: every cell is looked at
        refs += sum(part.count(b"<c" + space) + part.count(b":c" + space) for space in _SPACES)
        plain += part.count(b'<c r="') + part.count(b':c r="')
        if fits and beyond is not None and (b"r='" in part or beyond.search(part)):
            fits = False
        if not block:
            break
    return refs, fits and beyond is not None and refs == plain


def _letters_beyond(last: str) -> bytes:
    """A pattern for column letters after `last` ('L' -> [M-Z]|[A-Z]{2,3})."""
    options = []
    for i, letter in enumerate(last):
        if letter < "Z":
            options.append(last[:i] + f"[{chr(ord(letter) + 1)}-Z]" + "[A-Z]" * (len(last) - i - 1))
    if len(last) < 3:
        options.append(f"[A-Z]{{{len(last) + 1},3}}")
    return "|".join(options).encode() or b"(?!)"


def _number_beyond(last: int) -> bytes:
    """A pattern for whole numbers greater than `last` (no leading zeros)."""
    digits = str(last)
    options = [f"[1-9][0-9]{{{len(digits)},}}"]
    for i, d in enumerate(digits):
        if d < "9":
            options.append(digits[:i] + f"[{int(d) + 1}-9]" + "[0-9]" * (len(digits) - i - 1))
    return "|".join(options).encode()


def _before_gap(values: list[int], gap: int) -> int:
    """The last of the sorted `values` before the first gap of more than `gap`."""
    last = values[0]
    for value in values[1:]:
        if value - last > gap + 1:
            break
        last = value
    return last


def _replace_member(book: zipfile.ZipFile, member: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in book.infolist():
            copy.writestr(info.filename, data if info.filename == member else book.read(info.filename))
    return out.getvalue()


def column_letter(index: int) -> str:
    """0-based column position -> Excel letters (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_DATE_TYPES = {dt.datetime, dt.date, dt.time, dt.timedelta}


def _excel_cell(value: object) -> object:
    if isinstance(value, dt.datetime):
        return pd.Timestamp(value)
    if isinstance(value, dt.date):
        return pd.Timestamp(value)
    if isinstance(value, (dt.time, dt.timedelta)):
        return str(value)
    return value


def _read_csv(path: Path, encoding: str | None) -> Grid:
    data = path.read_bytes()
    text, used, note = _decode(path.name, data, encoding)
    if not text or text.isspace():   # no copy of a 400 MB export to find out
        raise ReadError(f"{path.name}: the file has no data (only blank lines)")
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\n")   # classic Mac line endings ('CSV (Macintosh)' from Excel)
        data = None
    sample = text[:65536]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:   # e.g. ragged rows: the sniffer wants every line alike
        delimiter = _guess_delimiter(sample)
    try:
        grid = _parse_csv(data, text, used, note, delimiter)
    except pd.errors.ParserError as exc:
        if "EOF inside string" not in str(exc):
            raise ReadError(f"{path.name}: the CSV could not be parsed ({_short(exc)}); ask the client "
                            "to export it again, or as .xlsx") from None
        grid = None   # a quoted value never closes: found below
    # a file ending inside a quoted value: cut off mid-row, or a stray quote that swallowed the rest.
    # With every quote paired (an even count) the file cannot end inside one: no scan
    unclosed = _unclosed_last_record(text, delimiter) if grid is None or text.count('"') % 2 else None
    if unclosed is not None:
        row, line, head = unclosed
        if not head.strip():
            raise ReadError(f"{path.name}: a quote on line {line} opens a value that never closes, so the "
                            "whole file reads as one value; ask the client to export it again")
        grid = _parse_csv(None, head, used, note, delimiter)
        rest = text[len(head):]
        width = grid.width or grid.cells.shape[1]
        lines = rest.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        swallowed = [i for i, text_line in enumerate(lines[1:], start=1)
                     if _looks_like_record(text_line, delimiter, width)]
        if swallowed:
            grid.quote_problems.append(QuoteProblem(
                "unclosed", row, line, line + len(lines) - 1, lines[swallowed[0]].strip()))
        else:
            grid.quote_problems.append(QuoteProblem(
                "cut_off", row, line, line + len(lines) - 1, rest.strip()[-60:]))
    if grid is None:
        raise ReadError(f"{path.name}: a quoted value never closes, so the file cannot be split into rows; "
                        "ask the client to export it again (with quotes inside values doubled)")
    grid.quote_problems[:0] = _merged_records(grid, text, delimiter)
    return grid


def _parse_csv(data: bytes | None, text: str, used: str, note: str, delimiter: str) -> Grid:
    fast = _read_csv_arrow(data, text, used, delimiter)
    if fast is not None:
        fast.index = pd.RangeIndex(1, len(fast) + 1)
        return Grid(fast, None, used, note, width=fast.shape[1])
    # ragged: the records' field counts, for Grid.ragged_rows (about 0.5 s per million records)
    try:
        counts = np.fromiter((len(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)),
                             dtype=np.int64)
    except csv.Error:   # e.g. a field over the csv module's size limit: pandas still reads it
        counts = None
    options = dict(header=None, dtype=str, keep_default_na=False, skip_blank_lines=False,
                   sep=delimiter, quotechar='"')
    if counts is not None:
        frame = pd.read_csv(io.StringIO(text), names=list(range(max(int(counts.max(initial=1)), 1))),
                            **options)
    else:
        try:
            frame = pd.read_csv(io.StringIO(text), **options)
        except pd.errors.ParserError as exc:
            if "EOF inside string" in str(exc):
                raise
            width = max((len(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)), default=1)
            frame = pd.read_csv(io.StringIO(text), names=list(range(width)), **options)
    frame = frame.fillna("")   # text columns stay a string dtype: vectorised cleaning
    frame.columns = range(frame.shape[1])
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    if counts is None or len(counts) != len(frame):   # records not known one for one: no ragged rows
        return Grid(frame, None, used, note)
    usual, field_counts = _field_counts(counts)
    return Grid(frame, None, used, note, width=usual, field_counts=field_counts)


def _looks_like_record(line: str, delimiter: str, width: int) -> bool:
    """A physical line found inside a quoted value that has a whole row's fields (3 or more), none
    starting with a space as in prose ('pricing, terms, delivery'): a record the quote swallowed,
    not a line of a multi-line note."""
    if width < 3 or line.count(delimiter) < width - 1 or delimiter + " " in line:
        return False
    fields = next(csv.reader([line], delimiter=delimiter), [])
    return len(fields) == width


def _unclosed_last_record(text: str, delimiter: str) -> tuple[int, int, str] | None:
    """(client row, physical line, text before it) of a last record that ends inside a quoted value,
    else None. The csv module reads records as pandas does and counts physical lines."""
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))   # a swallowed rest of file is one huge field
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        records, start, before = 0, 0, 0
        for _ in reader:
            records += 1
            start, before = before, reader.line_num
        if not records:
            return None
        head, _, tail = _split_at_line(text, start)
        try:
            for _ in csv.reader(io.StringIO(tail), delimiter=delimiter, strict=True):
                pass
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                return records, start + 1, head
        return None
    finally:
        csv.field_size_limit(limit)


def _split_at_line(text: str, line: int) -> tuple[str, str, str]:
    """(the first `line` physical lines, '', the rest)."""
    at = 0
    for _ in range(line):
        at = text.index("\n", at) + 1
    return text[:at], "", text[at:]


def _merged_records(grid: Grid, text: str, delimiter: str) -> list[QuoteProblem]:
    """Records holding lines that look like rows of their own inside a quoted value: a stray quote
    merged them. Only looked for when the file has more physical lines than records (quoted
    newlines), so a file without any costs one count of its line breaks."""
    cells = grid.cells
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if lines <= len(cells) or cells.empty:
        return []
    width = grid.width or cells.shape[1]
    breaks = np.zeros(len(cells), dtype=np.int64)
    for c in cells.columns:
        column = cells[c]
        if column.dtype == object:
            column = column.astype(str)
        breaks += column.str.count("\n").fillna(0).to_numpy(dtype=np.int64)
    starts = np.arange(1, len(cells) + 1) + np.concatenate([[0], np.cumsum(breaks)[:-1]])
    found = []
    for i in np.flatnonzero(breaks):
        values = [v for v in cells.iloc[i] if isinstance(v, str) and "\n" in v]
        inner = [part for v in values for part in v.split("\n")[1:]]
        hits = [part for part in inner if _looks_like_record(part.rstrip("\r"), delimiter, width)]
        if hits:
            found.append(QuoteProblem("merged", int(cells.index[i]), int(starts[i]),
                                      int(starts[i] + breaks[i]), hits[0].strip()))
    return found


def _guess_delimiter(sample: str) -> str:
    """The candidate found most often per line (median over lines that have any), else ','."""
    lines = [line for line in sample.splitlines()[:50] if any(d in line for d in ",;\t|")]
    if not lines:
        return ","
    score = {d: float(np.median([line.count(d) for line in lines])) for d in ",;\t|"}
    best = max(score, key=score.get)
    return best if score[best] > 0 else ","


def _field_counts(counts: np.ndarray) -> tuple[int, dict[int, int]]:
    """The usual number of fields (most frequent, blank lines aside) and the rows with another."""
    filled = counts[counts > 0]
    if not len(filled):
        return 1, {}
    values, freq = np.unique(filled, return_counts=True)
    usual = int(values[freq.argmax()])
    odd = np.flatnonzero((counts != usual) & (counts > 0))
    return usual, {int(i) + 1: int(counts[i]) for i in odd}


def _read_csv_arrow(data: bytes | None, text: str, encoding: str, delimiter: str) -> pd.DataFrame | None:
    """Multi-threaded parse with Arrow when every record has the same number of fields (the
    usual large export); None when the file is ragged (title rows, short footers), which the
    pandas parser below handles."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:
        return None
    if encoding == "utf-8" and data is not None:
        raw = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    else:
        raw = text.encode("utf-8")
    ragged: list[int] = []

    def on_invalid(row) -> str:
        ragged.append(row.number or -1)
        return "error"   # stop at the first ragged record: the pandas parser reads those files

    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    width = len(next(csv.reader(io.StringIO(first_line), delimiter=delimiter), [])) or 1
    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(raw),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=True),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False,
                                             newlines_in_values=True, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.large_string() for n in names},
                                                 strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if ragged:
        return None
    # read as large_string, what pandas' Arrow strings hold: no copy of every column into pandas
    dtype = pd.StringDtype("pyarrow", na_value=float("nan"))
    frame = table.to_pandas(types_mapper=lambda t: dtype if t == pa.large_string() else None)
    frame.columns = range(frame.shape[1])
    return frame


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_NS = rb"(?:[A-Za-z_][\w.-]*:)?"   # an optional namespace prefix (<x:c>, written by some .NET tools)
# a formula cell with no cached value: <c r="B2"><f>A1*2</f></c> or openpyxl's <f>A1*2</f><v /></c>
# (the <f> comes first in a cell; <v>..</v>, even empty, is a computed value)
_UNCACHED_FORMULA = re.compile(
    rb"<" + _NS + rb"c\s([^>]*)>\s*<" + _NS + rb"f(?:\s[^>]*?)?(?:/>|>([^<]*)</" + _NS + rb"f>)\s*"
    rb"(?:<" + _NS + rb"v\s*/>\s*)?</" + _NS + rb"c>")
_CELL_REF = re.compile(rb'(?:^|\s)r="([A-Z]{1,3})([0-9]+)"')
# a whole cell element, any attribute quoting or spacing: group 2 its column, 3 its row, 4 '/' when
# it is empty (<c r="B2" s="1"/>, formatting only)
_ANY_CELL = re.compile(
    rb"<(" + _NS + rb")c\s[^>]*?\br\s*=\s*[\"']([A-Z]{1,3})([0-9]{1,7})[\"'][^>]*?(?:(/)>|>.*?</\1c\s*>)",
    re.DOTALL)
_DIMENSION = re.compile(rb"<" + _NS + rb"dimension\s+ref=\"(?:[A-Z]{1,3}[0-9]+:)?([A-Z]{1,3})([0-9]+)\"")




def _uncached_formulas(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    """Formula cells of an .xlsx/.xlsm sheet saved without a computed (cached) value.

    calamine reads those cells as empty; the sheet's XML says which they are. The sheet is
    streamed in chunks of whole rows and a chunk without formula tags is not searched, so a
    sheet without formulas costs about one pass of decompression (~0.3 s for 1.2 million cells).
    {} when the file is not an Open XML workbook (e.g. .xls) or its parts cannot be found."""
    try:
        with zipfile.ZipFile(path) as book:
            member = _sheet_member(book, sheet)
            if member is None:
                return {}
            with book.open(member) as fh:
                return _scan_formulas(fh)
    except (zipfile.BadZipFile, KeyError, ET.ParseError, OSError, RuntimeError, ValueError):
        return {}


def _sheet_member(book: zipfile.ZipFile, sheet: str) -> str | None:
    names = set(book.namelist())
    workbook = "xl/workbook.xml"
    if "_rels/.rels" in names:
        for rel in ET.fromstring(book.read("_rels/.rels")).iter(f"{_PKG_NS}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                workbook = rel.get("Target", workbook).lstrip("/")
    if workbook not in names:
        return None
    rel_id = None
    for element in ET.fromstring(book.read(workbook)).iter(f"{_MAIN_NS}sheet"):
        if element.get("name") == sheet:
            rel_id = element.get(f"{_REL_NS}id")
    rels = posixpath.join(posixpath.dirname(workbook), "_rels", posixpath.basename(workbook) + ".rels")
    if rel_id is None or rels not in names:
        return None
    for rel in ET.fromstring(book.read(rels)).iter(f"{_PKG_NS}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            member = (target.lstrip("/") if target.startswith("/")
                      else posixpath.normpath(posixpath.join(posixpath.dirname(workbook), target)))
            return member if member in names else None
    return None


def _scan_formulas(fh, chunk: int = 1 << 22) -> dict[tuple[int, int], str]:
    found: dict[tuple[int, int], str] = {}
    pending = b""
    while True:
        block = fh.read(chunk)
        data = pending + block
        cut = len(data) if not block else data.rfind(b"row>") + 4   # whole rows only
        if cut < 4:
            pending = data
            if not block:
                break
            continue
        part, pending = data[:cut], data[cut:]
        if b"f>" in part or b"f/>" in part or b"f " in part:
            for match in _UNCACHED_FORMULA.finditer(part):
                ref = _CELL_REF.search(match.group(1))
                if ref is None:
                    continue
                text = _unescape((match.group(2) or b"").decode("utf-8", "replace"))
                found[(int(ref.group(2)), _column_index(ref.group(1).decode()))] = "=" + text if text else ""
        if not block:
            break
    return found


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def _decode(name: str, data: bytes, encoding: str | None) -> tuple[str, str, str]:
    if encoding:
        try:
            return data.decode(encoding), encoding, ""
        except LookupError:
            raise ReadError(f"{name}: unknown encoding '{encoding}' in engagement.yaml "
                            "(try utf-8 or cp1252)") from None
        except UnicodeDecodeError as exc:
            raise ReadError(f"{name}: not valid {encoding} text (byte {exc.start}); "
                            "check sources.<table>.encoding in engagement.yaml") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16", ""
    if b"\x00" in data[:4096]:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16
        raise ReadError(f"{name}: this is not a text file (it contains binary data); "
                        "export it again as CSV or .xlsx")
    try:
        return data.decode("utf-8-sig"), "utf-8", ""
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252", (
            "not UTF-8; read as Windows-1252 (set sources.<table>.encoding if accents look wrong)")
    except UnicodeDecodeError as exc:
        raise ReadError(f"{name}: not UTF-8 or Windows-1252 text (byte {exc.start}); set "
                        "sources.<table>.encoding in engagement.yaml or re-export as UTF-8") from None


def _utf16_without_bom(data: bytes) -> tuple[str, str, str] | None:
    """UTF-16 text saved without a byte-order mark (some database and .NET exports): mostly-ASCII
    text has a NUL in every other byte, at odd offsets (little-endian) or even ones (big-endian).
    The decoded text must be text (no control characters but tab and line breaks), so binary
    files with many NULs are still refused."""
    sample = data[:4096]
    sample = sample[:len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd >= half * 0.3 and even <= half * 0.02:
        encoding = "utf-16-le"
    elif even >= half * 0.3 and odd <= half * 0.02:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    head = text[:2048]
    controls = sum(1 for ch in head if ord(ch) < 32 and ch not in "\t\r\n")
    if controls or "\ufffd" in head:
        return None
    return text, encoding, ""


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
