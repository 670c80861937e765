"""Provenance: exactly which files, parameters and software produced this workbook."""

from __future__ import annotations

import json
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

import pandas as pd

from workbook.deliverable.sheets.data_quality import for_display

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

TITLE = "Provenance"
NOTE = (
    "The SHA-256 fingerprint identifies each file exactly: if a file's fingerprint matches, it is "
    "byte for byte the file this workbook was built from."
)


PARAMETER_LABELS = {
    "engagement_dir": "Engagement folder",
    "output_dir": "Run folder",
    "as_of": "Data as of",
    "only": "Notebooks run",
    "cell_timeout": "Per-cell time limit (s)",
    "run_timeout": "Whole-run time limit (s)",
    "seed": "Random seed",
}
PATH_SUFFIXES = ("_dir", "_path", "_folder", "_file")


def parameter_label(key: str) -> str:
    """A run parameter in words: 'cell_timeout' -> 'Per-cell time limit (s)'."""
    if key in PARAMETER_LABELS:
        return PARAMETER_LABELS[key]
    text = str(key).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def parameter_value(key: str, value: object) -> str:
    """The value as a client should see it: a folder by its name only, never a machine's full path."""
    if key.endswith(PATH_SUFFIXES) and isinstance(value, str) and value:
        return PureWindowsPath(value).name if "\\" in value else PurePosixPath(value).name or value
    if key == "only":
        if value in (None, [], ""):
            return "All"
        return ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    return _json(value)


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
    row = _section(book, ws, row, "Run", run, "run", {})

    inputs = pd.DataFrame(ctx.inputs, columns=["table", "file", "sha256", "bytes"])
    inputs = for_display(inputs, ["table"]).rename(
        columns={"table": "Table", "file": "File", "sha256": "SHA-256", "bytes": "Bytes"}
    )
    row = _section(book, ws, row, "Input files", inputs, "inputs", {"SHA-256": "code", "Bytes": "count"})
    ws.write_string(row, 0, NOTE, book.fmt("note", text_wrap=False))
    row += 2

    order = {key: i for i, key in enumerate(PARAMETER_LABELS)}
    keys = sorted(ctx.parameters, key=lambda k: (order.get(str(k), len(order)), str(k)))
    params = pd.DataFrame(
        [(parameter_label(str(k)), parameter_value(str(k), ctx.parameters[k])) for k in keys],
        columns=["Parameter", "Value"],
    )
    row = _section(book, ws, row, "Run parameters", params, "parameters", {"Value": "wrap"})
    versions = pd.DataFrame(sorted(ctx.versions.items()), columns=["Package", "Version"])
    _section(book, ws, row, "Software versions", versions, "versions", {})


def _section(book, ws, row: int, heading: str, frame: pd.DataFrame, name: str,
             kinds: dict[str, str]) -> int:
    """A heading and its table. The sheet is short: no header is frozen or repeated on print."""
    ws.write_string(row, 0, heading, book.fmt("heading"))
    last = book.write_table(ws, row + 1, frame, name, column_kinds=kinds, freeze=False,
                            repeat_header=False)
    return last + 2
