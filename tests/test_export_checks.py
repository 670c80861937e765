"""Problems in the export itself: shifted CSV rows and formulas saved without values."""

from __future__ import annotations

import openpyxl
from engagement_files import roster, write_csv, write_engagement

from workbook.intake.load import load_engagement_data


def test_a_row_with_an_unquoted_comma_is_blocking_and_named(tmp_path):
    roster(tmp_path)
    write_csv(tmp_path / "deals.csv", ["rep_name,date,amount,stage",
                                       "Ron Rep,2026-03-05,1200,Won",
                                       "Ron Rep,2026-03-06,1,234.50,Won",     # unquoted thousands comma
                                       "Ron Rep,2026-03-07,80",               # one field short
                                       "Ron Rep,2026-03-08,90,Won"])
    data = load_engagement_data(write_engagement(tmp_path, {"people": "roster.csv", "sales": "deals.csv"}))
    [blocking] = [i for i in data.blocking if i.table == "sales"]
    assert blocking.row == 3 and "more fields than the header's 4" in blocking.message
    assert "rows 3)" in blocking.message and blocking.file == "deals.csv"
    assert any(i.row == 4 and "fewer fields" in i.message for i in data.warnings)


def test_formulas_saved_without_values_are_reported(tmp_path):
    roster(tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["rep_name", "date", "amount", "stage"])
    ws.append(["Ron Rep", "2026-03-05", 100, "Won"])
    ws.append(["Ron Rep", "2026-03-06", "=C2*2", "Won"])    # openpyxl stores no computed value
    wb.save(tmp_path / "deals.xlsx")
    data = load_engagement_data(write_engagement(tmp_path, {"people": "roster.csv", "sales": "deals.xlsx"},
                                                 as_of="2026-09-30"))
    [issue] = [i for i in data.blocking if "formula" in i.message]   # amount: used by the analysis
    assert issue.row == 3 and issue.value == "=C2*2" and "save it" in issue.message
    assert issue.column == "amount" and "column C ('amount') of sheet 'Sheet'" in issue.message


def test_open_deals_without_a_close_date_are_pipeline_not_excluded_rows(tmp_path):
    roster(tmp_path)
    write_csv(tmp_path / "deals.csv", ["rep_name,date,amount,stage",
                                       "Ron Rep,2026-03-05,1200,Closed Won",
                                       *[f"Ron Rep,,{100 + i},Prospecting" for i in range(30)],
                                       "Ron Rep,,50,Closed Won"])
    data = load_engagement_data(write_engagement(tmp_path, {"people": "roster.csv", "sales": "deals.csv"}))
    sales = [i for i in data.issues if i.table == "sales"]
    assert [i.message for i in sales if "open deal" in i.message] == [
        "30 open deal(s) without a close date: pipeline, not revenue; left out of the analysis"]
    [won_undated] = [i for i in sales if "required value" in i.message]   # a won deal needs its date
    assert won_undated.row == 33
    assert len(data.tables["sales"]) == 1
