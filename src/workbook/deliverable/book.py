"""DeliverableBook: the one place that touches XlsxWriter, so every sheet looks and behaves alike.

Client text is always written as text (never a formula or a URL), long text is
cut with a visible marker, missing values are empty cells, and every sheet
gets the same print set-up. Formulas are only ever the toolkit's own and
always carry their computed value.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from workbook.analyses import not_assessed
from workbook.deliverable import style
from workbook.deliverable.cells import (
    MAX_CELL_CHARS,
    Sheet,
    content_widths,
    infer_kind,
    is_missing,
    sheet_title,
    truncate,
)
from workbook.deliverable.context import DeliverableContext

LINE_HEIGHT = 13.5
# Printing: an A4 landscape page between our margins holds about 105 characters of column width at
# 100% (measured on LibreOffice's PDFs: the title's height against a sheet printed at 100%); a
# sheet wider than a page at 70% goes onto more pages across, so no page prints smaller than that.
PAGE_WIDTH_CHARS = 105.0
PRINT_MIN_SCALE = 0.7
# frozen rows take at most about 40% of a laptop screen at 100% (~30 rows of 15 pt in view)
FREEZE_MAX_POINTS = 200.0
DEFAULT_ROW_POINTS = 15.0
TITLE_ROWS = 2   # title and subtitle
DEFAULT_COLUMN_WIDTH = 8.43


class DeliverableBook:
    """An XlsxWriter workbook with the house style and safe writing rules."""

    def __init__(self, path: Path | str, ctx: DeliverableContext):
        self.ctx = ctx
        self.workbook = xlsxwriter.Workbook(
            str(path),
            {
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "default_date_format": "yyyy-mm-dd",
                "remove_timezone": True,
            },
        )
        self.number_formats = style.number_formats(ctx.currency)
        # SheetSpecs being written, in order (the Contents sheet reads it); None until it is known
        # (a run's first sheets are built before its last notebook says whether Programme Impact is in)
        self.planned: list | None = None
        self._sheets: dict[str, Worksheet] = {}
        self._aliases: dict[str, str] = {}  # requested title -> sanitised sheet name
        self._formats: dict[tuple, Format] = {}
        self._widths: dict[str, dict[int, float]] = {}
        self._fixed: dict[str, set[int]] = {}
        self._print_fixed: set[str] = set()   # sheets whose print fit the sheet itself chose
        self._print_last_col: dict[str, int] = {}   # sheets that print fewer columns than they show
        self._table_names: set[str] = set()
        self._frozen: dict[str, tuple[int, int]] = {}  # sheet name -> (row, col) frozen on screen
        self._repeated: dict[str, int] = {}  # sheet name -> the header row repeated on printed pages
        self._set_properties()

    # --- sheets -----------------------------------------------------------------
    def add_sheet(self, title: str, tab_color: str | None = None) -> Worksheet:
        name = sheet_title(title, set(self._sheets))
        ws = self.workbook.add_worksheet(name, worksheet_class=Sheet)
        self._sheets[name] = ws
        self._aliases.setdefault(title, name)
        self._widths[name] = {}
        self._fixed[name] = set()
        self._print_setup(ws)
        if tab_color:
            ws.set_tab_color(tab_color)
        return ws

    def sheet(self, title: str) -> Worksheet:
        """The worksheet created for `title` (by its requested title or its sheet name)."""
        return self._sheets[self._aliases.get(title, title)]

    @property
    def sheet_names(self) -> list[str]:
        return list(self._sheets)

    def written(self, title: str) -> bool:
        """Whether this run writes the sheet `title` (by its registry title).

        Text that points the reader to another sheet ("see the ROI Model") asks
        this first, so the workbook never refers to a sheet it does not contain.
        """
        if self.planned is None:
            raise RuntimeError(f"asked whether the workbook has '{title}' before its sheets are known: "
                               "build this sheet after registry.certain_sheets (writer._build_sheets)")
        return any(getattr(spec, "title", None) == title for spec in self.planned)

    def _print_setup(self, ws: Worksheet) -> None:
        ws.set_landscape()
        ws.set_paper(9)  # A4; Excel scales to Letter where that is the printer's paper
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        client = self.ctx.client[:80].replace("&", "&&")
        ws.set_footer(f"&L{client}&C&A&RPage &P of &N", {"margin": 0.25})
        ws.hide_gridlines(2)

    def _set_properties(self) -> None:
        ctx = self.ctx
        self.workbook.set_properties(
            {
                "title": f"{ctx.client} - Manager Readiness Assessment",
                "subject": "Manager Readiness Assessment",
                "author": f"workbook toolkit {ctx.toolkit_version}",
                "company": ctx.client,
                "category": "Client deliverable",
                "keywords": "manager readiness, sales coaching, training plan",
                "comments": f"Run {ctx.run_id}; engagement {ctx.engagement}; data as of {ctx.as_of}",
                "created": ctx.run_time(),
            }
        )

    # --- formats ----------------------------------------------------------------
    def fmt(self, *names: str, num_format: str | None = None, **extra: Any) -> Format:
        """A cached format: the base font, then the named styles, then overrides."""
        props: dict[str, Any] = dict(style.BASE)
        for name in names:
            props.update(style.STYLES[name])
        if num_format:
            props["num_format"] = num_format
        props.update(extra)
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            self._formats[key] = self.workbook.add_format(props)
        return self._formats[key]

    def kind_format(self, kind: str, *names: str, **extra: Any) -> Format:
        if kind == "wrap":
            return self.fmt("wrap", *names, **extra)
        if kind == "link":
            return self.fmt("link", *names, **extra)
        if kind in style.TEXT_KINDS:
            return self.fmt(*names, **extra)
        return self.fmt(*names, num_format=self.number_formats.get(kind, "General"), **extra)

    # --- writing ----------------------------------------------------------------
    def safe_write(self, ws: Worksheet, row: int, col: int, value: Any, fmt: Format | None = None) -> None:
        """Write one value as what it is: text stays text, whatever it starts with."""
        if is_missing(value) or (isinstance(value, str) and value == ""):
            ws.write_blank(row, col, None, fmt)
        elif isinstance(value, (bool, np.bool_)):
            ws.write_boolean(row, col, bool(value), fmt)
        elif isinstance(value, (int, float, np.integer, np.floating, decimal.Decimal)):
            number = float(value)
            if math.isfinite(number):
                ws.write_number(row, col, number, fmt)
            else:
                ws.write_string(row, col, str(value), fmt)
        elif isinstance(value, (dt.date, pd.Timestamp)):
            if isinstance(value, pd.Timestamp):
                value = value.tz_localize(None).to_pydatetime() if value.tzinfo else value.to_pydatetime()
            elif isinstance(value, dt.datetime) and value.tzinfo:
                value = value.replace(tzinfo=None)
            if fmt is None or getattr(fmt, "num_format", 0) in (0, "", "General"):
                fmt = self.kind_format("date", align="left")
            ws.write_datetime(row, col, value, fmt)
        else:
            ws.write_string(row, col, truncate(str(value)), fmt)

    def _write_column(self, ws: Worksheet, first_row: int, col: int, values: pd.Series, fmt: Format) -> None:
        """A table column down from `first_row`: a column of numbers is written as numbers without
        asking each cell what it is (a 50,000-row training plan), a text cell as text; anything
        else as safe_write says."""
        if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
            numbers = values.to_numpy(dtype=float, na_value=np.nan)
            finite = np.isfinite(numbers)
            if finite.all() or not np.isinf(numbers).any():   # no infinity to spell out as text
                for i, (number, ok) in enumerate(zip(numbers.tolist(), finite.tolist(), strict=True)):
                    if ok:
                        ws.write_number(first_row + i, col, number, fmt)
                    else:
                        ws.write_blank(first_row + i, col, None, fmt)
                return
        for i, value in enumerate(values.tolist()):
            if type(value) is str and value and len(value) <= MAX_CELL_CHARS:   # most text cells
                ws.write_string(first_row + i, col, value, fmt)
            else:
                self.safe_write(ws, first_row + i, col, value, fmt)

    def write_formula(
        self, ws: Worksheet, row: int, col: int, formula: str, fmt: Format | None, value: Any
    ) -> None:
        """A toolkit-authored formula with its computed value cached for non-recalculating viewers."""
        if not formula.startswith("="):
            raise ValueError(f"not a formula: {formula!r}")
        ws.write_formula(row, col, formula, fmt, value)

    def write_title(self, ws: Worksheet, title: str, subtitle: str | None = None) -> int:
        """Title and subtitle in rows 1-2; returns the first free row (leaving one blank)."""
        ws.set_row(0, 28)
        ws.write_string(0, 0, title, self.fmt("title"))
        if subtitle:
            ws.write_string(1, 0, truncate(subtitle), self.fmt("subtitle"))
        return 3

    def write_not_assessed(self, ws: Worksheet, title: str, subtitle: str, needs: str,
                           width: float = 110) -> None:
        """A sheet whose analysis lacks data: says so, and which client data it needs."""
        row = self.write_title(ws, title, subtitle)
        ws.write_string(row, 0, not_assessed(needs, capital=True), self.fmt("heading"))
        self.write_paragraph(ws, row + 1, 0, f"This part of the assessment needs the client's {needs} data. "
                             "See the Data Quality sheet for the files received.", width, self.fmt("note"))
        self.set_width(ws, 0, width)

    def write_note(self, ws: Worksheet, row: int, text: str, last_col: int, width: float,
                   fmt: Format | None = None, formula: str = "") -> None:
        """A grey paragraph merged across columns 0..last_col, which are `width` wide in all;
        with `formula`, the paragraph is that live formula and `text` its computed value."""
        fmt = fmt or self.fmt("note")
        ws.merge_range(row, 0, row, max(last_col, 1), None, fmt)
        if formula:
            self.write_formula(ws, row, 0, formula, fmt, value=text)
        else:
            self.safe_write(ws, row, 0, text, fmt)
        ws.set_row(row, self.wrapped_height(text, width * 0.95))

    def write_paragraph(
        self, ws: Worksheet, row: int, col: int, text: str, width: float, fmt: Format | None = None
    ) -> None:
        """Wrapped text with a row height that shows all of it."""
        text = truncate(text)
        self.safe_write(ws, row, col, text, fmt or self.fmt("wrap"))
        ws.set_row(row, self.wrapped_height(text, width))

    @staticmethod
    def wrapped_height(text: str, width: float) -> float:
        per_line = max(1.0, width * 1.2)  # 10pt text fits ~1.2 characters per width unit
        lines = sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))
        return LINE_HEIGHT * lines + 3

    def write_table(
        self,
        ws: Worksheet,
        first_row: int,
        df: pd.DataFrame,
        name: str,
        *,
        first_col: int = 0,
        formats_by_column: dict[str, Format] | None = None,
        column_kinds: dict[str, str] | None = None,
        widths: dict[str, float] | None = None,
        freeze: bool | None = None,
        repeat_header: bool | None = None,
    ) -> int:
        """An Excel table (header, banding, filters); returns its last row.

        `column_kinds` picks number formats and widths per column ("currency",
        "percent", "hours", "count", "row", "date", "wrap", "text", ...); `widths`
        fixes a column's width instead of fitting it to the content. Numeric
        columns are right-aligned with their header; every cell gets a small
        indent so a number never runs into the next column's text.

        Which table's header is frozen on screen and repeated at the top of each
        printed page (a sheet has one of each; the last table to claim it wins):

        - `freeze=None` (default): freeze this table's header if no earlier table
          on the sheet froze one, i.e. the first table does, later ones do not.
        - `freeze=True`: freeze this table's header, moving the freeze from an
          earlier table (use it on the long "main" table after a short summary).
        - `freeze=False`: do not freeze this table's header.
        - `repeat_header=None` (default): repeat this table's header on printed
          pages exactly when it is frozen (as resolved above).
        - `repeat_header=True` / `False`: repeat it (moving the print titles from
          an earlier table) / do not, whatever `freeze` says.

        For example, a summary then a long person list:

            book.write_table(ws, r1, waves, "waves")                       # short summary
            book.write_table(ws, r2, people, "people", freeze=True)        # header frozen
                                                                           # and repeated here
        and a short reference sheet with several small tables:
        `freeze=False, repeat_header=False` on each.
        """
        formats_by_column = formats_by_column or {}
        column_kinds = column_kinds or {}
        columns = list(df.columns)
        kinds = {c: column_kinds.get(c) or infer_kind(df[c]) for c in columns}
        fmts = {
            c: formats_by_column.get(c) or self.kind_format(
                kinds[c], align="right" if style.right_aligned(kinds[c]) else "left", indent=1
            )
            for c in columns
        }
        last_row = first_row + max(len(df), 1)
        last_col = first_col + len(columns) - 1
        ws.add_table(
            first_row,
            first_col,
            last_row,
            last_col,
            {
                "name": self._table_name(name),
                "style": style.TABLE_STYLE,
                "autofilter": True,
                "banded_rows": True,
                "columns": [
                    {"header": str(c), "header_format": self._header_format(fmts[c], kinds[c])}
                    for c in columns
                ],
            },
        )
        fixed = widths or {}
        widths = content_widths(df, kinds)
        for j, c in enumerate(columns):
            if c in fixed:
                widths[c] = fixed[c]
                self.set_width(ws, first_col + j, fixed[c])
            else:
                self.fit_width(ws, first_col + j, widths[c])
        heights = np.full(len(df), LINE_HEIGHT + 2.0)
        for j, c in enumerate(columns):
            self._write_column(ws, first_row + 1, first_col + j, df[c], fmts[c])
            if kinds[c] == "wrap":
                heights = np.maximum(heights, [LINE_HEIGHT + 2 if is_missing(v) else
                                               self.wrapped_height(str(v), widths[c]) for v in df[c]])
        for i in np.flatnonzero(heights > LINE_HEIGHT + 2):
            ws.set_row(first_row + 1 + int(i), float(heights[i]))
        if df.empty:
            for j, c in enumerate(columns):
                ws.write_blank(first_row + 1, first_col + j, None, fmts[c])
        header_lines = max(
            math.ceil(len(str(c)) / max(1.0, widths[c] - 3)) for c in columns
        ) if columns else 1
        ws.set_row(first_row, LINE_HEIGHT * max(1, header_lines) + 6)
        if freeze is not False:
            self._frozen.setdefault(ws.name, (0, 0))   # a table sheet: at least its title stays in view
        if freeze is None:
            freeze = self._frozen[ws.name] == (0, 0)
        if repeat_header is None:
            repeat_header = freeze
        if freeze:
            self.freeze(ws, first_row + 1)
        if repeat_header:
            ws.repeat_rows(first_row)
            self._repeated[ws.name] = first_row
        return last_row

    def _header_format(self, cell_format: Format, kind: str) -> Format:
        """The header cell aligned like the column's values: numbers right, text left, both indented."""
        h_align = getattr(cell_format, "text_h_align", 0)
        indent = getattr(cell_format, "indent", 0) or 0
        if h_align == 2:
            return self.fmt("header", align="center")
        if h_align == 3 or (h_align == 0 and style.right_aligned(kind)):
            return self.fmt("header", align="right", indent=indent or 1)
        return self.fmt("header", align="left", indent=indent or 1)

    def _table_name(self, name: str) -> str:
        base = "tbl_" + re.sub(r"\W", "_", name, flags=re.ASCII).strip("_")
        candidate, n = base[:200], 2
        while candidate.lower() in self._table_names:
            candidate = f"{base[:195]}_{n}"
            n += 1
        self._table_names.add(candidate.lower())
        return candidate

    # --- widths -----------------------------------------------------------------
    def fit_width(self, ws: Worksheet, col: int, width: float) -> None:
        """Widen a column to at least `width` (applied on close, the widest need wins)."""
        if col in self._fixed[ws.name]:
            return
        widths = self._widths[ws.name]
        widths[col] = max(widths.get(col, 0.0), width)

    def set_width(self, ws: Worksheet, col: int, width: float) -> None:
        """Fix a column's width regardless of content (e.g. a wide text column); 0 hides it."""
        self._widths[ws.name][col] = width
        self._fixed[ws.name].add(col)

    def print_fit(self, ws: Worksheet, wide: int, tall: int = 0) -> None:
        """Fix a sheet's print fit (pages wide x tall; 0 = as many as needed) instead of the default,
        which fits the sheet's width onto as few pages as keep the print at PRINT_MIN_SCALE or more."""
        ws.fit_to_pages(wide, tall)
        self._print_fixed.add(ws.name)

    def freeze(self, ws: Worksheet, row: int, col: int = 0) -> None:
        """Keep rows above `row` (and columns left of `col`) in view when scrolling; applied on
        close, where rows taller than FREEZE_MAX_POINTS in all give way to the title alone."""
        self._frozen[ws.name] = (row, col)

    def _apply_freeze(self, ws: Worksheet) -> None:
        row, col = self._frozen[ws.name]
        sizes = getattr(ws, "row_sizes", {})   # XlsxWriter keeps set_row heights here
        height = sum(sizes.get(r, [DEFAULT_ROW_POINTS])[0] or DEFAULT_ROW_POINTS for r in range(row))
        if row == 0 or height > FREEZE_MAX_POINTS:
            row = TITLE_ROWS   # a header far down the sheet would lock most of the screen: the title stays
        ws.freeze_panes(row, col)

    def print_columns(self, ws: Worksheet, last_col: int) -> None:
        """Print only columns 0..last_col (the rest are for the screen, e.g. formula names)."""
        self._print_last_col[ws.name] = last_col

    def _fit_for_print(self, name: str, ws: Worksheet) -> None:
        """Pages wide so the print stays legible: the used columns' width / what a page holds at
        PRINT_MIN_SCALE; a sheet wider than one page prints across before down. No columns repeat:
        a repeated column would repeat the left edge of every note merged across the page, so each
        wide sheet leads with a narrow answer and keeps its wide workings below."""
        last = ws.dim_colmax if ws.dim_colmax is not None else 0
        if name in self._print_last_col:
            last = min(last, self._print_last_col[name])
            ws.print_area(0, 0, ws.dim_rowmax or 0, last)
        widths = self._widths[name]
        total = sum(widths.get(col, DEFAULT_COLUMN_WIDTH) for col in range(last + 1))
        per_page = PAGE_WIDTH_CHARS / PRINT_MIN_SCALE
        wide = 1
        while total > wide * per_page and wide < 6:
            wide += 1
        ws.fit_to_pages(wide, 0)
        if wide > 1:
            ws.print_across()   # each band of rows left to right, as it is read

    def close(self) -> None:
        for name, ws in self._sheets.items():
            for col, width in self._widths[name].items():
                ws.set_column(col, col, width, None, {"hidden": True} if width == 0 else None)
            if name not in self._print_fixed:
                self._fit_for_print(name, ws)
            if name in self._frozen:
                self._apply_freeze(ws)
        self.workbook.close()
