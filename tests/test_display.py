"""Notebook and explorer tables read the column catalogue: headers, formats, coded values in words."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from workbook.pipeline.columns import COLUMNS, SHOWN, label
from workbook.pipeline.display import counts, format_value, table


@pytest.mark.parametrize(("value", "kind", "expected"), [
    (1844.0, "row", "1844"),                 # a row in the client's file: never 1,844
    (1844.0, "count", "1,844"),
    (0.125, "percent", "12%"),
    (0.125, "percent1", "12.5%"),
    (358.0, "percent_points", "358%"),
    (3.584, "ratio", "3.58x"),
    (2.25, "hours", "2.2 h"),
    (True, "flag", "yes"),
    ("False", "flag", ""),                   # as read back from a results CSV
    (math.nan, "money", "n/a"),
    (-1200.0, "money", "-$1,200"),
    (pd.Timestamp("2026-11-02"), "date", "2026-11-02"),
    ("Gary Pruitt", "text", "Gary Pruitt"),
])
def test_format_value(value, kind, expected):
    assert format_value(value, kind) == expected


def test_every_shown_column_is_in_the_catalogue():
    for shown, columns in SHOWN.items():
        for column in columns:
            name = column if isinstance(column, str) else column[1]
            assert name in COLUMNS, f"{shown}: {name}"


def test_one_name_two_meanings_is_mapped_per_table():
    waves = pd.DataFrame({"wave": [1], "start_date": [pd.Timestamp("2026-11-02")], "leaders": [2],
                          "managers": [0], "reps": [0], "total": [2]})
    html = table(waves, SHOWN["waves"]).to_html()
    assert ">Reps<" in html and "in window" not in html
    assert label("reps") == "Reps in window (incl. leavers)"


def test_coded_values_flags_and_fallback_headers_read_as_words():
    frame = pd.DataFrame({"manager_name": ["A"], "tier": ["not_ready"], "risk_flag": [True],
                          "HR": ["R"], "L&D": ["A"]})
    html = table(frame, ["manager_name", "tier", "risk_flag", "HR", "L&D"]).to_html()
    assert "Not ready" in html and "not_ready" not in html
    assert ">yes<" in html and "True" not in html
    assert ">HR<" in html and ">L&D<" in html
    assert "text-align: left" in html


def test_counts_in_catalogue_order():
    assert counts(pd.Series(["ready"] * 10 + ["not_ready", "developing"]), "tier") == \
        "Ready 10 · Developing 1 · Not ready 1"
