"""The Compensation sheet (live): the recommended plan, the payout curve and each manager's payouts.

Compensation is live: the team-development weight and the payout curve are
the Assumptions sheet's defined names. Per manager, the numbers that come
from the client's data (target variable, current weights, attainments) are
plain numbers; the proposed weights, the payout per component, the payouts
under the current and proposed plans, the change and the risk flag are
formulas, each written with the value compensation.csv holds. The curve's
formula is workbook.analyses.compensation.CURVE_EXCEL, the expression
payout_factor() evaluates in Python.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from workbook.analyses import not_assessed
from workbook.analyses.budget_neutrality import Budget, sentence, sentence_formula
from workbook.analyses.compensation import (
    CURVE_NAMES,
    MEASURE_LABELS,
    MEASURE_NOTES,
    MEASURES,
    Component,
    budget_of,
    curve_formula,
    is_development,
    payout_factor,
)
from workbook.analyses.excel_text import excel_concat, live, percent_field
from workbook.deliverable import style
from workbook.deliverable.sheets.compensation_payouts import (
    SIDE_NOTE_COLS,
    SIDE_NOTE_WIDTH,
    Grid,
    manager_columns,
    manager_frame,
    split_columns,
    write_budget_check,
    write_manager_formulas,
)
from workbook.deliverable.sheets.sheet_text import (
    NOTE_WIDTH,
    grey,
    is_flagged,
    page_span,
    plain_text,
    side_note,
    write_label,
    write_note,
)

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

COMP_TITLE = "Compensation"
MARKER = "◄ the assumption"
TEMPLATE_NOTE = ("The payout simulation needs the client's current compensation plans (base, target variable "
                 "and component weights per manager). The recommendation above stands as a template in "
                 "percentages: keep the current financial measures at {rest} of target variable, pro rata, "
                 "and add team development at {weight}.")
COMP_SUBTITLE = "How a budget-neutral manager plan would reward team development."
NOT_ASSESSED = not_assessed("compensation", capital=True)
CHART_WIDTH_PX = 400   # beside the 7-column answer table, ending within the workings' width
WORKINGS_WIDTH = 11.5   # each number column of the workings: two tables of ~12 columns print one page wide
_COLUMN_WIDTHS: dict[str, list[float]] = {}
_NOTE_WIDTHS: dict[str, float] = {}   # sheet name -> total width of the merged note columns

COMP_NOTE = (
    "The recommendation: one team-development component of {weight} of target variable (Performio, "
    "practitioner: components under about 20% lose focus), scored on objective measures — coaching "
    "logged, own training completed, team retention (subjective MBOs become disguised base pay: ZS; "
    "Forma.ai). The other components keep their relative weights and share the rest; the target "
    "incentive is unchanged, and the team-development standard (the attainment that pays the component "
    "in full) is calibrated so that payouts at today's measured performance cost in total what they "
    "cost today (the budget check below). No "
    "published source backs a specific share, so the weight is an assumption: change the yellow cells "
    "on the Assumptions sheet (weight, payout curve, risk threshold) and the figures below recalculate."
)


def _note(book: DeliverableBook, ws, row: int, text: str, last_col: int, formula: str = "") -> None:
    write_note(book, ws, row, text, last_col, _NOTE_WIDTHS.get(ws.name, NOTE_WIDTH), formula)


def budget_of_run(ctx: DeliverableContext, table: pd.DataFrame | None) -> Budget | None:
    """The run's totals (results/compensation_budget.csv), or recomputed from compensation.csv."""
    if table is None:
        return None
    frame = ctx.results.get("compensation_budget")
    return Budget.from_frame(frame) if frame is not None and len(frame) else budget_of(table, ctx.assumptions)


def _fixed_widths(ws, frame: pd.DataFrame) -> dict[str, float] | None:
    """The sheet's fixed widths for a table's columns, so its header row is tall enough."""
    widths = _COLUMN_WIDTHS.get(ws.name)
    if not widths or len(frame.columns) > len(widths):
        return None
    return {c: widths[j] for j, c in enumerate(frame.columns)}


def _assumption(ctx: DeliverableContext, name: str) -> float:
    return float(ctx.assumptions[name])


def _curve_values(ctx: DeliverableContext) -> dict[str, float]:
    return {n: _assumption(ctx, n) for n in CURVE_NAMES}


def components_of(table: pd.DataFrame) -> list[Component]:
    """The plan components in compensation.csv (current_weight_<name> columns, in order)."""
    prefix = "current_weight_"
    return [Component(c[len(prefix):], is_development(c[len(prefix):]))
            for c in table.columns if c.startswith(prefix)]


def _recommended_plan(book: DeliverableBook, ws, row: int, ctx: DeliverableContext) -> int:
    ws.write_string(row, 0, "Recommended plan (share of target variable)", book.fmt("heading"))
    row += 1
    weight = _assumption(ctx, "team_development_weight")
    pct = book.kind_format("percent")
    write_label(book, ws, row, "Current financial measures, scaled pro rata")
    book.write_formula(ws, row, 2, "=1-team_development_weight", pct, value=1 - weight)
    side_note(book, ws, row, "Revenue, margin and the like keep their relative weights; measured as today.",
              SIDE_NOTE_COLS, SIDE_NOTE_WIDTH)
    first = row
    row += 1
    write_label(book, ws, row, "Team development (one component)")
    book.write_formula(ws, row, 2, "=team_development_weight", pct, value=weight)
    side_note(book, ws, row, "Mean of objective measures: " + "; ".join(
        MEASURE_LABELS[m].lower() for m in MEASURES) + ".", SIDE_NOTE_COLS, SIDE_NOTE_WIDTH)
    row += 1
    write_label(book, ws, row, "Target variable")
    total = f"={xl_rowcol_to_cell(first, 2)}+{xl_rowcol_to_cell(first + 1, 2)}"
    book.write_formula(ws, row, 2, total, book.kind_format("percent", "bold"), value=(1 - weight) + weight)
    side_note(book, ws, row, "Unchanged: the same target incentive, re-weighted (budget neutral).",
              SIDE_NOTE_COLS, SIDE_NOTE_WIDTH)
    return row + 2


def _payout_curve(book: DeliverableBook, ws, row: int, ctx: DeliverableContext) -> int:
    ws.write_string(row, 0, "Payout curve, each component (from the Assumptions sheet)", book.fmt("heading"))
    row += 1
    write_label(book, ws, row, "Point on the curve")
    ws.write_string(row, 2, "Attainment", book.fmt("label"))
    ws.write_string(row, 3, "Payout (% of the component's target)", book.fmt("label"))
    row += 1
    a = _curve_values(ctx)
    points = (
        ("No payout below threshold", "0", 0.0),
        ("Threshold", "=payout_threshold_attainment", a["payout_threshold_attainment"]),
        ("Target", "1", 1.0),
        ("Cap", "=payout_cap_attainment", a["payout_cap_attainment"]),
        ("Beyond the cap (capped)", "=payout_cap_attainment+0.25", a["payout_cap_attainment"] + 0.25),
    )
    pct = book.kind_format("percent")
    for label, attainment, value in points:
        write_label(book, ws, row, label)
        if attainment.startswith("="):
            book.write_formula(ws, row, 2, attainment, pct, value=value)
        else:
            ws.write_number(row, 2, float(attainment), pct)
        cell = xl_rowcol_to_cell(row, 2)
        book.write_formula(ws, row, 3, "=" + curve_formula(cell), pct, value=payout_factor(value, a))
        row += 1
    _note(book, ws, row, "Linear between threshold and target, and between target and cap; nothing "
          "below threshold; never above the cap.", 8)
    return row + 2


SUMMARY_MOVES = ("With {weight} of target variable on team development, at today's measured performance "
                 "{more} of {managers} front-line managers would earn more and {less} less. ")
SUMMARY_RISK = ("{risk} would see their payout change by more than {risk_pct}: a change-management risk "
                "that needs a transition plan (e.g. a guarantee or phased weights in year one).")
SUMMARY_NO_RISK = "No manager's payout changes by more than {risk_pct}."
SUMMARY_NONE = ("No manager's payout could be simulated (see the Note column): the recommended weights "
                "below still apply.")


def comp_summary(table: pd.DataFrame, ctx: DeliverableContext) -> str:
    """Who earns more or less at today's performance (the sheet writes it as `summary_formula`)."""
    both = table.dropna(subset=["payout_current_plan", "payout_proposed_plan"])
    if both.empty:
        return SUMMARY_NONE
    change = pd.to_numeric(both["payout_change"], errors="coerce")
    risk = int(sum(is_flagged(v) for v in both["risk_flag"]))
    risk_pct = f"{_assumption(ctx, 'payout_change_risk_pct'):.0%}"
    text = SUMMARY_MOVES.format(weight=f"{_assumption(ctx, 'team_development_weight'):.0%}",
                                more=int((change > 0.005).sum()), managers=len(both),
                                less=int((change < -0.005).sum()))
    if risk:
        return text + SUMMARY_RISK.format(risk=risk, risk_pct=risk_pct)
    return text + SUMMARY_NO_RISK.format(risk_pct=risk_pct)


def summary_formula(change: str, risk: str) -> str:
    """`comp_summary` as a live formula over the manager table's Change and risk ranges."""
    risk_pct = 'TEXT(payout_change_risk_pct,"0%")'
    moves = excel_concat(SUMMARY_MOVES, {"weight": 'TEXT(team_development_weight,"0%")',
                                 "more": f'COUNTIF({change},">0.005")', "managers": f"COUNT({change})",
                                 "less": f'COUNTIF({change},"<-0.005")'})
    count = f'COUNTIF({risk},"yes")'
    return (f"=IF(COUNT({change})=0,{excel_concat(SUMMARY_NONE, {})},{moves}&IF({count}>0,"
            f"{excel_concat(SUMMARY_RISK, {'risk': count, 'risk_pct': risk_pct})},"
            f"{excel_concat(SUMMARY_NO_RISK, {'risk_pct': risk_pct})}))")


def _notes_block(book: DeliverableBook, ws, row: int, notes: list[str], last_col: int) -> int:
    if not notes:
        return row
    ws.write_string(row, 0, "Notes on the plans received and the modelling", book.fmt("heading"))
    row += 1
    for note in notes:
        _note(book, ws, row, "• " + note, last_col)
        row += 1
    return row + 1


def _measures_block(book: DeliverableBook, ws, row: int, measures: pd.DataFrame | None, last_col: int) -> int:
    ws.write_string(row, 0, "Team-development measures per manager (objective, each capped at 100%)",
                    book.fmt("heading"))
    row += 1
    _note(book, ws, row, " ".join(f"{MEASURE_LABELS[m]}: {MEASURE_NOTES[m]}" for m in MEASURES)
          + " Team-development attainment is the mean of the measures available. New-hire ramp is not "
          "measured: the data holds no ramp milestone.", last_col)
    row += 1
    if measures is None or measures.empty:
        ws.write_string(row, 0, "No front-line managers to measure.", grey(book))
        return row + 2
    headers = {"manager_id": "Manager ID", "manager_name": "Manager",
               **{m: MEASURE_LABELS[m] for m in MEASURES},
               "measures_used": "Measures used", "team_development_attainment": "Team development attainment"}
    frame = pd.DataFrame(index=range(len(measures)))
    for key, header in headers.items():
        values = measures.get(key, pd.Series(float("nan"), index=measures.index))
        if key in ("manager_id", "manager_name"):
            frame[header] = [plain_text(v) for v in values]
        elif key == "measures_used":
            frame[header] = pd.to_numeric(values, errors="coerce").astype("Int64").to_numpy()
        else:
            frame[header] = pd.to_numeric(values, errors="coerce").astype(float).to_numpy()
    frame = frame.sort_values("Manager", kind="mergesort").reset_index(drop=True)
    kinds = {h: "percent" for h in frame.columns if h not in ("Manager ID", "Manager", "Measures used")}
    kinds.update({"Manager ID": "text", "Manager": "text", "Measures used": "count"})
    last = book.write_table(ws, row, frame, "team_development_measures", column_kinds=kinds,
                            widths=_fixed_widths(ws, frame), freeze=False)
    scale = {"type": "3_color_scale", "min_color": "#F8696B", "mid_color": "#FFEB84", "max_color": "#63BE7B",
             "min_type": "num", "min_value": 0, "mid_type": "num", "mid_value": 0.5, "max_type": "num",
             "max_value": 1}
    for header in [*(MEASURE_LABELS[m] for m in MEASURES), "Team development attainment"]:
        j = list(frame.columns).index(header)
        ws.conditional_format(row + 1, j, last, j, scale)
    return last + 2


def _sensitivity_block(book: DeliverableBook, ws, row: int, sens: pd.DataFrame | None, last_col: int,
                       currency: str) -> int:
    if sens is None or sens.empty:
        return row
    ws.write_string(row, 0, "Sensitivity to the team-development weight", book.fmt("heading"))
    row += 1
    _note(book, ws, row, "Totals over the managers whose payouts could be simulated, at the payout curve "
          "and risk threshold used for this run (static figures; re-run the engagement after changing "
          "the curve). No published source backs a specific share: 20% keeps team development one real "
          "component (Performio, practitioner).", last_col)
    row += 1
    headers = {"team_development_weight": "Team development weight", "managers": "Managers",
               "payout_current_plan": "Payout, current plan", "payout_proposed_plan": "Payout, proposed plan",
               "payout_change": "Change", "payout_change_pct": "Change %",
               "managers_earning_more": "Earning more", "managers_earning_less": "Earning less",
               "managers_at_risk": "Change-management risk", "is_assumption": "Used above"}
    frame = pd.DataFrame(index=range(len(sens)))
    for key, header in headers.items():
        values = sens.get(key, pd.Series(float("nan"), index=sens.index))
        if key == "is_assumption":
            frame[header] = [MARKER if is_flagged(v) else "" for v in values]
        elif key in ("managers", "managers_earning_more", "managers_earning_less", "managers_at_risk"):
            frame[header] = pd.to_numeric(values, errors="coerce").astype("Int64").to_numpy()
        else:
            frame[header] = pd.to_numeric(values, errors="coerce").astype(float).to_numpy()
    kinds = {"Team development weight": "percent", "Change %": "percent", "Payout, current plan": "currency",
             "Payout, proposed plan": "currency", "Change": "currency", "Used above": "text"}
    last = book.write_table(ws, row, frame, "compensation_sensitivity", column_kinds=kinds,
                            widths=_fixed_widths(ws, frame), freeze=False)
    # the marker follows the live weight: the row whose weight is the Assumptions sheet's
    weight_col, mark_col = list(frame.columns).index("Team development weight"), list(frame.columns).index(
        "Used above")
    for i, marker in enumerate(frame["Used above"]):
        cell = xl_rowcol_to_cell(row + 1 + i, weight_col)
        book.write_formula(ws, row + 1 + i, mark_col,
                           f'=IF(ABS({cell}-team_development_weight)<0.0000001,"{MARKER}","")',
                           book.kind_format("text"), value=marker)
    return last + 2


def _payout_chart(book: DeliverableBook, ws, row: int, col: int, grid: Grid, n: int) -> None:
    """Current vs proposed payout per manager, beside the answer table (within the page's width)."""
    shown = min(n, 30)
    chart = book.workbook.add_chart({"type": "column"})
    for key, colour in (("payout_current_plan", "#A6A6A6"), ("payout_proposed_plan", "#1F3864")):
        chart.add_series({"name": [ws.name, grid.header[key], grid.col[key]],
                          "categories": [ws.name, *grid.span("manager_name", shown)],
                          "values": [ws.name, *grid.span(key, shown)],
                          "fill": {"color": colour}, "gap": 60})
    chart.set_title({"name": "Payout at today's performance: current vs proposed plan",
                     "name_font": {"size": 10, "bold": True}})
    chart.set_y_axis({"num_format": book.number_formats["currency"], "min": 0,
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_x_axis({"num_font": {"rotation": -45}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": CHART_WIDTH_PX, "height": min(max(280, 24 * (min(n, 30) + 2)), 520)})
    ws.insert_chart(row, col, chart, {"x_offset": 12, "y_offset": 0})


ANSWER_COLUMNS = ("manager_id", "manager_name", "payout_current_plan", "payout_proposed_plan", "payout_change",
                  "payout_change_pct", "risk")


def _answer_table(book: DeliverableBook, ws, row: int, frame: pd.DataFrame, grid: Grid,
                  columns: list[tuple[str, str, str]]) -> None:
    """The answer first: who earns more or less, each cell a formula over the workings tables below."""
    ws.write_string(row, 0, "Who would earn more or less at today's measured performance", book.fmt("heading"))
    header_of = {key: header for key, header, _ in columns}
    keys = [k for k in ANSWER_COLUMNS if k in grid]
    headers = [header_of[k] for k in keys]
    answer = frame[headers].copy()
    kinds = {header_of[k]: kind for k, _, kind in columns if k in keys}
    last = book.write_table(ws, row + 1, answer, "compensation_answer", column_kinds=kinds,
                            widths={h: _COLUMN_WIDTHS[ws.name][j] for j, h in enumerate(headers)}, freeze=True,
                            repeat_header=False)
    for i in range(len(answer)):
        for j, key in enumerate(keys):
            value = answer.iat[i, j]
            fmt = book.kind_format(kinds[headers[j]])
            book.write_formula(ws, row + 2 + i, j, "=" + grid.cell(key, i), fmt,
                               value="" if value is None or (isinstance(value, float) and value != value)
                               else value)
    change = keys.index("payout_change")
    ws.conditional_format(row + 2, change, last, change, dict(style.CHANGE_BAR))


def build_compensation(book: DeliverableBook, ctx: DeliverableContext) -> None:
    ws = book.sheet(COMP_TITLE)
    row = book.write_title(ws, COMP_TITLE, COMP_SUBTITLE)
    table = ctx.results.get("compensation")
    measures = ctx.results.get("compensation_measures")
    weight = _assumption(ctx, "team_development_weight")
    components = components_of(table) if table is not None else []
    with_note = table is not None and any(plain_text(v) for v in table.get("not_assessed", []))
    columns = manager_columns(components, with_note)
    plans_columns, payout_columns = split_columns(columns)
    last_col = max(len(plans_columns), len(payout_columns), 10) - 1
    widths = [11.0, 22.0] + [WORKINGS_WIDTH] * (last_col - 1)
    for j, w in enumerate(widths):
        book.set_width(ws, j, w)
    _COLUMN_WIDTHS[ws.name] = widths
    # notes stay on the first printed page (the payout table continues on the next)
    last_col, _NOTE_WIDTHS[ws.name] = page_span(widths)
    text, formula = live(COMP_NOTE, {"weight": percent_field(weight, "team_development_weight")})
    _note(book, ws, row, text, last_col, formula=formula)
    row += 1
    summary_row = row
    row += 1
    budget = budget_of_run(ctx, table)
    if budget is not None:
        text = sentence(budget, ctx.currency)
        _note(book, ws, row, text, last_col, formula=sentence_formula(ctx.currency))
        row += 1
    row += 1
    answer_row = row
    if table is not None and len(table):
        row += len(table) + 3   # the answer, filled in once the workings below are written
    row = _recommended_plan(book, ws, row, ctx)
    row = _payout_curve(book, ws, row, ctx)

    workings_row = row   # the answer and the plan on the first printed page, the workings after
    if table is not None and len(table):
        ws.set_h_pagebreaks([workings_row])
    ws.write_string(row, 0, "Payout at current measured performance, per front-line manager", book.fmt("heading"))
    row += 1
    if table is None:
        ws.write_string(row, 0, NOT_ASSESSED, book.fmt("heading"))
        text, formula = live(TEMPLATE_NOTE, {
            "rest": percent_field(1 - weight, "1-team_development_weight"),
            "weight": percent_field(weight, "team_development_weight")})
        _note(book, ws, row + 1, text, last_col, formula=formula)
        row += 3
        _measures_block(book, ws, row, measures, last_col)
        return
    _note(book, ws, row, "Target variable, current weights and attainments come from the client's data "
          "(numbers); the payout % columns, and the second table (proposed weights and payouts, the same "
          "managers in the same order), are formulas over them and the Assumptions sheet. "
          "Attainment of a financial component is the team's won revenue against its prorated quota in "
          "the analysis window (the plans carry weights only, so every financial component uses it); a "
          "payout % is the curve above applied to that attainment.", last_col)
    row += 1
    grid = Grid()
    frame = manager_frame(table, columns)
    for name, part in (("compensation_plans", plans_columns), ("compensation_payouts", payout_columns)):
        headers = [header for _, header, _ in part]
        kinds = {header: kind for _, header, kind in part}
        last = book.write_table(ws, row, frame[headers], name, column_kinds=kinds,
                                widths={h: widths[j] for j, h in enumerate(headers)}, freeze=False)
        grid.place(row, part, len(table))
        row = last + 2
    write_manager_formulas(book, ws, grid, table, components)
    _note(book, ws, summary_row, comp_summary(table, ctx), last_col,
          formula=summary_formula(grid.rng("payout_change"), grid.rng("risk")))
    if len(table):
        ws.conditional_format(*grid.span("payout_change"), dict(style.CHANGE_BAR))
        ws.conditional_format(*grid.span("team_development_attainment"),
                              {"type": "3_color_scale", "min_color": "#F8696B", "mid_color": "#FFEB84",
                               "max_color": "#63BE7B", "min_type": "num", "min_value": 0,
                               "mid_type": "num", "mid_value": 0.5, "max_type": "num", "max_value": 1})
        _answer_table(book, ws, answer_row, frame, grid, columns)
    row = write_budget_check(book, ws, row, table, grid, components, budget, ctx.currency)
    notes_frame = ctx.results.get("compensation_notes")
    notes = [] if notes_frame is None or "note" not in notes_frame else \
        [plain_text(v) for v in notes_frame["note"] if plain_text(v)]
    row = _notes_block(book, ws, row, notes, last_col)
    row = _sensitivity_block(book, ws, row, ctx.results.get("compensation_sensitivity"), last_col,
                             ctx.currency)
    ws.set_h_pagebreaks([workings_row, row])   # the measures table prints whole, on a page of its own
    row = _measures_block(book, ws, row, measures, last_col)
    if len(table) and frame["Payout, current plan"].notna().any():
        _payout_chart(book, ws, answer_row, len(ANSWER_COLUMNS), grid, len(table))
