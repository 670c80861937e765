"""Shapes validation lets through must still give a deliverable: worded findings and "not assessed",
never a traceback (each runs the real notebooks through papermill)."""

from __future__ import annotations

import openpyxl
import pytest
from engagement_files import write_csv, write_engagement

from workbook.run.runner import run_engagement

pytestmark = pytest.mark.slow

ROSTER = "person_id,name,manager_id,hire_date,termination_date,termination_type"
DEALS = "rep_id,date,amount,stage"
COACHING = "manager_id,rep_id,date,duration_minutes"

SHAPES = {
    "a team of one": (
        [ROSTER, "M,Mo Manager,,2020-01-01,,", "R,Ron Rep,M,2021-01-01,,"],
        [DEALS, "R,2026-05-01,1000,won"], [COACHING, "M,R,2026-06-01,30"]),
    "every rep has left": (
        [ROSTER, "M,Mo Manager,,2020-01-01,,", "R,Ron Rep,M,2021-01-01,2026-02-01,voluntary",
         "S,Sue Rep,M,2021-01-01,2026-03-01,involuntary"],
        [DEALS, "R,2026-01-10,1000,won"], [COACHING, "M,R,2026-01-05,30"]),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_degenerate_shape_runs_to_a_deliverable(tmp_path, shape):
    roster, deals, coaching = SHAPES[shape]
    folder = tmp_path / "client"
    write_csv(folder / "roster.csv", roster)
    write_csv(folder / "deals.csv", deals)
    write_csv(folder / "coaching.csv", coaching)
    write_engagement(folder, {"people": "roster.csv", "sales": "deals.csv", "coaching": "coaching.csv"},
                     as_of="2026-09-30")
    result = run_engagement(folder, tmp_path / "out")
    failure = result.failure.summary() if result.failure else result.message
    assert result.status == "succeeded", failure
    wb = openpyxl.load_workbook(result.deliverable, read_only=True)
    summary = " ".join(str(c) for row in wb["Executive Summary"].iter_rows(values_only=True) for c in row if c)
    assert "Mo Manager" in " ".join(str(c) for row in wb["Manager Readiness"].iter_rows(values_only=True)
                                    for c in row if c)
    assert "nan" not in summary.lower().split() and "None" not in summary.split()


# a table provided with rows but none in the analysis window would show every team at zero: refused
OUT_OF_WINDOW = {
    "no sales in the window": (
        [DEALS, "R,2019-05-01,1000,won", "S,2019-06-01,500,lost"], [COACHING, "M,R,2026-06-01,30"],
        "deals.csv", "none of the 2 deals is dated in the analysis window (2025-10-01 to 2026-09-30)"),
    "no coaching in the window": (
        [DEALS, "R,2026-05-01,1000,won"], [COACHING, "M,R,2019-06-01,30"],
        "coaching.csv", "the file's one coaching session is not dated in the analysis window"),
}


@pytest.mark.parametrize("shape", OUT_OF_WINDOW)
def test_a_table_with_nothing_in_the_window_blocks_the_run(tmp_path, shape):
    deals, coaching, file, message = OUT_OF_WINDOW[shape]
    folder = tmp_path / "client"
    write_csv(folder / "roster.csv", [ROSTER, "M,Mo Manager,,2020-01-01,,", "R,Ron Rep,M,2021-01-01,,",
                                      "S,Sue Rep,M,2021-01-01,,"])
    write_csv(folder / "deals.csv", deals)
    write_csv(folder / "coaching.csv", coaching)
    write_engagement(folder, {"people": "roster.csv", "sales": "deals.csv", "coaching": "coaching.csv"},
                     as_of="2026-09-30")
    result = run_engagement(folder, tmp_path / "out")
    assert result.status == "blocked"
    issue = result.data.blocking[0]
    assert issue.file == file and message in issue.message and "set as_of" in issue.message.lower()
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.xlsx"))
