"""Values that load but look wrong become warnings naming the file, the rows and what to check."""

from __future__ import annotations

from engagement_files import write_csv, write_engagement

from workbook import pipeline

ROSTER = [
    "person_id,name,manager_id,title,hire_date,termination_date,termination_type,annual_quota",
    "L1,Lee Leader,,VP Sales,2015-01-05,,,",
    "M1,Mia Manager,L1,Sales Manager,2018-03-01,,,",
    "M2,Max Manager,L1,Sales Manager,2019-06-01,,,",
    "M3,Meg Manager,L1,Sales Manager,2019-06-01,,,",
    "R1,Ron Rep,M1,Account Executive,2020-01-06,,,1200000",
    "R2,Ron Rep,M1,Account Executive,2021-02-01,,,1200000",
    "R3,=HYPERLINK(\"http://x\"),M2,Account Executive,2022-05-02,,,1000000",
    "R4,Rosa Rep,M2,Technical Recruiter,2022-05-02,,,1000000",
    "M3R,Old Rep,M3,Account Executive,2020-01-06,2026-01-31,Resigned,1000000",
]


def _warnings(tmp_path):
    folder = tmp_path / "client"
    write_csv(folder / "roster.csv", ROSTER)
    write_csv(folder / "sales.csv", ["rep_id,date,amount", "R1,2026-03-01,300000", "R2,2026-05-01,200000",
                                     "R3,2026-06-01,150000"])
    write_engagement(folder, {"people": "roster.csv", "sales": "sales.csv"}, as_of="2026-09-30")
    data = pipeline.load(folder)
    return [i for i in data.issues if i.severity == "warning" and i.table == "people"]


def test_formula_like_names_are_flagged_with_their_row(tmp_path):
    hits = [i for i in _warnings(tmp_path) if "looks like a spreadsheet formula" in i.message]
    assert [(i.row, i.column) for i in hits] == [(8, "name")]
    assert hits[0].value.startswith("=HYPERLINK")


def test_duplicate_names_non_sales_titles_and_reps_without_deals(tmp_path):
    warnings = {i.message.split(":")[0]: i for i in _warnings(tmp_path)}
    messages = " | ".join(warnings)
    assert "2 people in post share this name (ids R1, R2, rows 6, 7)" in messages
    assert "1 of 4 people counted as reps have titles that are not sales roles (Technical Recruiter), rows 9" \
        in messages
    assert not any("no reps in post" in m for m in warnings)   # org.py already says nobody reports to M3
    assert "1 of 4 reps in post have no deal in the sales data over the analysis window (ids R4)" in messages


def test_a_manager_left_without_reports_is_named_not_silently_a_rep(tmp_path):
    from engagement_files import write_csv, write_engagement

    from workbook.intake.load import load_engagement_data

    folder = tmp_path / "client"
    write_csv(folder / "roster.csv", [
        "person_id,name,manager_id,hire_date,title",
        "M,Mo Boss,,2020-01-01,Regional Director",
        "N,Ned Lead,M,2020-01-01,Sales Manager",
        "R,Ron Rep,N,2020-01-01,Account Executive",
        "Q,Quinn Solo,M,2020-01-01,Sales Manager",      # row 5: every rep of theirs has gone
    ])
    write_engagement(folder, {"people": "roster.csv"}, as_of="2026-09-30")
    issues = [i for i in load_engagement_data(folder).warnings if "manager title" in i.message]
    assert len(issues) == 1
    assert issues[0].row == 5 and issues[0].column == "title" and "(ids Q, rows 5)" in issues[0].message
    assert issues[0].message.startswith("1 person with a manager title has nobody reporting to them")
