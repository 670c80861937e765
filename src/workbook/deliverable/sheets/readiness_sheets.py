"""Manager Readiness and Training Plan sheets.

Manager Readiness: one row per front-line manager in priority order (1 =
train first), the readiness score with traffic lights at the tier
thresholds, each pillar score on a red-amber-green scale, the ADKAR barrier
point, flags, a plain "why" and what could not be assessed; a native scatter
chart of readiness against team size. Training Plan: the waves first (who
starts when), then every person's wave, cohort and start date.

Both read ctx.results ("manager_readiness", "training_plan"), which may come
back from the result CSVs: every number is coerced, never trusted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from workbook.analyses.training_plan import wave_summary

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

READINESS_TITLE = "Manager Readiness"
PLAN_TITLE = "Training Plan"
READINESS_SUBTITLE = "Which managers are ready to lead the program, and who to train first."
PLAN_SUBTITLE = "Who is trained in which wave, managers before their reps."
NOT_ASSESSED = "Not assessed — needs {needs}"
NOTE_WIDTH = 120
TRAIN_FIRST_NAMED = 3
PLAN_CHART_MAX_WAVES = 30

PILLAR_HEADERS = {
    "score_scale": "Scale",
    "score_team_health": "Team health",
    "score_modelling": "Modelling",
    "score_buy_in": "Buy-in",
    "score_coaching": "Coaching",
    "score_results": "Results",
}
READINESS_HEADERS = {
    "priority_rank": "Priority (1 = train first)",
    "manager_name": "Manager",
    "manager_id": "Manager ID",
    "team_size": "Reps",
    "readiness_score": "Readiness score (0-100)",
    "tier": "Tier",
    **PILLAR_HEADERS,
    "barrier_point": "ADKAR barrier point",
    "team_revenue": "Team won revenue in window",
    "attrition_rate_shrunk": "Rep attrition (adjusted, per year)",
    "attrition_low": "Attrition interval, low",
    "attrition_high": "Attrition interval, high",
    "replacement_cost": "Replacement cost of leavers",
    "flags": "Flags",
    "why": "Why",
    "not_assessed": "Not assessed",
}
READINESS_KINDS = {
    "Priority (1 = train first)": "count", "Reps": "count", "Readiness score (0-100)": "decimal",
    **{h: "score" for h in PILLAR_HEADERS.values()},
    "Team won revenue in window": "currency", "Replacement cost of leavers": "currency",
    "Rep attrition (adjusted, per year)": "percent", "Attrition interval, low": "percent",
    "Attrition interval, high": "percent", "Flags": "wrap", "Why": "wrap", "Not assessed": "wrap",
    "Manager": "text", "Manager ID": "text", "Tier": "text", "ADKAR barrier point": "text",
}
TIER_LABELS = {"ready": "Ready", "developing": "Developing", "not_ready": "Not ready"}
TIER_FILLS = {"Ready": "#C6EFCE", "Developing": "#FFEB9C", "Not ready": "#FFC7CE"}
ROLE_LABELS = {"leader": "Leader", "manager": "Front-line manager", "rep": "Rep"}
PLAN_HEADERS = {
    "wave": "Wave",
    "cohort": "Cohort",
    "start_date": "Starts",
    "name": "Person",
    "person_id": "Person ID",
    "role": "Role",
    "manager_name": "Manager",
    "manager_id": "Manager ID",
}
SUMMARY_HEADERS = {"wave": "Wave", "start_date": "Starts", "leaders": "Leaders",
                   "managers": "Front-line managers", "reps": "Reps", "total": "People"}
NUMERIC = ("priority_rank", "team_size", "readiness_score", *PILLAR_HEADERS, "team_revenue",
           "attrition_rate_shrunk", "attrition_low", "attrition_high", "replacement_cost")


def _not_assessed(book: DeliverableBook, ws, title: str, subtitle: str, needs: str) -> None:
    row = book.write_title(ws, title, subtitle)
    ws.write_string(row, 0, NOT_ASSESSED.format(needs=needs), book.fmt("heading"))
    book.write_paragraph(ws, row + 1, 0, f"This part of the assessment needs the client's {needs} data. "
                         "See the Data Quality sheet for the files received.", NOTE_WIDTH, book.fmt("note"))
    book.set_width(ws, 0, NOTE_WIDTH)


def _note(book: DeliverableBook, ws, row: int, text: str, last_col: int) -> None:
    ws.merge_range(row, 0, row, max(last_col, 1), None, book.fmt("note"))
    book.safe_write(ws, row, 0, text, book.fmt("note"))
    ws.set_row(row, book.wrapped_height(text, NOTE_WIDTH))


def _text(series: pd.Series) -> pd.Series:
    return series.astype("object").where(series.notna(), "").astype(str)


def _plural(n: int, word: str) -> str:
    plural = "people" if word == "person" else word + "s"
    return f"{n} {word if n == 1 else plural}"


# --- Manager Readiness -----------------------------------------------------------------------------

def readiness_table(readiness: pd.DataFrame) -> pd.DataFrame:
    """The sheet's table: priority order, client headers, numbers as numbers."""
    frame = readiness.copy()
    for c in NUMERIC:
        if c in frame.columns:
            frame[c] = pd.to_numeric(frame[c], errors="coerce").astype(float)
    frame = frame.sort_values("priority_rank", kind="mergesort", na_position="last")
    for c in ("manager_name", "manager_id", "barrier_point", "flags", "why", "not_assessed"):
        if c in frame.columns:
            frame[c] = _text(frame[c])
    if "tier" in frame.columns:
        frame["tier"] = _text(frame["tier"]).map(lambda t: TIER_LABELS.get(t, t))
    if "barrier_point" in frame.columns:
        frame["barrier_point"] = frame["barrier_point"].str.capitalize()
    columns = [c for c in READINESS_HEADERS if c in frame.columns]
    return frame[columns].rename(columns=READINESS_HEADERS).reset_index(drop=True)


def readiness_summary(readiness: pd.DataFrame) -> str:
    """The sentence at the top of the sheet."""
    n = len(readiness)
    if n == 0:
        return "No front-line managers in post at the as-of date, so no one was assessed."
    tiers = _text(readiness["tier"]).value_counts()
    ordered = readiness.assign(_r=pd.to_numeric(readiness["priority_rank"], errors="coerce")).sort_values("_r")
    first = [str(x) for x in _text(ordered["manager_name"]).head(TRAIN_FIRST_NAMED)]
    text = (f"{_plural(n, 'front-line manager')} assessed: {tiers.get('ready', 0)} ready, "
            f"{tiers.get('developing', 0)} developing, {tiers.get('not_ready', 0)} not yet ready. "
            f"Train first: {', '.join(first)}: the largest teams with the least ready managers.")
    flags = _text(readiness.get("flags", pd.Series(dtype=object)))
    attrition = int(flags.str.contains("attrition above organisation", regex=False).sum())
    if attrition:
        text += (f" Reps leave faster than in the organisation as a whole, by more than chance explains "
                 f"for the team's size, under {_plural(attrition, 'manager')}.")
    barrier = _text(readiness.get("barrier_point", pd.Series(dtype=object)))
    if (barrier != "").any():
        top = barrier[barrier != ""].value_counts().sort_index().idxmax()
        text += f" The most common ADKAR barrier point is {top}."
    notes = _text(readiness.get("not_assessed", pd.Series(dtype=object)))
    if (notes != "").any():
        text += (f" {_plural(int((notes != '').sum()), 'manager')} could not be assessed on every pillar "
                 "(see the last column); their score uses the pillars that were.")
    return text


def build_manager_readiness(book: DeliverableBook, ctx: DeliverableContext) -> None:
    ws = book.sheet(READINESS_TITLE)
    readiness = ctx.results.get("manager_readiness")
    if readiness is None:
        _not_assessed(book, ws, READINESS_TITLE, READINESS_SUBTITLE, "people")
        return
    row = book.write_title(ws, READINESS_TITLE, READINESS_SUBTITLE)
    table = readiness_table(readiness)
    last_col = len(table.columns) - 1
    _note(book, ws, row, readiness_summary(readiness), min(last_col, 12))
    a = ctx.assumptions
    ready, developing = float(a["tier_ready_min_score"]), float(a["tier_developing_min_score"])
    _note(book, ws, row + 1,
          f"Each pillar is scored 0-100, where 100 means no gap; the readiness score is their weighted mean "
          f"over the pillars that could be assessed (weights on the Assumptions sheet). Ready from "
          f"{ready:g}, developing from {developing:g}. Priority weighs team size and revenue at stake "
          f"against the readiness gap (100 - score). Attrition is adjusted toward the organisation's rate "
          f"for small teams (empirical Bayes) and flagged only when its interval clears that rate. See "
          f"the Methodology sheet.", min(last_col, 12))
    first = row + 3
    kinds = {k: v for k, v in READINESS_KINDS.items() if k in table.columns}
    last = book.write_table(ws, first, table, "manager_readiness", column_kinds=kinds,
                            widths={"Manager": 24, "Flags": 36, "Why": 60, "Not assessed": 36})
    if table.empty:
        return
    col = {name: i for i, name in enumerate(table.columns)}
    data = (first + 1, last)

    def cf(name: str, options: dict) -> None:
        if name in col:
            ws.conditional_format(data[0], col[name], data[1], col[name], options)

    cf("Readiness score (0-100)", {
        "type": "icon_set", "icon_style": "3_traffic_lights",
        "icons": [{"criteria": ">=", "type": "number", "value": ready},
                  {"criteria": ">=", "type": "number", "value": developing}]})
    for label, fill in TIER_FILLS.items():
        cf("Tier", {"type": "cell", "criteria": "==", "value": f'"{label}"',
                    "format": book.workbook.add_format({"bg_color": fill})})
    for header in PILLAR_HEADERS.values():
        cf(header, {"type": "3_color_scale", "min_color": "#F8696B", "mid_color": "#FFEB84",
                    "max_color": "#63BE7B", "min_type": "num", "min_value": 0, "mid_type": "num",
                    "mid_value": 50, "max_type": "num", "max_value": 100})
    cf("Reps", {"type": "data_bar", "bar_color": "#5B9BD5", "bar_solid": True,
                "min_type": "num", "min_value": 0})
    _readiness_chart(book, ws, table, col, data, last, ready)


def _readiness_chart(book: DeliverableBook, ws, table: pd.DataFrame, col: dict[str, int],
                     data: tuple[int, int], last: int, ready: float) -> None:
    if "Reps" not in col or "Readiness score (0-100)" not in col:
        return
    chart = book.workbook.add_chart({"type": "scatter"})
    x, y = col["Reps"], col["Readiness score (0-100)"]
    first_cohort = min(len(table), int(book.ctx.assumptions["cohort_size"]))
    rest = (data[0] + first_cohort, data[1])
    if rest[0] <= rest[1]:
        chart.add_series({"name": "Other managers",
                          "categories": [ws.name, rest[0], x, rest[1], x],
                          "values": [ws.name, rest[0], y, rest[1], y],
                          "marker": {"type": "circle", "size": 6, "fill": {"color": "#9DC3E6"},
                                     "border": {"color": "#2E75B6"}}})
    chart.add_series({"name": "First manager cohort (train first)",
                      "categories": [ws.name, data[0], x, data[0] + first_cohort - 1, x],
                      "values": [ws.name, data[0], y, data[0] + first_cohort - 1, y],
                      "marker": {"type": "diamond", "size": 8, "fill": {"color": "#C00000"},
                                 "border": {"color": "#C00000"}}})
    chart.set_title({"name": "Readiness against team size: bottom right trains first",
                     "name_font": {"size": 11, "bold": True}})
    chart.set_x_axis({"name": "Reps on the team", "min": 0,
                      "major_gridlines": {"visible": False}})
    chart.set_y_axis({"name": f"Readiness score (ready from {ready:g})", "min": 0, "max": 100,
                      "major_unit": 25, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 720, "height": 380})
    ws.insert_chart(last + 2, 1, chart, {"x_offset": 4, "y_offset": 4})


# --- Training Plan -----------------------------------------------------------------------------------

def plan_table(plan: pd.DataFrame) -> pd.DataFrame:
    frame = plan.copy()
    frame["wave"] = pd.to_numeric(frame["wave"], errors="coerce").astype("Int64")
    frame["start_date"] = pd.to_datetime(frame["start_date"], errors="coerce")
    for c in ("name", "person_id", "manager_name", "manager_id", "cohort"):
        if c in frame.columns:
            frame[c] = _text(frame[c])
    frame["role"] = _text(frame["role"]).map(lambda r: ROLE_LABELS.get(r, r))
    columns = [c for c in PLAN_HEADERS if c in frame.columns]
    return frame[columns].rename(columns=PLAN_HEADERS).reset_index(drop=True)


def plan_summary(plan: pd.DataFrame, waves: pd.DataFrame) -> str:
    if plan.empty:
        return "No one is active at the as-of date, so there is no one to plan."
    start, end = waves["start_date"].min(), waves["start_date"].max()
    roles = _text(plan["role"]).value_counts()
    return (f"{_plural(len(plan), 'person')} in {_plural(len(waves), 'wave')}, from {start:%d %b %Y} to "
            f"{end:%d %b %Y}: {_plural(int(roles.get('leader', 0)), 'leader')} first, then "
            f"{_plural(int(roles.get('manager', 0)), 'front-line manager')} in cohorts by priority, and "
            f"{_plural(int(roles.get('rep', 0)), 'rep')}, each in the wave after their own manager's, so "
            "every manager has taken and modelled the program before their team starts.")


def build_training_plan(book: DeliverableBook, ctx: DeliverableContext) -> None:
    ws = book.sheet(PLAN_TITLE)
    plan = ctx.results.get("training_plan")
    if plan is None:
        _not_assessed(book, ws, PLAN_TITLE, PLAN_SUBTITLE, "people")
        return
    plan = plan.copy()
    plan["wave"] = pd.to_numeric(plan["wave"], errors="coerce")
    plan["start_date"] = pd.to_datetime(plan["start_date"], errors="coerce")
    plan = plan[plan["wave"].notna()]
    plan["wave"] = plan["wave"].astype(int)
    waves = wave_summary(plan)
    row = book.write_title(ws, PLAN_TITLE, PLAN_SUBTITLE)
    _note(book, ws, row, plan_summary(plan, waves), 7)
    row += 2
    ws.write_string(row, 0, "Waves", book.fmt("heading"))
    row += 1
    shown = waves.rename(columns=SUMMARY_HEADERS)
    summary_kinds = {"Wave": "count", "Starts": "date", "Leaders": "count", "Front-line managers": "count",
                     "Reps": "count", "People": "count"}
    last = book.write_table(ws, row, shown, "training_waves", column_kinds=summary_kinds)
    chart_row = row
    row = last + 2
    ws.write_string(row, 0, "Who is trained when", book.fmt("heading"))
    row += 1
    table = plan_table(plan)
    kinds = {"Wave": "count", "Starts": "date", "Cohort": "text", "Person": "text", "Person ID": "text",
             "Role": "text", "Manager": "text", "Manager ID": "text"}
    book.write_table(ws, row, table, "training_plan", column_kinds=kinds, freeze=False,
                     widths={"Person": 24, "Manager": 24, "Cohort": 26})
    if not waves.empty:
        _plan_chart(book, ws, chart_row, len(waves))


def _plan_chart(book: DeliverableBook, ws, header_row: int, n_waves: int) -> None:
    shown = min(n_waves, PLAN_CHART_MAX_WAVES)
    first, last = header_row + 1, header_row + shown
    chart = book.workbook.add_chart({"type": "column", "subtype": "stacked"})
    for col, colour in ((2, "#1F3864"), (3, "#2E75B6"), (4, "#9DC3E6")):
        chart.add_series({"name": [ws.name, header_row, col], "categories": [ws.name, first, 0, last, 0],
                          "values": [ws.name, first, col, last, col], "fill": {"color": colour},
                          "gap": 50})
    suffix = f" (first {shown} waves)" if shown < n_waves else ""
    chart.set_title({"name": "People starting in each wave" + suffix, "name_font": {"size": 11, "bold": True}})
    chart.set_x_axis({"name": "Wave"})
    chart.set_y_axis({"name": "People", "min": 0,
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 560, "height": 300})
    ws.insert_chart(header_row, 9, chart, {"x_offset": 12, "y_offset": 0})


def register() -> None:
    """Attach both builders to the deliverable registry (call once, e.g. from the runner)."""
    from workbook.deliverable.registry import register as register_sheet

    register_sheet(READINESS_TITLE, build_manager_readiness)
    register_sheet(PLAN_TITLE, build_training_plan)
