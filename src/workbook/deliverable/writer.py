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
    try:
        book = DeliverableBook(tmp, ctx)
        try:
            _build_sheets(book, ctx, sheets)
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


def _build_sheets(book: DeliverableBook, ctx: DeliverableContext, sheets: list[registry.SheetSpec] | None) -> None:
    """Every sheet, tabs in SPEC order (XlsxWriter orders them by creation), built so that the
    least waits on the rest: while a run's notebooks are still executing (ctx.results waits for each
    table), the sheets every run writes are built as their results arrive; which sheets follow is
    known once Programme Impact's results are in; the front sheets, which summarise all the others,
    are built last."""
    has_previous = ctx.previous is not None
    first = registry.certain_sheets(has_previous, sheets)
    for spec in first:
        book.add_sheet(spec.title, spec.tab_color)
    if sheets is not None:
        book.planned = list(sheets)
    built = {spec.title for spec in first if spec.title not in registry.SUMMARIES}
    for spec in first:
        if spec.title in built:
            spec.build(book, ctx)
    specs = list(sheets) if sheets is not None else registry.planned_sheets(
        has_previous, has_impact=registry.has_impact(ctx))
    if specs[: len(first)] != first:   # the tabs already created must stay the workbook's first ones
        raise RuntimeError("registry.certain_sheets is not the start of registry.planned_sheets")
    for spec in specs[len(first):]:
        book.add_sheet(spec.title, spec.tab_color)
    book.planned = specs
    rest = [spec for spec in specs if spec.title not in built]
    for spec in sorted(rest, key=lambda spec: spec.title in registry.SUMMARIES):   # stable: tab order
        spec.build(book, ctx)
