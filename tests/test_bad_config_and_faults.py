"""Issue #15: every bad engagement.yaml, scenario file or failing disk gets one sentence, never a
traceback: what file, what is wrong, what to do; exit 1.

Each case in CONFIG_CASES builds a small engagement, runs one `workbook` command through
`workbook.cli.main` and checks the exit code, that no traceback was printed and that the message
names the file (and the key, row or column where there is one).
"""

from __future__ import annotations

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

    from workbook.engagement.config import read_yaml

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
