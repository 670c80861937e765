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
