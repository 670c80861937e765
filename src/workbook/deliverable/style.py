"""The deliverable's visual identity: one font, a navy header, modelling conventions.

Formats are plain property dicts here; `DeliverableBook.fmt` turns them into
XlsxWriter formats (cached per workbook). Inputs are yellow with blue text,
formulas and results black: the convention modellers expect.
"""

from __future__ import annotations

from workbook.engagement.currency import excel_money_format

FONT = "Calibri"
SIZE = 10
NAVY = "#1F3864"
ACCENT = "#2E75B6"
GREY = "#595959"
LIGHT_GREY = "#D9D9D9"
INPUT_FILL = "#FFF2CC"
INPUT_FONT = "#0000FF"
BLOCKING_FILL = "#F8CBAD"
WARNING_FILL = "#FFF2CC"
# data bars light enough that the number in the cell stays readable over them
CHANGE_BAR = {"type": "data_bar", "bar_color": "#A9D08E", "bar_negative_color": "#F4B6B6", "bar_solid": True,
              "bar_border_color": "#A9D08E", "bar_negative_border_color": "#F4B6B6"}
COUNT_BAR = {"type": "data_bar", "bar_color": "#BDD7EE", "bar_solid": True, "min_type": "num", "min_value": 0}
TABLE_STYLE = "Table Style Medium 2"  # light blue banding under our navy header

TAB_FRONT = NAVY
TAB_APPENDIX = "#A6A6A6"

MIN_WIDTH = 8
MAX_WIDTH = 60

BASE: dict = {"font_name": FONT, "font_size": SIZE, "valign": "top"}

STYLES: dict[str, dict] = {
    "text": {},
    "wrap": {"text_wrap": True},
    "bold": {"bold": True},
    "title": {"font_size": 18, "bold": True, "font_color": NAVY, "valign": "bottom"},
    "subtitle": {"font_size": 11, "font_color": GREY, "italic": True},
    "note": {"font_color": GREY, "text_wrap": True},
    "heading": {"font_size": 12, "bold": True, "font_color": NAVY, "bottom": 1, "bottom_color": NAVY},
    "header": {
        "bold": True,
        "font_color": "#FFFFFF",
        "bg_color": NAVY,
        "text_wrap": True,
        "valign": "vcenter",
        "border": 1,
        "border_color": NAVY,
    },
    "label": {"bold": True, "font_color": NAVY},
    "link": {"font_color": ACCENT, "underline": 1},
    "input": {
        "bg_color": INPUT_FILL,
        "font_color": INPUT_FONT,
        "border": 1,
        "border_color": "#BFBFBF",
    },
    "band": {"bg_color": NAVY, "font_color": "#FFFFFF"},
    "band_title": {"bg_color": NAVY, "font_color": "#FFFFFF", "font_size": 26, "bold": True,
                   "valign": "vcenter"},
    "band_sub": {"bg_color": NAVY, "font_color": "#FFFFFF", "font_size": 14, "valign": "vcenter"},
    "blocking": {"bg_color": BLOCKING_FILL},
    "warning": {"bg_color": WARNING_FILL},
}

def currency_format(code: str) -> str:
    """'"$"#,##0' for USD; other currencies carry their code after the amount."""
    return excel_money_format(code)


def number_formats(currency: str) -> dict[str, str]:
    """Number format by column kind."""
    return {
        "currency": currency_format(currency),
        "percent": "0.0%",
        "percent0": "0%",
        "hours": '0.0 "h"',
        "count": "#,##0",
        "integer": "#,##0",
        "number": "General",
        "decimal": "#,##0.0",
        "score": "0",
        "row": "0",  # a row number in a client's file: 1844, never 1,844
        "date": "yyyy-mm-dd",
        "months": "General",
        "weeks": "General",
    }


TEXT_KINDS = {"text", "wrap", "code", "link"}
# Column kinds whose values (and so whose table header) sit at the right of the cell.
RIGHT_KINDS = {
    "currency", "percent", "percent0", "hours", "count", "integer", "number", "decimal", "score",
    "row", "date", "months", "weeks", "ratio",
}


def right_aligned(kind: str) -> bool:
    """Numbers and dates (any kind that is not text) sit at the right, under a right-aligned header."""
    return kind in RIGHT_KINDS or kind not in TEXT_KINDS


INDENT_WIDTH = 2  # the width one indent level takes (cells in tables are indented by one)


def width_for(texts: list[str], minimum: int = MIN_WIDTH, maximum: int = MAX_WIDTH) -> float:
    """A column width that shows the longest entry, clamped so no column runs away."""
    longest = max((len(line) for t in texts for line in str(t).split("\n")), default=0)
    return float(max(minimum, min(maximum, longest + 2)))
