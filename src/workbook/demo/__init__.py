"""The synthetic demo client: an IT-staffing firm with a planted story, exported like real systems.

`export.py` writes the engagement folder (files as messy as real exports), `org_data.py`
simulates the organisation and plants the story, `activity.py` its deals, coaching, training,
survey and comp plans, `follow_up.py` the same client six months later with a known programme
effect planted (`generate_demo(folder, follow_up=True)`).
"""

from workbook.demo.export import (
    ACCENTED_REP,
    CLIENT,
    COACHING_PROGRAM,
    FILES,
    INJECTION_TITLE,
    PLANTED_LOW_BUY_IN_ID,
    PLANTED_LOW_BUY_IN_NAME,
    PLANTED_NEAR_TARGET_ID,
    PLANTED_NEAR_TARGET_NAME,
    PLANTED_NO_SURVEY_IDS,
    PLANTED_STRONG_COACH_ID,
    PLANTED_STRONG_COACH_NAME,
    PLANTED_TEAM_OF_THREE_ID,
    PLANTED_TEAM_OF_THREE_NAME,
    PLANTED_WEAK_COACH_IDS,
    PLANTED_WEAK_COACH_NAMES,
    PLANTED_WEAK_MANAGER_ID,
    PLANTED_WEAK_MANAGER_NAME,
    SALES_PROGRAM,
    UNKNOWN_DEAL_OWNER,
    generate_demo,
)
from workbook.demo.follow_up import (
    FOLLOW_UP_MONTHS,
    PLANTED_ATTAINMENT_UPLIFT,
    PLANTED_COACHING_UPLIFT,
    PLANTED_RAMP_DAYS,
)

__all__ = ["generate_demo", "CLIENT", "PLANTED_WEAK_MANAGER_ID", "PLANTED_WEAK_MANAGER_NAME",
           "PLANTED_STRONG_COACH_ID", "PLANTED_STRONG_COACH_NAME", "PLANTED_WEAK_COACH_IDS",
           "PLANTED_WEAK_COACH_NAMES", "PLANTED_NO_SURVEY_IDS", "UNKNOWN_DEAL_OWNER", "ACCENTED_REP",
           "INJECTION_TITLE", "SALES_PROGRAM", "COACHING_PROGRAM", "FILES", "PLANTED_TEAM_OF_THREE_ID",
           "PLANTED_TEAM_OF_THREE_NAME", "PLANTED_LOW_BUY_IN_ID", "PLANTED_LOW_BUY_IN_NAME",
           "PLANTED_NEAR_TARGET_ID", "PLANTED_NEAR_TARGET_NAME", "FOLLOW_UP_MONTHS",
           "PLANTED_COACHING_UPLIFT", "PLANTED_ATTAINMENT_UPLIFT", "PLANTED_RAMP_DAYS"]
