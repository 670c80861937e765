"""Sentences written twice from one set of words: as Python text and as a live Excel formula.

A sentence in the workbook that quotes a figure the client can change (an
assumption, a total over live formulas) is written as a formula that builds
the same words in Excel, with the Python text as its cached value. A template
is a str.format pattern; each {field} becomes an Excel expression
(e.g. TEXT(name,"0%")) joined to the literal text with &.
"""

from __future__ import annotations


def excel_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


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
