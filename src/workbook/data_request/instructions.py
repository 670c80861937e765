"""The data request's Instructions sheet: who it is for, what each sheet holds, how to fill in."""

from __future__ import annotations

import xlsxwriter

from workbook.data_request.formats import RequestFormats, row_height
from workbook.data_request.guides import FIRST_DATA_ROW, GUIDES, HEADER_ROW, INSTRUCTIONS
from workbook.intake.schema import TABLE_SPECS


def write_instructions(book: xlsxwriter.Workbook, f: RequestFormats, client: str) -> None:
    from workbook.engagement.assumptions import build_assumptions

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
        ws.set_row(row, height or row_height(text, width))
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
            ws.set_row(row, row_height(item, width))
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
        ws.set_row(row, max(row_height(what, 44), row_height(without, 50)))
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
