"""Sentences written twice from one set of words: as Python text and as a live Excel formula.

A sentence in the workbook that quotes a figure the client can change (an
assumption, a total over live formulas) is written as a formula that builds
the same words in Excel, with the Python text as its cached value. A template
is a str.format pattern; each {field} becomes an Excel expression
(e.g. TEXT(name,"0%")) joined to the literal text with &.
"""

from __future__ import annotations

from workbook.engagement.currency import excel_money_format, money_text

EXCEL_TEXT_LIMIT = 255   # Excel refuses a text constant longer than this inside a formula


def excel_string(text: str) -> str:
    """`text` as Excel string constants, joined with & in pieces Excel accepts."""
    pieces = [text[i:i + EXCEL_TEXT_LIMIT - 5] for i in range(0, len(text), EXCEL_TEXT_LIMIT - 5)] or [""]
    return "&".join('"' + piece.replace('"', '""') + '"' for piece in pieces)


def excel_concat(template: str, pieces: dict[str, str]) -> str:
    """A sentence template as an Excel concatenation: literal text & the formula for each {field}."""
    parts: list[str] = []
    rest = template
    while "{" in rest:
        before, _, after = rest.partition("{")
        field, _, rest = after.partition("}")
        if before:
            parts.append(excel_string(before))
        parts.append(pieces[field])
    if rest:
        parts.append(excel_string(rest))
    return "&".join(parts)


Field = tuple[str, str]   # (the value as Python writes it, the Excel expression that writes the same)


def live(template: str, fields: dict[str, Field]) -> tuple[str, str]:
    """(the sentence, the formula that writes it): `template` filled from each field's two forms."""
    text = template.format(**{k: v[0] for k, v in fields.items()})
    return text, "=" + excel_concat(template, {k: v[1] for k, v in fields.items()})


def money_field(value: float, currency: str | None, expr: str) -> Field:
    """An amount in whole units: "$1,200" / "-$350", in Python and as TEXT() over `expr`."""
    return money_text(value, currency), f"TEXT({expr},{excel_string(excel_money_format(currency))})"


def percent_field(value: float, expr: str) -> Field:
    """A whole percentage: "8%", in Python and as TEXT() over `expr`."""
    return f"{value:.0%}", f'TEXT({expr},"0%")'
