"""Ownership: who owns reinforcement and coaching today, and why it should be the sales manager.

Reads what the consultant heard in interviews (engagement.yaml
`ownership.current_owner`, any of hr | l_and_d | committee | sales_leadership |
front_line_managers | none, or not recorded) and what the data shows: whether
any front-line manager's pay has a coaching, training or development
component today, and whether training completion is tracked. The
recommendation is always the method's fifth point (METHOD-NOTES, "the
argument"): one owner, the front-line sales manager, held accountable through
the compensation plan — not "ownership by committee". The RACI names exactly
one Accountable per activity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from workbook.analyses.compensation import WEIGHT_PREFIX, component_label, is_development

ROLES = ("Sales leadership", "Front-line managers", "L&D", "HR", "Reps")
ACTIVITIES = ("Needs analysis", "Program delivery", "Reinforcement and coaching", "Measurement",
              "Compensation tie-in")
# activity -> role -> R / A / C / I ("A/R": accountable and does the work)
RACI: dict[str, dict[str, str]] = {
    "Needs analysis": {"Sales leadership": "A", "Front-line managers": "C", "L&D": "R", "HR": "I",
                       "Reps": "C"},
    "Program delivery": {"Sales leadership": "I", "Front-line managers": "R", "L&D": "A/R", "HR": "I",
                         "Reps": "I"},
    "Reinforcement and coaching": {"Sales leadership": "C", "Front-line managers": "A/R", "L&D": "C",
                                   "HR": "I", "Reps": "C"},
    "Measurement": {"Sales leadership": "A", "Front-line managers": "R", "L&D": "R", "HR": "C",
                    "Reps": "I"},
    "Compensation tie-in": {"Sales leadership": "A", "Front-line managers": "C", "L&D": "I", "HR": "R",
                            "Reps": "I"},
}
RACI_NOTES = {
    "Needs analysis": "Leadership sets the goal; L&D runs the analysis with managers' and reps' input.",
    "Program delivery": "L&D delivers; managers take the program first and co-deliver it to their reps.",
    "Reinforcement and coaching": "The front-line manager owns it: weekly coaching to the program, "
                                  "paid for through the team-development component.",
    "Measurement": "Leadership reviews the objective team-development measures each quarter.",
    "Compensation tie-in": "HR and compensation design the budget-neutral change; leadership signs off.",
}
RACI_LEGEND = ("R = responsible (does the work), A = accountable (one per activity; signs off and "
               "answers for it), C = consulted, I = informed.")

OWNER_LABELS = {
    "hr": "HR", "l_and_d": "Learning & Development (L&D)", "committee": "a committee",
    "sales_leadership": "sales leadership", "front_line_managers": "the front-line sales managers",
    "none": "no one",
}
SOURCES = (
    "Why train the managers first (the Methodology sheet), Ownership: one owner, the sales manager, "
    "held accountable through the compensation plan — not ownership by committee; and Modelling: reps "
    "do what their manager does, or adoption fades after the classroom.",
    "Performio (compensation-software vendor, practitioner guidance): manager plans with more than "
    "three measures or components under about 20% lose focus — so team development is one real "
    "component of pay, not a sliver.",
    "ZS (consultancy) and Forma.ai (vendor): subjective MBOs become disguised base pay — measure team "
    "development objectively (coaching logged, own training completed, retention). ZS: where coaching "
    "matters, pay managers on their reps' performance against goal, not team volume alone.",
)


RECOMMENDATION_SHORT = ("The front-line sales manager owns reinforcement and coaching, held to it in "
                        "their pay plan; leadership owns the program's goal, L&D its delivery")


@dataclass
class Ownership:
    current_owner: str | None
    finding: str
    recommendation: str
    evidence: list[str] = field(default_factory=list)
    raci: pd.DataFrame = field(default_factory=pd.DataFrame)
    facts: dict[str, Any] = field(default_factory=dict)

    def summary_frame(self) -> pd.DataFrame:
        """ownership.csv: one row."""
        return pd.DataFrame([{
            "current_owner": self.current_owner or "not recorded",
            "current_owner_label": owner_label(self.current_owner),
            "finding": self.finding, "recommendation": self.recommendation,
            "recommendation_short": RECOMMENDATION_SHORT,
            "evidence": "\n".join(self.evidence),
            **{k: v for k, v in self.facts.items() if not isinstance(v, (list, dict))},
        }])


def owner_label(owner: str | None) -> str:
    return OWNER_LABELS.get(owner or "", "not recorded")


def raci_table() -> pd.DataFrame:
    """Activities x roles, one Accountable per activity, with a note per activity."""
    rows = [{"activity": a, **RACI[a], "note": RACI_NOTES[a]} for a in ACTIVITIES]
    return pd.DataFrame(rows, columns=["activity", *ROLES, "note"])


def development_pay(compensation: pd.DataFrame | None, manager_ids: Sequence[Any]) -> dict[str, Any]:
    """How many front-line managers have a coaching / training / development / MBO component today."""
    if compensation is None:
        return {"comp_assessed": False}
    plans = compensation[compensation["person_id"].astype("object").isin(list(manager_ids))]
    columns = [c for c in compensation.columns if c.startswith(WEIGHT_PREFIX)
               and is_development(c[len(WEIGHT_PREFIX):])]
    with_component = pd.Series(False, index=plans.index)
    for c in columns:
        with_component |= (pd.to_numeric(plans[c], errors="coerce").astype(float) > 0).fillna(False)
    return {"comp_assessed": True, "managers_with_plans": int(plans["person_id"].nunique()),
            "managers_with_development_pay": int(plans.loc[with_component, "person_id"].nunique()),
            "development_components": [component_label(c[len(WEIGHT_PREFIX):]) for c in columns]}


def training_tracking(training: pd.DataFrame | None) -> dict[str, Any]:
    """Is completion tracked (a status or completion date), and what share is completed."""
    if training is None:
        return {"training_assessed": False}
    facts: dict[str, Any] = {"training_assessed": True, "training_records": int(len(training))}
    if "status" in training.columns and training["status"].notna().any():
        status = training["status"].astype("string").str.strip().str.casefold()
        facts["completion_tracked"] = "status"
        facts["completed_share"] = float(status.isin(["completed", "complete"]).mean())
    elif "completed_date" in training.columns and training["completed_date"].notna().any():
        facts["completion_tracked"] = "completion date"
        facts["completed_share"] = float(training["completed_date"].notna().mean())
    else:
        facts["completion_tracked"] = ""
    return facts


FINDINGS = {
    "committee": ("Reinforcement and coaching are owned by a committee today: everyone is involved, so no "
                  "one is accountable when coaching lapses after the classroom — the \"ownership by "
                  "committee\" the method warns against."),
    "hr": ("HR owns the program today. HR can run the process but does not lead reps day to day, so "
           "reinforcement after the training depends on managers who are not accountable for it."),
    "l_and_d": ("Learning & Development owns the program today. L&D designs and delivers training well, "
                "but cannot coach reps week by week; without the managers accountable, adoption fades "
                "after the classroom."),
    "sales_leadership": ("Sales leadership owns the program today: close to the business, but too far "
                         "from individual reps to reinforce the program weekly; accountability has to "
                         "reach the front line."),
    "front_line_managers": ("The front-line sales managers already own reinforcement and coaching — the "
                            "right owner. What remains is to make that ownership measurable and to pay "
                            "for it."),
    "none": ("No one owns reinforcement and coaching today: training happens, and what follows it is "
             "left to chance."),
    None: ("Who owns reinforcement and coaching today was not recorded for this engagement (set "
           "ownership.current_owner in engagement.yaml after the interviews); the finding below rests "
           "on the data alone."),
}


def assess_ownership(current_owner: str | None, notes: str = "",
                     compensation: pd.DataFrame | None = None, training: pd.DataFrame | None = None,
                     manager_ids: Sequence[Any] = ()) -> Ownership:
    """The finding, the recommendation, the evidence and the RACI, for any owner value."""
    owner = current_owner if current_owner in OWNER_LABELS else None
    pay = development_pay(compensation, manager_ids)
    lms = training_tracking(training)
    finding = FINDINGS[owner]
    paid = pay.get("managers_with_development_pay", 0)
    with_plans = pay.get("managers_with_plans", 0)
    if pay["comp_assessed"]:
        if paid == 0:
            finding += (" No front-line manager's pay rewards coaching or team development today"
                        f" ({with_plans} plans reviewed), so nothing holds the manager to it.")
        else:
            finding += (f" {paid} of {with_plans} front-line managers have a development component in "
                        f"pay today ({', '.join(pay['development_components'])}).")
    if owner == "front_line_managers" and pay["comp_assessed"] and paid == with_plans and with_plans:
        recommendation = (
            "Keep the front-line sales manager as the single owner of reinforcement and coaching, and "
            "make the development component one measure with a real share of target variable (the "
            "Compensation sheet), scored on objective measures (coaching logged, own training, "
            "retention), budget-neutral.")
    else:
        keep = "Keep" if owner == "front_line_managers" else "Make"
        recommendation = (
            f"{keep} the front-line sales manager the single owner of reinforcement and coaching, held "
            "accountable through the compensation plan: one team-development component with a real "
            "share of target variable (the Compensation sheet), scored on objective measures (coaching logged, own training completed, "
            "team retention), with the same target incentive (budget-neutral; see the Compensation sheet). "
            "Sales leadership is accountable for the program's goal and measurement, L&D for delivery, "
            "HR for the plan change — one owner per activity, not ownership by committee.")
    evidence = [_owner_evidence(owner, notes)]
    if pay["comp_assessed"]:
        if paid:
            evidence.append(f"Compensation plans: {paid} of {with_plans} front-line managers have a "
                            f"coaching/development component ({', '.join(pay['development_components'])}).")
        else:
            evidence.append(f"Compensation plans: none of the {with_plans} front-line managers' plans has a "
                            "coaching, training or development component; pay rewards results only.")
    else:
        evidence.append("Compensation plans: not assessed — needs compensation (whether pay rewards "
                        "team development is unknown).")
    if lms["training_assessed"]:
        if lms.get("completion_tracked"):
            evidence.append(f"Training completion is tracked (by {lms['completion_tracked']}): "
                            f"{lms['completed_share']:.0%} of {lms['training_records']} training records "
                            "are completed — the own-training measure can be scored objectively.")
        else:
            evidence.append("Training records hold no status or completion date: completion is not "
                            "tracked, so own training cannot be scored until it is.")
    else:
        evidence.append("Training records: not assessed — needs training (completion tracking unknown).")
    # no assumption value is quoted here: the weight is live on the Compensation sheet, and this text
    # would not follow it when the client changes it
    evidence.extend(SOURCES)
    facts = {"current_owner_label": owner_label(owner), **pay, **lms}
    facts.pop("development_components", None)
    return Ownership(owner, finding, recommendation, evidence, raci_table(), facts)


def _owner_evidence(owner: str | None, notes: str) -> str:
    text = (f"Interviews: current owner recorded as {owner_label(owner)}." if owner
            else "Interviews: the current owner was not recorded.")
    notes = " ".join(str(notes or "").split())
    return text + (f" Notes: {notes}" if notes else "")


def accountable_per_activity(raci: pd.DataFrame) -> dict[str, list[str]]:
    """activity -> the roles marked Accountable (a check: exactly one each)."""
    roles = [r for r in ROLES if r in raci.columns]
    out = {}
    for _, row in raci.iterrows():
        out[row["activity"]] = [r for r in roles if "A" in str(row[r]).split("/")]
    return out
