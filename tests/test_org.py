"""The org tree: references by name, derived roles, duplicates, cycles, unknown managers and owners."""

from __future__ import annotations

from engagement_files import roster, write_csv, write_engagement

from workbook.intake.load import load_engagement_data


def load(tmp_path, roster_lines, deals=None):
    roster(tmp_path, roster_lines)
    sources = {"people": "roster.csv"}
    if deals:
        write_csv(tmp_path / "deals.csv", deals)
        sources["sales"] = "deals.csv"
    write_engagement(tmp_path, sources, as_of="2026-09-30")   # these rosters carry no dates
    return load_engagement_data(tmp_path)


def test_roles_are_derived_from_the_tree(tmp_path):
    data = load(tmp_path, ["person_id,name,manager_id", "V,Vi,", "D,Di,V", "M,Mo,D", "R1,Ra,M", "R2,Rb,M"])
    roles = data.tables["people"]["role"].to_dict()
    assert roles == {"V": "leader", "D": "leader", "M": "manager", "R1": "rep", "R2": "rep"}
    assert data.tables["people"].loc["M", "span"] == 2


def test_managers_referenced_by_name(tmp_path):
    data = load(tmp_path, ["name,manager_name", "Mia Manager,", "Ron Rep,  mia MANAGER "])
    people = data.tables["people"].set_index("name")
    assert people.loc["Ron Rep", "manager_id"] == people.loc["Mia Manager", "person_id"]
    assert people.loc["Mia Manager", "role"] == "manager"


def test_ambiguous_name_is_an_issue_naming_the_rows(tmp_path):
    data = load(tmp_path, ["person_id,name,manager_id", "M1,Sam Lee,", "M2,Sam Lee,", "R1,Ron Rep,M1"],
                deals=["rep_name,date,amount", "Sam Lee,2026-01-01,10", "Ron Rep,2026-01-01,5"])
    [issue] = [i for i in data.issues if i.table == "sales"]
    assert issue.severity == "warning" and issue.row == 2 and issue.column == "rep_name"
    assert "matches 2 people" in issue.message and "roster rows 2, 3" in issue.message
    assert data.tables["sales"]["rep_id"].tolist() == ["R1"]


def test_unknown_deal_owner_is_a_warning_rows_excluded_and_counted(tmp_path):
    data = load(tmp_path, ["person_id,name,manager_id", "M1,Mia,", "R1,Ron Rep,M1"],
                deals=["rep_name,date,amount", "Ghost Writer,2026-01-01,10", "Ron Rep,2026-01-01,5",
                       "ghost writer,2026-01-02,20"])
    [issue] = [i for i in data.issues if i.table == "sales"]
    assert issue.severity == "warning" and issue.value == "Ghost Writer"
    assert "2 row(s) excluded (rows 2, 4)" in issue.message
    counts = data.row_counts().set_index("table")
    assert (counts.loc["sales", "rows_read"], counts.loc["sales", "rows_used"]) == (3, 1)
    assert not data.blocking


def test_management_cycle_is_blocking_and_names_the_rows(tmp_path):
    data = load(tmp_path, ["person_id,name,manager_id", "A,Ann,C", "B,Bob,A", "C,Cy,B", "R,Ray,A"])
    [issue] = data.blocking
    assert issue.message.startswith("management cycle: A -> C -> B -> A (rows 2, 4, 3)")
    assert (issue.file, issue.row, issue.column, issue.value) == ("roster.csv", 2, "manager_id", "C")


def test_conflicting_duplicate_id_is_blocking_identical_duplicate_is_a_warning(tmp_path):
    data = load(tmp_path, ["person_id,name,manager_id", "M1,Mia,", "R1,Ron,M1", "R1,Ron,M1"])
    assert not data.blocking
    [warning] = data.warnings
    assert warning.row == 4 and "identical" in warning.message
    data = load(tmp_path, ["person_id,name,manager_id", "M1,Mia,", "R1,Ron,M1", "R1,Rhonda,M1"])
    [issue] = data.blocking
    assert issue.row == 3 and issue.value == "R1" and "rows 3, 4" in issue.message and "name" in issue.message


def test_unknown_manager_and_manager_without_reps_are_warnings(tmp_path):
    data = load(tmp_path, ["person_id,name,manager_id,role", "M1,Mia,,manager", "M2,Max,,manager",
                           "R1,Ron,M1,rep", "R2,Rita,M9,rep"])
    assert not data.blocking
    by_row = {i.row: i for i in data.warnings}
    assert "added as an inferred person" in by_row[5].message and by_row[5].value == "M9"
    assert "nobody reports to them" in by_row[3].message
    people = data.tables["people"]
    assert people.loc["R2", "manager_id"] == "M9"          # the team stays together under M9
    assert people.loc["M9", "inferred"] and people.loc["M9", "role"] == "manager"
