"""Client files that are broken or hostile, as the consultant sees them: a clear ReadError naming the
file, or a DataIssue naming the file, row and column; never a traceback, a panic or gigabytes of memory.

Every file is built in tmp_path at test time (CSV bytes, workbooks via openpyxl, hand-edited .xlsx
zips for a stray cell at XFD1048576 and a zip bomb kept small by lowering the limit).
"""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from engagement_files import roster, write_engagement

from workbook.errors import ReadError
from workbook.intake import excel_reader
from workbook.intake.export_checks import report_export_problems
from workbook.intake.issues import IssueLog
from workbook.intake.load import load_engagement_data
from workbook.intake.readers import read_grid


def issues(grid, table="sales", file="deals.csv", header_row=1, mapping=None):
    log = IssueLog()
    report_export_problems(grid, header_row, set(), table, file, log, mapping)
    return log.issues


def workbook(path, rows, title="Deals"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def edit_sheet(path, change):
    """Rewrite the first sheet's XML of an .xlsx in place (as a hand-edited or hostile file)."""
    with zipfile.ZipFile(path) as book:
        parts = [(info, book.read(info.filename)) for info in book.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for info, data in parts:
            book.writestr(info, change(data) if info.filename == "xl/worksheets/sheet1.xml" else data)
    return path


DEALS = [["id", "name", "amount"], ["R1", "Ann", 5], ["R2", "Bob", 6]]
STRAY = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'


# ------------------------------------------------------------------------ CSV quotes (cases 1, 2)

# (CSV bytes, rows read, (severity, row, words in the message)) per quote problem
QUOTES = [
    pytest.param(b'id,name,account\nR1,Ann,"Acme Inc"\nR2,Bob,"Acme Cor',
                 [["id", "name", "account"], ["R1", "Ann", "Acme Inc"]],
                 [("blocking", 2, "looks cut off")], id="cut-off-in-quotes"),
    pytest.param(b'Deals\n\nid,name,account\nR1,Ann,Acme\nR2,Bob\nR3,Cy,"Acme Cor',   # ragged: pandas path
                 [["Deals", "", ""], ["", "", ""], ["id", "name", "account"], ["R1", "Ann", "Acme"],
                  ["R2", "Bob", ""]],
                 [("blocking", 5, "last complete row is 5"), ("warning", 5, "fewer fields")], id="cut-off-ragged"),
    pytest.param(b'id,name,amount\nR1,"Ann,5\nR2,Bob,6\nR3,"Cy",7\nR4,Dee,8\n',
                 [["id", "name", "amount"], ["R1", 'Ann,5\nR2,Bob,6\nR3,Cy"', "7"], ["R4", "Dee", "8"]],
                 [("blocking", 2, "line 2) opens a value that runs to line 4")], id="stray-quote-merges"),
    pytest.param(b'id,name,amount\nR1,Ann,5\nR2,"Bob,6\nR3,Cy,7\nR4,Dee,8\n',
                 [["id", "name", "amount"], ["R1", "Ann", "5"]],
                 [("blocking", 3, "never closes: lines 3-5")], id="stray-quote-never-closes"),
    pytest.param(b'id,note,amount\nR1,"called twice\nfollow up in May",5\nR2,x,6\n',
                 [["id", "note", "amount"], ["R1", "called twice\nfollow up in May", "5"], ["R2", "x", "6"]],
                 [], id="multi-line-note-is-fine"),
    pytest.param(b'id,note,amount\r\nR1,"a\r\nb, c, d",5\r\nR2,"5"" screen",6\r\n',
                 [["id", "note", "amount"], ["R1", "a\r\nb, c, d", "5"], ["R2", '5" screen', "6"]],
                 [], id="note-with-commas-and-escaped-quote"),
]


@pytest.mark.parametrize("raw, rows, expected", QUOTES)
def test_csv_quote_problems(tmp_path, raw, rows, expected):
    path = tmp_path / "deals.csv"
    path.write_bytes(raw)
    grid = read_grid(path)
    assert grid.cells.values.tolist() == rows
    header = 3 if raw.startswith(b"Deals") else 1
    found = [(i.severity, i.row, i.message) for i in issues(grid, header_row=header)]
    assert [(s, r) for s, r, _ in found] == [(s, r) for s, r, _ in expected]
    for (_, _, message), (_, _, words) in zip(found, expected, strict=True):
        assert words in message


def test_rows_after_a_multi_line_value_keep_the_row_numbers_excel_shows(tmp_path):
    """A quoted value over two lines is one row in Excel: the rows after it are numbered as Excel
    numbers them (a text editor shows them one line further down)."""
    path = tmp_path / "deals.csv"
    path.write_bytes(b'id,note,amount\nR1,"two\nlines",5\nR2,x,1,234\n')
    grid = read_grid(path)
    assert grid.cells.loc[3].tolist()[:2] == ["R2", "x"]
    assert grid.ragged_rows(1) == {3: 4}


def test_cut_off_csv_is_one_blocking_issue_in_validate(tmp_path):
    roster(tmp_path)
    (tmp_path / "deals.csv").write_bytes(
        b'rep_name,date,amount,stage\nRon Rep,2026-03-05,1200,Won\nRon Rep,2026-03-06,"1,3')
    data = load_engagement_data(write_engagement(tmp_path, {"people": "roster.csv", "sales": "deals.csv"}))
    [issue] = [i for i in data.blocking if i.table == "sales"]
    assert (issue.file, issue.row) == ("deals.csv", 2) and "export it again" in issue.message
    assert len(data.tables["sales"]) == 1


# ------------------------------------------------------------------------ UTF-16 without BOM (4)

@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(tmp_path, encoding):
    path = tmp_path / "export.csv"
    path.write_bytes("id\tname\r\nR1\tJosé\r\n".encode(encoding))
    grid = read_grid(path)
    assert grid.cells.values.tolist() == [["id", "name"], ["R1", "José"]] and grid.encoding == encoding


@pytest.mark.parametrize("raw", [
    bytes(range(256)) * 4,
    b"\x00\x01\x00\x02" * 500,                       # NULs in every other byte, but not text
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100,
], ids=["bytes", "alternating-nuls", "png"])
def test_binary_files_are_still_refused(tmp_path, raw):
    path = tmp_path / "export.csv"
    path.write_bytes(raw)
    with pytest.raises(ReadError, match=r"^export\.csv: this is not a text file"):
        read_grid(path)


# ---------------------------------------------------------------------------- workbook limits (3)

def test_stray_cell_at_xfd1048576_reads_the_table(tmp_path):
    path = edit_sheet(workbook(tmp_path / "deals.xlsx", DEALS),
                      lambda xml: xml.replace(b"</sheetData>", STRAY).replace(b'"A1:C3"', b'"A1:XFD1048576"'))
    assert path.stat().st_size < 10_000
    grid = read_grid(path)
    assert grid.cells.values.tolist() == [["id", "name", "amount"], ["R1", "Ann", 5], ["R2", "Bob", 6]]
    assert grid.stray_cells == ["XFD1048576"]
    [issue] = issues(grid, file="deals.xlsx")
    assert issue.severity == "warning" and "XFD1048576" in issue.message and "'Deals'" in issue.message


def test_stray_cell_beyond_a_lying_dimension(tmp_path):
    path = edit_sheet(workbook(tmp_path / "deals.xlsx", DEALS),
                      lambda xml: xml.replace(b"</sheetData>", STRAY.replace(b"<c r=", b"<c\nr=")))
    assert read_grid(path).stray_cells == ["XFD1048576"]


def test_formatting_only_at_xfd1048576_is_harmless(tmp_path):
    path = edit_sheet(workbook(tmp_path / "deals.xlsx", DEALS), lambda xml: xml.replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>'))
    grid = read_grid(path)
    assert grid.cells.shape == (3, 3) and grid.stray_cells == []


def test_a_sheet_too_wide_and_high_even_without_strays_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(excel_reader, "MAX_GRID_CELLS", 20)
    path = workbook(tmp_path / "deals.xlsx", [[f"c{i}" for i in range(6)]] * 5)
    with pytest.raises(ReadError, match=r"^deals\.xlsx: sheet 'Deals' spans F5 .* more than the 20 cells"):
        read_grid(path)


def test_too_many_cells_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(excel_reader, "MAX_SHEET_CELLS", 10)
    path = workbook(tmp_path / "deals.xlsx", DEALS * 2)
    with pytest.raises(ReadError, match=r"^deals\.xlsx: sheet 'Deals' has 18 cells, more than the 10"):
        read_grid(path)


def test_zip_bomb_is_refused_before_unpacking(tmp_path, monkeypatch):
    monkeypatch.setattr(excel_reader, "MAX_UNPACKED_BYTES", 1024 * 1024)
    path = workbook(tmp_path / "deals.xlsx", DEALS)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/media/padding.bin", b"\x00" * (2 * 1024 * 1024))   # ~2 KB packed
    assert path.stat().st_size < 20_000
    with pytest.raises(ReadError, match=r"^deals\.xlsx: the workbook would unpack to 2 MB, more than the 1 MB"):
        read_grid(path)


# ------------------------------------------------------------------ formulas without values (5)

def test_uncached_formulas_one_issue_per_column(tmp_path):
    path = workbook(tmp_path / "deals.xlsx", [["id", "amount", "note"], ["R1", 5, "a"],
                                              ["R2", "=B2*2", '=A2&"x"'], ["R3", "=B2*3", "c"]])
    grid = read_grid(path)
    found = issues(grid, file="deals.xlsx")
    amount, note = found
    assert (amount.severity, amount.row, amount.column, amount.value) == ("blocking", 3, "amount", "=B2*2")
    assert "rows 3, 4" in amount.message and "column B ('amount') of sheet 'Deals'" in amount.message
    assert (note.severity, note.row, note.column) == ("warning", 3, "note")   # not used by the analysis
    # with the mapping intake used: 'note' mapped is blocking, 'amount' unmapped is a warning
    mapped = issues(grid, file="deals.xlsx", mapping={"note": "stage"})
    assert [(i.column, i.severity) for i in mapped] == [("amount", "warning"), ("note", "blocking")]


# ---------------------------------------------------------------------- duplicate headers (6)

@pytest.mark.parametrize("rows, mapping, expected", [
    ([["id", "Amount", "Amount"], ["R1", 5, 7]], None,
     ("blocking", "2 columns are headed 'Amount' (column B and column C): column B is read as amount")),
    ([["id", "Amount", "Amount"], ["R1", 5, 5]], None, ("warning", "they hold the same values")),
    ([["id", "Amount", "Amount"], ["R1", 5, 7]], {"Amount (2)": "amount"},
     ("warning", "column C is read as amount")),
    ([["id", "Notes", "Notes"], ["R1", "a", "b"]], None, None),   # not used: nothing to say
])
def test_duplicate_headers(tmp_path, rows, mapping, expected):
    grid = read_grid(workbook(tmp_path / "deals.xlsx", rows))
    found = [i for i in issues(grid, file="deals.xlsx", mapping=mapping) if "headed" in i.message]
    if expected is None:
        assert found == []
        return
    [issue] = found
    assert issue.severity == expected[0] and expected[1] in issue.message
    assert (issue.file, issue.row, issue.column) == ("deals.xlsx", 1, "Amount")


def test_duplicate_csv_headers_name_fields(tmp_path):
    path = tmp_path / "deals.csv"
    path.write_bytes(b"id,amount,name,amount\nR1,5,Ann,6\n")
    [issue] = issues(read_grid(path))
    assert issue.severity == "blocking" and "(field 2 and field 4)" in issue.message


def test_intake_blocks_uncomputed_formulas_in_a_column_mapped_under_another_name(tmp_path):
    """Through validate's own loading: 'Deal Value' is mapped to amount in engagement.yaml, so its
    formulas without computed values block (they would read as blank revenue)."""
    roster(tmp_path)
    workbook(tmp_path / "deals.xlsx", [["Owner", "Close Date", "Deal Value", "Stage"],
                                       ["Ron Rep", "2026-03-05", 100, "Won"],
                                       ["Ron Rep", "2026-03-06", "=C2*2", "Won"]])
    write_engagement(tmp_path, {"people": "roster.csv", "sales": {
        "path": "deals.xlsx", "columns": {"Owner": "rep_name", "Close Date": "date", "Deal Value": "amount",
                                          "Stage": "stage"}}}, as_of="2026-09-30")
    data = load_engagement_data(tmp_path)
    [issue] = [i for i in data.issues if i.column == "Deal Value" and "formula" in i.message]
    assert issue.severity == "blocking" and issue.row == 3 and issue.file == "deals.xlsx"
    assert "uses this column as amount" in issue.message
