"""Amounts and numbers as exports write them: $1,234.50 / USD 12,000 / (1,200) / 1.234,50 EUR.

The decimal convention is inferred once per column (from every value, weighted by how often it
occurs), then each distinct value is parsed once. A long CSV column of plain amounts ('$5,111.36',
'1250', '-3.5': one reading whatever the convention) is parsed whole by Arrow, and only its other
values go through the separator rules.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.intake.cleaning import blank_cells, is_number_cell, is_str_cell
from workbook.intake.distinct import factorize, is_text_dtype, matching_cells, on_uniques

_MONEY_STRIP = r"[^0-9.,]"   # plain strings so pandas runs patterns in Arrow
_SPACES = " \t\u00a0\u202f"   # thousands may be grouped by (non-breaking, narrow) spaces
_MONEY_CHARS = f"[{_SPACES}$€£¥()+\\-\u2212.,'’%0-9]*"
_ACCOUNTING_ZERO = f"[{_SPACES}]*[$€£¥]?[{_SPACES}]*-+[{_SPACES}]*[$€£¥]?[{_SPACES}]*"


def infer_decimal(text: pd.Series, weights: np.ndarray | None = None, plus: tuple[float, float] = (0, 0)) -> str:
    """',' when the column's values use a decimal comma (1.234,50 or 12,5), else '.'.

    Judged on the digits and separators only, so '1 234,50 €' counts as decimal comma.
    `weights`: how many cells each value stands for, when `text` holds distinct values;
    `plus`: (comma, dot) votes of cells counted elsewhere (plain amounts, see _plain_votes)."""
    text = text.str.replace(_MONEY_STRIP, "", regex=True)

    def votes(pattern: str) -> float:
        hits = text.str.contains(pattern, regex=True, na=False).to_numpy(dtype=bool)
        return float(hits.sum() if weights is None else weights[hits].sum())

    comma = votes(r"[0-9],[0-9]{1,2}$") + votes(r"[0-9]\.[0-9]{3},") + plus[0]
    dot = votes(r"[0-9]\.[0-9]{1,2}$") + votes(r"[0-9],[0-9]{3}\.") + plus[1]
    return "," if comma > dot else "."


def parse_money(s: pd.Series, decimal: str | None = None) -> tuple[pd.Series, pd.Series]:
    """$1,234.50 / USD 12,000 / (1,200) / $(1,200.00) / 1.234,50 € / 1 234,50 € / -5 -> float.

    The decimal convention is inferred once for the whole column, then values
    are parsed (once per distinct value). Blank tokens and Excel's accounting
    zero ('$ -', '-') are missing, not 0 and not unreadable."""
    explicit = decimal is not None
    plain = _plain_cells(s, decimal)
    if plain is not None:
        return _parse_plain_and_rest(s, plain, decimal, explicit)
    if decimal is None:   # judged on the distinct values, each weighted by its number of cells
        decimal = _column_decimal(s)
    return on_uniques(lambda part: _parse_money(part, decimal, explicit), s)


def _column_decimal(s: pd.Series, plus: tuple[float, float] = (0, 0)) -> str:
    codes, uniques = factorize(s)
    distinct = pd.Series(uniques, dtype=s.dtype if is_text_dtype(s) else object)
    text = distinct.where(is_str_cell(distinct)).astype("string").str.strip()
    return infer_decimal(text, np.bincount(codes[codes >= 0], minlength=len(uniques)), plus)


# An amount that reads the same whatever the column's decimal convention: digits with at most two
# after a '.', or ','-grouped thousands before such a '.'; an optional '-' and '$' first. Never a
# lone ',' (1,200 is twelve hundred or 1.2) nor three digits after a '.' (1.234).
_UNAMBIGUOUS = r"-?\$?(?:[0-9]{1,15}(?:\.[0-9]{1,2})?|[0-9]{1,3}(?:,[0-9]{3}){1,4}\.[0-9]{1,2})"
PLAIN_ROWS = 200_000   # a column this long...
PLAIN_SHARE = 0.5      # ...with at least this share of such amounts is parsed whole by Arrow


def _plain_cells(s: pd.Series, decimal: str | None) -> np.ndarray | None:
    """Which cells of a long CSV column are unambiguous amounts (see _UNAMBIGUOUS), or None when
    the column is short, not text, read with a decimal comma, or mostly something else."""
    if decimal == ",":
        return None
    return matching_cells(s, _UNAMBIGUOUS, PLAIN_SHARE, PLAIN_ROWS, whole=True)


def _parse_plain_and_rest(s: pd.Series, plain: np.ndarray, decimal: str | None,
                          explicit: bool) -> tuple[pd.Series, pd.Series]:
    """parse_money's result, with the plain amounts read whole by Arrow ('$' and ',' dropped, then
    cast) and the other cells by the separator rules, under the convention all cells vote for."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.chunked_array(s.array[plain].__arrow_array__()).combine_chunks()
    digits = pc.replace_substring(pc.replace_substring(text, "$", ""), ",", "")
    values = np.zeros(len(s), dtype=np.float64)
    values[plain] = pc.cast(digits, pa.float64()).to_numpy(zero_copy_only=False)
    rest = ~plain
    missing = rest.copy()   # the plain amounts are all there; the rest as parsed below
    bad = np.zeros(len(s), dtype=bool)
    if rest.any():
        other = s[rest]
        if decimal is None:
            decimal = _column_decimal(other, _plain_votes(text))
        parsed, unreadable = on_uniques(lambda part: _parse_money(part, decimal, explicit), other)
        missing[rest] = parsed.isna().to_numpy(dtype=bool)
        values[rest] = parsed.to_numpy(dtype=np.float64, na_value=0.0)
        bad[rest] = unreadable.to_numpy(dtype=bool)
    out = pd.Series(pd.arrays.FloatingArray(values, missing), index=s.index, name=s.name)
    return out, pd.Series(bad, index=s.index, name=s.name)


def _plain_votes(text) -> tuple[float, float]:
    """infer_decimal's (comma, dot) votes of plain amounts: one for a '.' before the last one or
    two digits, one more for ','-grouped thousands before it; none for a decimal comma."""
    import pyarrow.compute as pc

    dots = pc.sum(pc.match_substring(text, ".")).as_py() or 0
    commas = pc.sum(pc.match_substring(text, ",")).as_py() or 0
    return 0.0, float(dots + commas)


def _parse_money(s: pd.Series, decimal: str, explicit: bool) -> tuple[pd.Series, pd.Series]:
    if is_text_dtype(s):   # plain amounts ('1250', '-3', and where '.' is the decimal point '5111.36',
        # '$5,111.36'): no separator rules to apply
        plain = s.str.fullmatch(_PLAIN_AMOUNT if decimal == "." else _PLAIN_INTEGER, na=False
                                ).to_numpy(dtype=bool)
        if plain.any():
            out = pd.Series(np.nan, index=s.index, dtype="Float64")
            bad = pd.Series(False, index=s.index)
            digits = s[plain].str.replace("[$,]", "", regex=True) if decimal == "." else s[plain]
            out[plain] = pd.to_numeric(digits).astype("float64")
            if not plain.all():
                rest_out, rest_bad = _parse_money_text(s[~plain], decimal, explicit)
                out[~plain], bad[~plain] = rest_out, rest_bad
            return out, bad
    return _parse_money_text(s, decimal, explicit)


_PLAIN_INTEGER = r"-?[0-9]{1,15}"
_PLAIN_AMOUNT = r"-?\$?(?:[0-9]{1,15}|[0-9]{1,3}(?:,[0-9]{3}){1,4})(?:\.[0-9]{1,15})?"


def _parse_money_text(s: pd.Series, decimal: str, explicit: bool) -> tuple[pd.Series, pd.Series]:
    blank = blank_cells(s)
    numeric = pd.to_numeric(s.where(is_number_cell(s)), errors="coerce")
    text = s.where(~blank & numeric.isna()).astype("string").str.strip()
    blank = blank | text.str.fullmatch(_ACCOUNTING_ZERO, na=False).to_numpy()
    text = text.where(~blank)
    negative = (text.str.contains(r"^[^0-9]*\([^()]*[0-9][^()]*\)[^0-9]*$", regex=True, na=False)
                | text.str.contains("^[^0-9]*[-\u2212]|[-\u2212][ \t]*$", regex=True, na=False))
    percent = text.str.endswith("%", na=False)
    digits = text.str.replace(_MONEY_STRIP, "", regex=True)
    digits = _normalise_separators(digits, decimal, explicit)
    value = pd.to_numeric(digits.where(digits.str.count(r"\.") <= 1), errors="coerce").astype("Float64")
    value = value.where(~negative, -value).where(~percent, value / 100)
    letters_ok = text.str.fullmatch(f"{_MONEY_CHARS}(?:[A-Za-z]{{3}})?{_MONEY_CHARS}", na=False)
    value = value.where(letters_ok)
    out = numeric.astype("float64").fillna(value.astype("float64")).astype("Float64")
    bad = ~blank & out.isna()
    return out, bad


def _normalise_separators(digits: pd.Series, decimal: str, explicit: bool) -> pd.Series:
    """Digits with ',' and '.' -> digits with one '.' decimal point (NA when ambiguous).

    With both separators the last one is the decimal point (1.234,50 and
    1,234.50); with one kind only, the column's convention decides, except that:
    a separator followed by exactly three digits repeated (1,234,567 and
    1.234.567) is a thousands separator; a lone ',' before three digits (1,200)
    is one too unless the engagement says the decimal separator is ','; and a
    ',' before one or two final digits (12,5) is a decimal comma even in a
    dot-decimal column (a thousands separator is always followed by three
    digits). Any other lone-comma value in a dot-decimal column (1234,5678) is
    ambiguous: NA, so it is reported rather than read 10 or 1000 times off.
    """
    has_comma = digits.str.contains(",", regex=False, na=False)
    has_dot = digits.str.contains(".", regex=False, na=False)
    both = has_comma & has_dot
    comma_only = has_comma & ~has_dot
    comma_last = digits.str.contains(r",[0-9]*$", regex=True, na=False)   # no '.' after the last ','
    comma_grouped = digits.str.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+", na=False)
    indian_grouped = digits.str.fullmatch(r"[0-9]{1,2}(,[0-9]{2})+,[0-9]{3}", na=False)   # 12,34,567
    comma_cents = digits.str.fullmatch(r"[0-9]+,[0-9]{1,2}", na=False)
    comma_decimal = (both & comma_last) | comma_cents | (
        comma_only & (decimal == ",") & ~(comma_grouped & (not explicit))
        & ~digits.str.contains(r",[0-9]{3},", na=False))
    ambiguous = comma_only & ~comma_decimal & ~comma_grouped & ~indian_grouped
    dot_grouped = ~has_comma & digits.str.fullmatch(r"[0-9]{1,3}(\.[0-9]{3}){2,}", na=False)
    dot_thousands_only = dot_grouped | (~has_comma & (decimal == ",") & digits.str.fullmatch(
        r"[0-9]{1,3}(\.[0-9]{3})+", na=False))
    as_comma = digits.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    as_dot = digits.str.replace(",", "", regex=False)
    out = as_dot.where(~comma_decimal, as_comma)
    out = out.where(~dot_thousands_only, digits.str.replace(".", "", regex=False))
    return out.mask(ambiguous)


def parse_number(s: pd.Series, decimal: str | None = None) -> tuple[pd.Series, pd.Series]:
    return parse_money(s, decimal)
