"""The executive summary's findings: the handful of numbers a client's executive reads first.

Pure: result tables in, one row per finding out. Every finding names the sheet
that explains it, and a finding whose data is missing says what it needs
rather than disappearing, so the summary reads well for any client.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbook.analyses import not_assessed
from workbook.analyses.budget_neutrality import Budget, sentence, sentence_formula
from workbook.engagement.currency import money_text


@dataclass(frozen=True)
class Finding:
    topic: str
    headline: str        # the number or short answer, as text
    detail: str          # one sentence of context
    sheet: str           # where the client reads more
    value: float | None = None
    kind: str = "text"   # number format of `value` when shown as a number
    excel: str = ""      # the detail as a live Excel formula (its value is `detail`), when it quotes
                         # figures the client can change by editing an assumption


def _has(results: dict[str, pd.DataFrame], name: str) -> bool:
    frame = results.get(name)
    return frame is not None and not frame.empty


def key_findings(results: dict[str, pd.DataFrame], currency: str = "USD",
                 tables_missing: tuple[str, ...] = (), warnings: int = 0,
                 rows_excluded: int = 0) -> list[Finding]:
    findings = [_assessed(results), _tiers(results), _train_first(results), _coaching_gap(results),
                _roi_range(results, currency), _attrition_cost(results, currency),
                _ownership(results), _compensation(results, currency),
                _caveats(tables_missing, warnings, rows_excluded)]
    return [f for f in findings if f is not None]


def _assessed(results) -> Finding:
    if not _has(results, "manager_readiness"):
        return Finding("Managers assessed", not_assessed("people", capital=True), "", "Manager Readiness")
    r = results["manager_readiness"]
    reps = int(pd.to_numeric(r["team_size"], errors="coerce").fillna(0).sum())
    return Finding("Managers assessed", f"{len(r)} front-line managers, {reps} reps",
                   "Every front-line manager in post on the as-of date, scored on six pillars.",
                   "Manager Readiness", float(len(r)), "count")


def _tiers(results) -> Finding | None:
    if not _has(results, "manager_readiness"):
        return None
    tiers = results["manager_readiness"]["tier"].value_counts()
    ready, developing, not_ready = (int(tiers.get(t, 0)) for t in ("ready", "developing", "not_ready"))
    return Finding("Readiness", f"{ready} ready · {developing} developing · {not_ready} not ready",
                   "Ready managers can lead the change now; the others need support before their reps "
                   "are trained.", "Manager Readiness")


def _train_first(results) -> Finding | None:
    if not _has(results, "manager_readiness"):
        return None
    r = results["manager_readiness"].sort_values("priority_rank").head(3)
    names = ", ".join(f"{row.manager_name} ({int(row.team_size)} reps)" for row in r.itertuples())
    detail = ("Highest priority first (team size and revenue at stake x readiness gap); every rep "
              "follows their own manager.")
    if _has(results, "training_plan"):
        waves = int(pd.to_numeric(results["training_plan"]["wave"]).max())
        detail += f" The plan runs in {waves} waves."
    return Finding("Train first", names, detail, "Training Plan")


def _coaching_gap(results) -> Finding:
    if not _has(results, "coaching_gaps"):
        return Finding("Coaching gap", not_assessed("coaching", capital=True),
                       "Ask the client for a coaching log (manager, rep, date, minutes).", "Coaching Gaps")
    g = results["coaching_gaps"]
    below = int((pd.to_numeric(g["gap_hours_per_rep_month"]) > 0).sum())
    hours = float(pd.to_numeric(g.get("gap_manager_hours_per_month"), errors="coerce").sum()) \
        if "gap_manager_hours_per_month" in g else float("nan")
    target = float(pd.to_numeric(g["target_hours_per_rep_month"]).iloc[0]) if len(g) else 0.0
    headline = f"{below} of {len(g)} managers below {target:g} h per rep per month"
    detail = (f"Closing the gap takes about {hours:,.0f} manager hours a month." if hours == hours else "")
    return Finding("Coaching gap", headline, detail, "Coaching Gaps", hours, "hours")


def _roi_range(results, currency) -> Finding:
    if not _has(results, "roi_scenarios"):
        need = "coaching" if not _has(results, "coaching_gaps") else "sales"
        return Finding("Value of closing the gap", not_assessed(need, capital=True), "", "ROI Model")
    s = results["roi_scenarios"].set_index("scenario")
    low, high = float(s["net_benefit"].min()), float(s["net_benefit"].max())
    base = float(s.loc["base", "net_benefit"]) if "base" in s.index else (low + high) / 2
    return Finding("Value of closing the gap",
                   f"{money_text(low, currency)} to {money_text(high, currency)} net, first year",
                   f"Base scenario {money_text(base, currency)}. Scenarios, not promises: they rest on "
                   "published research (CEB/SEC, Gartner) and editable assumptions.", "ROI Model", base,
                   "currency")


def _attrition_cost(results, currency) -> Finding | None:
    if not _has(results, "manager_readiness") or "replacement_cost" not in results["manager_readiness"]:
        return None
    r = results["manager_readiness"]
    costs = pd.to_numeric(r["replacement_cost"], errors="coerce")
    if costs.isna().all():   # no leavers in the data: attrition could not be assessed, not "$0"
        return Finding("Cost of attrition", not_assessed("people.termination_date", capital=True),
                       "The roster shows no one who left, so attrition and its cost cannot be measured; "
                       "ask for leavers with their termination dates.", "Manager Readiness")
    cost = float(costs.fillna(0).sum())
    exits = int(pd.to_numeric(r.get("attrition_exits"), errors="coerce").fillna(0).sum())
    voluntary = (int(pd.to_numeric(r["attrition_exits_voluntary"], errors="coerce").fillna(0).sum())
                 if "attrition_exits_voluntary" in r else exits)
    above = r[r["flags"].fillna("").str.contains("attrition above")] if "flags" in r else r.iloc[:0]
    detail = (f"{exits} reps left in the window ({voluntary} by their own choice), at the assumed "
              f"replacement cost per exit; {len(above)} team(s) clearly above the organisation's rate "
              "after allowing for team size")
    if len(above):
        named = [f"{row.manager_name} ({int(row.attrition_exits)} exits)" for row in above.itertuples()]
        detail += ": " + ", ".join(named[:3]) + (f" and {len(named) - 3} more" if len(named) > 3 else "")
    detail += "."
    return Finding("Cost of attrition", money_text(cost, currency), detail, "Manager Readiness",
                   cost, "currency")


def _ownership(results) -> Finding:
    if _has(results, "ownership"):
        row = results["ownership"].iloc[0]
        return Finding("Ownership", str(row.get("recommendation_short", row.get("recommendation", ""))),
                       str(row.get("finding", "")), "Ownership")
    return Finding("Ownership", "The front-line sales manager should own reinforcement and coaching",
                   "Not ownership by committee: one owner, held to it in the compensation plan.", "Ownership")


def _compensation(results, currency) -> Finding:
    headline = "Tie part of each manager's variable pay to team development"
    if _has(results, "compensation_budget"):
        # the sentence is computed from the totals, and written to Excel as a formula over the
        # Compensation sheet's named totals so it stays true when an assumption changes
        budget = Budget.from_frame(results["compensation_budget"])
        return Finding("Compensation", headline, sentence(budget, currency), "Compensation",
                       excel=sentence_formula(currency))
    if _has(results, "compensation"):
        return Finding("Compensation", headline, "The target incentive is unchanged; the Compensation "
                       "sheet shows who would earn more or less at today's performance.", "Compensation")
    return Finding("Compensation", headline, "Payouts not simulated — needs compensation plans.",
                   "Compensation")


def _caveats(missing, warnings, excluded) -> Finding:
    parts = []
    if missing:
        parts.append("not provided: " + ", ".join(missing))
    parts.append(f"{warnings} data warning(s)")
    if excluded:
        parts.append(f"{excluded:,} row(s) excluded")
    return Finding("Data caveats", "; ".join(parts).capitalize(),
                   "Small teams are noisy: no manager is ranked on a raw rate.", "Data Quality")
