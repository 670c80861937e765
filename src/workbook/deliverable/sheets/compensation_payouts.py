"""The Compensation sheet's per-manager payout table: columns, live formulas, budget check."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from workbook.analyses.budget_neutrality import (
    NAME_CALIBRATED,
    NAME_CURRENT,
    NAME_PROPOSED,
    NAME_STANDARD,
    NEUTRAL_TOLERANCE,
    Budget,
    sentence,
    sentence_formula,
)
from workbook.analyses.compensation import (
    STANDARD_FACTOR,
    TEAM_DEVELOPMENT,
    Component,
    base_components,
    component_label,
    curve_formula,
    is_development,
)
from workbook.deliverable.sheets.sheet_text import (
    finite_number,
    is_flagged,
    plain_text,
    side_note,
    write_label,
)

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook

TD_LABEL = component_label(TEAM_DEVELOPMENT)
SIDE_NOTE_COLS = (3, 10)    # explanations beside a figure in column C, wrapped within the tables' width
SIDE_NOTE_WIDTH = 80.0




def _cached(value: Any) -> Any:
    number = finite_number(value)
    return "" if number is None else number


def manager_columns(components: list[Component], with_note: bool = True) -> list[tuple[str, str, str]]:
    """(key, header, kind) of the manager workings, in order (split into two tables by `PAYOUT_KEYS`).

    Every financial component is measured by the team's attainment (one column, one payout %);
    development components by the team-development attainment.
    """
    cols = [("manager_id", "Manager ID", "text"), ("manager_name", "Manager", "text"),
            ("target_variable", "Target variable", "currency")]
    cols += [(f"current_weight_{c.name}", f"Current weight: {c.label}", "percent") for c in components]
    cols += [("team_attainment", "Team attainment vs quota", "percent"),
             ("team_development_attainment", "Team development attainment", "percent")]
    cols += [("payout_factor_team", "Payout %: team attainment", "percent")]
    if any(c.development for c in components):   # today's development components, paid as today
        cols += [(f"payout_factor_{TEAM_DEVELOPMENT}", "Payout %: development, today", "percent")]
    cols += [(STANDARD_FACTOR, f"Payout %: {TD_LABEL} vs standard", "percent")]
    if with_note:
        cols.append(("not_assessed", "Note", "wrap"))
    cols += [(f"proposed_weight_{c.name}", f"Proposed weight: {c.label}", "percent") for c in components]
    cols += [(f"proposed_weight_{TEAM_DEVELOPMENT}", f"Proposed weight: {TD_LABEL}", "percent")]
    cols += [("payout_current_plan", "Payout, current plan", "currency"),
             ("payout_proposed_other", "Proposed: other components", "currency"),
             ("payout_proposed_team_development", "Proposed: team development", "currency"),
             ("payout_proposed_plan", "Payout, proposed plan", "currency"),
             ("payout_change", "Change", "currency"),
             ("payout_change_pct", "Change %", "percent"),
             ("risk", "Change-management risk", "text")]
    return cols


def is_payout_key(key: str) -> bool:
    """Whether a workings column sits in the second table (proposed weights and payouts)."""
    return key.startswith("proposed_weight_") or key.startswith("payout_") and not key.startswith(
        "payout_factor_") or key == "risk"


def split_columns(columns: list[tuple[str, str, str]]) -> tuple[list, list]:
    """The workings as two tables, each narrow enough to print one page wide: the plans and
    attainments (with the payout % they earn), then the proposed weights and the payouts, which
    repeat the manager's id and name, the same managers in the same order."""
    plans = [c for c in columns if not is_payout_key(c[0])]
    payouts = [c for c in columns if c[0] in ("manager_id", "manager_name")] + \
        [c for c in columns if is_payout_key(c[0])]
    return plans, payouts


class Grid:
    """Where each workings column sits: key -> (first data row, column), over the two tables."""

    def __init__(self) -> None:
        self.first: dict[str, int] = {}
        self.col: dict[str, int] = {}
        self.header: dict[str, int] = {}
        self.rows = 0

    def place(self, header_row: int, columns: list[tuple[str, str, str]], rows: int) -> None:
        for j, (key, _, _) in enumerate(columns):
            if key not in self.col:       # the manager's name is read from the first table
                self.first[key], self.col[key], self.header[key] = header_row + 1, j, header_row
        self.rows = rows

    def __contains__(self, key: str) -> bool:
        return key in self.col

    def cell(self, key: str, i: int) -> str:
        return xl_rowcol_to_cell(self.first[key] + i, self.col[key])

    def span(self, key: str, rows: int | None = None) -> tuple[int, int, int, int]:
        """(first row, column, last row, column) of a column's first `rows` data cells (all of them
        by default): the cell range XlsxWriter's conditional formats and chart series take."""
        first, col = self.first[key], self.col[key]
        return first, col, first + max(self.rows if rows is None else rows, 1) - 1, col

    def rng(self, key: str) -> str:
        first, col, last, _ = self.span(key)
        return f"{xl_rowcol_to_cell(first, col)}:{xl_rowcol_to_cell(last, col)}"


def _factor_key(component: Component) -> str:
    """The payout % column a component is paid on."""
    return f"payout_factor_{TEAM_DEVELOPMENT}" if component.development else "payout_factor_team"


def manager_frame(table: pd.DataFrame, columns: list[tuple[str, str, str]]) -> pd.DataFrame:
    out = pd.DataFrame(index=range(len(table)))
    table = table.reset_index(drop=True)
    for key, header, kind in columns:
        if key == "risk":
            flags = table.get("risk_flag", pd.Series(False, index=table.index))
            out[header] = ["yes" if is_flagged(v) else "" for v in flags]
        elif key == "payout_factor_team":
            out[header] = [_team_factor(r) for r in table.to_dict("records")]
        elif kind in ("text", "wrap"):
            out[header] = [plain_text(v) for v in table.get(key, pd.Series("", index=table.index))]
        else:
            out[header] = pd.to_numeric(table.get(key, pd.Series(float("nan"), index=table.index)),
                                        errors="coerce").astype(float).to_numpy()
    return out


def _team_factor(r: Mapping[str, Any]) -> float:
    """The payout % at team attainment (the same for every financial component)."""
    for key in r.keys():
        if key.startswith("payout_factor_") and key != f"payout_factor_{TEAM_DEVELOPMENT}":
            name = key[len("payout_factor_"):]
            if not is_development(name) and finite_number(r[key]) is not None:
                return float(r[key])
    return float("nan")


def write_manager_formulas(book: DeliverableBook, ws, grid: Grid, table: pd.DataFrame,
    components: list[Component]) -> None:
    pct, money = book.kind_format("percent"), book.kind_format("currency")
    names = [c.name for c in components]
    for i, r in enumerate(table.to_dict("records")):   # plain dicts: a Series per row costs ~0.2 ms

        def cell(key: str, i: int = i) -> str:
            return grid.cell(key, i)

        def put(key: str, formula: str, fmt, value: Any, i: int = i) -> None:
            book.write_formula(ws, grid.first[key] + i, grid.col[key], formula, fmt, value=value)

        current = {n: finite_number(r.get(f"current_weight_{n}")) for n in names}
        if any(v is None for v in current.values()):
            continue   # no plan: nothing to compute
        base = base_components({n: v or 0.0 for n, v in current.items()}, components)
        base_sum = "+".join(cell(f"current_weight_{n}") for n in base)
        for n in names:
            key = f"proposed_weight_{n}"
            if n in base:
                formula = f"={cell(f'current_weight_{n}')}/({base_sum})*(1-team_development_weight)"
                put(key, formula, pct, value=_cached(r.get(key)))
        td_key = f"proposed_weight_{TEAM_DEVELOPMENT}"
        put(td_key, "=team_development_weight", pct, value=_cached(r.get(td_key)))
        if finite_number(r.get("team_attainment")) is not None:
            put("payout_factor_team", "=" + curve_formula(cell("team_attainment")),
                pct, value=_cached(_team_factor(r)))
        if finite_number(r.get("team_development_attainment")) is not None:
            key = f"payout_factor_{TEAM_DEVELOPMENT}"
            if key in grid:
                put(key, "=" + curve_formula(cell("team_development_attainment")),
                    pct, value=_cached(r.get(key)))
            put(STANDARD_FACTOR, "=" + curve_formula(f"{cell('team_development_attainment')}/{NAME_STANDARD}"),
                pct, value=_cached(r.get(STANDARD_FACTOR)))
        if finite_number(r.get("payout_current_plan")) is None:
            continue
        tv = cell("target_variable")
        terms = "+".join(f"{cell(f'current_weight_{c.name}')}*{cell(_factor_key(c))}" for c in components)
        put("payout_current_plan", f"={tv}*({terms})", money,
            value=_cached(r.get("payout_current_plan")))
        if finite_number(r.get("payout_proposed_plan")) is None:
            continue
        terms = "+".join(f"{cell(f'proposed_weight_{c.name}')}*{cell(_factor_key(c))}" for c in components)
        put("payout_proposed_other", f"={tv}*({terms})", money,
            value=_cached(r.get("payout_proposed_other")))
        development = f"={tv}*{cell(td_key)}*{cell(STANDARD_FACTOR)}"
        put("payout_proposed_team_development", development, money,
            value=_cached(r.get("payout_proposed_team_development")))
        put("payout_proposed_plan", f"={cell('payout_proposed_other')}+{cell('payout_proposed_team_development')}",
            money, value=_cached(r.get("payout_proposed_plan")))
        cur, prop, chg = cell("payout_current_plan"), cell("payout_proposed_plan"), cell("payout_change")
        put("payout_change", f"={prop}-{cur}", money,
            value=_cached(r.get("payout_change")))
        put("payout_change_pct", f'=IF({cur}=0,"",{chg}/{cur})', pct,
            value=_cached(r.get("payout_change_pct")))
        put("risk", f'=IF(ABS({chg})>payout_change_risk_pct*{cur},"yes","")',
            book.fmt(font_color="#C00000", bold=True, align="center"),
            value="yes" if is_flagged(r.get("risk_flag")) else "")


def write_budget_check(book: DeliverableBook, ws, row: int, table: pd.DataFrame, grid: Grid,
                       components: list[Component], budget: Budget, currency: str) -> int:
    """Target variable before and after, then the calibration that makes payouts at today's
    performance equal (budget_neutrality.py), each total a formula and a defined name."""
    rng = grid.rng
    ws.write_string(row, 0, "Budget-neutrality check", book.fmt("heading"))
    row += 1
    money, pct = book.kind_format("currency"), book.kind_format("percent")
    planned = table[pd.to_numeric(table[f"proposed_weight_{TEAM_DEVELOPMENT}"], errors="coerce").notna()]
    tv = pd.to_numeric(planned["target_variable"], errors="coerce").fillna(0.0)
    weights_sum = sum(pd.to_numeric(planned[f"proposed_weight_{n}"], errors="coerce").fillna(0.0)
                      for n in [*(c.name for c in components), TEAM_DEVELOPMENT])
    current_total = float(tv.sum())
    proposed_total = float((tv * weights_sum).sum())
    write_label(book, ws, row, "Target variable, current plans")
    tv_range = rng("target_variable")
    book.write_formula(ws, row, 2, f'=SUMIF({rng(f"proposed_weight_{TEAM_DEVELOPMENT}")},"<>",{tv_range})',
            money, value=current_total)
    current_cell = xl_rowcol_to_cell(row, 2)
    row += 1
    write_label(book, ws, row, "Target variable, proposed plans")
    weight_ranges = "+".join(rng(f"proposed_weight_{n}") for n in [*(c.name for c in components),
                                                                    TEAM_DEVELOPMENT])
    book.write_formula(ws, row, 2, f"=SUMPRODUCT({tv_range},{weight_ranges})", money, value=proposed_total)
    proposed_cell = xl_rowcol_to_cell(row, 2)
    side_note(book, ws, row, "Each manager's target variable x the proposed weights, which sum to 100%.",
              SIDE_NOTE_COLS, SIDE_NOTE_WIDTH)
    row += 1
    write_label(book, ws, row, "Same target incentive")
    ok = abs(current_total - proposed_total) < 0.005
    book.write_formula(ws, row, 2, f'=IF(ABS({proposed_cell}-{current_cell})<0.005,"yes","no")',
                       book.fmt("bold"), value="yes" if ok else "no")
    row += 2
    return _calibration_block(book, ws, row, rng, budget, currency, money, pct)


def _calibration_block(book: DeliverableBook, ws, row: int, rng, budget: Budget, currency: str,
                       money, pct) -> int:
    ws.write_string(row, 0, "At today's measured performance (managers with both payouts)",
                    book.fmt("heading"))
    row += 1

    def line(label: str, formula: str | None, value: Any, fmt, name: str = "", note: str = "") -> None:
        nonlocal row
        write_label(book, ws, row, label)
        if formula is None:
            book.safe_write(ws, row, 2, value, fmt)
        else:
            book.write_formula(ws, row, 2, formula, fmt, value=value)
        if note:
            side_note(book, ws, row, note, SIDE_NOTE_COLS, SIDE_NOTE_WIDTH)
        if name:
            book.workbook.define_name(name, f"='{ws.name}'!{xl_rowcol_to_cell(row, 2, True, True)}")
        row += 1

    other, cur = rng("payout_proposed_other"), rng("payout_current_plan")
    line("Total payout, current plan", f'=SUMIF({other},"<>",{cur})', budget.current, money, NAME_CURRENT)
    line("Team-development standard", None, budget.standard, book.kind_format("percent", "bold"), NAME_STANDARD,
         "The team-development attainment that pays 100% of the component, calibrated when the "
         "engagement ran so that the totals match, as a quota is set from today's results.")
    line("Proposed: other components", f"=SUM({other})", budget.other, money, "",
         "The financial components at their new weights, paid as today.")
    line("Proposed: team development", f"=SUM({rng('payout_proposed_team_development')})", budget.development,
         money, "", "Target variable x weight x the payout curve at attainment / the standard.")
    line("Total payout, proposed plan", f"=SUM({rng('payout_proposed_plan')})", budget.proposed, money,
         NAME_PROPOSED)
    line("Proposed total when the standard was set", None, budget.calibrated, money, NAME_CALIBRATED,
         "If the total above differs, an assumption has changed since: re-run to recalibrate.")
    line("Change", f"={NAME_PROPOSED}-{NAME_CURRENT}", budget.change, money)
    line("Budget neutral (within 0.5%)",
         f'=IF(ABS({NAME_PROPOSED}-{NAME_CURRENT})<={NEUTRAL_TOLERANCE}*ABS({NAME_CURRENT})+0.005,"yes","no")',
         "yes" if budget.neutral else "no", book.fmt("bold"))
    row += 1
    text = sentence(budget, currency)
    ws.merge_range(row, 0, row, 8, "", book.fmt("wrap", bold=True))
    book.write_formula(ws, row, 0, sentence_formula(currency), book.fmt("wrap", bold=True), value=text)
    ws.set_row(row, book.wrapped_height(text, 110) + 4)
    row += 1
    book.write_note(ws, row, "At target (every attainment 100% of its standard) the proposed plan pays each "
                    "manager's target incentive, as today; what moves is who earns it at today's "
                    "performance: managers who develop their teams earn more, those who do not earn less.",
                    8, 110)
    return row + 2
