"""What each explorer panel shows, as (html, text) from a WhatIfResults: no widgets, so tests read it.

Every value is written by the column catalogue's formats (`pipeline.display.format_value`): money by
`money_text` in the engagement's currency ("-$27,499", "£1,200"), ROI as a percentage, hours as
"3.0 h"; headers are the catalogue's labels and coded values its words (CODE_LABELS). Tables are plain
HTML built here (a 500-manager table in a few milliseconds, where a pandas Styler takes tenths of a
second), in the same formats as the notebooks' styled tables.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd

from workbook.analyses.roi import MEASURED_SCENARIO
from workbook.engagement.currency import money_text
from workbook.interactive.model import WhatIfResults
from workbook.pipeline.columns import CODE_LABELS, SCENARIO_LABELS, SHOWN, kind, label
from workbook.pipeline.display import TEXT_KINDS, format_value

HIGHLIGHT_STYLE = "background-color: #FFF2CC; font-weight: bold"
# the drill-down's tables: pillar status says "assessed" on every assessed row, so it is left out
PILLAR_COLUMNS = ("pillar", "score")


def _p(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def percent(value: float) -> str:
    """A share as a percentage, one decimal only when it has one: "8%", "8.5%"."""
    return f"{value:.1%}".replace(".0%", "%")


def roi_text(value: float) -> str:
    """ROI (already x100) as the catalogue writes it: "378%"; "n/a" when undefined."""
    return format_value(value, "percent_points")


def words(column: str, value: object) -> str:
    """A coded value in the catalogue's words ("not_ready" -> "Not ready"), else the value with its
    first letter capitalised ("awareness" -> "Awareness")."""
    if _missing(value):
        return ""
    shown = CODE_LABELS.get(column, {}).get(value, value)
    text = str(shown).replace("_", " ")
    return text[:1].upper() + text[1:]


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):   # not a scalar
        return False


def html_table(frame: pd.DataFrame, columns: Sequence[str | tuple[str, str]], currency: str = "USD",
               highlight: int | None = None, na: str = "n/a") -> str:
    """`columns` of `frame` (catalogue names, or (frame column, catalogue name) pairs) as an HTML
    table: catalogue headers and formats, coded values in words, text left and numbers right."""
    pairs = [(c, c) if isinstance(c, str) else c for c in columns]
    present = [(column, name) for column, name in pairs if column in frame.columns]
    head = "".join(f'<th style="text-align:{"left" if kind(n) in TEXT_KINDS else "right"}">'
                   f"{html.escape(label(n))}</th>" for _, n in present)
    cells = []
    for column, name in present:
        k = kind(name)
        values = frame[column].tolist()
        if name in CODE_LABELS or column in CODE_LABELS:
            shown = [words(name if name in CODE_LABELS else column, v) for v in values]
        elif k == "text":
            shown = ["" if _missing(v) else str(v) for v in values]
        else:
            shown = [na if _missing(v) else format_value(v, k, currency, na) for v in values]
        align = "left" if k in TEXT_KINDS else "right"
        cells.append([f'<td style="text-align:{align}">{html.escape(v)}</td>' for v in shown])
    rows = []
    for i, row in enumerate(zip(*cells, strict=True)):
        style = f' style="{HIGHLIGHT_STYLE}"' if i == highlight else ""
        rows.append(f"<tr{style}>{''.join(row)}</tr>")
    return (f'<table class="wb-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def scroll(table_html: str) -> str:
    """A long table in a box that scrolls by itself (the page stays on one screen)."""
    return f'<div class="wb-scroll">{table_html}</div>'


def headline(results: WhatIfResults, highlight: str) -> tuple[str, str]:
    """The one line the room watches: the highlighted scenario's net benefit and ROI."""
    if results.roi is None:
        text = f"ROI model {results.roi_note}."
        return _p(text), text
    row = results.roi.set_index("scenario").loc[highlight]
    text = (f"{SCENARIO_LABELS[highlight]} scenario (uplift {percent(row['uplift'])}): net first-year "
            f"benefit {money_text(row['net_benefit'], results.currency)}, ROI {roi_text(row['roi_pct'])}")
    return f'<div class="wb-headline">{html.escape(text)}</div>', text


def roi_view(results: WhatIfResults, highlight: str) -> tuple[str, str]:
    if results.roi is None:
        text = f"ROI model {results.roi_note}."
        return _p(text), text
    money = results.currency
    row = results.roi.set_index("scenario").loc[highlight]
    text = (f"{SCENARIO_LABELS[highlight]} scenario (uplift {percent(row['uplift'])}): first-year benefit "
            f"{money_text(row['annual_benefit'], money)}, total cost {money_text(row['program_cost'], money)}, "
            f"net benefit {money_text(row['net_benefit'], money)}, ROI {roi_text(row['roi_pct'])}.")
    at = list(results.roi["scenario"]).index(highlight)
    inputs = results.roi_inputs or {}
    gap = inputs.get("gap_hours_per_year", float("nan"))
    note = (f"Core performers' yearly revenue, weighted by each team's coaching gap: "
            f"{money_text(inputs.get('core_revenue_usd'), money)}; coaching gap: "
            f"{format_value(gap, 'count')} manager hours a year; {inputs.get('managers', 0)} managers to train. "
            "Scenarios, not promises.")
    measured = results.roi.set_index("scenario")
    if MEASURED_SCENARIO in measured.index:
        m = measured.loc[MEASURED_SCENARIO]
        note += (f" {SCENARIO_LABELS[MEASURED_SCENARIO]} (uplift {percent(m['uplift'])}, net benefit "
                 f"{money_text(m['net_benefit'], money)}): {m['note']}")
    table = html_table(results.roi, SHOWN["roi"], money, highlight=at)
    return f"<p><b>{html.escape(text)}</b></p>{table}{_p(note)}", f"{text}\n{note}"


def coaching_view(results: WhatIfResults) -> tuple[str, str]:
    if results.coaching_gaps is None:
        text = "Coaching not assessed — needs coaching."
        return _p(text), text
    t = results.gap_totals
    target = float(results.assumptions["target_coaching_hours_per_rep_month"])
    text = (f"{t['managers_below_target']} of {t['managers']} managers coach below {target:g} hours per rep "
            f"per month; closing the gap takes {format_value(t['gap_manager_hours_per_month'], 'hours')} "
            "of manager time a month.")
    table = html_table(results.coaching_gaps, SHOWN["coaching_gaps"], results.currency)
    return _p(text) + scroll(table), text


def compensation_view(results: WhatIfResults) -> tuple[str, str]:
    weight = float(results.assumptions["team_development_weight"])
    if results.compensation is None:
        text = (f"Payout simulation {results.compensation_note}: the recommended plan puts {percent(weight)} of "
                "target variable on team development, the financial measures scaled pro rata.")
        return _p(text), text
    money = results.currency
    t = results.compensation
    both = t.dropna(subset=["payout_current_plan", "payout_proposed_plan"])
    current, proposed = float(both["payout_current_plan"].sum()), float(both["payout_proposed_plan"].sum())
    text = (f"Team development at {percent(weight)} of target variable: total payout "
            f"{money_text(current, money)} today, {money_text(proposed, money)} proposed "
            f"({money_text(proposed - current, money, signed=True)}); "
            f"{int((both['payout_change'] > 0.005).sum())} managers earn more, "
            f"{int((both['payout_change'] < -0.005).sum())} less, "
            f"{int(both['risk_flag'].astype(bool).sum())} need a transition plan.")
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in results.compensation_notes)
    table = html_table(t, SHOWN["compensation"], money)
    return _p(text) + scroll(table) + (f"<ul>{notes}</ul>" if notes else ""), text


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
    return _p(text) + scroll(html_table(waves, SHOWN["waves"], results.currency)), text


def manager_view(detail: dict, currency: str = "USD") -> tuple[str, str]:
    barrier = words("barrier_point", detail["barrier_point"]) or "none"
    wave = detail["wave"] if detail["wave"] is not None else "n/a"
    head = (f"{detail['manager_name']} ({detail['manager_id']}): readiness {detail['readiness_score']:.0f}/100, "
            f"{words('tier', detail['tier'])}; priority {detail['priority_rank']}; training wave {wave}; "
            f"{detail['team_size']} reps; ADKAR barrier point: {barrier}.")
    pillars = detail["pillars"]
    columns = PILLAR_COLUMNS
    if "status" in pillars and (pillars["status"] != "assessed").any():
        pillars = pillars.assign(status=pillars["status"].where(pillars["status"] != "assessed", ""))
        columns = (*PILLAR_COLUMNS, "status")
    parts = [f"<p><b>{html.escape(head)}</b></p>", f"<p><i>Why:</i> {html.escape(str(detail['why']))}</p>",
             "<h4>Pillar scores</h4>", html_table(pillars, columns, currency)]
    if detail["coaching"] is not None:
        c = detail["coaching"]
        rows = "".join(f'<tr><td style="text-align:left">{html.escape(m)}</td>'
                       f'<td style="text-align:right">{html.escape(format_value(v, k, currency))}</td></tr>'
                       for m, v, k in zip(c["measure"], c["value"], c["kind"], strict=True))
        parts += ["<h4>Coaching pattern</h4>",
                  f'<table class="wb-table"><thead><tr><th style="text-align:left">Measure</th>'
                  f'<th style="text-align:right">Value</th></tr></thead><tbody>{rows}</tbody></table>']
    parts += ["<h4>Team</h4>", scroll(html_table(detail["team"], SHOWN["team"], currency))]
    return "".join(parts), f"{head}\nWhy: {detail['why']}"
