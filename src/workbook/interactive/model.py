"""The what-if model: one loaded engagement, recomputed on demand with changed assumptions.

Every output is read from `pipeline.Analysis(data, assumptions)`, the same chain the `workbook run`
notebooks read with the engagement's own assumptions: a saved scenario reproduces in the deliverable
exactly what the explorer showed. A change of assumptions is a new `Analysis`, so changing the coaching
target changes every manager's gap, hence the readiness scores (coaching pillar), the priority order,
the training waves, the team-development measures and the ROI. To answer a slider within a workshop's
patience, the new chain copies from an earlier one the steps that read none of the changed values
(`STEP_READS`, checked by the tests against fresh chains), and `WhatIfResults` computes a step only
when a panel asks for it.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from workbook.analyses.coaching import ACTIVITIES
from workbook.analyses.compensation import recommend
from workbook.analyses.readiness import PILLAR_LABELS, PILLARS
from workbook.analyses.roi import SCENARIOS
from workbook.engagement.assumptions import BY_NAME, Assumptions
from workbook.intake.load import EngagementData
from workbook.pipeline.analysis import Analysis, CompensationPlan

# The assumptions the explorer puts on sliders, in the order they are shown.
CONTROLS: tuple[str, ...] = (
    "uplift_conservative", "uplift_base", "uplift_upper", "gap_closure_share", "gross_margin_pct",
    "target_coaching_hours_per_rep_month", "team_development_weight", "cohort_size",
    "weeks_between_waves",
)
# conservative, base, upper: the published scenarios the sliders move; "measured here" (when the data
# measured the programme's uplift) is shown beside them in the ROI panel and chart, not on a slider
HIGHLIGHTS: tuple[str, ...] = tuple(s for s, _ in SCENARIOS)
MEMO_SIZE = 8   # analyses kept, so moving a slider back is instant


class ExplorerAnalysis(Analysis):
    """`Analysis` plus `payouts`: the compensation step's table and notes without its sensitivity
    sweep (five more runs of `recommend` at other weights, which no panel of the explorer shows).
    The table is `recommend` with the same arguments as `Analysis.compensation`, so it is the one
    `workbook run` saves (tests compare the two)."""

    @cached_property
    def payouts(self) -> CompensationPlan:
        if "compensation" in vars(self) or not self.data.has("compensation"):
            return self.compensation
        comp = self.data.tables["compensation"].reset_index(drop=True)
        table, notes, _ = recommend(comp, self.readiness, self.coaching, self.values)
        return CompensationPlan(table, None, notes, "")


class WhatIfResults:
    """Everything the explorer shows for one set of assumptions, read from one Analysis on first use:
    a panel that is not shown asks for nothing, so its steps of the chain are not computed."""

    def __init__(self, analysis: Analysis):
        self.analysis = analysis
        self.currency: str = analysis.data.engagement.currency

    @classmethod
    def of(cls, analysis: Analysis) -> WhatIfResults:
        return cls(analysis)

    @property
    def _payouts(self) -> CompensationPlan:
        a = self.analysis
        return a.payouts if isinstance(a, ExplorerAnalysis) else a.compensation

    @cached_property
    def assumptions(self) -> dict[str, Any]:
        return self.analysis.values

    @property
    def coaching(self) -> pd.DataFrame | None:          # coaching_by_manager (None without a coaching log)
        return self.analysis.coaching

    @property
    def coaching_gaps(self) -> pd.DataFrame | None:     # coaching_gaps.csv
        return self.analysis.coaching_gaps.gaps

    @property
    def gap_totals(self) -> dict | None:
        return self.analysis.coaching_gaps.totals

    @property
    def readiness(self) -> pd.DataFrame:                # manager_readiness.csv
        return self.analysis.readiness

    @property
    def roi_inputs(self) -> dict | None:
        return self.analysis.roi.inputs

    @property
    def roi(self) -> pd.DataFrame | None:               # roi_scenarios.csv
        return self.analysis.roi.scenarios

    @property
    def roi_note(self) -> str:                          # "not assessed — needs ..." when roi is None
        return self.analysis.roi.not_assessed

    @property
    def compensation(self) -> pd.DataFrame | None:      # compensation.csv
        return self._payouts.table

    @property
    def compensation_notes(self) -> list[str]:
        comp = self._payouts
        return list(comp.notes) if comp.table is not None else []

    @property
    def compensation_note(self) -> str:                 # "not assessed — needs compensation"
        return self._payouts.not_assessed

    @property
    def plan(self) -> pd.DataFrame | None:              # training_plan.csv
        return self.analysis.plan

    @property
    def waves(self) -> pd.DataFrame | None:             # wave_summary(plan)
        return self.analysis.waves


def what_if(data: EngagementData, assumptions: Assumptions | dict) -> WhatIfResults:
    """Every output of the explorer, computed from the loaded tables with these assumptions."""
    return WhatIfResults.of(ExplorerAnalysis(data, assumptions))


# --- reuse between two sets of values --------------------------------------------------------------
# Which of the explorer's controls each step of `Analysis` reads, itself or through the steps it reads.
# A new set of values is still a new `Analysis`; a step is copied into it from an earlier chain only
# when every assumption it reads is the same in both (all values outside CONTROLS must be equal too).
# tests/test_explorer_room.py checks, control by control, that every step copied this way equals
# the same step of a fresh chain. A step not listed here is never copied.
_TARGET = "target_coaching_hours_per_rep_month"
_WAVES = frozenset({_TARGET, "cohort_size", "weeks_between_waves"})
STEP_READS: dict[str, frozenset[str]] = {
    "in_post": frozenset(), "span_of_control": frozenset(), "window": frozenset(),
    "performance": frozenset(), "measured_impact": frozenset(),
    "coaching": frozenset({_TARGET}), "coaching_by_rep": frozenset({_TARGET}),
    "coaching_gaps": frozenset({_TARGET}), "readiness_pillars": frozenset(), "readiness": frozenset({_TARGET}),
    "plan": _WAVES, "waves": _WAVES, "impact": _WAVES,
    "roi": frozenset({_TARGET, "uplift_conservative", "uplift_base", "uplift_upper", "gap_closure_share",
                      "gross_margin_pct"}),
    "compensation": frozenset({_TARGET, "team_development_weight"}),
    "payouts": frozenset({_TARGET, "team_development_weight"}),
}


def reusable_steps(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """The steps whose results computed under `before` hold under `after` (values as dicts)."""
    differ = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    if differ - set(CONTROLS):
        return set()
    return {step for step, reads in STEP_READS.items() if not reads & differ}


def seeded_analysis(data: EngagementData, assumptions: Assumptions,
                    earlier: list[Analysis]) -> tuple[ExplorerAnalysis, set[str]]:
    """A new chain for `assumptions`, with the steps it shares with the best earlier chain copied."""
    analysis = ExplorerAnalysis(data, assumptions)
    values = assumptions.as_dict()
    best: tuple[Analysis | None, set[str]] = (None, set())
    for other in earlier:
        if other.data is not data:
            continue
        done = {s for s in reusable_steps(other.assumptions.as_dict(), values) if s in vars(other)}
        if len(done) > len(best[1]):
            best = (other, done)
    other, steps = best
    for step in steps:
        vars(analysis)[step] = vars(other)[step]   # a cached_property's value lives in the instance dict
    return analysis, steps


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
        self._memo: OrderedDict[tuple, tuple[Analysis, WhatIfResults]] = OrderedDict()
        self.reused: set[str] = set()   # the steps the last new chain copied from an earlier one

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
    @property
    def analysis(self) -> Analysis:
        """The analysis chain under the current assumptions (kept for the last few sets of values)."""
        return self._current()[0]

    def results(self) -> WhatIfResults:
        return self._current()[1]

    def _current(self) -> tuple[Analysis, WhatIfResults]:
        assumptions = self.assumptions
        key = tuple(sorted((k, repr(v)) for k, v in assumptions.as_dict().items()))
        if key in self._memo:
            self._memo.move_to_end(key)
        else:
            analysis, self.reused = seeded_analysis(self.data, assumptions,
                                                    [a for a, _ in reversed(self._memo.values())])
            self._memo[key] = (analysis, WhatIfResults.of(analysis))
            while len(self._memo) > MEMO_SIZE:
                self._memo.popitem(last=False)
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
            "pillar": [PILLAR_LABELS[p][:1].upper() + PILLAR_LABELS[p][1:] for p in PILLARS],   # "Buy-in"
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
        analysis = self.analysis
        active = analysis.in_post
        reps = active[(active["role"].astype("object") == "rep").to_numpy()
                      & (active["manager_id"].astype("object") == manager_id).to_numpy()]
        team = pd.DataFrame({"rep_id": reps.index.astype("object"),
                             "rep_name": reps["name"].to_numpy() if "name" in reps else None})
        by_rep = analysis.coaching_by_rep
        for col, source in (("performer_tier", "tier"), ("attainment", "attainment"),
                            ("hours_per_month", "hours_per_month")):
            team[col] = (by_rep[source].reindex(team["rep_id"]).to_numpy() if by_rep is not None
                         else pd.NA)
        team["wave"] = analysis.plan.set_index("person_id")["wave"].reindex(team["rep_id"]).to_numpy()
        return team

    def save_scenario(self, name: str, *, overwrite: bool = False, author: str | None = None):
        """Write scenarios/<name>.yaml and point engagement.yaml at it (see scenario.py)."""
        from workbook.interactive.scenario import save_scenario

        saved = save_scenario(self.folder, name, self.assumptions, self.baseline, overwrite=overwrite,
                              author=author, highlight=self.highlight, client=self.engagement.client)
        highlight = self.highlight
        self.reload()
        self.highlight = highlight
        return saved
