"""Labels clients use, mapped to canonical values (keys are normalised labels)."""

# CRM stages -> won / lost / open. Default pipelines of Salesforce, HubSpot (labels and internal ids),
# Dynamics 365 (stages and status reasons), Pipedrive and Zoho, plus common custom labels. Matching is
# on normalised labels (see labels.map_labels): '6 - Closed Won' and 'Closed-Lost to Competition' find
# 'closed won' / 'closed lost'; a bare 'closed' only counts when nothing more specific does.
STAGE = {
    # won
    "won": "won", "win": "won", "closed won": "won", "closed win": "won", "closedwon": "won",
    "won closed": "won", "close won": "won", "booked": "won", "signed": "won", "placed": "won",
    "closed": "won",
    # lost
    "lost": "lost", "loss": "lost", "closed lost": "lost", "closedlost": "lost", "lost closed": "lost",
    "close lost": "lost", "dead": "lost", "disqualified": "lost", "no decision": "lost",
    "cancelled": "lost", "canceled": "lost", "out sold": "lost", "outsold": "lost",
    # open: generic and forecast categories
    "open": "open", "pipeline": "open", "commit": "open", "upside": "open", "best case": "open",
    "forecast": "open", "in progress": "open", "on hold": "open", "contracting": "open",
    "qualified": "open", "proposal": "open", "negotiation": "open",
    # open: Salesforce / Zoho
    "prospecting": "open", "qualification": "open", "needs analysis": "open",
    "value proposition": "open", "id decision makers": "open", "identify decision makers": "open",
    "perception analysis": "open", "proposal price quote": "open", "negotiation review": "open",
    "engaging": "open", "discovery": "open",
    # open: HubSpot
    "appointment scheduled": "open", "appointmentscheduled": "open", "qualified to buy": "open",
    "qualifiedtobuy": "open", "presentation scheduled": "open", "presentationscheduled": "open",
    "decision maker bought in": "open", "decisionmakerboughtin": "open", "contract sent": "open",
    "contractsent": "open",
    # open: Dynamics 365 business process stages
    "qualify": "open", "develop": "open", "propose": "open", "close": "open",
    # open: Pipedrive
    "lead in": "open", "contact made": "open", "needs defined": "open", "demo scheduled": "open",
    "proposal made": "open", "negotiations started": "open",
}

ROLE = {
    "rep": "rep", "sales rep": "rep", "account executive": "rep", "ae": "rep", "sdr": "rep",
    "bdr": "rep", "recruiter": "rep", "account manager": "rep", "sales representative": "rep",
    "seller": "rep", "individual contributor": "rep", "ic": "rep", "consultant": "rep",
    "manager": "manager", "sales manager": "manager", "front line manager": "manager",
    "first line manager": "manager", "flm": "manager", "team lead": "manager", "team leader": "manager",
    "leader": "leader", "director": "leader", "vp": "leader", "vice president": "leader",
    "head of sales": "leader", "cro": "leader", "svp": "leader", "rvp": "leader",
}

TERMINATION = {
    "voluntary": "voluntary", "resigned": "voluntary", "resignation": "voluntary", "quit": "voluntary",
    "retired": "voluntary", "left": "voluntary", "vol": "voluntary",
    "involuntary": "involuntary", "terminated": "involuntary", "termination": "involuntary",
    "fired": "involuntary", "dismissed": "involuntary", "laid off": "involuntary",
    "layoff": "involuntary", "redundancy": "involuntary", "performance": "involuntary",
    "invol": "involuntary",
}

TRAINING_STATUS = {
    "completed": "completed", "complete": "completed", "done": "completed", "passed": "completed",
    "finished": "completed", "attended": "completed",
    "in progress": "in_progress", "started": "in_progress", "in_progress": "in_progress",
    "ongoing": "in_progress", "enrolled": "not_started", "registered": "not_started",
    "not started": "not_started", "assigned": "not_started", "not_started": "not_started",
    "failed": "in_progress", "incomplete": "in_progress",
    "not completed": "in_progress", "not complete": "in_progress", "uncompleted": "in_progress",
    "not finished": "in_progress", "unfinished": "in_progress", "not passed": "in_progress",
    "not attended": "not_started", "did not attend": "not_started", "no show": "not_started",
}

ADKAR_DIMENSION = {
    "awareness": "awareness", "desire": "desire", "knowledge": "knowledge", "ability": "ability",
    "reinforcement": "reinforcement",
}

ACTIVITY = {
    "deal review": "deal_review", "deal_review": "deal_review", "pipeline review": "deal_review",
    "opportunity review": "deal_review", "forecast review": "deal_review",
    "skill coaching": "skill_coaching", "skills coaching": "skill_coaching", "skill": "skill_coaching",
    "role play": "skill_coaching", "roleplay": "skill_coaching", "call review": "skill_coaching",
    "joint call": "joint_call", "ride along": "joint_call", "field visit": "joint_call",
    "joint visit": "joint_call", "co call": "joint_call",
    "one on one": "one_on_one", "1 1": "one_on_one", "1on1": "one_on_one", "one_on_one": "one_on_one",
    "check in": "one_on_one",
}

ENUMS = {
    ("people", "role"): (ROLE, None),
    ("people", "termination_type"): (TERMINATION, None),
    ("sales", "stage"): (STAGE, "open"),
    ("training", "status"): (TRAINING_STATUS, None),
    ("survey", "dimension"): (ADKAR_DIMENSION, None),
    ("coaching", "activity"): (ACTIVITY, "other"),
}
