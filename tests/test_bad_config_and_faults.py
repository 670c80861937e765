"""Issue #15: every bad engagement.yaml, scenario file or failing disk gets one sentence, never a
traceback: what file, what is wrong, what to do; exit 1.

Each case in CONFIG_CASES builds a small engagement, runs one `workbook` command through
`workbook.cli.main` and checks the exit code, that no traceback was printed and that the message
names the file (and the key, row or column where there is one).
"""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
import yaml
from engagement_files import ROSTER, engagement_with_scenario, roster, write_csv, write_engagement

from workbook.cli import main


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out + out.err


def _config(folder, text: str | bytes):
    roster(folder)
    path = folder / "engagement.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


def _bomb(levels: int = 9) -> str:
    """'Billion laughs': nine lines of anchors and aliases that expand to 9**9 values."""
    lines = ["client: Bomb Client", "sources: {people: roster.csv}", "assumptions:",
             '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghijklm"[:levels - 1]:
        lines.append(f"  {name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    lines.append(f"as_of: *{previous}")   # a value whose message would print the whole expansion
    return "\n".join(lines) + "\n"


def _scenario(folder, content: bytes):
    engagement_with_scenario(folder)
    (folder / "scenarios" / "base.yaml").write_bytes(content)


def _with_config(folder, **changes):
    roster(folder)
    write_engagement(folder, {"people": "roster.csv"}, **changes)


def _two_columns_one_target(folder):
    write_csv(folder / "roster.csv", ["Emp ID,Worker ID,Full Name,manager_id",
                                      "A,A,Ann,", "B,B,Bob,A"])
    write_engagement(folder, {"people": {"path": "roster.csv", "columns": {
        "Emp ID": "person_id", "Full Name": "name", "Worker ID": "person_id"}}})


def _encoding(value):
    def make(folder):
        roster(folder, [line.replace("Rita", "Zoë") for line in ROSTER])
        (folder / "roster.csv").write_bytes((folder / "roster.csv").read_text().encode("cp1252"))
        write_engagement(folder, {"people": {"path": "roster.csv", "encoding": value}})
    return make


# case -> (build the engagement in the folder, exit code, text the output must contain)
CONFIG_CASES = {
    "encoding: 1252 written as a number reads as cp1252": (_encoding(1252), 0, ["The data can be analysed"]),
    "encoding: '1252' as text reads as cp1252": (_encoding("1252"), 0, ["The data can be analysed"]),
    "encoding: a number that is no code page": (
        _encoding(8859), 1, ["engagement.yaml", "sources.people.encoding 8859",
                             "write the encoding's name"]),
    "encoding: an unknown name": (_encoding("klingon"), 1, ["sources.people.encoding 'klingon'",
                                                             "utf-8"]),
    "two client columns mapped to one canonical column": (
        _two_columns_one_target, 1, ["engagement.yaml", "sources.people.columns maps both 'Emp ID' "
                                     "and 'Worker ID' to 'person_id'"]),
    "assumptions written as a list": (
        lambda f: _with_config(f, assumptions=["uplift_base: 0.08"]), 1,
        ["engagement.yaml", "'assumptions' must map assumption names to values", "got a list"]),
    "assumptions written as a list, with a scenario": (
        lambda f: (engagement_with_scenario(f), _config(f, (f / "engagement.yaml").read_text()
                                                        + "assumptions:\n- uplift_base: 0.08\n")),
        1, ["engagement.yaml", "'assumptions' must map", "got a list"]),
    "assumptions written as text": (
        lambda f: _with_config(f, assumptions="uplift_base 0.08"), 1, ["'assumptions' must map",
                                                                       "got a text"]),
    "YAML alias bomb (billion laughs)": (
        lambda f: _config(f, _bomb()), 1, ["engagement.yaml", "refused before reading it",
                                           "expand to more than 100,000 values"]),
    "YAML with more than 100 aliases": (
        lambda f: _config(f, "client: &c Acme\nsources: {people: roster.csv}\nownership: {notes: "
                          "[" + ", ".join(["*c"] * 101) + "]}\n"), 1, ["101 aliases", "at most 100"]),
    "YAML value that contains itself": (
        lambda f: _config(f, "client: Acme\nsources: {people: roster.csv}\nas_of: &x [*x]\n"), 1,
        ["engagement.yaml", "contains itself"]),
    "YAML nested thousands deep": (
        lambda f: _config(f, "client: Acme\nas_of: " + "[" * 5000 + "]" * 5000 + "\n"), 1,
        ["engagement.yaml", "nested too deeply"]),
    "engagement.yaml saved as Windows-1252": (
        lambda f: _config(f, "client: Café Conseil\nsources: {people: roster.csv}\n".encode("cp1252")),
        1, ["engagement.yaml is not UTF-8", "byte 0xe9 on line 1", "Save it as UTF-8"]),
    "engagement.yaml malformed": (
        lambda f: _config(f, "client: Acme\nsources: {people: roster.csv\n"), 1,
        ["engagement.yaml (line 3, column 1)", "not valid YAML"]),
    "scenario file malformed YAML": (
        lambda f: _scenario(f, b"assumptions: [ramp_months: 6\n"), 1,
        ["scenarios/base.yaml (line 2, column 1)", "the scenario file is not valid YAML"]),
    "scenario file not UTF-8": (
        lambda f: _scenario(f, "# révisé\nassumptions: {ramp_months: 6}\n".encode("cp1252")), 1,
        ["scenarios/base.yaml", "the scenario file is not UTF-8", "line 1"]),
    "scenario file an alias bomb": (
        lambda f: _scenario(f, _bomb().replace("as_of", "ramp_months").encode()), 1,
        ["scenarios/base.yaml", "refused before reading it"]),
    "scenario file a list": (
        lambda f: _scenario(f, b"- ramp_months: 6\n"), 1,
        ["scenarios/base.yaml", "a scenario file holds 'assumptions:'"]),
}


@pytest.mark.parametrize("case", list(CONFIG_CASES))
def test_bad_config_gets_one_sentence(tmp_path, capsys, case):
    make, expected_code, expected = CONFIG_CASES[case]
    folder = tmp_path / "eng"
    folder.mkdir()
    make(folder)
    code, text = run(capsys, "validate", folder)
    assert code == expected_code, text
    assert "Traceback" not in text
    for part in expected:
        assert part in text, (part, text)
    if expected_code:
        [line] = [line for line in text.splitlines() if line.startswith("error: ")]
        assert str(folder) in line   # the message names the file, with its folder


def test_limits_refuse_without_expanding(tmp_path):
    """The bomb is refused in well under a second (expanding it would take minutes and gigabytes)."""
    import time

    from workbook.engagement.yaml_files import read_yaml

    started = time.perf_counter()
    with pytest.raises(yaml.YAMLError):
        read_yaml(_bomb(12))
    assert time.perf_counter() - started < 1
    assert read_yaml("a: &x {k: 1}\nb: *x\n") == {"a": {"k": 1}, "b": {"k": 1}}   # aliases still work


# --- workbook batch: one engagement's problem is its own failed row, never the batch's ---------

def test_batch_a_malformed_scenario_and_blocking_data_are_failed_rows_naming_the_file(tmp_path, capsys):
    root = tmp_path / "engagements"
    _scenario(root / "bad-scenario", b"assumptions: [ramp_months: 6\n")
    blocked = root / "blocked"
    roster(blocked, ["person_id,name,manager_id", "A,Ann,B", "B,Bob,A"])
    write_engagement(blocked, {"people": "roster.csv"}, engagement="blocked")
    code, text = run(capsys, "batch", root, "--out", tmp_path / "out", "--jobs", "1")
    assert code == 1 and "Traceback" not in text
    rows = {line.split()[0]: line for line in text.splitlines()
            if line.split()[:1] in (["bad-scenario"], ["blocked"]) and " failed " in line}
    assert set(rows) == {"bad-scenario", "blocked"}, text
    assert "scenarios/base.yaml (line 2, column 1)" in rows["bad-scenario"]
    assert "1 blocking data issue(s)" in rows["blocked"]
    assert "roster.csv, row 2, column 'manager_id'" in rows["blocked"]
    assert f"workbook validate {blocked}" in rows["blocked"]
    assert "0 ran, 0 skipped, 2 failed" in text


def test_batch_an_unexpected_failure_is_a_failed_row(tmp_path, monkeypatch):
    from workbook.run import batch

    good, odd = (engagement_with_scenario(tmp_path / name) for name in ("good", "odd"))
    real = batch.up_to_date

    def up_to_date(folder, out_root):
        if folder.name == "odd":
            raise RuntimeError("something nobody planned for")
        return True, "good", "deliverable.xlsx"   # as if unchanged: nothing is run

    monkeypatch.setattr(batch, "up_to_date", up_to_date)
    items = {i.name: i for i in batch.run_batch([good, odd], tmp_path / "out", jobs=1)}
    assert items["good"].status == "skipped"
    assert items["odd"].status == "failed"
    assert items["odd"].error.startswith("unexpected RuntimeError: something nobody planned for")
    monkeypatch.setattr(batch, "up_to_date", real)

    def explode(*args, **kwargs):
        raise RuntimeError("kernel gremlins")

    monkeypatch.setattr("workbook.run.runner.run_engagement", explode)
    item = batch.run_one(str(odd), str(tmp_path / "out"))
    assert item["status"] == "failed" and "unexpected RuntimeError: kernel gremlins" in item["error"]


# --- a run that cannot write its files: disk full, read-only, --out a file ---------------------
# The kernel, the notebooks and the workbook are stood in for (what they would write is written by
# the fakes), so each case takes a second: what is tested is the runner's handling of the OSError.

ENOSPC = OSError(errno.ENOSPC, "No space left on device")


class _NoKernel:
    kernel_name = "workbook"

    def __init__(self, *args, **kwargs):
        pass

    def warm_up(self):
        pass

    def shutdown(self):
        pass


def _fake_execute(notebook, output, parameters, kernel, cell_timeout, deadline, shared=None):
    output.write_text("{}", encoding="utf-8")
    results = Path(parameters["output_dir"]) / "results"
    results.mkdir(exist_ok=True)
    (results / "row_counts.csv").write_text("table\npeople\n", encoding="utf-8")
    return 0.0


def _fake_write_deliverable(target, ctx):
    target.write_bytes(b"PK fake workbook")
    return target


@pytest.fixture
def fake_run(monkeypatch, tmp_path):
    """An engagement with one complete (fake) run published as latest; returns (folder, out, run)."""
    import pandas as pd

    from workbook.run import deliverable_build, runner

    monkeypatch.setattr(runner, "EngagementKernel", _NoKernel)
    monkeypatch.setattr(runner, "ensure_kernel", lambda: "workbook")
    monkeypatch.setattr(runner, "find_notebooks", lambda only=None: [Path("01_data_quality.ipynb")])
    monkeypatch.setattr(runner, "execute", _fake_execute)
    monkeypatch.setattr(runner, "_export_html_quietly", lambda *args: None)
    monkeypatch.setattr(deliverable_build, "read_results", lambda run_dir: {})
    monkeypatch.setattr(deliverable_build, "changes_since", lambda before, after, previous_as_of=None: pd.DataFrame())
    monkeypatch.setattr(deliverable_build, "save_result", lambda name, frame, run_dir: None)
    monkeypatch.setattr(deliverable_build, "DeliverableContext", lambda **kwargs: kwargs)
    monkeypatch.setattr(deliverable_build, "write_deliverable", _fake_write_deliverable)
    folder = tmp_path / "eng"
    roster(folder)
    write_engagement(folder, {"people": "roster.csv"}, as_of="2026-09-30")
    out = tmp_path / "deliverables"
    first = runner.run_engagement(folder, out)
    assert first.status == "succeeded", first.message
    (first.run_dir / "results").mkdir(exist_ok=True)   # so the next run writes changes.csv
    return folder, out, first.run_dir


def _fail(exc: OSError, *, when=lambda *args, **kwargs: True, real=None):
    """A stand-in that raises `exc` (a fresh copy) when `when(...)` holds, else calls `real`."""
    def stand_in(*args, **kwargs):
        if when(*args, **kwargs):
            raise OSError(exc.errno, exc.strerror, *([exc.filename] if exc.filename else []))
        return real(*args, **kwargs)
    return stand_in


def _fault(owner: str, name: str, exc: OSError = ENOSPC, when=lambda *a, **k: True):
    """Install a stand-in for `owner.name` (owner: a module, or "module:Class") raising `exc`."""
    def install(monkeypatch, out):
        import importlib

        module, _, cls = owner.partition(":")
        target = importlib.import_module(module)
        if cls:
            target = getattr(target, cls)
        monkeypatch.setattr(target, name, _fail(exc, when=when, real=getattr(target, name)))
    return install


def _writing(file_name: str, exc: OSError = ENOSPC):
    """The disk fills up (or turns read-only) when a file of this name is written."""
    return _fault("pathlib:Path", "write_text", exc, when=lambda self, *a, **k: self.name == file_name)


def _read_only(monkeypatch, out):
    real = Path.mkdir

    def mkdir(self, *args, **kwargs):
        if self.is_relative_to(out):
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)


def _notebook_cell_disk_full(monkeypatch, out):
    from workbook.errors import NotebookFailure

    def execute(notebook, output, parameters, *args, **kwargs):
        output.write_text("{}", encoding="utf-8")
        raise NotebookFailure("01_data_quality", "error", "OSError", "[Errno 28] No space left on device: "
                              f"'{parameters['output_dir']}/results/coaching_gaps.csv'", cell=7)

    monkeypatch.setattr("workbook.run.runner.execute", execute)


def _succeeded(text: str) -> bool:
    return '"status": "succeeded"' in text


# case -> (install the fault, text the message must contain, what manifest.json of the failed run says:
#          "failed", or None when the run folder (or its manifest) was never written)
RUN_FAULTS = {
    "--out is an existing file": (
        None, ["could not write", "deliverables.txt is a file", "give --out a folder"], None),
    "read-only output folder": (
        _read_only, ["could not write", "Permission denied", "You cannot write there"], None),
    "disk full: first manifest.json": (
        _writing("manifest.json.tmp"), ["manifest.json: No space left on device",
                                                             "The disk is full"], None),
    "disk full: the data snapshot": (
        _fault("workbook.run.runner", "write_snapshot"), ["No space left on device", "The disk is full"],
        "failed"),
    "disk full: an executed notebook": (
        _fault("workbook.run.runner", "execute"), ["notebooks/01_data_quality.ipynb: No space left",
                                               "The disk is full"], "failed"),
    "disk full: a notebook writing its results CSV": (
        _notebook_cell_disk_full, ["notebook 01_data_quality failed in cell 7", "No space left on device",
                                   "results/coaching_gaps.csv", "the disk is full"], "failed"),
    "disk full: results/changes.csv": (
        _fault("workbook.run.deliverable_build", "save_result"), ["results/changes.csv: No space left",
                                                               "The disk is full"], "failed"),
    "disk full: the xlsx": (
        _fault("workbook.run.deliverable_build", "write_deliverable"),
        ["Test Client - Manager Readiness Assessment.xlsx: No space left", "The disk is full"], "failed"),
    "disk full: the final manifest.json": (
        _fault("pathlib:Path", "write_text", when=lambda self, text, **k: self.name == "manifest.json.tmp"
               and _succeeded(text)),
        ["manifest.json: No space left", "The disk is full"], "failed"),
    "read-only: the LATEST marker": (
        _fault("pathlib:Path", "write_text", OSError(errno.EROFS, "Read-only file system"),
               when=lambda self, *a, **k: self.name.startswith(".LATEST")),
        ["LATEST: Read-only file system", "You cannot write there"], "failed"),
}


@pytest.mark.parametrize("case", list(RUN_FAULTS))
def test_a_run_that_cannot_write_says_where_and_keeps_latest(fake_run, monkeypatch, capsys, case):
    folder, out, previous = fake_run
    install, expected, manifest_status = RUN_FAULTS[case]
    if install is None:   # --out names a file
        out = out.parent / "deliverables.txt"
        out.write_text("not a folder", encoding="utf-8")
    else:
        install(monkeypatch, out)
    before = set((out / "test").iterdir()) if (out / "test").is_dir() else set()
    code, text = run(capsys, "run", folder, "--out", out)
    assert code == 1, text
    assert "Traceback" not in text
    for part in expected:
        assert part in text, (part, text)
    [error] = [line for line in text.splitlines() if line.startswith("error: ")]
    assert str(out) in text and (error.startswith("error: could not write") or "notebook" in error)
    if install is None:
        return
    new = [p for p in set((out / "test").iterdir()) - before if p.is_dir()]
    manifest = new[0] / "manifest.json" if new else None
    if manifest_status is None:
        assert manifest is None or not manifest.exists()
    else:
        record = json.loads(manifest.read_text(encoding="utf-8"))
        assert record["status"] == manifest_status and record["error"], record
    assert (out / "test" / "LATEST").read_text().strip() == previous.name
    assert (out / "test" / "latest").resolve() == previous.resolve()
    assert not list((out / "test").glob(".LATEST.*")) and not list((out / "test").glob("*/*.tmp"))


def test_os_error_at_the_cli_boundary_is_a_sentence(tmp_path, capsys, monkeypatch):
    """Any OSError a command meets (here: reading engagement data) is one line naming the path."""
    _with_config(tmp_path)

    def unreadable(folder, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(folder / "roster.csv"))

    monkeypatch.setattr("workbook.intake.load.load_engagement_data", unreadable)
    code, text = run(capsys, "validate", tmp_path)
    assert code == 1 and "Traceback" not in text
    assert f"error: could not read or write {tmp_path / 'roster.csv'}: Permission denied." in text


# --- client text on the console: control characters and escape sequences are shown, not obeyed --

ESC = "\x1b[2J\x1b]0;owned\x07"   # clear the screen; set the terminal's title


def _escape_in_file_name(folder):
    name = f"roster{ESC}.csv"
    write_csv(folder / name, ["person_id,name,manager_id", "A,Ann,B", "B,Bob,A"])
    write_engagement(folder, {"people": name})


def _escape_in_cell(folder):
    write_csv(folder / "roster.csv", ROSTER + [f"R9,Eve,M1,Recruiter{ESC}\u202eevil,2022-05-02,,,"
                                              "1000000"])   # the title is quoted in the message
    write_engagement(folder, {"people": "roster.csv"}, as_of="2026-09-30")


def _escape_in_config_key(folder):
    roster(folder)
    (folder / "engagement.yaml").write_text(
        'client: Acme\nsources: {people: roster.csv}\n"\\e[31mownership\\r": {}\n', encoding="utf-8")


# case -> (build the engagement, exit code, the escaped form that must be printed)
CONSOLE_CASES = {
    "escape sequence in a file name": (_escape_in_file_name, 1, "roster\\x1b[2J\\x1b]0;owned\\x07.csv"),
    "escape sequence and a direction override in a cell value": (_escape_in_cell, 0, "(Recruiter\\x1b[2J\\x1b]0;owned\\x07\\u202eevil)"),
    "escape sequence and a carriage return in an engagement.yaml key": (
        _escape_in_config_key, 1, "unknown key '\\x1b[31mownership\\r'"),
}


@pytest.mark.parametrize("case", list(CONSOLE_CASES))
def test_client_control_characters_are_escaped_on_the_console(tmp_path, capsys, case):
    make, expected_code, shown = CONSOLE_CASES[case]
    make(tmp_path)
    code, text = run(capsys, "validate", tmp_path)
    if expected_code is not None:
        assert code == expected_code, text
    assert "Traceback" not in text
    assert shown in text, text
    for raw in ("\x1b", "\x07", "\r", "\u202e"):
        assert raw not in text, (raw, text)


def test_batch_summary_escapes_client_text(capsys):
    from workbook.cli.report import print_batch_summary
    from workbook.run.batch import BatchItem

    print_batch_summary([BatchItem("x", f"acme{ESC}", "failed", 1.0, error=f"roster{ESC}.csv: bad")])
    text = capsys.readouterr().out
    assert "acme\\x1b[2J" in text and "roster\\x1b[2J" in text and "\x1b" not in text


def test_safe_leaves_ordinary_text_alone():
    from workbook.cli.console import safe

    assert safe("Zoë Müller, 北京, $1,200 — ok") == "Zoë Müller, 北京, $1,200 — ok"
    assert safe("a\tb\nc\x9bd\x7f") == "a\\tb\\nc\\x9bd\\x7f"


def test_a_fault_in_the_toolkit_is_a_sentence_with_its_traceback_in_a_file(tmp_path, capsys, monkeypatch):
    """Never a traceback at a consultant, even for a bug of ours: exit 3, the traceback in a file."""
    from workbook.cli import handlers

    def broken(args):
        raise KeyError("not_a_column")

    import tempfile

    monkeypatch.setattr(handlers, "validate", broken)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))   # the report lands here, not in /tmp
    from workbook.cli import main as cli_main

    code = cli_main(["validate", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 3 and "Traceback" not in err
    assert "fault in the toolkit, not in your data" in err and "KeyError" in err
    report = err.split("The details are in ")[1].split(";")[0]
    assert Path(report).parent == tmp_path
    text = open(report, encoding="utf-8").read()
    assert text.startswith("workbook validate") and "Traceback" in text and "not_a_column" in text
