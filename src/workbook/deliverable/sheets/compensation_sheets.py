"""Compensation (live) and Ownership.

Compensation is live: the team-development weight and the payout curve are
the Assumptions sheet's defined names. Per manager, the numbers that come
from the client's data (target variable, current weights, attainments) are
plain numbers; the proposed weights, the payout per component, the payouts
under the current and proposed plans, the change and the risk flag are
formulas, each written with the value compensation.csv holds. The curve's
formula is workbook.analyses.compensation.CURVE_EXCEL, the expression
payout_factor() evaluates in Python.

Ownership shows the finding, the recommendation, the evidence and the RACI
(one Accountable per activity), coloured by letter.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from workbook.analyses.compensation import (
    CURVE_NAMES,
    MEASURE_LABELS,
    MEASURE_NOTES,
    MEASURES,
    TEAM_DEVELOPMENT,
    Component,
    base_components,
    component_label,
    curve_formula,
    is_development,
    payout_factor,
)
from workbook.analyses.ownership import RACI_LEGEND, ROLES
from workbook.deliverable import style

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

COMP_TITLE = "Compensation"
OWNERSHIP_TITLE = "Ownership"
COMP_SUBTITLE = "How a budget-neutral manager plan would reward team development."
OWNERSHIP_SUBTITLE = "Who should own the program, and why the sales manager."
NOT_ASSESSED = "Not assessed — needs compensation"
NOTE_WIDTH = 110
TD_LABEL = component_label(TEAM_DEVELOPMENT)
_SHEET_WIDTH: dict[str, float] = {}   # sheet name -> total width of the merged note columns
_COLUMN_WIDTHS: dict[str, list[float]] = {}   # sheet name -> the fixed column widths
RAW_FILL = {"A": ("#1F3864", "#FFFFFF"), "R": ("#9DC3E6", "#000000"), "C": ("#E2EFDA", "#000000"),
            "I": ("#F2F2F2", "#595959")}

COMP_NOTE = (
    "The recommendation: one team-development component of {weight} of target variable (Performio, "
    "practitioner: components under about 20% lose focus), scored on objective measures — coaching "
    "logged, own training completed, team retention (subjective MBOs become disguised base pay: ZS; "
    "Forma.ai). The other components keep their relative weights and share the rest, and the target "
    "incentive is unchanged: budget neutral. No published source backs a specific share, so the weight "
    "is an assumption: change the yellow cells on the Assumptions sheet (weight, payout curve, risk "
    "threshold) and the figures below recalculate."
)


# --- small writing helpers --------------------------------------------------------------------------

def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _cached(value: Any) -> Any:
    number = _number(value)
    return "" if number is None else number


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value)


def _note(book: DeliverableBook, ws, row: int, text: str, last_col: int, width: float | None = None) -> None:
    """Grey wrapped text merged across the sheet's columns; `width` is their total width."""
    ws.merge_range(row, 0, row, max(last_col, 1), None, book.fmt("note"))
    book.safe_write(ws, row, 0, text, book.fmt("note"))
    ws.set_row(row, book.wrapped_height(text, width or _SHEET_WIDTH.get(ws.name, NOTE_WIDTH)))


def _label(book: DeliverableBook, ws, row: int, text: str) -> None:
    """A label across the first two columns (ID and name in the tables below)."""
    ws.merge_range(row, 0, row, 1, None, book.fmt("label"))
    book.safe_write(ws, row, 0, text, book.fmt("label"))


def _fixed_widths(ws, frame: pd.DataFrame) -> dict[str, float] | None:
    """The sheet's fixed widths for a table's columns, so its header row is tall enough."""
    widths = _COLUMN_WIDTHS.get(ws.name)
    if not widths or len(frame.columns) > len(widths):
        return None
    return {c: widths[j] for j, c in enumerate(frame.columns)}


def _grey(book: DeliverableBook):
    return book.fmt(font_color=style.GREY)


def _assumption(ctx: DeliverableContext, name: str) -> float:
    return float(ctx.assumptions[name])


def _curve_values(ctx: DeliverableContext) -> dict[str, float]:
    return {n: _assumption(ctx, n) for n in CURVE_NAMES}


# --- Compensation ---------------------------------------------------------------------------------

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
    _label(book, ws, row, "Current financial measures, scaled pro rata")
    book.write_formula(ws, row, 2, "=1-team_development_weight", pct, value=1 - weight)
    ws.write_string(row, 3, "Revenue, margin and the like keep their relative weights; measured as today.",
                    _grey(book))
    first = row
    row += 1
    _label(book, ws, row, "Team development (one component)")
    book.write_formula(ws, row, 2, "=team_development_weight", pct, value=weight)
    ws.write_string(row, 3, "Mean of objective measures: " + "; ".join(
        MEASURE_LABELS[m].lower() for m in MEASURES) + ".", _grey(book))
    row += 1
    _label(book, ws, row, "Target variable")
    total = f"={xl_rowcol_to_cell(first, 2)}+{xl_rowcol_to_cell(first + 1, 2)}"
    book.write_formula(ws, row, 2, total, book.kind_format("percent", "bold"), value=(1 - weight) + weight)
    ws.write_string(row, 3, "Unchanged: the same target incentive, re-weighted (budget neutral).",
                    _grey(book))
    return row + 2


def _payout_curve(book: DeliverableBook, ws, row: int, ctx: DeliverableContext) -> int:
    ws.write_string(row, 0, "Payout curve, each component (from the Assumptions sheet)", book.fmt("heading"))
    row += 1
    _label(book, ws, row, "Point on the curve")
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
        _label(book, ws, row, label)
        if attainment.startswith("="):
            book.write_formula(ws, row, 2, attainment, pct, value=value)
        else:
            ws.write_number(row, 2, float(attainment), pct)
        cell = xl_rowcol_to_cell(row, 2)
        book.write_formula(ws, row, 3, "=" + curve_formula(cell), pct, value=payout_factor(value, a))
        row += 1
    ws.write_string(row, 0, "Linear between threshold and target, and between target and cap; nothing "
                    "below threshold; never above the cap.", _grey(book))
    return row + 2


def _manager_columns(components: list[Component], with_note: bool = True) -> list[tuple[str, str, str]]:
    """(key, header, kind) of the manager table, in order.

    Every financial component is measured by the team's attainment (one column, one payout %);
    development components by the team-development attainment.
    """
    cols = [("manager_id", "Manager ID", "text"), ("manager_name", "Manager", "text"),
            ("target_variable", "Target variable", "currency")]
    cols += [(f"current_weight_{c.name}", f"Current weight: {c.label}", "percent") for c in components]
    cols += [("team_attainment", "Team attainment vs quota", "percent"),
             ("team_development_attainment", "Team development attainment", "percent")]
    cols += [(f"proposed_weight_{c.name}", f"Proposed weight: {c.label}", "percent") for c in components]
    cols += [(f"proposed_weight_{TEAM_DEVELOPMENT}", f"Proposed weight: {TD_LABEL}", "percent")]
    cols += [("payout_factor_team", "Payout %: team attainment", "percent"),
             (f"payout_factor_{TEAM_DEVELOPMENT}", f"Payout %: {TD_LABEL}", "percent")]
    cols += [("payout_current_plan", "Payout, current plan", "currency"),
             ("payout_proposed_plan", "Payout, proposed plan", "currency"),
             ("payout_change", "Change", "currency"),
             ("payout_change_pct", "Change %", "percent"),
             ("risk", "Change-management risk", "text")]
    if with_note:
        cols.append(("not_assessed", "Note", "text"))
    return cols


def _factor_key(component: Component) -> str:
    """The payout % column a component is paid on."""
    return f"payout_factor_{TEAM_DEVELOPMENT}" if component.development else "payout_factor_team"


def _manager_frame(table: pd.DataFrame, columns: list[tuple[str, str, str]]) -> pd.DataFrame:
    out = pd.DataFrame(index=range(len(table)))
    table = table.reset_index(drop=True)
    for key, header, kind in columns:
        if key == "risk":
            flags = table.get("risk_flag", pd.Series(False, index=table.index))
            out[header] = ["yes" if _flag(v) else "" for v in flags]
        elif key == "payout_factor_team":
            out[header] = [_team_factor(r) for _, r in table.iterrows()]
        elif kind == "text":
            out[header] = [_text(v) for v in table.get(key, pd.Series("", index=table.index))]
        else:
            out[header] = pd.to_numeric(table.get(key, pd.Series(float("nan"), index=table.index)),
                                        errors="coerce").astype(float).to_numpy()
    return out


def _team_factor(r: pd.Series) -> float:
    """The payout % at team attainment (the same for every financial component)."""
    for key in r.index:
        if key.startswith("payout_factor_") and key != f"payout_factor_{TEAM_DEVELOPMENT}":
            name = key[len("payout_factor_"):]
            if not is_development(name) and _number(r[key]) is not None:
                return float(r[key])
    return float("nan")


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    try:
        return bool(value) and not (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):
        return False


def _write_manager_formulas(book: DeliverableBook, ws, first: int, table: pd.DataFrame,
                            components: list[Component], columns: list[tuple[str, str, str]]) -> None:
    col = {key: j for j, (key, _, _) in enumerate(columns)}
    pct, money = book.kind_format("percent"), book.kind_format("currency")
    names = [c.name for c in components]
    for i, (_, r) in enumerate(table.reset_index(drop=True).iterrows()):
        row = first + i

        def cell(key: str, row: int = row) -> str:
            return xl_rowcol_to_cell(row, col[key])

        current = {n: _number(r.get(f"current_weight_{n}")) for n in names}
        if any(v is None for v in current.values()):
            continue   # no plan: nothing to compute
        base = base_components({n: v or 0.0 for n, v in current.items()}, components)
        base_sum = "+".join(cell(f"current_weight_{n}") for n in base)
        for n in names:
            key = f"proposed_weight_{n}"
            if n in base:
                formula = f"={cell(f'current_weight_{n}')}/({base_sum})*(1-team_development_weight)"
                book.write_formula(ws, row, col[key], formula, pct, value=_cached(r.get(key)))
        td_key = f"proposed_weight_{TEAM_DEVELOPMENT}"
        book.write_formula(ws, row, col[td_key], "=team_development_weight", pct, value=_cached(r.get(td_key)))
        if _number(r.get("team_attainment")) is not None:
            book.write_formula(ws, row, col["payout_factor_team"], "=" + curve_formula(cell("team_attainment")),
                               pct, value=_cached(_team_factor(r)))
        if _number(r.get("team_development_attainment")) is not None:
            key = f"payout_factor_{TEAM_DEVELOPMENT}"
            book.write_formula(ws, row, col[key], "=" + curve_formula(cell("team_development_attainment")),
                               pct, value=_cached(r.get(key)))
        if _number(r.get("payout_current_plan")) is None:
            continue
        tv = cell("target_variable")
        terms = "+".join(f"{cell(f'current_weight_{c.name}')}*{cell(_factor_key(c))}" for c in components)
        book.write_formula(ws, row, col["payout_current_plan"], f"={tv}*({terms})", money,
                           value=_cached(r.get("payout_current_plan")))
        if _number(r.get("payout_proposed_plan")) is None:
            continue
        terms = "+".join(f"{cell(f'proposed_weight_{c.name}')}*{cell(_factor_key(c))}" for c in components)
        terms += f"+{cell(td_key)}*{cell(f'payout_factor_{TEAM_DEVELOPMENT}')}"
        book.write_formula(ws, row, col["payout_proposed_plan"], f"={tv}*({terms})", money,
                           value=_cached(r.get("payout_proposed_plan")))
        cur, prop, chg = cell("payout_current_plan"), cell("payout_proposed_plan"), cell("payout_change")
        book.write_formula(ws, row, col["payout_change"], f"={prop}-{cur}", money,
                           value=_cached(r.get("payout_change")))
        book.write_formula(ws, row, col["payout_change_pct"], f'=IF({cur}=0,"",{chg}/{cur})', pct,
                           value=_cached(r.get("payout_change_pct")))
        book.write_formula(ws, row, col["risk"], f'=IF(ABS({chg})>payout_change_risk_pct*{cur},"yes","")',
                           book.fmt(font_color="#C00000", bold=True, align="center"),
                           value="yes" if _flag(r.get("risk_flag")) else "")


def _budget_check(book: DeliverableBook, ws, row: int, table: pd.DataFrame, first: int, last: int,
                  components: list[Component], columns: list[tuple[str, str, str]]) -> int:
    col = {key: j for j, (key, _, _) in enumerate(columns)}

    def rng(key: str) -> str:
        return f"{xl_rowcol_to_cell(first, col[key])}:{xl_rowcol_to_cell(last, col[key])}"

    ws.write_string(row, 0, "Budget-neutrality check", book.fmt("heading"))
    row += 1
    money = book.kind_format("currency")
    planned = table[pd.to_numeric(table[f"proposed_weight_{TEAM_DEVELOPMENT}"], errors="coerce").notna()]
    tv = pd.to_numeric(planned["target_variable"], errors="coerce").fillna(0.0)
    weights_sum = sum(pd.to_numeric(planned[f"proposed_weight_{n}"], errors="coerce").fillna(0.0)
                      for n in [*(c.name for c in components), TEAM_DEVELOPMENT])
    current_total = float(tv.sum())
    proposed_total = float((tv * weights_sum).sum())
    _label(book, ws, row, "Target variable, current plans")
    tv_range = rng("target_variable")
    book.write_formula(ws, row, 2, f'=SUMIF({rng(f"proposed_weight_{TEAM_DEVELOPMENT}")},"<>",{tv_range})',
                       money, value=current_total)
    current_cell = xl_rowcol_to_cell(row, 2)
    row += 1
    _label(book, ws, row, "Target variable, proposed plans")
    weight_ranges = "+".join(rng(f"proposed_weight_{n}") for n in [*(c.name for c in components),
                                                                    TEAM_DEVELOPMENT])
    book.write_formula(ws, row, 2, f"=SUMPRODUCT({tv_range},{weight_ranges})", money, value=proposed_total)
    proposed_cell = xl_rowcol_to_cell(row, 2)
    ws.write_string(row, 3, "Each manager's target variable x the proposed weights, which sum to 100%.",
                    _grey(book))
    row += 1
    _label(book, ws, row, "Budget neutral")
    ok = abs(current_total - proposed_total) < 0.005
    book.write_formula(ws, row, 2, f'=IF(ABS({proposed_cell}-{current_cell})<0.005,"yes","no")',
                       book.fmt("bold"), value="yes" if ok else "no")
    row += 1
    both = table.dropna(subset=["payout_current_plan", "payout_proposed_plan"])
    for label, key in (("Total payout today, current plan", "payout_current_plan"),
                       ("Total payout today, proposed plan", "payout_proposed_plan"),
                       ("Total change", "payout_change")):
        _label(book, ws, row, label)
        book.write_formula(ws, row, 2, f"=SUM({rng(key)})", money,
                           value=float(pd.to_numeric(both[key], errors="coerce").sum()))
        row += 1
    ws.write_string(row, 0, "The target is the same; what moves is who earns it at today's performance: "
                    "managers who develop their teams earn more, those who do not earn less.", _grey(book))
    return row + 2


def comp_summary(table: pd.DataFrame, ctx: DeliverableContext) -> str:
    both = table.dropna(subset=["payout_current_plan", "payout_proposed_plan"])
    weight = _assumption(ctx, "team_development_weight")
    if both.empty:
        return ("No manager's payout could be simulated (see the Note column): the recommended weights "
                "below still apply.")
    change = pd.to_numeric(both["payout_change"], errors="coerce")
    more, less = int((change > 0.005).sum()), int((change < -0.005).sum())
    risk = int(sum(_flag(v) for v in both["risk_flag"]))
    total = float(change.sum())
    risk_pct = _assumption(ctx, "payout_change_risk_pct")
    text = (f"With {weight:.0%} of target variable on team development, at today's measured performance "
            f"{more} of {len(both)} front-line managers would earn more and {less} less; the total "
            f"payout moves by {_money(total, ctx.currency)} ({total / max(float(both['payout_current_plan'].sum()), 1e-9):+.1%}) "
            "while the target incentive stays the same. ")
    if risk:
        text += (f"{risk} would see their payout change by more than {risk_pct:.0%}: a change-management "
                 "risk that needs a transition plan (e.g. a guarantee or phased weights in year one).")
    else:
        text += f"No manager's payout changes by more than {risk_pct:.0%}."
    return text


def _money(value: float, currency: str) -> str:
    sign = "-" if value < 0 else "+"
    prefix = {"USD": "$", "GBP": "£", "EUR": "€"}.get((currency or "").upper(), "")
    return f"{sign}{prefix}{abs(value):,.0f}" + ("" if prefix else f" {currency}")


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
        ws.write_string(row, 0, "No front-line managers to measure.", _grey(book))
        return row + 2
    headers = {"manager_id": "Manager ID", "manager_name": "Manager",
               **{m: MEASURE_LABELS[m] for m in MEASURES},
               "measures_used": "Measures used", "team_development_attainment": "Team development attainment"}
    frame = pd.DataFrame(index=range(len(measures)))
    for key, header in headers.items():
        values = measures.get(key, pd.Series(float("nan"), index=measures.index))
        if key in ("manager_id", "manager_name"):
            frame[header] = [_text(v) for v in values]
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
            frame[header] = ["◄ the assumption" if _flag(v) else "" for v in values]
        elif key in ("managers", "managers_earning_more", "managers_earning_less", "managers_at_risk"):
            frame[header] = pd.to_numeric(values, errors="coerce").astype("Int64").to_numpy()
        else:
            frame[header] = pd.to_numeric(values, errors="coerce").astype(float).to_numpy()
    kinds = {"Team development weight": "percent", "Change %": "percent", "Payout, current plan": "currency",
             "Payout, proposed plan": "currency", "Change": "currency", "Used above": "text"}
    last = book.write_table(ws, row, frame, "compensation_sensitivity", column_kinds=kinds,
                            widths=_fixed_widths(ws, frame), freeze=False)
    return last + 2


def _payout_chart(book: DeliverableBook, ws, row: int, header_row: int, n: int,
                  columns: list[tuple[str, str, str]]) -> None:
    col = {key: j for j, (key, _, _) in enumerate(columns)}
    first, last = header_row + 1, header_row + min(n, 30)
    chart = book.workbook.add_chart({"type": "column"})
    for key, colour in (("payout_current_plan", "#A6A6A6"), ("payout_proposed_plan", "#1F3864")):
        chart.add_series({"name": [ws.name, header_row, col[key]],
                          "categories": [ws.name, first, col["manager_name"], last, col["manager_name"]],
                          "values": [ws.name, first, col[key], last, col[key]],
                          "fill": {"color": colour}, "gap": 60})
    chart.set_title({"name": "Payout at current performance: current vs proposed plan",
                     "name_font": {"size": 11, "bold": True}})
    chart.set_y_axis({"num_format": book.number_formats["currency"], "min": 0,
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_x_axis({"num_font": {"rotation": -45}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 920, "height": 340})
    ws.insert_chart(row, 0, chart, {"x_offset": 4, "y_offset": 4})


def build_compensation(book: DeliverableBook, ctx: DeliverableContext) -> None:
    ws = book.sheet(COMP_TITLE)
    row = book.write_title(ws, COMP_TITLE, COMP_SUBTITLE)
    table = ctx.results.get("compensation")
    measures = ctx.results.get("compensation_measures")
    weight = _assumption(ctx, "team_development_weight")
    components = components_of(table) if table is not None else []
    with_note = table is not None and any(_text(v) for v in table.get("not_assessed", []))
    columns = _manager_columns(components, with_note)
    last_col = max(len(columns) - 1, 9)
    widths = [12.0, 22.0] + [13.0] * (last_col - 1)
    if with_note:
        widths[len(columns) - 1] = 34.0
    for j, w in enumerate(widths):
        book.set_width(ws, j, w)
    _SHEET_WIDTH[ws.name] = sum(widths)
    _COLUMN_WIDTHS[ws.name] = widths
    _note(book, ws, row, COMP_NOTE.format(weight=f"{weight:.0%}"), last_col)
    row += 1
    if table is not None:
        _note(book, ws, row, comp_summary(table, ctx), last_col)
    row += 2
    row = _recommended_plan(book, ws, row, ctx)
    row = _payout_curve(book, ws, row, ctx)

    ws.write_string(row, 0, "Payout at current measured performance, per front-line manager", book.fmt("heading"))
    row += 1
    if table is None:
        ws.write_string(row, 0, NOT_ASSESSED, book.fmt("heading"))
        _note(book, ws, row + 1, "The payout simulation needs the client's current compensation plans "
              "(base, target variable and component weights per manager). The recommendation above "
              "stands as a template in percentages: keep the current financial measures at "
              f"{1 - weight:.0%} of target variable, pro rata, and add team development at {weight:.0%}.",
              last_col)
        row += 3
        _measures_block(book, ws, row, measures, last_col)
        return
    _note(book, ws, row, "Target variable, current weights and attainments come from the client's data "
          "(numbers); everything to their right is a formula over them and the Assumptions sheet. "
          "Attainment of a financial component is the team's won revenue against its prorated quota in "
          "the analysis window (the plans carry weights only, so every financial component uses it); a "
          "payout % is the curve above applied to that attainment.", last_col)
    row += 1
    header_row = row
    frame = _manager_frame(table, columns)
    kinds = {header: kind for _, header, kind in columns}
    last = book.write_table(ws, header_row, frame, "compensation", column_kinds=kinds,
                            widths={h: widths[j] for j, (_, h, _) in enumerate(columns)}, freeze=False)
    _write_manager_formulas(book, ws, header_row + 1, table, components, columns)
    if len(table):
        col = {key: j for j, (key, _, _) in enumerate(columns)}
        ws.conditional_format(header_row + 1, col["payout_change"], last, col["payout_change"],
                              {"type": "data_bar", "bar_color": "#63BE7B", "bar_negative_color": "#F8696B",
                               "bar_solid": True})
        ws.conditional_format(header_row + 1, col["team_development_attainment"], last,
                              col["team_development_attainment"],
                              {"type": "3_color_scale", "min_color": "#F8696B", "mid_color": "#FFEB84",
                               "max_color": "#63BE7B", "min_type": "num", "min_value": 0,
                               "mid_type": "num", "mid_value": 0.5, "max_type": "num", "max_value": 1})
    row = last + 2
    row = _budget_check(book, ws, row, table, header_row + 1, max(last, header_row + 1), components, columns)
    notes_frame = ctx.results.get("compensation_notes")
    notes = [] if notes_frame is None or "note" not in notes_frame else \
        [_text(v) for v in notes_frame["note"] if _text(v)]
    row = _notes_block(book, ws, row, notes, last_col)
    row = _sensitivity_block(book, ws, row, ctx.results.get("compensation_sensitivity"), last_col,
                             ctx.currency)
    row = _measures_block(book, ws, row, measures, last_col)
    if len(table) and frame["Payout, current plan"].notna().any():
        _payout_chart(book, ws, row, header_row, len(table), columns)


# --- Ownership ------------------------------------------------------------------------------------

def build_ownership(book: DeliverableBook, ctx: DeliverableContext) -> None:
    ws = book.sheet(OWNERSHIP_TITLE)
    row = book.write_title(ws, OWNERSHIP_TITLE, OWNERSHIP_SUBTITLE)
    summary = ctx.results.get("ownership")
    raci = ctx.results.get("ownership_raci")
    widths = [30, 15, 17, 13, 13, 13, 62]
    for j, w in enumerate(widths):
        book.set_width(ws, j, w)
    total = float(sum(widths))
    last_col = len(widths) - 1
    if summary is None or summary.empty:
        ws.write_string(row, 0, "Not assessed — the ownership section was not run", book.fmt("heading"))
        return
    s = summary.iloc[0]
    owner = _text(s.get("current_owner_label")) or "not recorded"
    ws.write_string(row, 0, "Current owner (from the interviews)", book.fmt("label"))
    ws.merge_range(row, 1, row, 3, None, book.fmt("bold"))
    book.safe_write(ws, row, 1, owner[:1].upper() + owner[1:], book.fmt("bold"))
    row += 2
    for heading, key in (("Finding", "finding"), ("Recommendation", "recommendation")):
        ws.write_string(row, 0, heading, book.fmt("heading"))
        row += 1
        _note(book, ws, row, _text(s.get(key)), last_col, total)
        ws.set_row(row, book.wrapped_height(_text(s.get(key)), total) + 4)
        row += 2
    ws.write_string(row, 0, "Evidence", book.fmt("heading"))
    row += 1
    for line in _text(s.get("evidence")).split("\n"):
        if line.strip():
            _note(book, ws, row, "• " + line.strip(), last_col, total)
            row += 1
    row += 1
    ws.write_string(row, 0, "Who does what: RACI for the program", book.fmt("heading"))
    row += 1
    if raci is None or raci.empty:
        ws.write_string(row, 0, "Not available.", _grey(book))
        return
    frame = pd.DataFrame({"Activity": [_text(v) for v in raci["activity"]],
                          **{r: [_text(v) for v in raci[r]] for r in ROLES if r in raci.columns},
                          "Note": [_text(v) for v in raci.get("note", pd.Series("", index=raci.index))]})
    kinds = {c: "text" for c in frame.columns}
    kinds["Note"] = "wrap"
    centre = book.fmt(align="center", bold=True)
    formats = {r: centre for r in ROLES}
    last = book.write_table(ws, row, frame, "ownership_raci", column_kinds=kinds,
                            formats_by_column=formats,
                            widths={c: widths[j] for j, c in enumerate(frame.columns)}, freeze=False)
    first_role, last_role = 1, len(ROLES)
    for letter, (fill, font) in RAW_FILL.items():
        ws.conditional_format(row + 1, first_role, last, last_role,
                              {"type": "text", "criteria": "begins with", "value": letter,
                               "format": book.workbook.add_format({"bg_color": fill, "font_color": font,
                                                                   "bold": True}),
                               "stop_if_true": True})
    _note(book, ws, last + 2, RACI_LEGEND + " The front-line manager is accountable for reinforcement "
          "and coaching, and held to it through the compensation plan (see the Compensation sheet).",
          last_col, total)
