"""What a client would ask about the data: values that load fine but look wrong, as warnings with rows.

Nothing here blocks a run; each warning names the file, the rows and what to check (a manager
nobody reports to is already a warning of the org checks, org.py):

- text that looks like a spreadsheet formula (starts with =, +, - or @) in a name or title: it is
  stored as text and never run, but a person called "=HYPERLINK(...)" is someone to check;
- two or more people in post with the same name (name-based references to them are ambiguous);
- people counted as reps whose title is not a sales role (a recruiter, an engineer, ...);
- reps in post with no deal in the sales data over the analysis window (new hires, non-quota roles,
  or CRM owners whose names do not match the roster).
"""

from __future__ import annotations

import re

import pandas as pd

from workbook.analyses.window import Window, active_on
from workbook.intake.issues import IssueLog, rows_text
from workbook.intake.tables import ROW
from workbook.lookup import isin

FORMULA_START = ("=", "+", "-", "@")
NOT_SALES = re.compile(r"recruit|coordinator|assistant|administrat|analyst|engineer|developer|support|"
                       r"payroll|accountant|\bhr\b|human resources|receptionist|intern\b", re.IGNORECASE)
# titles of people who manage a team; "Account Manager" and the like are individual sellers
MANAGER_TITLE = re.compile(r"\b(?:sales|team|regional|area|district|branch|general|front[- ]line|group)\s+manager\b|"
                           r"\bmanager,|\bdirector\b|\bhead of\b|\bvp\b|vice president", re.IGNORECASE)
SHOWN = 8   # rows listed in one warning before "and N more"


def _rows(values: pd.Series) -> str:
    return rows_text([int(r) for r in values.dropna()], SHOWN)


def _first_row(values: pd.Series) -> int | None:
    rows = values.dropna()
    return int(rows.iloc[0]) if len(rows) else None


def check_plausibility(tables: dict[str, pd.DataFrame], file: str, window: Window | None,
                       log: IssueLog) -> None:
    """Warnings on the loaded tables (people required; sales when present). `window` is the
    analysis window ending on the as-of date (None without one: everyone not yet left is in post,
    every deal counts)."""
    people = tables.get("people")
    if people is None or people.empty:
        return
    rows = people[ROW] if ROW in people.columns else pd.Series(pd.NA, index=people.index)
    _formula_like(people, rows, file, log)
    if window is not None:
        in_post = active_on(people, window.end)
    elif "termination_date" in people.columns:
        in_post = people["termination_date"].isna()
    else:
        in_post = pd.Series(True, index=people.index)
    staff = people[in_post.to_numpy(dtype=bool)]
    _duplicate_names(staff, rows, file, log)
    role = staff["role"].astype("object") if "role" in staff.columns else pd.Series("rep", index=staff.index)
    reps = staff[(role == "rep").to_numpy()]
    _not_sales_titles(reps, rows, file, log)
    _manager_titles_without_reports(reps, rows, file, log)
    sales = tables.get("sales")
    if sales is not None and not sales.empty and "rep_id" in sales.columns:
        _reps_without_sales(reps, sales, rows, file, window, log)


def _formula_like(people: pd.DataFrame, rows: pd.Series, file: str, log: IssueLog) -> None:
    for column in ("name", "title"):
        if column not in people.columns:
            continue
        text = people[column].astype("string").str.strip()
        hit = text.str.len().gt(1).fillna(False) & text.str[:1].isin(FORMULA_START).fillna(False)
        for pid in people.index[hit.to_numpy(dtype=bool)][:SHOWN]:
            log.add("warning", "people", file,
                    f"{column} looks like a spreadsheet formula; it is kept as text and never run, but "
                    "check this person in the source system", row=_first_row(rows.loc[[pid]]),
                    column=column, value=str(people.at[pid, column]))


def _duplicate_names(staff: pd.DataFrame, rows: pd.Series, file: str, log: IssueLog) -> None:
    if "name" not in staff.columns:
        return
    key = staff["name"].astype("string").str.strip().str.casefold()
    counts = key.value_counts()
    for name in counts.index[counts.to_numpy() > 1]:
        ids = staff.index[(key == name).fillna(False).to_numpy(dtype=bool)]
        log.add("warning", "people", file,
                f"{len(ids)} people in post share this name (ids {', '.join(map(str, ids))}, rows "
                f"{_rows(rows.reindex(ids))}): check they are different people; a file that names them "
                "instead of giving ids cannot tell them apart", row=_first_row(rows.reindex(ids)),
                column="name", value=str(staff.at[ids[0], "name"]))


def _titled(reps: pd.DataFrame, pattern: re.Pattern) -> pd.Series:
    """The titles of the people counted as reps that match `pattern` (empty without titles)."""
    if "title" not in reps.columns or reps.empty:
        return pd.Series(dtype="string")
    titles = reps["title"].astype("string")
    return titles[titles.str.contains(pattern, na=False).to_numpy(dtype=bool)]


def _not_sales_titles(reps: pd.DataFrame, rows: pd.Series, file: str, log: IssueLog) -> None:
    hit = _titled(reps, NOT_SALES)
    if len(hit):
        examples = hit.value_counts().index[:3]
        log.add("warning", "people", file,
                f"{len(hit)} of {len(reps)} people counted as reps have titles that are not sales "
                f"roles ({', '.join(examples)}), rows {_rows(rows.reindex(hit.index))}: if they do "
                "not sell, map their titles to another role in engagement.yaml (roles:) so they are not "
                "trained or counted as reps", row=_first_row(rows.reindex(hit.index)), column="title",
                value=str(examples[0]))


def _manager_titles_without_reports(reps: pd.DataFrame, rows: pd.Series, file: str, log: IssueLog) -> None:
    """A manager whose reps have all left, or whose reports point elsewhere, has nobody reporting to
    them and would count (and be trained) as a rep: said, with the rows."""
    hit = _titled(reps, MANAGER_TITLE)
    if len(hit):
        ids = hit.index
        who = "1 person with a manager title has" if len(ids) == 1 else \
            f"{len(ids)} people with manager titles have"
        log.add("warning", "people", file,
                f"{who} nobody reporting to them in post, so counted as reps (ids "
                f"{', '.join(map(str, ids[:SHOWN]))}, rows {_rows(rows.reindex(ids))}): check their reports' "
                "manager column, or map their titles to a role in engagement.yaml (roles:)",
                row=_first_row(rows.reindex(ids)), column="title", value=str(hit.iloc[0]))


def _reps_without_sales(reps: pd.DataFrame, sales: pd.DataFrame, rows: pd.Series, file: str,
                        window: Window | None, log: IssueLog) -> None:
    owners = sales["rep_id"]
    if window is not None and "date" in sales.columns:
        owners = owners[window.contains(pd.to_datetime(sales["date"], errors="coerce")).fillna(False).to_numpy()]
    sold = pd.Index(owners.dropna().unique()).astype(str)   # distinct owners, not every deal (in Arrow)
    selling = isin(pd.Index(reps.index.astype(str)), sold)
    none = [r for r, hit in zip(reps.index, selling, strict=True) if not hit]
    if none:
        log.add("warning", "people", file,
                f"{len(none)} of {len(reps)} reps in post have no deal in the sales data over the analysis "
                f"window (ids {', '.join(map(str, none[:SHOWN]))}{' ...' if len(none) > SHOWN else ''}): "
                "new hires, roles without a quota, or CRM owners whose names do not match the roster",
                row=_first_row(rows.reindex(none)), column="person_id", value=str(none[0]))
