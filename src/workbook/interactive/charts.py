"""The explorer's charts: matplotlib figures built without pyplot (no global state, any backend)."""

from __future__ import annotations

import io

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from workbook.analyses.roi import SCENARIO_LABELS
from workbook.interactive.model import WhatIfResults

NAVY, RED, GREY, GREEN = "#1F3864", "#C00000", "#A6A6A6", "#548235"


def overview_figure(results: WhatIfResults, highlight: str = "base") -> Figure:
    """Four panels: ROI by scenario, coaching against the target, payout changes, training waves."""
    fig = Figure(figsize=(11, 7.5))   # fixed margins: constrained layout would double the drawing time
    (roi_ax, coach_ax), (pay_ax, wave_ax) = fig.subplots(2, 2)
    fig.subplots_adjust(left=0.15, right=0.98, top=0.95, bottom=0.08, wspace=0.45, hspace=0.35)

    if results.roi is not None:
        roi = results.roi
        colours = [NAVY if s == highlight else GREY for s in roi["scenario"]]
        roi_ax.bar([SCENARIO_LABELS[s] for s in roi["scenario"]], roi["net_benefit"], color=colours)
        roi_ax.axhline(0, color="black", linewidth=0.8)
        roi_ax.set_ylabel("net first-year benefit")
        roi_ax.yaxis.set_major_formatter(lambda v, _: f"{v / 1e3:,.0f}k")
    else:
        _empty(roi_ax, f"ROI {results.roi_note}")
    roi_ax.set_title("ROI by uplift scenario (highlighted: " + SCENARIO_LABELS.get(highlight, highlight) + ")")

    if results.coaching is not None:
        g = results.coaching.sort_values("hours_per_rep_month")
        coach_ax.barh(g["manager_name"], g["hours_per_rep_month"],
                      color=[RED if gap > 0 else NAVY for gap in g["gap_hours_per_rep_month"].fillna(0)])
        coach_ax.axvline(float(results.assumptions["target_coaching_hours_per_rep_month"]), color=RED,
                         linestyle="--", label="target")
        coach_ax.tick_params(axis="y", labelsize=6)
        coach_ax.set_xlabel("coaching hours per rep per month (red: below target)")
        coach_ax.legend(loc="lower right")
    else:
        _empty(coach_ax, "coaching not assessed — needs coaching")
    coach_ax.set_title("Coaching against the target")

    comp = results.compensation
    if comp is not None and comp["payout_change"].notna().any():
        t = comp.dropna(subset=["payout_change"]).sort_values("payout_change")
        pay_ax.barh(t["manager_name"], t["payout_change"],
                    color=[RED if r else NAVY for r in t["risk_flag"]])
        pay_ax.axvline(0, color="black", linewidth=0.8)
        pay_ax.tick_params(axis="y", labelsize=6)
        pay_ax.xaxis.set_major_locator(MaxNLocator(5))
        pay_ax.xaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
        pay_ax.set_xlabel("payout change, proposed plan (red: change-management risk)")
    else:
        _empty(pay_ax, f"payout simulation {results.compensation_note or 'not assessed'}")
    pay_ax.set_title("Payout change per manager")

    if results.waves is not None and not results.waves.empty:
        w = results.waves
        labels = [str(v) for v in w["wave"]]
        wave_ax.bar(labels, w["leaders"], color=GREEN, label="leaders")
        wave_ax.bar(labels, w["managers"], bottom=w["leaders"], color=NAVY, label="managers")
        wave_ax.bar(labels, w["reps"], bottom=w["leaders"] + w["managers"], color=GREY, label="reps")
        wave_ax.set_xlabel("wave")
        wave_ax.set_ylabel("people")
        wave_ax.legend()
    else:
        _empty(wave_ax, "no one to plan")
    wave_ax.set_title("Training plan: people per wave")
    return fig


def _empty(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", wrap=True)
    ax.set_axis_off()


def figure_png(fig: Figure, dpi: int = 80) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
