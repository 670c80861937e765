"""The Executive Summary: key findings linked to their sheets, and a complete deliverable with only
people and sales."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from engagement_files import write_csv, write_engagement

from workbook.analyses.summary import key_findings
from workbook.run.runner import run_engagement


def test_findings_say_what_data_they_need_when_tables_are_missing():
    readiness = pd.DataFrame({"manager_id": ["M1", "M2"], "manager_name": ["Mia", "Max"],
                              "team_size": [6, 4], "tier": ["ready", "not_ready"], "priority_rank": [2, 1],
                              "replacement_cost": [115000.0, 0.0], "attrition_exits": [1, 0],
                              "flags": ["", "attrition above organisation"]})
    findings = {f.topic: f for f in key_findings({"manager_readiness": readiness}, "USD", ("coaching",), 2, 3)}
    assert findings["Managers assessed"].headline == "2 front-line managers, 10 reps"
    assert findings["Readiness"].headline == "1 ready · 0 developing · 1 not ready"
    assert findings["Train first"].headline.startswith("Max (4 reps), Mia (6 reps)")
    assert findings["Coaching gap"].headline == "Not assessed — needs coaching"
    assert findings["Value of closing the gap"].headline == "Not assessed — needs coaching"
    assert findings["Cost of attrition"].headline == "$115,000"
    assert "1 team(s) clearly above" in findings["Cost of attrition"].detail
    assert "needs compensation" in findings["Compensation"].detail
    assert findings["Data caveats"].headline == "Not provided: coaching; 2 data warning(s); 3 row(s) excluded"


@pytest.mark.slow
def test_people_and_sales_only_give_a_complete_deliverable(tmp_path):
    folder = tmp_path / "eng"
    rows = ["person_id,name,manager_id,hire_date,annual_quota", "L1,Lee Leader,,2015-01-01,"]
    deals = ["rep_id,date,amount,stage"]
    for m in range(1, 4):
        rows.append(f"M{m},Manager {m},L1,2018-01-01,")
        for r in range(1, 6):
            rep = f"R{m}{r}"
            rows.append(f"{rep},Rep {m}{r},M{m},2020-01-01,1200000")
            deals += [f"{rep},2026-0{month}-15,{40000 + 9000 * r + 5000 * m},Closed Won" for month in range(1, 9)]
    write_csv(folder / "roster.csv", rows)
    write_csv(folder / "deals.csv", deals)
    write_engagement(folder, {"people": "roster.csv", "sales": "deals.csv"}, as_of="2026-09-30")
    result = run_engagement(folder, tmp_path / "out")
    assert result.status == "succeeded", result.message
    book = openpyxl.load_workbook(result.deliverable)
    assert book.sheetnames[:3] == ["Cover", "Contents", "Executive Summary"]

    def text(sheet):
        return " ".join(str(c.value) for row in book[sheet].iter_rows() for c in row if c.value is not None)

    summary = text("Executive Summary")
    assert "3 front-line managers, 15 reps" in summary
    assert "Not assessed — needs coaching" in summary
    assert "Not assessed — needs coaching" in text("Coaching Gaps")
    readiness = text("Manager Readiness")
    assert "needs survey" in readiness and "needs training" in readiness


def test_the_summary_never_claims_neutrality_at_todays_performance(demo_run):
    import openpyxl
    import pandas as pd

    from workbook.pipeline.results import read_results

    comp = read_results(demo_run.run_dir)["compensation"]
    moved = pd.to_numeric(comp["payout_proposed_plan"]).sum() - pd.to_numeric(comp["payout_current_plan"]).sum()
    assert abs(moved) > 1          # on the demo the total payout does move at today's performance
    wb = openpyxl.load_workbook(demo_run.deliverable, read_only=True)
    text = " ".join(str(c) for row in wb["Executive Summary"].iter_rows(values_only=True) for c in row if c)
    assert "budget neutral at target" in text
    assert "neutral at current performance" not in text.lower()
