"""The payout curve and plan-weight formulas, written once for Python and for the Excel sheet.

`CURVE_EXCEL` is the payout curve's formula template and `payout_factor`
evaluates the same expression in the same order; `proposed_weights`, `payout`
and `is_risk` mirror the Compensation sheet's formulas, so compensation.csv
equals what a spreadsheet computes from the live sheet, to the cent.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

TEAM_DEVELOPMENT = "team_development"
DEVELOPMENT_PATTERN = re.compile(r"coach|train|develop|enabl|mbo|objective", re.IGNORECASE)
CURVE_NAMES = ("payout_threshold_attainment", "payout_at_threshold", "payout_cap_attainment",
               "payout_at_cap")

# The payout curve, as an Excel formula over the Assumptions sheet's defined names ({a}: the
# attainment cell). payout_factor() below evaluates exactly this expression.
CURVE_EXCEL = ("IF({a}<payout_threshold_attainment,0,"
               "IF({a}<=1,IF(payout_threshold_attainment>=1,1,payout_at_threshold+(1-payout_at_threshold)"
               "*({a}-payout_threshold_attainment)/(1-payout_threshold_attainment)),"
               "IF(payout_cap_attainment<=1,payout_at_cap,"
               "MIN(payout_at_cap,1+(payout_at_cap-1)*({a}-1)/(payout_cap_attainment-1)))))")


@dataclass(frozen=True)
class Component:
    name: str          # e.g. "revenue" (from the column weight_revenue)
    development: bool  # measured by team-development attainment, folded into the new component
    column: str = ""   # the comp table's column (weight_<name> unless renamed)

    @property
    def label(self) -> str:
        return self.name.replace("_", " ")


def is_development(name: str) -> bool:
    return bool(DEVELOPMENT_PATTERN.search(name))


def component_label(name: str) -> str:
    return name.replace("_", " ")


# --- the formulas, once for Python and Excel ---------------------------------------------------

def payout_factor(attainment: float, a: Mapping[str, Any]) -> float:
    """Payout as a share of a component's target at `attainment` (the CURVE_EXCEL expression)."""
    if attainment is None or not math.isfinite(attainment):
        return math.nan
    thr, pt = float(a["payout_threshold_attainment"]), float(a["payout_at_threshold"])
    cap, pc = float(a["payout_cap_attainment"]), float(a["payout_at_cap"])
    if attainment < thr:
        return 0.0
    if attainment <= 1:
        if thr >= 1:
            return 1.0
        return pt + (1 - pt) * (attainment - thr) / (1 - thr)
    if cap <= 1:
        return pc
    return min(pc, 1 + (pc - 1) * (attainment - 1) / (cap - 1))


def payout_factors(attainment: np.ndarray, a: Mapping[str, Any]) -> np.ndarray:
    """payout_factor for many attainments at once (the same curve; NaN where not finite)."""
    x = np.asarray(attainment, dtype=float)
    thr, pt = float(a["payout_threshold_attainment"]), float(a["payout_at_threshold"])
    cap, pc = float(a["payout_cap_attainment"]), float(a["payout_at_cap"])
    below = 1.0 if thr >= 1 else pt + (1 - pt) * (x - thr) / (1 - thr)
    above = np.full_like(x, pc) if cap <= 1 else np.minimum(pc, 1 + (pc - 1) * (x - 1) / (cap - 1))
    out = np.where(x < thr, 0.0, np.where(x <= 1, below, above))
    return np.where(np.isfinite(x), out, np.nan)


def curve_formula(attainment_cell: str) -> str:
    """The payout curve for one attainment cell, without the leading '='."""
    return CURVE_EXCEL.format(a=attainment_cell)


def proposed_weights(current: Mapping[str, float], components: Sequence[Component],
                     team_development_weight: float) -> dict[str, float]:
    """Financial components scaled pro rata to (1 - w), development ones folded into team development.

    Excel: =w_c/(sum of the base components' weights)*(1-team_development_weight)
    """
    base = base_components(current, components)
    total = 0.0
    for c in base:
        total = total + current[c]
    out = {}
    for comp in components:
        name = comp.name
        out[name] = current[name] / total * (1 - team_development_weight) if name in base else 0.0
    out[TEAM_DEVELOPMENT] = float(team_development_weight)
    return out


def base_components(current: Mapping[str, float], components: Sequence[Component]) -> list[str]:
    """The components the non-development share is spread over (financial ones with weight)."""
    financial = [c.name for c in components if not c.development and current.get(c.name, 0) > 0]
    return financial or [c.name for c in components if current.get(c.name, 0) > 0]


def payout(target_variable: float, weights: Sequence[float], factors: Sequence[float]) -> float:
    """target variable x (w1*f1 + w2*f2 + ...), summed left to right as the sheet does."""
    total = 0.0
    for w, f in zip(weights, factors, strict=True):
        total = total + w * f
    return target_variable * total


def is_risk(current: float, change: float, risk_pct: float) -> bool:
    """Excel: =IF(ABS(change)>payout_change_risk_pct*current,"change-management risk","")"""
    return bool(abs(change) > risk_pct * current)


def change_pct(current: float, change: float) -> float:
    return change / current if current != 0 else math.nan
