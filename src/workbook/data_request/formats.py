"""The data request's cell formats and wrapped-text row heights."""

from __future__ import annotations

import math

import xlsxwriter

NAVY, PALE, GREY_TEXT, LIGHT = "#1F3864", "#D9E1F2", "#595959", "#F2F2F2"


class RequestFormats:
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


def row_height(text: str, width_chars: float, line: float = 13.0) -> float:
    """Row height (points) for wrapped text in a cell `width_chars` wide."""
    per_line = max(8.0, width_chars * 1.25)
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
    return max(15.0, lines * line + 3)
