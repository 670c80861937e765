"""Intake of client files as they are really sent: each messy case, reported by file, row, column."""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pandas as pd
from engagement_files import roster, write_csv, write_engagement, write_xlsx

from workbook.intake.load import load_engagement_data


def issues_for(data, table):
    return [i for i in data.issues if i.table == table]


def deals_engagement(tmp_path, lines, **source):
    roster(tmp_path)
    write_csv(tmp_path / "deals.csv", lines, bom=source.pop("bom", False),
              encoding=source.pop("encoding_written", "utf-8"))
    columns = source.pop("columns", {"Owner": "rep_name", "Close Date": "date", "Amount": "amount",
                                     "Stage": "stage"})
    write_engagement(tmp_path, {"people": "roster.csv",
                                "sales": {"path": "deals.csv", "columns": columns, **source}})
    return load_engagement_data(tmp_path)


def test_money_as_text_in_every_client_format(tmp_path):
    data = deals_engagement(tmp_path, [
        "Owner,Close Date,Amount,Stage",
        'Ron Rep,2026-03-05,"$1,234.50",Won',
        "Ron Rep,2026-03-05,(1200),Won",
        'Ron Rep,2026-03-05,"USD 12,000",Won',
        "Ron Rep,2026-03-05,4500,Won",
        'Ron Rep,2026-03-05,"1.234,50 €",Won',
        'Ron Rep,2026-03-05,"(1,200)",Won',
    ])
    assert data.tables["sales"]["amount"].tolist() == [1234.5, -1200.0, 12000.0, 4500.0, 1234.5, -1200.0]


def test_european_decimal_comma_column(tmp_path):
    data = deals_engagement(tmp_path, [
        "Owner;Close Date;Amount;Stage",
        "Ron Rep;05.03.2026;1.234,50;Won",
        "Ron Rep;06.03.2026;12,5;Won",
        "Ron Rep;07.03.2026;1.200;Won",
    ], decimal=",", date_format="dmy")
    sales = data.tables["sales"]
    assert sales["amount"].tolist() == [1234.5, 12.5, 1200.0]
    assert sales["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-05", "2026-03-06", "2026-03-07"]


def test_mixed_date_formats_and_excel_serials(tmp_path):
    data = deals_engagement(tmp_path, [
        "Owner,Close Date,Amount,Stage",
        "Ron Rep,2026-03-05,1,Won",
        "Ron Rep,03/05/2026,1,Won",
        "Ron Rep,5 Mar 2026,1,Won",
        '"Ron Rep","March 5, 2026",1,Won',
        "Ron Rep,46086,1,Won",
        "Ron Rep,2026-03-05 14:30:00,1,Won",
    ])
    assert set(data.tables["sales"]["date"].dt.date) == {dt.date(2026, 3, 5)}


def test_unreadable_date_is_reported_with_file_row_column_and_value(tmp_path):
    data = deals_engagement(tmp_path, [
        "Owner,Close Date,Amount,Stage",
        "Ron Rep,2026-03-05,1,Won",
        "Ron Rep,someday,1,Won",
    ])
    [issue] = [i for i in issues_for(data, "sales") if i.column == "Close Date"]
    assert (issue.severity, issue.file, issue.row, issue.value) == ("warning", "deals.csv", 3, "someday")
    assert "row excluded" in issue.message
    assert len(data.tables["sales"]) == 1


def test_stage_labels_map_to_won_lost_open(tmp_path):
    data = deals_engagement(tmp_path, [
        "Owner,Close Date,Amount,Stage",
        "Ron Rep,2026-03-05,1,Closed Won",
        "Ron Rep,2026-03-05,1,Won",
        "Ron Rep,2026-03-05,1,Closed Lost",
        "Ron Rep,2026-03-05,1,Negotiation",
        "Ron Rep,2026-03-05,1,Stage 9 (custom)",
    ])
    assert data.tables["sales"]["stage"].tolist() == ["won", "won", "lost", "open", "open"]
    [issue] = [i for i in issues_for(data, "sales") if i.column == "Stage"]
    assert issue.row == 6 and issue.value == "Stage 9 (custom)" and "treated as 'open'" in issue.message


def test_title_rows_blank_rows_and_footer_totals_are_skipped_and_reported(tmp_path):
    data = deals_engagement(tmp_path, [
        "Deals report - FY26",
        "Exported by CRM",
        "Owner,Close Date,Amount,Stage",
        "Ron Rep,2026-03-05,100,Won",
        ",,,",
        "Rita Rep,2026-03-06,200,Won",
        ',,Total,"$300.00"',
        "",
    ], header_row=3)
    sales = data.tables["sales"]
    assert sales["amount"].tolist() == [100.0, 200.0]
    assert list(sales.index) == [4, 6]   # the client's own row numbers travel with the data
    messages = {(i.row, i.message.split(";")[0]) for i in issues_for(data, "sales")}
    assert (7, "looks like a total or footer row") in messages
    assert any(row == 5 and "blank row" in msg for row, msg in messages)
    counts = data.row_counts().set_index("table")
    assert counts.loc["sales", "rows_used"] == 2


def test_header_row_is_found_below_title_rows_without_being_told(tmp_path):
    data = deals_engagement(tmp_path, [
        "Pipeline export",
        "",
        "Owner,Close Date,Amount,Stage",
        "Ron Rep,2026-03-05,100,Won",
    ])
    assert data.tables["sales"]["amount"].tolist() == [100.0]


def test_bom_utf8_and_cp1252_text(tmp_path):
    lines = ["person_id,name,manager_id", "M1,José Álvarez,", "R1,Zoë Brontë,M1"]
    write_csv(tmp_path / "roster.csv", lines, encoding="cp1252")
    write_engagement(tmp_path, {"people": "roster.csv"}, as_of="2026-09-30")
    data = load_engagement_data(tmp_path)
    assert data.tables["people"]["name"].tolist() == ["José Álvarez", "Zoë Brontë"]
    assert any("Windows-1252" in i.message for i in data.warnings)
    write_csv(tmp_path / "roster.csv", lines, bom=True)
    data = load_engagement_data(tmp_path)
    assert list(data.tables["people"].index) == ["M1", "R1"]  # BOM not glued to the first header
    assert not data.issues


def test_stray_spaces_and_case_in_ids_and_names(tmp_path):
    roster(tmp_path, ["person_id,name,manager_id", "M1,Mia  Manager,", " r1 ,Ron Rep, m1"])
    write_csv(tmp_path / "deals.csv", ["Owner,Date,Amount", "  ron REP ,2026-01-02,5",
                                       "MIA manager,2026-01-02,7"])
    write_engagement(tmp_path, {"people": "roster.csv", "sales": {
        "path": "deals.csv", "columns": {"Owner": "rep_name", "Date": "date", "Amount": "amount"}}})
    data = load_engagement_data(tmp_path)
    people = data.tables["people"]
    assert people.loc["R1", "manager_id"] == "M1"
    assert people.loc["M1", "name"] == "Mia Manager"
    assert data.tables["sales"]["rep_id"].tolist() == ["R1", "M1"]
    assert "stage" not in data.tables["sales"]   # no stage column: every row is won revenue


def test_xlsx_sheet_choice_header_row_mapping_and_unmapped_columns(tmp_path):
    write_xlsx(tmp_path / "roster.xlsx", {
        "Notes": [["not this sheet"]],
        "Employees": [["Acme roster"], ["as of Oct"], [],
                      ["Emp ID", "Full Name", "Boss", "Badge #", "Start"],
                      ["M1", "Mia Manager", None, 77, dt.datetime(2019, 1, 2)],
                      ["R1", "Ron Rep", "M1", 78, 43831]],
    })
    write_engagement(tmp_path, {"people": {"path": "roster.xlsx", "sheet": "Employees", "header_row": 4,
                                           "columns": {"Emp ID": "person_id", "Full Name": "name",
                                                       "Boss": "manager_id", "Start": "hire_date"}}})
    data = load_engagement_data(tmp_path)
    people = data.tables["people"]
    assert list(people.index) == ["M1", "R1"]
    assert people.loc["R1", "hire_date"] == pd.Timestamp("2020-01-01")   # Excel serial 43831
    assert people.loc["M1", "hire_date"] == pd.Timestamp("2019-01-02")
    assert "Badge #" not in people.columns
    assert people.loc["R1", "_row"] == 6
    assert not data.blocking


def test_wide_survey_one_column_per_adkar_dimension(tmp_path):
    roster(tmp_path)
    write_xlsx(tmp_path / "survey.xlsx", {"Responses": [
        ["Respondent ID", "Submitted", "Awareness (1-5)", "Desire (1-5)", "Knowledge (1-5)",
         "Ability (1-5)", "Reinforcement (1-5)"],
        ["M1", "2026-09-01", 5, 4, 3, 4, 2],
        ["M2", "2026-09-02", 4, None, 4, 4, 4],
    ]})
    write_engagement(tmp_path, {"people": "roster.csv", "survey": {"path": "survey.xlsx", "columns": {
        "Respondent ID": "person_id", "Awareness (1-5)": "awareness", "Desire (1-5)": "desire",
        "Knowledge (1-5)": "knowledge", "Ability (1-5)": "ability", "Reinforcement (1-5)": "reinforcement"}}})
    data = load_engagement_data(tmp_path)
    survey = data.tables["survey"]
    m1 = survey[survey["person_id"] == "M1"].set_index("dimension")["score"]
    assert m1.to_dict() == {"awareness": 5, "desire": 4, "knowledge": 3, "ability": 4, "reinforcement": 2}
    assert len(survey[survey["person_id"] == "M2"]) == 4   # blank answer is not a score of 0
    assert set(survey.index) == {2, 3}


def test_client_files_are_never_modified(tmp_path):
    data_lines = ["Owner,Close Date,Amount,Stage", 'Ron Rep,03/05/2026,"$1,234.50",Closed Won',
                  ",,Total,1"]
    deals_engagement(tmp_path, data_lines)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()}
    mtimes = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    load_engagement_data(tmp_path)
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()}
    assert before == after
    assert mtimes == {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}


def test_inputs_are_fingerprinted(tmp_path):
    data = deals_engagement(tmp_path, ["Owner,Close Date,Amount,Stage", "Ron Rep,2026-01-01,1,Won"])
    record = {i["table"]: i for i in data.inputs}
    assert record["sales"]["sha256"] == hashlib.sha256((tmp_path / "deals.csv").read_bytes()).hexdigest()


def test_whole_number_amounts_and_percent_weights_in_a_text_column(tmp_path):
    data = deals_engagement(tmp_path, ["Owner,Close Date,Amount,Stage", "Ron Rep,2026-03-05,100,Won",
                                       "Ron Rep,2026-03-05,(200),Won", "Ron Rep,2026-03-05,50%,Won"])
    assert data.tables["sales"]["amount"].tolist() == [100.0, -200.0, 0.5]


# ------------------------------------------------------------------------ totals and footer rows

FOOTER_ROSTER = [
    "Team,person_id,name,manager_id",
    "Leadership,M1,Mia Manager,",
    "Total Quality,R1,Summer Lee,M1",     # a footer word first, but the rest of the row is data
    "Sales,R2,Sumit Rao,M1",
    "Sales,R3,Jo Countryman,M1",
    "Sales,R4,Averill Smith,M1",
    "Sum Team,R5,Summit Lee,M1",
]

# (row as written after the header, skipped as a total/footer?) -- names, an account-like text in the
# first column, and real totals and report footers with blank or numeric cells beside them
FOOTER_ROWS = [
    ("Summer Lee,2026-03-05,100,Won", False),
    ("Sumit Rao,2026-03-05,100,Won", False),
    ("Jo Countryman,2026-03-05,100,Won", False),
    ("Averill Smith,2026-03-05,100,Won", False),
    ("Summit Lee,2026-03-05,100,Won", False),
    ("Total,,300,", True),
    ('Grand Total,,"$1,300.00",', True),
    ("TOTAL:,,300,", True),
    ("Subtotal - East,,300,", True),
    (",,Total,300", True),                    # the first non-blank cell, wherever it is
    ("Sum,,300,", True),
    ("Count,,4,", True),
    ("Average,,75.5,", True),
    ("Report generated 2026-03-15 10:42 by Salesforce,,,", True),
    ("Confidential Information - Do Not Distribute,,,", True),
    ("Page 1 of 3,,,", True),
    ("Filtered by: Stage equals Won,,,", True),
    ("Records: 123,,,", True),
    ("Row count: 4,,,", True),
]


def test_totals_and_footers_are_found_from_the_first_cell_only(tmp_path):
    roster(tmp_path, FOOTER_ROSTER)
    lines = ["Owner,Close Date,Amount,Stage", *[row for row, _ in FOOTER_ROWS]]
    write_csv(tmp_path / "deals.csv", lines)
    write_engagement(tmp_path, {"people": "roster.csv", "sales": {"path": "deals.csv", "columns": {
        "Owner": "rep_name", "Close Date": "date", "Amount": "amount", "Stage": "stage"}}},
        as_of="2026-09-30")
    data = load_engagement_data(tmp_path)
    footer_rows = {i.row for i in issues_for(data, "sales")
                   if i.message == "looks like a total or footer row; skipped"}
    expected = {n + 2 for n, (_, skipped) in enumerate(FOOTER_ROWS) if skipped}
    assert footer_rows == expected
    sales = data.tables["sales"]
    assert sorted(sales.index) == [n + 2 for n, (_, skipped) in enumerate(FOOTER_ROWS) if not skipped]
    assert sorted(sales["rep_id"]) == ["R1", "R2", "R3", "R4", "R5"]
    # nothing else is reported about the skipped rows (no unreadable amount, no unknown owner)
    assert not [i for i in issues_for(data, "sales") if i.row in expected and "footer" not in i.message]
    reported = {i.row: i.value for i in issues_for(data, "sales") if i.row in expected}
    assert reported[2 + 5] == "Total" and reported[2 + 13] == "Report generated 2026-03-15 10:42 by Salesforce"
    people = data.tables["people"]
    assert sorted(people.index) == ["M1", "R1", "R2", "R3", "R4", "R5"]   # 'Total Quality' team kept
    assert not [i for i in issues_for(data, "people") if "footer" in i.message]


def test_footer_word_rows_with_text_beside_them_are_data(tmp_path):
    from types import SimpleNamespace

    from workbook.intake.footers import blank_and_footer_rows
    from workbook.intake.issues import IssueLog

    body = pd.DataFrame({
        "account": ["Total Quality Ltd", "Summary Partners", "Total", "Acme", "", "Count Basie Trio"],
        "rep_name": ["Ron Rep", "Ron Rep", "", "Grand Total", "Total", "Ron Rep"],
        "amount": ["100", "200", "300", "", "(1,200.50)", "12"],
        "date": ["2026-03-05", "2026-03-05", "", "", "", "2026-03-05"],
    }, index=[4, 5, 6, 7, 8, 9], dtype=object)
    for dtype in (object, "string[pyarrow]"):   # cells from a workbook, and from a CSV read by Arrow
        log = IssueLog()
        skip = blank_and_footer_rows(body.astype(dtype), SimpleNamespace(table="sales", display_name="deals.csv"),
                                     log)
        assert skip.to_dict() == {4: False, 5: False, 6: True, 7: False, 8: True, 9: False}, dtype
        assert [(i.row, i.value) for i in log.issues] == [(6, "Total"), (8, "Total")], dtype


def test_blank_and_footer_rows_of_a_long_export_follow_the_cell_by_cell_rule():
    """Long CSV columns take shortcuts (digits are never blank, a name beside the first cell is
    never a total row): on random rows mixing footer words, names, amounts, ids and blank tokens
    the rows skipped are exactly those the rule, applied cell by cell, gives."""
    from types import SimpleNamespace

    from workbook.intake import cleaning, distinct
    from workbook.intake.footers import FOOTER_PATTERN, blank_and_footer_rows
    from workbook.intake.issues import IssueLog

    rng = np.random.default_rng(7)
    pools = {
        "id": [f"OPP-{i:07d}" for i in range(3000)] + ["", "NULL", "Total", "Grand Total", "Page 1 of 3"],
        "rep_name": ["Ron Rep", "Summer Lee", "Countryman", "", " ", "N/A", "-", "Total", "Sum", "1,200"],
        "amount": ["$5,111.36", "(1,200.50)", "12", "", "n/a", "USD 2,000", "Total", "12 records", "—"],
        "date": ["2026-03-05", "03/05/2026", "", "NULL", "Report generated 2026-03-15", "45000"],
    }
    rows = 2 * distinct.SAMPLE_ROWS + 5000   # long enough for every shortcut
    body = pd.DataFrame({c: rng.choice(pool, rows, p=_weights(len(pool), rng)) for c, pool in pools.items()},
                        index=np.arange(2, rows + 2), dtype="string[pyarrow]")
    ids = pd.Series([f"OPP-{i:07d}" for i in range(rows)], index=body.index, dtype="string[pyarrow]")
    body["id"] = body["id"].where(rng.random(rows) < 0.05, ids)     # deal ids: nearly all distinct
    body.iloc[::500] = ["", "NULL", " ", "-"]                      # blank rows
    body.iloc[250::700] = ["", "Grand Total", "$1,200.00", ""]      # total rows
    skip = blank_and_footer_rows(body, SimpleNamespace(table="sales", display_name="deals.csv"), IssueLog())

    blank = np.column_stack([cleaning.blank_cells(body[c]).to_numpy(dtype=bool) for c in body.columns])
    footer_word = np.column_stack([body[c].str.contains(FOOTER_PATTERN, regex=True, na=False).to_numpy(dtype=bool)
                                   for c in body.columns])
    numeric = np.column_stack([cleaning.looks_numeric(body[c]).to_numpy(dtype=bool) for c in body.columns])
    first = blank.argmin(axis=1)
    rest_ok = np.ones(rows, dtype=bool)
    for i in range(body.shape[1]):
        rest_ok &= blank[:, i] | numeric[:, i] | (first == i)
    expected = blank.all(axis=1) | (~blank.all(axis=1) & footer_word[np.arange(rows), first] & rest_ok)
    assert blank.all(axis=1).sum() > 10 and (expected & ~blank.all(axis=1)).sum() > 10   # both kinds
    assert (skip.to_numpy() == expected).all(), int((skip.to_numpy() != expected).sum())


def _weights(n: int, rng) -> np.ndarray:
    w = rng.random(n) + 0.05
    return w / w.sum()


# --------------------------------------------------------------- blank tokens, dates, CRM stages

def test_blank_tokens_in_an_hris_export_are_empty_cells(tmp_path):
    roster(tmp_path, [
        "person_id,name,manager_id,role,hire_date,termination_date,termination_type,annual_quota",
        "L1,Lee Leader,NULL,leader,2015-01-05,NULL,NULL,NULL",
        "M1,Mia Manager,L1,manager,2018-03-01,N/A,N/A,N/A",
        "R1,Ron Rep,M1,#N/A,2020-01-06,-,-,-",
        "R2,Rita Rep,M1,rep,2021-02-01,(blank),(blank),(blank)",
        "R3,Raj Rep,M1,None,2022-05-02,--,--,--",
        "R4,Rosa Rep,M1,NA,2022-05-02,#N/A,none,NA",
    ])
    write_engagement(tmp_path, {"people": "roster.csv"}, as_of="2026-09-30")
    data = load_engagement_data(tmp_path)
    people = data.tables["people"]
    assert list(people.index) == ["L1", "M1", "R1", "R2", "R3", "R4"]
    assert pd.isna(people.loc["L1", "manager_id"])          # top of the tree, not an unknown id 'NULL'
    for column in ["termination_date", "termination_type", "annual_quota"]:
        assert people[column].isna().all(), column
    assert people.loc["R3", "role"] == "rep"                 # derived from the tree, like an empty cell
    assert not [i for i in data.issues if i.value in {"NULL", "N/A", "#N/A", "-", "--", "(blank)",
                                                       "None", "none", "NA"}]


def test_crm_datetimes_are_read_as_their_day(tmp_path):
    data = deals_engagement(tmp_path, [
        "Owner,Close Date,Amount,Stage",
        "Ron Rep,2026-03-05 00:00:00.000,1,Won",          # SQL Server
        "Ron Rep,2026-03-05T14:30:00Z,1,Won",             # ISO 8601 UTC
        "Ron Rep,2026-03-05T23:30:00-05:00,1,Won",        # the date as written, no time-zone shift
        "Ron Rep,3/5/2026 2:30 PM,1,Won",                 # US CRM
        "Ron Rep,3/5/2026 14:30,1,Won",
        "Ron Rep,20260305,1,Won",                         # SAP compact
        "Ron Rep,46086.75,1,Won",                         # Excel serial with a time: its day
    ])
    assert data.tables["sales"]["date"].dt.date.tolist() == [dt.date(2026, 3, 5)] * 7
    assert not issues_for(data, "sales")


def test_crm_stage_labels_from_an_export(tmp_path):
    data = deals_engagement(tmp_path, [
        "Owner,Close Date,Amount,Stage",
        "Ron Rep,2026-03-05,1,Lost - Closed",
        "Ron Rep,2026-03-05,1,Closed Won",
        "Ron Rep,2026-03-05,1,Proposal/Price Quote",
        "Ron Rep,2026-03-05,1,Decision maker bought-in",
        "Ron Rep,2026-03-05,1,Negotiations Started",
        "Ron Rep,2026-03-05,1,NULL",
    ])
    assert data.tables["sales"]["stage"].tolist() == ["lost", "won", "open", "open", "open", pd.NA]
    assert not issues_for(data, "sales")


def test_money_edge_cases_from_exports(tmp_path):
    data = deals_engagement(tmp_path, [
        "Owner,Close Date,Amount,Stage",
        'Ron Rep,2026-03-05,"$(1,200.00)",Won',
        'Ron Rep,2026-03-05,"$1,234.50",Won',
        "Ron Rep,2026-03-05,99.90,Won",
        'Ron Rep,2026-03-05,"12,5",Won',                   # decimal comma before 1-2 digits: 12.5
        'Ron Rep,2026-03-05,"1234,5678",Won',              # ambiguous: reported, row excluded
    ])
    assert data.tables["sales"]["amount"].tolist() == [-1200.0, 1234.5, 99.9, 12.5]
    [negative] = [i for i in issues_for(data, "sales") if "negative" in i.message]
    assert (negative.row, negative.value) == (2, "-1200")       # kept as a credit note, but named
    [issue] = [i for i in issues_for(data, "sales") if "negative" not in i.message]
    assert (issue.row, issue.column, issue.value) == (6, "Amount", "1234,5678")
