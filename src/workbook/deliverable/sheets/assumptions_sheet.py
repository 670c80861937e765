"""Assumptions: every input behind the numbers, as named input cells the live formulas use.

Each value cell is a workbook defined name equal to the assumption's `name`, so
a later sheet writes `=core_revenue*uplift_base` and a client who changes the
yellow cell sees the result move.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from workbook.assumptions import Assumption

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

TITLE = "Assumptions"
HEADERS = ["Group", "Assumption", "Value", "Unit", "Status", "Source", "Note", "Name"]
VALUE_COL = 2  # column C
HEADER_ROW = 5  # 0-based: the table header is on row 6, the first value on row 7
WIDTHS = {0: 13, 1: 38, 2: 12, 3: 10, 4: 18, 5: 46, 6: 34, 7: 36}
LEGEND = (
    "Yellow cells are inputs: change one and the ROI Model and Compensation sheets recalculate. "
    "Status says which values were set for this engagement; the others are the "
    "toolkit's documented defaults."
)


def ordered(ctx: DeliverableContext) -> list[Assumption]:
    """Assumptions grouped by `group`, groups and items in registry order."""
    groups: dict[str, list[Assumption]] = {}
    for a in ctx.assumptions.items:
        groups.setdefault(a.group, []).append(a)
    return [a for items in groups.values() for a in items]


def assumption_cell_refs(ctx: DeliverableContext) -> dict[str, str]:
    """name -> "'Assumptions'!$C$n": where each input cell sits (the defined names point here)."""
    return {
        a.name: f"'{TITLE}'!${chr(ord('A') + VALUE_COL)}${HEADER_ROW + 2 + i}"
        for i, a in enumerate(ordered(ctx))
    }


def unit(a: Assumption, currency: str) -> str:
    return currency if a.kind == "currency" else a.unit


def value_format(book: DeliverableBook, a: Assumption):
    if a.kind == "percent":
        whole = isinstance(a.value, (int, float)) and abs(a.value * 100 - round(a.value * 100)) < 1e-9
        return book.fmt("input", num_format="0%" if whole else "0.0%", indent=1)
    if a.kind == "hours":  # the Unit column says hours
        return book.fmt("input", num_format="0.0", indent=1)
    kind = {"integer": "count", "number": "number"}.get(a.kind, a.kind)
    return book.kind_format(kind, "input", indent=1)


def _bound(value: float | None, a: Assumption) -> str:
    if value is None:
        return ""
    return f"{value:.0%}" if a.kind == "percent" else f"{value:g}"


def validation(a: Assumption) -> dict:
    """Data validation for the input cell: bounds from the registry, whole numbers for counts."""
    message = f"{a.label}. " + (f"Allowed: {_bound(a.minimum, a)} to {_bound(a.maximum, a)}."
                                if a.minimum is not None and a.maximum is not None else "")
    if a.kind == "percent":
        message += " Enter as a percentage, e.g. 8%."
    rule: dict = {
        "input_title": a.name[:32],
        "input_message": message.strip()[:255],
        "error_title": "Value out of range",
        "error_message": (message.strip() or a.label)[:255],
    }
    if a.kind == "date":
        return {**rule, "validate": "any"}
    validate = "integer" if a.kind == "integer" else "decimal"
    if a.minimum is not None and a.maximum is not None:
        return {**rule, "validate": validate, "criteria": "between",
                "minimum": a.minimum, "maximum": a.maximum}
    if a.minimum is not None:
        return {**rule, "validate": validate, "criteria": ">=", "value": a.minimum}
    if a.maximum is not None:
        return {**rule, "validate": validate, "criteria": "<=", "value": a.maximum}
    return {**rule, "validate": validate, "criteria": "between", "minimum": -1e15, "maximum": 1e15}


def build(book: DeliverableBook, ctx: DeliverableContext) -> None:
    ws = book.sheet(TITLE)
    sheet = ws.name
    book.write_title(ws, "Assumptions", "Every assumption behind the numbers, with its source.")
    ws.write_string(3, 0, "Input", book.fmt("input", align="center"))
    ws.merge_range(3, 1, 3, 6, None, book.fmt("note"))
    ws.write_string(3, 1, LEGEND, book.fmt("note"))
    ws.set_row(3, 30)

    items = ordered(ctx)
    overridden = ctx.assumptions.overridden
    table = pd.DataFrame(
        {
            "Group": [a.group for a in items],
            "Assumption": [a.label for a in items],
            "Value": [None] * len(items),
            "Unit": [unit(a, ctx.currency) for a in items],
            "Status": ["Set for engagement" if a.name in overridden else "Default" for a in items],
            "Source": [a.source for a in items],
            "Note": [a.note for a in items],
            "Name": [a.name for a in items],
        },
        columns=HEADERS,
    )
    book.write_table(
        ws, HEADER_ROW, table, "assumptions",
        column_kinds={"Assumption": "wrap", "Source": "wrap", "Note": "wrap", "Name": "code"},
        widths={HEADERS[c]: w for c, w in WIDTHS.items()},
    )
    changed = book.fmt("bold", font_color="#C00000")
    unit_fmt = book.fmt(align="center")
    for i, a in enumerate(items):
        row = HEADER_ROW + 1 + i
        book.safe_write(ws, row, VALUE_COL, a.value, value_format(book, a))
        ws.data_validation(row, VALUE_COL, row, VALUE_COL, validation(a))
        book.workbook.define_name(a.name, f"='{sheet}'!${chr(ord('A') + VALUE_COL)}${row + 1}")
        book.safe_write(ws, row, 3, unit(a, ctx.currency), unit_fmt)
        if a.name in overridden:
            ws.write_string(row, 4, "Set for engagement", changed)
