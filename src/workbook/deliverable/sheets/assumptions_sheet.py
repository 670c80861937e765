"""Assumptions: every input behind the numbers, as named input cells the live formulas use.

Each value cell is a workbook defined name equal to the assumption's `name`, so
a later sheet writes `=core_revenue*uplift_base` and a client who changes the
yellow cell sees the result move. Only live assumptions (those whose sheet
recalculates from them) are yellow inputs; the others are shown as plain values,
applied when the engagement is re-run, and still carry their defined name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from workbook.deliverable import style
from workbook.engagement.assumptions import Assumption

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

TITLE = "Assumptions"
NAME_HEADER = "Defined name (for formulas)"
HEADERS = ["Group", "Assumption", "Value", "Unit", "Status", "Source", "Note", NAME_HEADER]
VALUE_COL = 2  # column C
HEADER_ROW = 5  # 0-based: the table header is on row 6, the first value on row 7
WIDTHS = {0: 12, 1: 30, 2: 11, 3: 10, 4: 15, 5: 36, 6: 34, 7: 29}
PRINTED_LAST_COL = 6   # the defined names are for formula authors on screen: the print stops at Note
DEFAULT_STATUS = "Default (see Source)"
SET_STATUS = "Set for this engagement"
RERUN_NOTE = "Applied when the engagement is re-run."
# Groups whose values drive live formulas, and the sheet those formulas are on.
LIVE_SHEET_BY_GROUP = {"ROI": "ROI Model", "Compensation": "Compensation"}
# Units the assumption's kind alone does not say.
UNITS_BY_NAME = {
    "default_coaching_minutes": "minutes",
    "tier_ready_min_score": "score (0-100)",
    "tier_developing_min_score": "score (0-100)",
    "adkar_barrier_max_score": "score (1-5)",
    "healthy_span_min": "direct reports",
    "healthy_span_max": "direct reports",
    "span_flag_above": "direct reports",
    "cohort_size": "managers",
    "pilot_size": "managers",
    "fiscal_year_start_month": "month (1-12)",
    "year_end_blackout": "1 yes, 0 no",
    "analysis_window_months": "months",
}
UNITS_BY_KIND = {"number": "number", "integer": "count", "percent": "%", "hours": "hours",
                 "date": "date", "months": "months", "weeks": "weeks"}


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
    """What the value is measured in, for every assumption (never blank)."""
    if a.kind == "currency":
        return currency
    return UNITS_BY_NAME.get(a.name) or a.unit or UNITS_BY_KIND.get(a.kind, a.kind)


def live_sheets(book: DeliverableBook) -> list[str]:
    """The sheets in this workbook whose formulas recalculate from the Assumptions sheet."""
    return [title for title in dict.fromkeys(LIVE_SHEET_BY_GROUP.values()) if book.written(title)]


def is_live(book: DeliverableBook, a: Assumption) -> bool:
    """A live input: its group's sheet is in this workbook and recalculates from it."""
    if not getattr(a, "live", False):
        return False
    sheet = LIVE_SHEET_BY_GROUP.get(a.group)
    return sheet is None or book.written(sheet)


def placeholders(ctx: DeliverableContext) -> list[Assumption]:
    """Assumptions still at an engagement placeholder value (not set for this engagement)."""
    overridden = ctx.assumptions.overridden
    return [a for a in ctx.assumptions.items
            if a.name not in overridden and "placeholder" in str(a.source).lower()]


def value_format(book: DeliverableBook, a: Assumption, live: bool = True):
    """The value cell: a yellow input when live, otherwise a plain value."""
    names = ("input",) if live else ()
    extra = {"indent": 1, "align": "right"}
    if a.kind == "percent":
        whole = isinstance(a.value, (int, float)) and abs(a.value * 100 - round(a.value * 100)) < 1e-9
        return book.fmt(*names, num_format="0%" if whole else "0.0%", **extra)
    if a.kind == "hours":  # the Unit column says hours
        return book.fmt(*names, num_format="0.0", **extra)
    kind = {"integer": "count", "number": "number"}.get(a.kind, a.kind)
    return book.kind_format(kind, *names, **extra)


def legend(book: DeliverableBook) -> str:
    live = live_sheets(book)
    if live:
        sheets = " and ".join(live)
        first = (f"Yellow cells are live inputs: change one and the {sheets} "
                 f"sheet{'s' if len(live) > 1 else ''} recalculate{'' if len(live) > 1 else 's'} "
                 "in this workbook. ")
    else:
        first = ""
    return (first + "The other values were applied when the analysis was run: changing one needs a "
            "re-run of the engagement. Status says which values were set for this engagement; the "
            "others are the toolkit's documented defaults, with their source.")


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
    text = legend(book)
    has_live = bool(live_sheets(book))
    if has_live:
        ws.write_string(3, 0, "Input", book.fmt("input", align="center", valign="vcenter"))
    ws.merge_range(3, 1, 3, 6, None, book.fmt("note", valign="vcenter"))
    ws.write_string(3, 1, text, book.fmt("note", valign="vcenter"))
    ws.set_row(3, book.wrapped_height(text, sum(WIDTHS[c] for c in range(1, 7)) * 0.9))

    items = ordered(ctx)
    overridden = ctx.assumptions.overridden
    live = [is_live(book, a) for a in items]
    table = pd.DataFrame(
        {
            "Group": [a.group for a in items],
            "Assumption": [a.label for a in items],
            "Value": [None] * len(items),
            "Unit": [unit(a, ctx.currency) for a in items],
            "Status": [SET_STATUS if a.name in overridden else DEFAULT_STATUS for a in items],
            "Source": [a.source for a in items],
            "Note": [_note(a, on) for a, on in zip(items, live, strict=True)],
            NAME_HEADER: [a.name for a in items],
        },
        columns=HEADERS,
    )
    name_fmt = book.fmt(font_color=style.GREY, font_size=8, indent=1, align="left", valign="top")
    book.write_table(
        ws, HEADER_ROW, table, "assumptions",
        column_kinds={"Assumption": "wrap", "Status": "wrap", "Source": "wrap", "Note": "wrap",
                      NAME_HEADER: "code"},
        formats_by_column={NAME_HEADER: name_fmt},
        widths={HEADERS[c]: w for c, w in WIDTHS.items()},
    )
    book.print_columns(ws, PRINTED_LAST_COL)
    changed = book.fmt("bold", font_color="#C00000", indent=1, text_wrap=True, valign="top")
    for i, (a, on) in enumerate(zip(items, live, strict=True)):
        row = HEADER_ROW + 1 + i
        book.safe_write(ws, row, VALUE_COL, a.value, value_format(book, a, live=on))
        if on:
            ws.data_validation(row, VALUE_COL, row, VALUE_COL, validation(a))
        book.workbook.define_name(a.name, f"='{sheet}'!${chr(ord('A') + VALUE_COL)}${row + 1}")
        if a.name in overridden:
            ws.write_string(row, 4, SET_STATUS, changed)


def _note(a: Assumption, live: bool) -> str:
    if live:
        return a.note
    return f"{a.note} {RERUN_NOTE}".strip() if a.note else RERUN_NOTE
