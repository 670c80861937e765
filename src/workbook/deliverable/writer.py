"""Write the deliverable atomically: a half-written workbook never replaces a good one."""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from pathlib import Path

from workbook.deliverable import registry
from workbook.deliverable.book import DeliverableBook
from workbook.deliverable.context import DeliverableContext

TITLE = "Manager Readiness Assessment"
_UNSAFE_FILE_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def deliverable_filename(client: str) -> str:
    """'<Client> - Manager Readiness Assessment.xlsx', safe on Windows, macOS and Linux."""
    name = _UNSAFE_FILE_CHARS.sub(" ", str(client))
    name = re.sub(r"\s+", " ", name).strip(" .")[:100].strip(" .") or "Client"
    return f"{name} - {TITLE}.xlsx"


def write_deliverable(
    path: Path | str, ctx: DeliverableContext, sheets: list[registry.SheetSpec] | None = None
) -> Path:
    """Write the workbook to `path` via a temporary file in the same folder.

    `sheets` defaults to the registry (SPEC order); tests pass their own list.
    On any error the temporary file is removed and `path` is left untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{uuid.uuid4().hex[:8]}.tmp.xlsx")
    specs = registry.planned_sheets(ctx.previous is not None, sheets, has_impact=registry.has_impact(ctx))
    try:
        book = DeliverableBook(tmp, ctx)
        try:
            for spec in specs:  # create every sheet first: XlsxWriter orders tabs by creation
                book.add_sheet(spec.title, spec.tab_color)
            book.planned = list(specs)
            for spec in specs:
                spec.build(book, ctx)
        except BaseException:
            with contextlib.suppress(Exception):
                book.workbook.close()
            raise
        book.close()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path
