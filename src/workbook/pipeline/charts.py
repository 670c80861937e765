"""The notebooks' charts: matplotlib figures built without pyplot (no global state, any backend).

A notebook cell that ends with one of these shows it once (the inline backend renders figures).
Each is a Chart: laid out by matplotlib's constrained layout, which already fits every label inside
the figure, so a notebook shows it at its own size (see `show_charts_uncropped`) instead of the
inline backend's default 'tight' crop, which draws every figure twice to measure it.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from workbook.engagement.currency import money_text
from workbook.pipeline.columns import TIER_LABELS

NAVY, RED, AMBER, GREEN = "#1F3864", "#C00000", "#BF8F00", "#548235"
TIER_COLOURS = {"ready": GREEN, "developing": AMBER, "not_ready": RED}
MAX_BARS = 30


class Chart(Figure):
    """A figure whose layout fits its contents (constrained layout); shown as drawn."""

    def __init__(self, figsize: tuple[float, float]):
        super().__init__(figsize=figsize, layout="constrained")


def show_charts_uncropped(shell) -> None:
    """Render Charts in `shell`'s notebook output at their own size: one drawing instead of the
    two the inline backend's 'tight' crop takes (~a quarter of a chart's time; other figures keep
    the crop, which figures without a layout engine need)."""
    from functools import partial

    from IPython.core.pylabtools import print_figure

    shell.display_formatter.formatters["image/png"].for_type(
        Chart, partial(print_figure, fmt="png", base64=True, bbox_inches=None))


def span_chart(spans: pd.Series) -> Chart:
    """How many reps each front-line manager leads, against a healthy span of 6-8."""
    fig = Chart((8, 3))
    ax = fig.subplots()
    top = int(spans.max()) if len(spans) else 0
    ax.hist(spans, bins=range(0, top + 2), color=NAVY, edgecolor="white")
    ax.axvspan(6, 9, color="#A9D08E", alpha=0.3, label="healthy span 6-8")   # bars cover [n, n+1)
    ax.axvline(11, color=RED, linestyle="--", label="flag above 10")
    ax.set_xlabel("active reps per front-line manager")
    ax.set_ylabel("managers")
    ax.legend()
    return fig


def readiness_chart(readiness: pd.DataFrame, named: int = 5) -> Chart:
    """Team size against readiness, coloured by tier; the first `named` in priority are labelled."""
    fig = Chart((8, 4))
    ax = fig.subplots()
    for tier, colour in TIER_COLOURS.items():
        t = readiness[readiness["tier"] == tier]
        ax.scatter(t["team_size"], t["readiness_score"], color=colour, s=40, label=TIER_LABELS[tier])
    for r in readiness.head(named).itertuples():
        ax.annotate(r.manager_name, (r.team_size, r.readiness_score), fontsize=8, xytext=(4, 4),
                    textcoords="offset points")
    ax.set_xlabel("reps on the team")
    ax.set_ylabel("readiness score (0-100)")
    ax.set_title("Big teams with low readiness train first")
    ax.legend(title="tier")
    return fig


def coaching_chart(gaps: pd.DataFrame, target: float) -> Chart:
    """Coaching hours per rep per month against the target, for the largest gaps."""
    g = gaps.head(MAX_BARS).sort_values("hours_per_rep_month")
    fig = Chart((9, 0.3 * len(g) + 1.2))
    ax = fig.subplots()
    ax.barh(g["manager_name"], g["hours_per_rep_month"], color=NAVY)
    ax.axvline(target, color=RED, linestyle="--", label=f"target {target:g} h")
    ax.set_xlabel("coaching hours per rep per month")
    ax.legend()
    return fig


def link_chart(by_rep: pd.DataFrame, link: dict) -> Chart:
    """Attainment against coaching received, by performer tier, with the fitted line."""
    reps = by_rep.dropna(subset=["attainment"])
    fig = Chart((7, 4))
    ax = fig.subplots()
    for tier, colour in (("low", RED), ("core", NAVY), ("top", GREEN)):
        t = reps[reps["tier"] == tier]
        ax.scatter(t["hours_per_month"], t["attainment"], s=14, color=colour, label=tier)
    xs = pd.Series([0.0, float(reps["hours_per_month"].max() if len(reps) else 0.0)])
    ax.plot(xs, link["intercept"] + link["slope"] * xs, color="black", linewidth=1)
    ax.set_xlabel("coaching hours per month received")
    ax.set_ylabel("attainment")
    ax.legend(title="performer tier")
    return fig


def payout_chart(table: pd.DataFrame, currency: str = "USD") -> Chart:
    """Each manager's payout change under the proposed plan (red: change-management risk);
    the largest decreases and increases when there are many."""
    t = table.dropna(subset=["payout_change"]).sort_values("payout_change")
    if len(t) > MAX_BARS:
        t = pd.concat([t.head(MAX_BARS // 2), t.tail(MAX_BARS // 2)])
    fig = Chart((9, 0.3 * len(t) + 1.2))
    ax = fig.subplots()
    ax.barh(t["manager_name"], t["payout_change"], color=[RED if r else NAVY for r in t["risk_flag"]])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.xaxis.set_major_formatter(lambda v, _: money_text(v, currency, signed=True))
    ax.set_xlabel("payout change under the proposed plan (red: change-management risk)")
    return fig


def impact_chart(by_cohort: pd.DataFrame) -> Chart:
    """Per completion month: coaching hours per rep and core attainment, before and after (matched
    windows, the ramp left out)."""
    fig = Chart((9, 3.2))
    left, right = fig.subplots(1, 2)
    x = range(len(by_cohort))
    for ax, what, title in ((left, "hours_per_rep", "Coaching hours per rep per month"),
                            (right, "core_attainment", "Core performers' attainment")):
        ax.bar([i - 0.2 for i in x], by_cohort[f"{what}_before"], width=0.4, color="#A6A6A6", label="before")
        ax.bar([i + 0.2 for i in x], by_cohort[f"{what}_after"], width=0.4, color=NAVY, label="after")
        ax.set_xticks(list(x), by_cohort["cohort"].astype(str))
        ax.set_xlabel("completed in")
        ax.set_title(title, fontsize=10)
        if what == "core_attainment":
            ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    left.legend()
    return fig
