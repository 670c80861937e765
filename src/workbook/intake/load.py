"""One engagement's data, loaded and checked: the single entry point for analyses.

`load_engagement_data(folder)` reads engagement.yaml and every source, builds
the org tree and resolves person references in the other tables. It never
raises for problems in the client's data: those are DataIssue rows, and
`blocking` says whether analysis may proceed. Problems in engagement.yaml
itself raise EngagementError.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from workbook.analyses.window import Window
from workbook.engagement.config import TABLES, Engagement, Source, load_engagement
from workbook.intake.issues import DataIssue, IssueLog, issues_frame
from workbook.intake.org import OrgTree, build_org, resolve_ids, resolve_names
from workbook.intake.plausibility import check_plausibility
from workbook.intake.sanity import (
    check_dates_after_as_of,
    check_domains,
    check_leaving_before_hire,
    check_window_has_data,
    derive_as_of,
)
from workbook.intake.tables import ROW, TableLoad, load_table
from workbook.lookup import isin
from workbook.run.fingerprint import file_sha256

# (table, id column, name column, what) for every person reference outside the roster
REFERENCES = {
    "sales": [("rep_id", "rep_name", "deal owner")],
    "coaching": [("manager_id", "manager_name", "coach"), ("rep_id", "rep_name", "coached rep")],
    "training": [("person_id", "name", "learner")],
    "survey": [("person_id", "name", "respondent")],
    "compensation": [("person_id", "name", "plan holder")],
}


@dataclass
class EngagementData:
    engagement: Engagement
    tables: dict[str, pd.DataFrame]
    loads: dict[str, TableLoad]
    issues: list[DataIssue]
    org: OrgTree | None
    as_of: dt.date | None
    inputs: list[dict] = field(default_factory=list)
    as_of_how: str = ""   # how the as-of date was chosen (validate and run print it)
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


def load_engagement_data(folder: str | Path, progress: Callable[[dict], None] | None = None) -> EngagementData:
    """`progress`, when given, hears of each file as soon as it is read: {'table', 'file', 'rows'
    (None when it could not be read), 'seconds'}; a large client's intake takes a while."""
    engagement = load_engagement(folder)
    log = IssueLog()
    loads, parts, org, tables, inputs = _load_sources(engagement, log, progress)
    chosen = derive_as_of(tables, loads, engagement.as_of)
    as_of, how = chosen.date, chosen.how
    if as_of is None and "people" in tables:
        as_of = _roster_date(tables["people"], loads["people"].file, log)
        how = "the roster's latest hire or leaving date (no sales, coaching or training dates)" if as_of else ""
    check_domains(tables, loads, log)
    check_leaving_before_hire(tables, loads, log)
    if org is not None and "people" in tables:
        org.people = tables["people"]   # the org tree reads the same, checked roster
    if "people" in loads:
        check_assessable(tables, loads, org, as_of, log)
        if org is not None:
            window = Window.trailing(as_of, int(engagement.assumptions["analysis_window_months"])) \
                if as_of else None
            if window is not None:
                check_dates_after_as_of(tables, loads, as_of, log)
                check_window_has_data(tables, loads, window, log)
            check_plausibility(tables, loads["people"].file, window, log)
    return EngagementData(engagement, tables, loads, log.issues, org, as_of, inputs, as_of_how=how)


def check_assessable(tables: dict[str, pd.DataFrame], loads: dict[str, TableLoad], org: OrgTree | None,
                     as_of: dt.date | None, log: IssueLog) -> None:
    """Blocking issues for data that would load but could not give a real assessment, each saying
    what to send or map: so "can be analysed" is said only when a deliverable worth reading follows."""
    roster = loads["people"].file
    if org is None and log.blocking():
        return   # the roster's own blocking issues (ids, cycles) are already reported
    if org is None or org.people.empty:
        log.add("blocking", "people", roster, "the roster has no usable rows: check the header row and the "
                "person_id / name mapping in engagement.yaml")
        return
    people = org.people
    for table, load in loads.items():
        if table != "people" and load.rows_read > 0 and tables.get(table) is not None and tables[table].empty:
            log.add("blocking", table, load.file,
                    f"every one of the {load.rows_read:,} rows was excluded (see the warnings above for "
                    "why): check the column mapping and that the people in it are in the roster, or "
                    f"remove the {table} source")
    if people["manager_id"].isna().all():
        log.add("blocking", "people", roster,
                "no reporting lines: nobody has a manager, so no team can be assessed; map the manager "
                "column (manager_id or manager_name) in engagement.yaml or send a roster that has one")
    elif not (people["role"] == "manager").any():
        log.add("blocking", "people", roster,
                "no front-line manager can be identified (nobody has reps reporting to them): check the "
                "manager column and the role column's mapping")
    if as_of is None:
        log.add("blocking", "people", roster,
                "no as-of date: the data has no dates to end the analysis window on; set as_of in "
                "engagement.yaml (e.g. as_of: 2026-09-30)")
    sales = tables.get("sales")
    if sales is not None and not sales.empty and "rep_id" in sales.columns:
        reps = people.index[people["role"] == "rep"]
        if not isin(sales["rep_id"], reps).any():
            log.add("blocking", "sales", loads["sales"].file,
                    "no deal belongs to a rep in the roster (every deal owner is a manager or leader): "
                    "check the deal owner column's mapping")


def _resolve_references(table: str, load: TableLoad, org: OrgTree, log: IssueLog) -> pd.DataFrame:
    frame = load.frame.reset_index()
    keep = pd.Series(True, index=frame.index)
    for id_col, name_col, what in REFERENCES[table]:
        ids = frame[id_col] if id_col in frame.columns else pd.Series(pd.NA, index=frame.index, dtype="string")
        ids = resolve_ids(ids, frame[ROW], org.people, table, load.file, id_col, log, what)
        if name_col in frame.columns:
            by_name = ids.isna() & frame[name_col].notna()
            if by_name.all():   # a CRM export names every owner: no copy of 5 million rows to select them
                ids = resolve_names(frame[name_col], frame[ROW], org.by_name, org.people, table, load.file,
                                    name_col, log, what).astype("string")
            elif by_name.any():
                ids = ids.astype("string")
                ids.loc[by_name] = resolve_names(frame.loc[by_name, name_col], frame.loc[by_name, ROW],
                                                 org.by_name, org.people, table, load.file, name_col,
                                                 log, what)
        frame[id_col] = ids
        keep &= ids.notna()
    frame = frame[keep].drop(columns=[n for _, n, _ in REFERENCES[table] if n in frame.columns])
    return frame.set_index(ROW)


def _load_sources(engagement: Engagement, log: IssueLog, progress: Callable[[dict], None] | None = None
                  ) -> tuple[dict[str, TableLoad], dict[str, list[TableLoad]], OrgTree | None,
                             dict[str, pd.DataFrame], list[dict]]:
    """Every source read, cleaned and its people references resolved, two tables at a time
    (Arrow's string work runs outside the GIL): the org tree is built as soon as the roster is
    loaded, and each other table is resolved against it as soon as it is loaded, while the CRM
    export is still being read. Issues are reported in the order of a sequential load: every
    table's reading in table order, then the org tree's, then the references'."""
    sources = [engagement.sources[t] for t in TABLES if t in engagement.sources]
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="intake") as pool:
        loading = {s.table: pool.submit(_load_source, s) for s in sources}
        fingerprints = pool.submit(_input_records, engagement)
        load_logs: dict[str, IssueLog] = {}
        loads: dict[str, TableLoad] = {}
        parts: dict[str, list[TableLoad]] = {}   # a pattern source: one load per file

        def collect(source: Source) -> None:
            load_logs[source.table], result, seconds = loading[source.table].result()
            if isinstance(result, list):
                parts[source.table] = result
                if result:
                    loads[source.table] = _stacked(source, result)
            elif result is not None:
                loads[source.table] = result
            if progress is not None:
                read = loads.get(source.table)
                progress({"table": source.table, "file": source.display_name, "seconds": seconds,
                          "rows": read.rows_read if read is not None else None})

        org_log = IssueLog()
        org = None
        if "people" in loading:
            collect(engagement.sources["people"])
            if "people" in loads:
                org = _org_tree(loads["people"], parts, org_log)
        resolving = {}
        by_future = {loading[s.table]: s for s in sources if s.table != "people"}
        for future in as_completed(by_future):   # each table resolved as soon as it is loaded
            source = by_future[future]
            collect(source)
            if org is not None and source.table in loads:
                resolving[source.table] = pool.submit(
                    _resolve_table, source.table, parts.get(source.table, [loads[source.table]]), org)
        tables: dict[str, pd.DataFrame] = {} if org is None else {"people": org.people}
        resolve_logs = []
        for source in sources:
            if source.table in resolving:
                own, tables[source.table] = resolving[source.table].result()
                resolve_logs.append(own)
        loads = {s.table: _without_rows(loads[s.table]) if s.table in tables else loads[s.table]
                 for s in sources if s.table in loads}   # table order
        inputs = fingerprints.result()
    for own in [*(load_logs[s.table] for s in sources), org_log, *resolve_logs]:
        log.issues.extend(own.issues)
    return loads, parts, org, tables, inputs


def _without_rows(load: TableLoad) -> TableLoad:
    """A resolved table's load record without the rows as read: the canonical table holds them, and
    the copy would double the data every run hands its notebooks (the large client: 0.5 of 0.9 GB)."""
    return replace(load, frame=load.frame.iloc[:0])


def _load_source(source: Source) -> tuple[IssueLog, list[TableLoad] | TableLoad | None, float]:
    own = IssueLog()
    started = time.perf_counter()
    result = _load_pattern(source, own) if source.is_pattern else load_table(source, own)
    return own, result, time.perf_counter() - started


def _org_tree(people: TableLoad, parts: dict[str, list[TableLoad]], log: IssueLog) -> OrgTree | None:
    if "people" in parts and len(parts["people"]) > 1:
        log.add("blocking", "people", people.file,
                "the roster must be one file (a pattern matched several); stack them in "
                "prepare.ipynb or name one file")
        return None
    return build_org(people.frame, people.file, log)


def _resolve_table(table: str, pieces: list[TableLoad], org: OrgTree) -> tuple[IssueLog, pd.DataFrame]:
    """A table's people references resolved (each file of a pattern source on its own)."""
    own = IssueLog()
    resolved = [_resolve_references(table, piece, org, own) for piece in pieces]
    return own, resolved[0] if len(resolved) == 1 else _concat_files(resolved)


def _load_pattern(source: Source, log: IssueLog) -> list[TableLoad]:
    """Every file matching a source's pattern, loaded on its own (issues name each file)."""
    files = source.files()
    if not files:
        log.add("blocking", source.table, source.display_name,
                f"no file in {source.path.parent.name or 'the engagement folder'} matches "
                f"'{source.path.name}'; check the pattern in sources.{source.table}.path")
    loads = [load_table(replace(source, path=path), log) for path in files]
    return [load for load in loads if load is not None]


def _stacked(source: Source, parts: list[TableLoad]) -> TableLoad:
    """One table from several files: rows read add up, the frame is the files' rows in order."""
    if len(parts) == 1:
        return parts[0]
    frames = [p.frame.reset_index() for p in parts]
    return TableLoad(source.table, f"{source.display_name} ({len(parts)} files)",
                     pd.concat(frames, ignore_index=True), sum(p.rows_read for p in parts),
                     sum(p.rows_skipped for p in parts))


def _concat_files(pieces: list[pd.DataFrame]) -> pd.DataFrame:
    """Resolved rows of several files: numbered afresh (a row number is only meaningful in its
    file, and every issue has already named its file and row)."""
    frame = pd.concat([p.reset_index(drop=True) for p in pieces], ignore_index=True)
    frame.index.name = ROW
    return frame


def _roster_date(people: pd.DataFrame, file: str, log: IssueLog) -> dt.date | None:
    """Without dated activity (sales, coaching, training), the roster's latest hire or leaving date,
    said in a warning so the consultant sets as_of to the export date instead."""
    dates = [people[c].max() for c in ("hire_date", "termination_date")
             if c in people.columns and people[c].notna().any()]
    if not dates:
        return None
    latest = max(dates).date()
    log.add("warning", "people", file,
            f"no sales, coaching or training dates: the analysis ends on the roster's latest hire or "
            f"leaving date, {latest:%Y-%m-%d}; set as_of in engagement.yaml to the date of the export")
    return latest


def _input_records(engagement: Engagement) -> list[dict]:
    return [_input_record(t, path) for t, s in engagement.sources.items() for path in s.files()
            if path.is_file()]


def _input_record(table: str, path: Path) -> dict:
    return {"table": table, "file": path.name, "sha256": file_sha256(path), "bytes": path.stat().st_size}


