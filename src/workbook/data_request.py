"""The client data-request workbook: one sheet per canonical table, for the client to fill in.

Everything about the columns comes from the canonical declarations in
`workbook.schema` (names, kinds, descriptions, examples, required columns,
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
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from workbook.config import EngagementError
from workbook.schema import TABLE_SPECS, ColumnSpec, TableSpec

HEADER_ROW = 6                      # 1-based row of the canonical column names on every table sheet
FIRST_DATA_ROW = HEADER_ROW + 1
DATA_ROWS = 5000                    # drop-downs, date and number checks cover this many rows
TITLE_ROW, GUIDE_ROW, REQUIRED_ROW, DESCRIPTION_ROW, EXAMPLE_ROW = 1, 2, 3, 4, 5
INSTRUCTIONS = "Instructions"
MIN_SHEET_WIDTH = 100.0             # characters across the columns of a table sheet
MIN_DATE, MAX_DATE = dt.date(1950, 1, 1), dt.date(2099, 12, 31)

NAVY, PALE, GREY_TEXT, LIGHT = "#1F3864", "#D9E1F2", "#595959", "#F2F2F2"


@dataclass(frozen=True)
class TableGuide:
    """How a table is explained to a client (the columns themselves come from the schema)."""

    sheet: str
    one_row_per: str
    what: str
    without: str          # what the assessment cannot do without it ("" for the required table)
    note: str = ""


GUIDES: dict[str, TableGuide] = {
    "people": TableGuide(
        "People", "person",
        "Everyone in the sales organisation (sales reps, their managers and sales leaders), including "
        "people who left during the period, from your HR system.",
        "",
        "Include people who left in the period, with their termination date and type. Give everyone "
        "their manager (manager_id, or manager_name) so we can draw the org chart."),
    "sales": TableGuide(
        "Sales", "deal (opportunity)",
        "Deals from your CRM: who owned each deal, when it closed (or is expected to close), the "
        "amount and the stage (won, lost or open).",
        "Without deal data, sales results, quota attainment and the revenue at stake are not "
        "assessed.",
        "If you only have won deals, leave stage blank: every row then counts as won revenue."),
    "coaching": TableGuide(
        "Coaching", "coaching session",
        "Coaching sessions between managers and their reps, from a coaching log, calendar or "
        "sales-enablement tool.",
        "Without the coaching log, coaching gaps and the ROI model are not assessed.",
        "One row per manager, rep and session: a team session with 3 reps is 3 rows."),
    "training": TableGuide(
        "Training", "person and program",
        "Training records from your learning system: who was enrolled in which program and whether "
        "they completed it.",
        "Without training records, whether managers have completed (and so can model) the sales "
        "program is not assessed.",
        "Include managers' own programs (e.g. coaching training) as well as the reps' sales programs."),
    "survey": TableGuide(
        "Survey", "person and dimension",
        "Answers to the change-readiness (ADKAR) survey: each respondent scores the five dimensions "
        "awareness, desire, knowledge, ability and reinforcement from 1 (low) to 5 (high).",
        "Without the survey, managers' buy-in and their barrier point (the first ADKAR dimension "
        "holding them back) are not assessed.",
        "Each respondent has up to five rows, one per dimension. If you have not run this survey, "
        "leave the sheet empty and ask us for the five-question version."),
    "compensation": TableGuide(
        "Compensation", "person",
        "Current pay plans: base salary, target variable pay and how the variable pay is split "
        "between the plan's components (the weight_ columns).",
        "Without pay plans, the compensation what-ifs (current plan versus proposed plan payouts) "
        "are not assessed.",
        "One weight_ column per plan component, as a share of target variable pay (70% = 0.7); a "
        "person's weights add up to 100%. Rename or add weight_ columns to match your plan, e.g. "
        "weight_new_logos."),
}

# Canonical wording that refers to the toolkit's internals, said the client's way.
CLIENT_WORDING = {
    "derived from the org tree when absent": "leave blank and we work it out from who reports to whom",
    "(default from assumptions)": "(leave blank if not recorded)",
}

# Example plan components on the compensation sheet (the schema allows any weight_<name>).
EXAMPLE_WEIGHTS = {"revenue": "70%", "margin": "30%"}

UNSAFE_FILE_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def request_file_name(client: str) -> str:
    """'Data Request - <Client>.xlsx' with the client name made safe for every file system."""
    safe = UNSAFE_FILE_CHARS.sub(" ", client)
    safe = " ".join(safe.split()).strip(" .")[:80].strip(" .")
    return f"Data Request - {safe or 'Client'}.xlsx"


def request_columns(spec: TableSpec) -> list[ColumnSpec]:
    """The canonical columns of a table, plus example weight_* columns where the table has them."""
    columns = list(spec.columns)
    for prefix in spec.extra_prefixes:
        for part, example in EXAMPLE_WEIGHTS.items():
            extra = spec.column(prefix + part)
            if extra is not None:
                columns.append(ColumnSpec(extra.name, extra.kind, extra.description, example,
                                          extra.required, extra.choices, extra.one_of))
    return columns


def declared_range(column: ColumnSpec) -> tuple[float, float] | None:
    """A scale declared in the column description, such as 'Score 1-5'."""
    match = re.search(r"\b(\d+)\s*[-–]\s*(\d+)\b", column.description)
    if match and column.kind == "number":
        low, high = float(match.group(1)), float(match.group(2))
        if low < high:
            return low, high
    return None


def client_description(column: ColumnSpec) -> str:
    text = column.description
    for phrase, wording in CLIENT_WORDING.items():
        text = text.replace(phrase, wording)
    if column.name.startswith("weight_"):
        text = f"Weight of the '{column.name[len('weight_'):]}' component, as a share of target variable pay"
    return text


def requirement(spec: TableSpec, column: ColumnSpec) -> str:
    if column.required:
        return "Required"
    if column.one_of:
        others = [n for n in spec.one_of_groups()[column.one_of] if n != column.name]
        return f"Required: this or {' or '.join(others)}"
    return "Optional"


def is_required(column: ColumnSpec) -> bool:
    return column.required or bool(column.one_of)


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
    formats = _Formats(book)
    _instructions(book, formats, client)
    for table, spec in TABLE_SPECS.items():
        _table_sheet(book, formats, client, spec, GUIDES[table])
    book.close()


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook):
        add = book.add_format
        base = {"font_name": "Calibri", "font_size": 10, "valign": "top"}
        self.title = add({**base, "bold": True, "font_size": 16, "font_color": NAVY, "valign": "vcenter"})
        self.subtitle = add({**base, "font_size": 11, "font_color": GREY_TEXT})
        self.heading = add({**base, "bold": True, "font_size": 12, "font_color": NAVY, "bottom": 1,
                            "bottom_color": NAVY, "valign": "bottom"})
        self.text = add({**base, "text_wrap": True})
        self.bold = add({**base, "bold": True, "text_wrap": True})
        self.bullet = add({**base, "text_wrap": True, "align": "right"})
        self.table_head = add({**base, "bold": True, "font_color": "white", "bg_color": NAVY,
                               "text_wrap": True, "border": 1, "border_color": "#BFBFBF"})
        self.cell = add({**base, "text_wrap": True, "border": 1, "border_color": "#BFBFBF"})
        self.cell_bold = add({**base, "text_wrap": True, "bold": True, "border": 1,
                              "border_color": "#BFBFBF"})
        self.cell_required = add({**base, "text_wrap": True, "bold": True, "font_color": NAVY,
                                  "border": 1, "border_color": "#BFBFBF"})
        self.input_label = add({**base, "bold": True, "border": 1, "border_color": "#BFBFBF",
                                "bg_color": LIGHT})
        self.input = add({**base, "border": 1, "border_color": "#BFBFBF", "bg_color": "#FFF2CC",
                          "text_wrap": True})
        self.sheet_title = add({**base, "bold": True, "font_size": 14, "font_color": NAVY,
                                "valign": "vcenter"})
        self.guide = add({**base, "text_wrap": True, "bg_color": LIGHT, "border": 1,
                          "border_color": "#BFBFBF"})
        self.required = add({**base, "bold": True, "font_color": NAVY, "text_wrap": True,
                             "bottom": 1, "bottom_color": "#BFBFBF"})
        self.optional = add({**base, "font_color": GREY_TEXT, "text_wrap": True,
                             "bottom": 1, "bottom_color": "#BFBFBF"})
        self.description = add({**base, "font_size": 9, "text_wrap": True, "font_color": "#262626"})
        self.example = add({**base, "italic": True, "font_color": "#7F7F7F"})
        self.header_required = add({**base, "bold": True, "font_color": "white", "bg_color": NAVY,
                                    "border": 1, "border_color": "white", "valign": "vcenter"})
        self.header_optional = add({**base, "bold": True, "font_color": NAVY, "bg_color": PALE,
                                    "border": 1, "border_color": "white", "valign": "vcenter"})
        self.column = {
            "id": add({"num_format": "@"}),
            "name": add({"num_format": "@"}),
            "text": add({"num_format": "@"}),
            "enum": add({"num_format": "@"}),
            "date": add({"num_format": "yyyy-mm-dd"}),
            "money": add({"num_format": "#,##0.00"}),
            "number": add({"num_format": "General"}),
            "weight": add({"num_format": "0%"}),
        }


def _instructions(book: xlsxwriter.Workbook, f: _Formats, client: str) -> None:
    from workbook.assumptions import build_assumptions

    months = int(build_assumptions()["analysis_window_months"])
    ws = book.add_worksheet(INSTRUCTIONS)
    ws.hide_gridlines(2)
    ws.set_column("A:A", 3)
    ws.set_column("B:B", 16)
    ws.set_column("C:C", 12)
    ws.set_column("D:D", 44)
    ws.set_column("E:E", 50)
    width = 16 + 12 + 44 + 50
    row = 0
    breaks: list[int] = []

    def para(text: str, fmt=f.text, height: float | None = None) -> None:
        nonlocal row
        ws.merge_range(row, 1, row, 4, text, fmt)
        ws.set_row(row, height or _height(text, width))
        row += 1

    def heading(text: str, new_page: bool = False) -> None:
        nonlocal row
        row += 1
        if new_page:
            breaks.append(row)
        ws.merge_range(row, 1, row, 4, text, f.heading)
        ws.set_row(row, 20)
        row += 1

    def bullets(items: list[str]) -> None:
        nonlocal row
        for n, item in enumerate(items, 1):
            ws.write_string(row, 0, f"{n}.", f.bullet)
            ws.merge_range(row, 1, row, 4, item, f.text)
            ws.set_row(row, _height(item, width))
            row += 1

    ws.merge_range(row, 1, row, 4, f"Data request for {client}", f.title)
    ws.set_row(row, 28)
    row += 1
    para("Sales-effectiveness and manager readiness assessment", f.subtitle, 18)
    row += 1
    para(f"This workbook is for the people at {client} who can export data from your HR system, "
         "CRM, learning system, coaching records, surveys and pay plans. Please fill in its sheets, "
         "save it and send it back to us. We use the data to assess how ready your sales managers "
         "are to lead change, where coaching falls short, whom to train first and what it is worth.")
    para(f"Only the People sheet is required. Every other sheet is optional, but each one makes "
         f"the assessment more complete; the table below says what we cannot assess without it. "
         f"Please cover at least the last {months} months (more history is welcome).", f.bold)

    heading("What each sheet is")
    heads = ["Sheet", "Needed?", "What goes on it", "If you leave it empty"]
    for c, text in enumerate(heads):
        ws.write_string(row, c + 1, text, f.table_head)
    row += 1
    for table in TABLE_SPECS:
        guide = GUIDES[table]
        needed = "Required" if table == "people" else "Optional"
        without = guide.without or "The assessment cannot start: everything else is linked to " \
                                    "the people on this sheet."
        what = f"{guide.what} One row per {guide.one_row_per}."
        ws.write_string(row, 1, guide.sheet, f.cell_bold)
        ws.write_string(row, 2, needed, f.cell_required if table == "people" else f.cell)
        ws.write_string(row, 3, what, f.cell)
        ws.write_string(row, 4, without, f.cell)
        ws.set_row(row, max(_height(what, 44), _height(without, 50)))
        row += 1

    heading("How to fill in a sheet", new_page=True)
    bullets([
        f"Row {HEADER_ROW} of every sheet holds the column names. Do not rename, move or delete "
        f"them. Type or paste your data from row {FIRST_DATA_ROW} down. Rows 1 to {HEADER_ROW - 1} "
        "explain each column and show an example; they are not read as data, so leave them as they are.",
        "Dark blue column names are required; light blue ones are optional. Leave a column empty "
        "when you do not have the data; partial data is still useful.",
        "Where a sheet has both an id and a name column (person_id or name, rep_id or rep_name, "
        "manager_id or manager_name), fill at least one on every row. Ids are best.",
        "One row per person on the People sheet. Each person_id must be unique, and the same id "
        "must identify the same person on every sheet. If you use names instead, spell each name "
        "exactly the same way everywhere, and give two people with the same name an id.",
        "Dates as real dates, e.g. 2026-03-05 (any date format your Excel accepts is fine), not "
        "text such as 'March 2026'.",
        "Amounts as plain numbers in one currency, without currency symbols; write the currency "
        "below. Percentages as percentages (70%) or shares (0.7).",
        "Columns with a drop-down (role, stage, status, activity, dimension, termination type) "
        "take one of the listed values. If you paste from your systems and they use other labels "
        "(e.g. 'Closed Won'), that is fine: we translate the usual ones.",
        "When pasting, use Paste Special > Values so the drop-downs and date formats stay. You may "
        "add your own columns to the right of the last one: we ignore them. Please do not add "
        "total rows.",
    ])

    heading("About this return (please fill in)")
    for label in ("Company", "Prepared by (name, e-mail)", "Currency of all amounts",
                  "Data extracted on (date)", "Period covered (from - to)", "Notes for us"):
        ws.merge_range(row, 1, row, 2, label, f.input_label)
        ws.merge_range(row, 3, row, 4, client if label == "Company" else "", f.input)
        ws.set_row(row, 30 if label == "Notes for us" else 16)
        row += 1

    heading("Returning the workbook")
    bullets([
        "Save the workbook as .xlsx, keeping the sheet names and the column names in row "
        f"{HEADER_ROW}, and send it back through the secure file-transfer link agreed for this "
        "engagement, not as an e-mail attachment.",
        "Please do not password-protect the file (we cannot read encrypted workbooks); the secure "
        "link protects it in transit. Several smaller files, or your own exports, are fine too if "
        "that is easier: tell us which sheet each one replaces.",
    ])

    heading("Confidentiality")
    para("The data you send contains personal information about your employees (names, pay, "
         "performance). We use it only for this assessment, keep it on access-controlled systems, "
         "share it with no one outside the engagement team and delete it when the engagement ends, "
         "as set out in our agreement. Send only the columns asked for: no home addresses, dates of "
         "birth, national identification numbers or bank details. If your policy requires it, you "
         "may leave names out and use employee ids only, as long as the ids are the same on every "
         "sheet.")

    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer("&L&8Data request - &A&R&8Page &P of &N")
    ws.print_area(0, 0, row, 4)
    ws.set_h_pagebreaks(breaks)
    ws.activate()


def _table_sheet(book: xlsxwriter.Workbook, f: _Formats, client: str, spec: TableSpec,
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
    ws.set_row(GUIDE_ROW - 1, _height(guide_text, total))

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
    ws.set_row(REQUIRED_ROW - 1, max(_height(requirement(spec, col), w) for col, w in zip(columns, widths, strict=True)))
    ws.set_row(DESCRIPTION_ROW - 1, max(_height(d, w, 13) for d, w in zip(descriptions, widths, strict=True)))
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


def _height(text: str, width_chars: float, line: float = 13.0) -> float:
    """Row height (points) for wrapped text in a cell `width_chars` wide."""
    per_line = max(8.0, width_chars * 1.25)
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
    return max(15.0, lines * line + 3)


def _header_safe(text: str) -> str:
    return text.replace("&", "&&")[:60]
