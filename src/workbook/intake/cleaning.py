"""Vectorised cleaning of messy export values into canonical ones.

Each parser takes a Series of raw cells (strings, numbers, timestamps) and
returns (parsed, bad) where `bad` marks non-empty cells it could not read, so
intake can report them by row. Parsing works on unique values where that is
cheaper: exports repeat dates and labels millions of times.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from workbook.intake.distinct import (
    factorize,
    is_text_dtype,
    matching_cells,
    on_uniques,
    replaced_at,
)

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
SERIAL_MIN, SERIAL_MAX = 1, 2958465  # 1900-01-01 .. 9999-12-31


# Cells that mean "no value" in exports (compared trimmed and lower-cased): database NULLs, Excel's
# #N/A, pandas' own NaN/NaT/<NA>, pivot tables' (blank) and the dashes people type for "none".
BLANK_WORDS = ["", "nan", "nat", "<na>", "none", "null", "n/a", "na", "n.a.", "n.a", "#n/a", "(blank)",
               "-", "--", "---", "\u2013", "\u2014"]
# "NA" is also North America: free-text columns (region, team, title) keep it as a value
TEXT_BLANK_WORDS = [w for w in BLANK_WORDS if w != "na"]


def is_blank(s: pd.Series) -> pd.Series:
    """Empty cells and blank tokens (NULL, N/A, #N/A, -, (blank), ...: see BLANK_WORDS)."""
    digits = _digit_cells(s)
    if digits is not None:   # a cell with a digit is never blank: only the others are looked at
        blank = np.zeros(len(s), dtype=bool)
        rest = ~digits
        if rest.any():
            blank[rest] = blank_cells(s[rest]).to_numpy(dtype=bool)
        return pd.Series(blank, index=s.index)
    return on_uniques(blank_cells, s).astype(bool)


DIGIT_ROWS = 200_000   # a column this long that is nearly all digits (ids, amounts, dates)...
DIGIT_SHARE = 0.9      # ...is checked for blanks by one pass for digits, not by factorising it


def _digit_cells(s: pd.Series) -> np.ndarray | None:
    """Which cells of a long text column hold a digit (no blank token does), or None when the
    column is short, or not mostly digits."""
    return matching_cells(s, "[0-9]", DIGIT_SHARE, DIGIT_ROWS)


def blank_cells(s: pd.Series, words: list[str] = BLANK_WORDS) -> pd.Series:
    """is_blank cell by cell, without its shortcuts: for values already distinct (a caller working
    on a column's distinct values) and as the rule the shortcuts are tested against."""
    if is_text_dtype(s):
        return (s.isna() | s.str.strip().str.lower().isin(words)).fillna(True).astype(bool)
    text = s.astype(str).str.strip()
    return (s.isna() | text.str.lower().isin(words)).fillna(True).astype(bool)


def is_str_cell(s: pd.Series) -> pd.Series:
    """Which cells hold text (as opposed to numbers or dates from a workbook)."""
    if is_text_dtype(s):
        return s.notna()
    return s.map(lambda v: isinstance(v, str)).astype(bool)


def is_number_cell(s: pd.Series) -> pd.Series:
    if is_text_dtype(s):
        return pd.Series(False, index=s.index)
    return s.map(_is_number).astype(bool)


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


_NUMERIC_TEXT = (   # an amount or count as text: 1,234.50 / $ (1 200,50) / 12% / 1.5k is not
    "[ \t\u00a0\u202f]*[(+\\-\u2212]?[ \t\u00a0\u202f]*(?:[A-Za-z]{3}[ \t\u00a0\u202f]*)?[$€£¥]?"
    "[ \t\u00a0\u202f]*[(+\\-\u2212]?[ \t\u00a0\u202f]*[0-9][0-9.,' \u00a0\u202f]*[ \t\u00a0\u202f]*%?"
    "[ \t\u00a0\u202f]*(?:[$€£¥]|[A-Za-z]{3})?[ \t\u00a0\u202f]*[)\\-]?[ \t\u00a0\u202f]*"
)


def looks_numeric(s: pd.Series) -> pd.Series:
    """Number cells, and text that reads as an amount or a count ('$300.00', '(1,200)', '12%').

    For a handful of cells (e.g. the rest of a suspected total row): no factorisation is remembered."""
    if is_text_dtype(s):
        return s.str.fullmatch(_NUMERIC_TEXT, na=False).astype(bool)
    text = pd.Series([v if isinstance(v, str) else "" for v in s], index=s.index, dtype="string")
    return (is_number_cell(s) | text.str.fullmatch(_NUMERIC_TEXT, na=False)).astype(bool)


def as_text(s: pd.Series) -> pd.Series:
    """Cells as trimmed text with single spaces; numbers like 1001.0 become '1001'."""
    return on_uniques(_as_text, s)


def _as_text(s: pd.Series) -> pd.Series:
    if is_text_dtype(s):
        text = s.str.strip().str.replace("[ \t\r\n\xa0]+", " ", regex=True)   # real chars: Arrow-safe
        return text.where(text.ne(""), pd.NA).astype("string")

    def one(v: object) -> object:
        if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and np.isnan(v)):
            return pd.NA   # a missing cell, not the text '<NA>' or 'nan'
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if isinstance(v, pd.Timestamp):
            return v.strftime("%Y-%m-%d")
        text = " ".join(str(v).split())
        return text if text else pd.NA

    uniques = pd.unique(s.to_numpy(dtype=object))
    lookup = {u: one(u) for u in uniques}
    return s.map(lookup).astype("string")


def _text_or_blank(s: pd.Series, words: list[str] = BLANK_WORDS) -> pd.Series:
    """_as_text with blank tokens (NULL, N/A, -, ...) as missing."""
    return _as_text(s).mask(blank_cells(s, words).to_numpy())


def clean_id(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Ids: trimmed, upper-cased, no inner spaces; '1001.0' (a number column exported as text) is
    '1001'; blank tokens are missing, not an unknown id."""
    return on_uniques(_clean_id, s), pd.Series(False, index=s.index)


def _clean_id(s: pd.Series) -> pd.Series:
    if is_text_dtype(s):   # ids already as cleaning leaves them (a CRM's deal ids): one check, no rewrite
        ready = (s.str.fullmatch(_CLEAN_ID, na=False) & ~s.isin(_ID_BLANK_WORDS)).to_numpy(dtype=bool)
        if ready.all():
            return s.astype("string")
        if ready.any():   # the others (a missing id, ' opp-12 ') rewritten and put back in place
            return replaced_at(s.astype("string"), ~ready, _clean_id(s[~ready]))
    text = _text_or_blank(s).str.upper().str.replace(" ", "", regex=False)
    return text.str.replace(r"^([0-9]+)\.0+$", r"\1", regex=True)


# an id as _clean_id would leave it: upper case, digits and separators, no space and no '.' (so
# never '1001.0'), at least one letter or digit; the blank words that fit that shape are not ids
_CLEAN_ID = r"[A-Z0-9_\-/#:]*[A-Z0-9][A-Z0-9_\-/#:]*"
_ID_BLANK_WORDS = [w.upper() for w in BLANK_WORDS]


def clean_name(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Names as the client writes them (trimmed, single-spaced); blank tokens are missing."""
    return on_uniques(_text_or_blank, s), pd.Series(False, index=s.index)


def clean_text(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Free text (region, team, title, program) like clean_name, except that 'NA' stays a value
    (North America); NULL, N/A, #N/A, -, (blank) are still missing."""
    return on_uniques(lambda part: _text_or_blank(part, TEXT_BLANK_WORDS), s), pd.Series(False, index=s.index)


def name_key(s: pd.Series) -> pd.Series:
    """What names are matched on: trimmed, single-spaced, case-folded, Unicode-normalised (a
    decomposed 'José' from a macOS export equals the composed one; accents are kept), and
    "Last, First" read as "First Last"."""
    return on_uniques(_name_key, s)


# "Lee, Summer" (payroll and HRIS order) is the same person as "Summer Lee" (CRM owner); a part
# after the comma that is a suffix ("King, Jr.") is not a first name
_LAST_FIRST = r"^([^,]+?)\s*,(?!\s*(?:jr|sr|ii|iii|iv|phd|md|esq)\.?$)\s*([^,]+)$"


def _name_key(s: pd.Series) -> pd.Series:
    text = _text_or_blank(s)
    # an ASCII name is its own NFKC and NFC form, and its case fold is its lower case (in Arrow);
    # only the others go through Python's Unicode functions, one name at a time
    key = text.str.lower()
    other = ~text.str.isascii().fillna(True).to_numpy(dtype=bool)
    if other.any():
        key = replaced_at(key, other, text[other].str.normalize("NFKC").str.casefold().str.normalize("NFC"))
    comma = key.str.contains(",", regex=False, na=False).to_numpy()
    if comma.any():   # the pattern needs Python's re (a lookahead): only names with a comma
        key = replaced_at(key, comma, key[comma].str.replace(_LAST_FIRST, r"\2 \1", regex=True))
    return key


_DATE_FORMATS_MDY = ["%m/%d/%Y", "%m/%d/%y", "%m-%d-%Y", "%m.%d.%Y"]
_DATE_FORMATS_DMY = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y"]
_DATE_FORMATS_COMMON = [
    "%Y-%m-%d", "%Y/%m/%d", "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%d-%b-%Y", "%d-%b-%y",
    "%b %d %Y", "%d %b %y",
]
# a time after the date (kept out of the date): 14:30, 14:30:00.000 (SQL Server), 2:30 PM (US CRMs),
# T14:30:00Z / +02:00 (ISO 8601). The date is the calendar date as written: no time-zone shift.
_TIME_SUFFIX = (r"(?:[ ]*T|[ ]+|,[ ]*)(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:[.,][0-9]+)?)?"
                r"(?:[ ]*[AaPp]\.?[Mm]\.?)?(?:[ ]*(?:Z|UTC|GMT|[+-][0-9]{2}(?::?[0-9]{2})?))?$")
_WEEKDAY_PREFIX = r"^(?i:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?[ ]+"
_COMPACT_DATE = r"(?:19|20|21)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"   # 20260315


def infer_date_order(text: pd.Series) -> str:
    """'dmy' when some slash-dates can only be day-first (13/02/2026), else 'mdy'."""
    parts = text.str.extract(r"^([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-][0-9]{2,4}")
    first = pd.to_numeric(parts[0], errors="coerce")
    second = pd.to_numeric(parts[1], errors="coerce")
    return "dmy" if (first > 12).sum() > (second > 12).sum() else "mdy"


def parse_date(s: pd.Series, date_format: str | None = None) -> tuple[pd.Series, pd.Series]:
    """Dates in mixed text formats, Excel serial numbers and real date cells -> Timestamp (a day).

    Text dates may carry a time (SQL Server '2026-03-15 14:30:00.000', ISO
    '2026-03-15T14:30:00Z' or '+02:00', US '3/15/2026 2:30 PM'), which is
    dropped; compact '20260315' is read too. Excel serials with a time
    fraction are truncated to their day (46096.75 is 2026-03-15 18:00)."""
    if is_text_dtype(s):
        _codes, uniques = factorize(s)
        if len(uniques) > 0.5 * len(s):   # datetimes are mostly distinct, their days are not
            s = s.str.strip().str.replace(_TIME_SUFFIX, "", regex=True)
    out, bad = on_uniques(lambda part: _parse_date(part, date_format), s)
    return pd.to_datetime(out), bad.astype(bool)


def _parse_date(s: pd.Series, date_format: str | None) -> tuple[pd.Series, pd.Series]:
    blank = blank_cells(s).to_numpy()
    values = pd.Series(s.to_numpy(dtype=object), dtype=object).where(~blank)
    is_stamp = values.map(lambda v: isinstance(v, (dt.date, np.datetime64)) and not pd.isna(v))
    stamps = pd.to_datetime(values.where(is_stamp).map(_naive, na_action="ignore"), errors="coerce")
    is_num = values.map(_is_number).astype(bool)
    is_str = values.map(lambda v: isinstance(v, str)).astype(bool)
    number = pd.to_numeric(values.where(is_num), errors="coerce")
    serial_text = values.where(is_str).astype("string").str.strip()
    serial_from_text = pd.to_numeric(serial_text.where(
        serial_text.str.fullmatch(r"[0-9]{5}(?:\.[0-9]+)?", na=False)), errors="coerce")
    serial = number.astype("float64").fillna(serial_from_text.astype("float64"))
    serial = serial.where((serial >= SERIAL_MIN) & (serial <= SERIAL_MAX)).astype("float64")
    from_serial = EXCEL_EPOCH + pd.to_timedelta(np.floor(serial.fillna(0)).astype("int64"), unit="D")
    stamps = stamps.fillna(from_serial.where(serial.notna()))
    # an 8-digit number cell such as 20260315 is a compact date, not a serial
    compact_number = number.where(serial.isna() & number.notna() & (number % 1 == 0))
    compact_number = compact_number.map(lambda v: str(int(v)), na_action="ignore")
    text = values.where(stamps.isna() & is_str).astype("string").fillna(
        compact_number.astype("string"))
    text = text.str.replace("[ \t\u00a0]+", " ", regex=True).str.strip()
    text = text.str.replace(_WEEKDAY_PREFIX, "", regex=True).str.replace(_TIME_SUFFIX, "", regex=True)
    compact = text.str.fullmatch(_COMPACT_DATE, na=False)
    stamps = stamps.fillna(pd.to_datetime(text.where(compact), format="%Y%m%d", errors="coerce"))
    order = date_format or infer_date_order(text)
    formats = _DATE_FORMATS_COMMON + (_DATE_FORMATS_DMY if order == "dmy" else _DATE_FORMATS_MDY)
    for fmt in formats:
        missing = stamps.isna() & text.notna()
        if not missing.any():
            break
        stamps = stamps.fillna(pd.to_datetime(text.where(missing), format=fmt, errors="coerce"))
    out = pd.to_datetime(stamps).dt.normalize()
    out.index = s.index
    bad = pd.Series(~blank, index=s.index) & out.isna()
    return out, bad


def _naive(v: object) -> pd.Timestamp:
    stamp = pd.Timestamp(v)
    return stamp.tz_localize(None) if stamp.tzinfo is not None else stamp
