"""Cover: who the assessment is for and which run of the data it shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbook.deliverable.book import truncate

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

TITLE = "Cover"
BAND_COLUMNS = 5  # A..E carry the navy band


def confidentiality_line(client: str) -> str:
    return (
        f"Confidential. Prepared for {client}. This workbook contains information about named "
        "employees: share it only with people entitled to see it."
    )


def build(book: DeliverableBook, ctx: DeliverableContext) -> None:
    ws = book.sheet(TITLE)
    band = book.fmt("band")
    book.set_width(ws, 0, 3)
    book.set_width(ws, 1, 24)
    book.set_width(ws, 2, 62)
    book.set_width(ws, 3, 16)
    book.set_width(ws, 4, 3)
    heights = {0: 18, 1: 24, 2: 44, 3: 24, 4: 18}
    for row, height in heights.items():
        ws.set_row(row, height)
        for col in range(BAND_COLUMNS):
            ws.write_blank(row, col, None, band)
    book.safe_write(ws, 1, 1, truncate(ctx.client), book.fmt("band_sub", bold=True))
    ws.write_string(2, 1, "Manager Readiness Assessment", book.fmt("band_title"))
    ws.write_string(3, 1, "Train the managers first: readiness, training plan, coaching and ROI",
                    book.fmt("band_sub", font_size=12))

    facts = [
        ("Client", ctx.client),
        ("Engagement", ctx.engagement),
        ("Data as of", ctx.as_of),
        ("Run", ctx.run_id),
        ("Prepared", ctx.run_time().date()),
        ("Currency", ctx.currency),
        ("Toolkit version", ctx.toolkit_version),
    ]
    row = 6
    for label, value in facts:
        ws.set_row(row, 18)
        ws.write_string(row, 1, label, book.fmt("label", valign="vcenter"))
        fmt = book.fmt(valign="vcenter", align="left", num_format="yyyy-mm-dd", bottom=1,
                       bottom_color="#D9D9D9")
        book.safe_write(ws, row, 2, value, fmt)
        row += 1

    row += 1
    ws.write_string(row, 1, "How to read this workbook", book.fmt("heading"))
    ws.write_blank(row, 2, None, book.fmt("heading"))
    guide = [
        "Start with the Executive Summary; the Contents sheet links to every sheet.",
        "Yellow cells on the Assumptions sheet are inputs: change one and the ROI Model and "
        "Compensation sheets recalculate.",
        "Scenarios are ranges, not promises. Data Quality lists what in the files received could "
        "not be used; Methodology cites the evidence behind each figure.",
    ]
    for line in guide:
        row += 1
        ws.merge_range(row, 1, row, 3, None, book.fmt("wrap"))
        book.safe_write(ws, row, 1, line, book.fmt("wrap"))
        ws.set_row(row, book.wrapped_height(line, 100))

    row += 2
    note = book.fmt("note", italic=True)
    ws.merge_range(row, 1, row, 3, None, note)
    book.safe_write(ws, row, 1, confidentiality_line(ctx.client), note)
    ws.set_row(row, 30)
