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
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}


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
        body = self.cells.loc[self.cells.index > header_row]
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
    try:
        rows = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except Exception as exc:
        raise ReadError(f"{path.name}: sheet '{chosen}' could not be read ({_short(exc)})") from None
    width = max((len(r) for r in rows), default=0)
    frame = pd.DataFrame([list(r) + [""] * (width - len(r)) for r in rows], dtype=object)
    frame = frame.map(_excel_cell) if len(frame) else frame
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return Grid(frame, chosen, None, uncached_formulas=_uncached_formulas(path, chosen))


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
    if not text.strip():
        raise ReadError(f"{path.name}: the file has no data (only blank lines)")
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\n")   # classic Mac line endings ('CSV (Macintosh)' from Excel)
        data = None
    sample = text[:65536]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:   # e.g. ragged rows: the sniffer wants every line alike
        delimiter = _guess_delimiter(sample)
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
        except pd.errors.ParserError:
            width = max((len(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)), default=1)
            frame = pd.read_csv(io.StringIO(text), names=list(range(width)), **options)
    frame = frame.fillna("")   # text columns stay a string dtype: vectorised cleaning
    frame.columns = range(frame.shape[1])
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    if counts is None or len(counts) != len(frame):   # records not known one for one: no ragged rows
        return Grid(frame, None, used, note)
    usual, field_counts = _field_counts(counts)
    return Grid(frame, None, used, note, width=usual, field_counts=field_counts)


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

    width = len(next(csv.reader(io.StringIO(text.split("\n", 1)[0]), delimiter=delimiter), [])) or 1
    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(raw),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=True),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False,
                                             newlines_in_values=True, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if ragged:
        return None
    dtype = pd.StringDtype("pyarrow", na_value=float("nan"))
    frame = table.to_pandas(types_mapper=lambda t: dtype if t == pa.string() else None)
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


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
