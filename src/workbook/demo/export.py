"""A synthetic IT-staffing client, Northwind Talent Partners, exported the way real systems export.

`generate_demo(folder)` writes an engagement folder: the HRIS roster, a CRM deal export, a
coaching log, LMS records, a readiness survey and comp plans, each as messy as the real thing
(title rows, text money, mixed date formats, stray spaces, a BOM, cp1252, a totals footer),
plus a commented engagement.yaml that maps them. Same arguments -> byte-identical files.

The story planted in the data (ids and names are fixed whatever the seed or size):
- PLANTED_WEAK_MANAGER_ID: a big team (13 reps in post) that lost 11 reps in the year, 4 of them
  involuntarily (all replaced), no coaching logged at all, skipped both the sales program and the
  manager coaching program, low ADKAR scores: attrition clearly above the organisation's.
- PLANTED_TEAM_OF_THREE_ID: three reps in post and two leavers: a raw attrition rate far above the
  organisation's that a team this small cannot show to be real (reported with its interval, not
  flagged).
- PLANTED_LOW_BUY_IN_ID: good numbers (results, coaching at the target, both programs completed)
  but awareness and desire at 2 of 5: gated from 'ready', a buy-in step before training.
- PLANTED_NEAR_TARGET_ID: coaches a little below the target: a small gap, so a small share of the
  ROI (dose, not switch).
- PLANTED_STRONG_COACH_ID: ~4 coaching hours per rep per month, every rep coached, mostly core
  performers, both programs completed with high scores, high ADKAR scores.
- PLANTED_WEAK_COACH_IDS: under an hour per rep per month, spent mostly on low performers.
- PLANTED_NO_SURVEY_IDS: managers who never answered the readiness survey.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from workbook.demo.activity import build_comp, build_survey
from workbook.demo.csv_bytes import (
    as_bytes,
    concat,
    day_lookup,
    encoded,
    grouped,
    write_rows,
)
from workbook.demo.follow_up import build_activity
from workbook.demo.org_data import (
    ACCENTED_REP,
    ACCOUNT_PREFIX,
    ACCOUNT_SUFFIX,
    COACHING_PROGRAM,
    CONTRACTOR_NAME,
    INJECTION_TITLE,
    PLANTED,
    SALES_PROGRAM,
    build_org,
    day,
    window_start,
)

CLIENT = "Northwind Talent Partners"
PLANTED_WEAK_MANAGER_ID, PLANTED_WEAK_MANAGER_NAME = PLANTED["weak_manager"]
PLANTED_STRONG_COACH_ID, PLANTED_STRONG_COACH_NAME = PLANTED["strong_coach"]
PLANTED_WEAK_COACH_IDS = (PLANTED["weak_coach_1"][0], PLANTED["weak_coach_2"][0])
PLANTED_WEAK_COACH_NAMES = (PLANTED["weak_coach_1"][1], PLANTED["weak_coach_2"][1])
PLANTED_NO_SURVEY_IDS = (PLANTED["no_survey_1"][0], PLANTED["no_survey_2"][0])
PLANTED_TEAM_OF_THREE_ID, PLANTED_TEAM_OF_THREE_NAME = PLANTED["team_of_three"]
PLANTED_LOW_BUY_IN_ID, PLANTED_LOW_BUY_IN_NAME = PLANTED["low_buy_in"]
PLANTED_NEAR_TARGET_ID, PLANTED_NEAR_TARGET_NAME = PLANTED["near_target_coach"]
UNKNOWN_DEAL_OWNER = CONTRACTOR_NAME
__all__ = ["generate_demo", "CLIENT", "PLANTED_WEAK_MANAGER_ID", "PLANTED_WEAK_MANAGER_NAME",
           "PLANTED_STRONG_COACH_ID", "PLANTED_STRONG_COACH_NAME", "PLANTED_WEAK_COACH_IDS",
           "PLANTED_WEAK_COACH_NAMES", "PLANTED_NO_SURVEY_IDS", "UNKNOWN_DEAL_OWNER", "ACCENTED_REP",
           "INJECTION_TITLE", "SALES_PROGRAM", "COACHING_PROGRAM", "FILES"]

FILES = {"people": "HRIS Roster.xlsx", "sales": "crm_deals_export.csv", "coaching": "coaching_log.csv",
         "training": "LMS Export.xlsx", "survey": "Readiness Survey.xlsx",
         "compensation": "Comp Plans.xlsx"}
LARGE_PEOPLE = 5000
EXCEL_EPOCH = 25569                     # Excel serial of 1970-01-01
MONTHS = np.array(b"Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), dtype="S")


def generate_demo(folder: str | Path, *, seed: int = 7, people: int = 120, months: int = 12,
                  deals_per_rep_month: float = 6.0, sessions_per_rep_month: float | None = None,
                  as_of: dt.date = dt.date(2026, 9, 30), fmt_large: bool = False, follow_up: bool = False) -> Path:
    """Write the demo engagement into `folder` (created with parents) and return its path.

    `people` is the roster size (current and departed, at least 100: room for the planted teams). `sessions_per_rep_month`
    rescales the coaching of the unplanted managers so the whole log averages that rate (the
    planted managers keep their story). `fmt_large` writes the workbooks in xlsxwriter's
    constant-memory mode, as is done anyway above 5,000 people. `follow_up`: the same people six
    months later, a programme effect planted (`workbook.demo.follow_up`).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    w0 = day(window_start(as_of, months))
    org = build_org(rng, people, as_of, months)
    as_of, deals, sessions, lms = build_activity(rng, org, as_of, w0, deals_per_rep_month,
                                                 sessions_per_rep_month, follow_up)
    a = day(as_of)
    survey = build_survey(rng, org, a)
    comp = build_comp(rng, org)
    exported = dt.datetime.combine(as_of + dt.timedelta(days=2), dt.time(8, 14))
    big = fmt_large or people > LARGE_PEOPLE
    _write_roster(folder / FILES["people"], rng, org, exported, big)
    _write_deals(folder / FILES["sales"], rng, org, deals)
    _write_coaching(folder / FILES["coaching"], rng, org, sessions)
    _write_lms(folder / FILES["training"], rng, org, lms, exported, big)
    _write_survey(folder / FILES["survey"], org, survey, exported, big)
    _write_comp(folder / FILES["compensation"], rng, org, comp, exported, big)
    (folder / "engagement.yaml").write_text(ENGAGEMENT_YAML.format(client=CLIENT, as_of=as_of.isoformat(),
                                            **FILES), encoding="utf-8", newline="\n")
    return folder


# --- workbooks ----------------------------------------------------------------------------------

def _workbook(path: Path, created: dt.datetime, big: bool) -> xlsxwriter.Workbook:
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": big, "strings_to_formulas": False,
                                         "strings_to_numbers": False, "strings_to_urls": False})
    wb.set_properties({"created": created, "author": "HRIS Export Service", "company": CLIENT})
    return wb


def _sheet(wb: xlsxwriter.Workbook, name: str, headers: list[str], columns: list[list],
           kinds: list[str], title_rows: tuple[str, ...] = ()) -> None:
    """Write rows in order (constant-memory safe). kinds: text, num, money, date, datetime, pct."""
    ws = wb.add_worksheet(name)
    fmts = {"date": wb.add_format({"num_format": "yyyy-mm-dd"}), "money": wb.add_format({"num_format": "#,##0"}),
            "datetime": wb.add_format({"num_format": "yyyy-mm-dd hh:mm"}), "num": None,
            "pct": wb.add_format({"num_format": "0%"}), "head": wb.add_format({"bold": True})}
    for r, text in enumerate(title_rows):
        if text:
            ws.write_string(r, 0, text)
    top = len(title_rows)
    for c, h in enumerate(headers):
        ws.write_string(top, c, h, fmts["head"])
        ws.set_column(c, c, max(12, len(h) + 2))
    for r, row in enumerate(zip(*columns, strict=True), start=top + 1):
        for c, (v, kind) in enumerate(zip(row, kinds, strict=True)):
            if v is None or v == "" or (isinstance(v, float) and v != v):
                continue
            if kind == "text" or isinstance(v, str):
                ws.write_string(r, c, v)
            else:
                ws.write_number(r, c, v, fmts[kind])


def _write_roster(path: Path, rng: np.random.Generator, org: pd.DataFrame, exported: dt.datetime,
                  big: bool) -> None:
    o = org.sort_values("num", ignore_index=True)
    ids = o.person_id.to_numpy(dtype=object).copy()
    mgr_ids = o.manager_id.to_numpy(dtype=object).copy()
    plain = np.flatnonzero((o.role == "rep").to_numpy() & (o.slot == "").to_numpy())
    for i in rng.choice(plain, 3, replace=False):      # stray spaces and lowercase, as typed by hand
        ids[i] = f" {ids[i].lower()} "
    for i in rng.choice(plain, 2, replace=False):
        mgr_ids[i] = mgr_ids[i] + " "
    reason = np.where(o.term_type == "voluntary", np.where(rng.random(len(o)) < 0.6, "Resigned", "Voluntary"),
                      np.where(o.term_type == "involuntary",
                               np.where(rng.random(len(o)) < 0.6, "Terminated", "Involuntary"), ""))
    region_code = pd.factorize(o.region)[0]
    columns = [ids.tolist(), o.name.tolist(), mgr_ids.tolist(), o.title.tolist(),
               (o.hire + EXCEL_EPOCH).astype(float).tolist(),
               np.where(o.term >= 0, o.term + EXCEL_EPOCH, np.nan).tolist(), reason.tolist(),
               o.region.tolist(), o.quota.tolist(),
               [f"CC-{410 + c:03d}" for c in region_code],
               rng.permutation(np.arange(20000, 20000 + len(o) * 3))[: len(o)].astype(float).tolist()]
    headers = ["Employee ID", "Full Name", "Manager ID", "Job Title", "Hire Date", "Term Date",
               "Term Reason", "Region", "Annual Quota", "Cost Center", "Badge #"]
    kinds = ["text", "text", "text", "text", "date", "date", "text", "text", "money", "text", "num"]
    wb = _workbook(path, exported, big)
    _sheet(wb, "Employees", headers, columns, kinds,
           (f"{CLIENT} — Employee Roster", f"Exported {exported:%Y-%m-%d %H:%M}", ""))
    wb.close()


def _write_lms(path: Path, rng: np.random.Generator, org: pd.DataFrame, lms: pd.DataFrame,
               exported: dt.datetime, big: bool) -> None:
    ids = org.person_id.to_numpy(dtype=object)[lms.person].copy()
    for i in rng.choice(len(ids), 2, replace=False):
        ids[i] = ids[i].lower()
    columns = [ids.tolist(), lms.program.tolist(), lms.status.tolist(),
               np.where(lms.day >= 0, lms.day + EXCEL_EPOCH, np.nan).tolist(), lms.score.tolist()]
    wb = _workbook(path, exported, big)
    _sheet(wb, "Completions", ["Learner ID", "Course", "Status", "Completion Date", "Score"], columns,
           ["text", "text", "text", "date", "num"])
    wb.close()


def _write_survey(path: Path, org: pd.DataFrame, survey: pd.DataFrame, exported: dt.datetime,
                  big: bool) -> None:
    dims = ["awareness", "desire", "knowledge", "ability", "reinforcement"]
    columns = [[f"R_{7000 + i:05d}" for i in range(len(survey))],
               org.person_id.to_numpy(dtype=object)[survey.person].tolist(),
               (survey.submitted + EXCEL_EPOCH).tolist()] + [survey[d].tolist() for d in dims]
    headers = ["Response ID", "Respondent ID", "Submitted"] + [f"{d.title()} (1-5)" for d in dims]
    wb = _workbook(path, exported, big)
    _sheet(wb, "Responses", headers, columns, ["text", "text", "datetime"] + ["num"] * 5)
    wb.close()


def _write_comp(path: Path, rng: np.random.Generator, org: pd.DataFrame, comp: pd.DataFrame,
                exported: dt.datetime, big: bool) -> None:
    text = rng.random(len(comp)) < 0.15                 # some rows typed as "70%" text
    w_rev = np.where(text, [f"{round(w * 100)}%" for w in comp.w_rev], comp.w_rev.to_numpy(dtype=object))
    w_mar = np.where(text, [f"{round(w * 100)}%" for w in comp.w_margin], comp.w_margin.to_numpy(dtype=object))
    columns = [org.person_id.to_numpy(dtype=object)[comp.person].tolist(), comp.base.tolist(),
               comp.variable.tolist(), w_rev.tolist(), w_mar.tolist()]
    wb = _workbook(path, exported, big)
    _sheet(wb, "FY26 Plans", ["Employee ID", "Base Salary", "Target Variable", "Weight - Revenue",
                              "Weight - Margin"], columns, ["text", "money", "money", "pct", "pct"])
    wb.close()


def _name_variants(org: pd.DataFrame) -> np.ndarray:
    """Each person's name as CRM users typed it: exact, "  jane DOE", upper case, padded."""
    name = org.name.astype(str)
    first, rest = name.str.split(" ", n=1).str[0], name.str.split(" ", n=1).str[1]
    variants = [name, "  " + first.str.lower() + " " + rest.str.upper(), name.str.upper(), name + "  ",
                " " + name]
    return np.stack([encoded(v, "utf-8") for v in variants], axis=1)



def _write_deals(path: Path, rng: np.random.Generator, org: pd.DataFrame, deals: pd.DataFrame) -> None:
    n = len(deals)
    rep = deals.rep.to_numpy()
    variant = rng.choice(5, n, p=[0.9, 0.025, 0.025, 0.03, 0.02])
    owner = _name_variants(org)[np.maximum(rep, 0), variant]
    owner[rep < 0] = CONTRACTOR_NAME.encode("utf-8")
    # Close dates: ISO, month-first, "5 Mar 2026" or an Excel serial; formatted once per calendar day.
    days = deals.day.to_numpy()
    span, lo, (y, m, d) = day_lookup(days)
    formats = np.stack([concat(as_bytes(y), b"-", as_bytes(m, 2), b"-", as_bytes(d, 2)),
                        concat(as_bytes(m, 2), b"/", as_bytes(d, 2), b"/", as_bytes(y)),
                        concat(as_bytes(d), b" ", MONTHS[m - 1], b" ", as_bytes(y)),
                        as_bytes(span + EXCEL_EPOCH)], axis=1)
    date = formats[days - lo, rng.choice(4, n, p=[0.7, 0.15, 0.13, 0.02])]
    # Amounts: "$1,234.50" | "USD 12,000" | "4500" | "(1,200)" for credit notes; quoted when a comma.
    cents = deals.cents.to_numpy()
    dollars, cc = np.abs(cents) // 100, np.abs(cents) % 100
    top = int(dollars.max()) + 1 if n else 1
    style = rng.choice(3, n, p=[0.8, 0.1, 0.1])
    style[cents < 0] = 3
    body = np.where(style == 2, as_bytes(np.arange(top))[dollars], grouped(np.arange(top))[dollars])
    prefix = np.array([b"$", b"USD ", b"", b"("], dtype="S")[style]
    suffixes = np.concatenate([concat(b".", as_bytes(np.arange(100), 2)), np.array([b"", b")"], dtype="S")])
    suffix = suffixes[np.where(style == 3, 101, np.where((style == 0) | (cc != 0), cc, 100))]
    quote = np.array([b"", b'"'], dtype="S")[((dollars >= 1000) & (style != 2)).astype(np.int64)]
    stage = deals.stage.to_numpy()
    labels = np.array([b"Closed Won", b"Won", b"Closed Lost", b"Negotiation", b"Proposal"], dtype="S")
    pick = np.where(stage == 0, (rng.random(n) >= 0.85).astype(np.int64),
                    np.where(stage == 1, 2, 3 + (rng.random(n) < 0.5)))
    accounts = np.array([f",{p} {s}".encode() for p in ACCOUNT_PREFIX for s in ACCOUNT_SUFFIX], dtype="S")
    account = accounts[rng.integers(0, len(accounts), n)]
    total = int(cents.sum())
    footer = f',,Total,"{"-" if total < 0 else ""}${abs(total) // 100:,}.{abs(total) % 100:02d}",,'
    fields = [b"OPP-", as_bytes(np.arange(1, n + 1) + 100_000, 7), b",", owner, b",", date, b",", quote, prefix,
              body, suffix, quote, b",", labels[pick], account]
    write_rows(path, "Opportunity ID,Opportunity Owner,Close Date,Amount,Stage,Account Name", fields, n,
                "utf-8", bom=True, blank_at=n // 2, footer=footer)


def _write_coaching(path: Path, rng: np.random.Generator, org: pd.DataFrame, sessions: pd.DataFrame) -> None:
    n = len(sessions)
    names = encoded(org.name, "cp1252")
    coach = names[sessions.manager.to_numpy()]
    rep = names[sessions.rep.to_numpy()]
    rep = np.where(rng.random(n) < 0.01, np.strings.add(rep, b" "), rep)
    days = sessions.day.to_numpy()
    span, lo, (y, m, d) = day_lookup(days)
    formats = np.stack([concat(as_bytes(d, 2), b"/", as_bytes(m, 2), b"/", as_bytes(y)), as_bytes(span + EXCEL_EPOCH)], axis=1)
    date = formats[days - lo, (rng.random(n) < 0.03).astype(np.int64)]
    small = np.concatenate([as_bytes(np.arange(241)), np.array([b""], dtype="S")])    # 0..240, then blank
    mins = small[np.nan_to_num(sessions.minutes.to_numpy(), nan=241).astype(np.int64)]
    qual = small[np.nan_to_num(sessions.quality.to_numpy(), nan=241).astype(np.int64)]
    fields = [coach, b",", rep, b",", date, b",", mins, b",", sessions.activity.to_numpy().astype("S"), b",", qual]
    write_rows(path, "Coach,Rep,Session Date,Duration (min),Type,Quality (1-5)", fields, n, "cp1252")


ENGAGEMENT_YAML = """\
# Engagement configuration for the synthetic demo client (generated by workbook.demo).
# Every file below is exactly as the client's systems exported it; this file only tells
# the toolkit where things are and what the client's columns mean.
client: {client}
engagement: demo                 # output folder name under deliverables/
as_of: {as_of}                   # trailing 12-month windows end on this date
currency: USD

sources:
  # HRIS roster: two title rows and a blank row above the header. No role column:
  # reps, managers and leaders are derived from the Manager ID tree.
  people:
    path: "{people}"
    sheet: Employees
    header_row: 4
    columns:
      "Employee ID": person_id
      "Full Name": name
      "Manager ID": manager_id
      "Job Title": title
      "Hire Date": hire_date
      "Term Date": termination_date
      "Term Reason": termination_type   # Resigned / Voluntary / Terminated / Involuntary
      "Region": region
      "Annual Quota": annual_quota
      # "Cost Center" and "Badge #" are not needed and stay unmapped.

  # CRM opportunities (UTF-8 with BOM). The owner is a NAME, resolved against the roster;
  # close dates come in several formats, the slashed ones month-first; amounts are text
  # money ("$1,234.50", "USD 12,000", "(1,200)" for credit notes); a totals row closes the file.
  sales:
    path: "{sales}"
    date_format: mdy
    columns:
      "Opportunity ID": opportunity_id
      "Opportunity Owner": rep_name
      "Close Date": date
      "Amount": amount
      "Stage": stage
    # The trailing "Total" row and the blank line are recognised and skipped by the intake.

  # Coaching log kept by the managers in a Windows spreadsheet: Windows-1252 text,
  # day-first dates (dd/mm/yyyy) with a few Excel serial numbers; blank durations
  # take the default session length from the assumptions.
  coaching:
    path: "{coaching}"
    encoding: cp1252
    date_format: dmy
    columns:
      "Coach": manager_name
      "Rep": rep_name
      "Session Date": date
      "Duration (min)": minutes
      "Type": activity
      "Quality (1-5)": quality

  # LMS completions, one row per learner and course. "Consultative Selling Essentials"
  # is the sales program; "Coaching for Sales Managers" is the manager coaching program.
  training:
    path: "{training}"
    sheet: Completions
    columns:
      "Learner ID": person_id
      "Course": program
      "Status": status
      "Completion Date": completed_date
      "Score": score

  # Readiness survey as the survey tool exports it: one row per respondent, one column
  # per ADKAR element (mapping columns to dimension names means the wide layout).
  survey:
    path: "{survey}"
    sheet: Responses
    columns:
      "Respondent ID": person_id
      "Awareness (1-5)": awareness
      "Desire (1-5)": desire
      "Knowledge (1-5)": knowledge
      "Ability (1-5)": ability
      "Reinforcement (1-5)": reinforcement

  # Current (FY26) plans for managers and leaders; weights are fractions or "70%" text.
  compensation:
    path: "{compensation}"
    sheet: FY26 Plans
    columns:
      "Employee ID": person_id
      "Base Salary": base_salary
      "Target Variable": target_variable
      "Weight - Revenue": weight_revenue
      "Weight - Margin": weight_margin

# Who owns sales-manager development today, as heard in the interviews.
ownership:
  current_owner: committee
  notes: >-
    Enablement is run by a steering committee of HR, L&D and two regional directors;
    no single owner is accountable for front-line manager coaching.
"""
