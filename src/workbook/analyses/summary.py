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
from workbook.analyses.excel_text import live, money_field, percent_field
from workbook.analyses.roi import ROI_BENEFIT_NAME, ROI_NET_NAME, SCENARIOS, cost_name
from workbook.analyses.training_plan import PILOT_COHORT
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
    excel_headline: str = ""   # the same for the headline


def plural(n: int, word: str) -> str:
    """'1 team', '3 teams', '1,200 rows'."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _has(results: dict[str, pd.DataFrame], name: str) -> bool:
    frame = results.get(name)
    return frame is not None and not frame.empty


def key_findings(results: dict[str, pd.DataFrame], currency: str = "USD",
                 tables_missing: tuple[str, ...] = (), warnings: int = 0,
                 rows_excluded: int = 0, placeholders: tuple[str, ...] = ()) -> list[Finding]:
    """The method's argument in the client's numbers: scale, readiness, who trains first (modelling),
    buy-in, coaching culture and its value, attrition, ownership and pay; then what to fix before
    sending (`placeholders`: labels of assumptions still at a placeholder value) and data caveats."""
    findings = [_assessed(results), _tiers(results), _train_first(results), _buy_in(results),
                _coaching_gap(results), _roi_range(results, currency), _attrition_cost(results, currency),
                _ownership(results), _compensation(results, currency), _placeholders(placeholders),
                _caveats(tables_missing, warnings, rows_excluded)]
    return [f for f in findings if f is not None]


def _assessed(results) -> Finding:
    if not _has(results, "manager_readiness"):
        return Finding("Scale", not_assessed("people", capital=True), "", "Manager Readiness")
    r = results["manager_readiness"]
    size = pd.to_numeric(r["team_size"], errors="coerce").fillna(0)
    reps = int(size.sum())
    per = reps / len(r) if len(r) else 0.0
    return Finding("Scale", f"Train {plural(len(r), 'front-line manager')} to reach {plural(reps, 'rep')}",
                   f"Each manager leads {per:.1f} reps in post on average ({int(size.min())} to "
                   f"{int(size.max())}): a weak manager drags a whole team. Every manager in post on the "
                   "as-of date is scored on up to six pillars.", "Manager Readiness", float(len(r)), "count")


def _buy_in(results) -> Finding | None:
    r = results.get("manager_readiness")
    if r is None or r.empty or "adkar_awareness" not in r:
        return None
    answered = pd.to_numeric(r["adkar_awareness"], errors="coerce").notna()
    if not answered.any():
        return Finding("Buy-in", not_assessed("survey", capital=True),
                       "Ask each manager the five ADKAR questions before training starts.", "Manager Readiness")
    barrier = r.loc[answered, "barrier_point"].fillna("").astype(str)
    blocked = int(barrier.isin(["awareness", "desire"]).sum())
    counts = barrier[barrier != ""].value_counts()
    order = ["awareness", "desire", "knowledge", "ability", "reinforcement"]
    detail = ("Barrier points (Prosci ADKAR): " + ", ".join(f"{k} {int(counts[k])}" for k in order if k in counts)
              + ". Managers blocked at awareness or desire have a buy-in session before their training; "
                "reps take the program as their manager presents it." if len(counts) else
              "No manager's answers show a barrier point.")
    missing = int((~answered).sum())
    if missing:
        detail += f" {plural(missing, 'manager')} did not answer."
    return Finding("Buy-in", f"{blocked} of {int(answered.sum())} surveyed managers do not yet see the need "
                   "for the change or want it", detail, "Manager Readiness")


def _placeholders(names: tuple[str, ...]) -> Finding | None:
    if not names:
        return None
    return Finding("Before sending", f"{plural(len(names), 'assumption')} still at placeholder values",
                   "Replace each with the client's figure on the Assumptions sheet: " + "; ".join(names)
                   + ".", "Assumptions")


def _tiers(results) -> Finding | None:
    if not _has(results, "manager_readiness"):
        return None
    tiers = results["manager_readiness"]["tier"].value_counts()
    ready, developing, not_ready = (int(tiers.get(t, 0)) for t in ("ready", "developing", "not_ready"))
    r = results["manager_readiness"]
    detail = "Ready managers can lead the change now; the others need support before their reps are trained."
    gates = [g for g in ("buy_in_gate", "coaching_gate") if g in r]
    if gates:
        held = r[(r["tier"] == "developing")
                 & r[gates].apply(lambda c: c.astype(str).str.lower().isin(["true", "1"])).any(axis=1)]
        if len(held):
            detail += (f" Gates hold {plural(len(held), 'manager')} at developing whatever the score, "
                       "until awareness and desire or coaching improve "
                       f"({', '.join(held['manager_name'].astype(str).head(4))}"
                       f"{', ...' if len(held) > 4 else ''}).")
    return Finding("Readiness", f"{ready} ready · {developing} developing · {not_ready} not ready", detail,
                   "Manager Readiness")


def _train_first(results) -> Finding | None:
    if not _has(results, "manager_readiness"):
        return None
    r = results["manager_readiness"].sort_values("priority_rank").head(3)
    names = ", ".join(f"{row.manager_name} ({int(row.team_size)} reps)" for row in r.itertuples())
    detail = "Priority = team size and revenue at stake x readiness gap; every rep follows their own manager."
    if _has(results, "training_plan"):
        plan = results["training_plan"]
        managers = plan[plan["role"].astype(str) == "manager"]
        cohort = managers.get("cohort", pd.Series("", index=managers.index)).astype(str)
        pilot = managers.loc[cohort == PILOT_COHORT, "name"].astype(str).tolist()
        if pilot:
            detail += (f" A pilot of {len(pilot)} ready, willing manager{'s' if len(pilot) != 1 else ''} "
                       f"({', '.join(pilot)}) trains first to test the program.")
        if "buy_in_session_date" in managers:
            buy_in = managers.loc[managers["buy_in_session_date"].notna(), "name"].astype(str).tolist()
            if buy_in:
                detail += (f" {len(buy_in)} blocked at awareness or desire ({', '.join(buy_in[:4])}"
                           f"{', ...' if len(buy_in) > 4 else ''}) have a buy-in session before training.")
        starts = pd.to_datetime(plan["start_date"], errors="coerce")
        waves = int(pd.to_numeric(plan["wave"]).max())
        detail += f" {waves} waves, {starts.min():%d %b %Y} to {starts.max():%d %b %Y}."
    return Finding("Train first", "Highest priority: " + names, detail, "Training Plan")


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
    detail = (f"Closing the gap takes about {hours:,.0f} more manager hours a month." if hours == hours else "")
    if "core_share" in g and pd.to_numeric(g["core_share"], errors="coerce").notna().any():
        share = float(pd.to_numeric(g["core_share"], errors="coerce").mean())
        detail += (f" Core performers, the middle 60% where coaching pays most (CEB/SEC), get {share:.0%} "
                   "of coaching time on the average team.")
    return Finding("Coaching gap", headline, detail, "Coaching Gaps", hours, "hours")


ROI_HEADLINE = "{low} to {high} net, first year"
ROI_DETAIL = ("Base scenario {base} net: {benefit} of gross profit against {cost} of fully loaded cost, "
              "if {share} of the coaching gap is closed. "
              "Core performers (the middle 60%) are assumed to gain {up_low} to {up_high} where coaching "
              "closes the gap (CEB/SEC, Gartner): scenarios, not promises, on editable assumptions.")


def _roi_range(results, currency) -> Finding:
    if not _has(results, "roi_scenarios"):
        need = "coaching" if not _has(results, "coaching_gaps") else "sales"
        return Finding("Value of closing the gap", not_assessed(need, capital=True), "", "ROI Model")
    s = results["roi_scenarios"].set_index("scenario")
    net = {k: float(s.loc[k, "net_benefit"]) for k, _ in SCENARIOS}
    names = [f"{ROI_NET_NAME}_{k}" for k, _ in SCENARIOS]
    headline, headline_excel = live(ROI_HEADLINE, {
        "low": money_field(min(net.values()), currency, f"MIN({','.join(names)})"),
        "high": money_field(max(net.values()), currency, f"MAX({','.join(names)})")})
    uplifts = {k: float(s.loc[k, "uplift"]) for k, _ in SCENARIOS}
    detail, detail_excel = live(ROI_DETAIL, {
        "base": money_field(net["base"], currency, f"{ROI_NET_NAME}_base"),
        "benefit": money_field(float(s.loc["base", "annual_benefit"]), currency, f"{ROI_BENEFIT_NAME}_base"),
        "cost": money_field(float(s.loc["base", "total_cost"]), currency, cost_name("total_cost")),
        "share": percent_field(float(s["gap_closure_share"].iloc[0]) if "gap_closure_share" in s else 0.5,
                               "gap_closure_share"),
        "up_low": percent_field(min(uplifts.values()), f"MIN({','.join(n for _, n in SCENARIOS)})"),
        "up_high": percent_field(max(uplifts.values()), f"MAX({','.join(n for _, n in SCENARIOS)})")})
    return Finding("Value of closing the gap", headline, detail, "ROI Model", net["base"], "currency",
                   excel=detail_excel, excel_headline=headline_excel)


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
              f"replacement cost per exit; {plural(len(above), 'team')} clearly above the organisation's rate "
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
    parts.append(f"{plural(warnings, 'data warning')}")
    if excluded:
        parts.append(f"{plural(excluded, 'row')} excluded")
    return Finding("Data caveats", "; ".join(parts).capitalize(),
                   "Small teams are noisy: no manager is ranked on a raw rate.", "Data Quality")
