"""One catalogue of the result columns a client or consultant reads: label, format, unit, meaning.

Notebook tables (`pipeline.display.table`), the what-if explorer's panels and the deliverable's
sheets take their headers from here, and coded values (tiers, roles, scenarios, severities) their
wording, so a column is called the same thing wherever it appears. `kind` is the display format:
count, score, number, hours, percent, percent1, percent_points (a value already x100), money (the
engagement's currency), ratio, date, row (a row number in a client's file), flag (yes or blank), text.
A table lists its columns by name, or as (frame column, catalogue name) where one column name means
different things in different tables (a wave's "reps" are reps trained, a team's reps in the window).
"""

from __future__ import annotations

from dataclasses import dataclass

from workbook.analyses.roi import SCENARIO_LABELS


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    kind: str = "text"
    unit: str = ""
    description: str = ""


def _catalogue(*columns: Column) -> dict[str, Column]:
    return {c.name: c for c in columns}


COLUMNS: dict[str, Column] = _catalogue(
    # people and teams
    Column("manager_id", "Manager ID"),
    Column("manager_name", "Manager"),
    Column("person_id", "Person ID"),
    Column("name", "Person"),
    Column("role", "Role"),
    Column("rep_id", "Rep ID"),
    Column("rep_name", "Rep"),
    Column("performer_tier", "Performer tier", "text", "",
           "Low, core or top performer by attainment rank in the window (core: the middle band)."),
    Column("team_size", "Reps", "count", "reps", "Reps reporting to the manager on the as-of date."),
    Column("active_reps", "Reps now", "count", "reps", "Reps on the team on the as-of date."),
    Column("reps", "Reps in window (incl. leavers)", "count", "reps",
           "Everyone on the team at any time in the analysis window, leavers included."),
    # readiness
    Column("priority_rank", "Priority (1 = train first)", "count", "",
           "Leverage (team size and revenue relative to the average team) x readiness gap (100 minus "
           "the score), highest first."),
    Column("readiness_score", "Readiness score (0-100)", "number", "points",
           "Weighted mean of the assessed pillars; pillars without data are left out."),
    Column("tier", "Tier", "text", "", "Ready, developing or not ready, from the readiness score."),
    Column("barrier_point", "ADKAR barrier point", "text", "",
           "The first ADKAR dimension scored at or below the barrier threshold."),
    Column("pillars_assessed", "Pillars assessed", "count", "pillars"),
    Column("flags", "Flags"),
    Column("why", "Why"),
    Column("not_assessed", "Not assessed"),
    Column("pillar", "Pillar"),
    Column("score", "Score (0-100)", "score", "points"),
    Column("score_scale", "Scale", "score", "points"),
    Column("score_team_health", "Team health", "score", "points"),
    Column("score_modelling", "Modelling", "score", "points"),
    Column("score_buy_in", "Buy-in", "score", "points"),
    Column("score_coaching", "Coaching", "score", "points"),
    Column("score_results", "Results", "score", "points"),
    Column("team_revenue", "Team won revenue in window", "money"),
    Column("attrition_rate_shrunk", "Rep attrition (adjusted, per year)", "percent1", "per year",
           "Voluntary rep exits per person-year, shrunk toward the organisation's rate."),
    Column("attrition_low", "Attrition interval, low", "percent1", "per year"),
    Column("attrition_high", "Attrition interval, high", "percent1", "per year"),
    Column("replacement_cost", "Replacement cost of leavers", "money"),
    Column("manager_again", "Manager (priority)", "text", "",
           "The manager's name repeated where a printed page starts without it."),
    # training plan
    Column("wave", "Wave", "count"),
    Column("cohort", "Cohort"),
    Column("start_date", "Starts", "date"),
    Column("leaders", "Leaders", "count", "people"),
    Column("managers", "Front-line managers", "count", "people"),
    Column("total", "People", "count", "people"),
    Column("reps_trained", "Reps", "count", "people", "Reps trained in the wave."),
    Column("pilot", "Pilot", "flag", "", "The pilot cohort: trained first after the leaders."),
    Column("buy_in_session_date", "Buy-in session", "date", "",
           "A session before the training for a manager whose ADKAR barrier is awareness or desire."),
    Column("buy_in_sessions", "Buy-in sessions", "count", "managers"),
    Column("comparison_until", "Comparison until", "date", "",
           "The last day the wave's teams are the untreated comparison for earlier waves' teams."),
    # coaching
    Column("hours_per_rep_month", "Hours per rep per month", "hours", "hours per rep per month",
           "Coaching hours on exposure: reps count only for the months they were on the team."),
    Column("target_hours_per_rep_month", "Target hours per rep per month", "hours",
           "hours per rep per month"),
    Column("gap_hours_per_rep_month", "Gap, hours per rep per month", "hours", "hours per rep per month",
           "Shortfall against the target (zero at or above it)."),
    Column("gap_manager_hours_per_month", "Gap, manager hours per month", "hours", "hours per month",
           "Manager hours a month it would take to close the gap for the team now."),
    Column("coverage", "Coverage (% of reps coached)", "percent", "",
           "Share of the team's reps coached at least once in the window."),
    Column("monthly_coverage", "Monthly coverage (% of rep-months)", "percent"),
    Column("cadence_regularity", "Cadence (months with any coaching)", "percent"),
    Column("core_share", "Core performers' share of coaching time", "percent", "",
           "Share of coaching time spent on the middle band of performers, where coaching pays most."),
    Column("low_share", "Low performers' share of coaching time", "percent"),
    Column("sessions", "Sessions", "count", "sessions"),
    Column("avg_quality", "Average quality (1-5)", "number", "points"),
    Column("attainment", "Attainment", "percent"),
    Column("hours_per_month", "Coaching received, hours a month", "hours", "hours per month"),
    # ROI
    Column("scenario", "Scenario"),
    Column("uplift", "Uplift", "percent1", "", "Revenue uplift assumed for core performers coached."),
    Column("annual_benefit", "First-year benefit", "money", "", "Additional gross profit in year one."),
    Column("coaching_time_cost", "Coaching time cost", "money"),
    Column("training_cost", "Program cost", "money"),
    Column("program_cost", "Total cost", "money"),
    Column("net_benefit", "Net benefit", "money"),
    Column("roi_pct", "ROI", "percent_points", "percent"),
    Column("bcr", "Benefit-cost ratio", "ratio"),
    Column("core_revenue", "Core performers' yearly revenue", "money"),
    Column("hours_gained_per_rep_month", "Hours gained per rep-month", "hours", "hours per rep per month",
           "The team's gap x the share of the gap closed."),
    Column("dose", "Dose (share of the target gained)", "percent", "",
           "Hours gained / target hours: the share of the uplift the team can earn."),
    Column("benefit_conservative", "Benefit, conservative", "money"),
    Column("benefit_base", "Benefit, base", "money"),
    Column("benefit_upper", "Benefit, upper", "money"),
    Column("benefit_measured_here", "Benefit, measured here", "money"),
    # compensation
    Column("component", "Component"),
    Column("weight", "Share of target variable", "percent"),
    Column("measured_by", "Measured by"),
    Column("target_variable", "Target variable", "money"),
    Column("current_weights", "Current plan"),
    Column("proposed_weights", "Proposed plan"),
    Column("team_attainment", "Team attainment vs quota", "percent"),
    Column("team_development_attainment", "Team development attainment", "percent"),
    Column("payout_current_plan", "Payout, current plan", "money"),
    Column("payout_proposed_plan", "Payout, proposed plan", "money"),
    Column("payout_change", "Change", "money"),
    Column("payout_change_pct", "Change %", "percent1"),
    Column("risk_flag", "Change-management risk", "flag"),
    Column("coaching_hours", "Coaching hours vs target", "percent"),
    Column("coaching_coverage", "Coaching coverage", "percent"),
    Column("own_training", "Own training completed", "percent"),
    Column("team_retention", "Team retention vs organisation", "percent"),
    Column("team_development_weight", "Team development weight", "percent"),
    Column("managers_earning_more", "Earning more", "count", "managers"),
    Column("managers_earning_less", "Earning less", "count", "managers"),
    Column("managers_at_risk", "Change-management risk", "count", "managers"),
    # data quality
    Column("table", "Table"),
    Column("file", "File"),
    Column("rows_read", "Rows read", "count", "rows"),
    Column("rows_used", "Rows used", "count", "rows"),
    Column("rows_skipped", "Rows skipped", "count", "rows"),
    Column("status", "Status"),
    Column("severity", "Severity"),
    Column("row", "Row", "row"),
    Column("column", "Column"),
    Column("value", "Value"),
    Column("message", "Message"),
    Column("measure", "Measure"),
    # programme impact
    Column("completed_date", "Completed", "date"),
    Column("planned_start", "Planned start", "date"),
    Column("completion_month", "Completed in (month)"),
    Column("months_each_side", "Months before and after", "count", "months"),
    Column("hours_per_rep_before", "Coaching hours per rep, before", "hours", "hours per rep per month"),
    Column("hours_per_rep_after", "Coaching hours per rep, after", "hours", "hours per rep per month"),
    Column("coverage_before", "Reps coached per month, before", "percent"),
    Column("coverage_after", "Reps coached per month, after", "percent"),
    Column("attrition_before", "Voluntary attrition, before (per rep-year)", "percent"),
    Column("attrition_after", "Voluntary attrition, after (per rep-year)", "percent"),
    Column("core_attainment_before", "Core attainment, before", "percent"),
    Column("core_attainment_after", "Core attainment, after", "percent"),
    Column("measured_uplift", "Measured change", "percent1", "", "Trained teams against not-yet-trained teams."),
    Column("uplift_low", "Interval from", "percent1"),
    Column("uplift_high", "Interval to", "percent1"),
    Column("trained_teams", "Trained teams measured", "count", "teams"),
    Column("comparison_teams", "Teams not trained in the data", "count", "teams"),
)

TIER_LABELS = {"ready": "Ready", "developing": "Developing", "not_ready": "Not ready"}
ROLE_LABELS = {"leader": "Leader", "manager": "Front-line manager", "rep": "Rep"}
SEVERITY_LABELS = {"blocking": "Blocking", "warning": "Warning"}
PERFORMER_TIER_LABELS = {"low": "Low performer", "core": "Core performer", "top": "Top performer"}
# column -> how its coded values are written for a reader
CODE_LABELS: dict[str, dict[str, str]] = {
    "tier": TIER_LABELS, "performer_tier": PERFORMER_TIER_LABELS, "role": ROLE_LABELS, "severity": SEVERITY_LABELS, "scenario": SCENARIO_LABELS,
}


def label(name: str) -> str:
    """The column's header; an uncatalogued column gets its name in words."""
    column = COLUMNS.get(name)
    if column:
        return column.label
    words = name.replace("_", " ")
    return words[:1].upper() + words[1:]      # "HR" and "L&D" stay as written


def kind(name: str) -> str:
    column = COLUMNS.get(name)
    return column.kind if column else "text"


def labels(names: list[str] | tuple[str, ...]) -> dict[str, str]:
    """name -> header for these columns, in order (for DataFrame.rename)."""
    return {name: label(name) for name in names}


# The columns each table shows, in order, wherever it is shown (notebooks, explorer).
SHOWN: dict[str, tuple[str | tuple[str, str], ...]] = {
    "row_counts": ("table", "file", "rows_read", "rows_used", "rows_skipped", "status"),
    "data_issues": ("severity", "table", "file", "row", "column", "value", "message"),
    "readiness": ("priority_rank", "manager_name", "team_size", "readiness_score", "tier",
                  "barrier_point", "pillars_assessed", "flags"),
    "pillars": ("manager_name", "score_scale", "score_team_health", "score_modelling", "score_buy_in",
                "score_coaching", "score_results"),
    "waves": ("wave", "start_date", "leaders", "managers", ("reps", "reps_trained"), "total", "pilot",
              "buy_in_sessions", "comparison_until"),
    "coaching_gaps": ("manager_name", "active_reps", "reps", "hours_per_rep_month",
                      "gap_hours_per_rep_month", "gap_manager_hours_per_month", "coverage", "core_share",
                      "low_share"),
    "roi": ("scenario", "uplift", "annual_benefit", "coaching_time_cost", "training_cost", "program_cost",
            "net_benefit", "roi_pct", "bcr"),
    "roi_by_manager": ("manager_name", "core_revenue", "gap_hours_per_rep_month",
                       "hours_gained_per_rep_month", "dose", "benefit_conservative", "benefit_base",
                       "benefit_upper"),
    "template": ("component", "weight", "measured_by"),
    "compensation": ("manager_name", "target_variable", "current_weights", "proposed_weights",
                     "team_attainment", "team_development_attainment", "payout_current_plan",
                     "payout_proposed_plan", "payout_change", "payout_change_pct", "risk_flag"),
    "measures": ("manager_name", "coaching_hours", "coaching_coverage", "own_training", "team_retention",
                 "team_development_attainment"),
    "sensitivity": ("team_development_weight", "payout_current_plan", "payout_proposed_plan",
                    "payout_change", "managers_earning_more", "managers_earning_less", "managers_at_risk"),
    "team": ("rep_name", "performer_tier", "attainment", "hours_per_month", "wave"),
    "pillar_scores": ("pillar", "score", "status"),
    "impact_events": ("person_id", "name", "completed_date", "status", "planned_start"),
    "impact": ("measure", ("uplift", "measured_uplift"), "uplift_low", "uplift_high", "trained_teams", "comparison_teams"),
    "impact_by_manager": ("manager_name", "completed_date", "months_each_side", "hours_per_rep_before",
                          "hours_per_rep_after", "core_attainment_before", "core_attainment_after"),
    "impact_windows": ("manager_name", "completed_date", "months_each_side", "hours_per_rep_before",
                       "hours_per_rep_after", "coverage_before", "coverage_after", "core_attainment_before",
                       "core_attainment_after", "attrition_before", "attrition_after"),
    "impact_by_cohort": (("cohort", "completion_month"), "managers", "months_each_side", "hours_per_rep_before",
                         "hours_per_rep_after", "core_attainment_before", "core_attainment_after"),
}
