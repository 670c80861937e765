"""What each explorer panel shows, as (html, text) from a WhatIfResults: no widgets, so tests read it."""

from __future__ import annotations

import html
import math

import pandas as pd

from workbook.analyses.roi import MEASURED_SCENARIO
from workbook.engagement.currency import money_text
from workbook.interactive.model import WhatIfResults
from workbook.pipeline.columns import SCENARIO_LABELS, SHOWN
from workbook.pipeline.display import format_value, table

HIGHLIGHT_STYLE = "background-color: #FFF2CC; font-weight: bold"


def _p(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def roi_view(results: WhatIfResults, highlight: str) -> tuple[str, str]:
    if results.roi is None:
        text = f"ROI model {results.roi_note}."
        return _p(text), text
    row = results.roi.set_index("scenario").loc[highlight]
    roi = "n/a" if not math.isfinite(row["roi_pct"]) else f"{row['roi_pct']:,.0f}%"
    text = (f"{SCENARIO_LABELS[highlight]} scenario (uplift {row['uplift']:.1%}): first-year benefit "
            f"{money_text(row['annual_benefit'], results.currency)}, total cost {money_text(row['program_cost'], results.currency)}, net benefit "
            f"{money_text(row['net_benefit'], results.currency)}, ROI {roi}.")
    label = SCENARIO_LABELS[highlight]
    styler = table(results.roi, SHOWN["roi"], results.currency).apply(
        lambda r: [HIGHLIGHT_STYLE if r["Scenario"] == label else "" for _ in r], axis=1)
    inputs = results.roi_inputs or {}
    note = (f"Core performers' yearly revenue, weighted by each team's coaching gap: {money_text(inputs.get('core_revenue_usd'), results.currency)}; "
            f"coaching gap: {inputs.get('gap_hours_per_year', float('nan')):,.0f} manager hours a year; "
            f"{inputs.get('managers', 0)} managers to train. Scenarios, not promises.")
    measured = results.roi.set_index("scenario")
    if MEASURED_SCENARIO in measured.index:
        m = measured.loc[MEASURED_SCENARIO]
        note += (f" {SCENARIO_LABELS[MEASURED_SCENARIO]} (uplift {m['uplift']:.1%}, net benefit "
                 f"{money_text(m['net_benefit'], results.currency)}): {m['note']}")
    return f"<p><b>{html.escape(text)}</b></p>{styler.to_html()}{_p(note)}", f"{text}\n{note}"


def coaching_view(results: WhatIfResults) -> tuple[str, str]:
    if results.coaching_gaps is None:
        text = "Coaching not assessed — needs coaching."
        return _p(text), text
    t = results.gap_totals
    target = float(results.assumptions["target_coaching_hours_per_rep_month"])
    text = (f"{t['managers_below_target']} of {t['managers']} managers coach below {target:g} hours per rep "
            f"per month; closing the gap takes {t['gap_manager_hours_per_month']:,.1f} manager hours a month.")
    return _p(text) + table(results.coaching_gaps, SHOWN["coaching_gaps"], results.currency).to_html(), text


def compensation_view(results: WhatIfResults) -> tuple[str, str]:
    weight = float(results.assumptions["team_development_weight"])
    if results.compensation is None:
        text = (f"Payout simulation {results.compensation_note}: the recommended plan puts {weight:.0%} of "
                "target variable on team development, the financial measures scaled pro rata.")
        return _p(text), text
    t = results.compensation
    both = t.dropna(subset=["payout_current_plan", "payout_proposed_plan"])
    current, proposed = float(both["payout_current_plan"].sum()), float(both["payout_proposed_plan"].sum())
    text = (f"Team development at {weight:.0%} of target variable: total payout {money_text(current, results.currency)} today, "
            f"{money_text(proposed, results.currency)} proposed ({money_text(proposed - current, results.currency)}); "
            f"{int((both['payout_change'] > 0.005).sum())} managers earn more, "
            f"{int((both['payout_change'] < -0.005).sum())} less, "
            f"{int(both['risk_flag'].astype(bool).sum())} need a transition plan.")
    shown = t.assign(risk_flag=t["risk_flag"].map({True: "yes", False: ""}))
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in results.compensation_notes)
    return (_p(text) + table(shown, SHOWN["compensation"], results.currency).to_html() + (f"<ul>{notes}</ul>" if notes else ""), text)


def training_view(results: WhatIfResults) -> tuple[str, str]:
    waves = results.waves
    if waves is None or waves.empty:
        text = "No one active on the as-of date to plan."
        return _p(text), text
    a = results.assumptions
    last = pd.Timestamp(waves["start_date"].max())
    text = (f"{len(waves)} waves of up to {int(a['cohort_size'])} managers per cohort, "
            f"{float(a['weeks_between_waves']):g} weeks apart; the last wave starts {last:%Y-%m-%d}. "
            "Leaders first, then manager cohorts by priority, each team after its manager.")
    return _p(text) + table(waves, SHOWN["waves"], results.currency).to_html(), text


def manager_view(detail: dict) -> tuple[str, str]:
    barrier = detail["barrier_point"] or "none"
    wave = detail["wave"] if detail["wave"] is not None else "n/a"
    head = (f"{detail['manager_name']} ({detail['manager_id']}): readiness {detail['readiness_score']:.0f}/100, "
            f"{str(detail['tier']).replace('_', ' ')}; priority {detail['priority_rank']}; training wave {wave}; "
            f"{detail['team_size']} reps; ADKAR barrier point: {barrier}.")
    parts = [f"<p><b>{html.escape(head)}</b></p>", f"<p><i>Why:</i> {html.escape(str(detail['why']))}</p>",
             "<h4>Pillar scores</h4>",
             table(detail["pillars"], SHOWN["pillar_scores"]).to_html()]
    if detail["coaching"] is not None:
        c = detail["coaching"]
        values = [format_value(v, k) for v, k in zip(c["value"], c["kind"], strict=True)]
        parts += ["<h4>Coaching pattern</h4>",
                  pd.DataFrame({"Measure": c["measure"], "Value": values}).to_html(index=False)]
    parts += ["<h4>Team</h4>", table(detail["team"], SHOWN["team"]).to_html()]
    return "".join(parts), f"{head}\nWhy: {detail['why']}"
