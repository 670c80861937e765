"""Work on distinct values: exports repeat owners, stages, dates and labels millions of times.

`factorize` remembers each column's factorisation (intake's skip checks and cleaning look at a
column several times), `on_uniques` applies a column function to the distinct values only and
spreads the results back (membership and positions in a roster: workbook.lookup). Thread-safe: intake loads tables side
by side.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from workbook.lookup import arrow_strings


def is_text_dtype(s: pd.Series) -> bool:
    """A column of strings (CSV columns are): vectorised string methods apply, no per-cell checks."""
    return pd.api.types.is_string_dtype(s.dtype) and s.dtype != object


_FACTORISED: list[tuple[object, tuple]] = []   # (column array, (codes, uniques)), most recent last
_FACTORISED_LOCK = threading.Lock()   # intake loads tables side by side


def factorize(s: pd.Series) -> tuple:
    """pd.factorize, remembered for the same column array: intake's skip checks and cleaning
    look at each column several times, and factorising 5 million strings costs ~0.2 s."""
    array = s.array
    with _FACTORISED_LOCK:
        for seen, result in _FACTORISED:
            if seen is array:
                return result
    result = _arrow_factorize(s) if arrow_strings(s) is not None else pd.factorize(s, use_na_sentinel=True)
    with _FACTORISED_LOCK:
        _FACTORISED.append((array, result))
        del _FACTORISED[:-32]
    return result


def _arrow_factorize(s: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """pd.factorize of an Arrow string column by Arrow's own dictionary encoding: the same codes and
    uniques (order of first appearance, -1 for missing) in about half the time on amounts and dates."""
    encoded = s.array.__arrow_array__().combine_chunks().dictionary_encode()
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.intp)
    uniques = s.dtype.construct_array_type()._from_sequence(encoded.dictionary, dtype=s.dtype)
    return codes, pd.Index(uniques)


def forget_columns(frame: pd.DataFrame | None = None) -> None:
    """Release the remembered factorisations of a loaded table's columns (all when None)."""
    with _FACTORISED_LOCK:
        if frame is None:
            _FACTORISED.clear()
            return
        arrays = [frame[c].array for c in frame.columns]
        _FACTORISED[:] = [(a, r) for a, r in _FACTORISED if not any(a is b for b in arrays)]


def matching_cells(s: pd.Series, pattern: str, share: float, min_rows: int, whole: bool = False
                   ) -> np.ndarray | None:
    """Which cells of a long text column match `pattern` (anywhere, or the `whole` cell), or None
    when the column is shorter than `min_rows`, not text, or fewer than `share` of its cells match
    (its first 1,000 rows tell first, then all of it): for shortcuts worth taking only on a column
    that is mostly one kind of value (ids, amounts, dates)."""
    if len(s) < min_rows or not is_text_dtype(s):
        return None

    def match(part: pd.Series) -> pd.Series:
        return part.str.fullmatch(pattern, na=False) if whole else part.str.contains(pattern, regex=True, na=False)

    if match(s.iloc[:1000]).mean() < share:
        return None
    hits = match(s).to_numpy(dtype=bool)
    return hits if hits.mean() >= share else None


SAMPLE_ROWS = 100_000


def _mostly_distinct(s: pd.Series) -> bool:
    """A long column whose first rows are nearly all distinct values (deal ids): factorising
    it would cost more than cleaning it whole (~3 s for 5 million ids), so it is cleaned whole.
    A misjudged sample only costs time, never a different result."""
    if len(s) <= 2 * SAMPLE_ROWS:
        return False
    return len(pd.unique(s.iloc[:SAMPLE_ROWS])) > 0.9 * SAMPLE_ROWS   # amounts: ~60% in the sample, ~20% overall


PARALLEL_ROWS = 200_000


def each_column(fn, columns: list, rows: int) -> list:
    """[fn(c) for c in columns], two at a time on a long table: Arrow's string kernels release the
    GIL, so a 5-million-row CRM export's columns clean side by side on a second core."""
    if rows < PARALLEL_ROWS or len(columns) < 2:
        return [fn(c) for c in columns]
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="column") as pool:
        return list(pool.map(fn, columns))


def on_uniques(fn, s: pd.Series):
    """Apply a column function to the distinct values only, then spread the results back.

    Exports repeat owners, stages, dates and labels millions of times; cleaning
    each distinct value once is what keeps a 5-million-row CRM export fast.
    Returns a Series (or a tuple of Series) indexed like `s`.
    """
    result = on_few_uniques(fn, s)
    return fn(s) if result is None else result


def on_few_uniques(fn, s: pd.Series):
    """on_uniques when the column repeats its values (owners, stages, dates), else None: for a
    check worth making only where it is cheap (a column of ids would cost a pass over every cell)."""
    if _mostly_distinct(s):
        return None
    codes, uniques = factorize(s)
    if len(uniques) > 0.5 * len(s):
        return None
    distinct = pd.Series(uniques, dtype=s.dtype if is_text_dtype(s) else object)
    with_na = pd.concat([distinct, pd.Series([pd.NA], dtype=distinct.dtype)], ignore_index=True)
    result = fn(with_na)
    take = np.where(codes < 0, len(with_na) - 1, codes)

    def spread(r: pd.Series) -> pd.Series:
        return pd.Series(r.array.take(take), index=s.index, name=s.name)

    return tuple(spread(r) for r in result) if isinstance(result, tuple) else spread(result)


def replaced_at(s: pd.Series, where: np.ndarray, values: pd.Series) -> pd.Series:
    """`s` with its cells at `where` (a boolean array) replaced by `values`, one per such cell in
    order, by position: no index alignment (which costs ~0.5 s on a 5-million-row column for a
    single replaced cell). Arrow strings are merged in Arrow; other dtypes by numpy position."""
    positions = np.flatnonzero(where)
    original, replacing = arrow_strings(s), arrow_strings(values)
    if original is not None and replacing is not None:
        import pyarrow as pa
        import pyarrow.compute as pc

        original = pa.chunked_array(original).combine_chunks()
        at = np.zeros(len(s), dtype=np.int64)
        at[positions] = np.arange(len(positions))
        spread = pa.chunked_array(replacing).take(pa.array(at)).cast(original.type)
        merged = pc.if_else(pa.array(where, type=pa.bool_()), spread, original)
        array = s.dtype.construct_array_type()._from_sequence(merged, dtype=s.dtype)
        return pd.Series(array, index=s.index, name=s.name)
    out = s.copy()
    out.iloc[positions] = values.to_numpy()
    return out
