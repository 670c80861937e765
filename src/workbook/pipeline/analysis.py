"""The one analysis chain: a loaded engagement and a set of assumptions, every result derived once.

`Analysis(data, assumptions)` computes each step on first use and keeps it, in dependency order:

    window -> performance -> coaching -> readiness -> plan -> impact -> roi -> compensation -> ownership
    -> summary

The notebooks' sections (`workbook run`), the deliverable's numbers (the results CSVs the
sections save) and the what-if explorer all read the same properties, so a number cannot be
computed two ways. Changing an assumption means a new `Analysis` (`with_overrides`): nothing is
shared between two analyses except the loaded tables, so no list of "what depends on what" is kept
anywhere — every step of the new chain is recomputed from the data with the new values. The one
exception is the programme-impact estimate, a bootstrap that reads five assumptions of its own:
it is remembered per data set and those values (`_remembered_impact`).
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import pandas as pd

from workbook.analyses import assumption_values, not_assessed
from workbook.analyses.attainment import rep_performance
from workbook.analyses.budget_neutrality import Budget
from workbook.analyses.coaching import (
    NotAssessed,
    coaching_attainment_link,
    coaching_by_manager,
    coaching_by_rep,
    coaching_gaps_table,
    gap_totals,
)
from workbook.analyses.compensation import (
    budget_of,
    recommend_with_sensitivity,
    team_development_measures,
    template,
)
from workbook.analyses.impact import IMPACT_INPUTS, Impact, assess_impact, with_planned_starts
from workbook.analyses.ownership import Ownership, assess_ownership
from workbook.analyses.readiness import assess_readiness, readiness_pillars
from workbook.analyses.roi import (
    MeasuredUplift,
    measured_uplift,
    roi_by_manager,
    roi_inputs,
    roi_inputs_frame,
    roi_scenarios,
)
from workbook.analyses.training_plan import plan_training, wave_summary
from workbook.analyses.window import Window, active_on
from workbook.engagement.assumptions import Assumptions
from workbook.errors import EngagementError
from workbook.intake.load import EngagementData


@dataclass
class CoachingGaps:
    gaps: pd.DataFrame | None          # coaching_gaps.csv, one row per manager
    by_rep: pd.DataFrame | None
    link: dict | None                  # descriptive OLS of attainment on coaching hours (needs sales)
    totals: dict | None
    not_assessed: str = ""             # "not assessed — needs coaching" when there is no log


@dataclass
class RoiModel:
    inputs: dict | None                # roi_inputs: gap hours, core revenue below target, managers
    inputs_frame: pd.DataFrame | None  # roi_inputs.csv
    scenarios: pd.DataFrame | None     # roi_scenarios.csv: conservative, base, upper (+ measured_here)
    not_assessed: str = ""             # why there is no ROI ("not assessed — needs ...")
    by_manager: pd.DataFrame | None = None   # roi_by_manager.csv: each team's dose and benefit
    measured: MeasuredUplift | None = None   # the uplift measured here, when its interval excludes 0


@dataclass
class CompensationPlan:
    table: pd.DataFrame | None        # compensation.csv, one row per front-line manager
    sensitivity: pd.DataFrame | None  # compensation_sensitivity.csv: totals at 10-30% weight
    notes: list[str] = field(default_factory=list)   # anomalies in the plans, modelling caveats
    not_assessed: str = ""            # "not assessed — needs compensation" without comp plans
    template: pd.DataFrame | None = None   # the recommended plan in percentages
    measures: pd.DataFrame | None = None   # team-development measures per manager
    budget: Budget | None = None           # totals at today's performance and the calibration


class Analysis:
    """Every result for one engagement under one set of assumptions, each computed once on use."""

    def __init__(self, data: EngagementData, assumptions: Assumptions | Mapping[str, Any] | None = None):
        self.data = data
        if assumptions is None:
            assumptions = data.engagement.assumptions
        elif not isinstance(assumptions, Assumptions):   # plain values: checked against the registry
            assumptions = data.engagement.assumptions.with_overrides(dict(assumptions))
        self.assumptions: Assumptions = assumptions

    def with_overrides(self, overrides: dict[str, Any]) -> Analysis:
        """The same data under changed assumptions: a new chain, nothing reused."""
        return Analysis(self.data, self.assumptions.with_overrides(overrides))

    @property
    def currency(self) -> str:
        """The engagement's currency (ISO code), for tables and charts."""
        return self.data.engagement.currency

    @cached_property
    def values(self) -> dict[str, Any]:
        """name -> value of every assumption, as the analyses read them."""
        return assumption_values(self.assumptions)

    def _has(self, table: str) -> bool:
        return table in self.data.tables

    # -- the organisation ---------------------------------------------------------------------
    @cached_property
    def in_post(self) -> pd.DataFrame:
        """People employed on the as-of date (everyone when the data has no date)."""
        people = self.data.tables["people"]
        if self.data.as_of is None:
            return people
        return people[active_on(people, pd.Timestamp(self.data.as_of)).to_numpy(dtype=bool)]

    @cached_property
    def span_of_control(self) -> pd.Series:
        """Reps in post per front-line manager in post, smallest first."""
        active = self.in_post
        role = active["role"].astype("object")
        managers = active[(role == "manager").to_numpy()]
        reps = active[(role == "rep").to_numpy()]
        return reps["manager_id"].value_counts().reindex(managers.index, fill_value=0).sort_values()

    # -- the chain ------------------------------------------------------------------------------
    @cached_property
    def window(self) -> Window:
        if self.data.as_of is None:
            raise EngagementError("no as-of date: set as_of in engagement.yaml (the data has no dates)")
        return Window.trailing(self.data.as_of, int(self.values["analysis_window_months"]))

    @cached_property
    def performance(self) -> pd.DataFrame:
        """Rep performance and performer tiers in the window (attainment, or revenue per month)."""
        a = self.values
        return rep_performance(self.data.tables["people"], self.data.tables.get("sales"), self.window,
                               float(a["core_band_low_pct"]), float(a["core_band_high_pct"]))

    def _from_coaching_log(self, measure) -> pd.DataFrame | None:
        if not self._has("coaching"):
            return None
        return measure(self.data.tables["people"], self.data.tables["coaching"], self.window, self.values,
                       self.performance if self._has("sales") else None)

    @cached_property
    def coaching(self) -> pd.DataFrame | None:
        """Coaching per front-line manager (hours, gap, coverage, mix); None without a coaching log."""
        return self._from_coaching_log(coaching_by_manager)

    @cached_property
    def coaching_by_rep(self) -> pd.DataFrame | None:
        """Coaching each rep received, with their tier and attainment; None without a coaching log."""
        return self._from_coaching_log(coaching_by_rep)

    @cached_property
    def coaching_gaps(self) -> CoachingGaps:
        if self.coaching is None:
            return CoachingGaps(None, None, None, None, not_assessed("coaching"))
        link = coaching_attainment_link(self.coaching_by_rep) if self._has("sales") else None
        return CoachingGaps(coaching_gaps_table(self.coaching), self.coaching_by_rep, link,
                            gap_totals(self.coaching))

    @cached_property
    def readiness(self) -> pd.DataFrame:
        """One row per front-line manager: pillar scores, readiness, tier, barrier point, priority."""
        return assess_readiness(self.data.tables, self.data.as_of, self.values, self.coaching,
                                performance=self.performance, pillars=self.readiness_pillars)

    @cached_property
    def readiness_pillars(self) -> pd.DataFrame:
        """Every readiness pillar but coaching, per front-line manager (none reads the coaching target)."""
        return readiness_pillars(self.data.tables, self.data.as_of, self.values, performance=self.performance)

    @cached_property
    def plan(self) -> pd.DataFrame:
        """Every person in post with their training wave, reps strictly after their own manager."""
        return plan_training(self.data.tables["people"], self.readiness, self.data.as_of, self.values)

    @cached_property
    def waves(self) -> pd.DataFrame:
        return wave_summary(self.plan)

    @cached_property
    def measured_impact(self) -> Impact:
        """The difference-in-differences of trained against not-yet-trained teams (no planned
        starts): what the ROI's "measured here" scenario reads. It depends on the data and the
        assumptions in IMPACT_INPUTS only, so the what-if explorer's sliders reuse it (see
        `_remembered_impact`) instead of re-running the bootstrap on every change."""
        tiers = self.performance["tier"] if self._has("sales") else pd.Series(dtype="string")
        return _remembered_impact(self.data, self.values, tiers)

    @cached_property
    def impact(self) -> Impact:
        """The programme's measured impact, with who completed when and each untrained person's
        planned start from the training plan."""
        plan = self.plan if self.data.as_of is not None else None
        return replace(self.measured_impact, events=with_planned_starts(self.measured_impact.events, plan))

    @cached_property
    def roi(self) -> RoiModel:
        if self.coaching is None:
            return RoiModel(None, None, None, not_assessed("coaching"))
        try:
            inputs = roi_inputs(self.coaching, self.performance if self._has("sales") else None,
                                self.data.tables["people"], self.window, self.readiness)
        except NotAssessed as exc:
            return RoiModel(None, None, None, str(exc))
        # the programme's measured uplift, once measured with an interval above zero: a fourth scenario
        measured = measured_uplift(self.measured_impact.estimates) if self._has("sales") else None
        if measured is not None:
            inputs = {**inputs, **measured.as_inputs()}
        by_manager = roi_by_manager(self.coaching, self.performance, self.data.tables["people"],
                                    self.window, self.values, measured)
        return RoiModel(inputs, roi_inputs_frame(inputs), roi_scenarios(inputs, self.values, measured), "",
                        by_manager, measured)

    @cached_property
    def compensation(self) -> CompensationPlan:
        """The recommended plan, payouts at current performance under both plans, the sensitivity."""
        a = self.values
        measures = team_development_measures(self.readiness, self.coaching, a).reset_index()
        plan_template = template(a)
        if not self.data.has("compensation"):
            note = not_assessed("compensation")
            return CompensationPlan(None, None, [f"Payout simulation {note}: the recommended weights are "
                                                 "shown as a template in percentages."], note,
                                    plan_template, measures)
        comp = self.data.tables["compensation"].reset_index(drop=True)
        table, notes, _, by_weight = recommend_with_sensitivity(comp, self.readiness, self.coaching, a)
        return CompensationPlan(table, by_weight, notes, "", plan_template, measures, budget_of(table, a))

    @cached_property
    def ownership(self) -> Ownership:
        """Finding, recommendation, evidence and RACI: the sales manager owns reinforcement."""
        e, data = self.data.engagement, self.data
        managers = self.in_post.index[(self.in_post["role"].astype("object") == "manager").to_numpy()]
        return assess_ownership(e.current_owner, e.ownership_notes,
                                data.tables.get("compensation") if data.has("compensation") else None,
                                data.tables.get("training") if data.has("training") else None,
                                list(managers))

    @cached_property
    def summary(self) -> pd.DataFrame:
        """Head counts by role and the spread of span of control among front-line managers."""
        roles = self.in_post["role"].value_counts().reindex(["leader", "manager", "rep"], fill_value=0)
        spans = self.span_of_control
        people = self.data.tables["people"]
        rows = [
            ("Leaders (managers of managers)", int(roles["leader"])),
            ("Front-line managers", int(roles["manager"])),
            ("Reps", int(roles["rep"])),
            ("Reps per front-line manager, median", float(spans.median()) if len(spans) else float("nan")),
            ("Front-line managers with more than 10 reps", int((spans > 10).sum())),
            ("People who left in the data", int(people["termination_date"].notna().sum())),
        ]
        return pd.DataFrame(rows, columns=["measure", "value"])


def analysis_of(source: EngagementData | Analysis) -> Analysis:
    """The engagement's own chain (its assumptions), kept with the loaded data so every notebook
    section of a run reads the same results; an `Analysis` is returned as it is."""
    if isinstance(source, Analysis):
        return source
    if "analysis" not in source.cache:
        source.cache["analysis"] = Analysis(source)
    return source.cache["analysis"]


_IMPACTS: dict[tuple, tuple[weakref.ref, Impact]] = {}   # (id(data), IMPACT_INPUTS values) -> estimate


def _remembered_impact(data: EngagementData, values: dict, tiers: pd.Series) -> Impact:
    key = (id(data), *(values[name] for name in IMPACT_INPUTS))
    hit = _IMPACTS.get(key)
    if hit is not None and hit[0]() is data:
        return hit[1]
    impact = assess_impact(data.tables["people"], data.tables, data.as_of, values, tiers)
    if len(_IMPACTS) >= 16:
        _IMPACTS.clear()
    _IMPACTS[key] = (weakref.ref(data), impact)
    return impact
