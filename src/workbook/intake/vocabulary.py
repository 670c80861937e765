"""Labels clients use, mapped to canonical values (keys are normalised labels)."""

STAGE = {
    "won": "won", "closed won": "won", "closed win": "won", "booked": "won", "signed": "won",
    "placed": "won", "win": "won",
    "lost": "lost", "closed lost": "lost", "dead": "lost", "disqualified": "lost",
    "no decision": "lost", "cancelled": "lost", "canceled": "lost", "loss": "lost",
    "open": "open", "negotiation": "open", "proposal": "open", "qualification": "open",
    "qualified": "open", "prospecting": "open", "discovery": "open", "pipeline": "open",
    "commit": "open", "upside": "open", "best case": "open", "forecast": "open",
    "contracting": "open", "needs analysis": "open", "perception analysis": "open",
    "id decision makers": "open", "value proposition": "open", "closed": "won",
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
