"""Vectorised cleaning of messy export values into canonical ones.

Each parser takes a Series of raw cells (strings, numbers, timestamps) and
returns (parsed, bad) where `bad` marks non-empty cells it could not read, so
intake can report them by row. Parsing works on unique values where that is
cheaper: exports repeat dates and labels millions of times.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
SERIAL_MIN, SERIAL_MAX = 1, 2958465  # 1900-01-01 .. 9999-12-31


BLANK_WORDS = ["", "nan", "nat", "none", "null", "n/a", "-"]


def is_text_dtype(s: pd.Series) -> bool:
    """A column of strings (CSV columns are): vectorised string methods apply, no per-cell checks."""
    return pd.api.types.is_string_dtype(s.dtype) and s.dtype != object


_FACTORISED: list[tuple[object, tuple]] = []   # (column array, (codes, uniques)), most recent last


def _factorize(s: pd.Series) -> tuple:
    """pd.factorize, remembered for the same column array: intake's skip checks and cleaning
    look at each column several times, and factorising 5 million strings costs ~0.2 s."""
    array = s.array
    for seen, result in _FACTORISED:
        if seen is array:
            return result
    result = pd.factorize(s, use_na_sentinel=True)
    _FACTORISED.append((array, result))
    del _FACTORISED[:-12]
    return result


def forget_columns() -> None:
    """Release the remembered factorisations (called when a table is loaded)."""
    _FACTORISED.clear()


def on_uniques(fn, s: pd.Series):
    """Apply a column function to the distinct values only, then spread the results back.

    Exports repeat owners, stages, dates and labels millions of times; cleaning
    each distinct value once is what keeps a 5-million-row CRM export fast.
    Returns a Series (or a tuple of Series) indexed like `s`.
    """
    codes, uniques = _factorize(s)
    if len(uniques) > 0.5 * len(s):
        return fn(s)
    distinct = pd.Series(uniques, dtype=s.dtype if is_text_dtype(s) else object)
    with_na = pd.concat([distinct, pd.Series([pd.NA], dtype=distinct.dtype)], ignore_index=True)
    result = fn(with_na)
    take = np.where(codes < 0, len(with_na) - 1, codes)

    def spread(r: pd.Series) -> pd.Series:
        return pd.Series(r.array.take(take), index=s.index, name=s.name)

    return tuple(spread(r) for r in result) if isinstance(result, tuple) else spread(result)


def is_blank(s: pd.Series) -> pd.Series:
    return on_uniques(_is_blank, s).astype(bool)


def _is_blank(s: pd.Series) -> pd.Series:
    if is_text_dtype(s):
        return (s.isna() | s.str.strip().str.lower().isin(BLANK_WORDS)).fillna(True).astype(bool)
    text = s.astype(str).str.strip()
    return s.isna() | text.str.lower().isin(BLANK_WORDS)


def is_str_cell(s: pd.Series) -> pd.Series:
    """Which cells hold text (as opposed to numbers or dates from a workbook)."""
    if is_text_dtype(s):
        return s.notna()
    return s.map(lambda v: isinstance(v, str)).astype(bool)


def is_number_cell(s: pd.Series) -> pd.Series:
    if is_text_dtype(s):
        return pd.Series(False, index=s.index)
    return s.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)).astype(bool)


def as_text(s: pd.Series) -> pd.Series:
    """Cells as trimmed text with single spaces; numbers like 1001.0 become '1001'."""
    return on_uniques(_as_text, s)


def _as_text(s: pd.Series) -> pd.Series:
    if is_text_dtype(s):
        text = s.str.strip().str.replace("[ \t\r\n\xa0]+", " ", regex=True)   # real chars: Arrow-safe
        return text.where(text.ne(""), pd.NA).astype("string")

    def one(v: object) -> object:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return pd.NA
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if isinstance(v, pd.Timestamp):
            return v.strftime("%Y-%m-%d")
        text = " ".join(str(v).split())
        return text if text else pd.NA

    uniques = pd.unique(s.to_numpy(dtype=object))
    lookup = {u: one(u) for u in uniques}
    return s.map(lookup).astype("string")


def clean_id(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = as_text(s).str.upper().str.replace(" ", "", regex=False)
    return text, pd.Series(False, index=s.index)


def clean_name(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    return as_text(s), pd.Series(False, index=s.index)


def name_key(s: pd.Series) -> pd.Series:
    """What names are matched on: trimmed, single-spaced, case-folded."""
    return on_uniques(lambda part: _as_text(part).str.casefold(), s)


_MONEY_STRIP = r"[^0-9.,]"   # plain strings so pandas runs patterns in Arrow


def infer_decimal(text: pd.Series) -> str:
    """',' when the column's values use a decimal comma (1.234,50 or 12,5), else '.'."""
    comma = text.str.contains(r"[0-9],[0-9]{1,2}$", regex=True, na=False).sum()
    comma += text.str.contains(r"[0-9]\.[0-9]{3},", regex=True, na=False).sum()
    dot = text.str.contains(r"[0-9]\.[0-9]{1,2}$", regex=True, na=False).sum()
    dot += text.str.contains(r"[0-9],[0-9]{3}\.", regex=True, na=False).sum()
    return "," if comma > dot else "."


def parse_money(s: pd.Series, decimal: str | None = None) -> tuple[pd.Series, pd.Series]:
    """$1,234.50 / USD 12,000 / (1,200) / 1.234,50 € / -5 -> float.

    The decimal convention is inferred once for the whole column, then values
    are parsed (once per distinct value)."""
    explicit = decimal is not None
    if decimal is None:
        text = s.where(is_str_cell(s)).astype("string").str.strip()
        decimal = infer_decimal(text)
    return on_uniques(lambda part: _parse_money(part, decimal, explicit), s)


def _parse_money(s: pd.Series, decimal: str, explicit: bool) -> tuple[pd.Series, pd.Series]:
    blank = _is_blank(s)
    numeric = pd.to_numeric(s.where(is_number_cell(s)), errors="coerce")
    text = s.where(~blank & numeric.isna()).astype("string").str.strip()
    negative = text.str.match(r"^\(.*\)$", na=False) | text.str.contains(r"^[^0-9]*-|-[ \t]*$", regex=True,
                                                                          na=False)
    percent = text.str.endswith("%", na=False)
    digits = text.str.replace(_MONEY_STRIP, "", regex=True)
    digits = _normalise_separators(digits, decimal, explicit)
    value = pd.to_numeric(digits.where(digits.str.count(r"\.") <= 1), errors="coerce").astype("Float64")
    value = value.where(~negative, -value).where(~percent, value / 100)
    letters_ok = text.str.fullmatch(r"[ \t$€£¥()+\-.,%0-9]*(?:[A-Za-z]{3})?[ \t$€£¥()+\-.,%0-9]*", na=False)
    value = value.where(letters_ok)
    out = numeric.astype("float64").fillna(value.astype("float64")).astype("Float64")
    bad = ~blank & out.isna()
    return out, bad


def _normalise_separators(digits: pd.Series, decimal: str, explicit: bool) -> pd.Series:
    """Digits with ',' and '.' -> digits with one '.' decimal point.

    With both separators the last one is the decimal point (1.234,50 and
    1,234.50); with one kind only, the column's convention decides, except that
    a separator followed by exactly three digits repeated (1,234,567) is a
    thousands separator, and so is a lone ',' before three digits (1,200)
    unless the engagement says the decimal separator is ','.
    """
    has_comma = digits.str.contains(",", regex=False, na=False)
    has_dot = digits.str.contains(".", regex=False, na=False)
    both = has_comma & has_dot
    comma_last = digits.str.contains(r",[0-9]*$", regex=True, na=False)   # no '.' after the last ','
    comma_grouped = digits.str.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+", na=False)
    comma_decimal = (both & comma_last) | (
        ~both & has_comma & (decimal == ",") & ~(comma_grouped & (not explicit))
        & ~digits.str.contains(r",[0-9]{3},", na=False))
    dot_thousands_only = ~both & has_dot & (decimal == ",") & digits.str.fullmatch(
        r"[0-9]{1,3}(\.[0-9]{3})+", na=False)
    as_comma = digits.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    as_dot = digits.str.replace(",", "", regex=False)
    out = as_dot.where(~comma_decimal, as_comma)
    return out.where(~dot_thousands_only, digits.str.replace(".", "", regex=False))


def parse_number(s: pd.Series, decimal: str | None = None) -> tuple[pd.Series, pd.Series]:
    return parse_money(s, decimal)


_DATE_FORMATS_MDY = ["%m/%d/%Y", "%m/%d/%y", "%m-%d-%Y", "%m.%d.%Y"]
_DATE_FORMATS_DMY = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y"]
_DATE_FORMATS_COMMON = [
    "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d",
    "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%d-%b-%Y", "%d-%b-%y", "%b %d %Y",
    "%d %b %y",
]


def infer_date_order(text: pd.Series) -> str:
    """'dmy' when some slash-dates can only be day-first (13/02/2026), else 'mdy'."""
    parts = text.str.extract(r"^([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-][0-9]{2,4}")
    first = pd.to_numeric(parts[0], errors="coerce")
    second = pd.to_numeric(parts[1], errors="coerce")
    return "dmy" if (first > 12).sum() > (second > 12).sum() else "mdy"


def parse_date(s: pd.Series, date_format: str | None = None) -> tuple[pd.Series, pd.Series]:
    """Dates in mixed text formats, Excel serial numbers and real date cells -> Timestamp."""
    blank = is_blank(s)
    uniques = pd.Series(pd.unique(s[~blank].to_numpy(dtype=object)), dtype=object)
    stamps = pd.to_datetime(uniques.where(uniques.map(lambda v: isinstance(v, pd.Timestamp))),
                            errors="coerce")
    serial = pd.to_numeric(uniques.where(uniques.map(lambda v: isinstance(v, (int, float))))
                           .fillna(uniques.where(uniques.map(lambda v: isinstance(v, str)
                                                             and re.fullmatch(r"\d{5}(\.\d+)?", v.strip())
                                                             is not None))), errors="coerce")
    serial = serial.where((serial >= SERIAL_MIN) & (serial <= SERIAL_MAX))
    from_serial = EXCEL_EPOCH + pd.to_timedelta(serial.fillna(0).round().astype("int64"), unit="D")
    stamps = stamps.fillna(from_serial.where(serial.notna()))
    text = uniques.where(stamps.isna() & uniques.map(lambda v: isinstance(v, str))).astype("string")
    text = text.str.strip()
    order = date_format or infer_date_order(text)
    formats = _DATE_FORMATS_COMMON + (_DATE_FORMATS_DMY if order == "dmy" else _DATE_FORMATS_MDY)
    for fmt in formats:
        missing = stamps.isna() & text.notna()
        if not missing.any():
            break
        stamps = stamps.fillna(pd.to_datetime(text.where(missing), format=fmt, errors="coerce"))
    stamps = stamps.dt.normalize()
    lookup = dict(zip(uniques, stamps, strict=True))
    out = pd.to_datetime(s.map(lookup).where(~blank))
    bad = ~blank & out.isna()
    return out, bad


def map_labels(s: pd.Series, synonyms: dict[str, str], default: str | None = None
               ) -> tuple[pd.Series, pd.Series]:
    """Free-text labels -> canonical values via a synonym table (keys normalised).

    Matching is on the normalised label (lowercase, punctuation to spaces),
    exact first, then by the first synonym found as a whole word. Unknown
    labels get `default` when given (and are still marked bad so intake can
    warn), else NA.
    """
    blank = is_blank(s)
    uniques = pd.unique(s[~blank].astype(str).to_numpy())
    lookup: dict[str, object] = {}
    unknown: set[str] = set()
    ordered = sorted(synonyms, key=len, reverse=True)
    for raw in uniques:
        key = normalise_label(raw)
        hit = synonyms.get(key)
        if hit is None:
            for syn in ordered:
                if re.search(rf"\b{re.escape(syn)}\b", key):
                    hit = synonyms[syn]
                    break
        if hit is None:
            unknown.add(raw)
            hit = default if default is not None else pd.NA
        lookup[raw] = hit
    text = s.astype(str)
    out = text.map(lookup).where(~blank).astype("string")
    bad = ~blank & text.isin(unknown)
    return out, bad


def normalise_label(value: object) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(value).casefold()).split())


def normalise_header(value: object) -> str:
    return "_".join(re.sub(r"[^0-9a-z]+", " ", str(value).casefold()).split())
