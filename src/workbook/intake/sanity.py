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

import pandas as pd

from workbook.analyses.window import Window
from workbook.intake.issues import IssueLog, rows_text
from workbook.intake.tables import ROW, TableLoad

DATE_COLUMNS = {"sales": "date", "coaching": "date", "training": "completed_date"}
WHAT = {"sales": "deals", "coaching": "coaching sessions", "training": "training records"}
SURVEY_SCALE = (1.0, 5.0)
OUTLIER_GAP_DAYS = 60      # a date this far after all the others, with few like it, is a typo, not the end
OUTLIER_MAX_SHARE = 0.01   # ... when it holds at most this share of the dated rows
OUTLIER_MAX_ROWS = 20
# tables whose analysis needs rows in the window: none there makes every team's figure zero
WINDOW_NEEDED = ("sales", "coaching")


@dataclass(frozen=True)
class AsOf:
    date: dt.date | None
    how: str   # how it was chosen, printed by validate and run


def _dates(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every dated row: table, row, date."""
    parts = []
    for table, column in DATE_COLUMNS.items():
        frame = tables.get(table)
        if frame is None or frame.empty or column not in frame.columns:
            continue
        dates = pd.to_datetime(frame[column], errors="coerce")
        rows = frame.index.to_series() if frame.index.name == ROW else frame.get(ROW, frame.index.to_series())
        parts.append(pd.DataFrame({"table": table, "row": rows.to_numpy(), "date": dates.to_numpy()}))
    if not parts:
        return pd.DataFrame(columns=["table", "row", "date"])
    out = pd.concat(parts, ignore_index=True)
    return out[out["date"].notna()].sort_values("date", kind="mergesort").reset_index(drop=True)


def outlier_cut(dates: pd.Series) -> pd.Timestamp | None:
    """The latest date of the bulk, or None when no outliers sit after it: walking back from the
    end, a cluster of dates (each within OUTLIER_GAP_DAYS of the next) separated from the earlier
    dates by more than OUTLIER_GAP_DAYS, and small (≤ OUTLIER_MAX_SHARE of rows and ≤
    OUTLIER_MAX_ROWS), is set aside; repeated while clusters like it remain."""
    values = dates.sort_values().reset_index(drop=True)
    n = len(values)
    end, cut = n, None
    gap = pd.Timedelta(days=OUTLIER_GAP_DAYS)
    while end > 1:
        start = end - 1
        while start > 0 and values[start] - values[start - 1] <= gap:
            start -= 1
        size = end - start
        if start == 0 or size > max(1, min(OUTLIER_MAX_ROWS, OUTLIER_MAX_SHARE * n)):
            break
        end, cut = start, values[start - 1]
    return cut


def derive_as_of(tables: dict[str, pd.DataFrame], loads: dict[str, TableLoad], set_date: dt.date | None,
                 log: IssueLog) -> AsOf:
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
        late = frame.index[(dates > end + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)).to_numpy()]
        if len(late) == 0:
            continue
        first = late[0]
        log.add("warning", table, loads[table].file,
                f"{len(late)} {WHAT[table]} dated after the as-of date {as_of:%Y-%m-%d} (rows "
                f"{rows_text(sorted(int(r) for r in late))}) are left out of the analysis: check the "
                "dates, or set as_of in engagement.yaml to the export date",
                row=int(first), column=column, value=f"{dates.loc[first]:%Y-%m-%d}")


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


def check_survey_scale(tables: dict[str, pd.DataFrame], loads: dict[str, TableLoad], log: IssueLog) -> None:
    """Scores outside the 1-5 scale are left out (a blank, not a guess), each named."""
    survey = tables.get("survey")
    if survey is None or survey.empty or "score" not in survey.columns or "survey" not in loads:
        return
    score = pd.to_numeric(survey["score"], errors="coerce")
    low, high = SURVEY_SCALE
    bad = (score.notna() & ((score < low) | (score > high))).to_numpy()
    if not bad.any():
        return
    for row, value, dimension in zip(survey.index[bad], score[bad], survey.get(
            "dimension", pd.Series("", index=survey.index))[bad], strict=True):
        log.add("warning", "survey", loads["survey"].file,
                f"score {value:g} is outside the {low:g}-{high:g} scale: left out of the readiness "
                "scores (the respondent's other answers count); check the survey export's scale",
                row=int(row), column=str(dimension or "score"), value=f"{value:g}")
    tables["survey"] = survey[~bad]
