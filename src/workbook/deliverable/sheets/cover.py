"""Cover: who the assessment is for and which run of the data it shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbook.deliverable.cells import truncate
from workbook.deliverable.sheets.assumptions_sheet import live_sheets, placeholders

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

TITLE = "Cover"
BAND_COLUMNS = 5  # A..E carry the navy band


APPENDIX = {"Cover", "Contents", "Data Quality", "Assumptions", "Methodology", "Provenance",
            "Changes Since Last Run"}
TOPICS = [("Manager Readiness", "readiness"), ("Training Plan", "training plan"),
          ("Coaching Gaps", "coaching"), ("ROI Model", "ROI"), ("Compensation", "compensation"),
          ("Ownership", "ownership")]
PLACEHOLDER_FILL = "#FCE4D6"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def tagline(book: DeliverableBook) -> str:
    """'Train the managers first: readiness, training plan, coaching and ROI', from the sheets written."""
    topics = [label for title, label in TOPICS if book.written(title)]
    return "Train the managers first" + (": " + _and(topics) if topics else "")


def guide_lines(book: DeliverableBook) -> list[str]:
    """How to read this workbook, naming only the sheets it actually contains."""
    lines = []
    if book.written("Executive Summary"):
        start = "Start with the Executive Summary"
    else:
        first = next((s.title for s in book.planned if s.title not in APPENDIX), None)
        start = f"Start with the {first} sheet" if first else ""
    contents = "the Contents sheet links to every sheet" if book.written("Contents") else ""
    if start or contents:
        text = "; ".join(p for p in (start, contents) if p)
        lines.append(text[:1].upper() + text[1:] + ".")
    if book.written("Assumptions"):
        live = live_sheets(book)
        if live:
            verb = "recalculates" if len(live) == 1 else "recalculate"
            noun = "sheet" if len(live) == 1 else "sheets"
            lines.append(f"Yellow cells on the Assumptions sheet are inputs: change one and the "
                         f"{_and(live)} {noun} {verb}.")
        else:
            lines.append("The Assumptions sheet lists every assumption behind the numbers, with its source.")
    last = []
    if book.written("ROI Model"):
        last.append("Scenarios are ranges, not promises.")
    if book.written("Data Quality"):
        last.append("Data Quality lists what in the files received could not be used.")
    if book.written("Methodology"):
        last.append("Methodology cites the evidence behind each figure.")
    if last:
        lines.append(" ".join(last))
    return lines


def placeholder_line(book: DeliverableBook, ctx: DeliverableContext) -> str | None:
    """A visible warning while any assumption is still an engagement placeholder."""
    if not placeholders(ctx):
        return None
    where = ": see Assumptions." if book.written("Assumptions") else "."
    return f"Some assumptions are placeholders to confirm with {ctx.client}{where}"


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
    ws.write_string(3, 1, tagline(book), book.fmt("band_sub", font_size=12))

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
    for line in guide_lines(book):
        row += 1
        ws.merge_range(row, 1, row, 3, None, book.fmt("wrap"))
        book.safe_write(ws, row, 1, line, book.fmt("wrap"))
        ws.set_row(row, book.wrapped_height(line, 100))
    warning = placeholder_line(book, ctx)
    if warning:
        row += 2
        fmt = book.fmt("wrap", bold=True, font_color="#833C0B", bg_color=PLACEHOLDER_FILL, valign="vcenter",
                       indent=1)
        ws.merge_range(row, 1, row, 3, None, fmt)
        book.safe_write(ws, row, 1, truncate(warning), fmt)
        ws.set_row(row, book.wrapped_height(warning, 95) + 6)

    row += 2
    note = book.fmt("note", italic=True)
    ws.merge_range(row, 1, row, 3, None, note)
    book.safe_write(ws, row, 1, confidentiality_line(ctx.client), note)
    ws.set_row(row, 30)
