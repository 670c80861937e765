"""What moved since the previous successful run of the same engagement.

Pure: the previous run's result tables and this run's, in; one row per change
out (changes.csv and the "Changes Since Last Run" sheet). `better` says which
way a change points for the client (True good, False bad, None neutral) so
the sheet can colour it.
"""

from __future__ import annotations

import pandas as pd

CHANGE_COLUMNS = ["change", "person_id", "name", "measure", "before", "after", "delta", "direction",
                  "better"]
TIER_ORDER = {"not_ready": 0, "developing": 1, "ready": 2}
SCORE_TOLERANCE = 0.1      # readiness points
GAP_TOLERANCE = 0.05       # hours per rep per month


def changes_since(previous: dict[str, pd.DataFrame], current: dict[str, pd.DataFrame]) -> pd.DataFrame:
    rows: list[dict] = []
    rows += _managers(previous.get("manager_readiness"), current.get("manager_readiness"))
    rows += _coaching(previous.get("coaching_gaps"), current.get("coaching_gaps"))
    rows += _plan(previous.get("training_plan"), current.get("training_plan"))
    frame = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    order = {"manager added": 0, "manager removed": 1, "moved to another leader": 2, "tier": 3,
             "readiness score": 4, "team size": 5, "coaching gap": 6, "moved to another manager": 7,
             "training wave": 8}
    if frame.empty:
        return frame
    frame["_order"] = frame["change"].map(order).fillna(9)
    return frame.sort_values(["_order", "name", "person_id"], kind="stable").drop(columns="_order") \
        .reset_index(drop=True)


def _row(change, pid, name, measure, before, after, better=None, direction=None) -> dict:
    delta = None
    if isinstance(before, (int, float)) and isinstance(after, (int, float)) \
            and not pd.isna(before) and not pd.isna(after):
        delta = float(after) - float(before)
        direction = direction or ("up" if delta > 0 else "down")
    return {"change": change, "person_id": pid, "name": name, "measure": measure,
            "before": before, "after": after, "delta": delta, "direction": direction or "changed",
            "better": better}


def _indexed(frame: pd.DataFrame | None, key: str) -> pd.DataFrame | None:
    if frame is None or frame.empty or key not in frame.columns:
        return None
    return frame.assign(**{key: frame[key].astype(str)}).drop_duplicates(key).set_index(key)


def _managers(prev: pd.DataFrame | None, cur: pd.DataFrame | None) -> list[dict]:
    prev, cur = _indexed(prev, "manager_id"), _indexed(cur, "manager_id")
    if prev is None or cur is None:
        return []
    rows = []
    for mid in sorted(set(cur.index) - set(prev.index)):
        rows.append(_row("manager added", mid, cur.at[mid, "manager_name"], "front-line manager", "",
                         "in post", None, "added"))
    for mid in sorted(set(prev.index) - set(cur.index)):
        rows.append(_row("manager removed", mid, prev.at[mid, "manager_name"], "front-line manager",
                         "in post", "", None, "removed"))
    for mid in sorted(set(prev.index) & set(cur.index)):
        name = cur.at[mid, "manager_name"]
        if "leader_id" in cur.columns and "leader_id" in prev.columns:
            before, after = _text(prev.at[mid, "leader_id"]), _text(cur.at[mid, "leader_id"])
            if before != after:
                rows.append(_row("moved to another leader", mid, name, "leader", before, after, None, "moved"))
        before, after = str(prev.at[mid, "tier"]), str(cur.at[mid, "tier"])
        if before != after:
            better = TIER_ORDER.get(after, 0) > TIER_ORDER.get(before, 0)
            rows.append(_row("tier", mid, name, "readiness tier", before, after, better,
                             "up" if better else "down"))
        before, after = float(prev.at[mid, "readiness_score"]), float(cur.at[mid, "readiness_score"])
        if abs(after - before) >= SCORE_TOLERANCE:
            rows.append(_row("readiness score", mid, name, "readiness score (0-100)", before, after,
                             after > before))
        before, after = int(prev.at[mid, "team_size"]), int(cur.at[mid, "team_size"])
        if before != after:
            rows.append(_row("team size", mid, name, "reps on the team", before, after, None))
    return rows


def _coaching(prev: pd.DataFrame | None, cur: pd.DataFrame | None) -> list[dict]:
    prev, cur = _indexed(prev, "manager_id"), _indexed(cur, "manager_id")
    if prev is None or cur is None:
        return []
    rows = []
    for mid in sorted(set(prev.index) & set(cur.index)):
        before = float(prev.at[mid, "gap_hours_per_rep_month"])
        after = float(cur.at[mid, "gap_hours_per_rep_month"])
        if abs(after - before) >= GAP_TOLERANCE:
            rows.append(_row("coaching gap", mid, cur.at[mid, "manager_name"],
                             "coaching gap, hours per rep per month", before, after, after < before))
    return rows


def _plan(prev: pd.DataFrame | None, cur: pd.DataFrame | None) -> list[dict]:
    prev, cur = _indexed(prev, "person_id"), _indexed(cur, "person_id")
    if prev is None or cur is None:
        return []
    rows = []
    for pid in sorted(set(prev.index) & set(cur.index)):
        name = cur.at[pid, "name"]
        before, after = _text(prev.at[pid, "manager_id"]), _text(cur.at[pid, "manager_id"])
        if before != after and str(cur.at[pid, "role"]) == "rep":
            rows.append(_row("moved to another manager", pid, name, "manager", before, after, None, "moved"))
        before, after = int(prev.at[pid, "wave"]), int(cur.at[pid, "wave"])
        if before != after:
            rows.append(_row("training wave", pid, name, "training wave", before, after, after < before,
                             "earlier" if after < before else "later"))
    return rows


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA else str(value)
