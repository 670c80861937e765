"""Client files -> a raw grid of cells, numbered as the client sees them.

Reads CSV (any delimiter, UTF-8 with or without BOM, UTF-16, Windows-1252)
and Excel workbooks (.xlsx/.xlsm/.xls via python-calamine) without ever
writing to them. Every problem that stops a file being read is a ReadError
whose message names the file and says what to do.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workbook.engagement.suggest import nearest
from workbook.errors import ReadError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}


@dataclass
class Grid:
    """Every cell of one sheet or CSV, as objects; index = the client's 1-based row numbers."""

    cells: pd.DataFrame
    sheet: str | None
    encoding: str | None
    note: str = ""


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
    return Grid(frame, chosen, None)


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
    sample = text[:65536]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    fast = _read_csv_arrow(data, text, used, delimiter)
    if fast is not None:
        fast.index = pd.RangeIndex(1, len(fast) + 1)
        return Grid(fast, None, used, note)
    options = dict(header=None, dtype=str, keep_default_na=False, skip_blank_lines=False,
                   sep=delimiter, quotechar='"')
    try:
        frame = pd.read_csv(io.StringIO(text), **options)
    except pd.errors.ParserError:
        width = max((len(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)), default=1)
        frame = pd.read_csv(io.StringIO(text), names=list(range(width)), **options)
    frame = frame.fillna("")   # text columns stay a string dtype: vectorised cleaning
    frame.columns = range(frame.shape[1])
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return Grid(frame, None, used, note)


def _read_csv_arrow(data: bytes, text: str, encoding: str, delimiter: str) -> pd.DataFrame | None:
    """Multi-threaded parse with Arrow when every record has the same number of fields (the
    usual large export); None when the file is ragged (title rows, short footers), which the
    pandas parser below handles."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:
        return None
    if encoding == "utf-8":
        raw = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    else:
        raw = text.encode("utf-8")
    ragged: list[int] = []

    def on_invalid(row) -> str:
        ragged.append(row.number or -1)
        return "skip"

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
