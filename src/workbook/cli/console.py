"""Client text on the console: file names, column headers and cell values come from the client's
files, and a terminal obeys the control characters in them (ESC [ ... rewrites the screen, a
carriage return overwrites the line, U+202E turns text around). `safe` shows each one as a visible
escape instead: ESC as \\x1b, a newline as \\n, U+202E as \\u202e; everything else is unchanged."""

from __future__ import annotations

import re

# C0 controls (tab and newline included: a value is printed on one line), DEL, C1 controls,
# and the Unicode bidirectional overrides and isolates
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def safe(text: object) -> str:
    """`text` as one printable line: control characters and direction overrides made visible."""
    return _UNSAFE.sub(_escape, str(text))
