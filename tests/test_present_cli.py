"""`workbook present` without a browser: its help, the sentences it fails with, the Voilà command it
starts and the notebook Voilà serves. The browser test is tests/test_present_e2e.py."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from workbook.cli import main
from workbook.cli.present import ENV_VAR, HOST, NOTEBOOK, room_explorer, voila_command
from workbook.run.kernel import KERNEL_NAME
from workbook.run.notebooks import find_notebooks, notebooks_dir


def _one_sentence(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    return lines[0]


def test_help_names_the_command_and_its_flags():
    out = subprocess.run([sys.executable, "-m", "workbook.cli", "present", "--help"], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    for text in ("ENGAGEMENT_DIR", "--port", "--no-browser", "Voilà", "127.0.0.1", "engagement.yaml"):
        assert text in out.stdout
    listing = subprocess.run([sys.executable, "-m", "workbook.cli", "--help"], capture_output=True,
                             text=True, timeout=60)
    assert "present" in listing.stdout


def test_a_folder_without_engagement_yaml_is_a_sentence_and_exit_1(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("not an engagement")
    assert main(["present", str(tmp_path), "--no-browser"]) == 1
    line = _one_sentence(capsys.readouterr().err)
    assert "has no engagement.yaml" in line and "workbook present client_data/demo" in line


def test_a_missing_folder_and_a_file_are_sentences_too(tmp_path, capsys):
    assert main(["present", str(tmp_path / "nowhere"), "--no-browser"]) == 1
    assert "does not exist" in _one_sentence(capsys.readouterr().err)
    (tmp_path / "engagement.yaml").write_text("client: x\n")
    assert main(["present", str(tmp_path / "engagement.yaml"), "--no-browser"]) == 1
    assert "is a file, not a folder" in _one_sentence(capsys.readouterr().err)


def test_a_broken_engagement_yaml_is_reported_before_anything_is_served(tmp_path, capsys):
    (tmp_path / "engagement.yaml").write_text("client: [unclosed\n")
    assert main(["present", str(tmp_path), "--no-browser"]) == 1
    assert "engagement.yaml" in _one_sentence(capsys.readouterr().err)


def test_a_busy_port_is_a_sentence_and_exit_2(demo_engagement, capsys):
    with socket.socket() as busy:
        busy.bind((HOST, 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["present", str(demo_engagement), "--no-browser", "--port", str(port)]) == 2
    line = _one_sentence(capsys.readouterr().err)
    assert f"port {port} is already in use" in line and "--port" in line


@pytest.mark.parametrize("port", ["80", "70000", "eighty"])
def test_a_port_out_of_range_is_a_usage_error(port, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["present", "client_data/demo", "--port", port])
    assert exit_.value.code == 2
    assert "--port" in capsys.readouterr().err


def test_voila_serves_the_notebook_alone_on_localhost_without_sources():
    command = voila_command(Path("/x/present.ipynb"), 9999)
    assert command[:4] == [sys.executable, "-m", "voila", "/x/present.ipynb"]
    for flag in ("--no-browser", "--port=9999", "--Voila.ip=127.0.0.1", "--Voila.port_retries=0",
                 "--VoilaConfiguration.strip_sources=True", "--VoilaConfiguration.show_tracebacks=False"):
        assert flag in command
    assert not any("token" in part or "root_dir" in part for part in command)


def test_the_present_notebook_runs_in_the_workbook_kernel_and_is_not_part_of_a_run():
    path = notebooks_dir() / NOTEBOOK
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == KERNEL_NAME
    assert nb["metadata"]["title"] == "What-if explorer"       # the browser tab, not "present"
    assert path not in find_notebooks()                         # workbook run ignores it
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert [c for c in nb["cells"] if c["cell_type"] != "code"] == []   # nothing but the explorer shows
    assert "room_explorer()" in "".join(code[-1]["source"])


def test_room_explorer_without_the_command_says_how_to_start_it(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert "workbook present ENGAGEMENT_DIR" in room_explorer().value


def test_room_explorer_on_a_broken_engagement_shows_a_sentence_without_its_path(tmp_path, monkeypatch):
    folder = tmp_path / "acme"
    folder.mkdir()
    (folder / "engagement.yaml").write_text("client: [unclosed\n")
    monkeypatch.setenv(ENV_VAR, str(folder))
    text = room_explorer().value
    assert "'acme' could not be loaded" in text and "workbook validate" in text
    assert str(tmp_path) not in text


def test_room_explorer_builds_the_explorer_for_the_folder_it_is_given(demo_engagement, monkeypatch):
    import ipywidgets as widgets

    monkeypatch.setenv(ENV_VAR, str(demo_engagement))
    explorer = room_explorer()
    assert isinstance(explorer, widgets.Widget) and not isinstance(explorer, widgets.HTML)
    assert explorer.audience == "room"
    assert explorer.what_if.engagement.folder == Path(demo_engagement).resolve()
