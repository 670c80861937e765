"""Org shapes real exports have: managers named only in a manager column, leaders with reps of
their own, several blocking problems at once; and validation that says "can be analysed" only
when an assessment will follow."""

from __future__ import annotations

import pytest
from engagement_files import write_csv, write_engagement

from workbook.cli import main
from workbook.intake.load import load_engagement_data
from workbook.pipeline import Analysis

# A CRM "sales teams" sheet: one row per rep, the manager by name only (no row of their own).
TEAMS = ["Sales Agent,Manager,Regional Office",
         "Summer Lee,Dustin Brinkmann,Central", "Sumit Rao,Dustin Brinkmann,Central",
         "Anna Snelling,Dustin Brinkmann,Central", "Cecily Lampkin,Melvin Marxen,Central",
         "Versie Hillebrand,Melvin Marxen,Central", "Boris Faz,Cara Losch,East",
         "Donn Cantrell,Cara Losch,East", "Reed Clapper,Cara Losch,East",
         "Corliss Cosme,Rocco Neubert,East", "Darcel Schlecht,Rocco Neubert,East",
         "Averill Countryman,Cara Losch,East"]
DEALS = ["opportunity_id,sales_agent,deal_stage,close_date,close_value",
         "1C1I7A6R,Summer Lee,Won,2026-03-01,1054", "Z063OYW0,Sumit Rao,Won,2026-03-11,4514",
         "EC4QE1BX,Cecily Lampkin,Won,2026-03-07,50", "MV1LWRNH,Boris Faz,Won,2026-03-09,588",
         "PE84CX4O,Corliss Cosme,Won,2026-03-02,517", "ZZY4516R,Darcel Schlecht,Lost,2026-03-01,0",
         "LHPKQ19D,Reed Clapper,Engaging,,"]


def teams_engagement(folder, **extra):
    write_csv(folder / "sales_teams.csv", TEAMS)
    write_csv(folder / "sales_pipeline.csv", DEALS)
    return write_engagement(folder, {
        "people": {"path": "sales_teams.csv",
                   "columns": {"Sales Agent": "name", "Manager": "manager_name", "Regional Office": "region"}},
        "sales": {"path": "sales_pipeline.csv",
                  "columns": {"sales_agent": "rep_name", "deal_stage": "stage", "close_date": "date",
                              "close_value": "amount"}},
    }, **extra)


def test_managers_named_only_in_the_manager_column_lead_their_own_teams(tmp_path):
    data = load_engagement_data(teams_engagement(tmp_path))
    assert not data.blocking, data.blocking
    people = data.tables["people"].set_index("name")
    managers = people[people["role"] == "manager"]
    assert sorted(managers.index) == ["Cara Losch", "Dustin Brinkmann", "Melvin Marxen", "Rocco Neubert"]
    assert managers["inferred"].all()
    for rep in ("Summer Lee", "Sumit Rao", "Averill Countryman"):   # people, never footers
        assert people.loc[rep, "role"] == "rep"
    team = people[people["manager_id"] == people.loc["Dustin Brinkmann", "person_id"]].index
    assert sorted(team) == ["Anna Snelling", "Sumit Rao", "Summer Lee"]
    inferred = [i for i in data.warnings if "inferred" in i.message]
    assert len(inferred) == 4 and all(i.column == "manager_name" for i in inferred)
    readiness = Analysis(data).readiness.set_index("manager_name")
    assert readiness.loc["Dustin Brinkmann", "team_size"] == 3
    assert readiness["flags"].str.contains("inferred from the manager column").all()


def test_a_leader_with_reps_of_their_own_is_also_their_front_line_manager(tmp_path):
    write_csv(tmp_path / "roster.csv", [
        "person_id,name,manager_id,role,hire_date", "V,Vera VP,,leader,2020-01-01",
        "M1,Max,V,manager,2020-01-01", "R1,Ria,M1,rep,2021-01-01", "R2,Rob,M1,rep,2021-01-01",
        "D1,Dee,V,rep,2021-01-01", "D2,Dan,V,rep,2021-01-01", "D3,Dot,V,,2021-01-01"])
    data = load_engagement_data(write_engagement(tmp_path, {"people": "roster.csv"}, as_of="2026-09-30"))
    people = data.tables["people"]
    assert people.loc["V", "role"] == "manager" and people.loc["M1", "role"] == "manager"
    [issue] = [i for i in data.warnings if i.value == "leader"]
    assert "3 rep(s) report to them directly" in issue.message and issue.row == 2
    readiness = Analysis(data).readiness.set_index("manager_id")
    assert readiness.loc["V", "team_size"] == 3          # D1-D3 are assessed, not dropped
    plan = Analysis(data).plan.set_index("person_id")
    assert (plan.loc[["D1", "D2", "D3"], "wave"] > plan.loc["V", "wave"]).all()


def test_every_blocking_problem_in_the_roster_is_reported_in_one_pass(tmp_path):
    write_csv(tmp_path / "roster.csv", ["person_id,name,manager_id", "A,Ann,B", "B,Bob,A",
                                        "C,Cy,", "C,Cyd,", "R,Ron,C"])
    data = load_engagement_data(write_engagement(tmp_path, {"people": "roster.csv"}, as_of="2026-09-30"))
    messages = [i.message for i in data.blocking]
    assert any("same id is used for different people" in m for m in messages)
    assert any("management cycle" in m for m in messages)


@pytest.mark.parametrize(("roster", "deals", "as_of", "expected"), [
    (["person_id,name,manager_id,hire_date", "A,Ann,,2020-01-01", "B,Bob,,2020-01-01"], None,
     "2026-09-30", "no reporting lines"),
    (["person_id,name,manager_id,role", "A,Ann,,leader", "B,Bob,A,leader", "C,Cy,B,leader"], None,
     "2026-09-30", None),   # a chain of leaders still has a rep at the end: C manages nobody
    (["person_id,name,manager_id", "M,Mo,", "R,Ron,M"], None, None, "no as-of date"),
    (["person_id,name,manager_id", "M,Mo,", "R,Ron,M"],
     ["rep_name,date,amount,stage", "Nobody Known,2026-01-01,10,won", "Someone Else,2026-01-02,5,won"],
     None, "every one of the 2 rows was excluded"),
    (["person_id,name,manager_id", "M,Mo,", "R,Ron,M"],
     ["rep_name,date,amount,stage", "Mo,2026-01-01,10,won"], None, "no deal belongs to a rep"),
])
def test_data_that_cannot_give_an_assessment_is_blocking(tmp_path, capsys, roster, deals, as_of, expected):
    write_csv(tmp_path / "roster.csv", roster)
    sources = {"people": "roster.csv"}
    if deals:
        write_csv(tmp_path / "deals.csv", deals)
        sources["sales"] = "deals.csv"
    extra = {"as_of": as_of} if as_of else {}
    write_engagement(tmp_path, sources, **extra)
    code = main(["validate", str(tmp_path)])
    out = capsys.readouterr().out
    if expected is None:
        assert code == 0 and "can be analysed" in out
        return
    assert code == 1, out
    assert expected in out and "can be analysed" not in out


def test_inferred_managers_and_the_names_only_sheet_run_to_a_deliverable(tmp_path):
    from workbook.run.runner import run_engagement

    folder = teams_engagement(tmp_path / "crm", as_of="2026-03-31")
    result = run_engagement(folder, tmp_path / "out")
    assert result.status == "succeeded", (result.message, result.failure)
    import openpyxl

    wb = openpyxl.load_workbook(result.deliverable, read_only=True)
    cells = {c for row in wb["Manager Readiness"].iter_rows(values_only=True) for c in row if c}
    assert {"Dustin Brinkmann", "Cara Losch", "Melvin Marxen", "Rocco Neubert"} <= cells
    quality = " ".join(str(c) for row in wb["Data Quality"].iter_rows(values_only=True) for c in row if c)
    assert quality.count("added as an inferred person from the manager column") == 4
    assert "open deal(s) without a close date" in quality


def test_role_labels_are_reported_as_read(tmp_path):
    write_csv(tmp_path / "roster.csv", [
        "person_id,name,manager_id,Job Level", "V,Vera,,Sales Director", "M,Max,V,Sales Manager",
        "R1,Ria,M,Account Executive", "R2,Rob,M,Account Executive", "R3,Rey,M,rep"])
    folder = write_engagement(tmp_path, {"people": {"path": "roster.csv", "columns": {"Job Level": "role"}}},
                              as_of="2026-09-30")
    data = load_engagement_data(folder)
    [reading] = [i for i in data.warnings if "role labels read as" in i.message]
    assert "'Account Executive' -> rep (2 rows)" in reading.message
    assert "'Sales Manager' -> manager (1 rows)" in reading.message
    assert "'rep'" not in reading.message and reading.column == "Job Level"


def test_no_manager_placeholders_are_not_people(tmp_path):
    write_csv(tmp_path / "roster.csv", [
        "USERID,NAME,MANAGER", "100,Vera Vance,NO_MANAGER", "200,Max Mill,100", "301,Ria Ray,200",
        "302,Rob Roe,200", "303,Sam Soo,Vacant"])
    folder = write_engagement(tmp_path, {"people": {"path": "roster.csv", "columns": {
        "USERID": "person_id", "NAME": "name", "MANAGER": "manager_id"}}}, as_of="2026-09-30")
    data = load_engagement_data(folder)
    people = data.tables["people"]
    assert not people["inferred"].any() and len(people) == 5
    assert people.loc["100", "role"] == "leader" and people.loc["200", "role"] == "manager"
    said = [i.message for i in data.warnings if "treated as having no manager" in i.message]
    assert any("'NO_MANAGER' for 1 person" in m for m in said) and any("'vacant'" in m.lower() for m in said)


def test_payroll_last_first_names_match_crm_first_last(tmp_path):
    write_csv(tmp_path / "roster.csv", ["Employee,Supervisor", '"Brinkmann, Dustin",',
                                        '"Lee, Summer","Brinkmann, Dustin"'])
    write_csv(tmp_path / "deals.csv", ["Owner,Close Date,Amount,Stage", "Summer Lee,2026-03-01,500,Won"])
    folder = write_engagement(tmp_path, {
        "people": {"path": "roster.csv", "columns": {"Employee": "name", "Supervisor": "manager_name"}},
        "sales": {"path": "deals.csv", "columns": {"Owner": "rep_name", "Close Date": "date",
                                                   "Amount": "amount", "Stage": "stage"}}})
    data = load_engagement_data(folder)
    assert not data.blocking, data.blocking
    assert len(data.tables["sales"]) == 1 and not data.tables["people"]["inferred"].any()


# An order-management database export (the classic Northwind shape): SQL Server datetimes, NULL for
# "no manager", the VP with reps of their own, names in two columns, amounts per order.
EMPLOYEES = ["EmployeeID,LastName,FirstName,Title,ReportsTo,HireDate",
             "1,Davolio,Nancy,Sales Representative,2,1992-05-01 00:00:00.000",
             "2,Fuller,Andrew,\"Vice President, Sales\",NULL,1992-08-14 00:00:00.000",
             "3,Leverling,Janet,Sales Representative,2,1992-04-01 00:00:00.000",
             "4,Peacock,Margaret,Sales Representative,2,1993-05-03 00:00:00.000",
             "5,Buchanan,Steven,Sales Manager,2,1993-10-17 00:00:00.000",
             "6,Suyama,Michael,Sales Representative,5,1993-10-17 00:00:00.000",
             "7,King,Robert,Sales Representative,5,1994-01-02 00:00:00.000",
             "8,Callahan,Laura,Inside Sales Coordinator,2,1994-03-05 00:00:00.000",
             "9,Dodsworth,Anne,Sales Representative,5,1994-11-15 00:00:00.000"]
ORDERS = ["OrderID,EmployeeID,OrderDate,Total",
          *[f"{10248 + i},{1 + i % 9},1996-{7 + i % 6:02d}-{4 + i % 20:02d} 00:00:00.000,{440 + 37 * i}"
            for i in range(60)]]


def test_an_order_database_export_gives_the_right_org_and_a_deliverable(tmp_path):
    from workbook.run.runner import run_engagement

    folder = tmp_path / "northwind"
    write_csv(folder / "Employees.csv", EMPLOYEES)
    write_csv(folder / "Orders.csv", ORDERS)
    write_engagement(folder, {
        "people": {"path": "Employees.csv", "columns": {
            "EmployeeID": "person_id", "name": ["FirstName", "LastName"], "ReportsTo": "manager_id",
            "Title": "title", "HireDate": "hire_date"}},
        "sales": {"path": "Orders.csv", "columns": {"EmployeeID": "rep_id", "OrderDate": "date",
                                                    "Total": "amount"}}})
    data = load_engagement_data(folder)
    assert not data.blocking, data.blocking
    people = data.tables["people"]
    assert people.loc["2", "role"] == "manager" and people.loc["5", "role"] == "manager"
    assert str(people.loc["1", "hire_date"].date()) == "1992-05-01"
    assert str(data.as_of) == "1996-12-23"              # the latest order, SQL datetime read as a date
    assert len(data.tables["sales"]) == 60 and people.loc["1", "name"] == "Nancy Davolio"
    result = run_engagement(folder, tmp_path / "out")
    assert result.status == "succeeded", (result.message, result.failure)
    readiness = Analysis(load_engagement_data(folder)).readiness.set_index("manager_id")
    assert readiness.loc["2", "team_size"] == 4 and readiness.loc["5", "team_size"] == 3
