"""Mapping features declared in engagement.yaml, for the shapes HRIS and CRM exports really have:
a column built from several, a unit, a row filter, a fallback column, footer rows to drop."""

from __future__ import annotations

import pytest
from engagement_files import write_csv, write_engagement

from workbook.errors import EngagementError
from workbook.intake.load import load_engagement_data

HR = ["EmployeeNumber,First Name,Last Name,Department,Manager ID,MonthlyIncome,Hire Date,Start Date",
      "1,Ava,Stone,Sales,,9000,2019-04-01,",
      "2,Ben,Okafor,Sales,1,4000,,2021-02-15",
      "3,Cara,Ng,Sales,1,4200,2022-06-01,",
      "4,Dev,Patel,Research & Development,1,7000,2020-01-01,",
      "5,Eli,Moss,sales ,1,3900,2023-01-09,",
      "Report generated 2026-09-30,,,,,,,"]


def hr_engagement(folder, columns, **source):
    write_csv(folder / "hr.csv", HR)
    return write_engagement(folder, {"people": {"path": "hr.csv", "columns": columns, **source},
                                     "compensation": {"path": "hr.csv", "columns": {
                                         "EmployeeNumber": "person_id",
                                         "base_salary": {"column": "MonthlyIncome", "per": "month"}}}},
                            as_of="2026-09-30")


def test_built_columns_filters_units_and_fallbacks(tmp_path):
    folder = hr_engagement(tmp_path, {
        "EmployeeNumber": "person_id", "Manager ID": "manager_id",
        "name": ["First Name", "Last Name"],
        "hire_date": {"column": "Hire Date", "fallback": "Start Date"},
    }, where={"Department": "Sales"}, footer_rows=1)
    data = load_engagement_data(folder)
    assert not data.blocking, data.blocking
    people = data.tables["people"]
    assert people["name"].tolist() == ["Ava Stone", "Ben Okafor", "Cara Ng", "Eli Moss"]   # Dev is R&D
    assert str(people.loc["2", "hire_date"].date()) == "2021-02-15"          # from the fallback column
    comp = data.tables["compensation"].set_index("person_id")
    assert comp.loc["1", "base_salary"] == pytest.approx(108_000)            # 9,000 a month
    filtered = [i for i in data.issues if "where" in i.message and i.table == "people"]
    assert len(filtered) == 1 and "1 row" in filtered[0].message and "Department" in filtered[0].message
    counts = data.row_counts().set_index("table")
    assert counts.loc["people", "rows_used"] == 4


@pytest.mark.parametrize(("columns", "source", "message"), [
    ({"nme": ["First Name", "Last Name"]}, {}, "did you mean 'name'"),
    ({"base_salary": {"column": "MonthlyIncome", "per": "fortnight"}}, {}, "per must be one of"),
    ({"name": []}, {}, "at least one"),
    ({"EmployeeNumber": "person_id"}, {"where": "Sales"}, "where must map a column"),
    ({"First Name": "name", "name": ["First Name", "Last Name"]}, {}, "gives 'name' twice"),
])
def test_mapping_mistakes_are_a_sentence_naming_the_key(tmp_path, columns, source, message):
    with pytest.raises(EngagementError, match=message):
        load_engagement_data(hr_engagement(tmp_path, columns, **source))


def test_a_column_named_in_a_rule_but_absent_is_blocking_with_the_file(tmp_path):
    folder = hr_engagement(tmp_path, {"EmployeeNumber": "person_id",
                                      "name": ["First Name", "Surname"]})
    data = load_engagement_data(folder)
    [issue] = [i for i in data.blocking if i.table == "people"]
    assert "Surname" in issue.message and issue.file == "hr.csv"


def test_several_monthly_exports_stack_into_one_table(tmp_path):
    from engagement_files import roster

    from workbook.engagement.config import load_engagement
    from workbook.run.fingerprint import engagement_fingerprint

    roster(tmp_path)
    header = "Owner,Close Date,Amount,Stage"
    write_csv(tmp_path / "exports" / "deals_2026-01.csv", [header, "Ron Rep,2026-01-05,100,Won",
                                                           "Ron Rep,2026-01-09,50,Won"])
    write_csv(tmp_path / "exports" / "deals_2026-02.csv", [header, "Ron Rep,2026-02-03,70,Won",
                                                           "Nobody Known,2026-02-04,5,Won"])
    write_csv(tmp_path / "exports" / "notes.csv", ["not,a,deal"])
    folder = write_engagement(tmp_path, {"people": "roster.csv", "sales": {
        "path": "exports/deals_*.csv",
        "columns": {"Owner": "rep_name", "Close Date": "date", "Amount": "amount", "Stage": "stage"}}})
    data = load_engagement_data(folder)
    assert not data.blocking, data.blocking
    assert data.tables["sales"]["amount"].tolist() == [100, 50, 70]
    [unknown] = [i for i in data.warnings if i.table == "sales"]
    assert unknown.file == "deals_2026-02.csv" and unknown.row == 3     # the file and row it came from
    assert [i["file"] for i in data.inputs if i["table"] == "sales"] == ["deals_2026-01.csv",
                                                                       "deals_2026-02.csv"]
    counts = data.row_counts().set_index("table")
    assert counts.loc["sales", "rows_read"] == 4 and counts.loc["sales", "rows_used"] == 3
    before = engagement_fingerprint(load_engagement(folder))
    write_csv(tmp_path / "exports" / "deals_2026-03.csv", [header, "Ron Rep,2026-03-03,20,Won"])
    assert engagement_fingerprint(load_engagement(folder)) != before     # a new month re-runs


def test_a_pattern_matching_nothing_is_blocking(tmp_path):
    from engagement_files import roster

    roster(tmp_path)
    folder = write_engagement(tmp_path, {"people": "roster.csv", "sales": "exports/deals_*.csv"})
    [issue] = load_engagement_data(folder).blocking
    assert "matches 'deals_*.csv'" in issue.message and issue.table == "sales"


def test_lookups_sum_order_lines_and_take_a_manager_by_region(tmp_path):
    write_csv(tmp_path / "reps.csv", ["Rep,Region", "Mo Manager,", "Ron Rep,East", "Rita Rep,West",
                                      "Sue Rep,North"])
    write_csv(tmp_path / "regions.csv", ["Region,Regional Manager", "East,Mo Manager", "West,Mo Manager"])
    write_csv(tmp_path / "orders.csv", ["OrderID,Salesperson,OrderDate", "10248,Ron Rep,2026-03-04",
                                        "10249,Rita Rep,2026-04-05", "10250,Ron Rep,2026-04-06"])
    write_csv(tmp_path / "order_lines.csv", ["Order,Line Total", "10248,$168.00", "10248,98.00",
                                             "10249,\"1,506.60\""])
    folder = write_engagement(tmp_path, {
        "people": {"path": "reps.csv", "columns": {"Rep": "name", "Manager": "manager_name"},
                   "lookup": {"path": "regions.csv", "on": "Region", "take": "Regional Manager",
                              "as": "Manager"}},
        "sales": {"path": "orders.csv",
                  "columns": {"Salesperson": "rep_name", "OrderDate": "date", "Amount": "amount"},
                  "lookup": [{"path": "order_lines.csv", "on": ["OrderID", "Order"], "sum": "Line Total",
                              "as": "Amount"}]}}, as_of="2026-09-30")
    data = load_engagement_data(folder)
    people = data.tables["people"].set_index("name")
    mo = people.loc["Mo Manager", "person_id"]
    assert people.loc["Ron Rep", "manager_id"] == mo and people.loc["Rita Rep", "manager_id"] == mo
    assert people.loc["Mo Manager", "role"] == "manager"
    assert data.tables["sales"]["amount"].tolist() == [266.0, 1506.6]     # 10250 has no lines
    said = [i.message for i in data.warnings]
    assert any("1 row(s) have no match in order_lines.csv on OrderID" in m for m in said)
    assert any("no match in regions.csv on Region" in m for m in said)     # Sue's North, Mo's blank


def test_a_lookup_column_that_is_not_there_is_blocking(tmp_path):
    write_csv(tmp_path / "orders.csv", ["OrderID,Salesperson,OrderDate", "1,Ron Rep,2026-03-04"])
    write_csv(tmp_path / "order_lines.csv", ["OrderID,LineTotal", "1,5"])
    from engagement_files import roster

    roster(tmp_path)
    folder = write_engagement(tmp_path, {"people": "roster.csv", "sales": {
        "path": "orders.csv", "columns": {"Salesperson": "rep_name", "OrderDate": "date", "Amount": "amount"},
        "lookup": {"path": "order_lines.csv", "on": "OrderID", "sum": "Line Total", "as": "Amount"}}})
    [issue] = load_engagement_data(folder).blocking
    assert issue.file == "order_lines.csv" and "did you mean 'LineTotal'" in issue.message


def test_engagement_yaml_is_read_as_typed_on_and_yes_stay_text(tmp_path):
    """PyYAML reads `on:` as the boolean True; a consultant typing a lookup's key must not see
    "unknown key 'True'"."""
    from engagement_files import roster

    roster(tmp_path)
    write_csv(tmp_path / "orders.csv", ["OrderID,Owner,Close Date", "1,Ron Rep,2026-03-04"])
    write_csv(tmp_path / "lines.csv", ["OrderID,Line Total", "1,40", "1,60"])
    (tmp_path / "engagement.yaml").write_text(
        "client: Yes Corp\nsources:\n  people: roster.csv\n  sales:\n    path: orders.csv\n"
        "    lookup: {path: lines.csv, on: OrderID, sum: Line Total, as: Amount}\n"
        "    columns: {Owner: rep_name, Close Date: date, Amount: amount}\n", encoding="utf-8")
    data = load_engagement_data(tmp_path)
    assert not data.blocking, data.blocking
    assert data.engagement.client == "Yes Corp" and data.tables["sales"]["amount"].tolist() == [100.0]
