"""Batch re-runs: isolation, incremental skips, per-engagement locks, Dask, and Changes Since Last Run."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from engagement_files import write_csv, write_engagement

from workbook.cli import main
from workbook.run.batch import run_batch
from workbook.run.runner import run_engagement

pytestmark = pytest.mark.slow


def small_engagement(folder: Path, name: str, rows: list[str] | None = None) -> Path:
    roster = rows or ["person_id,name,manager_id,hire_date,annual_quota", "L1,Lee Leader,,2015-01-01,",
                      "M1,Mia Manager,L1,2018-01-01,", "M2,Max Manager,L1,2018-01-01,"] + \
        [f"R{i},Rep {i},M{1 + i % 2},2020-01-01,1000000" for i in range(1, 9)]
    write_csv(folder / "roster.csv", roster)
    write_csv(folder / "deals.csv", ["rep_id,date,amount,stage"] +
              [f"R{i},2026-0{m}-10,{30000 + 7000 * i},Won" for i in range(1, 9) for m in range(1, 9)])
    return write_engagement(folder, {"people": "roster.csv", "sales": "deals.csv"}, engagement=name,
                            as_of="2026-09-30")


def test_one_failing_engagement_leaves_the_others_delivered_and_exit_1(tmp_path, capsys):
    root = tmp_path / "engagements"
    small_engagement(root / "alpha", "alpha")
    small_engagement(root / "gamma", "gamma")
    broken = small_engagement(root / "beta", "beta", ["person_id,name,manager_id", "A,Ann,B", "B,Bob,A"])
    assert broken.exists()
    out = tmp_path / "out"
    code = main(["batch", str(root), "--out", str(out), "--jobs", "2"])
    text = capsys.readouterr().out
    assert code == 1
    assert (out / "alpha" / "LATEST").exists() and (out / "gamma" / "LATEST").exists()
    assert not (out / "beta").exists()
    summary = {line.split()[0]: line.split()[1] for line in text.splitlines()
               if line.split()[:1] in (["alpha"], ["beta"], ["gamma"]) and len(line.split()) > 2
               and line.split()[1] in ("ran", "failed", "skipped")}
    assert summary == {"alpha": "ran", "beta": "failed", "gamma": "ran"}
    assert "blocking data issue" in text
    assert "2 ran, 0 skipped, 1 failed" in text


def test_unchanged_engagement_is_skipped_and_a_touched_input_reruns_it(tmp_path):
    folder = small_engagement(tmp_path / "alpha", "alpha")
    out = tmp_path / "out"
    [first] = run_batch([folder], out, jobs=1)
    assert first.status == "ran", first.error
    started = time.perf_counter()
    [again] = run_batch([folder], out, jobs=1)
    assert again.status == "skipped" and time.perf_counter() - started < 5
    assert again.deliverable == first.deliverable
    with (folder / "deals.csv").open("a") as fh:
        fh.write("R1,2026-09-01,5000,Won\n")
    [third] = run_batch([folder], out, jobs=1)
    assert third.status == "ran" and third.deliverable != first.deliverable
    [forced] = run_batch([folder], out, jobs=1, force=True)
    assert forced.status == "ran"


def test_a_second_run_of_the_same_engagement_is_refused_cleanly(tmp_path, capsys):
    folder = small_engagement(tmp_path / "alpha", "alpha")
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c",
                               "import sys, time; from pathlib import Path; "
                               "from workbook.run.locking import EngagementLock; "
                               "lock = EngagementLock(Path(sys.argv[1]), 'alpha').acquire(); "
                               "print('locked', flush=True); time.sleep(60)", str(out / "alpha")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = run_engagement(folder, out)
        assert result.status == "locked"
        assert f"pid {holder.pid}" in result.message and "in progress" in result.message
        assert main(["run", str(folder), "--out", str(out)]) == 1
        assert "another run of 'alpha' is in progress" in capsys.readouterr().err
        assert [p.name for p in (out / "alpha").iterdir()] == [".run.lock"]   # nothing else written
    finally:
        holder.kill()
        holder.wait()
    assert run_engagement(folder, out).status == "succeeded"   # a dead holder's lock is taken over


def test_dask_cluster_delivers_the_same_results_as_the_local_pool(tmp_path):
    distributed = pytest.importorskip("distributed")
    folder = small_engagement(tmp_path / "alpha", "alpha")
    [local] = run_batch([folder], tmp_path / "local", jobs=1)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        [remote] = run_batch([folder], tmp_path / "dask", scheduler=cluster.scheduler_address)
    assert (local.status, remote.status) == ("ran", "ran"), remote.error
    for name in ("manager_readiness", "training_plan", "data_issues"):
        a = pd.read_csv(Path(local.deliverable).parent / "results" / f"{name}.csv")
        b = pd.read_csv(Path(remote.deliverable).parent / "results" / f"{name}.csv")
        pd.testing.assert_frame_equal(a, b)


def test_changes_sheet_reports_a_manager_moved_between_teams(demo_engagement, tmp_path):
    from workbook import demo

    folder = tmp_path / "demo"
    shutil.copytree(demo_engagement, folder)
    out = tmp_path / "out"
    first = run_engagement(folder, out)
    assert first.status == "succeeded"
    assert "Changes Since Last Run" not in openpyxl.load_workbook(first.deliverable).sheetnames
    readiness = pd.read_csv(first.run_dir / "results" / "manager_readiness.csv", dtype=str)
    moved = readiness[readiness["manager_id"] == demo.PLANTED_STRONG_COACH_ID].iloc[0]
    new_leader = sorted(set(readiness["leader_id"]) - {moved["leader_id"]})[0]
    roster = folder / demo.FILES["people"]
    book = openpyxl.load_workbook(roster)
    ws = book.active
    header = [c.value for c in ws[4]]
    id_col, manager_col = header.index("Employee ID") + 1, header.index("Manager ID") + 1
    for row in range(5, ws.max_row + 1):
        if str(ws.cell(row, id_col).value).strip().upper() == moved["manager_id"]:
            ws.cell(row, manager_col).value = new_leader
    book.save(roster)
    second = run_engagement(folder, out)
    assert second.status == "succeeded"
    changes = pd.read_csv(second.run_dir / "results" / "changes.csv", dtype=str)
    row = changes[(changes["change"] == "moved to another leader") & (changes["person_id"] == moved["manager_id"])]
    assert len(row) == 1
    assert (row["before"].iloc[0], row["after"].iloc[0]) == (moved["leader_id"], new_leader)
    sheet = openpyxl.load_workbook(second.deliverable)["Changes Since Last Run"]
    cells = [[c.value for c in r] for r in sheet.iter_rows()]
    assert any(r[0] == "Moved to another leader" and r[2] == moved["manager_id"] and r[5] == new_leader
               for r in cells if r and len(r) > 5)


def test_the_fork_server_preload_imports_and_builds_the_exporters():
    """The batch's fork server imports workbook.run.batch_preload (a failing preload is silently
    skipped by multiprocessing, so it is imported here): the exporters are then built once."""
    import importlib

    import workbook.run.notebooks as notebooks

    importlib.import_module("workbook.run.batch_preload")
    assert notebooks._EXPORTERS is not None
