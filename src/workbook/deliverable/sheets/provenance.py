"""Provenance: exactly which files, parameters and software produced this workbook."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

TITLE = "Provenance"
NOTE = (
    "The SHA-256 fingerprint identifies each file exactly: if a file's fingerprint matches, it is "
    "byte for byte the file this workbook was built from."
)


def _json(value: object) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, default=str, sort_keys=True, ensure_ascii=False)


def build(book: DeliverableBook, ctx: DeliverableContext) -> None:
    ws = book.sheet(TITLE)
    row = book.write_title(ws, "Provenance", "Which files, parameters and software produced this workbook.")

    run = pd.DataFrame(
        [
            ("Run", ctx.run_id),
            ("Client", ctx.client),
            ("Engagement", ctx.engagement),
            ("Data as of", ctx.as_of.isoformat()),
            ("Currency", ctx.currency),
            ("Toolkit version", ctx.toolkit_version),
        ],
        columns=["Item", "Value"],
    )
    row = _section(book, ws, row, "Run", run, "run", {}, freeze=True)

    inputs = pd.DataFrame(ctx.inputs, columns=["table", "file", "sha256", "bytes"]).rename(
        columns={"table": "Table", "file": "File", "sha256": "SHA-256", "bytes": "Bytes"}
    )
    row = _section(book, ws, row, "Input files", inputs, "inputs", {"SHA-256": "code", "Bytes": "count"})
    ws.write_string(row, 0, NOTE, book.fmt("note", text_wrap=False))
    row += 2

    params = pd.DataFrame(
        [(str(k), _json(v)) for k, v in sorted(ctx.parameters.items())], columns=["Parameter", "Value"]
    )
    row = _section(book, ws, row, "Run parameters", params, "parameters", {"Value": "wrap"})
    versions = pd.DataFrame(sorted(ctx.versions.items()), columns=["Package", "Version"])
    _section(book, ws, row, "Software versions", versions, "versions", {})


def _section(book, ws, row: int, heading: str, frame: pd.DataFrame, name: str,
             kinds: dict[str, str], freeze: bool = False) -> int:
    ws.write_string(row, 0, heading, book.fmt("heading"))
    last = book.write_table(ws, row + 1, frame, name, column_kinds=kinds, freeze=freeze)
    return last + 2
