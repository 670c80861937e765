"""The Executive Summary: key findings linked to their sheets, and a complete deliverable with only
people and sales."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from engagement_files import write_csv, write_engagement
from libreoffice import recalculate, requires_libreoffice

from workbook.analyses.summary import key_findings
from workbook.run.runner import run_engagement


def test_findings_say_what_data_they_need_when_tables_are_missing():
    readiness = pd.DataFrame({"manager_id": ["M1", "M2"], "manager_name": ["Mia", "Max"],
                              "team_size": [6, 4], "tier": ["ready", "not_ready"], "priority_rank": [2, 1],
                              "replacement_cost": [115000.0, 0.0], "attrition_exits": [1, 0],
                              "flags": ["", "attrition above organisation"]})
    findings = {f.topic: f for f in key_findings({"manager_readiness": readiness}, "USD", ("coaching",), 2, 3)}
    assert findings["Scale"].headline == "Train 2 front-line managers to reach 10 reps"
    assert findings["Readiness"].headline == "1 ready · 0 developing · 1 not ready"
    assert findings["Train first"].headline.startswith("Highest priority: Max (4 reps), Mia (6 reps)")
    assert findings["Coaching gap"].headline == "Not assessed — needs coaching"
    assert findings["Value of closing the gap"].headline == "Not assessed — needs coaching"
    assert findings["Cost of attrition"].headline == "$115,000"
    assert "1 team clearly above" in findings["Cost of attrition"].detail
    assert "needs compensation" in findings["Compensation"].detail
    assert findings["Data caveats"].headline == "Not provided: coaching; 2 data warnings; 3 rows excluded"


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
    assert "Train 3 front-line managers to reach 15 reps" in summary
    assert "Not assessed — needs coaching" in summary
    assert "Not assessed — needs coaching" in text("Coaching Gaps")
    readiness = text("Manager Readiness")
    assert "needs survey" in readiness and "needs training" in readiness


def _summary_texts(path) -> list[str]:
    wb = openpyxl.load_workbook(path, data_only=True)
    return [str(c) for row in wb["Executive Summary"].iter_rows(values_only=True) for c in row if c]


def test_the_compensation_sentence_is_computed_from_the_totals(demo_run):
    from workbook.analyses.budget_neutrality import Budget, sentence
    from workbook.pipeline.results import read_results

    results = read_results(demo_run.run_dir)
    comp, budget = results["compensation"], Budget.from_frame(results["compensation_budget"])
    current, proposed = comp["payout_current_plan"].sum(), comp["payout_proposed_plan"].sum()
    assert abs(proposed - current) <= 0.005 * current      # calibrated on the demo
    assert budget.current == pytest.approx(current) and budget.proposed == pytest.approx(proposed)
    text = sentence(budget, "USD")
    assert text.startswith("Budget neutral at today's measured performance")
    assert f"${current:,.0f}" in text
    assert text in _summary_texts(demo_run.deliverable)
    formula = [c for row in openpyxl.load_workbook(demo_run.deliverable)["Executive Summary"].iter_rows(
        values_only=True) for c in row if isinstance(c, str) and "payout_total_current" in c]
    assert len(formula) == 1 and formula[0].startswith("=IF(")


@requires_libreoffice
def test_the_compensation_sentence_stays_true_when_the_client_lowers_the_cap(demo_run, tmp_path):
    """Capping the payout curve at 100% after delivery moves the totals away from the standard
    solved at delivery: Excel's sentence must say so, with the recalculated totals, and that a re-run
    recalibrates; a re-run at that cap finds a standard of its own."""
    from workbook.analyses.budget_neutrality import Budget, sentence
    from workbook.analyses.compensation import budget_of, recommend
    from workbook.pipeline import analysis_of

    data = demo_run.data
    edited = openpyxl.load_workbook(demo_run.deliverable)
    sheet, cell = edited.defined_names["payout_at_cap"].attr_text.split("!")
    edited[sheet.strip("'")][cell.replace("$", "")].value = 1.0
    changed = tmp_path / "edited" / "changed.xlsx"
    changed.parent.mkdir()
    edited.save(changed)
    recalculated = recalculate(changed, tmp_path / "recalc")
    wb = openpyxl.load_workbook(recalculated, data_only=True)

    def named(name):
        sheet, cell = wb.defined_names[name].attr_text.split("!")
        return float(wb[sheet.strip("'")][cell.replace("$", "")].value)

    shown = Budget(named("payout_total_current"), named("payout_total_proposed"), 0.0,
                   named("team_development_standard"), named("payout_total_calibrated"))
    expected = sentence(shown, "USD")
    assert expected.startswith("Not budget neutral") and expected.endswith("re-run the engagement to recalibrate it.")
    assert expected in _summary_texts(recalculated)
    a = {**data.engagement.assumptions.as_dict(), "payout_at_cap": 1.0}
    chain = analysis_of(data)
    table, _, _ = recommend(data.tables["compensation"].reset_index(drop=True), chain.readiness,
                            chain.coaching, a)
    rerun = budget_of(table, a)
    assert rerun.standard != pytest.approx(shown.standard)
    assert "re-run" not in sentence(rerun, "USD")


def test_the_summary_tells_the_method_in_the_clients_numbers_and_lists_the_placeholders(demo_run):
    texts = " ".join(_summary_texts(demo_run.deliverable))
    for topic in ("Scale", "Readiness", "Train first", "Buy-in", "Coaching gap", "Value of closing the gap",
                  "Ownership", "Compensation", "Before sending"):
        assert topic in texts, topic
    assert "Train 12 front-line managers to reach" in texts
    assert "surveyed managers do not yet see the need for the change or want it" in texts
    assert "Core performers, the middle 60% where coaching pays most (CEB/SEC)" in texts
    for label in ("Share of the coaching gap closed", "Gross margin on additional revenue",
                  "Manager loaded cost per hour", "Reps' sales program cost per rep"):
        assert label in texts, label
