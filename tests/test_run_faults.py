"""Faults during a real run, as a consultant's machine meets them: the run killed at any moment, two
runs of one engagement at once, a disk that fills up. Whatever happens, `latest` points at a
complete deliverable, the next run works, and the console shows a sentence, not a traceback.

Each test starts `workbook run` as a separate process (the way a consultant runs it), so a kill is
a real SIGKILL of the process group: papermill's kernels die with it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

pytestmark = pytest.mark.slow

WORKBOOK = [sys.executable, "-m", "workbook.cli"]


def _run(engagement: Path, out: Path, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([*WORKBOOK, "run", str(engagement), "--out", str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True, **kwargs)


def _latest_is_complete(out: Path, engagement: str) -> Path:
    latest = out / engagement / "latest"
    assert latest.exists(), "latest is missing"
    run = latest.resolve()
    [xlsx] = list(run.glob("*.xlsx"))
    openpyxl.load_workbook(xlsx, read_only=True).close()     # a whole workbook, not a torn one
    assert (run / "manifest.json").is_file()
    return run


@pytest.fixture(scope="module")
def first_run(demo_engagement, tmp_path_factory):
    out = tmp_path_factory.mktemp("faults")
    proc = _run(demo_engagement, out)
    text, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0, text
    return demo_engagement, out, _latest_is_complete(out, "demo")


@pytest.mark.parametrize("after", [0.8, 2.5, 4.5, 6.5, 9.0])
def test_a_run_killed_at_any_moment_leaves_latest_on_a_complete_deliverable(first_run, after):
    engagement, out, _ = first_run
    before = _latest_is_complete(out, "demo")
    proc = _run(engagement, out)
    time.sleep(after)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    latest = _latest_is_complete(out, "demo")
    # moved only by a run that finished: a kill can land after it published and before it exited
    finished = json.loads((latest / "manifest.json").read_text(encoding="utf-8"))["status"] == "succeeded"
    assert latest == before or proc.returncode == 0 or finished
    again = _run(engagement, out)                          # the dead run's lock is taken over
    text, _ = again.communicate(timeout=600)
    assert again.returncode == 0, text
    assert "Traceback" not in text
    _latest_is_complete(out, "demo")


def test_two_runs_of_one_engagement_at_once(first_run):
    engagement, out, _ = first_run
    a = _run(engagement, out)
    time.sleep(0.3)
    b = _run(engagement, out)
    texts = [p.communicate(timeout=600)[0] for p in (a, b)]
    codes = sorted(p.returncode for p in (a, b))
    assert codes[0] == 0 and codes[1] != 0, texts
    refused = texts[[a, b].index(next(p for p in (a, b) if p.returncode != 0))]
    assert "Traceback" not in refused and "in progress" in refused.lower(), refused
    _latest_is_complete(out, "demo")


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("mount") is None,
                    reason="mounting a small tmpfs needs root (CI runs as root)")
def test_a_full_disk_is_a_sentence_and_latest_stays(first_run, tmp_path):
    engagement, _, _ = first_run
    disk = tmp_path / "small_disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(disk)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        proc = _run(engagement, disk)
        text, _ = proc.communicate(timeout=600)
        assert proc.returncode != 0
        assert "Traceback" not in text, text
        assert "No space left on device" in text or "disk" in text.lower(), text
        assert not (disk / "demo" / "latest").exists()
        manifests = list((disk / "demo").glob("*/manifest.json"))
        for manifest in manifests:
            assert '"running"' not in manifest.read_text(encoding="utf-8")
    finally:
        subprocess.run(["umount", str(disk)], check=False)
