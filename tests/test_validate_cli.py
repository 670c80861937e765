"""`workbook validate` and `workbook new`: readable output, exit codes, no tracebacks on bad input."""

from __future__ import annotations

import zipfile

import pytest
from engagement_files import ROSTER, roster, write_csv, write_engagement, write_xlsx

from workbook.cli import main


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_validate_clean_engagement_exits_0_and_summarises(tmp_path, capsys):
    roster(tmp_path)
    write_engagement(tmp_path, {"people": "roster.csv"}, as_of="2026-09-30")
    code, text = run(capsys, "validate", tmp_path)
    assert code == 0
    assert "roster.csv" in text and "2 front-line managers, 4 reps" in text
    assert "No issues found" in text
    assert "  read roster.csv (people): 7 rows in " in text   # each file as it is read, before the report
    assert text.index("  read roster.csv") < text.index("No issues found")


def test_validate_blocking_exits_1_and_prints_file_row_column_value(tmp_path, capsys):
    roster(tmp_path, ["person_id,name,manager_id", "A,Ann,B", "B,Bob,A"])
    write_engagement(tmp_path, {"people": "roster.csv"})
    code, text = run(capsys, "validate", tmp_path)
    assert code == 1
    assert "BLOCKING (1)" in text and "roster.csv, row 2, column 'manager_id'" in text
    assert "Traceback" not in text


def _xlsx_people(tmp_path, name="roster.xlsx", **source):
    write_engagement(tmp_path, {"people": {"path": name, **source}})


BAD_INPUTS = {
    "missing file": (lambda p: write_engagement(p, {"people": "nope.csv"}), "file not found"),
    "missing sheet": (lambda p: (write_xlsx(p / "roster.xlsx", {"Staff": [["person_id"], ["A"]]}),
                                 _xlsx_people(p, sheet="Employees")), "no sheet named 'Employees'"),
    "header row beyond the end": (lambda p: (roster(p), write_engagement(
        p, {"people": {"path": "roster.csv", "header_row": 40}})), "header_row is 40 but the file has only 8"),
    "mapped column not in the file": (lambda p: (roster(p), write_engagement(
        p, {"people": {"path": "roster.csv", "columns": {"Employee Number": "person_id"}}})),
        "mapped column 'Employee Number' is not in the file"),
    "empty file": (lambda p: ((p / "roster.csv").write_bytes(b""),
                              write_engagement(p, {"people": "roster.csv"})), "the file is empty"),
    "non-UTF-8 file": (lambda p: ((p / "roster.csv").write_bytes(b"person_id,name\nA,\x81\x8d\x90\n"),
                                  write_engagement(p, {"people": "roster.csv"})),
                       "not UTF-8 or Windows-1252"),
    "xlsx that is really a CSV": (lambda p: (write_csv(p / "roster.xlsx", ROSTER), _xlsx_people(p)),
                                  "not a real Excel workbook"),
    "corrupt xlsx": (lambda p: ((p / "roster.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 200),
                                _xlsx_people(p)), "corrupt"),
    "password-protected xlsx": (lambda p: ((p / "roster.xlsx").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504), _xlsx_people(p)), "password-protected"),
    "truncated xlsx": (lambda p: (write_xlsx(p / "full.xlsx", {"S": [["person_id"], ["A"]]}),
                                  (p / "roster.xlsx").write_bytes((p / "full.xlsx").read_bytes()[:300]),
                                  _xlsx_people(p)), "corrupt"),
    "no engagement.yaml": (lambda p: None, "no engagement.yaml here"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_one_clear_message_and_exit_1(tmp_path, capsys, case):
    make, expected = BAD_INPUTS[case]
    make(tmp_path)
    code, text = run(capsys, "validate", tmp_path)
    assert code == 1, text
    assert expected in text
    assert "Traceback" not in text


def test_zip_that_is_not_a_workbook_is_reported(tmp_path, capsys):
    with zipfile.ZipFile(tmp_path / "roster.xlsx", "w") as z:
        z.writestr("hello.txt", "not a workbook")
    _xlsx_people(tmp_path)
    code, text = run(capsys, "validate", tmp_path)
    assert code == 1 and "roster.xlsx" in text and "Traceback" not in text
    assert "  could not read roster.xlsx (people): see the blocking issues below" in text


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["validate"])
    assert exc.value.code == 2
    assert main([]) == 2


def test_every_command_has_help(capsys):
    for command in ("validate", "new"):
        with pytest.raises(SystemExit) as exc:
            main([command, "--help"])
        assert exc.value.code == 0
        assert "usage: workbook " + command in capsys.readouterr().out


def test_new_scaffolds_a_commented_engagement_that_validates(tmp_path, capsys):
    code, text = run(capsys, "new", "acme-2026q4", "--root", tmp_path, "--client", 'Acme "IT" Staffing')
    assert code == 0
    folder = tmp_path / "acme-2026q4"
    config = (folder / "engagement.yaml").read_text()
    assert "# " in config and "current_owner" in config
    write_csv(folder / "roster.csv", ROSTER)
    code, text = run(capsys, "validate", folder)
    assert code == 0 and 'Acme "IT" Staffing (acme-2026q4)' in text
    code, text = run(capsys, "new", "acme-2026q4", "--root", tmp_path)
    assert code == 1 and "already exists" in text
    code, text = run(capsys, "new", "Bad Name", "--root", tmp_path)
    assert code == 1 and "lowercase" in text
