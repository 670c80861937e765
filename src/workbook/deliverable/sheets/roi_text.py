"""The ROI Model's words: the note on what the scenarios rest on, each input's explanation, the team
table's headers, and the sentences on what this client's own data says (the coaching-attainment link
and, when the run measured it, the programme's uplift)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbook.analyses.roi import MEASURED_SCENARIO, SCENARIO_LABELS, MeasuredUplift
from workbook.deliverable.sheets.coaching_sheets import coaching_link, slope_words

if TYPE_CHECKING:
    from workbook.deliverable.context import DeliverableContext

ROI_NOTE = (
    "These are scenarios, not promises. The uplift for core performers (the middle 60%) comes from "
    "published research, not from this client's data: 6-8% for a moderate improvement in coaching "
    "(CEB / Sales Executive Council: Dixon & Adamson, HBR 2011; SEC 'World-Class Sales Coaching' 2007), "
    "8% (Gartner 2021) and up to 19% for the best coaching (CEB / SEC 2011/2007; Gartner 2019). The "
    "uplift applies to core performers in proportion to the coaching their team would gain: a team's "
    "core revenue is weighted by its gap as a share of the target (a team already at the target has "
    "nothing to gain), is scaled by the share of the coaching gap actually closed, and counts gross "
    "profit, not revenue. ROI follows the Phillips method: first-year benefits only, fully loaded "
    "costs (program fees and the participants' time, nothing charged for those who have completed a "
    "program), the benefit adjusted for the share attributed to the program and the confidence in the "
    "estimate, ROI % = net benefit / total cost x 100. Change the yellow cells on the Assumptions sheet "
    "to test other values; the figures below recalculate."
)
INPUT_NOTES = {
    "core_revenue_usd": "The sum of the teams' dose-weighted revenue in the table below: won revenue of "
                        "core-tier reps still on staff at the as-of date, each annualised over the months "
                        "on the team, weighted by the share of the target coaching hours their team gains "
                        "by closing its gap (0 at or above the target).",
    "gap_hours_per_year": "Coaching Gaps: manager hours per month needed to bring every team to the "
                          "target, x 12.",
    "managers_to_train": "Front-line managers in post without a completed coaching program in the "
                         "training records (every manager when there are none). The Training Plan "
                         "schedules everyone with their team; those who completed are not charged again.",
    "reps_to_train": "Reps in post without a completed reps' sales program (every rep of a team whose "
                     "completion is unknown).",
}
CONTEXT_INPUT = ("core_revenue_all_usd", "All core performers' yearly revenue, for context ({currency})",
                 "Every core-tier rep still on staff, whatever the manager's coaching; not used in the "
                 "model, since teams at the target have no gap to close.")
TEAM_HEADERS = {"manager_id": "Manager ID", "manager_name": "Manager",
                "core_revenue": "Core performers' yearly revenue", "gap_hours_per_rep_month":
                "Gap, hours per rep per month", "dose_full_gap": "Dose: share of the target gained",
                "weighted": "Dose-weighted revenue"}


def measured(ctx: DeliverableContext) -> MeasuredUplift | None:
    """The uplift measured in this engagement's data, when the run made it a scenario."""
    scenarios, frame = ctx.results.get("roi_scenarios"), ctx.results.get("roi_inputs")
    if scenarios is None or frame is None or frame.empty or "scenario" not in scenarios \
            or not scenarios["scenario"].astype(str).eq(MEASURED_SCENARIO).any():
        return None
    return MeasuredUplift.from_inputs(frame.iloc[0].to_dict())


MEASURED_LABEL = "Core-performer uplift measured here (%)"


def measured_note(m: MeasuredUplift) -> str:
    """Beside the scenarios: what the fourth scenario rests on and how it is applied."""
    return (f"{SCENARIO_LABELS[MEASURED_SCENARIO]}: the uplift in core performers' attainment measured in "
            f"this engagement's data (Programme Impact sheet), trained teams against teams not yet trained; "
            f"its {m.level:.0%} interval excludes zero. It is applied exactly as the published uplifts are "
            "(dose-weighted core revenue, share of the gap closed, gross margin, attribution and "
            f"confidence). It was measured on the {m.trained_teams} team(s) already trained, not on the "
            "teams still to train, who may gain more or less.")


def roi_evidence_sentence(ctx: DeliverableContext) -> str:
    """What the client's own data says about coaching and attainment, next to the ROI scenarios."""
    sentence = _link_sentence(ctx)
    if measured(ctx) is not None:
        sentence += (f" The '{SCENARIO_LABELS[MEASURED_SCENARIO]}' scenario rests on this client's own data: "
                     "the programme's measured effect on core performers' attainment.")
    return sentence


def _link_sentence(ctx: DeliverableContext) -> str:
    r = coaching_link(ctx)
    if r is None:
        return ("This client's data could not show whether more coaching goes with higher attainment "
                "(it needs coaching and sales for enough reps); the scenarios rest on published "
                "research, not on this client's data.")
    slope, ci = slope_words(r)
    measured = f"slope {slope}, {ci}, across {int(r['n'])} reps"
    if r["ci_low"] > 0:
        return (f"In this data, reps who get more coaching reach higher attainment ({measured}): an "
                "association consistent with the published uplift, not proof of it; the scenarios "
                "still rest on published research.")
    if r["ci_high"] < 0:
        return (f"In this data, reps who get more coaching show lower attainment ({measured}), perhaps "
                "because managers coach the reps who struggle: the data does not support the uplift, "
                "and the scenarios rest on published research, not on this client's data.")
    return (f"In this data, more coaching is not yet visibly linked to attainment ({measured}); the "
            "scenarios rest on published research, not on this client's data.")
