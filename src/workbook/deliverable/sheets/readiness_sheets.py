"""Manager Readiness and Training Plan sheets: the names other modules import, and register().

The sheets themselves are built in manager_readiness_sheet.py and training_plan_sheet.py.
"""

from __future__ import annotations

from workbook.deliverable.sheets.manager_readiness_sheet import (
    PILLAR_HEADERS,
    READINESS_TITLE,
    build_manager_readiness,
    readiness_summary,
    readiness_table,
    tier_sentence,
)
from workbook.deliverable.sheets.training_plan_sheet import (
    PLAN_TITLE,
    build_training_plan,
    plan_summary,
    plan_table,
    print_scale,
)

__all__ = ["PILLAR_HEADERS", "PLAN_TITLE", "READINESS_TITLE", "build_manager_readiness",
           "build_training_plan", "plan_summary", "plan_table", "print_scale", "readiness_summary",
           "readiness_table", "register", "tier_sentence"]


def register() -> None:
    """Attach both builders to the deliverable registry (call once, e.g. from the runner)."""
    from workbook.deliverable.registry import register as register_sheet

    register_sheet(READINESS_TITLE, build_manager_readiness)
    register_sheet(PLAN_TITLE, build_training_plan)
