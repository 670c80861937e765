"""Excel workbooks (.xlsx/.xlsm/.xls, via python-calamine) -> a Grid, read without writing to them.

Before anything is unpacked or allocated, an .xlsx is checked against the limits below (README
"Limits on client files"); cells far beyond the table (a stray value a thousand rows down) are left
out and named; formula cells saved without a computed value are found for intake to report.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd

from workbook.engagement.suggest import nearest
from workbook.errors import ReadError
from workbook.intake.grid import Grid, column_letter, short_error

ZIP_MAGIC = b"PK\x03\x04"
# Limits on client workbooks, checked before anything is unpacked or allocated (README "Limits on
# client files"): the parts of an .xlsx unpacked (a 'zip bomb' of a few KB can claim gigabytes),
# the cells one sheet may hold, and the grid (used range) one sheet may span.
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
MAX_SHEET_CELLS = 5_000_000
MAX_GRID_CELLS = 20_000_000
STRAY_ROW_GAP = 1_000   # empty rows / columns that set a far-away cell apart from the table
STRAY_COLUMN_GAP = 100


def read_excel(path: Path, sheet: str | int | None) -> Grid:
    from python_calamine import CalamineWorkbook

    with path.open("rb") as fh:
        zipped = fh.read(4) == ZIP_MAGIC
    if zipped:
        _check_unpacked_size(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for corrupt archives
        raise ReadError(f"{path.name}: the workbook is corrupt or not readable ({short_error(exc)}); "
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
        raise ReadError(f"{path.name}: sheet '{chosen}' could not be read ({short_error(exc)})") from None
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


_DATE_TYPES = {dt.datetime, dt.date, dt.time, dt.timedelta}


def _excel_cell(value: object) -> object:
    if isinstance(value, dt.datetime):
        return pd.Timestamp(value)
    if isinstance(value, dt.date):
        return pd.Timestamp(value)
    if isinstance(value, (dt.time, dt.timedelta)):
        return str(value)
    return value


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
