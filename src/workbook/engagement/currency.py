"""The engagement's currency, written the same way everywhere: sentences, notebook tables, Excel.

`currency:` in engagement.yaml is an ISO code. Common codes get their symbol before the amount
($1,200; €1,200; £1,200); any other code follows the amount (1,200 CHF).
"""

from __future__ import annotations

import math

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "AUD": "A$", "CAD": "C$", "JPY": "¥"}


def currency_code(currency: str | None) -> str:
    """The ISO code, upper case, letters and digits only (USD when empty)."""
    code = "".join(ch for ch in (currency or "").upper() if ch.isalnum())[:5]
    return code or "USD"


def money_text(value: float | None, currency: str | None, *, signed: bool = False) -> str:
    """An amount in whole units: "$1,200", "-€350", "1,200 CHF"; "n/a" when missing.
    `signed` shows "+" on gains (for changes)."""
    if value is None or not math.isfinite(float(value)):
        return "n/a"
    code = currency_code(currency)
    amount = f"{abs(float(value)):,.0f}"
    text = f"{SYMBOLS[code]}{amount}" if code in SYMBOLS else f"{amount} {code}"
    if round(abs(float(value))) == 0:
        return text
    return ("-" if value < 0 else "+" if signed else "") + text


def excel_money_format(currency: str | None) -> str:
    """The Excel number format for whole amounts: '"$"#,##0', or '#,##0 "CHF"'."""
    code = currency_code(currency)
    if code in SYMBOLS:
        return f'"{SYMBOLS[code]}"#,##0'
    return f'#,##0 "{code}"'
