"""The explorer's charts: matplotlib figures built without pyplot (no global state, any backend).

Titles say what is plotted, money axes carry the engagement's currency, labels are at least 10 pt.
Per-manager charts show every manager up to `TOP_N` x 2 + 1 of them; beyond that the top and bottom
`TOP_N` and one grey bar for the rest (their median, the bar's label saying how many and their range),
so 500 managers are 21 readable bars, not a smear of names.
"""

from __future__ import annotations

import io

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from workbook.analyses.roi import SCENARIO_LABELS
from workbook.engagement.currency import SYMBOLS, currency_code, money_text
from workbook.interactive.model import WhatIfResults

NAVY, RED, GREY, GREEN = "#1F3864", "#C00000", "#A6A6A6", "#548235"
TOP_N = 10          # per-manager charts: the top and bottom N, the rest summarised in one bar
FONT = 11           # points, every label and tick
TITLE_FONT = 13


def money_axis(currency: str):
    """Tick text for a money axis: "$250k", "-£1.2m", "40k CHF"."""
    code = currency_code(currency)

    def tick(value, _pos=None) -> str:
        size = abs(value)
        short = (f"{size / 1e6:,.1f}m" if size >= 1e6 else f"{size / 1e3:,.0f}k" if size >= 1e3
                 else f"{size:,.0f}")
        text = f"{SYMBOLS[code]}{short}" if code in SYMBOLS else f"{short} {code}"
        return ("-" if value < 0 and round(size) else "") + text
    return tick


def money_unit(currency: str) -> str:
    code = currency_code(currency)
    return f"{code}, {SYMBOLS[code]}" if code in SYMBOLS else code


def extremes(frame: pd.DataFrame, column: str, n: int = TOP_N) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(shown, rest): every row when there are at most 2n + 1, else the n lowest and n highest of
    `column` (sorted ascending) and the rows in between."""
    ordered = frame.sort_values(column, kind="stable")
    if len(ordered) <= 2 * n + 1:
        return ordered, ordered.iloc[0:0]
    return pd.concat([ordered.iloc[:n], ordered.iloc[-n:]]), ordered.iloc[n:-n]


def _per_manager(ax, frame: pd.DataFrame, column: str, colours: list[str], fmt) -> None:
    """Horizontal bars, one per manager; the middle of a long list as one grey bar between the two ends."""
    shown, rest = extremes(frame, column)
    names = list(shown["manager_name"].astype(str))
    values = list(shown[column].astype(float))
    colour = [colours[i] for i in shown.index]   # frame has a 0..n-1 index
    if len(rest):
        lo, hi = float(rest[column].min()), float(rest[column].max())
        middle = TOP_N
        names.insert(middle, f"{len(rest)} others ({fmt(lo)} to {fmt(hi)}), median")
        values.insert(middle, float(rest[column].median()))
        colour.insert(middle, GREY)
    ax.barh(range(len(names)), values, color=colour)
    ax.set_yticks(range(len(names)), names, fontsize=FONT)
    ax.tick_params(axis="x", labelsize=FONT)



def _figure(height: float, left: float, top: float, bottom: float) -> tuple[Figure, object]:
    """A 10-inch-wide figure with one axes, its margins fixed (names on the left need room)."""
    fig = Figure(figsize=(10, height))
    ax = fig.subplots()
    fig.subplots_adjust(left=left, right=0.97, top=top, bottom=bottom)
    return fig, ax

def roi_figure(results: WhatIfResults, highlight: str = "base") -> Figure:
    fig, ax = _figure(5.2, left=0.14, top=0.88, bottom=0.12)
    if results.roi is not None:
        roi = results.roi
        colours = [NAVY if s == highlight else GREY for s in roi["scenario"]]
        ax.bar([SCENARIO_LABELS[s] for s in roi["scenario"]], roi["net_benefit"], color=colours)
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_ylabel(f"net first-year benefit ({money_unit(results.currency)})", fontsize=FONT)
        ax.yaxis.set_major_formatter(money_axis(results.currency))
        ax.tick_params(labelsize=FONT)
    else:
        _empty(ax, f"ROI {results.roi_note}")
    ax.set_title("Net first-year benefit by uplift scenario (highlighted: "
                 f"{SCENARIO_LABELS.get(highlight, highlight)})", fontsize=TITLE_FONT)
    return fig


def coaching_figure(results: WhatIfResults) -> Figure:
    fig, ax = _figure(6.2, left=0.3, top=0.9, bottom=0.12)
    target = float(results.assumptions["target_coaching_hours_per_rep_month"])
    if results.coaching is not None:
        g = results.coaching.reset_index(drop=True)
        colours = [RED if gap > 0 else NAVY for gap in g["gap_hours_per_rep_month"].fillna(0)]
        _per_manager(ax, g, "hours_per_rep_month", colours, lambda v: f"{v:.1f} h")
        ax.axvline(target, color=RED, linestyle="--", label=f"target {target:g} h")
        ax.set_xlabel("coaching hours per rep per month (red: below target)", fontsize=FONT)
        ax.legend(loc="lower right", fontsize=FONT)
    else:
        _empty(ax, "coaching not assessed — needs coaching")
    ax.set_title("Coaching hours per rep per month, by manager", fontsize=TITLE_FONT)
    return fig


def payout_figure(results: WhatIfResults) -> Figure:
    fig, ax = _figure(6.2, left=0.3, top=0.9, bottom=0.12)
    comp = results.compensation
    if comp is not None and comp["payout_change"].notna().any():
        t = comp.dropna(subset=["payout_change"]).reset_index(drop=True)
        colours = [RED if r else NAVY for r in t["risk_flag"]]
        _per_manager(ax, t, "payout_change", colours, lambda v: money_text(v, results.currency))
        ax.axvline(0, color="black", linewidth=0.8)
        ax.xaxis.set_major_locator(MaxNLocator(5))
        ax.xaxis.set_major_formatter(money_axis(results.currency))
        ax.set_xlabel(f"payout change, proposed plan ({money_unit(results.currency)}; "
                      "red: change-management risk)", fontsize=FONT)
    else:
        _empty(ax, f"payout simulation {results.compensation_note or 'not assessed'}")
    ax.set_title("Payout change per manager under the proposed plan", fontsize=TITLE_FONT)
    return fig


def waves_figure(results: WhatIfResults) -> Figure:
    fig, ax = _figure(5.2, left=0.12, top=0.88, bottom=0.14)
    if results.waves is not None and not results.waves.empty:
        w = results.waves
        labels = [str(v) for v in w["wave"]]
        ax.bar(labels, w["leaders"], color=GREEN, label="leaders")
        ax.bar(labels, w["managers"], bottom=w["leaders"], color=NAVY, label="managers")
        ax.bar(labels, w["reps"], bottom=w["leaders"] + w["managers"], color=GREY, label="reps")
        ax.set_xlabel("wave", fontsize=FONT)
        ax.set_ylabel("people trained", fontsize=FONT)
        ax.xaxis.set_major_locator(MaxNLocator(12, integer=True))
        ax.tick_params(labelsize=FONT)
        ax.legend(fontsize=FONT)
    else:
        _empty(ax, "no one to plan")
    ax.set_title("Training plan: people trained per wave", fontsize=TITLE_FONT)
    return fig


CHARTS = {"roi": roi_figure, "coaching": coaching_figure, "payouts": payout_figure, "waves": waves_figure}


def overview_figures(results: WhatIfResults, highlight: str = "base") -> list[Figure]:
    """The four charts, in the Charts tab's order."""
    return [roi_figure(results, highlight), coaching_figure(results), payout_figure(results),
            waves_figure(results)]


def _empty(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", wrap=True, fontsize=FONT)
    ax.set_axis_off()


def figure_png(fig: Figure, dpi: int = 96) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
