"""The org tree: who reports to whom, roles, spans of control, and person references.

People may be referenced by id or by name. A name resolves only when it
matches exactly one person after trimming and case folding; anything else is
a DataIssue naming the rows concerned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook.intake.cleaning import name_key
from workbook.intake.distinct import factorize, is_text_dtype
from workbook.intake.issues import IssueLog
from workbook.intake.tables import ROW
from workbook.lookup import isin

PEOPLE_COLUMNS = ["person_id", "name", "manager_id", "role", "title", "hire_date", "termination_date",
                  "termination_type", "team", "region", "annual_quota"]


@dataclass
class OrgTree:
    """People indexed by person_id with resolved managers, roles and spans."""

    people: pd.DataFrame   # index person_id; columns PEOPLE_COLUMNS minus person_id, plus span, _row
    by_name: dict[str, list[str]]   # name key -> person ids with that name

    def front_line_managers(self) -> pd.DataFrame:
        return self.people[self.people["role"] == "manager"]

    def reps(self) -> pd.DataFrame:
        return self.people[self.people["role"] == "rep"]

    def leaders(self) -> pd.DataFrame:
        return self.people[self.people["role"] == "leader"]


def build_org(raw: pd.DataFrame, file: str, log: IssueLog) -> OrgTree | None:
    """Canonical people rows -> OrgTree; None when a blocking problem (cycle, conflicting ids)."""
    people = raw.reset_index()
    for column in PEOPLE_COLUMNS:
        if column not in people.columns:
            people[column] = pd.NA
    if people["person_id"].isna().all():
        people["person_id"] = "N:" + name_key(people["name"])
    else:
        no_id = people["person_id"].isna()
        for row in people.loc[no_id, ROW]:
            log.add("warning", "people", file, "person without an id; row excluded", row=int(row),
                    column="person_id")
        people = people[~no_id]
    people["name"] = people["name"].fillna(people["person_id"])
    people = _clear_no_manager(people, file, log)
    people, ids_ok = _dedupe_people(people, file, log)
    people["inferred"] = False
    people = _infer_managers(people, file, log)
    by_name = _names_index(people)
    people = people.set_index("person_id", drop=False)
    people.index.name = "id"
    people["manager_id"] = _resolve_managers(people, by_name, file, log)
    cycles_ok = _check_cycles(people, file, log)
    if not (ids_ok and cycles_ok):   # every blocking problem is reported before giving up
        return None
    people["role"] = _roles(people, file, log)
    people["span"] = people["manager_id"].value_counts().reindex(people.index, fill_value=0)
    people = people.drop(columns=["manager_name"], errors="ignore")
    people.index.name = None
    return OrgTree(people, by_name)


# what HRIS exports put in the manager column of someone without one (SuccessFactors NO_MANAGER,
# a zero id, "Vacant" for an open position)
NO_MANAGER = r"(?i)^\s*(?:no[\s_-]*manager|0+|top|vacant|tbd|to be (?:hired|determined))\s*$"


def _clear_no_manager(people: pd.DataFrame, file: str, log: IssueLog) -> pd.DataFrame:
    """Placeholders in the manager column mean "no manager", not a person to infer."""
    for column in ("manager_id", "manager_name"):
        if column not in people.columns:
            continue
        text = people[column].astype("string")
        sentinel = text.str.fullmatch(NO_MANAGER).fillna(False).to_numpy(dtype=bool)
        if sentinel.any():
            for value, count in text[sentinel].value_counts().items():
                log.add("warning", "people", file, f"manager given as '{value}' for {count} person(s): "
                        "treated as having no manager", column=column, value=value)
            people = people.copy()
            people.loc[sentinel, column] = pd.NA
    return people


def _dedupe_people(people: pd.DataFrame, file: str, log: IssueLog) -> tuple[pd.DataFrame, bool]:
    """(people with each id once, whether the ids are usable): an id used for two different
    people is blocking, but the first row is kept so the rest of the roster is still checked."""
    dup = people["person_id"].duplicated(keep=False)
    if not dup.any():
        return people, True
    blocking = False
    compare = [c for c in people.columns if c != ROW]
    for pid, group in people[dup].groupby("person_id", sort=True):
        rows = ", ".join(str(int(r)) for r in group[ROW])
        if len(group[compare].astype(str).drop_duplicates()) == 1:
            log.add("warning", "people", file, f"person listed twice with identical details (rows {rows}); "
                    "kept once", row=int(group[ROW].iloc[1]), column="person_id", value=pid)
        else:
            differing = [c for c in compare if group[c].astype(str).nunique() > 1]
            log.add("blocking", "people", file,
                    f"the same id is used for different people (rows {rows}; they differ in "
                    f"{', '.join(differing)}); give each person a unique id",
                    row=int(group[ROW].iloc[0]), column="person_id", value=pid)
            blocking = True
    return people.drop_duplicates("person_id", keep="first"), not blocking


def _infer_managers(people: pd.DataFrame, file: str, log: IssueLog) -> pd.DataFrame:
    """Managers who exist only in the manager column (by id or by name, no row of their own)
    become people of their own, flagged `inferred`, so their teams are assessed.

    The common shape of a CRM "sales teams" sheet and of many HRIS extracts: each row a rep, the
    manager given by name only. A name matching one person in the roster is that person; a name
    matching nobody becomes an inferred manager (id "N:<name>"); an ambiguous name stays a warning.
    """
    known_ids = set(people["person_id"].dropna().tolist())   # tolist: not an Arrow scalar per person
    keys = name_key(people["name"])
    known_names = set(keys.dropna().tolist())
    new_rows: list[dict] = []
    by_id = people["manager_id"].notna() & ~isin(people["manager_id"], known_ids)
    if by_id.any():
        named = people["manager_name"] if "manager_name" in people.columns else pd.Series(pd.NA, index=people.index)
        for manager_id, group in people[by_id].groupby("manager_id", sort=True):
            names = named[group.index].dropna()
            new_rows.append({"person_id": manager_id, "name": names.iloc[0] if len(names) else manager_id,
                             ROW: int(group[ROW].min()), "reports": len(group)})
    if "manager_name" in people.columns:
        use_name = people["manager_id"].isna() & people["manager_name"].notna()
        manager_keys = name_key(people.loc[use_name, "manager_name"])
        unknown = manager_keys.notna() & ~isin(manager_keys, known_names)
        rows = people.loc[use_name][unknown.to_numpy()]
        for key, group in rows.groupby(manager_keys[unknown], sort=True):
            new_rows.append({"person_id": f"N:{key}", "name": group["manager_name"].iloc[0],
                             ROW: int(group[ROW].min()), "reports": len(group), "key": key})
    if not new_rows:
        return people
    for new in new_rows:
        log.add("warning", "people", file,
                f"manager '{new['name']}' has no row of their own in the roster; added as an inferred "
                f"person from the manager column ({new['reports']} direct report(s)); send a roster row "
                "(hire date, title) to assess them fully", row=new[ROW],
                column="manager_name" if "key" in new else "manager_id", value=new["name"])
    added = pd.DataFrame({"person_id": [n["person_id"] for n in new_rows],
                          "name": [n["name"] for n in new_rows],
                          ROW: [n[ROW] for n in new_rows], "inferred": True})
    for column in people.columns:
        if column not in added.columns:
            added[column] = pd.NA
    added = added[people.columns].astype(people.dtypes.to_dict(), errors="ignore")
    return pd.concat([people, added], ignore_index=True)


def _names_index(people: pd.DataFrame) -> dict[str, list[str]]:
    keys = name_key(people["name"])
    index: dict[str, list[str]] = {}
    for key, pid in zip(keys.tolist(), people["person_id"].tolist(), strict=True):
        if pd.notna(key):
            index.setdefault(key, []).append(pid)
    return index


def _resolve_managers(people: pd.DataFrame, by_name: dict[str, list[str]], file: str,
                      log: IssueLog) -> pd.Series:
    manager = people["manager_id"].copy()
    if "manager_name" in people.columns and people["manager_name"].notna().any():
        use_name = manager.isna() & people["manager_name"].notna()
        resolved = resolve_names(people.loc[use_name, "manager_name"], people.loc[use_name, ROW],
                                 by_name, people, "people", file, "manager_name", log,
                                 "manager", exclude_note="treated as having no manager")
        manager.loc[use_name] = resolved
    self_ref = manager.eq(people["person_id"]).fillna(False)
    for pid in people.index[self_ref]:
        log.add("warning", "people", file, "person is listed as their own manager; treated as top of the tree",
                row=int(people.at[pid, ROW]), column="manager_id", value=pid)
    manager = manager.mask(self_ref)
    unknown = manager.notna() & ~isin(manager, people.index)
    for pid in people.index[unknown]:
        log.add("warning", "people", file,
                "manager id not found in the roster; person treated as having no manager",
                row=int(people.at[pid, ROW]), column="manager_id", value=manager[pid])
    return manager.mask(unknown).astype("string")


def resolve_names(names: pd.Series, rows: pd.Series, by_name: dict[str, list[str]],
                  people: pd.DataFrame, table: str, file: str, column: str, log: IssueLog,
                  what: str, exclude_note: str = "excluded", limit: int = 10) -> pd.Series:
    """Names -> person ids; unknown or ambiguous names become NA with one issue per distinct name."""
    # each distinct name is keyed and looked up once, then spread back by its code: a CRM export
    # repeats a few thousand owners millions of times
    codes, distinct = factorize(names)
    unique_keys = name_key(pd.Series(distinct, dtype=distinct.dtype if is_text_dtype(names) else object)
                           ).to_numpy(dtype=object)
    unique_ids = [by_name[k][0] if isinstance(k, str) and len(by_name.get(k, [])) == 1 else None
                  for k in unique_keys]
    codes = np.where(codes < 0, len(unique_ids), codes)   # a missing name: the appended NA
    ids = pd.Series(pd.array(unique_ids + [None], dtype="string").take(codes), index=names.index)
    # a name that has a key but no single person: unknown or ambiguous, reported below
    unique_failed = np.array([isinstance(k, str) and i is None
                              for k, i in zip(unique_keys, unique_ids, strict=True)] + [False])
    failed = unique_failed[codes]
    if failed.any():
        frame = pd.DataFrame({"key": unique_keys[codes[failed]], "name": names[failed], "row": rows[failed]})
        for key, group in frame.groupby("key", sort=True):
            shown = ", ".join(str(int(r)) for r in group["row"].head(limit))
            more = f" and {len(group) - limit} more" if len(group) > limit else ""
            matches = by_name.get(key, [])
            if matches:
                their_rows = ", ".join(str(int(people.at[m, ROW])) for m in matches if m in people.index)
                message = (f"{what} name matches {len(matches)} people in the roster (roster rows "
                           f"{their_rows}); use ids instead. {len(group)} row(s) {exclude_note} "
                           f"(rows {shown}{more})")
            else:
                message = (f"{what} '{group['name'].iloc[0]}' is not in the roster; {len(group)} row(s) "
                           f"{exclude_note} (rows {shown}{more})")
            log.add("warning", table, file, message, row=int(group["row"].iloc[0]), column=column,
                    value=group["name"].iloc[0])
    return ids


def resolve_ids(ids: pd.Series, rows: pd.Series, people: pd.DataFrame, table: str, file: str,
                column: str, log: IssueLog, what: str, limit: int = 10) -> pd.Series:
    """Ids that are not in the roster become NA, with one warning per distinct id."""
    codes, distinct = factorize(ids)   # each distinct id checked once
    known = np.append(isin(pd.Index(distinct), people.index), True)
    unknown = pd.Series(~known[np.where(codes < 0, len(known) - 1, codes)], index=ids.index)
    if unknown.any():
        frame = pd.DataFrame({"id": ids[unknown], "row": rows[unknown]})
        for pid, group in frame.groupby("id", sort=True):
            shown = ", ".join(str(int(r)) for r in group["row"].head(limit))
            more = f" and {len(group) - limit} more" if len(group) > limit else ""
            log.add("warning", table, file,
                    f"{what} id not in the roster; {len(group)} row(s) excluded (rows {shown}{more})",
                    row=int(group["row"].iloc[0]), column=column, value=pid)
    return ids.mask(unknown)


def _check_cycles(people: pd.DataFrame, file: str, log: IssueLog) -> bool:
    """Every chain of managers must end at the top; a loop is blocking."""
    managers = people["manager_id"].dropna()
    parent = dict(zip(managers.index.tolist(), managers.tolist(), strict=True))
    state: dict[str, int] = {}  # 1 = on the current path, 2 = known to reach the top
    reported: set[str] = set()
    ok = True
    for start in people.index.tolist():
        path: list[str] = []
        node = start
        while node is not None and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = parent.get(node)
        if node is not None and state.get(node) == 1 and node not in reported:
            loop = path[path.index(node):]
            reported.update(loop)
            rows = ", ".join(str(int(people.at[p, ROW])) for p in loop)
            log.add("blocking", "people", file,
                    f"management cycle: {' -> '.join(loop + [node])} (rows {rows}); "
                    "someone in this loop must report outside it",
                    row=int(people.at[loop[0], ROW]), column="manager_id", value=people.at[loop[0], "manager_id"])
            ok = False
        for p in path:
            state[p] = 2
    return ok


def _roles(people: pd.DataFrame, file: str, log: IssueLog) -> pd.Series:
    """Roles from the tree, whatever the title: a person with reports of their own is not a rep;
    a person with at least one direct report who manages nobody (a rep) is a front-line manager,
    even when they also lead other managers (a VP with reps of their own is also that team's
    manager); someone whose reports all manage others is a leader. A given role is kept where the
    tree agrees, and a disagreement is reported."""
    has_reports = isin(people.index, people["manager_id"].dropna())
    leaf = pd.Series(~has_reports, index=people.index)
    manages_reps = isin(people.index, people.loc[leaf.to_numpy() & people["manager_id"].notna().to_numpy(),
                                                "manager_id"])
    derived = pd.Series("rep", index=people.index, dtype="string")
    derived[has_reports] = "leader"
    derived[manages_reps] = "manager"
    given = people["role"].astype("string")
    role = given.fillna(derived)
    leader_with_reps = given.eq("leader").fillna(False).to_numpy() & manages_reps
    for pid in people.index[leader_with_reps]:
        reps = int((leaf & people["manager_id"].eq(pid).fillna(False)).sum())
        log.add("warning", "people", file,
                f"listed as leader but {reps} rep(s) report to them directly; assessed as the front-line "
                "manager of those reps", row=int(people.at[pid, ROW]), column="role", value=given[pid])
    role = role.mask(pd.Series(leader_with_reps, index=people.index), "manager")
    claimed_manager = given.isin(["manager", "leader"]) & ~has_reports
    for pid in people.index[claimed_manager & people["termination_date"].isna()]:
        log.add("warning", "people", file, f"listed as {given[pid]} but nobody reports to them",
                row=int(people.at[pid, ROW]), column="role", value=given[pid])
    rep_with_reports = given.eq("rep") & has_reports
    for pid in people.index[rep_with_reports.fillna(False)]:
        log.add("warning", "people", file, "listed as rep but has direct reports; treated as manager",
                row=int(people.at[pid, ROW]), column="role", value=given[pid])
    return role.mask(rep_with_reports.fillna(False), "manager")
