"""Phillips ROI of closing the coaching gap: first-year benefits only, three published uplift scenarios
(and a fourth, "measured here", once the programme's uplift is measured in the client's data).

One definition serves Python and Excel: `LINES` lists every figure of a
scenario row with its label (unit included), its Excel formula template and
the Python function that computes it, in the same order of operations, so the
values in roi_scenarios.csv equal what a spreadsheet computes from the live
formulas on the ROI Model sheet, to the cent. Money is never rounded here.

The model (cite on the Methodology sheet):

- Benefit (first year) = dose-weighted core revenue x uplift x share of the
  coaching gap closed x gross margin, where each team's core revenue is weighted
  by its dose: the share of the target coaching hours it would gain by closing
  its gap (gap / target, at most 1; linear dose-response, METHOD-NOTES "Dose,
  not switch"). A team 0.4 h below a 3 h target gains 13% of the uplift, one
  with no coaching gains all of it; roi_by_manager.csv shows each team's
  revenue, gap, hours gained, dose and benefit per scenario. Phillips counts profit, not
  revenue, so the extra revenue is converted at the gross margin
  (`gross_margin_pct`; 100% shows the revenue view). Core performers are the
  middle band of reps (CEB: the middle 60%, where coaching pays); their revenue
  is each core rep's won revenue in the window annualised over the months they
  were on the team (x 12 / exposure months), for core reps still employed at
  the window end (the reps the program can still reach) whose roster manager
  coaches BELOW the target: a team already at or above the target has no gap to
  close, so the uplift cannot apply to it. `core_revenue_all_usd` (every core
  rep still employed, whatever the manager) is kept as context, not used in the
  model.
- Phillips adjustments: the benefit is multiplied by `isolation_share` (the
  share of the improvement attributed to the program rather than to anything
  else happening at the same time) and `estimate_confidence` (confidence in
  the uplift estimate); both default to 100% with a note, and the staggered
  rollout lets a later re-run measure the isolation instead of assuming it.
- Costs, fully loaded (Phillips), each line an assumption x a count from the
  data, computed once for all scenarios:
  coaching time = the coaching gap in manager hours per year (the monthly gap
  x 12) x share of the gap closed x manager loaded hourly cost (closing half
  the gap costs half the gap's hours, as the benefit earns half);
  manager program = cost per manager x managers who have not completed a
  coaching program (no charge to completers; every manager without training
  records); reps' program = cost per rep x reps in post who have not completed
  the reps' sales program; participants' time = managers to train x program
  hours per manager x manager hourly cost + reps to train x program hours per
  rep x rep hourly cost. Total cost = the sum; roi_scenarios.csv's
  `program_cost` is this total.
- Net benefit = benefit - total cost; ROI % = net benefit / total cost x 100;
  benefit-cost ratio = benefit / total cost (empty when the cost is zero).
- Uplift scenarios are conservative (6%), base (8%) and upper (19%) by
  default: scenarios, not promises.
- "Measured here": once the programme's impact on core performers' attainment
  is measured in the client's own data (workbook.analyses.impact: trained
  teams against teams not yet trained) and its interval excludes zero, a
  fourth scenario takes the measured uplift (the point estimate), applied
  exactly as the published uplifts are (dose-weighted core revenue x uplift x
  share closed x margin x adjustments). It was measured on the teams already
  trained, not on the teams still to train. `MeasuredUplift` carries it; on the
  sheet it is the named cell `roi_measured_uplift`, not an assumption.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbook.analyses import assumption_values
from workbook.analyses.coaching import NotAssessed, gap_totals
from workbook.analyses.window import Window, active_on

SCENARIOS: tuple[tuple[str, str], ...] = (
    ("conservative", "uplift_conservative"),
    ("base", "uplift_base"),
    ("upper", "uplift_upper"),
)
MEASURED_SCENARIO = "measured_here"
MEASURED_UPLIFT_NAME = "roi_measured_uplift"   # the measured uplift's value cell on the ROI Model sheet
SCENARIO_LABELS = {"conservative": "Conservative", "base": "Base", "upper": "Upper",
                   MEASURED_SCENARIO: "Measured here"}
# defined names of each scenario's net benefit and benefit cells (<name>_<scenario>), for live text
ROI_NET_NAME = "roi_net_benefit"
ROI_BENEFIT_NAME = "roi_annual_benefit"
ASSUMPTION_NAMES = ("gap_closure_share", "gross_margin_pct", "manager_loaded_hourly_cost_usd",
                    "program_cost_per_manager_usd", "program_cost_per_rep_usd", "program_hours_per_manager",
                    "program_hours_per_rep", "rep_loaded_hourly_cost_usd", "isolation_share",
                    "estimate_confidence")


@dataclass(frozen=True)
class RoiInput:
    """A figure computed from the client's data, written on the sheet as a plain number."""

    key: str          # key in roi_inputs() and the Python namespace
    label: str        # with unit; "{currency}" is filled in by the sheet
    kind: str         # number format kind: currency / hours / count
    excel_name: str   # workbook defined name of the input cell


@dataclass(frozen=True)
class RoiLine:
    """One figure of a scenario row: Excel formula template and the Python that matches it.

    In `excel`, {x} is replaced by: the defined name of an assumption or a data
    input, the cell of an earlier line in the same row, or, for
    {scenario_uplift}, the name of the scenario's uplift assumption.
    """

    key: str
    label: str
    kind: str          # currency / percent / ratio
    excel: str
    python: Callable[[Mapping[str, Any]], float]
    words: str = ""    # the formula in plain words, for the sheet's "How each figure is computed"


@dataclass(frozen=True)
class MeasuredUplift:
    """The core-attainment uplift measured in this engagement's data, with its interval."""

    uplift: float            # the point estimate (0.07 = +7%)
    low: float               # interval bounds
    high: float
    level: float             # the interval's level (0.9)
    trained_teams: int       # teams already trained, the ones it was measured on
    comparison_teams: int    # teams not trained in the data

    def note(self) -> str:
        """What the scenario rests on, for roi_scenarios.csv and the sheet."""
        return (f"Measured in this engagement's data (Programme Impact sheet) on {self.trained_teams} "
                f"team(s) already trained against {self.comparison_teams} not yet trained: "
                f"{self.level:.0%} interval {self.low:+.1%} to {self.high:+.1%}. Measured on teams already "
                "trained, not on the teams still to train.")

    def as_inputs(self) -> dict[str, float]:
        """The roi_inputs.csv columns that carry it to the deliverable."""
        return {"measured_uplift": self.uplift, "measured_uplift_low": self.low,
                "measured_uplift_high": self.high, "measured_uplift_level": self.level,
                "measured_trained_teams": self.trained_teams,
                "measured_comparison_teams": self.comparison_teams}

    @classmethod
    def from_inputs(cls, inputs: Mapping[str, Any]) -> MeasuredUplift | None:
        """Read back from roi_inputs (None when the run measured nothing usable)."""
        try:
            values = [float(inputs[k]) for k in ("measured_uplift", "measured_uplift_low",
                                                 "measured_uplift_high", "measured_uplift_level",
                                                 "measured_trained_teams", "measured_comparison_teams")]
        except (KeyError, TypeError, ValueError):
            return None
        if not all(math.isfinite(v) for v in values) or values[1] <= 0:
            return None
        return cls(values[0], values[1], values[2], values[3], int(values[4]), int(values[5]))


def measured_uplift(estimates: pd.DataFrame | None) -> MeasuredUplift | None:
    """The measured core-attainment uplift (impact.csv's "attainment" row) when it is measured and
    its interval excludes zero (low > 0); None otherwise (the three published scenarios stand)."""
    if estimates is None or estimates.empty or "outcome" not in estimates:
        return None
    rows = estimates[estimates["outcome"].astype(str) == "attainment"]
    if rows.empty:
        return None
    row = rows.iloc[0]
    measured = str(row.get("measured")).strip().lower() in ("true", "1", "1.0")
    try:
        uplift, low, high = float(row["uplift"]), float(row["uplift_low"]), float(row["uplift_high"])
    except (TypeError, ValueError):
        return None
    if not measured or not all(math.isfinite(v) for v in (uplift, low, high)) or low <= 0:
        return None
    return MeasuredUplift(uplift, low, high, float(row.get("level", math.nan)),
                          int(row.get("trained_teams", 0) or 0), int(row.get("comparison_teams", 0) or 0))


def scenarios_with(measured: MeasuredUplift | None) -> tuple[tuple[str, str], ...]:
    """(scenario, uplift name) of every scenario: the published three, then "measured here"."""
    return SCENARIOS + (((MEASURED_SCENARIO, MEASURED_UPLIFT_NAME),) if measured is not None else ())


def _ratio(num: float, den: float) -> float:
    return num / den if den != 0 else math.nan


INPUTS: tuple[RoiInput, ...] = (
    RoiInput("core_revenue_usd",
             "Core performers' yearly revenue, weighted by each team's coaching gap ({currency})",
             "currency", "roi_core_revenue_usd"),
    RoiInput("gap_hours_per_year", "Coaching gap, manager hours per year (hours)", "hours",
             "roi_gap_hours_per_year"),
    RoiInput("managers_to_train", "Front-line managers still to train (count)", "count",
             "roi_managers_to_train"),
    RoiInput("reps_to_train", "Reps still to train (count)", "count", "roi_reps_to_train"),
)

# The costs, once for every scenario; each a named cell (roi_<key>) on the ROI Model sheet.
COSTS: tuple[RoiLine, ...] = (
    RoiLine("coaching_time_cost", "Coaching time ({currency})", "currency",
            "={gap_hours_per_year}*{gap_closure_share}*{manager_loaded_hourly_cost_usd}",
            lambda v: v["gap_hours_per_year"] * v["gap_closure_share"] * v["manager_loaded_hourly_cost_usd"],
            "Extra manager coaching hours a year to close the gap × share of the gap closed × manager "
            "loaded cost per hour"),
    RoiLine("manager_program_cost", "Manager program ({currency})", "currency",
            "={program_cost_per_manager_usd}*{managers_to_train}",
            lambda v: v["program_cost_per_manager_usd"] * v["managers_to_train"],
            "Manager coaching program cost per manager × managers who have not completed one"),
    RoiLine("rep_program_cost", "Reps' program ({currency})", "currency",
            "={program_cost_per_rep_usd}*{reps_to_train}",
            lambda v: v["program_cost_per_rep_usd"] * v["reps_to_train"],
            "Reps' sales program cost per rep × reps who have not completed it"),
    RoiLine("participants_time_cost", "Participants' time out of the field ({currency})", "currency",
            "={managers_to_train}*{program_hours_per_manager}*{manager_loaded_hourly_cost_usd}"
            "+{reps_to_train}*{program_hours_per_rep}*{rep_loaded_hourly_cost_usd}",
            lambda v: (v["managers_to_train"] * v["program_hours_per_manager"]
                       * v["manager_loaded_hourly_cost_usd"]
                       + v["reps_to_train"] * v["program_hours_per_rep"] * v["rep_loaded_hourly_cost_usd"]),
            "Managers to train × program hours × manager cost per hour + reps to train × program hours × "
            "rep cost per hour"),
    RoiLine("total_cost", "Total cost, fully loaded ({currency})", "currency",
            "={coaching_time_cost}+{manager_program_cost}+{rep_program_cost}+{participants_time_cost}",
            lambda v: (v["coaching_time_cost"] + v["manager_program_cost"] + v["rep_program_cost"]
                       + v["participants_time_cost"]),
            "The four cost lines above"),
)

LINES: tuple[RoiLine, ...] = (
    RoiLine("uplift", "Core-performer uplift (%)", "percent",
            "={scenario_uplift}",
            lambda v: v[v["scenario_uplift"]],
            "The scenario's uplift for core performers (Assumptions sheet)"),
    RoiLine("annual_benefit", "First-year benefit, gross profit ({currency})", "currency",
            "={core_revenue_usd}*{uplift}*{gap_closure_share}*{gross_margin_pct}*{isolation_share}"
            "*{estimate_confidence}",
            lambda v: (v["core_revenue_usd"] * v["uplift"] * v["gap_closure_share"] * v["gross_margin_pct"]
                       * v["isolation_share"] * v["estimate_confidence"]),
            "Core performers' annual revenue weighted by each team's coaching gap × uplift × share of the "
            "gap closed × gross margin × share attributed to the program × confidence in the estimate"),
    RoiLine("total_cost", "Total cost, fully loaded ({currency})", "currency",
            "={roi_total_cost}",
            lambda v: v["roi_total_cost"],
            "The costs above: the same for every scenario"),
    RoiLine("net_benefit", "Net benefit ({currency})", "currency",
            "={annual_benefit}-{total_cost}",
            lambda v: v["annual_benefit"] - v["total_cost"],
            "First-year benefit − total cost"),
    RoiLine("roi", "ROI (%)", "percent",
            '=IF({total_cost}=0,"",{net_benefit}/{total_cost})',
            lambda v: _ratio(v["net_benefit"], v["total_cost"]),
            "Net benefit ÷ total cost (Phillips ROI; empty when the cost is zero)"),
    RoiLine("bcr", "Benefit-cost ratio (x)", "ratio",
            '=IF({total_cost}=0,"",{annual_benefit}/{total_cost})',
            lambda v: _ratio(v["annual_benefit"], v["total_cost"]),
            "First-year benefit ÷ total cost (empty when the cost is zero)"),
)

SCENARIO_COLUMNS = ["scenario", "uplift", "annual_benefit", "program_cost", "net_benefit", "roi_pct",
                    "bcr", *(c.key for c in COSTS), "uplift_assumption", "gap_closure_share",
                    "uplift_low", "uplift_high", "note"]
PUBLISHED_NOTE = "Published research (the Assumptions sheet gives the source); a scenario, not a promise."


def roi_inputs(by_manager: pd.DataFrame, performance: pd.DataFrame | None, people: pd.DataFrame,
               window: Window, readiness: pd.DataFrame | None = None) -> dict[str, float | int]:
    """The model's data-derived inputs: core revenue with a gap to close, the gap per year, managers.

    `by_manager` is coaching_by_manager(...); `performance` is rep_performance(...)
    with sales. `core_revenue_usd` (the model's input) counts core reps still
    employed at the window end whose roster manager (people.manager_id) is
    below the coaching target (gap_hours_per_rep_month > 0);
    `core_revenue_all_usd` counts every such core rep, for context.
    Raises NotAssessed("sales") when no rep has a performer tier.
    """
    if performance is None or "tier" not in performance or not performance["tier"].notna().any() \
            or not performance["won_revenue"].notna().any():
        raise NotAssessed("sales")
    annual, manager = core_annual_revenue(performance, people, window)
    annual = annual.to_numpy()
    below = by_manager.index[(by_manager["gap_hours_per_rep_month"] > 0).to_numpy(dtype=bool)]
    gap_team = manager.isin(below).to_numpy(dtype=bool)
    dose = team_dose(by_manager).reindex(manager.to_numpy()).fillna(0.0).to_numpy()
    gaps = gap_totals(by_manager)
    return {
        "core_revenue_usd": float(np.nansum(annual * dose)),
        "core_revenue_gap_teams_usd": float(np.nansum(annual[gap_team])),
        "core_reps": int(gap_team.sum()),
        "core_revenue_all_usd": float(np.nansum(annual)),
        "core_reps_all": int(len(annual)),
        "gap_manager_hours_per_month": gaps["gap_manager_hours_per_month"],
        "gap_hours_per_year": gaps["gap_manager_hours_per_month"] * 12,
        "managers": int(gaps["managers"]),
        "managers_below_target": int(gaps["managers_below_target"]),
        **still_to_train(readiness, by_manager),
    }


def still_to_train(readiness: pd.DataFrame | None, by_manager: pd.DataFrame) -> dict[str, int]:
    """Managers without a completed coaching program, reps in post without the reps' sales program.

    A manager with no training record is still to train, and a team whose completion is unknown
    counts every rep; without readiness at all, every manager and rep in the coaching table."""
    if readiness is None or readiness.empty:
        reps = pd.to_numeric(by_manager.get("reps", pd.Series(dtype=float)), errors="coerce").fillna(0)
        return {"managers_to_train": int(len(by_manager)), "reps_to_train": int(reps.sum())}

    def column(name: str) -> pd.Series:
        if name not in readiness:
            return pd.Series(np.nan, index=readiness.index)
        return pd.to_numeric(readiness[name], errors="coerce").astype(float)

    size = column("team_size").fillna(0.0)
    untrained = size * (1 - column("team_completion_share").fillna(0.0).clip(0, 1))
    return {"managers_to_train": int((~(column("manager_coaching_program") >= 1)).sum()),
            "reps_to_train": int(round(float(untrained.sum())))}


def core_annual_revenue(performance: pd.DataFrame, people: pd.DataFrame, window: Window
                        ) -> tuple[pd.Series, pd.Series]:
    """(yearly won revenue, roster manager) of each core rep still employed at the window end: the
    reps the program can still reach, their revenue annualised over their months on the team."""
    core = performance[(performance["tier"] == "core").fillna(False).to_numpy(dtype=bool)]
    core = core[active_on(people.reindex(core.index), window.end).to_numpy(dtype=bool)]
    annual = core["won_revenue"].astype(float) * 12 / core["exposure_months"].astype(float)
    manager = (people["manager_id"].reindex(core.index).astype("object") if "manager_id" in people
               else pd.Series(None, index=core.index, dtype="object"))
    return annual, manager


def team_dose(by_manager: pd.DataFrame) -> pd.Series:
    """manager -> the share of the target hours the team gains by closing its whole gap (0-1)."""
    target = by_manager["target_hours_per_rep_month"].astype(float)
    gap = by_manager["gap_hours_per_rep_month"].astype(float).clip(lower=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        dose = (gap / target).where(target > 0, 0.0)
    return dose.clip(0.0, 1.0).fillna(0.0)


def roi_by_manager(by_manager: pd.DataFrame, performance: pd.DataFrame | None, people: pd.DataFrame,
                   window: Window, assumptions: Mapping[str, Any] | Any,
                   measured: MeasuredUplift | None = None) -> pd.DataFrame:
    """roi_by_manager.csv: each team's core revenue, gap, hours gained at the share closed, dose
    (dose_full_gap: share of the target gained if the whole gap closes; dose: at the share closed)
    and first-year benefit per scenario; the benefits add up to the scenarios' benefit."""
    a = _values(assumptions, measured)
    annual, manager = core_annual_revenue(performance, people, window)
    revenue = annual.groupby(manager.to_numpy()).sum(min_count=1).reindex(by_manager.index).fillna(0.0)
    share, margin = float(a["gap_closure_share"]), float(a["gross_margin_pct"])
    dose = team_dose(by_manager)
    frame = pd.DataFrame({
        "manager_id": by_manager.index.astype("object"),
        "manager_name": by_manager["manager_name"].to_numpy() if "manager_name" in by_manager else None,
        "core_revenue": revenue.to_numpy(),
        "gap_hours_per_rep_month": by_manager["gap_hours_per_rep_month"].to_numpy(dtype=float),
        "hours_gained_per_rep_month": by_manager["gap_hours_per_rep_month"].clip(lower=0).to_numpy() * share,
        "dose_full_gap": dose.to_numpy(),
        "dose": (dose * share).to_numpy(),
    })
    # the sheet's per-team formula, in its order: revenue x dose x uplift x share x margin x adjustments
    for scenario, name in scenarios_with(measured):
        frame[f"benefit_{scenario}"] = (frame["core_revenue"] * dose.to_numpy() * float(a[name]) * share
                                        * margin * float(a["isolation_share"]) * float(a["estimate_confidence"]))
    return frame.sort_values("benefit_base", ascending=False, kind="stable").reset_index(drop=True)


def roi_inputs_frame(inputs: Mapping[str, Any]) -> pd.DataFrame:
    """The inputs as the one-row table the deliverable reads (results['roi_inputs'])."""
    return pd.DataFrame([dict(inputs)])


def _values(assumptions: Mapping[str, Any] | Any, measured: MeasuredUplift | None = None) -> dict[str, Any]:
    """The assumptions' values, and the measured uplift under its cell's name when there is one."""
    values = dict(assumption_values(assumptions))
    if measured is not None:
        values[MEASURED_UPLIFT_NAME] = measured.uplift
    return values


def cost_values(inputs: Mapping[str, Any], assumptions: Mapping[str, Any] | Any) -> dict[str, float]:
    """Every cost line, evaluated in order (as the sheet's cost formulas are)."""
    v: dict[str, Any] = {**assumption_values(assumptions), **{i.key: float(inputs[i.key]) for i in INPUTS}}
    for line in COSTS:
        v[line.key] = float(line.python(v))
    return {line.key: v[line.key] for line in COSTS}


def scenario_row(inputs: Mapping[str, Any], assumptions: Mapping[str, Any] | Any,
                 uplift_assumption: str, measured: MeasuredUplift | None = None) -> dict[str, float]:
    """Every line of one scenario, evaluated in order (as the sheet's formulas are); the measured
    scenario's uplift name is MEASURED_UPLIFT_NAME and needs `measured`."""
    costs = cost_values(inputs, assumptions)
    v: dict[str, Any] = {**_values(assumptions, measured),
                         **{i.key: float(inputs[i.key]) for i in INPUTS},
                         "roi_total_cost": costs["total_cost"], "scenario_uplift": uplift_assumption}
    for line in LINES:
        v[line.key] = float(line.python(v))
    return {line.key: v[line.key] for line in LINES}


def roi_scenarios(inputs: Mapping[str, Any], assumptions: Mapping[str, Any] | Any,
                  measured: MeasuredUplift | None = None) -> pd.DataFrame:
    """roi_scenarios.csv: one row per scenario with the cost lines. `program_cost` is the fully
    loaded total cost. With `measured` (see measured_uplift), a fourth row "measured_here" whose
    uplift is the measured one, its interval in uplift_low/uplift_high.

    roi_pct is ROI x 100 (the sheet shows the same ratio in a percent format).
    """
    costs = cost_values(inputs, assumptions)
    rows = []
    for scenario, name in scenarios_with(measured):
        values = scenario_row(inputs, assumptions, name, measured)
        is_measured = scenario == MEASURED_SCENARIO and measured is not None
        rows.append({"scenario": scenario, **costs, **values, "program_cost": values["total_cost"],
                     "roi_pct": values["roi"] * 100, "uplift_assumption": name,
                     "gap_closure_share": float(assumption_values(assumptions)["gap_closure_share"]),
                     "uplift_low": measured.low if is_measured else math.nan,
                     "uplift_high": measured.high if is_measured else math.nan,
                     "note": measured.note() if is_measured else PUBLISHED_NOTE})
    return pd.DataFrame(rows)[SCENARIO_COLUMNS]


def excel_formula(line: RoiLine, uplift_assumption: str, cells: Mapping[str, str]) -> str:
    """The line's formula for one scenario row; `cells` maps earlier line keys to A1 cells."""
    names: dict[str, str] = {n: n for n in ASSUMPTION_NAMES}
    names.update({i.key: i.excel_name for i in INPUTS})
    names["roi_total_cost"] = cost_name("total_cost")
    names.update(cells)
    names["scenario_uplift"] = uplift_assumption
    return line.excel.format(**names)


def cost_name(key: str) -> str:
    """The defined name of a cost line's cell."""
    return f"roi_{key}"


def cost_formula(line: RoiLine) -> str:
    """A cost line's formula over the named inputs, assumptions and the cost cells above it."""
    names: dict[str, str] = {n: n for n in ASSUMPTION_NAMES}
    names.update({i.key: i.excel_name for i in INPUTS})
    names.update({c.key: cost_name(c.key) for c in COSTS})
    return line.excel.format(**names)
