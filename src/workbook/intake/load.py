"""One engagement's data, loaded and checked: the single entry point for analyses.

`load_engagement_data(folder)` reads engagement.yaml and every source, builds
the org tree and resolves person references in the other tables. It never
raises for problems in the client's data: those are DataIssue rows, and
`blocking` says whether analysis may proceed. Problems in engagement.yaml
itself raise EngagementError.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from workbook.engagement.config import TABLES, Engagement, load_engagement
from workbook.intake.issues import DataIssue, IssueLog, issues_frame
from workbook.intake.org import OrgTree, build_org, resolve_ids, resolve_names
from workbook.intake.tables import ROW, TableLoad, load_table
from workbook.run.fingerprint import file_sha256

# (table, id column, name column, what) for every person reference outside the roster
REFERENCES = {
    "sales": [("rep_id", "rep_name", "deal owner")],
    "coaching": [("manager_id", "manager_name", "coach"), ("rep_id", "rep_name", "coached rep")],
    "training": [("person_id", "name", "learner")],
    "survey": [("person_id", "name", "respondent")],
    "compensation": [("person_id", "name", "plan holder")],
}
DATE_COLUMNS = {"sales": "date", "coaching": "date", "training": "completed_date"}


@dataclass
class EngagementData:
    engagement: Engagement
    tables: dict[str, pd.DataFrame]
    loads: dict[str, TableLoad]
    issues: list[DataIssue]
    org: OrgTree | None
    as_of: dt.date | None
    inputs: list[dict] = field(default_factory=list)
    cache: dict = field(default_factory=dict, repr=False)   # shared intermediate results (pipeline)

    @property
    def blocking(self) -> list[DataIssue]:
        return [i for i in self.issues if i.severity == "blocking"]

    @property
    def warnings(self) -> list[DataIssue]:
        return [i for i in self.issues if i.severity == "warning"]

    def issues_frame(self) -> pd.DataFrame:
        return issues_frame(self.issues)

    def has(self, table: str) -> bool:
        return table in self.tables and not self.tables[table].empty

    def row_counts(self) -> pd.DataFrame:
        rows = []
        for table in TABLES:
            load = self.loads.get(table)
            source = self.engagement.sources.get(table)
            if load is None:
                rows.append({"table": table, "file": source.display_name if source else "",
                             "rows_read": 0, "rows_used": 0, "rows_skipped": 0,
                             "status": "not provided" if source is None else "not readable"})
                continue
            frame = self.tables.get(table, load.frame)
            used = int(frame["_row"].nunique()) if "_row" in frame.columns else int(frame.index.nunique())
            rows.append({"table": table, "file": load.file, "rows_read": load.rows_read,
                         "rows_used": used, "rows_skipped": load.rows_read - used, "status": "loaded"})
        return pd.DataFrame(rows)


def load_engagement_data(folder: str | Path) -> EngagementData:
    engagement = load_engagement(folder)
    log = IssueLog()
    loads: dict[str, TableLoad] = {}
    for table in TABLES:
        source = engagement.sources.get(table)
        if source is None:
            continue
        load = load_table(source, log)
        if load is not None:
            loads[table] = load
    tables: dict[str, pd.DataFrame] = {}
    org = None
    if "people" in loads:
        org = build_org(loads["people"].frame, loads["people"].file, log)
    if org is not None:
        tables["people"] = org.people
        for table, load in loads.items():
            if table != "people":
                tables[table] = _resolve_references(table, load, org, log)
    if org is not None and org.people.empty:
        log.add("blocking", "people", loads["people"].file, "the roster has no usable rows")
    as_of = engagement.as_of or _latest_date(tables)
    inputs = [_input_record(t, s.path) for t, s in engagement.sources.items() if s.path.is_file()]
    return EngagementData(engagement, tables, loads, log.issues, org, as_of, inputs)


def _resolve_references(table: str, load: TableLoad, org: OrgTree, log: IssueLog) -> pd.DataFrame:
    frame = load.frame.reset_index()
    keep = pd.Series(True, index=frame.index)
    for id_col, name_col, what in REFERENCES[table]:
        ids = frame[id_col] if id_col in frame.columns else pd.Series(pd.NA, index=frame.index, dtype="string")
        ids = resolve_ids(ids, frame[ROW], org.people, table, load.file, id_col, log, what)
        if name_col in frame.columns:
            by_name = ids.isna() & frame[name_col].notna()
            if by_name.any():
                ids = ids.astype("string")
                ids.loc[by_name] = resolve_names(frame.loc[by_name, name_col], frame.loc[by_name, ROW],
                                                 org.by_name, org.people, table, load.file, name_col,
                                                 log, what)
        frame[id_col] = ids
        keep &= ids.notna()
    frame = frame[keep].drop(columns=[n for _, n, _ in REFERENCES[table] if n in frame.columns])
    return frame.set_index(ROW)


def _latest_date(tables: dict[str, pd.DataFrame]) -> dt.date | None:
    latest = [tables[t][c].max() for t, c in DATE_COLUMNS.items()
              if t in tables and c in tables[t].columns and tables[t][c].notna().any()]
    return max(latest).date() if latest else None


def _input_record(table: str, path: Path) -> dict:
    return {"table": table, "file": path.name, "sha256": file_sha256(path), "bytes": path.stat().st_size}


