"""CSV exports -> a Grid: any delimiter, UTF-8 with or without BOM, UTF-16, Windows-1252; LF, CRLF
or classic-Mac CR line endings. Arrow parses a well-formed file on every core; a ragged one (title
rows, short footers, an unquoted delimiter) goes to pandas' parser with each record's field count
kept for intake to report. Quotes that never close, or close rows too late, are found and named.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from workbook.errors import ReadError
from workbook.intake.grid import Grid, QuoteProblem, short_error


def read_csv(path: Path, encoding: str | None) -> Grid:
    grid, ragged = _read_utf8_with_arrow(path, encoding)
    if grid is not None:
        return grid
    data = path.read_bytes()
    text, used, note = _decode(path.name, data, encoding)
    if not text or text.isspace():   # no copy of a 400 MB export to find out
        raise ReadError(f"{path.name}: the file has no data (only blank lines)")
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\n")   # classic Mac line endings ('CSV (Macintosh)' from Excel)
        data = None
    delimiter = _delimiter(text[:65536])
    try:
        grid = _parse_csv(data, text, used, note, delimiter, arrow=not ragged)
    except pd.errors.ParserError as exc:
        if "EOF inside string" not in str(exc):
            raise ReadError(f"{path.name}: the CSV could not be parsed ({short_error(exc)}); ask the client "
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
    grid.quote_problems[:0] = _merged_records(grid, _physical_lines(text), delimiter)
    return grid


SCAN_CHUNK = 1 << 24
UTF8_NAMES = {"utf-8", "utf8", "utf-8-sig", "utf_8"}


def _read_utf8_with_arrow(path: Path, encoding: str | None) -> tuple[Grid | None, bool]:
    """A well-formed UTF-8 export parsed by Arrow straight from the file: no copy of a 400 MB file
    in memory, nor of its text. (grid, False); (None, True) when its records are ragged (the
    pandas parser reads it); (None, False) for anything else read_csv's careful path looks at:
    another encoding, invalid UTF-8, quotes that do not pair up, classic-Mac line endings."""
    if encoding is not None and encoding.lower() not in UTF8_NAMES:
        return None, False
    quotes = newlines = 0
    head = last = b""
    with path.open("rb") as fh:
        while chunk := fh.read(SCAN_CHUNK):
            head = head or chunk[:65536]
            quotes += chunk.count(b'"')
            newlines += chunk.count(b"\n")
            last = chunk[-1:]
    if quotes % 2 or head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4096]:
        return None, False
    head = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    cut = head.rfind(b"\n")
    try:
        sample = head[:cut + 1].decode("utf-8") if cut >= 0 else ""
    except UnicodeDecodeError:
        return None, False
    if not sample.strip():
        return None, False
    delimiter = _delimiter(sample)
    frame, ragged = _arrow_frame(str(path), sample[:sample.index("\n")], delimiter)
    if frame is None:
        return None, ragged
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    grid = Grid(frame, None, "utf-8", "", width=frame.shape[1])
    grid.quote_problems[:0] = _merged_records(grid, newlines + (last != b"\n"), delimiter)
    return grid, False


def _delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:   # e.g. ragged rows: the sniffer wants every line alike
        return _guess_delimiter(sample)


def _physical_lines(text: str) -> int:
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def _parse_csv(data: bytes | None, text: str, used: str, note: str, delimiter: str,
               arrow: bool = True) -> Grid:
    fast = _read_csv_arrow(data, text, used, delimiter) if arrow else None
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


def _merged_records(grid: Grid, lines: int, delimiter: str) -> list[QuoteProblem]:
    """Records holding lines that look like rows of their own inside a quoted value: a stray quote
    merged them. Only looked for when the file has more physical `lines` than records (quoted
    newlines), so a file without any costs one count of its line breaks."""
    cells = grid.cells
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
    if encoding == "utf-8" and data is not None:
        raw = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    else:
        raw = text.encode("utf-8")
    end = text.find("\n")
    return _arrow_frame(io.BytesIO(raw), text if end < 0 else text[:end], delimiter)[0]


def _arrow_frame(source, first_line: str, delimiter: str) -> tuple[pd.DataFrame | None, bool]:
    """(the records as text columns, False), or (None, ragged?) when Arrow cannot read them all
    alike: a record with another number of fields (ragged: True), or invalid UTF-8."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:
        return None, False
    ragged: list[int] = []

    def on_invalid(row) -> str:
        ragged.append(row.number or -1)
        return "error"   # stop at the first ragged record: the pandas parser reads those files

    width = len(next(csv.reader(io.StringIO(first_line), delimiter=delimiter), [])) or 1
    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            source,
            read_options=pacsv.ReadOptions(column_names=names, use_threads=True),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False,
                                             newlines_in_values=True, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.large_string() for n in names},
                                                 strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None, bool(ragged)
    if ragged:
        return None, True
    # read as large_string, what pandas' Arrow strings hold: no copy of every column into pandas
    dtype = pd.StringDtype("pyarrow", na_value=float("nan"))
    frame = table.to_pandas(types_mapper=lambda t: dtype if t == pa.large_string() else None)
    frame.columns = range(frame.shape[1])
    return frame, False


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
