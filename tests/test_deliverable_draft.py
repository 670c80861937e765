"""The workbook written beside the notebooks: results waited for as they are saved, a draft that
becomes the deliverable only when every notebook has succeeded, and the same workbook as one written
after them."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from workbook.pipeline.results import ResultsCancelled, RunResults, save_result
from workbook.run.deliverable_build import DeliverableDraft, build_deliverable
from workbook.run.manifest import Manifest


def _reader(results: RunResults, name: str) -> tuple[threading.Thread, dict]:
    got: dict = {}

    def read() -> None:
        try:
            got["value"] = results.get(name)
        except ResultsCancelled as exc:
            got["cancelled"] = exc

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread, got


def test_a_table_not_saved_yet_is_waited_for_until_a_notebook_finishes(tmp_path):
    results = RunResults(tmp_path, pending=True)
    thread, got = _reader(results, "manager_readiness")
    thread.join(0.3)
    assert thread.is_alive() and not got                       # nothing saved, the run goes on: it waits
    save_result("manager_readiness", pd.DataFrame({"manager_id": ["M1"], "manager_name": ["Mia"],
                                                   "team_size": [3], "readiness_score": [61.0],
                                                   "tier": ["Developing"], "barrier_point": [""],
                                                   "priority_rank": [1]}), tmp_path)
    results.notebook_finished()
    thread.join(10)
    assert not thread.is_alive()
    assert got["value"]["manager_name"].tolist() == ["Mia"]


def test_a_table_no_notebook_saved_is_missing_only_once_all_have_finished(tmp_path):
    results = RunResults(tmp_path, pending=True)
    thread, got = _reader(results, "compensation")
    results.notebook_finished()                                  # a notebook that did not save it
    thread.join(0.3)
    assert thread.is_alive()
    results.all_finished()
    thread.join(10)
    assert got == {"value": None}
    assert "compensation" not in results


def test_a_run_that_stops_releases_the_waiting_workbook(tmp_path):
    results = RunResults(tmp_path, pending=True)
    thread, got = _reader(results, "coaching_gaps")
    results.cancel()
    thread.join(10)
    assert isinstance(got["cancelled"], ResultsCancelled)


def test_a_table_saved_again_after_it_was_read_makes_the_results_stale(tmp_path):
    save_result("ownership", pd.DataFrame({"finding": ["a"]}), tmp_path)
    results = RunResults(tmp_path)
    assert results["ownership"]["finding"].tolist() == ["a"]
    assert results.stale() == []
    save_result("ownership", pd.DataFrame({"finding": ["a different finding"]}), tmp_path)
    assert results.stale() == ["ownership"]


def test_a_derived_table_is_computed_from_every_result_once_the_notebooks_are_done(tmp_path):
    results = RunResults(tmp_path, pending=True)
    results.derive("changes", lambda current: pd.DataFrame({"seen": [sorted(current)]}))
    thread, got = _reader(results, "changes")
    save_result("ownership", pd.DataFrame({"finding": ["a"]}), tmp_path)
    results.notebook_finished()
    thread.join(0.3)
    assert thread.is_alive()                                     # derived from all: waits for the end
    results.all_finished()
    thread.join(10)
    assert got["value"]["seen"][0] == ["changes", "ownership"]


def _cells(path: Path) -> dict:
    book = openpyxl.load_workbook(path)
    cells = {"sheets": book.sheetnames, "names": sorted((n, d.attr_text) for n, d in book.defined_names.items())}
    for ws in book.worksheets:
        cells[ws.title] = ({c.coordinate: (c.value, c.number_format) for row in ws.iter_rows() for c in row
                            if c.value is not None}, sorted(ws.tables), ws.freeze_panes, len(ws._charts))
    return cells


def _manifest(run_dir: Path) -> Manifest:
    record = Manifest.read(run_dir / "manifest.json")
    return Manifest(**{k: v for k, v in record.items() if k in Manifest.__dataclass_fields__})


@pytest.mark.slow
def test_the_workbook_written_beside_the_notebooks_equals_one_written_after_them(demo_run, tmp_path):
    after = build_deliverable(demo_run.data, demo_run.run_dir, demo_run.run_dir.name,
                              _manifest(demo_run.run_dir), into=tmp_path / "after.xlsx")
    beside, afterwards = _cells(demo_run.deliverable), _cells(after)
    assert beside["sheets"] == afterwards["sheets"]
    for key in beside:
        assert beside[key] == afterwards[key], key
    assert not list(demo_run.run_dir.glob(".*.xlsx"))          # no draft or temporary file left


@pytest.mark.slow
def test_a_result_saved_again_after_the_draft_read_it_is_what_the_deliverable_shows(demo_run, tmp_path):
    run_dir = tmp_path / demo_run.run_dir.name
    shutil.copytree(demo_run.run_dir, run_dir, ignore=shutil.ignore_patterns("*.xlsx", "notebooks"))
    draft = DeliverableDraft(demo_run.data, run_dir, run_dir.name, _manifest(run_dir))
    hidden = run_dir / f".{demo_run.deliverable.stem}.draft.xlsx"
    deadline = time.monotonic() + 300
    while not hidden.exists() and time.monotonic() < deadline:  # every result is there: the draft is written
        time.sleep(0.1)
    assert hidden.exists()
    readiness = pd.read_csv(run_dir / "results" / "manager_readiness.csv", dtype={"manager_id": "string"})
    readiness.loc[0, "manager_name"] = "Renamed By A Later Notebook"
    save_result("manager_readiness", readiness, run_dir)
    deliverable = draft.finish()
    assert deliverable == run_dir / demo_run.deliverable.name and not hidden.exists()
    shown = [c.value for row in openpyxl.load_workbook(deliverable)["Manager Readiness"].iter_rows()
             for c in row]
    assert "Renamed By A Later Notebook" in shown


@pytest.mark.slow
def test_a_cancelled_draft_leaves_no_file(demo_run, tmp_path):
    run_dir = tmp_path / "run"
    (run_dir / "results").mkdir(parents=True)
    draft = DeliverableDraft(demo_run.data, run_dir, "run", _manifest(demo_run.run_dir))
    draft.notebook_finished()
    draft.cancel()
    assert list(run_dir.iterdir()) == [run_dir / "results"]
