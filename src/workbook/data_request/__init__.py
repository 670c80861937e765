"""The client data-request workbook: one sheet per canonical table, for the client to fill in.

Everything about the columns comes from the canonical declarations in
`workbook.intake.schema` (names, kinds, descriptions, examples, required columns,
alternatives such as person_id or name, and the choices behind each
drop-down); this module only decides how to present them to a client.

Every table sheet has the same layout, so engagement.yaml needs no column
mapping for a returned request:

    row 1  sheet title (required or optional)
    row 2  what goes on the sheet, one row per what
    row 3  Required / Optional per column
    row 4  what to enter in the column
    row 5  an example value
    row 6  the header: canonical column names        <- HEADER_ROW
    row 7+ the client's data (validated for DATA_ROWS rows)

The package: guides.py (the layout rows, table guides and column wording),
formats.py, instructions.py (the Instructions sheet) and tables.py (the table
sheets); this module names, writes and assembles the workbook and re-exports
the public names.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import xlsxwriter

from workbook.data_request.formats import GREY_TEXT, LIGHT, NAVY, PALE, RequestFormats
from workbook.data_request.guides import (
    CLIENT_WORDING,
    DATA_ROWS,
    DESCRIPTION_ROW,
    EXAMPLE_ROW,
    EXAMPLE_WEIGHTS,
    FIRST_DATA_ROW,
    GUIDE_ROW,
    GUIDES,
    HEADER_ROW,
    INSTRUCTIONS,
    MAX_DATE,
    MIN_DATE,
    MIN_SHEET_WIDTH,
    REQUIRED_ROW,
    TITLE_ROW,
    TableGuide,
    client_description,
    declared_range,
    is_required,
    request_columns,
    requirement,
)
from workbook.data_request.instructions import write_instructions
from workbook.data_request.tables import write_table_sheet
from workbook.errors import EngagementError
from workbook.intake.schema import TABLE_SPECS

__all__ = [
    "CLIENT_WORDING", "DATA_ROWS", "DESCRIPTION_ROW", "EXAMPLE_ROW", "EXAMPLE_WEIGHTS", "FIRST_DATA_ROW",
    "GREY_TEXT", "GUIDE_ROW", "GUIDES", "HEADER_ROW", "INSTRUCTIONS", "LIGHT", "MAX_DATE", "MIN_DATE",
    "MIN_SHEET_WIDTH", "NAVY", "PALE", "REQUIRED_ROW", "TITLE_ROW", "UNSAFE_FILE_CHARS", "TableGuide",
    "build_request", "client_description", "declared_range", "is_required", "request_columns",
    "request_file_name", "requirement", "sources_block", "write_request",
]

UNSAFE_FILE_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def request_file_name(client: str) -> str:
    """'Data Request - <Client>.xlsx' with the client name made safe for every file system."""
    safe = UNSAFE_FILE_CHARS.sub(" ", client)
    safe = " ".join(safe.split()).strip(" .")[:80].strip(" .")
    return f"Data Request - {safe or 'Client'}.xlsx"


def sources_block(file_name: str, indent: str = "") -> str:
    """The engagement.yaml `sources:` block reading every sheet of a returned request."""
    path = json.dumps(file_name, ensure_ascii=False)
    lines = [f"{indent}sources:"]
    for table, guide in GUIDES.items():
        lines.append(f"{indent}  {table}: {{path: {path}, sheet: {guide.sheet}, "
                     f"header_row: {HEADER_ROW}}}")
    return "\n".join(lines) + "\n"


def write_request(folder: Path, client: str, *, overwrite: bool = False) -> Path:
    """Write the request workbook into `folder` and return its path.

    An existing file is kept (it may be the client's filled-in copy) unless `overwrite`.
    The workbook is written to a temporary name first, so a failure leaves nothing half-written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / request_file_name(client)
    if path.exists() and not overwrite:
        raise EngagementError(f"{path} already exists (it may be the client's filled-in copy); "
                              "move it away or pass --force to replace it")
    tmp = path.with_name(f".{path.stem}.tmp.xlsx")
    try:
        build_request(tmp, client)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def build_request(path: Path, client: str) -> None:
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"title": f"Data request - {client}", "subject": "Sales-effectiveness assessment",
                         "comments": f"Header row {HEADER_ROW} of every table sheet holds the column names"})
    formats = RequestFormats(book)
    write_instructions(book, formats, client)
    for table, spec in TABLE_SPECS.items():
        write_table_sheet(book, formats, client, spec, GUIDES[table])
    book.close()
