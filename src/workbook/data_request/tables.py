"""The data request's table sheets: one per canonical table, with guidance rows and data checks."""

from __future__ import annotations

import xlsxwriter

from workbook.data_request.formats import RequestFormats, row_height
from workbook.data_request.guides import (
    DATA_ROWS,
    DESCRIPTION_ROW,
    EXAMPLE_ROW,
    FIRST_DATA_ROW,
    GUIDE_ROW,
    HEADER_ROW,
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
from workbook.intake.schema import ColumnSpec, TableSpec


def write_table_sheet(book: xlsxwriter.Workbook, f: RequestFormats, client: str, spec: TableSpec,
                 guide: TableGuide) -> None:
    ws = book.add_worksheet(guide.sheet)
    columns = request_columns(spec)
    last = len(columns) - 1
    header, first_data = HEADER_ROW - 1, FIRST_DATA_ROW - 1      # 0-based
    data_last = first_data + DATA_ROWS - 1

    widths = [min(26.0, max(14.0, len(c.name) + 4.0, len(c.example) + 6.0)) for c in columns]
    if sum(widths) < MIN_SHEET_WIDTH:          # narrow tables: room for the title and the guide
        widths = [w * MIN_SHEET_WIDTH / sum(widths) for w in widths]
    for c, (column, width) in enumerate(zip(columns, widths, strict=True)):
        kind = "weight" if column.name.startswith("weight_") else column.kind
        ws.set_column(c, c, width, f.column[kind])
    total = sum(widths)

    needed = "required" if spec.name == "people" else "optional"
    ws.merge_range(TITLE_ROW - 1, 0, TITLE_ROW - 1, last,
                   f"{guide.sheet} ({needed}): one row per {guide.one_row_per}", f.sheet_title)
    ws.set_row(TITLE_ROW - 1, 24)
    guide_text = _guide_text(spec, guide)
    ws.merge_range(GUIDE_ROW - 1, 0, GUIDE_ROW - 1, last, guide_text, f.guide)
    ws.set_row(GUIDE_ROW - 1, row_height(guide_text, total))

    descriptions = []
    for c, column in enumerate(columns):
        tag = requirement(spec, column)
        ws.write_string(REQUIRED_ROW - 1, c, tag, f.required if is_required(column) else f.optional)
        description = client_description(column)
        if column.choices:
            description += " (pick from the drop-down list)"
        descriptions.append(description)
        ws.write_string(DESCRIPTION_ROW - 1, c, description, f.description)
        example = column.example or (column.choices[0] if column.choices else "")
        if example:
            ws.write_string(EXAMPLE_ROW - 1, c, f"e.g. {example}", f.example)
        ws.write_string(header, c, column.name,
                        f.header_required if is_required(column) else f.header_optional)
        _validate(ws, spec, column, c, first_data, data_last)
    ws.set_row(REQUIRED_ROW - 1, max(row_height(requirement(spec, col), w) for col, w in zip(columns, widths, strict=True)))
    ws.set_row(DESCRIPTION_ROW - 1, max(row_height(d, w, 13) for d, w in zip(descriptions, widths, strict=True)))
    ws.set_row(header, 20)

    ws.freeze_panes(first_data, 0)
    ws.set_selection(first_data, 0, first_data, 0)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_header(f"&L&8Data request - {_header_safe(client)}&R&8&A")
    ws.set_footer("&R&8Page &P of &N")


def _guide_text(spec: TableSpec, guide: TableGuide) -> str:
    pairs = [" or ".join(names) for names in spec.one_of_groups().values()]
    how = [f"On every row, fill {', and '.join(pairs)} (ids are best)."] if pairs else []
    how += [guide.note] if guide.note else []
    how.append(f"Type or paste your data from row {FIRST_DATA_ROW} down, under the column names.")
    lines = [guide.what, " ".join(how)]
    if guide.without:
        lines.append(f"This sheet is optional. {guide.without}")
    else:
        lines.append("This sheet is required: everything else is linked to the people on it.")
    return "\n".join(lines)


def _validate(ws, spec: TableSpec, column: ColumnSpec, c: int, first: int, last: int) -> None:
    """A drop-down, date or number check with an input message, over the data rows of column c."""
    message = client_description(column)
    if column.kind == "date":
        message += ". A date, e.g. 2026-03-05"
    rule: dict = {"validate": "any"}
    if column.choices:
        rule = {"validate": "list", "source": list(column.choices),
                "error_title": "Choose from the list",
                "error_message": f"{column.name} must be one of: {', '.join(column.choices)}."}
        message += f". Choose from the list: {', '.join(column.choices)}"
    elif column.kind == "date":
        rule = {"validate": "date", "criteria": "between", "minimum": MIN_DATE, "maximum": MAX_DATE,
                "error_title": "Enter a date",
                "error_message": f"{column.name} must be a date, e.g. 2026-03-05."}
    elif column.name.startswith("weight_"):
        rule = {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 1,
                "error_title": "Enter a share", "error_message": "A share between 0% and 100%, e.g. 70%."}
    elif column.kind in ("money", "number"):
        scale = declared_range(column)
        if scale:
            rule = {"validate": "decimal", "criteria": "between", "minimum": scale[0],
                    "maximum": scale[1], "error_title": "Enter a number",
                    "error_message": f"{column.name} must be a number from {scale[0]:g} to {scale[1]:g}."}
        else:
            what = "an amount" if column.kind == "money" else "a number"
            rule = {"validate": "decimal", "criteria": ">=", "value": 0,
                    "error_title": "Enter a number",
                    "error_message": f"{column.name} must be {what} (0 or more), without currency "
                                     "symbols or text."}
    rule["input_title"] = column.name[:32]
    rule["input_message"] = _clip(message, 255)
    if rule["validate"] != "any":
        rule["error_message"] = _clip(rule["error_message"], 255)
    ws.data_validation(first, c, last, c, rule)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _header_safe(text: str) -> str:
    return text.replace("&", "&&")[:60]
