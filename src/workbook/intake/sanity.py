"""Data sanity after intake: values that parse but cannot be right, and dates that would move the analysis.

Intake checks that each value is of its kind (a date parses, a score is a number). These checks look
at the values against the analysis: a survey score outside the 1-5 scale, a date far after the rest
of the data that would become the as-of date and empty every window, rows dated after the as-of date
(left out of the analysis), and a table that was provided but has no row in the analysis window.
Each is a DataIssue with file, row, column and value; blocking where the analysis would be wrong.

`derive_as_of` chooses the as-of date when engagement.yaml does not set one: the latest date of the
dated tables once isolated outliers are set aside (a cluster of a few dates more than
OUTLIER_GAP_DAYS after everything else), and says how it was chosen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook.analyses.window import Window
from workbook.intake.issues import IssueLog, rows_text
from workbook.intake.tables import ROW, TableLoad

DATE_COLUMNS = {"sales": "date", "coaching": "date", "training": "completed_date"}
WHAT = {"sales": "deals", "coaching": "coaching sessions", "training": "training records"}
OUTLIER_GAP_DAYS = 60      # a date this far after all the others, with few like it, is a typo, not the end
OUTLIER_MAX_SHARE = 0.01   # ... when it holds at most this share of the dated rows
OUTLIER_MAX_ROWS = 20
# tables whose analysis needs rows in the window: none there makes every team's figure zero
WINDOW_NEEDED = ("sales", "coaching")


@dataclass(frozen=True)
class AsOf:
    date: dt.date | None
    how: str   # how it was chosen, printed by validate and run


def _client_rows(frame: pd.DataFrame) -> pd.Series:
    """Each row's number in the client's file: the roster keeps it as a column, the other tables
    are indexed by it."""
    return frame[ROW] if ROW in frame.columns else frame.index.to_series()


def _dates(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every dated row: its table and date, sorted by date."""
    parts = []
    for table, column in DATE_COLUMNS.items():
        frame = tables.get(table)
        if frame is None or frame.empty or column not in frame.columns:
            continue
        dates = pd.to_datetime(frame[column], errors="coerce")
        parts.append(pd.DataFrame({"table": table, "date": dates.to_numpy()}))
    if not parts:
        return pd.DataFrame(columns=["table", "date"])
    out = pd.concat(parts, ignore_index=True)
    return out[out["date"].notna()].sort_values("date", kind="mergesort").reset_index(drop=True)


def outlier_cut(dates: pd.Series) -> pd.Timestamp | None:
    """The latest date of the bulk, or None when no outliers sit after it: walking back from the
    end, a cluster of dates (each within OUTLIER_GAP_DAYS of the next) separated from the earlier
    dates by more than OUTLIER_GAP_DAYS, and small (≤ OUTLIER_MAX_SHARE of rows and ≤
    OUTLIER_MAX_ROWS), is set aside; repeated while clusters like it remain. Clusters are found from
    the gaps between consecutive dates at once: a CRM export's millions of dates are not walked one
    by one."""
    values = np.sort(pd.to_datetime(dates).dropna().to_numpy(dtype="datetime64[ns]"))
    n = len(values)
    gaps = np.diff(values) > np.timedelta64(pd.Timedelta(days=OUTLIER_GAP_DAYS))
    breaks = np.flatnonzero(gaps) + 1   # the first date of each cluster
    limit = max(1, min(OUTLIER_MAX_ROWS, OUTLIER_MAX_SHARE * n))
    end, cut = n, None
    while end > 1:
        before = np.searchsorted(breaks, end - 1, side="right")   # breaks at or before the last date
        start = int(breaks[before - 1]) if before else 0
        if start == 0 or end - start > limit:
            break
        end, cut = start, pd.Timestamp(values[start - 1])
    return cut


def derive_as_of(tables: dict[str, pd.DataFrame], loads: dict[str, TableLoad], set_date: dt.date | None) -> AsOf:
    """The as-of date and how it was chosen (None when nothing is dated: the roster's dates then)."""
    if set_date is not None:
        return AsOf(set_date, "set in engagement.yaml")
    dated = _dates(tables)
    if dated.empty:
        return AsOf(None, "")
    cut = outlier_cut(dated["date"])
    bulk = dated if cut is None else dated[dated["date"] <= cut]
    latest = bulk["date"].max()
    source = bulk.loc[bulk["date"] == latest, "table"].iloc[0]
    how = f"the latest {WHAT[source].rstrip('s')} date in {loads[source].file}" if source in loads \
        else "the latest date in the data"
    if cut is not None:
        outliers = dated[dated["date"] > cut]
        how += (f", leaving out {len(outliers)} date(s) far after the rest of the data (see the "
                "warnings); set as_of in engagement.yaml to the export date to be sure")
    return AsOf(latest.date(), how)


def check_dates_after_as_of(tables: dict[str, pd.DataFrame], loads: dict[str, TableLoad], as_of: dt.date,
                            log: IssueLog) -> None:
    """Rows dated after the as-of date are outside every window: one warning per table, rows named."""
    end = pd.Timestamp(as_of)
    for table, column in DATE_COLUMNS.items():
        frame = tables.get(table)
        if frame is None or frame.empty or column not in frame.columns or table not in loads:
            continue
        dates = pd.to_datetime(frame[column], errors="coerce")
        late = (dates >= end + pd.Timedelta(days=1)).to_numpy()   # any time on the as-of day is in
        if not late.any():
            continue
        rows = _client_rows(frame)[late]
        log.add("warning", table, loads[table].file,
                f"{int(late.sum())} {WHAT[table]} dated after the as-of date {as_of:%Y-%m-%d} (rows "
                f"{rows_text(sorted(int(r) for r in rows))}) are left out of the analysis: check the "
                "dates, or set as_of in engagement.yaml to the export date",
                row=int(rows.iloc[0]), column=column, value=f"{dates[late].iloc[0]:%Y-%m-%d}")


def check_window_has_data(tables: dict[str, pd.DataFrame], loads: dict[str, TableLoad], window: Window,
                          log: IssueLog) -> None:
    """A sales or coaching table provided with dated rows but none in the analysis window would make
    every team's revenue or coaching zero: blocking, with the dates the file does hold."""
    for table in WINDOW_NEEDED:
        frame = tables.get(table)
        column = DATE_COLUMNS[table]
        if frame is None or frame.empty or column not in frame.columns or table not in loads:
            continue
        dates = pd.to_datetime(frame[column], errors="coerce").dropna()
        if dates.empty or window.contains(dates).any():
            continue
        log.add("blocking", table, loads[table].file,
                (f"none of the {len(dates):,} {WHAT[table]} is" if len(dates) > 1 else
                 f"the file's one {WHAT[table][:-1]} is not") + " dated in the analysis window "
                f"({window.start:%Y-%m-%d} to {window.end:%Y-%m-%d}); the file's dates run from "
                f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}. Set as_of in engagement.yaml to the "
                f"date of the export, or check the {column} column's mapping", column=column,
                value=f"{dates.max():%Y-%m-%d}")


@dataclass(frozen=True)
class Domain:
    """Where a column's values can lie, and what happens to a value outside: 'drop' leaves the row
    out, 'blank' leaves the value out (the rest of the row counts), 'keep' only warns."""

    table: str
    column: str
    low: float | None
    high: float | None
    action: str
    consequence: str
    low_inclusive: bool = True


DOMAINS = (
    Domain("survey", "score", 1, 5, "drop", "left out of the readiness scores (the respondent's other "
           "answers count); check the survey export's scale"),
    Domain("coaching", "quality", 1, 5, "blank", "the rating is left out (the session's time counts); "
           "check the coaching log's rating scale"),
    Domain("coaching", "minutes", 0, None, "drop", "not a coaching session: left out of coaching hours",
           low_inclusive=False),
    Domain("coaching", "minutes", None, 480, "keep", "a session over 8 hours is counted as logged; check "
           "the column holds minutes, not seconds"),
    Domain("sales", "amount", 0, None, "keep", "counted as logged (a credit note reduces the rep's revenue); "
           "check it is not a sign error"),
    Domain("people", "annual_quota", 0, None, "blank", "left out: the team's attainment uses the quota "
           "assumption instead", low_inclusive=False),
    Domain("compensation", "target_variable", 0, None, "blank", "left out: no payout is simulated for "
           "this plan"),
    Domain("compensation", "base_salary", 0, None, "blank", "left out"),
)
ROWS_NAMED = 10   # rows named one by one before a table's remaining out-of-range values are summed up


def _scale(d: Domain) -> str:
    if d.low is not None and d.high is not None:
        return f"outside the {d.low:g}-{d.high:g} scale"
    if d.high is not None:
        return f"above {d.high:g}"
    return "negative" if d.low == 0 and d.low_inclusive else f"{'below' if d.low_inclusive else 'at or below'} " \
        f"{d.low:g}"


def check_domains(tables: dict[str, pd.DataFrame], loads: dict[str, TableLoad], log: IssueLog) -> None:
    """Values that parse but lie outside their column's domain (DOMAINS), each named with its row;
    dropped or blanked as the domain says, so no analysis reads them."""
    for d in DOMAINS:
        frame = tables.get(d.table)
        if frame is None or frame.empty or d.column not in frame.columns or d.table not in loads:
            continue
        values = pd.to_numeric(frame[d.column], errors="coerce")
        bad = pd.Series(False, index=frame.index)
        if d.low is not None:
            bad |= values < d.low if d.low_inclusive else values <= d.low
        if d.high is not None:
            bad |= values > d.high
        bad = (bad & values.notna()).to_numpy()
        if not bad.any():
            continue
        rows = _client_rows(frame)
        column = d.column
        if d.action == "keep":   # kept as logged: one warning naming the rows
            listed = [int(r) for r in rows[bad]]
            log.add("warning", d.table, loads[d.table].file,
                    f"{len(listed)} {d.column.replace('_', ' ')} value(s) {_scale(d)} (rows {rows_text(listed)}): "
                    f"{d.consequence}", row=listed[0], column=column, value=f"{values[bad].iloc[0]:g}")
            continue
        named = 0
        for i in range(len(frame)):
            if not bad[i]:
                continue
            if named == ROWS_NAMED:
                rest = int(bad.sum()) - ROWS_NAMED
                log.add("warning", d.table, loads[d.table].file,
                        f"{rest} more {d.column} values {_scale(d)}: {d.consequence}", column=column)
                break
            dimension = frame["dimension"].iloc[i] if d.table == "survey" and "dimension" in frame else ""
            log.add("warning", d.table, loads[d.table].file,
                    f"{d.column.replace('_', ' ')} {values.iloc[i]:g} is {_scale(d)}: {d.consequence}",
                    row=int(rows.iloc[i]), column=str(dimension or column), value=f"{values.iloc[i]:g}")
            named += 1
        if d.action == "drop":
            tables[d.table] = frame[~bad]
        elif d.action == "blank":
            frame = frame.copy()
            frame.loc[bad, d.column] = pd.NA if frame[d.column].dtype != float else float("nan")
            tables[d.table] = frame


def check_leaving_before_hire(tables: dict[str, pd.DataFrame], loads: dict[str, TableLoad],
                              log: IssueLog) -> None:
    """A leaving date before the hire date is how an HRIS shows a rehire (the old leaving date kept,
    the hire date moved on): read as in post since the hire date, and said, so the person is neither
    a leaver with negative time on the team nor silently dropped."""
    people = tables.get("people")
    if people is None or people.empty or "people" not in loads or not {"hire_date", "termination_date"} <= set(
            people.columns):
        return
    hired = pd.to_datetime(people["hire_date"], errors="coerce")
    left = pd.to_datetime(people["termination_date"], errors="coerce")
    bad = (left < hired).fillna(False).to_numpy(dtype=bool)
    if not bad.any():
        return
    rows = _client_rows(people)
    for i in range(len(people)):
        if bad[i]:
            log.add("warning", "people", loads["people"].file,
                    f"leaving date {left.iloc[i]:%Y-%m-%d} is before the hire date {hired.iloc[i]:%Y-%m-%d}: read "
                    "as a rehire, in post since the hire date; check this person in the HRIS",
                    row=int(rows.iloc[i]), column="termination_date", value=f"{left.iloc[i]:%Y-%m-%d}")
    people = people.copy()
    people.loc[bad, "termination_date"] = pd.NaT
    if "termination_type" in people.columns:
        people.loc[bad, "termination_type"] = pd.NA
    tables["people"] = people
