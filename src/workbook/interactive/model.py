"""The what-if model: one loaded engagement, recomputed on demand with changed assumptions.

The pipeline's cache (`data.cache`) holds intermediates computed with the
engagement's own assumptions, so nothing here reads it. Every output is a pure
function of the loaded data and the assumptions (`what_if`), calling the same
analysis functions, with the same inputs and in the same order, as the
pipeline sections `workbook run` executes (`pipeline.coaching_gaps`,
`roi_model`, `compensation`, `training_plan`): a saved scenario reproduces in
the deliverable exactly what the explorer showed. Changing the coaching target
changes every manager's gap, hence the readiness scores (coaching pillar), the
priority order, the training waves, the team-development measures and the ROI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from workbook.analyses import not_assessed
from workbook.analyses.attainment import rep_performance
from workbook.analyses.coaching import (
    ACTIVITIES,
    NotAssessed,
    coaching_by_manager,
    coaching_by_rep,
    coaching_gaps_table,
    gap_totals,
)
from workbook.analyses.compensation import recommend
from workbook.analyses.readiness import PILLAR_LABELS, PILLARS, assess_readiness
from workbook.analyses.roi import SCENARIOS, roi_inputs, roi_scenarios
from workbook.analyses.training_plan import plan_training, wave_summary
from workbook.analyses.window import Window, active_on
from workbook.engagement.assumptions import BY_NAME, Assumptions
from workbook.intake.load import EngagementData

# The assumptions the explorer puts on sliders, in the order they are shown.
CONTROLS: tuple[str, ...] = (
    "uplift_conservative", "uplift_base", "uplift_upper", "gap_closure_share", "gross_margin_pct",
    "target_coaching_hours_per_rep_month", "team_development_weight", "cohort_size",
    "weeks_between_waves",
)
HIGHLIGHTS: tuple[str, ...] = tuple(s for s, _ in SCENARIOS)   # conservative, base, upper
# Assumptions that neither the coaching metrics nor the readiness assessment read: changing only
# these reuses both (the model's memo), everything downstream is recomputed.
DOWNSTREAM_ONLY = frozenset({
    "uplift_conservative", "uplift_base", "uplift_upper", "gap_closure_share", "gross_margin_pct",
    "manager_loaded_hourly_cost_usd", "program_cost_per_manager_usd", "team_development_weight",
    "payout_threshold_attainment", "payout_at_threshold", "payout_cap_attainment", "payout_at_cap",
    "payout_change_risk_pct", "cohort_size", "weeks_between_waves", "program_start_weeks_after_as_of",
})


@dataclass(frozen=True)
class WhatIfResults:
    """Everything the explorer shows for one set of assumptions."""

    assumptions: dict[str, Any]
    coaching: pd.DataFrame | None            # coaching_by_manager (None without a coaching log)
    coaching_gaps: pd.DataFrame | None       # coaching_gaps.csv
    gap_totals: dict | None
    readiness: pd.DataFrame                  # manager_readiness.csv
    roi_inputs: dict | None
    roi: pd.DataFrame | None                 # roi_scenarios.csv
    roi_note: str                            # "not assessed — needs ..." when roi is None
    compensation: pd.DataFrame | None        # compensation.csv
    compensation_notes: list[str] = field(default_factory=list)
    compensation_note: str = ""              # "not assessed — needs compensation"
    plan: pd.DataFrame | None = None         # training_plan.csv
    waves: pd.DataFrame | None = None        # wave_summary(plan)


# --- the pure functions: (data, assumptions) -> what `workbook run` would compute ------------------

def _values(assumptions: Assumptions | dict) -> dict[str, Any]:
    return dict(assumptions.as_dict()) if hasattr(assumptions, "as_dict") else dict(assumptions)


def window_for(data: EngagementData, assumptions: Assumptions | dict) -> Window:
    if data.as_of is None:
        raise ValueError("no as-of date: set as_of in engagement.yaml (the data has no dates)")
    return Window.trailing(data.as_of, int(_values(assumptions)["analysis_window_months"]))


def performance_for(data: EngagementData, assumptions: Assumptions | dict) -> pd.DataFrame:
    a = _values(assumptions)
    return rep_performance(data.tables["people"], data.tables.get("sales"), window_for(data, a),
                           float(a["core_band_low_pct"]), float(a["core_band_high_pct"]))


def coaching_for(data: EngagementData, assumptions: Assumptions | dict) -> pd.DataFrame | None:
    """coaching_by_manager with these assumptions (the target sets every gap); None without a log."""
    if "coaching" not in data.tables:
        return None
    a = _values(assumptions)
    return coaching_by_manager(data.tables["people"], data.tables["coaching"], window_for(data, a), a,
                               performance_for(data, a) if "sales" in data.tables else None)


def readiness_for(data: EngagementData, assumptions: Assumptions | dict
                  ) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """(coaching_by_manager, assess_readiness) with these assumptions, as the pipeline chains them."""
    a = _values(assumptions)
    coaching = coaching_for(data, a)
    return coaching, assess_readiness(data.tables, data.as_of, a, coaching)


def what_if(data: EngagementData, assumptions: Assumptions | dict,
            upstream: tuple[pd.DataFrame | None, pd.DataFrame] | None = None) -> WhatIfResults:
    """Every output of the explorer, recomputed from the loaded tables with these assumptions.

    `upstream` is readiness_for(data, assumptions') for assumptions' equal to these on every
    name outside DOWNSTREAM_ONLY (the model's memo); None computes it.
    """
    a = _values(assumptions)
    coaching, readiness = upstream if upstream is not None else readiness_for(data, a)

    roi_in = roi = None
    roi_note = not_assessed("coaching")
    if coaching is not None:
        try:
            roi_in = roi_inputs(coaching, performance_for(data, a) if "sales" in data.tables else None,
                                data.tables["people"], window_for(data, a))
            roi, roi_note = roi_scenarios(roi_in, a), ""
        except NotAssessed as exc:
            roi_note = str(exc)

    comp = None
    comp_notes: list[str] = []
    comp_note = not_assessed("compensation")
    if data.has("compensation"):
        comp, comp_notes, _ = recommend(data.tables["compensation"].reset_index(drop=True), readiness,
                                        coaching, a)
        comp_note = ""

    plan = plan_training(data.tables["people"], readiness, data.as_of, a)
    return WhatIfResults(
        assumptions=a,
        coaching=coaching,
        coaching_gaps=None if coaching is None else coaching_gaps_table(coaching),
        gap_totals=None if coaching is None else gap_totals(coaching),
        readiness=readiness,
        roi_inputs=roi_in, roi=roi, roi_note=roi_note,
        compensation=comp, compensation_notes=comp_notes, compensation_note=comp_note,
        plan=plan, waves=wave_summary(plan),
    )


# --- the model the explorer drives ------------------------------------------------------------------

class WhatIf:
    """One engagement, loaded once; its assumptions as the baseline; what-if overrides on top.

    `baseline` is what `workbook run` uses today (defaults, the scenario file if any, then
    engagement.yaml's own `assumptions:`). `overrides` holds only values that differ from it.
    """

    def __init__(self, engagement_dir: str | Path, data: EngagementData | None = None):
        from workbook.engagement.config import load_engagement
        from workbook.pipeline import load, resolve_engagement_dir

        self.folder = resolve_engagement_dir(engagement_dir)
        self.data = data if data is not None else load(self.folder)
        self.engagement = load_engagement(self.folder)   # read afresh: the scenario file may be newer
        self.baseline: Assumptions = self.engagement.assumptions
        self.overrides: dict[str, float] = {}
        self.highlight = "base"
        self._memo: dict[tuple, WhatIfResults] = {}
        self._upstream: dict[tuple, tuple] = {}
        self._by_rep: dict[tuple, pd.DataFrame | None] = {}

    # -- assumptions
    @property
    def assumptions(self) -> Assumptions:
        return self.baseline.with_overrides(self.overrides)

    def set(self, **values: float) -> None:
        """Change assumptions (validated against the registry's ranges); equal to baseline = not changed."""
        trial = {**self.overrides, **values}
        self.baseline.with_overrides(trial)   # raises AssumptionError when out of range
        for name, value in values.items():
            if BY_NAME[name].kind == "integer":
                value = int(value)
            if value == self.baseline[name]:
                trial.pop(name, None)
            else:
                trial[name] = value
        self.overrides = trial

    def set_highlight(self, scenario: str) -> None:
        if scenario not in HIGHLIGHTS:
            raise ValueError(f"scenario must be one of {', '.join(HIGHLIGHTS)}, got {scenario!r}")
        self.highlight = scenario

    def reset(self) -> None:
        self.overrides = {}
        self.highlight = "base"

    def changed(self) -> dict[str, tuple[Any, Any]]:
        """name -> (engagement value, what-if value), registry order."""
        now = self.assumptions
        return {a.name: (self.baseline[a.name], now[a.name]) for a in self.baseline.items
                if now[a.name] != self.baseline[a.name]}

    def reload(self) -> None:
        """Re-read engagement.yaml (after saving a scenario): the saved values become the baseline."""
        from workbook.engagement.config import load_engagement

        self.engagement = load_engagement(self.folder)
        self.baseline = self.engagement.assumptions
        self.overrides = {}

    # -- outputs
    def results(self) -> WhatIfResults:
        a = self.assumptions.as_dict()
        key = tuple(sorted((k, repr(v)) for k, v in a.items()))
        if key not in self._memo:
            up_key = tuple(item for item in key if item[0] not in DOWNSTREAM_ONLY)
            if up_key not in self._upstream:
                self._upstream = {up_key: readiness_for(self.data, a)}   # keep one: they are large
            if len(self._memo) > 32:
                self._memo.clear()
            self._memo[key] = what_if(self.data, a, self._upstream[up_key])
        return self._memo[key]

    def managers(self) -> list[tuple[str, str]]:
        """(label, manager_id) for the drill-down, in training-priority order."""
        r = self.results().readiness
        return [(f"{row.priority_rank}. {row.manager_name} ({row.manager_id})", row.manager_id)
                for row in r.itertuples()]

    def manager_detail(self, manager_id: str) -> dict[str, Any]:
        """What the drill-down shows for one front-line manager under the current assumptions."""
        results = self.results()
        r = results.readiness.set_index("manager_id").loc[manager_id]
        pillars = pd.DataFrame({
            "pillar": [PILLAR_LABELS[p] for p in PILLARS],
            "score": [r[f"score_{p}"] for p in PILLARS],
            "status": [r[f"status_{p}"] for p in PILLARS],
        })
        coaching = None
        if results.coaching is not None and manager_id in results.coaching.index:
            c = results.coaching.loc[manager_id]
            rows = [("Hours per rep per month", c["hours_per_rep_month"], "hours"),
                    ("Target hours per rep per month", c["target_hours_per_rep_month"], "hours"),
                    ("Gap per rep per month", c["gap_hours_per_rep_month"], "hours"),
                    ("Manager hours a month to close the gap", c["gap_manager_hours_per_month"], "hours"),
                    ("Coverage (reps coached at least once)", c["coverage"], "percent"),
                    ("Monthly coverage (rep-months coached)", c["monthly_coverage"], "percent"),
                    ("Cadence (months with any coaching)", c["cadence_regularity"], "percent"),
                    ("Time on core performers", c["core_share"], "percent"),
                    ("Average session quality (1-5)", c["avg_quality"], "number")]
            rows += [(f"Time on {a.replace('_', ' ')}", c[f"share_{a}"], "percent") for a in ACTIVITIES]
            coaching = pd.DataFrame(rows, columns=["measure", "value", "kind"])
        plan = results.plan
        wave = plan.loc[plan["person_id"] == manager_id, "wave"] if plan is not None else pd.Series()
        return {
            "manager_id": manager_id, "manager_name": r["manager_name"],
            "readiness_score": r["readiness_score"], "tier": r["tier"],
            "barrier_point": r["barrier_point"], "priority_rank": r["priority_rank"],
            "team_size": r["team_size"], "flags": r["flags"], "why": r["why"],
            "wave": int(wave.iloc[0]) if len(wave) else None,
            "pillars": pillars, "coaching": coaching, "team": self.team(manager_id),
        }

    def team(self, manager_id: str) -> pd.DataFrame:
        """The manager's reps on the as-of date: tier, attainment, coaching received, wave."""
        people = self.data.tables["people"]
        active = people if self.data.as_of is None else people[
            active_on(people, pd.Timestamp(self.data.as_of)).to_numpy(dtype=bool)]
        reps = active[(active["role"].astype("object") == "rep").to_numpy()
                      & (active["manager_id"].astype("object") == manager_id).to_numpy()]
        team = pd.DataFrame({"rep_id": reps.index.astype("object"),
                             "name": reps["name"].to_numpy() if "name" in reps else None})
        by_rep = self._coaching_by_rep()
        for col in ("tier", "attainment", "hours_per_month"):
            team[col] = (by_rep[col].reindex(team["rep_id"]).to_numpy() if by_rep is not None
                         else pd.NA)
        plan = self.results().plan
        if plan is not None:
            team["wave"] = plan.set_index("person_id")["wave"].reindex(team["rep_id"]).to_numpy()
        return team

    def _coaching_by_rep(self) -> pd.DataFrame | None:
        a = self.assumptions.as_dict()
        key = tuple(str(a[k]) for k in ("default_coaching_minutes", "analysis_window_months",
                                        "core_band_low_pct", "core_band_high_pct"))
        if key not in self._by_rep:
            if "coaching" not in self.data.tables:
                self._by_rep[key] = None
            else:
                self._by_rep[key] = coaching_by_rep(
                    self.data.tables["people"], self.data.tables["coaching"], window_for(self.data, a), a,
                    performance_for(self.data, a) if "sales" in self.data.tables else None)
        return self._by_rep[key]

    def save_scenario(self, name: str, *, overwrite: bool = False, author: str | None = None):
        """Write scenarios/<name>.yaml and point engagement.yaml at it (see scenario.py)."""
        from workbook.interactive.scenario import save_scenario

        saved = save_scenario(self.folder, name, self.assumptions, self.baseline, overwrite=overwrite,
                              author=author, highlight=self.highlight, client=self.engagement.client)
        highlight = self.highlight
        self.reload()
        self.highlight = highlight
        return saved
