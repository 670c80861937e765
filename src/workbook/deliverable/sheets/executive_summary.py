"""Executive Summary: the one page a client's executive reads first.

Every finding comes from `analyses.summary.key_findings` and links to the
sheet that explains it; missing data makes a finding say what it needs.
Fits one landscape page at a legible scale (the tier counts are in the Readiness finding; the
charts are on the sheets they explain).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from workbook.analyses.summary import Finding, key_findings
from workbook.deliverable.cells import internal_link
from workbook.deliverable.sheets import impact_sheet
from workbook.engagement.assumptions import PLACEHOLDER

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

TITLE = "Executive Summary"
# placeholders behind the figures a client will quote (the others only shape the plan's calendar)
PLACEHOLDERS_THAT_MOVE_FIGURES = (
    "gap_closure_share", "gross_margin_pct", "manager_loaded_hourly_cost_usd", "rep_loaded_hourly_cost_usd",
    "program_cost_per_manager_usd", "program_cost_per_rep_usd", "program_hours_per_manager",
    "program_hours_per_rep")
TIER_COLOURS = {"ready": "#548235", "developing": "#BF8F00", "not_ready": "#C00000"}


def _data_facts(ctx: DeliverableContext) -> tuple[tuple[str, ...], int, int]:
    counts = ctx.row_counts
    missing: tuple[str, ...] = ()
    excluded = 0
    if counts is not None and not counts.empty:
        status = counts.get("status", pd.Series("loaded", index=counts.index)).fillna("loaded")
        missing = tuple(counts.loc[status != "loaded", "table"].astype(str))
        excluded = int(pd.to_numeric(counts["rows_skipped"], errors="coerce").fillna(0).sum())
    issues = ctx.data_issues
    warnings = int((issues["severity"] == "warning").sum()) if issues is not None and len(issues) else 0
    return missing, warnings, excluded


def headline(ctx: DeliverableContext) -> str:
    r = ctx.results.get("manager_readiness")
    if r is None or r.empty:
        return ("Train the front-line managers first: each one multiplies, or drags down, a whole team. "
                "This assessment could not score managers: it needs at least the roster.")
    developing = int((r["tier"] == "developing").sum())
    not_ready = int((r["tier"] == "not_ready").sum())
    reps = int(pd.to_numeric(r["team_size"], errors="coerce").fillna(0).sum())
    return (f"Train the front-line managers first: {len(r)} managers lead {reps} reps; {developing} "
            f"{'is' if developing == 1 else 'are'} still developing and {not_ready} "
            f"{'is' if not_ready == 1 else 'are'} not ready to lead the change. Start with the managers "
            "below, then train each team after its own manager.")


def impact_finding(book: DeliverableBook, ctx: DeliverableContext) -> Finding | None:
    """What the programme's roll-out measured, in the Programme Impact sheet's words: only when that
    sheet is in the workbook and something was measured."""
    if not book.written(impact_sheet.TITLE) or not impact_sheet.measured(ctx.results):
        return None
    return Finding("Programme impact", impact_sheet.headline(ctx.results),
                   impact_sheet.answer_sentence(ctx.results), impact_sheet.TITLE)


def build(book: DeliverableBook, ctx: DeliverableContext) -> None:
    ws = book.sheet(TITLE)
    widths = {0: 2, 1: 18, 2: 40, 3: 70, 4: 19}
    for col, width in widths.items():
        book.set_width(ws, col, width)
    ws.write_string(0, 1, "Executive Summary", book.fmt("title"))
    ws.set_row(0, 30)
    book.safe_write(ws, 1, 1, f"{ctx.client} · data as of {ctx.as_of:%Y-%m-%d}", book.fmt("subtitle"))
    ws.merge_range(3, 1, 3, 4, "", book.fmt("wrap", bold=True, font_size=11))
    text = headline(ctx)
    book.safe_write(ws, 3, 1, text, book.fmt("wrap", bold=True, font_size=11))
    ws.set_row(3, book.wrapped_height(text, 130) + 6)

    missing, warnings, excluded = _data_facts(ctx)
    placeholders = tuple(a.label for a in ctx.assumptions.items
                         if a.source == PLACEHOLDER and a.name not in ctx.assumptions.overridden
                         and a.name in PLACEHOLDERS_THAT_MOVE_FIGURES)
    findings = key_findings(ctx.results, ctx.currency, missing, warnings, excluded, placeholders)
    impact = impact_finding(book, ctx)
    if impact is not None:   # measured on the client's own data: it leads
        findings.insert(0, impact)
    header = book.fmt("header")
    row = 5
    for col, label in enumerate(("Topic", "Finding", "What it means", "Read more"), start=1):
        ws.write_string(row, col, label, header)
    planned = {spec.title for spec in book.planned}
    for finding in findings:
        row += 1
        height = max(book.wrapped_height(finding.headline, widths[2]),
                     book.wrapped_height(finding.detail, widths[3]))
        ws.set_row(row, height + 2)
        cell = book.fmt("wrap", bottom=1, bottom_color="#D9D9D9")
        ws.write_string(row, 1, finding.topic, book.fmt("label", "wrap", bottom=1, bottom_color="#D9D9D9"))
        bold = book.fmt("wrap", bold=True, bottom=1, bottom_color="#D9D9D9")
        if finding.excel_headline and finding.sheet in planned:
            book.write_formula(ws, row, 2, finding.excel_headline, bold, value=finding.headline)
        else:
            book.safe_write(row=row, col=2, ws=ws, value=finding.headline, fmt=bold)
        if finding.excel and finding.sheet in planned:
            book.write_formula(ws, row, 3, finding.excel, cell, value=finding.detail)
        else:
            book.safe_write(ws, row, 3, finding.detail, cell)
        if finding.sheet in planned:
            name = book.sheet(finding.sheet).name
            ws.write_url(row, 4, internal_link(name), book.fmt("link", bottom=1, bottom_color="#D9D9D9"),
                         string=f"{name} →", tip=f"Go to {name}")
        else:
            ws.write_string(row, 4, "", cell)
    ws.print_area(0, 0, row + 1, 4)
    book.print_fit(ws, 1, 1)   # the one page an executive reads
