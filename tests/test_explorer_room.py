"""The what-if explorer in front of a room (issue 18): what the client sees, in which formats, how
charts scale, and that a move redraws only the visible tab. Timing is left to
benchmarks/whatif_benchmark.py."""

from __future__ import annotations

import re
import shutil
from types import SimpleNamespace

import ipywidgets as widgets
import numpy as np
import pandas as pd
import pytest

from workbook.interactive import CONTROLS, build_explorer
from workbook.interactive.charts import TOP_N, coaching_figure, payout_figure, roi_figure
from workbook.interactive.explorer import PANELS, readout
from workbook.interactive.model import STEP_READS, ExplorerAnalysis, WhatIf

DEVELOPER_NOTES = ("make lab", "workbook run", "scenarios/", ".yaml", "engagement.yaml", "Save scenario")


@pytest.fixture(scope="module")
def gbp(demo_engagement, tmp_path_factory):
    """The demo as a GBP engagement."""
    folder = shutil.copytree(demo_engagement, tmp_path_factory.mktemp("room") / "demo")
    config = folder / "engagement.yaml"
    text = config.read_text(encoding="utf-8")
    assert re.search(r"(?m)^currency: USD", text)
    config.write_text(re.sub(r"(?m)^currency: USD", "currency: GBP", text), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def room(gbp):
    return build_explorer(gbp, audience="room")


def every_text(widget: widgets.Widget) -> str:
    """Everything a widget tree shows: HTML values, descriptions, options, titles, panel outputs."""
    parts = []
    for name in ("value", "description", "placeholder", "tooltip"):
        v = getattr(widget, name, None)
        if isinstance(v, str):
            parts.append(v)
    parts += [str(o) for o in getattr(widget, "options", ()) or ()]
    if isinstance(widget, widgets.Tab):
        parts += [str(widget.get_title(i)) for i in range(len(widget.children))]
    if isinstance(widget, widgets.Output):
        parts += [o["data"].get("text/html", "") + o["data"].get("text/plain", "") for o in widget.outputs
                  if "image/png" not in o["data"]]
    for child in getattr(widget, "children", ()) or ():
        parts.append(every_text(child))
    return "\n".join(parts)


def panel_html(ex, panel: str) -> str:
    ex.show(panel)
    return "\n".join(o["data"].get("text/html", "") for o in ex.outputs[panel].outputs)


def test_room_shows_the_client_and_no_path_or_developer_note(room, gbp):
    for panel in PANELS:
        room.show(panel)
    shown = every_text(room)
    assert room.what_if.engagement.client in shown
    assert "data as of 30 September 2026" in shown
    assert str(gbp) not in shown and str(gbp.name) + "/" not in shown
    for note in DEVELOPER_NOTES:
        assert note not in shown, note
    assert room.save_button not in list(_walk(room))
    room.show("roi")


def test_consultant_keeps_the_save_controls_and_status(gbp):
    ex = build_explorer(gbp)
    assert ex.save_button in list(_walk(ex))
    assert "engagement.yaml" in ex.status.value
    with pytest.raises(ValueError, match="audience"):
        build_explorer(gbp, audience="board")


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _walk(child)


def test_layout_side_panel_and_16px(room):
    top = room.children[-1]
    assert isinstance(top, widgets.HBox)
    side, main = top.children
    assert all(room.controls[name] in list(_walk(side)) for name in CONTROLS)
    assert room.tabs in list(_walk(main)) and room.headline in list(_walk(main))
    sizes = [int(px) for px in re.findall(r"font-size:\s*(\d+)px", room.children[0].value)]
    assert sizes and min(sizes) >= 16


def test_gbp_everywhere_and_one_negative_format(room):
    for panel in PANELS:
        page = panel_html(room, panel)
        assert "$" not in page, panel
    assert "£" in panel_html(room, "roi") and "£" in panel_html(room, "compensation")
    assert "£" in room.headline.value and "$" not in room.headline.value
    pages = " ".join(panel_html(room, p) for p in PANELS) + room.headline.value
    assert not re.search(r"£-", pages)                       # "-£27,499", never "£-27,499"
    negatives = re.findall(r"-£[\d,]+", pages)
    assert negatives                                         # the demo has negative net benefits and payouts
    room.show("roi")


def test_roi_as_a_percent_and_readouts_like_their_values(room):
    roi = room.results.roi.set_index("scenario")
    base = roi.loc["base", "roi_pct"]
    assert f"ROI {base:,.0f}%" in room.headline.value
    page = panel_html(room, "roi")
    assert f"{base:,.0f}%" in page and f"{base:.1f}<" not in page
    assert readout("uplift_base", 0.08) == "8%" and readout("uplift_base", 0.085) == "8.5%"
    assert readout("target_coaching_hours_per_rep_month", 3) == "3.0 h"
    assert readout("target_coaching_hours_per_rep_month", 3.25) == "3.25 h"
    assert readout("cohort_size", 8) == "8"
    assert room.readouts["uplift_base"].value == readout("uplift_base", room.controls["uplift_base"].value)


def test_tiers_pillars_and_performer_tiers_in_words(room):
    room.show("manager")
    readiness = room.results.readiness
    room.manager.value = readiness.iloc[0]["manager_id"]
    page = panel_html(room, "manager")
    assert re.search(r"\b(Ready|Developing|Not ready)\b", page)
    assert "not_ready" not in page and "buy-in<" not in page and "Buy-in" in page
    assert not re.search(r">(low|core|top)<", page)
    assert re.search(r">(Low|Core|Top) performer<", page)
    assert ">assessed<" not in page and ">Status<" not in page
    room.show("roi")


def fake_results(n: int, currency: str = "GBP") -> SimpleNamespace:
    rng = np.random.default_rng(1)
    names = [f"Manager {i:03d}" for i in range(n)]
    coaching = pd.DataFrame({"manager_name": names, "hours_per_rep_month": rng.uniform(0, 6, n),
                             "gap_hours_per_rep_month": rng.uniform(0, 2, n)})
    comp = pd.DataFrame({"manager_name": names, "payout_change": rng.normal(0, 4000, n),
                         "risk_flag": rng.random(n) < 0.2})
    roi = pd.DataFrame({"scenario": ["conservative", "base", "upper"],
                        "net_benefit": [-27_499.0, 12_000.0, 150_000.0]})
    return SimpleNamespace(coaching=coaching, compensation=comp, roi=roi, currency=currency,
                           assumptions={"target_coaching_hours_per_rep_month": 3.0}, compensation_note="",
                           roi_note="")


def test_500_managers_chart_shows_top_and_bottom_with_the_rest_summarised():
    results = fake_results(500)
    for figure in (coaching_figure(results), payout_figure(results)):
        ax = figure.axes[0]
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert len(labels) <= 2 * TOP_N + 1
        assert any(label.startswith("480 others") for label in labels)
        assert min(t.get_fontsize() for t in ax.get_yticklabels()) >= 10
    small = fake_results(12)
    assert len(coaching_figure(small).axes[0].get_yticklabels()) == 12


def test_chart_titles_and_money_axes():
    results = fake_results(30)
    ax = roi_figure(results, "base").axes[0]
    assert "net" in ax.get_title().lower() and "benefit" in ax.get_title().lower()
    assert "GBP" in ax.get_ylabel()
    ax.figure.canvas.draw() if hasattr(ax.figure, "canvas") else None
    ticks = [ax.yaxis.get_major_formatter()(v, 0) for v in (-20_000, 0, 150_000)]
    assert ticks[0] == "-£20k" and ticks[2] == "£150k"
    pay = payout_figure(results).axes[0]
    assert "GBP" in pay.get_xlabel()
    assert any("£" in label.get_text() for label in pay.get_yticklabels())   # the summary bar's range


def test_a_move_redraws_only_the_visible_tab(gbp):
    ex = build_explorer(gbp, audience="room")
    ex.show("coaching")
    before = dict(ex.draws)
    ex.controls["target_coaching_hours_per_rep_month"].value = 4.0
    ex.controls["uplift_base"].value = 0.1
    after = dict(ex.draws)
    assert after["coaching"] == before["coaching"] + 2
    for panel in PANELS:
        if panel != "coaching":
            assert after.get(panel, 0) == before.get(panel, 0), panel
    assert not any(k.startswith("chart:") for k in after)      # no chart drawn while charts are hidden
    ex.show("charts")                                          # drawn once, when shown
    assert ex.draws["charts"] == 1 and ex.draws["chart:roi"] == 1
    ex.controls["weeks_between_waves"].value = 6.0             # the ROI chart does not move: not redrawn
    assert ex.draws["charts"] == 2 and ex.draws["chart:roi"] == 1
    ex.chart_choice.value = "payouts"
    assert ex.draws["chart:payouts"] == 1 and ex.draws.get("chart:waves", 0) == 0


@pytest.mark.parametrize("name, value", [
    ("uplift_base", 0.11), ("gap_closure_share", 0.7), ("gross_margin_pct", 0.4),
    ("target_coaching_hours_per_rep_month", 4.5), ("team_development_weight", 0.3), ("cohort_size", 3),
    ("weeks_between_waves", 7.0)])
def test_steps_copied_from_an_earlier_chain_equal_a_fresh_chain(gbp, name, value):
    model = WhatIf(gbp)
    first = model.analysis
    for step in sorted(STEP_READS, key=lambda s: s != "payouts"):   # payouts first: without the sweep
        getattr(first, step)   # every step computed, so every reusable one is copied
    model.set(**{name: value})
    copied = model.analysis
    assert model.reused and all(name not in STEP_READS[s] for s in model.reused)
    fresh = ExplorerAnalysis(model.data, model.assumptions)
    for step in sorted(model.reused, key=lambda s: s != "payouts"):   # as above
        _assert_same(getattr(copied, step), getattr(fresh, step), step)
    for step in set(STEP_READS) - model.reused:
        assert step not in vars(copied) or getattr(copied, step) is not getattr(first, step)


def _assert_same(a, b, step):
    if isinstance(a, pd.DataFrame) or isinstance(b, pd.DataFrame):
        assert type(a) is type(b), step
        pd.testing.assert_frame_equal(a, b, obj=step)
    elif isinstance(a, pd.Series) or isinstance(b, pd.Series):
        pd.testing.assert_series_equal(a, b, obj=step)
    elif hasattr(a, "__dataclass_fields__"):
        for field in a.__dataclass_fields__:
            _assert_same(getattr(a, field), getattr(b, field), f"{step}.{field}")
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), step
        for k in a:
            _assert_same(a[k], b[k], f"{step}[{k}]")
    elif isinstance(a, float) and np.isnan(a):
        assert np.isnan(b), step
    else:
        assert a == b, step


def test_payouts_equal_the_run_s_compensation_step(gbp):
    model = WhatIf(gbp)
    model.set(team_development_weight=0.25)
    fresh = ExplorerAnalysis(model.data, model.assumptions)
    pd.testing.assert_frame_equal(model.results().compensation, fresh.compensation.table)
    assert model.results().compensation_notes == list(fresh.compensation.notes)
