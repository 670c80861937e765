"""Table-driven tests of intake.cleaning: raw export cells in, canonical values (and 'unreadable') out.

Each parser is checked on object columns (cells as read from a workbook) and on Arrow string
columns (how CSV columns arrive), since the two take different code paths.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from workbook.intake.cleaning import (
    clean_id,
    clean_name,
    clean_text,
    is_blank,
    name_key,
    parse_date,
)
from workbook.intake.labels import map_labels, normalise_header, normalise_label
from workbook.intake.money import parse_money
from workbook.intake.vocabulary import STAGE, TRAINING_STATUS

TEXT = pd.StringDtype("pyarrow", na_value=np.nan)


def cells(*values) -> pd.Series:
    """A column as read from an .xlsx: Python objects."""
    return pd.Series(list(values), dtype=object)


def csv_text(*values) -> pd.Series:
    """A column as read from a CSV: Arrow-backed strings."""
    return pd.Series(list(values), dtype=TEXT)


COLUMN_KINDS = pytest.mark.parametrize("column", [cells, csv_text], ids=["xlsx", "csv"])


# ---------------------------------------------------------------------------------------- money

MONEY = [
    ("$1,234.50", 1234.5), ("USD 12,000", 12000.0), ("12,000 USD", 12000.0),
    ("USD12000", 12000.0), ("£99.99", 99.99), ("(1,200)", -1200.0), (" (500.00) ", -500.0),
    ("-5", -5.0), ("+500", 500.0), ("$-1,234.50", -1234.5), ("-$1,234.50", -1234.5),
    ("1,234.56-", -1234.56),           # SAP-style trailing minus
    ("1.234,50 €", 1234.5), ("€ 1.234.567,89", 1234567.89), ("1 234,50", 1234.5),
    ("1,234,567", 1234567.0), ("12,5", 12.5), ("70%", 0.7), ("5 %", 0.05),
    ("$(1,200.00)", -1200.0),          # accounting format, symbol outside the brackets
    ("USD (1,200)", -1200.0), ("(1,200) USD", -1200.0), ("−1,200", -1200.0),
    ("1.234.567 €", 1234567.0),        # dot-grouped thousands: no decimal setting needed
    ("1.234.567", 1234567.0),
    ("1\xa0234,50 €", 1234.5),          # non-breaking space thousands (French Excel)
    ("1\u202f234,50 €", 1234.5),        # narrow no-break space (newer French locales)
    ("1'234.50", 1234.5),              # Swiss grouping
    ("12,34,567.00", 1234567.0),       # Indian lakh grouping
]


@COLUMN_KINDS
@pytest.mark.parametrize("raw, expected", MONEY)
def test_money_values(column, raw, expected):
    value, bad = parse_money(column(raw))
    assert not bad[0] and not pd.isna(value[0])
    assert value[0] == pytest.approx(expected)


@COLUMN_KINDS
@pytest.mark.parametrize("raw", ["", "   ", "-", "N/A", "n/a", "null", "NaN", "None"])
def test_blank_money_is_missing_not_unreadable(column, raw):
    value, bad = parse_money(column(raw, "$10"))
    assert pd.isna(value[0]) and not bad[0]
    assert value[1] == 10.0


@COLUMN_KINDS
@pytest.mark.parametrize("raw", ["abc", "TBD", "call me", "1.2.3", "12.345.678,9.1", "1e5"])
def test_garbage_money_is_unreadable(column, raw):
    value, bad = parse_money(column(raw))
    assert pd.isna(value[0]) and bool(bad[0])


# A dash means "nothing" in every column, money included: Excel's accounting format writes zero as
# '$ -', but a dash in an export is as often "not filled in", so it is read as missing (not 0, and not
# unreadable), like '-' in a date or id column. Analyses then treat it like an empty cell.
@COLUMN_KINDS
@pytest.mark.parametrize("raw", [" $ -   ", "$-", "€ -", "- €", "-", "--", "—", "$ - "])
def test_accounting_zero_dash_is_missing_not_unreadable(column, raw):
    value, bad = parse_money(column(raw, "$10"))
    assert pd.isna(value[0]) and not bad[0]
    assert value[1] == 10.0


def test_number_cells_pass_through_and_booleans_are_unreadable():
    value, bad = parse_money(cells(1234.5, 12, None, True))
    assert list(value[:2]) == [1234.5, 12.0]
    assert pd.isna(value[2]) and pd.isna(value[3])
    assert list(bad) == [False, False, False, True]


@pytest.mark.parametrize("column_values, expected", [
    (["1.234,50 €", "1.000 €"], [1234.5, 1000.0]),      # column uses decimal comma
    (["$1,000", "$2,500.75"], [1000.0, 2500.75]),
    (["1,200", "3,5"], [1200.0, 3.5]),                  # 1,200 stays a thousand
])
def test_decimal_convention_is_inferred_per_column(column_values, expected):
    value, _bad = parse_money(csv_text(*column_values))
    assert list(value) == pytest.approx(expected)


@pytest.mark.parametrize("raw, decimal, expected", [
    ("1,200", ",", 1.2),
    ("1,200", ".", 1200.0),
    ("1.234", ",", 1234.0),
    ("1.234", ".", 1.234),
    ("1.234,50", ".", 1234.5),     # both separators: the last is the decimal point
    ("1,234,567", ",", 1234567.0),
])
def test_decimal_setting_decides_single_separator_values(raw, decimal, expected):
    value, bad = parse_money(cells(raw), decimal=decimal)
    assert value[0] == pytest.approx(expected) and not bad[0]


# Decision: a ',' before one or two final digits is a decimal comma even in a dot-decimal column (a
# thousands separator is always followed by three digits), so '12,5' is 12.5, never 125. Any other
# lone comma that is not thousands grouping ('1234,5678') is ambiguous: unreadable, so it is reported.
@pytest.mark.parametrize("raw, decimal, expected", [
    ("12,5", None, 12.5), ("12,5", ".", 12.5), ("1,50", None, 1.5), ("$1,5", None, 1.5),
    ("1,200", None, 1200.0),                            # three digits: thousands in a dot column
    ("1234,5678", None, None), ("1234,5678", ".", None), ("12,3456", None, None),
])
def test_comma_before_one_digit_is_never_a_thousands_separator(raw, decimal, expected):
    value, bad = parse_money(cells("1,234.50", "99.90", raw), decimal=decimal)
    if expected is None:
        assert pd.isna(value[2]) and bool(bad[2])
    else:
        assert value[2] == pytest.approx(expected) and not bad[2]


# ----------------------------------------------------------------------------------------- dates

D = pd.Timestamp("2026-03-15")

DATES = [
    ("2026-03-15", None, D), ("2026/03/15", None, D), ("03/15/2026", None, D),
    ("3/5/2026", None, pd.Timestamp("2026-03-05")),        # month first unless told otherwise
    ("3/5/2026", "dmy", pd.Timestamp("2026-05-03")),
    ("05/03/2026", "dmy", pd.Timestamp("2026-03-05")),
    ("15/03/2026", "dmy", D), ("15/03/2026", None, D),     # only day-first can fit
    ("15.03.2026", "dmy", D), ("3/15/26", "mdy", D), ("03-15-2026", "mdy", D),
    ("15-Mar-2026", None, D), ("15-Mar-26", None, D), ("15 March 2026", "dmy", D),
    ("March 15, 2026", "mdy", D), ("Mar 15 2026", None, D),
    ("2026-03-15 14:30:00", None, D), ("2026-03-15T14:30:00", None, D),
    ("2026-03-15 14:30", None, D),
    ("46096", None, D), ("46096", "dmy", D),                 # Excel serial as text
    ("3/15/2026 2:30 PM", "mdy", D), ("3/15/2026 2:30:15 pm", None, D),   # US CRM datetimes
    ("3/15/2026 14:30", "mdy", D), ("3/15/2026 14:30", None, D), ("15/03/2026 14:30", None, D),
    ("15.03.2026 08:05:00", "dmy", D),
    ("2026-03-15 14:30:00.000", None, D),                   # SQL Server datetime
    ("1996-07-04 00:00:00.000", None, pd.Timestamp("1996-07-04")),
    ("2026-03-15T14:30:00Z", None, D), ("2026-03-15T14:30:00.123Z", None, D),   # ISO 8601
    ("2026-03-15T14:30:00+02:00", None, D), ("2026-03-15T23:30:00-05:00", None, D),  # date as written
    ("2026-03-15T14:30:00+0200", None, D), ("2026-03-15 14:30:00 UTC", None, D),
    ("Sun, 15 Mar 2026 14:30:00 GMT", None, D), ("Sunday, March 15, 2026", None, D),
    ("Mar 15, 2026 2:30 PM", None, D),
    ("20260315", None, D), ("20260315", "dmy", D),           # compact yyyymmdd (SAP/ERP exports)
    ("46096.75", None, D),                                   # serial datetime as text: its day
]


@COLUMN_KINDS
@pytest.mark.parametrize("raw, date_format, expected", DATES)
def test_date_values(column, raw, date_format, expected):
    value, bad = parse_date(column(raw), date_format)
    assert value[0] == expected
    assert not bad[0]


@COLUMN_KINDS
@pytest.mark.parametrize("raw", ["", "  ", "-", "N/A", "null"])
def test_blank_dates_are_missing_not_unreadable(column, raw):
    value, bad = parse_date(column(raw, "2026-03-15"))
    assert pd.isna(value[0]) and not bad[0]
    assert value[1] == D


@COLUMN_KINDS
@pytest.mark.parametrize("raw, date_format", [
    ("not a date", None), ("2026-02-30", None), ("13/13/2026", None), ("Q1 2026", None),
    ("2026-03", None), ("15/03/2026", "mdy"), ("03/15/2026", "dmy"),
])
def test_unreadable_dates(column, raw, date_format):
    value, bad = parse_date(column(raw), date_format)
    assert pd.isna(value[0]) and bool(bad[0])


@pytest.mark.parametrize("cell, expected", [
    (pd.Timestamp("2026-03-15 14:30"), D),       # a real date cell keeps only its date
    (46096, D),                                   # a date cell read as its serial number
    (46096.0, D),
    (46096.75, D), (46096.999, D),                # serial datetimes: the day, not rounded up
    (20260315, D),                                # a compact date stored as a number
    (pd.Timestamp("2026-03-15 23:00", tz="America/New_York"), D),   # time-zone aware: as written
    (dt.datetime(2026, 3, 15, 18, 0), D), (dt.date(2026, 3, 15), D),
])
def test_workbook_date_cells(cell, expected):
    value, bad = parse_date(cells(cell))
    assert value[0] == expected and not bad[0]


def test_mixed_formats_in_one_column_with_inferred_day_first_order():
    raw = cells("2026-03-15", "15/03/2026", "05/03/2026", "15 Mar 2026", 46096,
                pd.Timestamp("2026-03-15 10:00"), None, "")
    value, bad = parse_date(raw)
    assert list(value[:6]) == [D, D, pd.Timestamp("2026-03-05"), D, D, D]
    assert value[6:].isna().all()
    assert not bad.any()


@pytest.mark.parametrize("raw, expected", [
    (["13/02/2026", "03/02/2026"], ["2026-02-13", "2026-02-03"]),   # day-first evidence
    (["02/13/2026", "03/02/2026"], ["2026-02-13", "2026-03-02"]),   # month-first evidence
])
def test_date_order_is_inferred_from_the_column(raw, expected):
    value, _bad = parse_date(csv_text(*raw))
    assert list(value) == [pd.Timestamp(e) for e in expected]


# ------------------------------------------------------------------------------------------ ids

IDS = [
    (" r1 ", "R1"), ("R 1", "R1"), ("R\t1", "R1"), ("\xa0R1\xa0", "R1"), ("e-0042", "E-0042"),
    ("0042", "0042"),                    # leading zeros are part of the id
    (1001.0, "1001"), (1001, "1001"),    # an id column Excel stored as numbers
    (42.5, "42.5"),
    ("1001.0", "1001"), ("1001.00", "1001"),   # ids exported through a float column as text
    ("R1001.0", "R1001.0"), ("1001.5", "1001.5"),   # only a whole number loses its '.0'
]


@pytest.mark.parametrize("raw, expected", IDS)
def test_ids(raw, expected):
    value, bad = clean_id(cells(raw))
    assert value[0] == expected and not bad[0]
    if isinstance(raw, str):
        assert clean_id(csv_text(raw))[0][0] == expected


@COLUMN_KINDS
@pytest.mark.parametrize("raw", ["", "   "])
def test_blank_ids_are_missing(column, raw):
    value, bad = clean_id(column(raw, "R1"))
    assert pd.isna(value[0]) and not bad.any()


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA, pd.NaT])
def test_missing_id_cell_in_a_repetitive_column_is_missing(missing):
    value, _bad = clean_id(cells("R1", "R1", missing))
    assert list(value[:2]) == ["R1", "R1"] and pd.isna(value[2])


# -------------------------------------------------------------------------------- names, labels

@COLUMN_KINDS
@pytest.mark.parametrize("raw, name, key", [
    ("  Jane   Doe ", "Jane Doe", "jane doe"),
    ("Jane\xa0Doe", "Jane Doe", "jane doe"),
    ("Jane\tDoe", "Jane Doe", "jane doe"),
    ("JANE DOE", "JANE DOE", "jane doe"),               # display keeps the client's case
    ("José Álvarez", "José Álvarez", "josé álvarez"),   # accents are kept
    ("JOSÉ ÁLVAREZ", "JOSÉ ÁLVAREZ", "josé álvarez"),
    ("O'Brien, Pat", "O'Brien, Pat", "pat o'brien"),       # Last, First matches First Last
    ("Straße", "Straße", "strasse"),
])
def test_names_and_match_keys(column, raw, name, key):
    value, bad = clean_name(column(raw))
    assert value[0] == name and not bad[0]
    assert name_key(column(raw))[0] == key


def test_name_key_ignores_unicode_composition():
    keys = name_key(cells("Jose\u0301 A\u0301lvarez", "José Álvarez"))
    assert keys[0] == keys[1]


@pytest.mark.parametrize("raw, expected", [
    ("Closed Won", "won"), ("closed-won", "won"), ("CLOSED_WON", "won"), (" Won ", "won"),
    ("Closed\xa0Won", "won"), ("6 - Closed Won", "won"), ("Stage 7: Closed Lost", "lost"),
    ("Closed - No Decision", "lost"), ("Negotiation/Review", "open"),
    ("Pending", "open"),                                   # unknown: the default, flagged
])
def test_stage_labels(raw, expected):
    value, bad = map_labels(cells(raw), STAGE, default="open")
    assert value[0] == expected
    assert bool(bad[0]) == (raw == "Pending")


# Default pipelines of the CRMs clients export from, as labels appear in their exports.
CRM_STAGES = [
    # Salesforce (and Zoho, which shares most of them)
    ("Prospecting", "open"), ("Qualification", "open"), ("Needs Analysis", "open"),
    ("Value Proposition", "open"), ("Id. Decision Makers", "open"), ("Perception Analysis", "open"),
    ("Proposal/Price Quote", "open"), ("Negotiation/Review", "open"), ("Closed Won", "won"),
    ("Closed Lost", "lost"), ("Identify Decision Makers", "open"), ("Closed-Lost to Competition", "lost"),
    ("Engaging", "open"), ("Discovery", "open"),
    # HubSpot: labels and internal ids
    ("Appointment scheduled", "open"), ("Qualified to buy", "open"), ("Presentation scheduled", "open"),
    ("Decision maker bought-in", "open"), ("Contract sent", "open"), ("Closed won", "won"),
    ("Closed lost", "lost"), ("appointmentscheduled", "open"), ("qualifiedtobuy", "open"),
    ("presentationscheduled", "open"), ("decisionmakerboughtin", "open"), ("contractsent", "open"),
    ("closedwon", "won"), ("closedlost", "lost"),
    # Dynamics 365: business process stages and status reasons
    ("Qualify", "open"), ("Develop", "open"), ("Propose", "open"), ("Close", "open"),
    ("In Progress", "open"), ("On Hold", "open"), ("Won", "won"), ("Canceled", "lost"),
    ("Out-Sold", "lost"), ("Lost", "lost"),
    # Pipedrive
    ("Lead In", "open"), ("Contact Made", "open"), ("Demo Scheduled", "open"),
    ("Proposal Made", "open"), ("Negotiations Started", "open"), ("Needs Defined", "open"),
    # Closed Won / Closed Lost variants
    ("Lost - Closed", "lost"), ("Won - Closed", "won"), ("Closed - Won", "won"),
    ("Closed/Lost", "lost"), ("Closed (Lost)", "lost"), ("CLOSED LOST", "lost"),
    ("Closed Lost - No Budget", "lost"), ("Closed - Dead", "lost"), ("Close Won", "won"),
    ("Close - Lost", "lost"), ("7 - Closed Won (100%)", "won"), ("Closed Won ", "won"),
    ("Closed", "won"),                         # a bare 'Closed' stays won, as before
    ("Stage 3 - Proposal", "open"), ("Lost (Closed)", "lost"),
]


@pytest.mark.parametrize("raw, expected", CRM_STAGES)
def test_crm_stage_labels(raw, expected):
    value, bad = map_labels(csv_text(raw, "Closed Won", "Closed Won"), STAGE, default="open")
    assert value[0] == expected and not bad[0]


@pytest.mark.parametrize("raw, expected, flagged", [
    ("Completed", "completed", False), ("In-Progress", "in_progress", False),
    ("NOT STARTED", "not_started", False), ("Passed (80%)", "completed", False),
    ("Wonderful", None, True), ("", None, False), ("-", None, False),
    ("Not Completed", "in_progress", False), ("not-complete", "in_progress", False),
    ("Course not completed", "in_progress", False), ("Uncompleted", "in_progress", False),
    ("Not Attended", "not_started", False), ("Completed (late)", "completed", False),
    ("Never completed", None, True),        # a negated label is not its opposite: flagged instead
    ("NULL", None, False), ("N/A", None, False), ("(blank)", None, False),
])
def test_training_status_labels(raw, expected, flagged):
    value, bad = map_labels(csv_text(raw, "Completed"), TRAINING_STATUS)
    assert (pd.isna(value[0]) if expected is None else value[0] == expected)
    assert bool(bad[0]) == flagged


@pytest.mark.parametrize("raw, label, header", [
    ("Closed Won", "closed won", "closed_won"),
    ("  Employee ID ", "employee id", "employee_id"),
    ("Hire Date (UTC)", "hire date utc", "hire_date_utc"),
    ("Weight - Revenue", "weight revenue", "weight_revenue"),
    ("Badge #", "badge", "badge"),
    ("Closed\xa0Won", "closed won", "closed_won"),
    ("Terminé", "termine", "termine"), ("Réunion", "reunion", "reunion"),
    ("Date d'entrée", "date d entree", "date_d_entree"), ("Straße", "strasse", "strasse"),
    ("Ørsted Æble", "orsted aeble", "orsted_aeble"),
    ("Termé", "terme", "terme"),      # decomposed accent (macOS)
])
def test_label_and_header_normalisation(raw, label, header):
    assert normalise_label(raw) == label
    assert normalise_header(raw) == header


# ---------------------------------------------------------------------------------- blank tokens

# What exports write for "no value". Each is missing (NA) and never flagged as unreadable, in every
# kind of column: not an unknown id, not a person called 'NULL', not an unreadable amount or date.
BLANK_TOKENS = ["", "   ", "NULL", "null", "N/A", "n/a", "NA", "#N/A", "-", "--", "none", "None",
                "(blank)", " NULL ", "\u2014", "nan", "NaN", "<NA>"]


def _stage(s):
    return map_labels(s, STAGE, default="open")


PARSERS = {"id": clean_id, "name": clean_name, "label": _stage, "money": parse_money, "date": parse_date}


@COLUMN_KINDS
@pytest.mark.parametrize("kind", list(PARSERS))
@pytest.mark.parametrize("raw", BLANK_TOKENS)
def test_blank_tokens_are_missing_in_every_kind_of_column(column, kind, raw):
    # a real value repeated so that parsing goes through the distinct-values path as exports do
    sample = {"id": "R1", "name": "Ann Lee", "label": "Closed Won", "money": "$10", "date": "2026-03-15"}
    value, bad = PARSERS[kind](column(raw, sample[kind], sample[kind], sample[kind]))
    assert pd.isna(value[0]) and not bad[0]
    assert not pd.isna(value[1]) and not bad[1:].any()
    assert bool(is_blank(column(raw, sample[kind]))[0])


@pytest.mark.parametrize("raw, expected", [
    ("NA", "NA"),                                   # North America, in a region column
    ("N/A", None), ("NULL", None), ("#N/A", None), ("-", None), ("(blank)", None),
    (" EMEA ", "EMEA"),
])
def test_free_text_keeps_na_as_a_value(raw, expected):
    value, bad = clean_text(csv_text(raw, "EMEA", "EMEA"))
    assert (pd.isna(value[0]) if expected is None else value[0] == expected) and not bad.any()


@pytest.mark.parametrize(("name", "key"), [
    ("Lee, Summer", "summer lee"),          # payroll order matches the CRM's "Summer Lee"
    ("Smith , John", "john smith"),
    ("King, Jr.", "king, jr."),             # a suffix is not a first name
    ("A, B, C", "a, b, c"),                 # more than one comma: left as written
])
def test_name_key_reads_last_first_as_first_last(name, key):
    assert name_key(pd.Series([name])).iloc[0] == key


# ------------------------------------------------------------------ fast paths against the full parse

def _random_cells(rng: np.random.Generator, alphabet: str, n: int = 3000, longest: int = 9) -> list[str]:
    return ["".join(rng.choice(list(alphabet), rng.integers(0, longest))) for _ in range(n)]


@pytest.mark.parametrize("decimal", [".", ","])
def test_plain_number_fast_path_reads_what_the_full_parse_reads(decimal):
    """CSV amounts that are plain numbers ('5111.36', '-3') skip the separator rules; every cell,
    plain or not, must read as the full parse reads it."""
    from workbook.intake.money import _parse_money, _parse_money_text

    rng = np.random.default_rng(7)
    amounts = rng.gamma(2.0, 9000, 500) * rng.choice([1, -1], 500)
    exported = [f"${a:,.2f}" for a in amounts] + [f"{a:,.0f}" for a in amounts] + [f"{a:.2f}" for a in amounts]
    raw = csv_text(*_random_cells(rng, "0123456789.,- $") + exported
                   + ["0", "-0", "007", "1.5", "1.234", "12,5", "$1,234", "1,234,567.5", "-$1,234.50"])
    fast, fast_bad = _parse_money(raw, decimal, False)
    full, full_bad = _parse_money_text(raw, decimal, False)
    pd.testing.assert_series_equal(fast, full, check_names=False)
    assert fast_bad.tolist() == full_bad.tolist()


def test_clean_id_fast_path_reads_what_the_full_clean_reads():
    """Ids already in clean form are kept as they are; the rest (spaces, lower case, '1001.0', blank
    words such as 'NULL' or '-') are cleaned, exactly as without the shortcut."""
    from workbook.intake.cleaning import _clean_id

    rng = np.random.default_rng(11)
    values = _random_cells(rng, "AB01-./ #a") + ["NULL", "N/A", "NA", "-", "--", "#N/A", "1001.0", "OPP-1"]
    raw = csv_text(*values)
    slow = _clean_id(pd.Series(values, dtype=object))
    assert _clean_id(raw).astype(object).where(lambda v: v.notna(), None).tolist() == \
        slow.astype(object).where(lambda v: v.notna(), None).tolist()


def test_blank_cells_of_a_long_column_of_digits_are_found_as_in_a_short_one():
    """A long, mostly-digit CSV column is checked for blanks only where a cell has no digit: the
    cells found are exactly those of the cell-by-cell check."""
    from workbook.intake import cleaning

    rng = np.random.default_rng(3)
    pool = ["$5,111.36", "OPP-0100001", "2026-03-05", "", " ", "NULL", "n/a", "N.A.", "(blank)", "—", "-1",
            "#N/A", "x", "Total", "None", "\u00a0"]
    p = np.array([60, 60, 60] + [1] * (len(pool) - 3), dtype=float)
    values = rng.choice(pool, 300_000, p=p / p.sum())
    column = pd.Series(values, index=np.arange(5, 300_005), dtype="string[pyarrow]")
    assert cleaning._digit_cells(column) is not None                 # the shortcut is taken
    found = cleaning.is_blank(column)
    assert found.index.equals(column.index)
    assert (found.to_numpy() == cleaning.blank_cells(column).to_numpy()).all()
    assert 0 < found.sum() < len(column)


@pytest.mark.parametrize("pool", [
    ["$5,111.36", "1250", "-3.5", "$1,234,567.89", "USD 2,000", "(1,200)", "1,200", "", "NULL", "$ -", "abc"],
    ["1250", "12", "-7", "1.234,50", "12,5", "1.234", "n/a"],              # plain integers, decimal commas
    ["5.00", "12", "1,200", "1.234", "12,5", "1 234,50 €", "(400)", "#N/A"],
    ["$5,111.36", "$12.5", "-$3.00", "0.99"],                               # nothing but plain amounts
])
def test_a_long_column_of_plain_amounts_parses_as_value_by_value(pool):
    """Plain amounts in a long CSV column are read whole by Arrow and only the rest by the
    separator rules, under the convention the whole column votes for: values, missing cells,
    unreadable cells and the convention are exactly those of the value-by-value reading."""
    from workbook.intake import money

    rng = np.random.default_rng(11)
    p = rng.random(len(pool)) + 0.2
    p[:2] += 6                                              # mostly plain amounts, as CRM exports are
    column = pd.Series(rng.choice(pool, 250_000, p=p / p.sum()), index=np.arange(3, 250_003),
                       dtype="string[pyarrow]", name="amount")
    column.iloc[:1000] = pool[0]                            # the first rows look plain: the shortcut is tried
    assert money._plain_cells(column, None) is not None
    fast_values, fast_bad = money.parse_money(column)
    original = money.PLAIN_ROWS
    money.PLAIN_ROWS = 10**9
    try:
        slow_values, slow_bad = money.parse_money(column)
    finally:
        money.PLAIN_ROWS = original
    assert fast_values.dtype == slow_values.dtype == "Float64"
    pd.testing.assert_series_equal(fast_values, slow_values, check_exact=True)
    pd.testing.assert_series_equal(fast_bad, slow_bad)


def test_ids_of_a_long_export_mostly_clean_are_cleaned_like_the_rest():
    """Deal ids already clean are kept as they are; the few others (missing, blank words, lower
    case, '1001.0', spaces) are cleaned and put back in their rows: the result is the full
    cleaning of every cell."""
    from workbook.intake import cleaning

    rng = np.random.default_rng(9)
    ids = pd.Series([f"OPP-{i:07d}" for i in range(300_000)], index=np.arange(2, 300_002),
                    dtype="string[pyarrow]")
    messy = rng.choice(len(ids), 400, replace=False)
    ids.iloc[messy] = rng.choice([" opp-12 ", "1001.0", "NULL", "n/a", "a b 7", "—"], 400)
    ids.iloc[messy[:5]] = pd.NA
    cleaned, bad = cleaning.clean_id(ids)
    expected = cleaning._clean_id(ids.astype(object))      # the full rewrite of every cell
    assert cleaned.index.equals(ids.index) and not bad.any()
    assert cleaned.isna().to_numpy().tolist() == expected.isna().to_numpy().tolist()
    assert (cleaned.dropna() == expected.dropna().astype("string")).all()
    assert cleaned.iloc[messy].isna().sum() >= 5 and "OPP-12" in set(cleaned.dropna())


def test_name_keys_of_ascii_and_other_names_are_the_full_unicode_keys():
    """ASCII names take Arrow's lower case, the others Python's NFKC, case fold and NFC: every
    key is the one the full Unicode treatment gives, 'Last, First' turned round as before."""
    import unicodedata

    from workbook.intake.cleaning import name_key

    names = ["Ann Lee", "ANN  LEE", "José Müller", "Jose\u0301 Müller", "STRASSE", "Straße", "ＡＢ Cé",
             "Lee, Summer", "Müller, José", "King, Jr.", "ǅemal", "", None, "n/a", "ΣΊΣΥΦΟΣ"]
    column = pd.Series(names * 3, dtype="string[pyarrow]")
    keys = name_key(column)

    def full(name):
        if name is None or name.strip().lower() in ("", "n/a"):
            return None
        text = " ".join(name.split())
        key = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text).casefold())
        if "," in key and not key.endswith(("jr.", "jr")):
            last, first = (part.strip() for part in key.split(",", 1))
            key = f"{first} {last}"
        return key

    assert [None if pd.isna(k) else k for k in keys] == [full(n) for n in names * 3]
    assert keys[1] == "ann lee" and keys[2] == keys[3] == "josé müller" and keys[4] == keys[5] == "strasse"
