"""Ids looked up in a roster: millions of them (a coaching log's managers and reps, a CRM export's
deal owners) against thousands of people, in intake and in the analyses.

The canonical tables hold ids as Arrow strings. `Index.get_indexer`, `Series.reindex` and
`Series.isin` turn both sides into Python objects first (~0.2 s per million ids, and again on every
call; `isin` builds one Arrow scalar per roster entry); Arrow's own hash lookup answers the same
question in a few milliseconds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def positions(values: pd.Series | pd.Index, index: pd.Index) -> np.ndarray:
    """Each value's position in `index` (-1 when absent or missing), as `index.get_indexer(values)`."""
    index = pd.Index(index)
    arrow = arrow_strings(values)
    if arrow is None or not index.is_unique:
        return _by_distinct(values, index)
    try:
        pool = pa.array(index.astype(object).to_numpy(), from_pandas=True).cast(arrow.type)
    except (pa.ArrowInvalid, pa.ArrowTypeError):   # an index of something else than text
        return _by_distinct(values, index)
    found = pc.index_in(arrow, value_set=pool, skip_nulls=True)
    return found.fill_null(-1).to_numpy().astype(np.intp)


def isin(values: pd.Series | pd.Index, pool) -> np.ndarray:
    """`values.isin(pool)` as a bool array; a missing value is never in the pool."""
    arrow = arrow_strings(values)
    if arrow is None:
        return np.asarray(values.isin(pd.Index(pool).dropna()), dtype=bool) & np.asarray(pd.notna(values))
    pool_text = pd.Index(pool).astype("string").dropna().unique().array.__arrow_array__()
    found = pc.is_in(arrow, value_set=pool_text.combine_chunks().cast(arrow.type), skip_nulls=True)
    return found.to_numpy(zero_copy_only=False).astype(bool)


def lookup(series: pd.Series, values: pd.Series | pd.Index) -> np.ndarray:
    """`series.reindex(values).to_numpy(object)`: the entry of `series` for each value (None when
    absent)."""
    at = positions(values, series.index)
    entries = np.append(series.to_numpy(dtype=object), None)
    return entries[np.where(at >= 0, at, len(series))]


def arrow_strings(values: pd.Series | pd.Index) -> pa.ChunkedArray | pa.Array | None:
    """The Arrow array behind a column of pandas' Arrow strings (None for any other dtype)."""
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        return values.array.__arrow_array__()
    return None


def _by_distinct(values: pd.Series | pd.Index, index: pd.Index) -> np.ndarray:
    """Each distinct value looked up once: a few thousand owners repeated millions of times."""
    codes, distinct = pd.factorize(values)
    found = np.append(index.get_indexer(distinct), -1)
    return found[codes]
