"""run.fingerprint: what decides that a batch may skip an engagement. The same config, inputs,
notebooks and toolkit give the same fingerprint; a change to any of them gives a new one."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from engagement_files import engagement_with_scenario, write_csv

from workbook.engagement.config import load_engagement
from workbook.run import fingerprint
from workbook.run.fingerprint import engagement_fingerprint, file_sha256

SALES = ["Opportunity ID,Owner,Close Date,Amount,Stage", "O1,Ron Rep,2026-03-15,\"$1,200\",Won"]


@pytest.fixture
def notebooks(tmp_path, monkeypatch) -> Path:
    """A private notebooks folder (WORKBOOK_NOTEBOOKS), so tests can edit the notebooks."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name in ("01_data_quality.ipynb", "02_manager_readiness.ipynb", "what_if_explorer.ipynb"):
        (folder / name).write_text(json.dumps({"cells": [], "name": name}), encoding="utf-8")
    monkeypatch.setenv("WORKBOOK_NOTEBOOKS", str(folder))
    return folder


@pytest.fixture
def folder(tmp_path, notebooks) -> Path:
    """A minimal engagement: a roster, a deals export and a scenario file."""
    return engagement_with_scenario(tmp_path / "acme")


def fp(folder: Path) -> str:
    return engagement_fingerprint(load_engagement(folder))


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write(text)


CHANGES = {
    "engagement.yaml comment": lambda f, nb: _append(f / "engagement.yaml", "# note\n"),
    "scenario value": lambda f, nb: (f / "scenarios" / "base.yaml").write_text(
        "assumptions:\n  ramp_months: 9\n", encoding="utf-8"),
    "input row added": lambda f, nb: _append(f / "deals.csv", "O2,Rita Rep,2026-03-16,500,Lost\n"),
    "input bytes, same size": lambda f, nb: (f / "roster.csv").write_bytes(
        (f / "roster.csv").read_bytes().replace(b"Ron Rep", b"Ron Rop")),
    "input deleted": lambda f, nb: (f / "deals.csv").unlink(),
    "notebook edited": lambda f, nb: _append(nb / "02_manager_readiness.ipynb", " "),
    "notebook added": lambda f, nb: (nb / "03_coaching_gaps.ipynb").write_text("{}"),
    "notebook removed": lambda f, nb: (nb / "02_manager_readiness.ipynb").unlink(),
    "notebook renamed": lambda f, nb: (nb / "02_manager_readiness.ipynb").rename(
        nb / "02_readiness.ipynb"),
}

NO_CHANGE = {
    "nothing": lambda f, nb: None,
    "input mtime only": lambda f, nb: os.utime(f / "roster.csv", (1, 1)),
    "unrun notebook edited": lambda f, nb: _append(nb / "what_if_explorer.ipynb", " "),
    "unrelated file added": lambda f, nb: (f / "interview notes.docx").write_bytes(b"PK\x03\x04"),
    "unreferenced export added": lambda f, nb: write_csv(f / "old" / "deals_2024.csv", SALES),
}


@pytest.mark.parametrize("change", list(CHANGES.values()), ids=list(CHANGES))
def test_change_gives_a_new_fingerprint(folder, notebooks, change):
    before = fp(folder)
    change(folder, notebooks)
    assert fp(folder) != before


@pytest.mark.parametrize("change", list(NO_CHANGE.values()), ids=list(NO_CHANGE))
def test_same_inputs_same_fingerprint(folder, notebooks, change):
    before = fp(folder)
    change(folder, notebooks)
    after = fp(folder)
    assert after == before
    assert len(after) == 64 and int(after, 16) >= 0


def test_toolkit_version_changes_it(folder, monkeypatch):
    before = fp(folder)
    monkeypatch.setattr(fingerprint, "__version__", "99.0.0")
    assert fp(folder) != before


def test_undoing_a_change_restores_the_fingerprint(folder):
    config = folder / "engagement.yaml"
    original = config.read_bytes()
    before = fp(folder)
    _append(config, "# temporary\n")
    assert fp(folder) != before
    config.write_bytes(original)
    assert fp(folder) == before


def test_fingerprint_does_not_depend_on_where_the_folder_is(folder, tmp_path):
    """Content, not location: a moved engagement folder is still up to date."""
    moved = shutil.copytree(folder, tmp_path / "elsewhere" / "acme")
    assert fp(moved) == fp(folder)


def test_known_input_hashes_give_the_same_fingerprint(folder):
    """The runner passes intake's sha256s; batch computes them. Both must agree, or a batch never
    skips an engagement the runner fingerprinted."""
    engagement = load_engagement(folder)
    known = {t: file_sha256(s.path) for t, s in engagement.sources.items()}
    assert engagement_fingerprint(engagement, known) == engagement_fingerprint(engagement)
    assert engagement_fingerprint(engagement, {**known, "sales": "0" * 64}) != \
        engagement_fingerprint(engagement)


@pytest.mark.parametrize("content", [b"", b"id,name\n", bytes(range(256)) * 5000])
def test_file_sha256(tmp_path, content):
    path = tmp_path / "input.bin"
    path.write_bytes(content)
    assert file_sha256(path) == hashlib.sha256(content).hexdigest()


def test_demo_engagement_matches_what_the_runner_records(tmp_path, monkeypatch):
    """With the repository's notebooks: the fingerprint from engagement.yaml alone (batch) equals
    the one built from intake's input hashes (runner), and changes when a workbook input does."""
    from workbook.demo import generate_demo
    from workbook.intake.load import load_engagement_data

    monkeypatch.delenv("WORKBOOK_NOTEBOOKS", raising=False)
    demo = generate_demo(tmp_path / "demo")
    data = load_engagement_data(demo)
    from_runner = engagement_fingerprint(data.engagement,
                                         {r["table"]: r["sha256"] for r in data.inputs})
    assert fp(demo) == from_runner
    assert fp(generate_demo(tmp_path / "again" / "demo")) == from_runner   # deterministic demo

    roster_xlsx = load_engagement(demo).sources["people"].path
    roster_xlsx.write_bytes(roster_xlsx.read_bytes() + b"\x00")
    assert fp(demo) != from_runner
