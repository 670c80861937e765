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
    "no sales in the window": (
        [ROSTER, "M,Mo Manager,,2020-01-01,,", "R,Ron Rep,M,2021-01-01,,", "S,Sue Rep,M,2021-01-01,,"],
        [DEALS, "R,2019-05-01,1000,won", "S,2019-06-01,500,lost"], [COACHING, "M,R,2026-06-01,30"]),
    "no coaching in the window": (
        [ROSTER, "M,Mo Manager,,2020-01-01,,", "R,Ron Rep,M,2021-01-01,,", "S,Sue Rep,M,2021-01-01,,"],
        [DEALS, "R,2026-05-01,1000,won"], [COACHING, "M,R,2019-06-01,30"]),
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
