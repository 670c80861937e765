"""The column headers the major systems export, per canonical table and column (for `workbook map`).

Headers are compared normalised (`header_words`): CamelCase split, accents folded, case, spaces,
underscores and punctuation ignored, so 'EmployeeNumber', 'employee_number' and 'Employee Number'
are one header. Per canonical column (`schema.TABLE_SPECS`):

- `exact`: headers systems export for exactly this column (full confidence from the name);
- `weak`: headers that usually mean it but not always (the values decide);
- `words`: word groups; a header holding every word of one (and no word that points elsewhere,
  such as 'customer' or 'id' for a name) is a candidate, e.g. 'awareness' in 'Awareness (1-5)'.

Sources: HRIS (Workday, BambooHR, ADP Workforce Now, SAP SuccessFactors, the IBM HR Attrition
dataset), CRM (Salesforce reports and Data Loader, HubSpot, Dynamics 365, Pipedrive, Zoho, the
Kaggle CRM 'sales_pipeline.csv'), LMS (Cornerstone, SuccessFactors Learning, Workday Learning,
Docebo), activity and call tools (Gong, Outreach, calendar exports) and survey tools (Qualtrics).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


def header_words(value: object) -> str:
    """'EmployeeNumber' / 'employee_number' / 'Employee  Number:' -> 'employee number'.

    'Employee #' reads as 'employee number', "Manager's Name" as 'managers name'."""
    text = str(value).replace("#", " number ").replace("'", "").replace("\u2019", "")
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", text)          # camelCase, EmpID
    text = re.sub(r"(?<=[A-Z])(?=[A-Z][a-z])", " ", text)        # HTTPServer -> HTTP Server
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


@dataclass(frozen=True)
class Terms:
    exact: frozenset[str]
    weak: frozenset[str]
    words: tuple[tuple[str, ...], ...]


def _terms(exact: str, weak: str = "", words: str = "") -> Terms:
    def split(text: str) -> list[str]:
        return [header_words(t) for t in text.split("|") if t.strip()]

    return Terms(frozenset(split(exact)), frozenset(split(weak)),
                 tuple(tuple(w.split()) for w in split(words)))


_PERSON_ID = ("employee id|employee number|employee no|emp id|emp no|emp number|eeid|ee id|eid"
              "|worker id|person id|personnel number|personnel id|staff id|staff number"
              "|associate id|file number|person id external|user id|badge id|employee code")
_PERSON_NAME = ("name|full name|employee name|employee full name|worker|worker name|legal name"
                "|preferred name|display name|associate name|person name|payroll name"
                "|employee legal name|name last first")

VOCABULARY: dict[str, dict[str, Terms]] = {
    "people": {
        "person_id": _terms(_PERSON_ID, "id|employee|user sys id|username",
                            "employee id|employee number|emp id|worker id|staff id"),
        "name": _terms(_PERSON_NAME, "employee|user|associate", "full name|employee name"),
        "manager_id": _terms(
            "manager id|manager employee id|manager employee number|manager emp id|supervisor id"
            "|supervisor eid|supervisor employee id|supervisor number|reports to id"
            "|reports to employee id|reports to associate id|manager associate id|manager user id"
            "|manager user sys id|manager number|line manager id|reporting manager id|mgr id"
            "|manager eeid|manager file number|manager person id",
            "", "manager id|supervisor id|reports to id|manager employee|manager number"),
        "manager_name": _terms(
            "manager|manager name|managers name|supervisor|supervisor name|supervisors name"
            "|reports to|reporting to|reports to name|line manager|direct manager|reporting manager"
            "|manager full name|mgr|mgr name|people manager", "",
            "manager name|supervisor name|reports to"),
        "role": _terms("role|sales role|org role|employee role|role type|sales org role",
                       "position type|job level name|management level", "role"),
        "title": _terms("title|job title|position|position title|business title|job|job name"
                        "|job profile|designation|job title description|position name|job role",
                        "job description|job code description|job family", "title"),
        "hire_date": _terms(
            "hire date|date of hire|original hire date|most recent hire date|latest hire date"
            "|hired|hired on|date hired|date joined|joining date|join date|date of joining"
            "|employment start date|hire dt|doh|continuous service date|seniority date|start date",
            "rehire date|first day", "hire date|date hired"),
        "termination_date": _terms(
            "termination date|term date|date of termination|termination effective date"
            "|separation date|exit date|leaving date|date left|left on|terminated on"
            "|last day worked|last working day|last day of work|employment end date"
            "|termination dt|departure date",
            "end date", "termination date|separation date|term date"),
        "termination_type": _terms(
            "termination type|term type|termination reason|termination reason description"
            "|primary termination reason|separation type|separation reason|reason for leaving"
            "|leaving reason|exit type|exit reason|term reason|termination category|turnover type"
            "|attrition type|voluntary involuntary", "", "termination reason|termination type"),
        "team": _terms("team|team name|sales team|department|dept|department name"
                       "|department description|home department|home department description"
                       "|supervisory organization|org unit|organization unit|sub department",
                       "division|organization|organisation|group",
                       "team|department"),
        "region": _terms("region|sales region|territory|sales territory|geo|geography|area|zone"
                         "|market|location|work location|office|office location"
                         "|location description|location name", "country|business unit",
                         "region|territory"),
        "annual_quota": _terms("annual quota|yearly quota|quota annual|fy quota|quota fy"
                               "|annual sales target|annual target|sales quota|quota amount"
                               "|bookings quota|quota", "target|sales target|revenue target",
                               "quota"),
    },
    "sales": {
        "rep_id": _terms(
            "owner id|opportunity owner id|deal owner id|rep id|sales rep id|salesperson id"
            "|seller id|owner employee id|owner user id|sales agent id|agent id|ae id"
            "|account executive id|deal owner employee id|recruiter id",
            "employee id|user id|hubspot owner id|owner alias", "owner id|rep id"),
        "rep_name": _terms(
            "opportunity owner|deal owner|owner|owner name|owner full name|opportunity owner name"
            "|deal owner name|sales rep|sales rep name|sales representative|salesperson"
            "|sales person|rep|rep name|account executive|ae|seller|sales agent|agent"
            "|assigned to|closed by|booked by|record owner|sales owner|recruiter",
            "account owner|account manager|user|employee|employee name|created by",
            "owner|sales rep|salesperson"),
        "date": _terms(
            "close date|closed date|closing date|won time|won date|date won|won on|closed on"
            "|actual close date|deal close date|close|booking date|booked date|placement date"
            "|sale date|date closed|closedate|deal won time|est close date|estimated close date",
            "expected close date|order date|invoice date"
            "|date|transaction date|signed date|contract date|created date|create date|created on",
            "close date|won date|won time"),
        "amount": _terms(
            "amount|deal amount|opportunity amount|value|deal value|close value|closed value"
            "|actual revenue|revenue|booking amount|bookings|sales amount|sale amount"
            "|amount converted|amount in company currency|amount usd|contract value"
            "|total contract value|tcv|acv|annual contract value|placement fee|fee amount"
            "|est revenue|estimated revenue",
            "total|total amount|net amount|order value"
            "|invoice amount|fee|expected revenue|arr|weighted amount|gross profit",
            "amount|revenue"),
        "stage": _terms(
            "stage|deal stage|opportunity stage|stage name|sales stage|pipeline stage|deal status"
            "|opportunity status|status reason|won lost|win loss|outcome",
            "status|result|state|forecast category", "stage|won lost"),
        "opportunity_id": _terms(
            "opportunity id|opp id|deal id|record id|opportunity number|deal number|crm id"
            "|placement id|do not modify opportunity",
            "id|opportunity|order id|order number|job order id", "opportunity id|deal id"),
        "quota": _terms("quota|rep quota|period quota|owner quota|quarterly quota|monthly quota",
                        "quota amount|target", "quota"),
    },
    "coaching": {
        "manager_id": _terms("coach id|manager id|coach employee id|observer id|supervisor id"
                             "|coach user id|evaluator id|reviewer id", "", "coach id"),
        "manager_name": _terms(
            "coach|coach name|coach full name|manager|manager name|coached by|observer|evaluator"
            "|supervisor|reviewer|reviewer name|organizer|organiser",
            "leader|host|session owner|owner", "coach|reviewer"),
        "rep_id": _terms("rep id|coachee id|seller id|participant id|attendee id|reviewee id"
                         "|reviewed user id|team member id|employee id", "user id", "rep id"),
        "rep_name": _terms(
            "rep|rep name|coachee|coachee name|seller|sales rep|employee|employee name"
            "|participant|attendee|team member|direct report|reviewee|reviewed user"
            "|person coached|coached rep|call owner",
            "user|required attendees|attendees", "coachee|reviewed user|team member"),
        "date": _terms("date|session date|coaching date|meeting date|activity date|date of session"
                       "|review date|call date|start date|scheduled date|feedback date",
                       "start time|date time|datetime|timestamp|created|created date",
                       "date"),
        "minutes": _terms("minutes|duration|duration minutes|duration min|duration mins|mins"
                          "|length|length minutes|session length|time spent|time spent minutes"
                          "|meeting duration|session minutes|coaching minutes|listening time",
                          "call duration", "minutes|duration"),
        "activity": _terms("activity|activity type|session type|coaching type|type|meeting type"
                           "|coaching activity|interaction type|format|scorecard",
                           "category|focus|focus area|topic|subject", "activity|session type"),
        "quality": _terms("quality|quality rating|quality score|session rating|session quality"
                          "|rating|effectiveness|usefulness|overall score|feedback score",
                          "score", "quality|rating"),
    },
    "training": {
        "person_id": _terms(_PERSON_ID + "|learner id|participant id|student id|user employee id",
                            "id", "user id|learner id|employee id"),
        "name": _terms(_PERSON_NAME + "|user full name|learner|learner name|participant"
                       "|participant name|student|student name|attendee|attendee name",
                       "user name|user|employee", "full name|learner"),
        "program": _terms(
            "training title|training|training name|course|course name|course title|program"
            "|programme|program name|programme name|curriculum|curriculum title|module"
            "|module name|item title|learning item|learning content|content title|class name"
            "|lo title|learning object title|workshop",
            "title|class|activity name|session name|item description",
            "course|program|programme|curriculum|training title"),
        "status": _terms("transcript status|status|completion status|enrollment status"
                         "|enrolment status|training status|registration status|learner status"
                         "|course status|progress", "completion|result", "status"),
        "completed_date": _terms(
            "completion date|completed date|date completed|completed on|completed at"
            "|transcript completed date|training completion date|date of completion|finish date"
            "|completion date time|passed date|attended date",
            "end date|training date|session date|date", "completion date|completed date"),
        "score": _terms("score|assessment score|test score|exam score|quiz score|final score"
                        "|grade|mark|points|percentage|score percent", "result", "score"),
    },
    "survey": {
        "person_id": _terms(_PERSON_ID + "|respondent id|participant id|external reference"
                            "|external data reference", "id|response id", "respondent id"),
        "name": _terms(_PERSON_NAME + "|respondent|respondent name|participant|recipient name",
                       "", "respondent"),
        "dimension": _terms("dimension|adkar dimension|adkar element|element|adkar stage|construct"
                            "|factor", "category|question category|competency|area|pillar"
                            "|question", "dimension"),
        "score": _terms("score|rating|adkar score|response|likert|answer", "value|points",
                        "score|rating"),
        **{dim: _terms(f"{dim}|{dim} score|{dim} rating|adkar {dim}|{dim} avg", "", dim)
           for dim in ("awareness", "desire", "knowledge", "ability", "reinforcement")},
    },
    "compensation": {
        "person_id": _terms(_PERSON_ID, "id|employee", "employee id|employee number"),
        "name": _terms(_PERSON_NAME, "employee", "full name|employee name"),
        "base_salary": _terms(
            "base salary|annual base salary|base pay|annual base pay|salary|base|annual salary"
            "|total base pay annualized|base salary annual|annual rate|fixed pay|base comp"
            "|annual base", "", "base salary|base pay|salary"),
        "target_variable": _terms(
            "target variable|target incentive|target bonus|variable target|target commission"
            "|variable pay target|target variable pay|incentive target|target incentive amount"
            "|variable at target|annual target incentive|bonus target|commission target"
            "|target variable compensation|tv|tvp|variable", "variable pay|incentive|bonus",
            "target variable|target incentive|target bonus|target commission"),
    },
}

# Words that make a header about something else than the sales organisation's people: 'Account
# Name', 'Customer Full Name', 'Product Name' are never a person's name (word groups only; a header
# listed as exact, such as 'Supervisory Organization', still matches).
FOREIGN_WORDS = frozenset(
    "account customer client company contact product item sku vendor supplier partner lead campaign"
    " prospect organization organisation org file document email phone address city street zip"
    " postal price cost".split())

# A word group does not match a header that names another kind of value.
KIND_WORDS = {
    "id": frozenset("id ids number no code key guid eid".split()),
    "date": frozenset("date time dt day year month".split()),
    "enum": frozenset("type status category stage reason".split()),
}

# Plausible ranges for numbers: values outside lower the confidence.
RANGES = {
    ("coaching", "minutes"): (1, 600),
    ("coaching", "quality"): (0, 10),
    ("training", "score"): (0, 1000),
    ("survey", "score"): (0, 10),
    **{("survey", dim): (0, 10)
       for dim in ("awareness", "desire", "knowledge", "ability", "reinforcement")},
}

# Beyond the columns that identify a person, what a table needs before a file is taken for it:
# a list of names with ids is not yet a roster, an id column with salaries is a comp file.
SIGNATURE = {
    "people": ("manager_id", "manager_name", "role", "title", "hire_date", "termination_date",
               "termination_type", "team", "region", "annual_quota"),
    "compensation": ("base_salary", "target_variable", "weight_"),
}

# Headers the toolkit cannot map as they are, with what to do about them.
_HALF_NAME = "half of a name in two columns: name is the full name; map the id, or join them"
NOTES = {
    "monthly income": "monthly pay: base_salary is annual (x12 in a prepare step)",
    "monthly salary": "monthly pay: base_salary is annual (x12 in a prepare step)",
    **{f"{prefix}{part}": _HALF_NAME
       for part in ("first name", "last name", "firstname", "lastname")
       for prefix in ("", "legal ", "user ", "preferred ", "employee ")},
    "ote": "on-target earnings are base + variable: target_variable is the variable part only",
    "on target earnings": "on-target earnings are base + variable: target_variable is the "
                          "variable part only",
    "duration seconds": "seconds: minutes is in minutes (/60 in a prepare step)",
    "duration hours": "hours: minutes is in minutes (x60 in a prepare step)",
    "attrition": "a yes/no flag, not a leaving date: termination_date needs the date",
}

WEIGHT_FILLER = frozenset("weight weighting plan component pct percent share of".split())


def weight_column(words: str) -> str | None:
    """'Weight Revenue' / 'Revenue weight %' / 'Plan Component Weight - Margin' -> 'weight_...'."""
    tokens = words.split()
    if "weight" not in tokens and "weighting" not in tokens:
        return None
    rest = [t for t in tokens if t not in WEIGHT_FILLER]
    return "weight_" + "_".join(rest) if rest else None
