"""The bad-input campaign: a small, complete, valid client, then one fault at a time, as a consultant
meets them in real exports. Every case is run through `workbook validate` and must give the exit
code it should, a message that names the file (and the row and column when one is to blame), and
never a traceback. Every case validation accepts is then run through the notebooks' own code, in
process, and the deliverable written: data that validation lets through must never fail an
analysis on its shape alone.

Cases for unreadable and hostile files are in test_hostile_files.py; for engagement.yaml,
scenario files and faults during a run in test_bad_config_and_faults.py.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from engagement_files import write_csv

from workbook.cli import main

ROSTER = [
    "person_id,name,manager_id,title,hire_date,termination_date,termination_type",
    "L1,Lee Leader,,VP Sales,2015-01-05,,",
    "M1,Mia Manager,L1,Sales Manager,2018-03-01,,",
    "M2,Max Manager,L1,Sales Manager,2019-06-01,,",
    "R1,Ron Rep,M1,Account Executive,2021-01-04,,",
    "R2,Rita Rep,M1,Account Executive,2021-05-03,,",
    "R3,Raj Rep,M1,Account Executive,2022-02-07,,",
    "R4,Rosa Rep,M2,Account Executive,2021-09-06,,",
    "R5,Remy Rep,M2,Account Executive,2023-01-09,,",
    "R6,Ruth Rep,M2,Account Executive,2020-04-06,2026-03-31,voluntary",
]
REPS = ["R1", "R2", "R3", "R4", "R5", "R6"]


def _deals() -> list[str]:
    lines = ["rep_id,date,amount,stage"]
    for k, rep in enumerate(REPS):
        for month in range(1, 10):
            if rep == "R6" and month > 3:
                continue
            stage = "won" if (k + month) % 3 else "lost"
            lines.append(f"{rep},2026-{month:02d}-{10 + k:02d},{1000 * (k + 1) + 100 * month},{stage}")
    return lines


def _coaching() -> list[str]:
    lines = ["manager_id,rep_id,date,minutes,quality"]
    for month in range(1, 10):
        for manager, reps in (("M1", ["R1", "R2", "R3"]), ("M2", ["R4", "R5"])):
            for rep in reps[: 1 + month % len(reps)]:
                lines.append(f"{manager},{rep},2026-{month:02d}-15,{30 + 15 * (month % 3)},{3 + month % 3}")
    return lines


BASE_FILES = {
    "roster.csv": ROSTER,
    "deals.csv": _deals(),
    "coaching.csv": _coaching(),
    "training.csv": ["person_id,program,status,completed_date",
                     "M1,Coaching for Managers,completed,2026-04-02", "M2,Coaching for Managers,in_progress,",
                     "R1,Consultative Selling,completed,2026-05-06", "R4,Consultative Selling,not_started,"],
    "survey.csv": ["person_id,dimension,score"] + [
        f"{m},{d},{s}" for m, scores in (("M1", (4, 4, 3, 3, 2)), ("M2", (2, 3, 4, 4, 3)))
        for d, s in zip(("awareness", "desire", "knowledge", "ability", "reinforcement"), scores, strict=True)],
    "comp.csv": ["person_id,base_salary,target_variable,weight_revenue,weight_margin",
                 "M1,110000,60000,0.7,0.3", "M2,105000,55000,0.6,0.4"],
}
BASE_SOURCES = {"people": "roster.csv", "sales": "deals.csv", "coaching": "coaching.csv",
                "training": "training.csv", "survey": "survey.csv", "compensation": "comp.csv"}


@dataclasses.dataclass
class Client:
    files: dict[str, list[str]]
    config: dict

    def line(self, file: str, row: int) -> list[str]:
        """Row `row` of a file as the client numbers it (1 = header), split into fields."""
        return self.files[file][row - 1].split(",")

    def set(self, file: str, row: int, column: str, value: str) -> None:
        header = self.files[file][0].split(",")
        fields = self.line(file, row)
        fields[header.index(column)] = value
        self.files[file][row - 1] = ",".join(fields)

    def add(self, file: str, line: str) -> None:
        self.files[file].append(line)

    def rename(self, file: str, old: str, new: str) -> None:
        self.files[file][0] = ",".join(new if c == old else c for c in self.files[file][0].split(","))

    def drop_column(self, file: str, column: str) -> None:
        j = self.files[file][0].split(",").index(column)
        self.files[file] = [",".join(f for i, f in enumerate(line.split(",")) if i != j)
                            for line in self.files[file]]

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name, lines in self.files.items():
            write_csv(folder / name, lines)
        (folder / "engagement.yaml").write_text(yaml.safe_dump(self.config, sort_keys=False), encoding="utf-8")
        return folder


def base() -> Client:
    return Client({k: list(v) for k, v in BASE_FILES.items()},
                  {"client": "Campaign Client", "engagement": "campaign", "as_of": "2026-09-30",
                   "currency": "USD", "sources": dict(BASE_SOURCES)})


@dataclasses.dataclass(frozen=True)
class Expect:
    """What the consultant must see: the exit code, words of the message, where it points."""

    code: int
    words: str
    file: str = ""
    row: int | None = None
    column: str = ""


def _c(change: Callable[[Client], None], expect: Expect) -> tuple[Callable[[Client], None], Expect]:
    return change, expect


def _no_source(table: str) -> Callable[[Client], None]:
    def change(c: Client) -> None:
        c.config["sources"].pop(table)
    return change


def _file(name: str, lines: list[str]) -> Callable[[Client], None]:
    def change(c: Client) -> None:
        c.files[name] = lines
    return change


def _each(*changes: Callable[[Client], None]) -> Callable[[Client], None]:
    def change(c: Client) -> None:
        for f in changes:
            f(c)
    return change


W, B = 0, 1   # exit codes: accepted with warnings / refused

CASES: dict[str, tuple[Callable[[Client], None], Expect]] = {
    # --- the roster -----------------------------------------------------------------------------------
    "roster: duplicate person id": _c(lambda c: c.add("roster.csv", "R1,Ron Again,M1,Account Executive,2022-01-03,,"),
                                      Expect(B, "rows 5, 11", "roster.csv", 5, "person_id")),
    "roster: blank person id": _c(lambda c: c.set("roster.csv", 5, "person_id", ""),
                                  Expect(W, "", "roster.csv", 5)),
    "roster: manager id not in the roster": _c(lambda c: c.set("roster.csv", 5, "manager_id", "M9"),
                                               Expect(W, "M9", "roster.csv", 5, "manager_id")),
    "roster: a two-person management cycle": _c(
        lambda c: (c.set("roster.csv", 2, "manager_id", "M1"), c.set("roster.csv", 3, "manager_id", "L1")),
        Expect(B, "cycle", "roster.csv")),
    "roster: a cycle behind a duplicate id": _c(
        lambda c: (c.add("roster.csv", "R1,Ron Again,M1,Account Executive,2022-01-03,,"),
                   c.set("roster.csv", 2, "manager_id", "M1"), c.set("roster.csv", 3, "manager_id", "L1")),
        Expect(B, "cycle", "roster.csv")),
    "roster: everyone their own manager": _c(
        lambda c: [c.set("roster.csv", r, "manager_id", c.line("roster.csv", r)[0]) for r in range(2, 11)],
        Expect(B, "no reporting lines", "roster.csv")),
    "roster: a single person": _c(_file("roster.csv", ROSTER[:2]), Expect(B, "roster.csv", "roster.csv")),
    "roster: header only": _c(_file("roster.csv", ROSTER[:1]), Expect(B, "roster.csv", "roster.csv")),
    "roster: unparseable hire date": _c(lambda c: c.set("roster.csv", 5, "hire_date", "31/31/2021"),
                                        Expect(W, "31/31/2021", "roster.csv", 5, "hire_date")),
    "roster: leaving date before hire date": _c(lambda c: c.set("roster.csv", 10, "termination_date", "2019-01-01"),
                                                Expect(W, "before the hire date", "roster.csv", 10,
                                                       "termination_date")),
    "roster: unknown termination type": _c(lambda c: c.set("roster.csv", 10, "termination_type", "sabbatical"),
                                           Expect(W, "sabbatical", "roster.csv", 10, "termination_type")),
    "roster: formula-like name": _c(lambda c: c.set("roster.csv", 5, "name", "=HYPERLINK(\"http://x\")"),
                                    Expect(W, "spreadsheet formula", "roster.csv", 5, "name")),
    "roster: formula-like title": _c(lambda c: c.set("roster.csv", 5, "title", "+SUM(1;1)"),
                                     Expect(W, "spreadsheet formula", "roster.csv", 5, "title")),
    "roster: duplicate names in post": _c(lambda c: c.set("roster.csv", 6, "name", "Ron Rep"),
                                          Expect(W, "share this name", "roster.csv")),
    "roster: recruiters counted as reps": _c(lambda c: c.set("roster.csv", 5, "title", "Recruiter"),
                                             Expect(W, "not sales roles", "roster.csv", 5, "title")),
    "roster: a manager whose reps all moved": _c(
        lambda c: [c.set("roster.csv", r, "manager_id", "M1") for r in (8, 9, 10)],
        Expect(W, "manager title", "roster.csv", 4, "title")),
    "roster: missing name column": _c(lambda c: c.drop_column("roster.csv", "name"), Expect(W, "", "")),
    "roster: missing manager column": _c(lambda c: c.drop_column("roster.csv", "manager_id"),
                                         Expect(B, "no reporting lines", "roster.csv")),
    "roster: missing person id column": _c(lambda c: c.drop_column("roster.csv", "person_id"),
                                           Expect(B, "", "roster.csv")),
    "roster: a canonical column shadowed by a mapping": _c(
        lambda c: (c.rename("roster.csv", "title", "Employee Number"),
                   c.config["sources"].__setitem__("people", {"path": "roster.csv",
                                                              "columns": {"Employee Number": "person_id"}})),
        Expect(B, "'person_id' is ignored", "roster.csv", 1, "person_id")),
    "roster: not provided": _c(_no_source("people"), Expect(B, "people", "")),
    "roster: extra blank lines": _c(lambda c: c.add("roster.csv", ",,,,,,"), Expect(W, "", "")),
    "roster: a totals line": _c(lambda c: c.add("roster.csv", "Total,9 people,,,,,"), Expect(W, "", "")),
    "roster: far-future hire date": _c(lambda c: c.set("roster.csv", 9, "hire_date", "2096-01-01"),
                                       Expect(W, "", "")),
    # --- deals ----------------------------------------------------------------------------------------
    "deals: owner not in the roster": _c(lambda c: c.add("deals.csv", "R9,2026-05-01,500,won"),
                                         Expect(W, "R9", "deals.csv", 50, "rep_id")),
    "deals: unparseable amount": _c(lambda c: c.set("deals.csv", 5, "amount", "12k?"),
                                    Expect(W, "12k?", "deals.csv", 5, "amount")),
    "deals: ambiguous decimal comma": _c(lambda c: c.set("deals.csv", 5, "amount", '"1234,5678"'),
                                         Expect(W, "1234,5678", "deals.csv", 5, "amount")),
    "deals: negative amount": _c(lambda c: c.set("deals.csv", 5, "amount", "-500"),
                                 Expect(W, "negative", "deals.csv", 5, "amount")),
    "deals: unknown stage": _c(lambda c: c.set("deals.csv", 5, "stage", "Parked"),
                               Expect(W, "Parked", "deals.csv", 5, "stage")),
    "deals: unparseable date": _c(lambda c: c.set("deals.csv", 5, "date", "2026-13-45"),
                                  Expect(W, "2026-13-45", "deals.csv", 5, "date")),
    "deals: dated after as-of": _c(lambda c: c.set("deals.csv", 5, "date", "2026-11-02"),
                                   Expect(W, "after the as-of date", "deals.csv", 5, "date")),
    "deals: a 2062 typo without as-of": _c(
        lambda c: (c.config.pop("as_of"), c.set("deals.csv", 5, "date", "2062-03-01")),
        Expect(W, "after the as-of date", "deals.csv", 5, "date")),
    "deals: nothing in the window": _c(
        lambda c: [c.set("deals.csv", r, "date", "2019-05-01") for r in range(2, len(c.files["deals.csv"]) + 1)],
        Expect(B, "analysis window", "deals.csv", None, "date")),
    "deals: missing amount column": _c(lambda c: c.drop_column("deals.csv", "amount"),
                                       Expect(B, "amount", "deals.csv")),
    "deals: missing date column": _c(lambda c: c.drop_column("deals.csv", "date"), Expect(B, "date", "deals.csv")),
    "deals: every owner a manager": _c(
        lambda c: [c.set("deals.csv", r, "rep_id", "M1") for r in range(2, len(c.files["deals.csv"]) + 1)],
        Expect(B, "no deal belongs to a rep", "deals.csv")),
    "deals: header only": _c(_file("deals.csv", ["rep_id,date,amount,stage"]), Expect(W, "", "")),
    "deals: a totals line": _c(lambda c: c.add("deals.csv", "Total,,123456,"), Expect(W, "", "deals.csv")),
    "deals: currency symbols and thousands": _c(lambda c: c.set("deals.csv", 5, "amount", '"$1,234.50"'),
                                                Expect(W, "", "")),
    "deals: accounting negative": _c(lambda c: c.set("deals.csv", 5, "amount", '"(1,200.00)"'),
                                     Expect(W, "negative", "deals.csv", 5, "amount")),
    "deals: not provided": _c(_no_source("sales"), Expect(W, "", "")),
    "deals: owner by name only": _c(
        lambda c: (c.rename("deals.csv", "rep_id", "rep_name"),
                   [c.set("deals.csv", r, "rep_name", {"R1": "Ron Rep"}.get(c.line("deals.csv", r)[0], "Nobody"))
                    for r in range(2, len(c.files["deals.csv"]) + 1)]),
        Expect(W, "Nobody", "deals.csv", None, "rep_name")),
    # --- coaching -------------------------------------------------------------------------------------
    "coaching: everything before the window": _c(
        lambda c: [c.set("coaching.csv", r, "date", "2024-06-15") for r in range(2, len(c.files["coaching.csv"]) + 1)],
        Expect(B, "analysis window", "coaching.csv", None, "date")),
    "coaching: quality off the scale": _c(lambda c: c.set("coaching.csv", 3, "quality", "9"),
                                          Expect(W, "scale", "coaching.csv", 3, "quality")),
    "coaching: zero minutes": _c(lambda c: c.set("coaching.csv", 3, "minutes", "0"),
                                 Expect(W, "not a coaching session", "coaching.csv", 3, "minutes")),
    "coaching: negative minutes": _c(lambda c: c.set("coaching.csv", 3, "minutes", "-30"),
                                     Expect(W, "not a coaching session", "coaching.csv", 3, "minutes")),
    "coaching: seconds instead of minutes": _c(lambda c: c.set("coaching.csv", 3, "minutes", "2700"),
                                               Expect(W, "over 8 hours", "coaching.csv", 3, "minutes")),
    "coaching: coach not in the roster": _c(lambda c: c.set("coaching.csv", 3, "manager_id", "M7"),
                                            Expect(W, "M7", "coaching.csv", 3, "manager_id")),
    "coaching: rep not in the roster": _c(lambda c: c.set("coaching.csv", 3, "rep_id", "R42"),
                                          Expect(W, "R42", "coaching.csv", 3, "rep_id")),
    "coaching: unparseable date": _c(lambda c: c.set("coaching.csv", 3, "date", "someday"),
                                     Expect(W, "someday", "coaching.csv", 3, "date")),
    "coaching: minutes as text": _c(lambda c: c.set("coaching.csv", 3, "minutes", "half an hour"),
                                    Expect(W, "half an hour", "coaching.csv", 3, "minutes")),
    "coaching: missing minutes column": _c(lambda c: c.drop_column("coaching.csv", "minutes"), Expect(W, "", "")),
    "coaching: missing date column": _c(lambda c: c.drop_column("coaching.csv", "date"),
                                        Expect(B, "date", "coaching.csv")),
    "coaching: header only": _c(_file("coaching.csv", ["manager_id,rep_id,date,minutes,quality"]),
                                Expect(W, "", "")),
    "coaching: not provided": _c(_no_source("coaching"), Expect(W, "", "")),
    "coaching: a session dated after as-of": _c(lambda c: c.set("coaching.csv", 3, "date", "2026-12-01"),
                                                Expect(W, "after the as-of date", "coaching.csv", 3, "date")),
    # --- training -------------------------------------------------------------------------------------
    "training: unknown status": _c(lambda c: c.set("training.csv", 2, "status", "maybe"),
                                   Expect(W, "maybe", "training.csv", 2, "status")),
    "training: learner not in the roster": _c(lambda c: c.set("training.csv", 2, "person_id", "X1"),
                                              Expect(W, "X1", "training.csv", 2, "person_id")),
    "training: completed without a date": _c(lambda c: c.set("training.csv", 2, "completed_date", ""),
                                             Expect(W, "", "")),
    "training: missing program column": _c(lambda c: c.drop_column("training.csv", "program"),
                                           Expect(B, "program", "training.csv")),
    "training: not provided": _c(_no_source("training"), Expect(W, "", "")),
    "training: dated after as-of": _c(lambda c: c.set("training.csv", 2, "completed_date", "2027-01-05"),
                                      Expect(W, "after the as-of date", "training.csv", 2, "completed_date")),
    # --- survey ---------------------------------------------------------------------------------------
    "survey: score 0": _c(lambda c: c.set("survey.csv", 2, "score", "0"), Expect(W, "1-5 scale", "survey.csv", 2)),
    "survey: score 6": _c(lambda c: c.set("survey.csv", 3, "score", "6"), Expect(W, "1-5 scale", "survey.csv", 3)),
    "survey: score 99": _c(lambda c: c.set("survey.csv", 4, "score", "99"), Expect(W, "1-5 scale", "survey.csv", 4)),
    "survey: score -1": _c(lambda c: c.set("survey.csv", 5, "score", "-1"), Expect(W, "1-5 scale", "survey.csv", 5)),
    "survey: score as words": _c(lambda c: c.set("survey.csv", 5, "score", "agree"),
                                 Expect(W, "agree", "survey.csv", 5, "score")),
    "survey: unknown dimension": _c(lambda c: c.set("survey.csv", 5, "dimension", "happiness"),
                                    Expect(W, "happiness", "survey.csv", 5, "dimension")),
    "survey: respondent not in the roster": _c(lambda c: c.set("survey.csv", 5, "person_id", "Z1"),
                                               Expect(W, "Z1", "survey.csv", 5, "person_id")),
    "survey: a rep answered": _c(lambda c: c.add("survey.csv", "R1,awareness,4"), Expect(W, "", "")),
    "survey: not provided": _c(_no_source("survey"), Expect(W, "", "")),
    "survey: every score off the scale": _c(
        lambda c: [c.set("survey.csv", r, "score", "7") for r in range(2, len(c.files["survey.csv"]) + 1)],
        Expect(B, "every one of the 10 rows was excluded", "survey.csv")),
    # --- compensation ---------------------------------------------------------------------------------
    "comp: weights that do not sum to 1": _c(lambda c: c.set("comp.csv", 2, "weight_margin", "0.5"),
                                             Expect(W, "", "comp.csv")),
    "comp: weights as percent text": _c(lambda c: (c.set("comp.csv", 2, "weight_revenue", "70%"),
                                                   c.set("comp.csv", 2, "weight_margin", "30%")), Expect(W, "", "")),
    "comp: negative target variable": _c(lambda c: c.set("comp.csv", 2, "target_variable", "-60000"),
                                         Expect(W, "negative", "comp.csv", 2, "target_variable")),
    "comp: plan holder not in the roster": _c(lambda c: c.set("comp.csv", 2, "person_id", "Q1"),
                                              Expect(W, "Q1", "comp.csv", 2, "person_id")),
    "comp: a rep's plan": _c(lambda c: c.add("comp.csv", "R1,70000,20000,1,0"), Expect(W, "", "")),
    "comp: target variable as text": _c(lambda c: c.set("comp.csv", 2, "target_variable", "sixty k"),
                                        Expect(W, "sixty k", "comp.csv", 2, "target_variable")),
    "comp: not provided": _c(_no_source("compensation"), Expect(W, "", "")),
    "comp: header only": _c(_file("comp.csv", ["person_id,base_salary,target_variable,weight_revenue,weight_margin"]),
                            Expect(W, "", "")),
    # --- combinations a real engagement meets ---------------------------------------------------------
    "only a roster": _c(_each(*(_no_source(t) for t in ("sales", "coaching", "training", "survey", "compensation"))),
                        Expect(W, "", "")),
    "roster and deals only": _c(_each(*(_no_source(t) for t in ("coaching", "training", "survey", "compensation"))),
                                Expect(W, "", "")),
    "every rep has left": _c(
        lambda c: [c.set("roster.csv", r, "termination_date", "2026-08-31") for r in range(5, 11)],
        Expect(W, "", "")),
    "a team of one": _c(lambda c: [c.set("roster.csv", r, "manager_id", "M1") for r in (8, 9, 10)]
                        or c.set("roster.csv", 7, "manager_id", "M2"), Expect(W, "", "")),
    "the leader has reps too": _c(lambda c: c.set("roster.csv", 5, "manager_id", "L1"), Expect(W, "", "")),
    "a rep with reports": _c(lambda c: c.add("roster.csv", "R7,Rex Rep,R1,Account Executive,2024-01-01,,"),
                             Expect(W, "", "")),
    "deals owned by people who left before the window": _c(
        lambda c: c.set("roster.csv", 10, "termination_date", "2025-01-31"), Expect(W, "", "")),
    "no as-of and no dates anywhere": _c(
        lambda c: (c.config.pop("as_of"),
                   [c.config["sources"].pop(t) for t in ("sales", "coaching", "training")]), Expect(W, "", "")),
}


def _validate(tmp_path: Path, capsys, name: str) -> tuple[int, str, Path]:
    change, _ = CASES[name]
    client = base()
    change(client)
    folder = client.write(tmp_path / "client")
    code = main(["validate", str(folder)])
    out = capsys.readouterr()
    return code, out.out + out.err, folder


def test_the_base_client_is_clean(tmp_path, capsys):
    folder = base().write(tmp_path / "client")
    assert main(["validate", str(folder)]) == 0
    assert "No issues found" in capsys.readouterr().out


def test_there_are_enough_cases():
    assert len(CASES) >= 80


@pytest.mark.parametrize("name", CASES)
def test_bad_input_gets_a_located_sentence(tmp_path, capsys, name):
    expect = CASES[name][1]
    code, text, _ = _validate(tmp_path, capsys, name)
    assert "Traceback" not in text and 'File "' not in text, text
    assert code == expect.code, text
    assert expect.words in text, text
    if expect.file:
        where = expect.file + (f", row {expect.row}" if expect.row is not None else "")
        if expect.column:
            where_col = f"column '{expect.column}'"
            assert any(where in line and where_col in line for line in text.splitlines()), text
        else:
            assert where in text, text


ACCEPTED = [name for name, (_, expect) in CASES.items() if expect.code == 0]


@pytest.mark.parametrize("name", ACCEPTED)
def test_what_validation_accepts_runs_to_a_deliverable(tmp_path, capsys, name):
    from workbook.run.in_process import run_in_process

    code, text, folder = _validate(tmp_path, capsys, name)
    assert code == 0, text
    path = run_in_process(folder, tmp_path / "run", tmp_path / "deliverable.xlsx")
    capsys.readouterr()
    assert path.stat().st_size > 10_000
