"""Compensation: a budget-neutral manager plan that pays for developing the team.

Needs the compensation table for the payout simulation; without it the
recommendation is still made in percentages (the template) and the payout
says "not assessed — needs compensation". Attainment needs sales; the
team-development measures need coaching, training or termination dates
(whichever are present).

One definition serves Python and Excel (as roi.py's LINES do): `CURVE_EXCEL`
is the payout curve's formula template and `payout_factor` evaluates the same
expression in the same order, and `proposed_weight`, `payout` and `risk`
mirror the sheet's formulas, so compensation.csv equals what a spreadsheet
computes from the live Compensation sheet, to the cent. The formulas live in
payout.py, the reading of the current plans in current_plans.py and the
team-development measures in team_measures.py; the names imported from them
`as` themselves are re-exported from here.

Modelling choices (cite these on the Methodology sheet):

- Current plan: each front-line manager's base, target variable and the
  `weight_<component>` columns. Weights summing to about 100 (more than 1.5)
  are read as percentages; weights not summing to 100% are normalised to 100%
  and reported in the notes, as are plans with more than three measures or a
  component under 20% (Performio, practitioner/vendor: such plans lose focus),
  and plans without weights (treated as 100% on the first financial measure).
- Components whose name mentions coaching, training, development, enablement
  or MBO are development components; every other is a financial component.
- Attainment of a financial component = the team's won revenue / the team's
  prorated quota in the analysis window (raw, not shrunk: pay follows actual
  results). The comp table carries no margin or other component data, so
  every financial component uses the team's attainment against quota; with
  no quotas at all, team revenue per rep-month relative to the organisation's
  (the organisation = 100%). A development component already in the plan is
  measured by the team-development attainment below.
- Team-development attainment = the mean of the measures available for the
  manager, each capped at 100% (no credit for exceeding a standard, so the
  component pays at most 100%; Gartner: diminishing returns beyond the
  coaching target): coaching hours per rep per month / target; monthly
  coaching coverage (share of rep-months with a session, so one session a
  year does not earn full credit); own training (the manager completed the
  reps' sales program and a coaching program: 1, one of them: 0.5, none: 0);
  team retention = 1 - shrunk attrition (all exits) / (2 x the
  organisation's), clipped to 0-100% (no exits 100%, the organisation's rate
  50%, twice it 0). A measure spanning less than MIN_SPREAD across the
  managers is left out (it would pay everyone the same) and the notes say so.
  Objective measures only: subjective MBOs become disguised base pay (ZS;
  Forma.ai). New-hire ramp is not measured (the data holds no ramp
  milestone).
- Recommended plan: one team-development component at team_development_weight
  of target variable (default 20%: one component, not a sliver), the
  financial components scaled pro rata to the rest (1 - weight), development
  components folded into the new one (a plan with no financial component
  scales all its components). Target variable is unchanged.
- Budget neutrality at today's performance is enforced: the team-development
  component's standard (the attainment that pays 100% of it) is calibrated
  (budget_neutrality.py) so that total proposed payout equals total current
  payout, and at target the plan still pays the target incentive; where that
  cannot hold, the sheet and the Executive Summary say by how much and why.
- Payout curve per component: nothing below threshold attainment; at
  threshold, payout_at_threshold; linear to 100% payout at 100% attainment;
  linear from there to payout_at_cap at payout_cap_attainment; capped there.
- Payout at current measured performance = target variable x sum of weight x
  curve(attainment), the new component at curve(attainment / standard).
  Change = proposed - current; a change-management risk when |change| >
  payout_change_risk_pct x the current payout.
- Sensitivity: total payouts, the standard and who earns more or less with
  the team-development weight at 10-30%.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from workbook.analyses import assumption_values, not_assessed
from workbook.analyses.budget_neutrality import Budget, solve_standard
from workbook.analyses.current_plans import FOCUS_MAX_COMPONENTS as FOCUS_MAX_COMPONENTS
from workbook.analyses.current_plans import FOCUS_MIN_WEIGHT as FOCUS_MIN_WEIGHT
from workbook.analyses.current_plans import WEIGHT_PREFIX as WEIGHT_PREFIX
from workbook.analyses.current_plans import current_plans, plan_components
from workbook.analyses.payout import CURVE_EXCEL as CURVE_EXCEL
from workbook.analyses.payout import CURVE_NAMES as CURVE_NAMES
from workbook.analyses.payout import DEVELOPMENT_PATTERN as DEVELOPMENT_PATTERN
from workbook.analyses.payout import (
    TEAM_DEVELOPMENT,
    Component,
    change_pct,
    component_label,
    is_risk,
    payout,
    payout_factor,
    payout_factors,
    proposed_weights,
)
from workbook.analyses.payout import base_components as base_components
from workbook.analyses.payout import curve_formula as curve_formula
from workbook.analyses.payout import is_development as is_development
from workbook.analyses.team_measures import BASIS_QUOTA as BASIS_QUOTA
from workbook.analyses.team_measures import BASIS_RELATIVE as BASIS_RELATIVE
from workbook.analyses.team_measures import MEASURE_CAP as MEASURE_CAP
from workbook.analyses.team_measures import MEASURE_LABELS as MEASURE_LABELS
from workbook.analyses.team_measures import MEASURE_NOTES as MEASURE_NOTES
from workbook.analyses.team_measures import MEASURES as MEASURES
from workbook.analyses.team_measures import MIN_MANAGERS_FOR_SPREAD as MIN_MANAGERS_FOR_SPREAD
from workbook.analyses.team_measures import MIN_SPREAD as MIN_SPREAD
from workbook.analyses.team_measures import saturated_measures as saturated_measures
from workbook.analyses.team_measures import team_attainment as team_attainment
from workbook.analyses.team_measures import team_development_measures as team_development_measures

STANDARD_FACTOR = f"payout_factor_{TEAM_DEVELOPMENT}_standard"   # the new component's payout %
SENSITIVITY_WEIGHTS = (0.10, 0.15, 0.20, 0.25, 0.30)
RISK_LABEL = "change-management risk"
SPEC_COLUMNS = ["manager_id", "manager_name", "target_variable", "current_weights", "proposed_weights",
                "payout_current_plan", "payout_proposed_plan", "payout_change"]


# --- the recommendation --------------------------------------------------------------------------

def weights_text(weights: Mapping[str, float]) -> str:
    """'revenue 70% · margin 30%': the components with weight, in order."""
    parts = [f"{component_label(k)} {_pct(v)}" for k, v in weights.items()
             if v is not None and math.isfinite(v) and v > 1e-12]
    return " · ".join(parts)


def _pct(value: float) -> str:
    text = f"{value * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def template(assumptions: Mapping[str, Any] | Any) -> pd.DataFrame:
    """The recommended plan in percentages, for any client (with or without comp data)."""
    w = float(assumption_values(assumptions)["team_development_weight"])
    return pd.DataFrame([
        {"component": "Current financial measures (e.g. revenue, margin), scaled pro rata",
         "weight": 1 - w, "measured_by": "Team attainment against quota, as today"},
        {"component": "Team development (one component)", "weight": w,
         "measured_by": "Mean of objective measures: " + "; ".join(
             MEASURE_LABELS[m].lower() for m in MEASURES)},
    ])


def recommend(compensation: pd.DataFrame, readiness: pd.DataFrame, coaching: pd.DataFrame | None,
              assumptions: Mapping[str, Any] | Any) -> tuple[pd.DataFrame, list[str], list[Component]]:
    """compensation.csv (one row per front-line manager), the notes, and the plan components."""
    a = assumption_values(assumptions)
    return _recommend_at(_Inputs.of(compensation, readiness, coaching, a), a)


def recommend_with_sensitivity(compensation: pd.DataFrame, readiness: pd.DataFrame,
                               coaching: pd.DataFrame | None, assumptions: Mapping[str, Any] | Any,
                               weights: Sequence[float] = SENSITIVITY_WEIGHTS
                               ) -> tuple[pd.DataFrame, list[str], list[Component], pd.DataFrame]:
    """`recommend` and `sensitivity` together, the plans read and each manager's row set up once."""
    a = assumption_values(assumptions)
    inputs = _Inputs.of(compensation, readiness, coaching, a)
    bases = _bases(inputs, a)
    table, notes, components = _recommend_at(inputs, a, bases)
    return table, notes, components, _sensitivity(inputs, bases, a, weights, table)


class _Inputs(NamedTuple):
    """What the recommendation reads that does not depend on the team-development weight (the
    sensitivity table reads it once for every weight)."""

    managers: pd.DataFrame
    components: list[Component]
    plans: pd.DataFrame
    notes: list[str]
    measures: pd.DataFrame
    attainment: pd.Series
    basis: str

    @classmethod
    def of(cls, compensation: pd.DataFrame, readiness: pd.DataFrame, coaching: pd.DataFrame | None,
           a: Mapping[str, Any]) -> _Inputs:
        managers = readiness.set_index(readiness["manager_id"].astype("object"))[["manager_name"]]
        components = plan_components(compensation, managers.index)
        plans, notes = current_plans(compensation, managers, components)
        attainment, basis = team_attainment(readiness)
        return cls(managers, components, plans, notes, team_development_measures(readiness, coaching, a),
                   attainment, basis)


def _recommend_at(inputs: _Inputs, a: Mapping[str, Any], bases: list[_Base] | None = None, text: bool = True
                  ) -> tuple[pd.DataFrame, list[str], list[Component]]:
    """The recommendation at a's team-development weight; `bases` (from `_bases`) when the caller
    asks at several weights under the same other assumptions; without `text`, the proposed weights
    are not written out in words (the sensitivity reads totals only)."""
    tdw = float(a["team_development_weight"])
    risk_pct = float(a["payout_change_risk_pct"])
    measures, components, basis = inputs.measures, inputs.components, inputs.basis
    notes = list(inputs.notes)
    if basis == BASIS_RELATIVE:
        notes.append("No quotas in the roster: financial attainment is team revenue per rep-month "
                     "relative to the organisation's (the organisation = 100%).")
    for m in saturated_measures(measures):
        values = pd.to_numeric(measures[m], errors="coerce").dropna()
        notes.append(f"{MEASURE_LABELS[m]} is left out of team-development attainment: every manager "
                     f"scores between {values.min():.0%} and {values.max():.0%}, so it would pay everyone "
                     "alike.")
    financial = [c.label for c in components if not c.development]
    if len(financial) > 1:
        notes.append("The compensation data holds weights only, not results per component: every "
                     f"financial component ({', '.join(financial)}) is measured by the team's attainment "
                     "against quota.")
    names = [c.name for c in components]
    rows = [_at_weight(base, names, components, tdw, text)
            for base in (bases if bases is not None else _bases(inputs, a))]
    # whether the totals balance is said by budget_neutrality.sentence (live on the sheet), not here
    table = _calibrated(pd.DataFrame(rows), a, risk_pct)
    table = table.sort_values(["manager_name", "manager_id"], kind="mergesort").reset_index(drop=True)
    return table, notes, components


def budget_of(table: pd.DataFrame, assumptions: Mapping[str, Any] | Any) -> Budget:
    """The totals over the managers with both payouts at the table's team-development standard."""
    both = table.dropna(subset=["payout_current_plan", "payout_proposed_plan"])
    standard = float(table["team_development_standard"].iloc[0]) if len(table) else 1.0
    total = {key: float(pd.to_numeric(both[key], errors="coerce").sum())
             for key in ("payout_current_plan", "payout_proposed_other", "payout_proposed_team_development")}
    proposed = total["payout_proposed_other"] + total["payout_proposed_team_development"]
    return Budget(total["payout_current_plan"], total["payout_proposed_other"],
                  total["payout_proposed_team_development"], standard, proposed)


def _calibrated(table: pd.DataFrame, a: Mapping[str, Any], risk_pct: float) -> pd.DataFrame:
    """Each manager's proposed payout, the team-development standard solved so that the totals
    match at today's performance (budget_neutrality.py)."""
    both = table["payout_current_plan"].notna() & table["payout_proposed_other"].notna()
    weight = pd.to_numeric(table[f"proposed_weight_{TEAM_DEVELOPMENT}"], errors="coerce")
    tvw = (table["target_variable"] * weight)[both].to_numpy(dtype=float)
    attainment = table["team_development_attainment"][both].to_numpy(dtype=float)
    standard = solve_standard(float(table.loc[both, "payout_current_plan"].sum()),
                              float(table.loc[both, "payout_proposed_other"].sum()), tvw, attainment, a)
    table["team_development_standard"] = standard
    factor = payout_factors(table["team_development_attainment"].to_numpy(dtype=float) / standard, a)
    table[STANDARD_FACTOR] = factor
    development = (table["target_variable"] * weight * pd.Series(factor, index=table.index)).where(both)
    table["payout_proposed_team_development"] = development
    table["payout_proposed_plan"] = table["payout_proposed_other"] + development
    change = table["payout_proposed_plan"] - table["payout_current_plan"]
    table["payout_change"] = change
    table["payout_change_pct"] = [change_pct(c, d) if math.isfinite(d) else math.nan
                                  for c, d in zip(table["payout_current_plan"], change, strict=True)]
    table["risk_flag"] = [bool(math.isfinite(d) and is_risk(c, d, risk_pct))
                          for c, d in zip(table["payout_current_plan"], change, strict=True)]
    return table


class _Base(NamedTuple):
    """One manager's row before the team-development weight is applied (and what applying it needs)."""

    row: dict[str, Any]          # every column, the weight's own ones still empty
    current: dict[str, float]    # current weights by component
    factors: list[float]         # each component's payout factor (0 for one the plan does not use)
    has_weights: bool
    pays: bool                   # the proposed plan's other components can be paid


def _bases(inputs: _Inputs, a: Mapping[str, Any]) -> list[_Base]:
    # plain dicts: per-manager lookups on DataFrames cost ~50 µs each, on dicts ~50 ns
    plan_rows = inputs.plans.to_dict("index")
    measure_rows = inputs.measures.to_dict("index")
    manager_names = inputs.managers["manager_name"].to_dict()
    team = {pid: float(v) for pid, v in inputs.attainment.items()}
    return [_manager_base(pid, manager_names, plan_rows, measure_rows, team, inputs.components, a,
                          inputs.basis) for pid in inputs.managers.index]


def _manager_base(pid, manager_names, plan_rows, measure_rows, attainment, components, a, basis) -> _Base:
    names = [c.name for c in components]
    plan, measure = plan_rows[pid], measure_rows[pid]
    tv = float(plan["target_variable"])
    current = {n: float(plan[f"weight_{n}"]) for n in names}
    has_weights = plan["has_plan"] and all(math.isfinite(v) for v in current.values())
    td = float(measure["team_development_attainment"])
    team = float(attainment.get(pid, np.nan))
    att = {c.name: (td if c.development else team) for c in components}
    factors = {n: payout_factor(att[n], a) for n in names}
    td_factor = payout_factor(td, a)
    row: dict[str, Any] = {
        "manager_id": pid, "manager_name": manager_names[pid], "target_variable": tv,
        "base_salary": float(plan["base_salary"]),
    }
    row["current_weights"] = weights_text(current) if has_weights else ""
    row["proposed_weights"] = ""
    missing = []
    if not plan["has_plan"]:
        missing.append("no compensation plan for this manager")
    elif not math.isfinite(tv):
        missing.append("no target variable in the plan")
    used = [n for n in names if current.get(n, 0) > 0]
    if has_weights and any(not math.isfinite(att[n]) for n in used if not _dev(n, components)):
        missing.append(not_assessed("sales"))
    if not math.isfinite(td):
        missing.append("team development not measurable — needs coaching, training or "
                       "termination dates")
    cur_pay = math.nan
    used_factors = [factors[n] if n in used else 0.0 for n in names]
    if has_weights and math.isfinite(tv) and all(math.isfinite(factors[n]) for n in used):
        cur_pay = payout(tv, [current[n] for n in names], used_factors)
    row.update({
        "payout_current_plan": cur_pay, "payout_proposed_other": math.nan,
        "team_attainment": team, "attainment_basis": basis,
        "team_development_attainment": td,
    })
    for m in MEASURES:
        row[f"measure_{m}"] = float(measure[m])
    for n in names:
        row[f"current_weight_{n}"] = current[n] if has_weights else math.nan
        row[f"attainment_{n}"] = att[n]
        row[f"proposed_weight_{n}"] = math.nan
        row[f"payout_factor_{n}"] = factors[n]
    row[f"proposed_weight_{TEAM_DEVELOPMENT}"] = math.nan
    row[f"payout_factor_{TEAM_DEVELOPMENT}"] = td_factor
    row["not_assessed"] = "; ".join(missing)
    return _Base(row, current, used_factors, bool(has_weights),
                 math.isfinite(cur_pay) and math.isfinite(td_factor))


def _at_weight(base: _Base, names: list[str], components: Sequence[Component], tdw: float,
               text: bool = True) -> dict[str, Any]:
    """The manager's row under the plan with `tdw` of target variable on team development."""
    row = dict(base.row)
    if not base.has_weights:
        return row
    proposed = proposed_weights(base.current, components, tdw)
    if text:
        row["proposed_weights"] = weights_text(proposed)
    if base.pays:
        row["payout_proposed_other"] = payout(row["target_variable"], [proposed[n] for n in names], base.factors)
    for n in names:
        row[f"proposed_weight_{n}"] = proposed.get(n, math.nan)
    row[f"proposed_weight_{TEAM_DEVELOPMENT}"] = proposed.get(TEAM_DEVELOPMENT, math.nan)
    return row


def _dev(name: str, components: Sequence[Component]) -> bool:
    return any(c.name == name and c.development for c in components)


def sensitivity(compensation: pd.DataFrame, readiness: pd.DataFrame, coaching: pd.DataFrame | None,
                assumptions: Mapping[str, Any] | Any,
                weights: Sequence[float] = SENSITIVITY_WEIGHTS) -> pd.DataFrame:
    """Total payouts (managers with both payouts) at each team-development weight."""
    a = assumption_values(assumptions)
    inputs = _Inputs.of(compensation, readiness, coaching, a)
    return _sensitivity(inputs, _bases(inputs, a), a, weights)


def _sensitivity(inputs: _Inputs, bases: list[_Base], a: Mapping[str, Any], weights: Sequence[float],
                 recommended: pd.DataFrame | None = None) -> pd.DataFrame:
    """The sensitivity table; `recommended`: the table at the assumption's own weight, when known."""
    weight = float(a["team_development_weight"])
    grid = sorted({round(float(w), 6) for w in weights} | {round(weight, 6)})
    rows = []
    for w in grid:
        at_weight = {**a, "team_development_weight": w}
        if recommended is not None and w == round(weight, 6) == weight:
            table = recommended
        else:
            table, _, _ = _recommend_at(inputs, at_weight, bases, text=False)
        both = table.dropna(subset=["payout_current_plan", "payout_proposed_plan"])
        budget = budget_of(table, at_weight)
        rows.append({
            "team_development_weight": w, "managers": int(len(both)),
            "payout_current_plan": budget.current, "payout_proposed_plan": budget.proposed,
            "payout_change": budget.change, "payout_change_pct": change_pct(budget.current, budget.change),
            "team_development_standard": budget.standard, "budget_neutral": budget.neutral,
            "managers_earning_more": int((both["payout_change"] > 0.005).sum()),
            "managers_earning_less": int((both["payout_change"] < -0.005).sum()),
            "managers_at_risk": int(both["risk_flag"].astype(bool).sum()),
            "is_assumption": bool(abs(w - weight) < 1e-9),
        })
    return pd.DataFrame(rows)
