"""Table-driven tests of intake.readers.read_grid on files built the way clients' systems export them.

Every fixture is written into tmp_path at test time; assertions are on the cell grid read_grid
returns (values and the client's 1-based row numbers) and on ReadError messages naming the file.
"""

from __future__ import annotations

import csv
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


@pytest.mark.parametrize("line_end", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_line_endings(tmp_path, line_end):
    path = tmp_path / "export.csv"
    path.write_bytes(line_end.join(["id,name", "R1,Ann", "R2,Bob", ""]).encode())
    assert grid_values(read_grid(path)) == [["id", "name"], ["R1", "Ann"], ["R2", "Bob"]]


@pytest.mark.xfail(strict=True, raises=csv.Error,
                   reason="CR-only line endings (Excel for Mac 'CSV (Macintosh)') crash with "
                          "_csv.Error instead of being read or raising ReadError")
def test_classic_mac_line_endings(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"id,name\rR1,Ann\rR2,Bob\r")
    assert grid_values(read_grid(path)) == [["id", "name"], ["R1", "Ann"], ["R2", "Bob"]]


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
