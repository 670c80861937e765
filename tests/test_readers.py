"""Table-driven tests of intake.readers.read_grid on files built the way clients' systems export them.

Every fixture is written into tmp_path at test time; assertions are on the cell grid read_grid
returns (values and the client's 1-based row numbers) and on ReadError messages naming the file.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from engagement_files import write_xlsx
from libreoffice import _convert, requires_libreoffice

from workbook.errors import ReadError
from workbook.intake.readers import read_grid

ROWS = [["id", "name", "amount"], ["R1", "José", "€5"], ["R2", "Zoë", "10"]]
TEXT = "id,name,amount\r\nR1,José,€5\r\nR2,Zoë,10\r\n"


def grid_values(grid) -> list[list]:
    return grid.cells.values.tolist()


def read_error(path, **kwargs) -> str:
    with pytest.raises(ReadError) as info:
        read_grid(path, **kwargs)
    message = str(info.value)
    assert message.startswith(f"{path.name}: ")
    return message


# -------------------------------------------------------------------------------------- encodings

@pytest.mark.parametrize("raw, encoding, note", [
    (TEXT.encode("utf-8"), "utf-8", ""),
    (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8", ""),
    (b"\xff\xfe" + TEXT.encode("utf-16-le"), "utf-16", ""),
    (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16", ""),
    (TEXT.encode("cp1252"), "cp1252", "read as Windows-1252"),
], ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "cp1252"])
def test_encodings_are_detected(tmp_path, raw, encoding, note):
    path = tmp_path / "export.csv"
    path.write_bytes(raw)
    grid = read_grid(path)
    assert grid_values(grid) == ROWS            # no BOM left on 'id', accents and € intact
    assert grid.encoding == encoding and grid.sheet is None
    assert (note in grid.note) if note else grid.note == ""
    assert list(grid.cells.index) == [1, 2, 3]


def test_excel_unicode_text_export_is_utf16_with_tabs(tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes(b"\xff\xfe" + TEXT.replace(",", "\t").encode("utf-16-le"))
    assert grid_values(read_grid(path)) == ROWS


@pytest.mark.parametrize("encoding, raw, expected", [
    ("cp1252", TEXT.encode("cp1252"), None),
    ("utf-8", TEXT.encode("cp1252"), "not valid utf-8 text (byte 22)"),
    ("klingon", TEXT.encode("utf-8"), "unknown encoding 'klingon'"),
])
def test_configured_encoding(tmp_path, encoding, raw, expected):
    path = tmp_path / "coaching log.csv"
    path.write_bytes(raw)
    if expected is None:
        grid = read_grid(path, encoding=encoding)
        assert grid_values(grid) == ROWS and grid.encoding == "cp1252" and grid.note == ""
    else:
        assert expected in read_error(path, encoding=encoding)


# ----------------------------------------------------------------------------- delimiters, quoting

@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"], ids=["comma", "semicolon", "tab", "pipe"])
def test_delimiters_are_sniffed(tmp_path, delimiter):
    rows = [["id", "name", "amount"], ["R1", "Ann", "1.5"], ["R2", "Bob", "2"]]
    path = tmp_path / "export.csv"
    path.write_text("".join(delimiter.join(r) + "\n" for r in rows), encoding="utf-8")
    assert grid_values(read_grid(path)) == rows


@pytest.mark.parametrize("text, expected", [
    ('id,note,amount\nR1,"Smith, Jane","$1,234.50"\n',
     [["id", "note", "amount"], ["R1", "Smith, Jane", "$1,234.50"]]),
    ('id;note;amount\nR1;"a;b";1.234,50\nR2;x;12,5\n',
     [["id", "note", "amount"], ["R1", "a;b", "1.234,50"], ["R2", "x", "12,5"]]),
    ('id,note\nR1,"line one\nline two"\nR2,"say ""hi"""\n',
     [["id", "note"], ["R1", "line one\nline two"], ["R2", 'say "hi"']]),
    ('id|name|amount\nR1|Smith, Jane|1,234.50\n',
     [["id", "name", "amount"], ["R1", "Smith, Jane", "1,234.50"]]),
    ("id\tnote\nR1\ta, b\nR2\tc, d\n", [["id", "note"], ["R1", "a, b"], ["R2", "c, d"]]),
    ("name\nAnn\nBob\n", [["name"], ["Ann"], ["Bob"]]),
], ids=["comma-in-quotes", "semicolon-decimal-comma", "newline-in-quotes", "pipe", "tab",
        "one-column"])
def test_quoted_fields_keep_embedded_delimiters_and_newlines(tmp_path, text, expected):
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    assert grid_values(read_grid(path)) == expected


@pytest.mark.parametrize("line_end", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_line_endings(tmp_path, line_end):
    path = tmp_path / "export.csv"
    path.write_bytes(line_end.join(["id,name", "R1,Ann", "R2,Bob", ""]).encode())
    assert grid_values(read_grid(path)) == [["id", "name"], ["R1", "Ann"], ["R2", "Bob"]]


@pytest.mark.parametrize("raw, expected", [
    (b"id,name\rR1,Ann\rR2,Bob\r", [["id", "name"], ["R1", "Ann"], ["R2", "Bob"]]),
    (b"id,name\rR1,Ann\rR2,Bob", [["id", "name"], ["R1", "Ann"], ["R2", "Bob"]]),   # no final CR
    ("id;name\rR1;José\r".encode("cp1252"), [["id", "name"], ["R1", "José"]]),
    (b"Deals\r\rid,name\rR1,Ann\r",                                                    # ragged, CR
     [["Deals", ""], ["", ""], ["id", "name"], ["R1", "Ann"]]),
    (b'id,note\rR1,"a, b"\rR2,c\r', [["id", "note"], ["R1", "a, b"], ["R2", "c"]]),
], ids=["cr", "cr-no-final", "cr-cp1252-semicolon", "cr-title-rows", "cr-quoted"])
def test_classic_mac_line_endings(tmp_path, raw, expected):
    """Excel for Mac's 'CSV (Macintosh)' ends lines with CR only."""
    path = tmp_path / "export.csv"
    path.write_bytes(raw)
    assert grid_values(read_grid(path)) == expected


# ----------------------------------------------------------------------------------- ragged rows

# A record whose fields do not line up with the header's: an unquoted comma in an amount shifts every
# later value right; a missing delimiter leaves a value out. Grid.ragged_rows(header_row) lists them as
# client row number -> field count; title rows above the header, blank lines, and trailing empty
# fields (a delimiter at the end of a line) are not ragged.
RAGGED = [
    ("id,name,amount\nR1,Ann,5\nR2,Bob,1,234.50\nR3,Cy,7\n", 1, {3: 4}),
    ("id,name,amount\nR1,Ann,5\nR2,Bob\nR3,Cy,7\n", 1, {3: 2}),
    ("id,name,amount\nR1,Ann,5\nR2\nR3,Cy,7,extra,more\n", 1, {3: 1, 4: 5}),
    ("Deals FY26\n\nid,name,amount\nR1,Ann,5\nR2,Bob,1,234.50\n", 3, {5: 4}),
    ("id,name,amount\nR1,Ann,5,\nR2,Bob,6,,\n", 1, {}),              # trailing delimiters: harmless
    ("id,name,amount,\nR1,Ann,5\nR2,Bob,6\n", 1, {}),                 # header ends with a delimiter
    ("id,name,amount\nR1,Ann,5\n\n,,\nR2,Bob,6\n", 1, {}),           # blank lines
    ("id,name,amount\nR1,Ann,5\nR2,Bob,6\n", 1, {}),                  # regular file (fast path)
    ('id,name,amount\nR1,"Smith, Ann","1,234.50"\n', 1, {}),          # quoted: not ragged
    ("id;name;amount\nR1;Ann;1,5\nR2;Bob;2;5\n", 1, {3: 4}),
    ("id,name,amount\rR1,Ann,5\rR2,Bob,1,234.50\r", 1, {3: 4}),      # CR line endings
]


@pytest.mark.parametrize("text, header_row, expected", RAGGED)
def test_ragged_rows_are_recorded(tmp_path, text, header_row, expected):
    path = tmp_path / "deals.csv"
    path.write_bytes(text.encode())
    grid = read_grid(path)
    assert grid.ragged_rows(header_row) == expected
    assert not grid.uncached_formulas


def test_ragged_row_keeps_every_value_and_row_numbers(tmp_path):
    path = tmp_path / "deals.csv"
    path.write_text("id,name,amount\nR1,Ann,5\nR2,Bob,1,234.50\nR3,Cy\n", encoding="utf-8")
    grid = read_grid(path)
    assert grid_values(grid) == [["id", "name", "amount", ""], ["R1", "Ann", "5", ""],
                                 ["R2", "Bob", "1", "234.50"], ["R3", "Cy", "", ""]]
    assert grid.width == 3 and grid.field_counts == {3: 4, 4: 2}


def test_workbooks_have_no_ragged_rows(roster_xlsx):
    assert read_grid(roster_xlsx, sheet="Employees").ragged_rows(4) == {}


def test_row_numbers_count_title_blank_and_footer_rows(tmp_path):
    path = tmp_path / "deals.csv"
    path.write_text("Report: deals\n\nid,name,amount\nR1,Ann,5\nR2,Bob,6\nTotal,,11\n", encoding="utf-8")
    cells = read_grid(path).cells
    assert list(cells.index) == [1, 2, 3, 4, 5, 6]
    assert cells.loc[3].tolist() == ["id", "name", "amount"]
    assert cells.loc[6].tolist() == ["Total", "", "11"]
    assert cells.loc[2].tolist() == ["", "", ""]


# ------------------------------------------------------------------------------------------- xlsx

@pytest.fixture
def roster_xlsx(tmp_path):
    """A two-sheet HRIS export: title rows above the header, a merged cell, real dates, numbers
    stored as text next to real numbers, and a merged 'Total' footer."""
    path = tmp_path / "HRIS Roster.xlsx"
    book = xlsxwriter.Workbook(str(path))
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    book.add_worksheet("Summary").write(0, 0, "see next sheet")
    ws = book.add_worksheet("Employees")
    ws.write(0, 0, "HRIS export")
    ws.write(1, 0, "Generated 30/09/2026")
    ws.write_row(3, 0, ["Employee ID", "Name", "Hire Date", "Quota", "Region"])
    ws.write_string(4, 0, "1001")
    ws.write_string(4, 1, "José Álvarez")
    ws.write_datetime(4, 2, dt.datetime(2020, 1, 6), date)
    ws.write_string(4, 3, "1200000")
    ws.merge_range(4, 4, 5, 4, "West")
    ws.write_number(5, 0, 1002)
    ws.write_string(5, 1, "Bob")
    ws.write_datetime(5, 2, dt.datetime(2021, 2, 1, 14, 30), date)
    ws.write_number(5, 3, 1000000.5)
    ws.merge_range(6, 0, 6, 3, "Total")
    book.close()
    return path


@pytest.mark.parametrize("sheet", ["Employees", " employees ", 2])
def test_xlsx_chosen_sheet(roster_xlsx, sheet):
    grid = read_grid(roster_xlsx, sheet=sheet)
    assert grid.sheet == "Employees" and grid.encoding is None
    assert list(grid.cells.index) == [1, 2, 3, 4, 5, 6, 7]
    assert grid_values(grid) == [
        ["HRIS export", "", "", "", ""],
        ["Generated 30/09/2026", "", "", "", ""],
        ["", "", "", "", ""],
        ["Employee ID", "Name", "Hire Date", "Quota", "Region"],
        ["1001", "José Álvarez", pd.Timestamp("2020-01-06"), "1200000", "West"],
        [1002, "Bob", pd.Timestamp("2021-02-01 14:30"), 1000000.5, ""],   # merged: top-left only
        ["Total", "", "", "", ""],
    ]


def test_xlsx_cell_types(roster_xlsx):
    cells = read_grid(roster_xlsx, sheet="Employees").cells
    assert isinstance(cells.loc[5, 2], pd.Timestamp)     # dates stored as dates stay dates
    assert isinstance(cells.loc[5, 0], str) and isinstance(cells.loc[5, 3], str)  # text numbers
    assert isinstance(cells.loc[6, 0], float) and isinstance(cells.loc[6, 3], float)


def test_xlsx_first_sheet_by_default(roster_xlsx):
    grid = read_grid(roster_xlsx)
    assert grid.sheet == "Summary" and grid_values(grid) == [["see next sheet"]]


@pytest.mark.parametrize("sheet, expected", [
    ("Employes", "no sheet named 'Employes'; did you mean 'Employees'?"),
    ("Staff", "no sheet named 'Staff'"),
    (3, "sheet number 3 does not exist; the workbook has 2 sheet(s): Summary, Employees"),
])
def test_xlsx_missing_sheet(roster_xlsx, sheet, expected):
    message = read_error(roster_xlsx, sheet=sheet)
    assert expected in message
    assert "Summary, Employees" in message


def test_xlsx_written_by_openpyxl_with_merged_title(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Completions"
    ws["A1"] = "LMS completions FY26"
    ws.merge_cells("A1:C1")
    ws.append(["Learner ID", "Course", "Completion Date"])
    ws.append(["E-1", "Consultative Selling", dt.date(2026, 3, 15)])
    path = tmp_path / "LMS Export.xlsx"
    book.save(path)
    assert grid_values(read_grid(path, sheet="Completions")) == [
        ["LMS completions FY26", "", ""],
        ["Learner ID", "Course", "Completion Date"],
        ["E-1", "Consultative Selling", pd.Timestamp("2026-03-15")],
    ]


# ------------------------------------------------------------------------- uncached formula cells

def test_formula_cells_without_a_cached_value_are_recorded(tmp_path):
    """openpyxl (like most scripts) writes formulas without computing them: the cells read as empty,
    so they are recorded as (client row, column) -> formula for intake to report."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Deals"
    ws["A1"] = "Pipeline"
    ws.append([])
    ws.append(["id", "amount", "double", "note"])
    ws.append(["R1", 5, "=B4*2", "ok"])
    ws.append(["R2", 6, '=IF(B5>5,"big","small")', "ok"])
    ws.append(["Total", "=SUM(B4:B5)"])
    ws["F7"] = "=B6&\"<>\""                    # the only cell of its column and row
    path = tmp_path / "deals.xlsx"
    book.save(path)
    grid = read_grid(path, sheet="Deals")
    assert grid.uncached_formulas == {
        (4, 2): "=B4*2", (5, 2): '=IF(B5>5,"big","small")', (6, 1): "=SUM(B4:B5)",
        (7, 5): '=B6&"<>"',
    }
    assert grid.cells.loc[4, 2] == "" and grid.cells.loc[6, 1] == ""   # read as empty
    assert grid.ragged_rows(3) == {}


@pytest.mark.parametrize("formula, value", [
    ("=B1*2", 2), ('=A1&"x"', "ax"),
    ('=IF(B1>5,"","no")', ""),              # a computed empty string is a value too
], ids=["number", "text", "empty-text"])
def test_formula_cells_with_a_cached_value_are_not_recorded(tmp_path, formula, value):
    """xlsxwriter, like Excel, stores a value with each formula (here the one given)."""
    path = tmp_path / "calc.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Calc")
    ws.write_row(0, 0, ["a", 1])
    ws.write_formula(1, 0, formula, None, value)
    book.close()
    grid = read_grid(path)
    assert grid.uncached_formulas == {}
    assert (grid.cells.loc[2, 0] if len(grid.cells) > 1 else "") == value   # an empty last row is cut


def test_formulas_in_the_chosen_sheet_only(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Intro"
    book.active["A1"] = "=1+1"
    ws = book.create_sheet("Data")
    ws.append(["id", "x"])
    ws.append(["R1", "=2*3"])
    path = tmp_path / "two.xlsx"
    book.save(path)
    assert read_grid(path, sheet="Data").uncached_formulas == {(2, 1): "=2*3"}
    assert read_grid(path).uncached_formulas == {(1, 0): "=1+1"}


def test_csv_has_no_uncached_formulas(tmp_path):
    path = tmp_path / "deals.csv"
    path.write_text("id,x\nR1,=A1*2\n", encoding="utf-8")
    grid = read_grid(path)
    assert grid.uncached_formulas == {} and grid_values(grid)[1] == ["R1", "=A1*2"]


@requires_libreoffice
@pytest.mark.libreoffice
def test_legacy_xls(tmp_path):
    src = write_xlsx(tmp_path / "roster.xlsx", {
        "Intro": [["x"]],
        "Employees": [["Employee ID", "Name", "Hire Date"], ["1001", "José", dt.datetime(2020, 1, 6)]],
    })
    xls = _convert(src, tmp_path / "xls", "xls:MS Excel 97", ".xls")
    grid = read_grid(xls, sheet="Employees")
    assert grid.sheet == "Employees"
    assert grid_values(grid) == [["Employee ID", "Name", "Hire Date"],
                                 ["1001", "José", pd.Timestamp("2020-01-06")]]


# ------------------------------------------------------------------------------- unreadable files

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize("name, raw, expected", [
    ("deals.csv", b"", "the file is empty (0 bytes)"),
    ("deals.csv", b"\n\n  \r\n", "the file has no data (only blank lines)"),
    ("deals.csv", b"\x00\x01\x02binary\x00" * 20, "this is not a text file"),
    ("deals.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "not a text file"),
    ("deals.xlsx", b"id,name\nR1,Ann\n", "not a real Excel workbook (it looks like a text/CSV "
                                         "file); rename it to .csv"),
    ("deals.xls", b"id\tname\nR1\tAnn\n", "not a real Excel workbook"),
    ("deals.xlsx", OLE + b"\x00" * 600, "password-protected (encrypted)"),
    ("deals.xls", OLE + b"\x00" * 600, "the workbook is corrupt or not readable"),
    ("deals.xlsx", b"PK\x03\x04" + b"garbage" * 50, "the workbook is corrupt or not readable"),
    ("deals.csv", "id,name\nR1,\x81x\n".encode("latin-1"), "not UTF-8 or Windows-1252 text"),
], ids=["empty", "blank-lines", "binary", "png", "csv-named-xlsx", "tsv-named-xls", "encrypted",
        "corrupt-xls", "corrupt-xlsx", "latin1-undefined-byte"])
def test_unreadable_files(tmp_path, name, raw, expected):
    path = tmp_path / name
    path.write_bytes(raw)
    assert expected in read_error(path)


def test_xlsx_misnamed_csv(roster_xlsx, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(roster_xlsx.read_bytes())
    assert "this .csv is really an Excel workbook; rename it to .xlsx" in read_error(path)


def test_sheet_on_a_csv(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("id\nR1\n", encoding="utf-8")
    assert "'sheet' is set but this is a CSV file" in read_error(path, sheet="Employees")


def test_missing_file_and_folder(tmp_path):
    assert "file not found in the engagement folder" in read_error(tmp_path / "gone.csv")
    (tmp_path / "exports").mkdir()
    assert "is a folder, not a file" in read_error(tmp_path / "exports")


@pytest.mark.parametrize("content", [
    "\ufeffOpportunity ID,Owner,Amount\r\nOPP-1,Ron Rep,\"$1,200.00\"\r\nOPP-2,Ann Lee,5\r\n",   # BOM, CRLF
    "id;name;note\n1;Ann;\"two\nlines\"\n2;Bob;\"he said \"\"hi\"\"\"\n",                        # quoted newline
    "id\tname\n1\tJosé Müller\n2\t\n\n",                                                      # tab, blank line
    "a,b,c\n1,2,3\n\"x\ny,z\",\"p\nOPP-9,Ron Rep,12\",q\n",                                    # a record merged into a value
    "a,b\n1,2",                                                                              # no final line break
])
def test_a_utf8_export_read_straight_from_the_file_is_the_one_read_in_memory(tmp_path, monkeypatch, content):
    """Arrow reads a well-formed UTF-8 export straight from the file (no copy of it or of its
    text in memory): cells, widths, record problems all as the in-memory reading gives them."""
    from workbook.intake import csv_reader

    path = tmp_path / "export.csv"
    path.write_bytes(content.encode("utf-8"))
    direct, ragged = csv_reader._read_utf8_with_arrow(path, None)
    assert direct is not None and not ragged
    monkeypatch.setattr(csv_reader, "_read_utf8_with_arrow", lambda path, encoding: (None, False))
    in_memory = read_grid(path)
    pd.testing.assert_frame_equal(direct.cells, in_memory.cells)
    assert (direct.width, direct.field_counts, direct.quote_problems, direct.encoding, direct.note) == (
        in_memory.width, in_memory.field_counts, in_memory.quote_problems, in_memory.encoding, in_memory.note)


def test_a_ragged_utf8_export_goes_to_the_pandas_parser_once(tmp_path, monkeypatch):
    from workbook.intake import csv_reader

    path = tmp_path / "export.csv"
    path.write_text("a,b\n1,2\n3,4\nReport generated by Salesforce\n", encoding="utf-8")
    calls = []
    original = csv_reader._arrow_frame
    monkeypatch.setattr(csv_reader, "_arrow_frame", lambda *a: calls.append(1) or original(*a))
    grid = read_grid(path)
    assert len(calls) == 1 and grid.field_counts == {4: 1}
