"""Client files -> a raw grid of cells, numbered as the client sees them.

Reads CSV (any delimiter, UTF-8 with or without BOM, UTF-16, Windows-1252;
LF, CRLF or classic-Mac CR line endings) and Excel workbooks (.xlsx/.xlsm/.xls
via python-calamine) without ever writing to them. Every problem that stops a
file being read is a ReadError whose message names the file and says what to
do. Problems that do not stop it are recorded on the Grid for intake to
report: CSV rows with more or fewer fields than the header (`ragged_rows`)
and formula cells saved without a computed value (`uncached_formulas`).

This module picks the reader from the file's first bytes; the readers are csv_reader.py and
excel_reader.py, the grid they return is grid.py.
"""

from __future__ import annotations

from pathlib import Path

from workbook.errors import ReadError
from workbook.intake.csv_reader import read_csv
from workbook.intake.excel_reader import ZIP_MAGIC, read_excel
from workbook.intake.grid import Grid, QuoteProblem, column_letter

__all__ = ["EXCEL_SUFFIXES", "OLE_MAGIC", "ZIP_MAGIC", "Grid", "QuoteProblem", "ReadError", "column_letter",
           "read_grid"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}


def read_grid(path: Path, sheet: str | int | None = None, encoding: str | None = None) -> Grid:
    if not path.exists():
        raise ReadError(f"{path.name}: file not found in the engagement folder ({path.parent})")
    if path.is_dir():
        raise ReadError(f"{path.name}: is a folder, not a file")
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head:
        raise ReadError(f"{path.name}: the file is empty (0 bytes); ask the client to export it again")
    suffix = path.suffix.lower()
    if head.startswith(ZIP_MAGIC):
        if suffix == ".csv":
            raise ReadError(f"{path.name}: this .csv is really an Excel workbook; rename it to .xlsx "
                            "and update engagement.yaml")
        return read_excel(path, sheet)
    if head.startswith(OLE_MAGIC):
        if suffix == ".xls":
            return read_excel(path, sheet)
        raise ReadError(f"{path.name}: the workbook is password-protected (encrypted) or in an old "
                        "format; ask the client to remove the password and save it as .xlsx")
    if suffix in EXCEL_SUFFIXES:
        raise ReadError(f"{path.name}: not a real Excel workbook (it looks like a text/CSV file); "
                        "rename it to .csv and update engagement.yaml")
    if sheet is not None:
        raise ReadError(f"{path.name}: 'sheet' is set but this is a CSV file, which has no sheets; "
                        "remove 'sheet' from engagement.yaml")
    return read_csv(path, encoding)
