"""The Ownership sheet: the finding, the recommendation, the evidence, the RACI coloured by letter.

One Accountable per activity.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from workbook.analyses.ownership import RACI_LEGEND, ROLES
from workbook.deliverable.sheets.sheet_text import grey, plain_text, write_note

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

OWNERSHIP_TITLE = "Ownership"
OWNERSHIP_SUBTITLE = "Who should own the program, and why the sales manager."
RAW_FILL = {"A": ("#1F3864", "#FFFFFF"), "R": ("#9DC3E6", "#000000"), "C": ("#E2EFDA", "#000000"),
            "I": ("#F2F2F2", "#595959")}


def build_ownership(book: DeliverableBook, ctx: DeliverableContext) -> None:
    ws = book.sheet(OWNERSHIP_TITLE)
    row = book.write_title(ws, OWNERSHIP_TITLE, OWNERSHIP_SUBTITLE)
    summary = ctx.results.get("ownership")
    raci = ctx.results.get("ownership_raci")
    widths = [30, 15, 17, 13, 13, 13, 46]
    for j, w in enumerate(widths):
        book.set_width(ws, j, w)
    total = float(sum(widths))
    last_col = len(widths) - 1
    if summary is None or summary.empty:
        ws.write_string(row, 0, "Not assessed — the ownership section was not run", book.fmt("heading"))
        return
    s = summary.iloc[0]
    owner = plain_text(s.get("current_owner_label")) or "not recorded"
    ws.write_string(row, 0, "Current owner (from the interviews)", book.fmt("label"))
    ws.merge_range(row, 1, row, 3, None, book.fmt("bold"))
    book.safe_write(ws, row, 1, owner[:1].upper() + owner[1:], book.fmt("bold"))
    row += 2
    for heading, key in (("Finding", "finding"), ("Recommendation", "recommendation")):
        ws.write_string(row, 0, heading, book.fmt("heading"))
        row += 1
        write_note(book, ws, row, plain_text(s.get(key)), last_col, total)
        ws.set_row(row, book.wrapped_height(plain_text(s.get(key)), total) + 4)
        row += 2
    ws.write_string(row, 0, "Evidence", book.fmt("heading"))
    row += 1
    for line in plain_text(s.get("evidence")).split("\n"):
        if line.strip():
            write_note(book, ws, row, "• " + line.strip(), last_col, total)
            row += 1
    row += 1
    ws.write_string(row, 0, "Who does what: RACI for the program", book.fmt("heading"))
    row += 1
    if raci is None or raci.empty:
        ws.write_string(row, 0, "Not available.", grey(book))
        return
    frame = pd.DataFrame({"Activity": [plain_text(v) for v in raci["activity"]],
                          **{r: [plain_text(v) for v in raci[r]] for r in ROLES if r in raci.columns},
                          "Note": [plain_text(v) for v in raci.get("note", pd.Series("", index=raci.index))]})
    kinds = {c: "text" for c in frame.columns}
    kinds["Note"] = "wrap"
    centre = book.fmt(align="center", bold=True)
    formats = {r: centre for r in ROLES}
    last = book.write_table(ws, row, frame, "ownership_raci", column_kinds=kinds,
                            formats_by_column=formats,
                            widths={c: widths[j] for j, c in enumerate(frame.columns)}, freeze=False)
    first_role, last_role = 1, len(ROLES)
    for letter, (fill, font) in RAW_FILL.items():
        ws.conditional_format(row + 1, first_role, last, last_role,
                              {"type": "text", "criteria": "begins with", "value": letter,
                               "format": book.workbook.add_format({"bg_color": fill, "font_color": font,
                                                                   "bold": True}),
                               "stop_if_true": True})
    write_note(book, ws, last + 2, RACI_LEGEND + " The front-line manager is accountable for reinforcement "
          "and coaching, and held to it through the compensation plan (see the Compensation sheet).",
          last_col, total)
