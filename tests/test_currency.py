"""One way to write the engagement's currency: sentences, notebook tables, the explorer and Excel."""

from __future__ import annotations

import math
import shutil

import pandas as pd
import pytest

from workbook.engagement.currency import excel_money_format, money_text
from workbook.pipeline.display import table


@pytest.mark.parametrize(("value", "currency", "signed", "expected"), [
    (1234.4, "USD", False, "$1,234"),
    (1234.5, "usd", False, "$1,234"),          # banker's rounding of .5 is Python's; whole units shown
    (-350.0, "EUR", False, "-€350"),
    (2_000_000, "GBP", False, "£2,000,000"),
    (1200.0, "CHF", False, "1,200 CHF"),
    (-1200.0, "chf", False, "-1,200 CHF"),
    (1200.0, "", False, "$1,200"),              # no currency in engagement.yaml: USD
    (250.0, "EUR", True, "+€250"),
    (-250.0, "EUR", True, "-€250"),
    (0.2, "USD", True, "$0"),                   # rounds to nothing: no sign
    (-0.2, "USD", False, "$0"),
    (math.nan, "USD", False, "n/a"),
    (None, "USD", False, "n/a"),
])
def test_money_text(value, currency, signed, expected):
    assert money_text(value, currency, signed=signed) == expected


@pytest.mark.parametrize(("currency", "expected"), [
    ("USD", '"$"#,##0'), ("EUR", '"€"#,##0'), ("GBP", '"£"#,##0'), ("CHF", '#,##0 "CHF"'),
    ("S\"EK", '#,##0 "SEK"'),                  # nothing but letters and digits reaches the format
])
def test_excel_money_format(currency, expected):
    assert excel_money_format(currency) == expected


def test_notebook_tables_use_the_engagements_currency():
    frame = pd.DataFrame({"scenario": ["base"], "annual_benefit": [12_345.0], "uplift": [0.08]})
    html = table(frame, ["scenario", "uplift", "annual_benefit"], currency="EUR").to_html()
    assert "€12,345" in html and "$" not in html
    assert "First-year benefit" in html and "Base" in html and "8.0%" in html


def test_explorer_of_a_eur_engagement_shows_euros(demo_engagement, tmp_path):
    from workbook.interactive import build_explorer

    folder = shutil.copytree(demo_engagement, tmp_path / "demo")
    config = folder / "engagement.yaml"
    text = config.read_text(encoding="utf-8")
    assert "currency: USD" in text
    config.write_text(text.replace("currency: USD", "currency: EUR"), encoding="utf-8")
    ex = build_explorer(folder)
    roi = "\n".join(o["data"]["text/plain"] for o in ex.outputs["roi"].outputs)
    ex.show("compensation")   # a tab is drawn when it is shown
    pay = "\n".join(o["data"]["text/plain"] for o in ex.outputs["compensation"].outputs)
    assert "€" in roi and "$" not in roi
    assert "€" in pay and "$" not in pay
