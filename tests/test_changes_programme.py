"""Changes Since Last Run, the programme view: who completed the manager programme since the previous
run, with coaching before and after; a previous run that did not record completions lists nobody
(or, when its as-of date is known, only completions dated after it)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import openpyxl
import pandas as pd
import pytest

from workbook.analyses.changes import COMPLETED, NOT_ENOUGH_MONTHS, changes_since, programme_basis
from workbook.deliverable import write_deliverable
from workbook.deliverable.registry import SheetSpec
from workbook.deliverable.sheets import changes as changes_sheet
from workbook.pipeline.results import read_results, save_result
from workbook.run.deliverable_build import recorded_as_of

SPECS = [SheetSpec(changes_sheet.TITLE, "What moved.", changes_sheet.build)]


def events(statuses: dict[str, tuple[str, str | None]]) -> pd.DataFrame:
    """impact_events: person_id -> (status, completed_date); M* are managers, R1 a rep."""
    rows = [{"person_id": pid, "name": f"Manager {pid}" if pid.startswith("M") else "Rita Rep",
             "role": "manager" if pid.startswith("M") else "rep", "manager_id": None if pid.startswith("M") else "M1",
             "completed_date": pd.Timestamp(date) if date else pd.NaT, "status": status,
             "planned_start": pd.NaT if status != "planned" else pd.Timestamp("2026-10-01")}
            for pid, (status, date) in statuses.items()]
    return pd.DataFrame(rows)


PREVIOUS = {"impact_events": events({"M1": ("planned", None), "M2": ("completed", "2026-02-10"),
                                     "M4": ("planned", None), "R1": ("not started", None)})}
CURRENT = {
    "impact_events": events({"M1": ("completed", "2026-07-15"), "M2": ("completed", "2026-02-10"),
                             "M3": ("completed", "2026-08-20"), "M4": ("planned", None),
                             "R1": ("completed", "2026-08-01")}),
    "impact_by_manager": pd.DataFrame({
        "manager_id": ["M1", "M2", "M3"], "manager_name": ["Manager M1", "Manager M2", "Manager M3"],
        "completed_date": pd.to_datetime(["2026-07-15", "2026-02-10", "2026-08-20"]),
        "months_each_side": [2, 5, 0], "hours_per_rep_before": [1.25, 2.0, float("nan")],
        "hours_per_rep_after": [2.5, 3.0, float("nan")], "core_attainment_before": [0.9, 0.95, float("nan")],
        "core_attainment_after": [1.0, 1.05, float("nan")]}),
}


def completions(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["change"] == COMPLETED].set_index("person_id")


def test_managers_completed_now_and_not_before_are_listed_with_coaching_before_and_after():
    got = completions(changes_since(PREVIOUS, CURRENT))
    assert sorted(got.index) == ["M1", "M3"]          # M2 completed already; M4 planned; R1 is a rep
    m1, m3 = got.loc["M1"], got.loc["M3"]
    assert (m1["before"], m1["after"], m1["better"]) == ("planned", "completed", True)
    assert m3["before"] == "not in the previous run"
    assert m1["completed_date"] == dt.date(2026, 7, 15) and m3["completed_date"] == dt.date(2026, 8, 20)
    assert (m1["months_each_side"], m1["hours_per_rep_before"], m1["hours_per_rep_after"]) == (2, 1.25, 2.5)
    assert pd.isna(m1["note"])
    assert m3["months_each_side"] == 0 and pd.isna(m3["hours_per_rep_before"]) \
        and pd.isna(m3["hours_per_rep_after"]) and m3["note"] == NOT_ENOUGH_MONTHS
    assert "was not in the previous run's" in programme_basis(PREVIOUS, CURRENT)


def test_a_previous_run_without_completions_lists_nobody():
    old = {"manager_readiness": pd.DataFrame()}     # a run from before impact_events.csv existed
    assert completions(changes_since(old, CURRENT)).empty
    basis = programme_basis(old, CURRENT)
    assert "previous run did not record programme completions" in basis and "none are listed" in basis


def test_with_the_previous_as_of_only_later_completions_are_listed():
    got = completions(changes_since({}, CURRENT, dt.date(2026, 7, 31)))
    assert list(got.index) == ["M3"]
    assert got.at["M3", "before"] == "not recorded (previous run as of 2026-07-31)"
    assert "dated after its as-of date, 2026-07-31" in programme_basis({}, CURRENT, dt.date(2026, 7, 31))


def test_the_changes_read_back_from_csv_give_the_same_completions(tmp_path):
    """The run compares CSVs as read back (ids as text, dates parsed)."""
    for folder, tables in (("previous", PREVIOUS), ("current", CURRENT)):
        for name, frame in tables.items():
            save_result(name, frame, tmp_path / folder)
    got = completions(changes_since(read_results(tmp_path / "previous"), read_results(tmp_path / "current")))
    assert sorted(got.index) == ["M1", "M3"]
    assert got.at["M1", "hours_per_rep_after"] == 2.5


def test_the_previous_as_of_is_read_from_its_manifest(tmp_path):
    assert recorded_as_of(tmp_path) is None                              # no manifest
    (tmp_path / "manifest.json").write_text(json.dumps({"run_id": "x"}), encoding="utf-8")
    assert recorded_as_of(tmp_path) is None                              # a run from before as_of was kept
    (tmp_path / "manifest.json").write_text(json.dumps({"as_of": "2026-06-30"}), encoding="utf-8")
    assert recorded_as_of(tmp_path) == dt.date(2026, 6, 30)


def _sheet(tmp_path, deliverable_context, previous, current, previous_as_of=None):
    results = {**current, "changes": changes_since(previous, current, previous_as_of)}
    ctx = dataclasses.replace(deliverable_context, results=results, previous=previous,
                              previous_as_of=previous_as_of)
    return openpyxl.load_workbook(write_deliverable(tmp_path / "out.xlsx", ctx, sheets=SPECS))[
        changes_sheet.TITLE]


def _cells(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def _programme_table(ws) -> list[dict]:
    rows = _cells(ws)
    start = next(i for i, r in enumerate(rows) if r[0] == changes_sheet.PROGRAMME_HEADING)
    header_at = next(i for i in range(start, len(rows)) if rows[i][0] == "Manager")
    header = [h for h in rows[header_at] if h is not None]
    out = []
    for r in rows[header_at + 1:]:
        if r[0] is None:
            break
        out.append(dict(zip(header, r[:len(header)], strict=True)))
    return out


def test_the_sheet_lists_the_completions_with_their_coaching(tmp_path, deliverable_context):
    ws = _sheet(tmp_path, deliverable_context, PREVIOUS, CURRENT)
    table = _programme_table(ws)
    assert [r["Manager"] for r in table] == ["Manager M1", "Manager M3"]
    m1, m3 = table
    assert m1["Id"] == "M1" and m1["Completed"] == dt.datetime(2026, 7, 15)
    assert (m1["Coaching hours per rep, before"], m1["Coaching hours per rep, after"]) == (1.25, 2.5)
    assert m1["Months before and after"] == 2 and m1["Note"] in (None, "")
    assert m3["Coaching hours per rep, before"] is None and m3["Coaching hours per rep, after"] is None
    assert m3["Note"] == NOT_ENOUGH_MONTHS
    # the completions are also changes in the main table, green (better)
    whats = [r[0] for r in _cells(ws)]
    assert whats.count(COMPLETED.capitalize()) == 2
    text = " ".join(str(v) for r in _cells(ws) for v in r if isinstance(v, str))
    assert "2 completed the manager programme" in text


def test_the_sheet_says_when_the_previous_run_did_not_record_completions(tmp_path, deliverable_context):
    ws = _sheet(tmp_path, deliverable_context, {"manager_readiness": pd.DataFrame()}, CURRENT)
    text = " ".join(str(v) for r in _cells(ws) for v in r if isinstance(v, str))
    assert changes_sheet.PROGRAMME_HEADING in text
    assert "previous run did not record programme completions" in text
    assert COMPLETED.capitalize() not in [r[0] for r in _cells(ws)]
    with pytest.raises(StopIteration):
        _programme_table(ws)


def test_the_sheet_says_when_nobody_completed(tmp_path, deliverable_context):
    ws = _sheet(tmp_path, deliverable_context, CURRENT, CURRENT)
    text = " ".join(str(v) for r in _cells(ws) for v in r if isinstance(v, str))
    assert "Nothing changed" in text
    assert "No front-line manager completed the manager programme since the previous run." in text


def test_the_sheet_uses_the_previous_as_of_when_known(tmp_path, deliverable_context):
    ws = _sheet(tmp_path, deliverable_context, {}, CURRENT, dt.date(2026, 7, 31))
    assert [r["Manager"] for r in _programme_table(ws)] == ["Manager M3"]
