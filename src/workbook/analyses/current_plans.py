"""The client's current pay plans: which components they hold, normalised weights, anomaly notes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from workbook.analyses.payout import TEAM_DEVELOPMENT, Component, is_development

WEIGHT_PREFIX = "weight_"
FOCUS_MAX_COMPONENTS = 3
FOCUS_MIN_WEIGHT = 0.20


def plan_components(compensation: pd.DataFrame | None, manager_ids: pd.Index) -> list[Component]:
    """Components with a non-zero weight for at least one front-line manager (column order)."""
    if compensation is None:
        return []
    columns = [c for c in compensation.columns if c.startswith(WEIGHT_PREFIX)]
    plans = compensation[compensation["person_id"].astype("object").isin(manager_ids)]
    found = []
    for column in columns:
        values = pd.to_numeric(plans[column], errors="coerce").astype(float)
        if (values.fillna(0) != 0).any():
            name = column[len(WEIGHT_PREFIX):]
            if name == TEAM_DEVELOPMENT:   # a current component of that name: keep it apart
                name = "current_team_development"
            found.append(Component(name, is_development(name), column))
    if not found:
        first = next((c[len(WEIGHT_PREFIX):] for c in columns if not is_development(c)), "revenue")
        found = [Component(first, False, WEIGHT_PREFIX + first)]
    return found


def current_plans(compensation: pd.DataFrame, managers: pd.DataFrame,
                  components: Sequence[Component]) -> tuple[pd.DataFrame, list[str]]:
    """Per manager: base, target variable and normalised weights; and the notes on anomalies."""
    notes: list[str] = []
    plans = compensation.copy()
    plans["person_id"] = plans["person_id"].astype("object")
    duplicated = plans["person_id"].duplicated(keep="first")
    for pid in pd.unique(plans.loc[duplicated, "person_id"]):
        if pid in managers.index:
            notes.append(f"{_who(managers, pid)}: more than one plan row; the first is used.")
    plans = plans[~duplicated].set_index("person_id")
    out = pd.DataFrame(index=managers.index)
    for column in ("base_salary", "target_variable"):
        values = (pd.to_numeric(plans[column], errors="coerce").astype(float)
                  if column in plans.columns else pd.Series(np.nan, index=plans.index))
        out[column] = values.reindex(managers.index)
    out["has_plan"] = managers.index.isin(plans.index)
    names = [c.name for c in components]
    for name in names:
        out[f"weight_{name}"] = np.nan
    raw = pd.DataFrame(index=managers.index)
    for comp in components:
        name, column = comp.name, comp.column or WEIGHT_PREFIX + comp.name
        raw[name] = (pd.to_numeric(plans[column], errors="coerce").astype(float).reindex(managers.index)
                     if column in plans.columns else np.nan)
    has_plan = out["has_plan"].to_numpy()
    target_variable = out["target_variable"].to_numpy(dtype=float)
    raw_weights = raw.to_numpy(dtype=float)
    weights = np.full((len(managers), len(names)), np.nan)
    labels = _labels(managers)
    for i, pid in enumerate(managers.index):
        who = labels[pid]
        if not has_plan[i]:
            notes.append(f"{who}: no compensation plan row; payout not assessed.")
            continue
        if not math.isfinite(target_variable[i]):
            notes.append(f"{who}: the plan has no target variable; payout not assessed.")
        w = raw_weights[i].copy()
        if np.isnan(w).all():
            w = np.zeros(len(names))
        w = np.nan_to_num(w, nan=0.0)
        if (w < 0).any():
            notes.append(f"{who}: negative component weights read as 0.")
            w = np.clip(w, 0, None)
        total = float(w.sum())
        if total == 0:
            w = np.zeros(len(names))
            base = next((i for i, c in enumerate(components) if not c.development), 0)
            w[base] = 1.0
            notes.append(f"{who}: the plan has no component weights; treated as 100% "
                         f"{components[base].label}.")
        else:
            if total > 1.5:
                w = w / 100.0
                total = total / 100.0
            if abs(total - 1.0) > 0.005:
                notes.append(f"{who}: component weights sum to {total:.0%}, not 100%; normalised to 100%.")
            w = w / total
        active = w[w > 0]
        if len(active) > FOCUS_MAX_COMPONENTS:
            notes.append(f"{who}: {len(active)} measures in the plan; more than {FOCUS_MAX_COMPONENTS} "
                         "lose focus (Performio, practitioner).")
        small = [components[i].label for i in range(len(names)) if 0 < w[i] < FOCUS_MIN_WEIGHT - 1e-9]
        if small:
            notes.append(f"{who}: {', '.join(small)} under {FOCUS_MIN_WEIGHT:.0%} of variable; "
                         "components this small lose focus (Performio, practitioner).")
        weights[i] = w
    for j, name in enumerate(names):
        out[f"weight_{name}"] = weights[:, j]
    return out, notes


def _labels(managers: pd.DataFrame) -> dict:
    names = managers["manager_name"].to_dict()
    return {pid: (f"{n} ({pid})" if isinstance(n, str) and n else str(pid)) for pid, n in names.items()}


def _who(managers: pd.DataFrame, pid: Any) -> str:
    name = managers.at[pid, "manager_name"] if pid in managers.index else None
    return f"{name} ({pid})" if isinstance(name, str) and name else str(pid)
