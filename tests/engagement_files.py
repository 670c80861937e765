"""Build small client engagements on disk for tests: the files as clients send them."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter
import yaml


def write_engagement(folder: Path, sources: dict, **extra) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    config = {"client": extra.pop("client", "Test Client"), "engagement": extra.pop("engagement", "test"),
              "sources": sources, **extra}
    (folder / "engagement.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return folder


def write_csv(path: Path, lines: list[str], encoding: str = "utf-8", bom: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = ("\n".join(lines) + "\n").encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    """Each sheet is a list of rows written from row 1; None leaves a cell empty."""
    book = xlsxwriter.Workbook(str(path))
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        ws = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if hasattr(value, "year"):
                    ws.write_datetime(r, c, value, date_fmt)
                elif isinstance(value, str):
                    ws.write_string(r, c, value)
                else:
                    ws.write(r, c, value)
    book.close()
    return path


ROSTER = [
    "person_id,name,manager_id,title,hire_date,termination_date,termination_type,annual_quota",
    "L1,Lee Leader,,VP Sales,2015-01-05,,,",
    "M1,Mia Manager,L1,Sales Manager,2018-03-01,,,",
    "M2,Max Manager,L1,Sales Manager,2019-06-01,,,",
    "R1,Ron Rep,M1,Account Executive,2020-01-06,,,1200000",
    "R2,Rita Rep,M1,Account Executive,2021-02-01,,,1200000",
    "R3,Raj Rep,M2,Account Executive,2022-05-02,,,1000000",
    "R4,Rosa Rep,M2,Account Executive,2022-05-02,2026-04-30,Resigned,1000000",
]


def roster(folder: Path, lines: list[str] | None = None) -> Path:
    return write_csv(folder / "roster.csv", lines or ROSTER)


def engagement_with_scenario(folder: Path) -> Path:
    """A minimal engagement: a roster, a one-deal CRM export and a scenario file it points at."""
    roster(folder)
    write_csv(folder / "deals.csv", ["Opportunity ID,Owner,Close Date,Amount,Stage",
                                     "O1,Ron Rep,2026-03-15,\"$1,200\",Won"])
    (folder / "scenarios").mkdir()
    (folder / "scenarios" / "base.yaml").write_text("assumptions:\n  ramp_months: 6\n", encoding="utf-8")
    return write_engagement(folder, {"people": "roster.csv", "sales": {"path": "deals.csv"}},
                            scenario="scenarios/base.yaml")
