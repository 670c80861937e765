"""run.snapshot: the loaded data is reused while engagement.yaml, the scenario and the inputs are
unchanged on disk, and read again (recall returns None) after any of them changes."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from engagement_files import engagement_with_scenario, roster, write_engagement

from workbook.engagement.config import load_engagement
from workbook.run import snapshot
from workbook.run.snapshot import (
    SNAPSHOT,
    data_key,
    recall,
    remember,
    remove_snapshot,
    write_snapshot,
)

SALES = ["Opportunity ID,Owner,Close Date,Amount,Stage", "O1,Ron Rep,2026-03-15,\"$1,200\",Won"]


@pytest.fixture(autouse=True)
def _no_memory():
    snapshot.forget()
    yield
    snapshot.forget()


@pytest.fixture
def folder(tmp_path) -> Path:
    """A minimal engagement: a roster, a deals export and a scenario file."""
    return engagement_with_scenario(tmp_path / "acme")


def loaded(folder: Path, marker: str = "acme data") -> SimpleNamespace:
    """Stands in for EngagementData: recall only needs `.engagement` and a picklable object."""
    return SimpleNamespace(engagement=load_engagement(folder), marker=marker)


def _edit_config(folder: Path) -> None:
    with (folder / "engagement.yaml").open("a", encoding="utf-8") as fh:
        fh.write("# interview notes added\n")


def _edit_scenario(folder: Path) -> None:
    (folder / "scenarios" / "base.yaml").write_text("assumptions:\n  ramp_months: 9\n", encoding="utf-8")


def _grow_input(folder: Path) -> None:
    with (folder / "deals.csv").open("a", encoding="utf-8") as fh:
        fh.write("O2,Rita Rep,2026-03-16,500,Lost\n")


def _touch_input(folder: Path) -> None:
    """Same bytes, later modification time (the client re-exported an identical file)."""
    path = folder / "roster.csv"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))


def _same_size_new_bytes(folder: Path) -> None:
    path = folder / "deals.csv"
    stat = path.stat()
    path.write_bytes(path.read_bytes().replace(b"O1", b"O9"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))


def _delete_input(folder: Path) -> None:
    (folder / "deals.csv").unlink()


CHANGES = [
    pytest.param(_edit_config, id="engagement.yaml edited"),
    pytest.param(_edit_scenario, id="scenario edited"),
    pytest.param(_grow_input, id="input size changed"),
    pytest.param(_touch_input, id="input mtime changed"),
    pytest.param(_same_size_new_bytes, id="input rewritten same size"),
    pytest.param(_delete_input, id="input deleted"),
]


def test_write_then_recall_from_the_run_folder(folder, tmp_path):
    run_dir = tmp_path / "run"
    path = write_snapshot(loaded(folder), run_dir)
    assert path == run_dir / SNAPSHOT and path.is_file()
    assert not path.with_suffix(".tmp").exists()
    with path.open("rb") as fh:
        key, stored = pickle.load(fh)
    assert key == data_key(load_engagement(folder)) and stored.marker == "acme data"

    got = recall(load_engagement(folder), run_dir)        # memory is empty: read from disk
    assert got is not None and got.marker == "acme data"
    assert recall(load_engagement(folder), None) is got  # and now kept in memory


def test_real_engagement_data_round_trip(tmp_path):
    from workbook.demo import generate_demo
    from workbook.intake.load import load_engagement_data

    data = load_engagement_data(generate_demo(tmp_path / "demo"))
    write_snapshot(data, tmp_path / "run")
    got = recall(load_engagement(tmp_path / "demo"), tmp_path / "run")
    assert got is not None and got.engagement == data.engagement
    assert sorted(got.tables) == sorted(data.tables)
    pd.testing.assert_frame_equal(got.tables["people"], data.tables["people"])
    assert got.inputs == data.inputs


@pytest.mark.parametrize("output_dir", [None, "", "no-such-run"])
def test_nothing_to_recall(folder, tmp_path, output_dir):
    where = tmp_path / output_dir if output_dir else output_dir
    assert recall(load_engagement(folder), where) is None


def test_key_is_stable_while_nothing_changes(folder):
    assert data_key(load_engagement(folder)) == data_key(load_engagement(folder))
    assert len(data_key(load_engagement(folder))) == 64


@pytest.mark.parametrize("change", CHANGES)
def test_change_invalidates_the_snapshot_on_disk(folder, tmp_path, change):
    write_snapshot(loaded(folder), tmp_path / "run")
    before = data_key(load_engagement(folder))
    change(folder)
    engagement = load_engagement(folder)
    assert data_key(engagement) != before
    assert recall(engagement, tmp_path / "run") is None


@pytest.mark.parametrize("change", CHANGES)
def test_change_invalidates_the_copy_in_memory(folder, change):
    remember(loaded(folder))
    assert recall(load_engagement(folder), None).marker == "acme data"
    change(folder)
    assert recall(load_engagement(folder), None) is None


def test_a_copied_engagement_folder_does_not_reuse_the_snapshot(folder, tmp_path):
    import shutil

    write_snapshot(loaded(folder), tmp_path / "run")
    copy = shutil.copytree(folder, tmp_path / "acme-copy")
    assert recall(load_engagement(copy), tmp_path / "run") is None
    assert recall(load_engagement(folder), tmp_path / "run") is not None


def test_memory_holds_one_engagement_only(folder, tmp_path):
    other = write_engagement(tmp_path / "globex", {"people": "roster.csv"}, client="Globex")
    roster(other)
    remember(loaded(folder, "acme"))
    remember(loaded(other, "globex"))
    assert recall(load_engagement(folder), None) is None
    assert recall(load_engagement(other), None).marker == "globex"


def test_forget_drops_memory_but_not_the_file(folder, tmp_path):
    write_snapshot(loaded(folder), tmp_path / "run")
    remember(loaded(folder, "in memory"))
    snapshot.forget()
    assert recall(load_engagement(folder), None) is None
    assert recall(load_engagement(folder), tmp_path / "run").marker == "acme data"


def test_remove_snapshot(folder, tmp_path):
    run_dir = tmp_path / "run"
    path = write_snapshot(loaded(folder), run_dir)
    remove_snapshot(run_dir)
    assert not path.exists() and not path.parent.exists() and run_dir.is_dir()
    assert recall(load_engagement(folder), run_dir) is None
    remove_snapshot(run_dir)                      # a second removal is harmless
    remove_snapshot(tmp_path / "never-written")


def test_remove_snapshot_keeps_a_folder_with_other_files(folder, tmp_path):
    run_dir = tmp_path / "run"
    path = write_snapshot(loaded(folder), run_dir)
    (path.parent / "keep.txt").write_text("x")
    remove_snapshot(run_dir)
    assert not path.exists() and (path.parent / "keep.txt").is_file()
