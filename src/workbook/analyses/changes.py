"""What moved since the previous successful run of the same engagement.

Pure: the previous run's result tables and this run's, in; one row per change
out (changes.csv and the "Changes Since Last Run" sheet). `better` says which
way a change points for the client (True good, False bad, None neutral) so
the sheet can colour it.

The programme view: front-line managers who completed the manager programme
since the previous run (impact_events.csv: completed now, not completed or
absent then), with their completion date and the coaching hours per rep in
matched months before and after it (impact_by_manager.csv; blank, "not enough
months yet", until there are whole months on both sides). A previous run that
did not record completions (no impact_events.csv) cannot tell new completions
from old: only those dated after its as-of date are listed when that date is
known (manifest.json's `as_of`), none otherwise — never everyone.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

CHANGE_COLUMNS = ["change", "person_id", "name", "measure", "before", "after", "delta", "direction",
                  "better", "completed_date", "months_each_side", "hours_per_rep_before",
                  "hours_per_rep_after", "note"]
COMPLETED = "completed the manager programme"
NOT_ENOUGH_MONTHS = "not enough months yet"
NOT_IN_PREVIOUS = "not in the previous run"
TIER_ORDER = {"not_ready": 0, "developing": 1, "ready": 2}
SCORE_TOLERANCE = 0.1      # readiness points
GAP_TOLERANCE = 0.05       # hours per rep per month


def changes_since(previous: dict[str, pd.DataFrame], current: dict[str, pd.DataFrame],
                  previous_as_of: dt.date | None = None) -> pd.DataFrame:
    """Every change, one row each; `previous_as_of` (the previous run's as-of date, when its
    manifest recorded it) dates completions when the previous run did not record them."""
    rows: list[dict] = []
    rows += _completions(previous, current, previous_as_of)
    rows += _managers(previous.get("manager_readiness"), current.get("manager_readiness"))
    rows += _coaching(previous.get("coaching_gaps"), current.get("coaching_gaps"))
    rows += _plan(previous.get("training_plan"), current.get("training_plan"))
    frame = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    order = {COMPLETED: -1, "manager added": 0, "manager removed": 1, "moved to another leader": 2, "tier": 3,
             "readiness score": 4, "team size": 5, "coaching gap": 6, "moved to another manager": 7,
             "training wave": 8}
    if frame.empty:
        return frame
    frame["_order"] = frame["change"].map(order).fillna(9)
    return frame.sort_values(["_order", "name", "person_id"], kind="stable").drop(columns="_order") \
        .reset_index(drop=True)


def _completed_managers(events: pd.DataFrame | None) -> pd.DataFrame | None:
    """impact_events' front-line managers who have completed, by person_id (None without the table)."""
    if events is None or not {"person_id", "role", "status"} <= set(events.columns):
        return None
    managers = events[events["role"].astype(str).eq("manager")]
    done = managers[managers["status"].astype(str).eq("completed")]
    return done.assign(person_id=done["person_id"].astype(str)).drop_duplicates("person_id") \
        .set_index("person_id")


def programme_basis(previous: dict[str, pd.DataFrame], current: dict[str, pd.DataFrame],
                    previous_as_of: dt.date | None = None) -> str:
    """On what basis completions are compared, for the sheet ("" when this run recorded none)."""
    if "impact_events" not in current:
        return ""
    if "impact_events" in previous:
        return ("Front-line managers whose completion of the manager programme is in this run's training "
                "records and was not in the previous run's.")
    if previous_as_of is not None:
        return ("The previous run did not record programme completions: listed are the completions dated "
                f"after its as-of date, {pd.Timestamp(previous_as_of):%Y-%m-%d}.")
    return ("The previous run did not record programme completions, so completions since then cannot be "
            "told from earlier ones: none are listed. The next run will compare against this one.")


def _completions(previous: dict[str, pd.DataFrame], current: dict[str, pd.DataFrame],
                 previous_as_of: dt.date | None) -> list[dict]:
    now = _completed_managers(current.get("impact_events"))
    if now is None or now.empty:
        return []
    before_events = previous.get("impact_events")
    if before_events is not None and {"person_id", "status"} <= set(before_events.columns):
        status = before_events.assign(person_id=before_events["person_id"].astype(str)) \
            .drop_duplicates("person_id").set_index("person_id")["status"].astype(str)
        new = [pid for pid in now.index if status.get(pid) != "completed"]
        was = {pid: status.get(pid, NOT_IN_PREVIOUS) for pid in new}
    elif previous_as_of is not None:
        dates = pd.to_datetime(now["completed_date"], errors="coerce")
        new = list(now.index[(dates > pd.Timestamp(previous_as_of)).to_numpy(dtype=bool)])
        was = {pid: f"not recorded (previous run as of {pd.Timestamp(previous_as_of):%Y-%m-%d})" for pid in new}
    else:
        return []
    windows = _indexed(current.get("impact_by_manager"), "manager_id")
    rows = []
    for pid in new:
        row = _row(COMPLETED, pid, now.at[pid, "name"], "manager programme", was[pid], "completed", True,
                   "completed")
        date = pd.to_datetime(now.at[pid, "completed_date"], errors="coerce")
        row["completed_date"] = None if pd.isna(date) else date.date()
        months = float(windows.at[pid, "months_each_side"]) if windows is not None and pid in windows.index \
            and "months_each_side" in windows.columns and pd.notna(windows.at[pid, "months_each_side"]) else 0.0
        row["months_each_side"] = int(months)
        if months > 0:
            row["hours_per_rep_before"] = float(windows.at[pid, "hours_per_rep_before"])
            row["hours_per_rep_after"] = float(windows.at[pid, "hours_per_rep_after"])
        else:
            row["note"] = NOT_ENOUGH_MONTHS
        rows.append(row)
    return rows


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
