"""`workbook map`: the table and column mapping of real systems' exports, proposed unedited, loads.

Each export below is built the way its system writes it (header names, title rows, value formats)
from one small org: a VP, two front-line managers and five reps, one of whom left.
"""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from engagement_files import ROSTER, write_csv, write_xlsx

from workbook.cli import main
from workbook.engagement.mapping import guess_header_row, map_files, sources_block
from workbook.intake.load import load_engagement_data

D = dt.datetime
AE, SM, ENT, COM = "Account Executive", "Sales Manager", "Enterprise", "Commercial"
# id, first, last, title, manager id, hire date, termination date, reason, team, region
ORG = [
    ("1001", "Lee", "Leader", "VP Sales", "", D(2015, 1, 5), None, "", "Sales", "East"),
    ("1002", "Mia", "Manager", SM, "1001", D(2018, 3, 1), None, "", ENT, "East"),
    ("1003", "Max", "Manager", SM, "1001", D(2019, 6, 1), None, "", COM, "West"),
    ("1004", "Ron", "Rep", AE, "1002", D(2020, 1, 6), None, "", ENT, "East"),
    ("1005", "Rita", "Rep", AE, "1002", D(2021, 2, 1), None, "", ENT, "East"),
    ("1006", "Raj", "Rep", AE, "1003", D(2022, 5, 2), None, "", COM, "West"),
    ("1007", "Rosa", "Rep", AE, "1003", D(2022, 5, 2), D(2026, 4, 30), "Resignation", COM, "West"),
    ("1008", "Ravi", "Rep", AE, "1002", D(2023, 9, 4), None, "", ENT, "East"),
]
NAME = {p[0]: f"{p[1]} {p[2]}" for p in ORG}
ASSOC = {p[0]: f"G3{int(p[0]) * 7919:07d}X" for p in ORG}   # ADP associate ids
REPS = ["Ron Rep", "Rita Rep", "Raj Rep", "Ravi Rep"]


def iso(d: dt.datetime | None) -> str:
    return d.strftime("%Y-%m-%d") if d else ""


def us(d: dt.datetime | None) -> str:
    return f"{d.month}/{d.day}/{d.year}" if d else ""


def csv_rows(rows: list[list]) -> list[str]:
    def cell(v) -> str:
        text = "" if v is None else str(v)
        return f'"{text}"' if any(ch in text for ch in ',"') else text
    return [",".join(cell(v) for v in row) for row in rows]


# ---------------------------------------------------------------- people: five HRIS exports

def workday(folder):
    header = ["Employee ID", "Worker", "Business Title", "Supervisory Organization", "Manager",
              "Hire Date", "Termination Date", "Primary Termination Reason", "Location",
              "Cost Center"]
    rows = [[p[0], NAME[p[0]], p[3], f"{p[8]} (Org)", NAME.get(p[4]), p[5], p[6],
             p[7] and "Terminate > Voluntary > Resignation", p[9], f"CC-{p[8][:3].upper()}"]
            for p in ORG]
    return write_xlsx(folder / "Workday Worker Roster.xlsx", {"Workers": [
        ["Worker Roster - Sales Organization"], ["Effective as of 09/30/2026"], [], header, *rows]})


def bamboohr(folder):
    header = ["Employee #", "First Name", "Last Name", "Job Title", "Department", "Division",
              "Location", "Supervisor EID", "Reporting to", "Hire Date", "Employment Status",
              "Termination Date"]
    rows = [[p[0], p[1], p[2], p[3], p[8], "North America", p[9], p[4], NAME.get(p[4], ""),
             iso(p[5]), "Terminated" if p[6] else "Full-Time", iso(p[6])] for p in ORG]
    return write_csv(folder / "bamboohr_employees.csv", csv_rows([header, *rows]))


def adp(folder):
    header = ["Associate ID", "File Number", "Payroll Name", "Job Title Description",
              "Home Department Description", "Location Description", "Reports To Name",
              "Reports To Associate ID", "Hire Date", "Termination Date",
              "Termination Reason Description", "Position Status"]

    def payroll(pid: str) -> str:
        return f"{pid and NAME[pid].split()[1]}, {pid and NAME[pid].split()[0]}" if pid else None
    rows = [[ASSOC[p[0]], f"{int(p[0]) - 1000:06d}", payroll(p[0]), p[3], p[8], p[9],
             payroll(p[4]), ASSOC.get(p[4]), p[5], p[6], p[7] or None,
             "Terminated" if p[6] else "Active"] for p in ORG]
    return write_xlsx(folder / "ADP Employee Report.xlsx", {"Report": [header, *rows]})


def successfactors(folder):
    header = ["STATUS", "USERID", "USERNAME", "FIRSTNAME", "LASTNAME", "MANAGER", "HR",
              "DEPARTMENT", "DIVISION", "LOCATION", "TITLE", "HIREDATE", "EMAIL"]
    rows = [["inactive" if p[6] else "active", f"U{p[0]}", f"{p[1].lower()}.{p[2].lower()}",
             p[1], p[2], f"U{p[4]}" if p[4] else "", "U9000", p[8], "Sales", p[9],
             p[3], us(p[5]), f"{p[1].lower()}@acme.example"] for p in ORG]
    return write_csv(folder / "sf_user_data.csv", csv_rows([header, *rows]))


def ibm_hr(folder):
    header = ["Age", "Attrition", "BusinessTravel", "Department", "EmployeeNumber", "JobLevel",
              "JobRole", "MonthlyIncome", "TotalWorkingYears", "YearsAtCompany",
              "YearsWithCurrManager"]
    rows = [[30 + i, "Yes" if p[6] else "No", "Travel_Rarely", "Sales", int(p[0]), 1 + (p[4] == ""),
             "Sales Executive" if "Rep" in p[2] else "Manager", 5000 + 311 * i, 8 + i, 3 + i, 2]
            for i, p in enumerate(ORG)]
    return write_csv(folder / "WA_Fn-UseC_-HR-Employee-Attrition.csv", csv_rows([header, *rows]))


PEOPLE = {
    "workday": (workday, {"Employee ID": "person_id", "Worker": "name", "Business Title": "title",
                          "Supervisory Organization": "team", "Manager": "manager_name",
                          "Hire Date": "hire_date", "Termination Date": "termination_date",
                          "Primary Termination Reason": "termination_type", "Location": "region"}),
    "bamboohr": (bamboohr, {"Employee #": "person_id", "Job Title": "title", "Department": "team",
                            "Location": "region", "Supervisor EID": "manager_id",
                            "Reporting to": "manager_name", "Hire Date": "hire_date",
                            "Termination Date": "termination_date"}),
    "adp": (adp, {"Associate ID": "person_id", "Payroll Name": "name",
                  "Job Title Description": "title",
                  "Home Department Description": "team", "Location Description": "region",
                  "Reports To Name": "manager_name", "Reports To Associate ID": "manager_id",
                  "Hire Date": "hire_date", "Termination Date": "termination_date",
                  "Termination Reason Description": "termination_type"}),
    "successfactors": (successfactors, {"USERID": "person_id", "MANAGER": "manager_id",
                                        "DEPARTMENT": "team", "LOCATION": "region",
                                        "TITLE": "title", "HIREDATE": "hire_date"}),
    "ibm_hr": (ibm_hr, {"EmployeeNumber": "person_id", "Department": "team", "JobRole": "title"}),
}


@pytest.mark.parametrize("system", sorted(PEOPLE))
def test_people_exports_are_recognised_mapped_and_load(tmp_path, system):
    make, expected = PEOPLE[system]
    path = make(tmp_path)
    proposal = map_files([path])
    assert proposal.ok
    found = proposal.chosen["people"]
    assert found.mapping == expected
    assert found.confidence in ("high", "medium")
    data = _load_block(tmp_path, proposal)
    assert len(data.tables["people"]) == len(ORG)
    blocking = [i.message for i in data.blocking]
    if system == "ibm_hr":   # the IBM dataset has no reporting lines: loads, but cannot be assessed
        assert len(blocking) == 1 and "no reporting lines" in blocking[0]
    else:
        assert blocking == []
        assert (data.tables["people"]["role"] == "manager").sum() == 2


def test_workday_title_rows_and_sheet_are_in_the_block(tmp_path):
    proposal = map_files([workday(tmp_path)])
    source = yaml.safe_load(sources_block(proposal))["sources"]["people"]
    assert source["path"] == "Workday Worker Roster.xlsx"
    assert source["header_row"] == 4
    assert "sheet" not in source                      # a one-sheet workbook needs no sheet


def test_monthly_income_and_split_names_are_explained_not_mapped(tmp_path):
    notes = {c.header: c.note for c in map_files([ibm_hr(tmp_path)]).chosen["people"].columns}
    assert "annual" in notes["MonthlyIncome"] and "yes/no" in notes["Attrition"]
    notes = {c.header: c.note for c in map_files([bamboohr(tmp_path)]).chosen["people"].columns}
    assert "two columns" in notes["First Name"]


# ---------------------------------------------------------------- sales: six CRM exports

DEALS = [  # owner, account, amount, stage (won / lost / open), close date
    ("Ron Rep", "Globex", 48000.0, "won", D(2026, 2, 12)),
    ("Rita Rep", "Initech", 12500.0, "won", D(2026, 3, 5)),
    ("Raj Rep", "Umbrella", 30250.5, "lost", D(2026, 3, 19)),
    ("Ravi Rep", "Hooli", 8200.0, "won", D(2026, 4, 2)),
    ("Ron Rep", "Stark Industries", 61000.0, "open", D(2026, 10, 15)),
    ("Raj Rep", "Wayne Enterprises", 22000.0, "won", D(2026, 5, 28)),
    ("Rita Rep", "Acme Corp", 15750.0, "lost", D(2026, 6, 30)),
    ("Ravi Rep", "Soylent", 9900.0, "won", D(2026, 8, 14)),
]
LABELS = {
    "salesforce": {"won": "Closed Won", "lost": "Closed Lost", "open": "Negotiation/Review"},
    "hubspot": {"won": "Closed won", "lost": "Closed lost", "open": "Contract sent"},
    "dynamics_status": {"won": "Won", "lost": "Lost", "open": "Open"},
    "dynamics_reason": {"won": "Won", "lost": "Out-Sold", "open": "In Progress"},
    "kaggle": {"won": "Won", "lost": "Lost", "open": "Engaging"},
    "zoho": {"won": "Closed Won", "lost": "Closed Lost", "open": "Proposal/Price Quote"},
}


def salesforce(folder):
    header = ["Opportunity Owner", "Account Name", "Opportunity Name", "Stage", "Fiscal Period",
              "Amount", "Probability (%)", "Close Date", "Created Date", "Lead Source", "Type"]
    rows = [[o, a, f"{a} - Staffing", LABELS["salesforce"][s], f"Q{(d.month - 1) // 3 + 1}-2026",
             f"${amt:,.2f}", 100 if s == "won" else 0 if s == "lost" else 60, us(d),
             us(d - dt.timedelta(days=40)), "Partner Referral", "New Business"]
            for o, a, amt, s, d in DEALS]
    total = ["Grand Totals (8 records)", None, None, None, None,
             f"${sum(x[2] for x in DEALS):,.2f}"]
    return write_xlsx(folder / "Opportunities by Owner.xlsx", {"Opportunities": [
        ["Opportunities by Owner"], ["As of 9/30/2026 - Filtered by: Close Date FY2026"], [],
        header, *rows, [], total]})


def hubspot(folder):
    header = ["Record ID", "Deal Name", "Deal Stage", "Close Date", "Deal owner", "Amount",
              "Pipeline", "Create Date", "Associated Company"]
    rows = [[str(9300001 + i), f"{a} renewal", LABELS["hubspot"][s], f"{iso(d)} 17:00",
             o, amt, "Sales Pipeline", f"{iso(d - dt.timedelta(days=30))} 09:12", a]
            for i, (o, a, amt, s, d) in enumerate(DEALS)]
    return write_csv(folder / "hubspot-crm-exports-all-deals-2026-09-30.csv",
                     csv_rows([header, *rows]))


def dynamics(folder):
    header = ["(Do Not Modify) Opportunity", "(Do Not Modify) Row Checksum",
              "(Do Not Modify) Modified On", "Topic", "Potential Customer", "Est. close date",
              "Est. revenue", "Probability", "Status", "Status Reason", "Owner"]
    rows = [[f"6f1c{i:04d}-2b7e-ee11-8179-000d3a5a{i:04d}", "hXz9+3kQ==", d, f"{a} expansion", a, d,
             amt, 100 if s == "won" else 0 if s == "lost" else 50, LABELS["dynamics_status"][s],
             LABELS["dynamics_reason"][s], o] for i, (o, a, amt, s, d) in enumerate(DEALS)]
    return write_xlsx(folder / "My Opportunities 9-30-2026.xlsx",   # with Dynamics' hidden sheet
                      {"My Opportunities": [header, *rows], "hiddenSheet": [["entity"], ["x"]]})


def pipedrive(folder):
    header = ["Deal - ID", "Deal - Title", "Deal - Owner", "Deal - Value", "Deal - Currency",
              "Deal - Status", "Deal - Stage", "Deal - Won time", "Deal - Expected close date",
              "Deal - Organization"]
    rows = [[str(310 + i), f"{a} deal", o, f"{amt:.2f}", "USD", s,
             "Negotiations Started" if s != "open" else "Proposal Made",
             f"{iso(d)} 14:02:11" if s == "won" else "", iso(d), a]
            for i, (o, a, amt, s, d) in enumerate(DEALS) if s == "won"]
    return write_csv(folder / "deals-8231447-19.csv", csv_rows([header, *rows]))


def kaggle(folder):
    header = ["opportunity_id", "sales_agent", "product", "account", "deal_stage", "engage_date",
              "close_date", "close_value"]
    rows = [[f"1C1I7A6R{i}", o, "GTX Pro", a, LABELS["kaggle"][s], iso(d - dt.timedelta(days=60)),
             iso(d) if s != "open" else "", int(amt) if s != "open" else ""]
            for i, (o, a, amt, s, d) in enumerate(DEALS)]
    return write_csv(folder / "sales_pipeline.csv", csv_rows([header, *rows]))


def zoho(folder):
    header = ["Record Id", "Deal Owner", "Deal Name", "Account Name", "Amount", "Closing Date",
              "Stage", "Probability (%)", "Contact Name"]
    rows = [[f"zcrm_55{i}", o, f"{a} deal", a, amt, d, LABELS["zoho"][s], 50, "Pat Doe"]
            for i, (o, a, amt, s, d) in enumerate(DEALS)]
    return write_xlsx(folder / "Deals_2026.xlsx", {"Deals": [header, *rows]})


SALES = {
    "salesforce": (salesforce, {"Opportunity Owner": "rep_name", "Stage": "stage",
                                "Amount": "amount", "Close Date": "date"}, 8),
    "hubspot": (hubspot, {"Record ID": "opportunity_id", "Deal Stage": "stage",
                          "Close Date": "date", "Deal owner": "rep_name", "Amount": "amount"}, 8),
    "dynamics": (dynamics, {"(Do Not Modify) Opportunity": "opportunity_id",
                            "Est. close date": "date", "Est. revenue": "amount",
                            "Status Reason": "stage", "Owner": "rep_name"}, 8),
    "pipedrive": (pipedrive, {"Deal - ID": "opportunity_id", "Deal - Owner": "rep_name",
                              "Deal - Value": "amount", "Deal - Status": "stage",
                              "Deal - Won time": "date"}, 5),
    "kaggle": (kaggle, {"opportunity_id": "opportunity_id", "sales_agent": "rep_name",
                        "deal_stage": "stage", "close_date": "date", "close_value": "amount"}, 7),
    "zoho": (zoho, {"Record Id": "opportunity_id", "Deal Owner": "rep_name", "Amount": "amount",
                    "Closing Date": "date", "Stage": "stage"}, 8),
}


@pytest.mark.parametrize("system", sorted(SALES))
def test_crm_exports_are_recognised_mapped_and_load(tmp_path, system):
    make, expected, loaded = SALES[system]
    path = make(tmp_path)
    roster = write_csv(tmp_path / "roster.csv", _canonical_roster())
    proposal = map_files([roster, path])
    assert proposal.ok, proposal.problems
    found = proposal.chosen["sales"]
    assert found.mapping == expected
    assert found.confidence in ("high", "medium")
    assert proposal.chosen["people"].path == roster
    data = _load_block(tmp_path, proposal)
    assert data.blocking == []
    assert len(data.tables["sales"]) == loaded
    assert set(data.tables["sales"]["stage"]) <= {"won", "lost", "open"}


def test_the_block_is_the_short_form_for_canonical_files_and_the_long_form_otherwise(tmp_path):
    roster = write_csv(tmp_path / "roster.csv", _canonical_roster())
    block = sources_block(map_files([roster, salesforce(tmp_path), dynamics(tmp_path)]))
    sources = yaml.safe_load(block)["sources"]
    assert sources["people"] == "roster.csv"
    assert sources["sales"]["sheet"] == "My Opportunities"   # two sheets: say which
    assert "  people: roster.csv\n" in block


# ---------------------------------------------------------------- coaching and training

def coaching_log(folder):
    header = ["Date", "Coach", "Rep", "Duration (min)", "Type", "Quality (1-5)", "Notes"]
    rows = [[D(2026, 6, 2 + i), "Mia Manager" if r in ("Ron Rep", "Rita Rep", "Ravi Rep") else
             "Max Manager", r, 30 + 15 * (i % 3), ["Deal review", "Joint call", "1:1"][i % 3],
             3 + i % 3, "Discussed Q3 pipeline"] for i, r in enumerate(REPS * 2)]
    return write_xlsx(folder / "Coaching Log FY26.xlsx", {"Log": [header, *rows]})


def gong(folder):
    header = ["Reviewer", "Reviewed User", "Review Date", "Call Title", "Scorecard",
              "Call Duration (min)", "Overall Score"]
    rows = [["Mia Manager" if r != "Raj Rep" else "Max Manager", r, us(D(2026, 7, 1 + 2 * i)),
             f"Discovery with account {i}", "Discovery Call Review", 25 + i, 2 + i % 4]
            for i, r in enumerate(REPS * 2)]
    return write_csv(folder / "gong_scorecards_export.csv", csv_rows([header, *rows]))


def cornerstone(folder):
    header = ["User ID", "User Full Name", "Training Title", "Training Type", "Transcript Status",
              "Completion Date", "Score"]
    status = ["Completed", "In Progress", "Registered", "Completed"]
    rows = [[p[0], NAME[p[0]], "Coaching for Sales Managers" if "Manager" in NAME[p[0]] else
             "Consultative Selling", "Online Class", status[i % 4],
             D(2026, 5, 10 + i) if status[i % 4] == "Completed" else None,
             80 + i if status[i % 4] == "Completed" else None] for i, p in enumerate(ORG[1:])]
    return write_xlsx(folder / "Transcript Report.xlsx", {"Transcript": [
        ["Transcript Report"], ["Generated 10/01/2026"], header, *rows]})


def workday_learning(folder):
    header = ["Learner", "Learning Content", "Completion Status", "Completion Date", "Course Type"]
    rows = [[NAME[p[0]], "Negotiation Essentials", "Completed" if i % 2 else "Not Started",
             iso(D(2026, 4, 3 + i)) if i % 2 else "", "Instructor-Led"] for i, p in enumerate(ORG)]
    return write_csv(folder / "Learning_Enrollments.csv", csv_rows([header, *rows]))


OTHER = {
    "coaching log": (coaching_log, "coaching", {
        "Date": "date", "Coach": "manager_name", "Rep": "rep_name", "Duration (min)": "minutes",
        "Type": "activity", "Quality (1-5)": "quality"}, 8),
    "gong": (gong, "coaching", {
        "Reviewer": "manager_name", "Reviewed User": "rep_name", "Review Date": "date",
        "Scorecard": "activity", "Call Duration (min)": "minutes", "Overall Score": "quality"}, 8),
    "cornerstone": (cornerstone, "training", {
        "User ID": "person_id", "User Full Name": "name", "Training Title": "program",
        "Transcript Status": "status", "Completion Date": "completed_date", "Score": "score"}, 7),
    "workday learning": (workday_learning, "training", {
        "Learner": "name", "Learning Content": "program", "Completion Status": "status",
        "Completion Date": "completed_date"}, 8),
}


@pytest.mark.parametrize("system", sorted(OTHER))
def test_coaching_and_training_exports(tmp_path, system):
    make, table, expected, loaded = OTHER[system]
    roster = write_csv(tmp_path / "roster.csv", _canonical_roster())
    proposal = map_files([roster, make(tmp_path)])
    assert proposal.ok, proposal.problems
    assert proposal.chosen[table].mapping == expected
    data = _load_block(tmp_path, proposal)
    assert data.blocking == []
    assert len(data.tables[table]) == loaded


# ---------------------------------------------------------------- what is not a table

def price_list(folder):
    header = ["SKU", "Product Name", "Category", "Unit Price", "Currency", "Effective Date",
              "Discontinued"]
    rows = [[f"SKU-{100 + i}", f"Widget {n}", "Hardware", f"{19.99 + i:.2f}", "USD", "2026-01-01",
             "No"] for i, n in enumerate(["Pro", "Mini", "Max", "Air", "Lite"])]
    return write_csv(folder / "price_list_2026.csv", csv_rows([header, *rows]))


def test_a_price_list_is_not_recognised_and_map_exits_1(tmp_path, capsys):
    path = price_list(tmp_path)
    assert not map_files([path]).ok
    code = main(["map", str(path), str(hubspot(tmp_path))])
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == 1
    assert "price_list_2026.csv: not recognised" in text
    assert "Deal owner" in text and "Traceback" not in text


def test_unreadable_and_missing_files_exit_1_with_the_reason(tmp_path, capsys):
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    code = main(["map", str(tmp_path / "broken.xlsx"), str(tmp_path / "nope.csv")])
    text = capsys.readouterr().out
    assert code == 1
    assert "broken.xlsx: could not be read" in text and "corrupt" in text
    assert "nope.csv: could not be read: no such file" in text


def test_map_prints_the_table_the_mapping_and_a_block_that_loads(tmp_path, capsys):
    roster = write_csv(tmp_path / "roster.csv", _canonical_roster())
    code = main(["map", str(roster), str(salesforce(tmp_path))])
    text = capsys.readouterr().out
    assert code == 0
    assert "Opportunities by Owner.xlsx, sheet 'Opportunities': sales (high confidence)" in text
    assert "Opportunity Owner" in text and "rep_name" in text and "Ron Rep" in text
    block = text[text.index("sources:"):]
    config = yaml.safe_load(block)
    assert config["sources"]["sales"]["header_row"] == 4
    assert config["sources"]["sales"]["columns"]["Close Date"] == "date"


def test_two_files_of_one_table_propose_the_more_complete(tmp_path, capsys):
    roster = write_csv(tmp_path / "roster.csv", _canonical_roster())
    code = main(["map", str(roster), str(successfactors(tmp_path)), str(workday(tmp_path))])
    text = capsys.readouterr().out
    assert code == 0
    assert "3 files look like people" in text
    assert yaml.safe_load(text[text.index("sources:"):])["sources"]["people"]["path"] == \
        "Workday Worker Roster.xlsx"


def test_write_creates_engagement_yaml_once_and_never_overwrites(tmp_path, capsys):
    files = [workday(tmp_path), hubspot(tmp_path)]
    target = tmp_path / "acme-2026q4"
    code = main(["map", *map(str, files), "--write", str(target), "--client", "Acme"])
    text = capsys.readouterr().out
    assert code == 0, text
    written = (target / "engagement.yaml").read_text()
    assert "client: \"Acme\"" in written and "Deal owner: rep_name" in written
    assert (target / files[1].name).is_file()                 # copied into the folder
    data = load_engagement_data(target)
    assert data.blocking == [] and len(data.tables["sales"]) == 8
    code = main(["map", *map(str, files), "--write", str(target)])
    out = capsys.readouterr()
    assert code == 1
    assert (target / "engagement.yaml").read_text() == written
    assert "already exists" in out.err and "sources:" in out.err


def test_new_from_files_scaffolds_copies_and_writes_the_sources(tmp_path, capsys):
    files = [workday(tmp_path), pipedrive(tmp_path), cornerstone(tmp_path)]
    code = main(["new", "globex", "--root", str(tmp_path / "client_data"),
                 "--from", *map(str, files)])
    text = capsys.readouterr().out
    assert code == 0, text
    folder = tmp_path / "client_data" / "globex"
    assert {f.name for f in files} <= {p.name for p in folder.iterdir()}
    assert not (folder / "roster.csv").exists()               # the client's roster is the source
    assert list(folder.glob("Data Request - *.xlsx"))
    data = load_engagement_data(folder)
    assert data.blocking == []
    assert {t: len(f) for t, f in data.tables.items()} == {"people": 8, "sales": 5, "training": 7}
    assert main(["validate", str(folder)]) == 0


def test_new_from_an_unrecognised_file_creates_nothing(tmp_path, capsys):
    code = main(["new", "initech", "--root", str(tmp_path / "cd"),
                 "--from", str(price_list(tmp_path))])
    assert code == 1
    assert not (tmp_path / "cd" / "initech").exists()
    assert "nothing was created" in capsys.readouterr().err


def test_validate_option_loads_the_proposal_without_writing(tmp_path, capsys):
    files = [workday(tmp_path), kaggle(tmp_path)]
    before = sorted(p.name for p in tmp_path.iterdir())
    code = main(["map", *map(str, files), "--validate", str(tmp_path)])
    text = capsys.readouterr().out
    assert code == 0, text
    assert "people" in text and "sales" in text and "No blocking issues" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_header_row_guess_skips_title_rows():
    import pandas as pd

    cells = pd.DataFrame([["Deals export", "", ""], ["", "", ""], ["Owner", "Amount", "Close"],
                          ["Ron Rep", "100", "2026-01-02"]], index=range(1, 5))
    assert guess_header_row(cells) == 3
    cells = pd.DataFrame([["Widgets Inc report", ""], ["Sku", "Colour"], ["A1", "Red"]],
                         index=range(1, 4))
    assert guess_header_row(cells) == 2


# ---------------------------------------------------------------- helpers

def _canonical_roster() -> list[str]:
    ravi = ",".join(["R5", "Ravi Rep", "M1", AE, "2023-09-04", "", "", "900000"])
    return ROSTER[:1] + [ravi] + ROSTER[1:]


def _load_block(folder, proposal):
    sources = yaml.safe_load(sources_block(proposal, folder))["sources"]
    config = {"client": "Test", "engagement": "test", "as_of": dt.date(2026, 9, 30),
              "sources": sources}
    (folder / "engagement.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return load_engagement_data(folder)
