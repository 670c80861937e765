"""What each canonical table must hold, declared once.

Each table is a pydantic model whose fields are the canonical columns; the
field metadata (kind, description, example, choices) drives cleaning in
`intake`, the checks that produce DataIssue rows, and the client data-request
workbook. Rows are validated column-wise (vectorised) from these
declarations, not one pydantic object per row: a CRM export has millions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

Kind = Literal["id", "name", "text", "date", "money", "number", "enum"]

ROLES = ("rep", "manager", "leader")
STAGES = ("won", "lost", "open")
TERMINATION_TYPES = ("voluntary", "involuntary")
TRAINING_STATUSES = ("completed", "in_progress", "not_started")
ADKAR = ("awareness", "desire", "knowledge", "ability", "reinforcement")
ACTIVITIES = ("deal_review", "skill_coaching", "joint_call", "one_on_one", "other")


def col(kind: Kind, description: str, example: str = "", *, required: bool = False,
        choices: tuple[str, ...] = (), one_of: str = "") -> object:
    """A canonical column. `one_of` groups alternatives (person_id or name): one is required."""
    return Field(
        default=None,
        description=description,
        json_schema_extra={"kind": kind, "example": example, "required": required,
                           "choices": list(choices), "one_of": one_of},
    )


class People(BaseModel):
    """The roster: everyone in the sales organisation, current and departed."""

    person_id: str | None = col("id", "Employee id, unique per person", "E1001", one_of="person")
    name: str | None = col("name", "Full name as used in the other systems", "Jane Doe", one_of="person")
    manager_id: str | None = col("id", "Employee id of the person's manager", "E1000")
    manager_name: str | None = col("name", "Manager's full name (when there is no manager id)", "John Roe")
    role: str | None = col("enum", "rep, manager or leader; derived from the org tree when absent",
                           "rep", choices=ROLES)
    title: str | None = col("text", "Job title", "Account Executive")
    hire_date: str | None = col("date", "Date the person joined", "2024-03-18")
    termination_date: str | None = col("date", "Date the person left (blank if still employed)", "")
    termination_type: str | None = col("enum", "voluntary or involuntary", "",
                                       choices=TERMINATION_TYPES)
    team: str | None = col("text", "Team name", "Enterprise East")
    region: str | None = col("text", "Region", "East")
    annual_quota: str | None = col("money", "Annual sales quota", "1200000")


class Sales(BaseModel):
    """CRM deals (opportunities) with their owner, close date, amount and stage."""

    rep_id: str | None = col("id", "Employee id of the deal owner", "E1001", one_of="rep")
    rep_name: str | None = col("name", "Deal owner's full name", "Jane Doe", one_of="rep")
    date: str | None = col("date", "Close date (or expected close date for open deals)", "2026-03-05",
                           required=True)
    amount: str | None = col("money", "Deal amount", "12500", required=True)
    stage: str | None = col("enum", "won, lost or open (labels such as 'Closed Won' are understood)",
                            "won", choices=STAGES)
    opportunity_id: str | None = col("id", "CRM opportunity id", "OPP-000123")
    quota: str | None = col("money", "The rep's quota for the deal's period, if the CRM carries it", "")


class Coaching(BaseModel):
    """Coaching log: one row per coaching session between a manager and a rep."""

    manager_id: str | None = col("id", "Coach's employee id", "E1000", one_of="manager")
    manager_name: str | None = col("name", "Coach's full name", "John Roe", one_of="manager")
    rep_id: str | None = col("id", "Rep's employee id", "E1001", one_of="rep")
    rep_name: str | None = col("name", "Rep's full name", "Jane Doe", one_of="rep")
    date: str | None = col("date", "Session date", "2026-04-14", required=True)
    minutes: str | None = col("number", "Session length in minutes (default from assumptions)", "45")
    activity: str | None = col("enum", "deal_review, skill_coaching, joint_call, one_on_one or other",
                               "skill_coaching", choices=ACTIVITIES)
    quality: str | None = col("number", "Session quality rating, 1-5", "4")


class Training(BaseModel):
    """LMS records: who took which program and whether they completed it."""

    person_id: str | None = col("id", "Learner's employee id", "E1001", one_of="person")
    name: str | None = col("name", "Learner's full name", "Jane Doe", one_of="person")
    program: str | None = col("text", "Program or course name", "Consultative Selling", required=True)
    status: str | None = col("enum", "completed, in_progress or not_started", "completed",
                             choices=TRAINING_STATUSES)
    completed_date: str | None = col("date", "Completion date", "2026-05-02")
    score: str | None = col("number", "Assessment score", "86")


class Survey(BaseModel):
    """Readiness survey, ADKAR: one row per person and dimension (long) or per person (wide)."""

    person_id: str | None = col("id", "Respondent's employee id", "E1000", one_of="person")
    name: str | None = col("name", "Respondent's full name", "John Roe", one_of="person")
    dimension: str | None = col("enum", "awareness, desire, knowledge, ability or reinforcement",
                                "desire", required=True, choices=ADKAR)
    score: str | None = col("number", "Score 1-5", "4", required=True)


class Compensation(BaseModel):
    """Current compensation plans, one row per person."""

    person_id: str | None = col("id", "Employee id", "E1000", one_of="person")
    name: str | None = col("name", "Full name", "John Roe", one_of="person")
    base_salary: str | None = col("money", "Annual base salary", "120000")
    target_variable: str | None = col("money", "Annual target variable pay at 100%", "60000")


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: Kind
    description: str
    example: str
    required: bool
    choices: tuple[str, ...]
    one_of: str


@dataclass(frozen=True)
class TableSpec:
    name: str
    model: type[BaseModel]
    extra_prefixes: tuple[str, ...] = ()   # e.g. weight_* on compensation

    @property
    def description(self) -> str:
        return (self.model.__doc__ or "").strip()

    @property
    def columns(self) -> list[ColumnSpec]:
        out = []
        for name, field in self.model.model_fields.items():
            extra = field.json_schema_extra or {}
            out.append(ColumnSpec(name, extra["kind"], field.description or "", extra["example"],
                                  extra["required"], tuple(extra["choices"]), extra["one_of"]))
        return out

    def column(self, name: str) -> ColumnSpec | None:
        for c in self.columns:
            if c.name == name:
                return c
        if any(name.startswith(p) for p in self.extra_prefixes):
            return ColumnSpec(name, "number", "Plan component weight (share of target variable)",
                              "0.7", False, (), "")
        return None

    def mappable_columns(self) -> list[str]:
        names = [c.name for c in self.columns]
        if self.name == "survey":
            names += list(ADKAR)   # wide surveys map one column per dimension
        return names + [f"{p}<name>" for p in self.extra_prefixes]

    def is_mappable(self, name: str) -> bool:
        return name in self.mappable_columns() or any(
            name.startswith(p) and len(name) > len(p) for p in self.extra_prefixes)

    def one_of_groups(self) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = {}
        for c in self.columns:
            if c.one_of:
                groups.setdefault(c.one_of, []).append(c.name)
        return groups


TABLE_SPECS: dict[str, TableSpec] = {
    "people": TableSpec("people", People),
    "sales": TableSpec("sales", Sales),
    "coaching": TableSpec("coaching", Coaching),
    "training": TableSpec("training", Training),
    "survey": TableSpec("survey", Survey),
    "compensation": TableSpec("compensation", Compensation, extra_prefixes=("weight_",)),
}
