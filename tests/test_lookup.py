"""workbook.lookup: Arrow's hash lookup gives exactly what pandas' get_indexer, reindex and isin give."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbook.lookup import isin, lookup, positions

ROSTER = pd.Index(["M1", "M2", "R1", "R2", "R3"], dtype="string")
IDS = ["R2", None, "M1", "X9", "R2", "r2", " R1", "R3"]


@pytest.mark.parametrize("dtype", ["string", "str", object])
@pytest.mark.parametrize("roster_dtype", ["string", object])
def test_positions_are_get_indexer(dtype, roster_dtype):
    values = pd.Series(IDS, dtype=dtype)
    roster = ROSTER.astype(roster_dtype)
    expected = roster.get_indexer(values.astype(object).where(values.notna(), None))
    assert positions(values, roster).tolist() == expected.tolist() == [3, -1, 0, -1, 3, -1, -1, 4]


def test_positions_of_a_chunked_column_of_millions_repeat_the_roster():
    values = pd.concat([pd.Series(IDS * 1000, dtype="string")] * 3, ignore_index=True)
    assert (positions(values, ROSTER) == np.tile([3, -1, 0, -1, 3, -1, -1, 4], 3000)).all()


def test_a_roster_with_a_repeated_id_is_refused_as_pandas_refuses_it():
    with pytest.raises(pd.errors.InvalidIndexError):
        positions(pd.Series(IDS, dtype="string"), pd.Index(["R1", "R1"], dtype="string"))


@pytest.mark.parametrize("dtype", ["string", "str", object])
def test_isin_is_series_isin(dtype):
    values = pd.Series(IDS, dtype=dtype)
    assert isin(values, ROSTER).tolist() == values.isin(list(ROSTER)).tolist()
    assert isin(values, ["R3", None]).tolist() == [False, False, False, False, False, False, False, True]


def test_lookup_is_reindex():
    tiers = pd.Series(["core", "top", None, "core", "low"], index=ROSTER)
    values = pd.Series(IDS, dtype="string")
    assert lookup(tiers, values).tolist() == [None if pd.isna(v) else v
                                              for v in tiers.reindex(values.astype(object)).tolist()]
