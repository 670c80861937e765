"""Every assumption the analyses use: default, unit, source and note, in one place.

The Assumptions sheet is written from this registry, each value an input cell
with a defined name (the assumption's `name`), so live formulas in the
deliverable refer to the same names the Python code uses. A consultant
overrides any value under `assumptions:` in engagement.yaml.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Literal

from workbook.errors import AssumptionError

Kind = Literal["number", "integer", "percent", "currency", "hours", "date", "months", "weeks"]

GARTNER_COACHING = "Gartner (2019 blog): 3-5 hours per seller per month, diminishing returns beyond"
CEB_CORE = "CEB / Sales Executive Council (Dixon & Adamson, HBR blog 2011; SEC 'World-Class Sales Coaching' 2007)"
PLACEHOLDER = "Engagement placeholder, not a benchmark: replace with the client's own figure"


@dataclass(frozen=True)
class Assumption:
    name: str
    label: str
    value: float | dt.date
    kind: Kind
    group: str
    source: str
    note: str = ""
    minimum: float | None = None
    maximum: float | None = None
    live: bool = False   # drives live formulas in the workbook; others apply when the engagement is re-run

    @property
    def unit(self) -> str:
        return {
            "number": "",
            "integer": "count",
            "percent": "%",
            "currency": "currency",
            "hours": "hours",
            "date": "date",
            "months": "months",
            "weeks": "weeks",
        }[self.kind]


DEFAULTS: tuple[Assumption, ...] = (
    Assumption("analysis_window_months", "Analysis window (months before the as-of date)", 12, "months",
               "Window", "Toolkit method: a trailing year smooths seasonality",
               "Attrition, coaching and attainment are measured over this window.", 1, 36),
    # --- Scale and team health
    Assumption("healthy_span_min", "Healthy span of control, lowest", 6, "integer", "Scale",
               "Gartner (2018): front-line managers have 6-8 direct reports; CSO Insights (2015, secondary): ~6",
               minimum=1, maximum=50),
    Assumption("healthy_span_max", "Healthy span of control, highest", 8, "integer", "Scale",
               "Gartner (2018): 6-8 direct reports; Alexander Group average 8.5", minimum=1, maximum=50),
    Assumption("span_flag_above", "Flag a span of control above", 10, "integer", "Scale",
               "Alexander Group average 8.5; spans above 10 leave little time to coach", minimum=1, maximum=100),
    Assumption("benchmark_rep_turnover_rate", "Typical annual rep turnover", 0.27, "percent", "Team health",
               "HBR 2017 (Kumar et al.); DePaul (secondary): ~27-28%",
               "Context only: managers are compared with the client's own organisation rate.", 0, 1),
    Assumption("replacement_cost_per_rep_usd", "Cost to replace a rep who chose to leave", 115000,
               "currency", "Team health",
               "DePaul University (secondary): ~$115k including acquisition, training and lost sales",
               "Applies to voluntary exits (and to exits whose type the roster does not give).",
               minimum=0),
    Assumption("replacement_cost_involuntary_per_rep_usd", "Cost to replace a rep who was let go", 115000,
               "currency", "Team health",
               "DePaul University (secondary): ~$115k; the seat is refilled whichever side ended it",
               "Set lower when involuntary exits are not back-filled.", minimum=0),
    Assumption("ramp_months", "Months for a new rep to reach productivity", 6, "months", "Team health",
               "SBI survey of 736 hires (vendor): ~6 months median, often 3-12; Salz 2012",
               minimum=0, maximum=36),
    Assumption("attrition_interval_level", "Confidence level of attrition and attainment intervals", 0.95,
               "percent", "Team health",
               "Spiegelhalter, Stat Med 2005 (funnel plots); flag only when the interval clears the organisation rate",
               minimum=0.5, maximum=0.999),
    # --- Coaching
    Assumption("target_coaching_hours_per_rep_month", "Target coaching hours per rep per month", 3, "hours",
               "Coaching", GARTNER_COACHING, "Range 3-5; 3 is the conservative end.", 0, 40),
    Assumption("default_coaching_minutes", "Minutes per coaching session when the log has none", 30, "number",
               "Coaching", PLACEHOLDER, "Used only for sessions logged without a duration.", 1, 480),
    Assumption("core_band_low_pct", "Core performers start at attainment percentile", 0.20, "percent",
               "Coaching", CEB_CORE + ": the middle 60% of performers", minimum=0, maximum=1),
    Assumption("core_band_high_pct", "Core performers end at attainment percentile", 0.80, "percent",
               "Coaching", CEB_CORE + ": the middle 60% of performers", minimum=0, maximum=1),
    # --- ROI
    Assumption("uplift_conservative", "Core-performer uplift, conservative scenario", 0.06, "percent", "ROI",
               CEB_CORE + ": moderate coaching improvement worth 6-8% across the core",
               "A scenario, not a promise.", 0, 1),
    Assumption("uplift_base", "Core-performer uplift, base scenario", 0.08, "percent", "ROI",
               "Gartner (2021): effective coaching can unlock 8%; SEC: reps with star coaches 8% better against goal",
               "A scenario, not a promise.", 0, 1),
    Assumption("uplift_upper", "Core-performer uplift, upper scenario", 0.19, "percent", "ROI",
               CEB_CORE + ": best-quality coaching up to 19%; Gartner (2019): 19%",
               "Upper bound of published figures.", 0, 1),
    Assumption("gap_closure_share", "Share of the coaching gap closed", 0.5, "percent", "ROI",
               PLACEHOLDER, "Uplift is scaled by the share of the gap actually closed.", 0, 1),
    Assumption("gross_margin_pct", "Gross margin on additional revenue", 0.25, "percent", "ROI",
               PLACEHOLDER, "Phillips ROI counts profit, not revenue: set the client's gross margin "
               "(100% shows the revenue view).", 0, 1),
    Assumption("manager_loaded_hourly_cost_usd", "Manager loaded cost per hour", 90, "currency", "ROI",
               PLACEHOLDER, "Salary, benefits and overhead per working hour.", 0),
    Assumption("program_cost_per_manager_usd", "Training program cost per manager", 3000, "currency", "ROI",
               PLACEHOLDER, "Fees, materials and travel per manager who has not completed a coaching "
               "program; their time away is counted separately.", 0),
    Assumption("program_cost_per_rep_usd", "Reps' sales program cost per rep", 1500, "currency", "ROI",
               PLACEHOLDER, "Fees, materials and travel per rep who has not completed the reps' program.", 0),
    Assumption("program_hours_per_manager", "Program hours per manager (time out of the field)", 16, "hours",
               "ROI", PLACEHOLDER, "Hours each manager spends in training, costed at the manager's hourly "
               "cost (Phillips: participants' time is a cost).", 0),
    Assumption("program_hours_per_rep", "Program hours per rep (time out of the field)", 16, "hours", "ROI",
               PLACEHOLDER, "Hours each rep spends in training, costed at the rep's hourly cost.", 0),
    Assumption("rep_loaded_hourly_cost_usd", "Rep loaded cost per hour", 60, "currency", "ROI",
               PLACEHOLDER, "Salary, benefits and overhead per working hour.", 0),
    Assumption("isolation_share", "Share of the improvement attributed to the program", 1.0, "percent", "ROI",
               "Phillips ROI method: isolate the program's effect",
               "100% attributes every gain to the program. Lower it when other initiatives run at the same "
               "time; the staggered rollout lets a later re-run measure it.", 0, 1),
    Assumption("estimate_confidence", "Confidence in the uplift estimate", 1.0, "percent", "ROI",
               "Phillips ROI method: adjust estimates for error",
               "100% takes the published uplift at face value; e.g. 80% discounts it by a fifth.", 0, 1),
    # --- Readiness scoring
    Assumption("weight_scale", "Readiness weight: scale", 0.10, "percent", "Readiness",
               "Toolkit method (Methodology sheet)", "Weights are renormalised over assessed pillars.", 0, 1),
    Assumption("weight_team_health", "Readiness weight: team health", 0.20, "percent", "Readiness",
               "Toolkit method (Methodology sheet)", minimum=0, maximum=1),
    Assumption("weight_modelling", "Readiness weight: modelling", 0.15, "percent", "Readiness",
               "Toolkit method (Methodology sheet)", minimum=0, maximum=1),
    Assumption("weight_buy_in", "Readiness weight: buy-in", 0.20, "percent", "Readiness",
               "Toolkit method; Prosci ADKAR", minimum=0, maximum=1),
    Assumption("weight_coaching", "Readiness weight: coaching", 0.20, "percent", "Readiness",
               "Toolkit method; Gartner coaching target", minimum=0, maximum=1),
    Assumption("weight_results", "Readiness weight: results", 0.15, "percent", "Readiness",
               "Toolkit method (Methodology sheet)", minimum=0, maximum=1),
    Assumption("tier_ready_min_score", "Readiness score for 'ready'", 70, "number", "Readiness",
               "Toolkit method; compare OMG (vendor): a competency under 75% counts as ineffective",
               minimum=0, maximum=100),
    Assumption("tier_developing_min_score", "Readiness score for 'developing'", 50, "number", "Readiness",
               "Toolkit method (Methodology sheet)", minimum=0, maximum=100),
    Assumption("adkar_barrier_max_score", "ADKAR barrier: element scoring at most", 3, "number", "Readiness",
               "Prosci ADKAR: the barrier point is the first element scoring 3 or below", minimum=1, maximum=5),
    Assumption("ready_min_coaching_score", "Not 'ready' with a coaching pillar below", 40, "number",
               "Readiness", "Toolkit method; Gartner coaching target (3-5 hours per seller per month)",
               "Caps the tier at 'developing': 40 is about a third of the target hours with every rep "
               "coached, or half of it with most reps coached.", minimum=0, maximum=100),
    Assumption("adkar_ready_gate_max_score", "Not 'ready' when awareness or desire scores at most", 2,
               "number", "Readiness",
               "Prosci ADKAR: awareness and desire come first; a manager who does not see the need or "
               "want the change cannot lead it, whatever the other pillars say",
               "Caps the tier at 'developing'; the barrier point calls for a buy-in step first.",
               minimum=0, maximum=5),
    # --- Training plan
    Assumption("cohort_size", "Managers per training cohort", 8, "integer", "Training plan",
               PLACEHOLDER, "Small enough to practise coaching in the room.", 1, 100),
    Assumption("weeks_between_waves", "Weeks between waves", 4, "weeks", "Training plan",
               PLACEHOLDER, "Time for managers to model the program before their reps start.", 0, 52),
    Assumption("pilot_size", "Managers in the pilot cohort (0: no pilot)", 3, "integer", "Training plan",
               PLACEHOLDER, "The first manager cohort: the highest-priority managers whose ADKAR barrier "
               "point is not awareness or desire.", 0, 50),
    Assumption("rep_lag_weeks", "Reps start this many weeks after their own manager", 4, "weeks",
               "Training plan", PLACEHOLDER, "Time for a manager to model the program before the team "
               "is trained.", 1, 52),
    Assumption("buy_in_weeks_before_training", "Buy-in session, weeks before the manager's training", 2,
               "weeks", "Training plan", PLACEHOLDER,
               "For managers whose ADKAR barrier point is awareness or desire.", 1, 26),
    Assumption("fiscal_year_start_month", "Fiscal year starts in month (1 = January)", 1, "integer",
               "Training plan", PLACEHOLDER, "Sets the quarter ends for the blackouts.", 1, 12),
    Assumption("quarter_end_blackout_weeks", "No training starts in the last weeks of each fiscal quarter",
               2, "weeks", "Training plan", PLACEHOLDER,
               "Reps and managers are closing the quarter; 0: no quarter-end blackout.", 0, 6),
    Assumption("year_end_blackout", "No training starts from 20 December to 5 January (1 yes, 0 no)", 1,
               "integer", "Training plan", PLACEHOLDER, minimum=0, maximum=1),
    Assumption("program_start_weeks_after_as_of", "Program starts this many weeks after the as-of date", 4,
               "weeks", "Training plan", PLACEHOLDER, minimum=0, maximum=104),
    # --- Programme impact (measured on re-runs)
    Assumption("impact_ramp_months", "Impact: months after completion left out (ramp)", 1, "months",
               "Programme impact", "Toolkit method: new habits take weeks to show in the data",
               "The completion month and this many whole months after it count neither as before nor "
               "after.", 0, 12),
    Assumption("impact_window_months", "Impact: longest before/after window per manager", 6, "months",
               "Programme impact", "Toolkit method: matched windows before and after completion",
               "Each manager's before and after windows have the same length, at most this.", 1, 24),
    Assumption("impact_min_months", "Impact: months needed before and after to measure a team", 3, "months",
               "Programme impact", "Toolkit method (Methodology sheet)", minimum=1, maximum=12),
    Assumption("impact_bootstrap_draws", "Impact: bootstrap draws for the interval", 200, "integer",
               "Programme impact", "Cluster bootstrap over teams, stratified by completion cohort",
               "The interval uses the draws' spread, which 200 draws pin down within about 5%; more "
               "cost time on large clients (about 5 ms per draw per 10,000 team-months).",
               minimum=100, maximum=5000),
    Assumption("impact_interval_level", "Impact: interval level", 0.90, "percent", "Programme impact",
               "Toolkit method: a 90% interval, stated as 'consistent with an uplift of X-Y%'",
               minimum=0.5, maximum=0.99),
    # --- Compensation
    Assumption("team_development_weight", "Team-development share of target variable", 0.20, "percent",
               "Compensation",
               "Performio (practitioner): components under ~20% lose focus; no published source for a specific share",
               "Sensitivity 10-30% shown on the Compensation sheet.", 0, 0.6),
    Assumption("payout_threshold_attainment", "Payout curve: threshold attainment", 0.5, "percent",
               "Compensation", PLACEHOLDER, "Below threshold a component pays nothing.", 0, 1),
    Assumption("payout_at_threshold", "Payout curve: payout at threshold", 0.5, "percent", "Compensation",
               PLACEHOLDER, minimum=0, maximum=1),
    Assumption("payout_cap_attainment", "Payout curve: attainment where payout is capped", 1.5, "percent",
               "Compensation", PLACEHOLDER, minimum=1, maximum=5),
    Assumption("payout_at_cap", "Payout curve: payout at cap", 2.0, "percent", "Compensation",
               PLACEHOLDER, minimum=1, maximum=5),
    Assumption("payout_change_risk_pct", "Flag a payout change above", 0.10, "percent", "Compensation",
               "Change-management practice (ZS; Forma.ai): large swings need a transition plan", minimum=0, maximum=1),
)

LIVE_GROUPS = ("ROI", "Compensation")   # sheets with live formulas over these inputs
DEFAULTS = tuple(replace(a, live=a.group in LIVE_GROUPS) for a in DEFAULTS)
BY_NAME: dict[str, Assumption] = {a.name: a for a in DEFAULTS}


@dataclass(frozen=True)
class Assumptions:
    """The engagement's assumptions: defaults with the consultant's overrides applied."""

    items: tuple[Assumption, ...]
    overridden: frozenset[str] = frozenset()

    def __getitem__(self, name: str) -> float:
        return self.by_name()[name].value  # type: ignore[return-value]

    def by_name(self) -> dict[str, Assumption]:
        return {a.name: a for a in self.items}

    def as_dict(self) -> dict[str, float | dt.date]:
        return {a.name: a.value for a in self.items}

    def with_overrides(self, overrides: dict[str, object]) -> Assumptions:
        return build_assumptions({**{k: self[k] for k in self.overridden}, **overrides})


def build_assumptions(overrides: dict[str, object] | None = None) -> Assumptions:
    """Defaults with overrides applied; unknown names and out-of-range values are errors."""
    overrides = dict(overrides or {})
    items = []
    for a in DEFAULTS:
        if a.name in overrides:
            items.append(replace(a, value=_coerce(a, overrides.pop(a.name)), source=_override_source(a)))
        else:
            items.append(a)
    if overrides:
        from workbook.engagement.suggest import nearest

        name = sorted(overrides)[0]
        hint = nearest(name, BY_NAME)
        raise AssumptionError(
            f"unknown assumption '{name}'" + (f"; did you mean '{hint}'?" if hint else "")
        )
    return Assumptions(tuple(items), frozenset(a.name for a in items if a is not BY_NAME[a.name]))


def _override_source(a: Assumption) -> str:
    return f"Set for this engagement (engagement.yaml); default {_fmt(a)} from: {a.source}"


def _fmt(a: Assumption) -> str:
    if a.kind == "percent":
        return f"{a.value:.0%}"
    return f"{a.value:g}" if isinstance(a.value, (int, float)) else str(a.value)


def _coerce(a: Assumption, raw: object) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise AssumptionError(f"assumption '{a.name}' must be a number, got {raw!r}")
    value = float(raw)
    if a.kind == "integer":
        if value != int(value):
            raise AssumptionError(f"assumption '{a.name}' must be a whole number, got {raw!r}")
        value = int(value)
    if a.minimum is not None and value < a.minimum:
        raise AssumptionError(f"assumption '{a.name}' must be at least {a.minimum:g}, got {raw!r}")
    if a.maximum is not None and value > a.maximum:
        raise AssumptionError(f"assumption '{a.name}' must be at most {a.maximum:g}, got {raw!r}")
    return value
