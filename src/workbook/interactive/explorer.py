"""The workshop what-if explorer: sliders over the assumptions, outputs that follow, save as a scenario.

Laid out for a room: the controls in a side panel on the left, the headline and the result tabs
beside them, so one 1600x900 screen holds cause and effect; text at 16 px or more. Two audiences:

- "consultant" (JupyterLab, the default): also a status line naming engagement.yaml and the
  controls that save the values as scenarios/<name>.yaml for `workbook run`;
- "room" (what `workbook present` serves): the client's name and as-of date as the header, and no
  file path, developer note or save control.

A move recomputes only what the changed value feeds (`WhatIf` copies the rest of the chain) and
redraws only the visible tab: the others are marked stale and drawn when their tab is shown
(`draws` counts each panel drawn). Panels are filled by setting each Output's `outputs` directly
(HTML plus a plain-text summary, charts as PNG), which works from widget callbacks in a kernel and,
for tests, without one.
"""

from __future__ import annotations

import base64
import html
from collections import Counter
from pathlib import Path

import ipywidgets as widgets

from workbook.analyses.roi import SCENARIO_LABELS
from workbook.engagement.assumptions import BY_NAME
from workbook.errors import AssumptionError, ScenarioError
from workbook.interactive import views
from workbook.interactive.charts import CHARTS, figure_png
from workbook.interactive.model import CONTROLS, HIGHLIGHTS, WhatIf

AUDIENCES = ("consultant", "room")
PANELS = ("roi", "coaching", "compensation", "training", "charts", "manager")
CHART_TITLES = {"roi": "Net benefit", "coaching": "Coaching hours", "payouts": "Payout change",
                "waves": "Training waves"}
PANEL_TITLES = {"roi": "ROI model", "coaching": "Coaching gaps", "compensation": "Payouts",
                "training": "Training plan", "charts": "Charts", "manager": "One manager"}
GROUPS = (("ROI model", ("uplift_conservative", "uplift_base", "uplift_upper", "gap_closure_share",
                         "gross_margin_pct")),
          ("Coaching", ("target_coaching_hours_per_rep_month",)),
          ("Compensation", ("team_development_weight",)),
          ("Training plan", ("cohort_size", "weeks_between_waves")))
STEPS = {"percent": 0.005, "hours": 0.25, "weeks": 0.5}
SIDE_WIDTH = "520px"
FONT_PX = 16
# one style sheet for the explorer (scoped to .wb-explorer): 16 px text everywhere, tables that read
# across a room, long tables scrolling inside their tab rather than pushing the page down
STYLE = f"""<style>
.wb-explorer, .wb-explorer .widget-label, .wb-explorer .widget-html-content, .wb-explorer button,
.wb-explorer select, .wb-explorer input, .wb-explorer .lm-TabBar-tab, .wb-explorer .p-TabBar-tab,
.wb-explorer table, .wb-explorer td, .wb-explorer th, .wb-explorer p, .wb-explorer li
  {{ font-size: {FONT_PX}px; line-height: 1.35; }}
.wb-explorer .widget-html-content {{ height: auto; }}
.wb-explorer .wb-title {{ font-size: 26px; font-weight: bold; color: #1F3864; }}
.wb-explorer .wb-subtitle {{ font-size: 17px; color: #404040; }}
.wb-explorer .wb-group {{ font-size: 18px; font-weight: bold; color: #1F3864; margin-top: 6px; }}
.wb-explorer .wb-readout {{ font-size: {FONT_PX}px; font-weight: bold; text-align: right; }}
.wb-explorer .wb-headline {{ font-size: 24px; font-weight: bold; color: #1F3864; }}
.wb-explorer .wb-table {{ border-collapse: collapse; }}
.wb-explorer .wb-table th {{ background: #1F3864; color: white; padding: 4px 10px; position: sticky; top: 0; }}
.wb-explorer .wb-table td {{ padding: 3px 10px; border-bottom: 1px solid #D9D9D9; }}
.wb-explorer .wb-scroll {{ max-height: 520px; overflow-y: auto; }}
.wb-explorer h4 {{ font-size: 18px; margin: 10px 0 4px 0; }}
.wb-explorer .wb-charts img {{ max-width: 100%; height: auto; }}
</style>"""
DEVELOPER_NOTE = ("<b>Save these values as a named scenario</b> (scenarios/&lt;name&gt;.yaml, "
                  "used by <code>workbook run</code>)")


def _display(html_text: str, text: str) -> dict:
    # money is written with "$": keep JupyterLab's MathJax from reading "$1 ... $2" as mathematics
    html_text = f'<div class="tex2jax_ignore mathjax_ignore">{html_text}</div>'
    return {"output_type": "display_data", "data": {"text/html": html_text, "text/plain": text},
            "metadata": {}}


def _image(png: bytes, what: str) -> dict:
    return {"output_type": "display_data", "metadata": {},
            "data": {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": f"<chart: {what}>"}}


def readout(name: str, value: float) -> str:
    """A slider's value written like the value it sets: "8%", "8.5%", "3.0 h", "3.25 h", "4 weeks", "8"."""
    a = BY_NAME[name]
    if a.kind == "percent":
        return views.percent(value)
    if a.kind == "integer":
        return f"{int(value)}"
    if a.kind == "hours":
        return f"{value:.2f} h" if round(value, 1) != round(value, 2) else f"{value:.1f} h"
    if a.kind == "weeks":
        return f"{value:g} weeks"
    return f"{value:g}"


def control_for(name: str, value: float) -> widgets.Widget:
    """A slider over the registry's range for one assumption (CSS class wb-<name>); its value is
    written beside it by the explorer (`readout`), so the slider's own readout is off."""
    a = BY_NAME[name]
    common = {"value": value, "min": a.minimum, "max": a.maximum, "continuous_update": False,
              "readout": False, "layout": widgets.Layout(width="370px"), "tooltip": a.source}
    if a.kind == "integer":
        slider = widgets.IntSlider(step=1, **common)
    else:
        slider = widgets.FloatSlider(step=STEPS.get(a.kind, 0.1), **common)
    slider.add_class(f"wb-{name}")
    return slider


class Explorer(widgets.VBox):
    """The explorer widget. `controls`, `readouts`, `outputs`, `tabs`, `headline`, `manager`,
    `scenario_name`, `overwrite`, `save_button`, `reset_button` and `message` are the widgets;
    `chart_choice` picks the chart the Charts tab shows;
    `what_if` is the model, `results` what the panels show, `draws` how often each panel was drawn."""

    def __init__(self, what_if: WhatIf, audience: str = "consultant"):
        super().__init__()
        if audience not in AUDIENCES:
            raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, got {audience!r}")
        self.what_if = what_if
        self.audience = audience
        self._holding = False
        self.draws: Counter[str] = Counter()
        self._stale: set[str] = set(PANELS)
        self._charts: dict[str, tuple] = {}   # chart -> (key of what it was drawn from, image, that)
        self.controls: dict[str, widgets.Widget] = {
            name: control_for(name, what_if.assumptions[name]) for name in CONTROLS}
        self.readouts = {name: widgets.HTML(readout(name, what_if.assumptions[name]),
                                            layout=widgets.Layout(width="110px"))
                         for name in CONTROLS}
        for r in self.readouts.values():
            r.add_class("wb-readout")
        self.controls["highlight"] = widgets.ToggleButtons(
            options=[(SCENARIO_LABELS[s], s) for s in HIGHLIGHTS], value=what_if.highlight,
            tooltips=["Show this uplift scenario in the headline, table and chart"] * len(HIGHLIGHTS),
            style={"button_width": "140px"})
        self.controls["highlight"].add_class("wb-highlight")
        self.outputs = {name: widgets.Output() for name in PANELS}
        for name, out in self.outputs.items():
            out.add_class(f"wb-{name}")
        self.outputs["charts"].add_class("wb-charts")
        self.chart_choice = widgets.ToggleButtons(
            options=[(CHART_TITLES[c], c) for c in CHARTS], value="roi", style={"button_width": "150px"})
        self.chart_choice.add_class("wb-chart-choice")
        self.headline = widgets.HTML()
        self.headline.add_class("wb-headline-box")
        self.status = widgets.HTML()
        self.status.add_class("wb-status")
        self.manager = widgets.Dropdown(description="Manager", layout=widgets.Layout(width="560px"))
        self.scenario_name = widgets.Text(description="Scenario", placeholder="e.g. workshop-oct")
        self.overwrite = widgets.Checkbox(description="Overwrite if it exists", value=False, indent=False)
        self.save_button = widgets.Button(description="Save scenario", button_style="primary",
                                          icon="save")
        self.reset_button = widgets.Button(description="Back to the engagement's values", icon="undo",
                                           layout=widgets.Layout(width="320px"))
        self.message = widgets.HTML()
        self.message.add_class("wb-message")
        self.tabs = widgets.Tab(children=[self._panel(name) for name in PANELS], selected_index=0)
        for i, name in enumerate(PANELS):
            self.tabs.set_title(i, PANEL_TITLES[name])

        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.tabs.observe(lambda _: self._draw_visible(), names="selected_index")
        self.chart_choice.observe(self._on_chart_choice, names="value")
        self.manager.observe(self._on_manager, names="value")
        self.save_button.on_click(lambda _: self.save())
        self.reset_button.on_click(lambda _: self.reset())
        self.add_class("wb-explorer")
        self.add_class(f"wb-{audience}")
        self.children = self._layout()
        self.refresh()

    # -- layout
    def _header(self) -> widgets.Widget:
        e = self.what_if.engagement
        as_of = self.what_if.data.as_of
        when = f"data as of {as_of:%d %B %Y}".replace(" 0", " ") if as_of is not None else ""
        sub = " · ".join(x for x in ("What if we change the assumptions?", when) if x)
        return widgets.HTML(f'<div class="wb-title">{html.escape(e.client)}</div>'
                            f'<div class="wb-subtitle">{html.escape(sub)}</div>')

    def _side(self) -> widgets.Widget:
        rows: list[widgets.Widget] = []
        for title, names in GROUPS:
            rows.append(widgets.HTML(f'<div class="wb-group">{html.escape(title)}</div>'))
            for name in names:
                rows.append(widgets.HTML(html.escape(BY_NAME[name].label)))
                rows.append(widgets.HBox([self.controls[name], self.readouts[name]]))
            if title == "ROI model":
                rows.append(widgets.HTML("Scenario shown in the headline"))
                rows.append(self.controls["highlight"])
        rows.append(self.reset_button)
        side = widgets.VBox(rows, layout=widgets.Layout(width=SIDE_WIDTH, min_width=SIDE_WIDTH,
                                                        padding="0 16px 0 0"))
        side.add_class("wb-side")
        return side

    def _layout(self) -> tuple[widgets.Widget, ...]:
        main: list[widgets.Widget] = [self.headline, self.status, self.tabs]
        if self.audience == "consultant":
            main += [widgets.HTML(DEVELOPER_NOTE),
                     widgets.HBox([self.scenario_name, self.overwrite, self.save_button]), self.message]
        results = widgets.VBox(main, layout=widgets.Layout(flex="1 1 auto", min_width="0"))
        results.add_class("wb-main")
        return (widgets.HTML(STYLE), self._header(), widgets.HBox([self._side(), results]))

    def _panel(self, name: str) -> widgets.Widget:
        if name == "manager":
            return widgets.VBox([self.manager, self.outputs[name]])
        if name == "charts":
            return widgets.VBox([self.chart_choice, self.outputs[name]])
        return self.outputs[name]

    # -- behaviour
    @property
    def visible(self) -> str:
        """The panel whose tab is shown."""
        return PANELS[self.tabs.selected_index or 0]

    def show(self, panel: str) -> None:
        """Show a panel's tab (drawing it if a change since it was last drawn made it stale)."""
        self.tabs.selected_index = PANELS.index(panel)
        self._draw_visible()

    def _on_change(self, change) -> None:
        if self._holding:
            return
        control = change["owner"]
        name = next(n for n, c in self.controls.items() if c is control)
        if name in self.readouts:
            self.readouts[name].value = readout(name, change["new"])
        try:
            if name == "highlight":
                self.what_if.set_highlight(change["new"])
            else:
                self.what_if.set(**{name: change["new"]})
        except AssumptionError as exc:
            self.status.value = f"<span style='color:#C00000'>{html.escape(str(exc))}</span>"
            return
        self.refresh()

    def refresh(self) -> None:
        """Recompute (the model reuses what the change does not feed), update the headline and the
        status, and redraw the visible panel; the other panels are drawn when their tab is shown."""
        self.results = self.what_if.results()
        self._stale = set(PANELS)
        self.headline.value = views.headline(self.results, self.what_if.highlight)[0]
        self.status.value = self._status()
        self._draw_visible()

    def _draw_visible(self) -> None:
        panel = self.visible
        if panel in self._stale:
            self._stale.discard(panel)
            self._draw(panel)

    def _draw(self, panel: str) -> None:
        self.draws[panel] += 1
        results, highlight = self.results, self.what_if.highlight
        if panel == "charts":   # the chart picked above it; the others are drawn when picked
            self.outputs["charts"].outputs = (self._chart(self.chart_choice.value),)
            return
        if panel == "manager":
            self._update_managers()
            self.show_manager()
            return
        view = {"roi": lambda: views.roi_view(results, highlight),
                "coaching": lambda: views.coaching_view(results),
                "compensation": lambda: views.compensation_view(results),
                "training": lambda: views.training_view(results)}[panel]()
        self.outputs[panel].outputs = (_display(*view),)

    def _chart(self, name: str) -> dict:
        """One chart's image, redrawn only when what it plots changed (steps the model reused are
        the same objects)."""
        r = self.results
        source = {"roi": (r.roi, self.what_if.highlight), "coaching": (r.coaching,),
                  "payouts": (r.compensation,), "waves": (r.waves,)}[name]
        key = tuple(id(x) if not isinstance(x, str) else x for x in source)
        cached = self._charts.get(name)
        if cached is None or cached[0] != key:
            self.draws[f"chart:{name}"] += 1
            figure = CHARTS[name](r, self.what_if.highlight) if name == "roi" else CHARTS[name](r)
            cached = (key, _image(figure_png(figure), name), source)   # source kept alive: ids stay unique
            self._charts[name] = cached
        return cached[1]

    def _on_chart_choice(self, _change) -> None:
        if self.visible == "charts":
            self._draw("charts")
        else:
            self._stale.add("charts")

    def _update_managers(self) -> None:
        options = self.what_if.managers()
        if list(self.manager.options) != options:
            keep = self.manager.value
            self._holding = True
            try:
                self.manager.options = options
                ids = [v for _, v in options]
                self.manager.value = keep if keep in ids else (ids[0] if ids else None)
            finally:
                self._holding = False

    def _on_manager(self, _change) -> None:
        if not self._holding:
            self.show_manager()

    def show_manager(self) -> None:
        if not self.manager.options:
            self._update_managers()
        if self.manager.value is None:
            self.outputs["manager"].outputs = (_display("<p>No front-line managers.</p>", "No managers."),)
            return
        self.outputs["manager"].outputs = (_display(*views.manager_view(
            self.what_if.manager_detail(self.manager.value), self.results.currency)),)

    def _status(self) -> str:
        changed = self.what_if.changed()
        if self.audience == "room":
            if not changed:
                return "<i>All values as agreed for the engagement.</i>"
            base = "the engagement's values"
        else:
            scenario = self.what_if.engagement.scenario
            base = "engagement.yaml" + (f" with {scenario}" if scenario else "")
            if not changed:
                return f"<i>All values as {html.escape(base)} sets them.</i>"
        items = "; ".join(f"{html.escape(BY_NAME[k].label)}: {readout(k, a)} → <b>{readout(k, b)}</b>"
                          for k, (a, b) in changed.items())
        return f"Changed from {html.escape(base)}: {items}"

    def reset(self) -> None:
        self.what_if.reset()
        self._sync_controls()
        self.refresh()

    def _sync_controls(self) -> None:
        self._holding = True
        try:
            for name in CONTROLS:
                self.controls[name].value = self.what_if.assumptions[name]
                self.readouts[name].value = readout(name, self.what_if.assumptions[name])
            self.controls["highlight"].value = self.what_if.highlight
        finally:
            self._holding = False

    def save(self) -> None:
        try:
            saved = self.what_if.save_scenario(self.scenario_name.value, overwrite=self.overwrite.value)
        except ScenarioError as exc:
            self.message.value = f"<span style='color:#C00000'>{html.escape(str(exc))}</span>"
            return
        self.overwrite.value = False
        self.message.value = f"<span style='color:#548235'>{html.escape(saved.message())}</span>"
        self.refresh()


def build_explorer(engagement_dir: str | Path, audience: str = "consultant") -> Explorer:
    """Load the engagement once and return the explorer widget (display it, or leave it last in a cell).

    audience="consultant" (JupyterLab) adds the status against engagement.yaml and the save-scenario
    controls; audience="room" (`workbook present`) shows the client's name and as-of date and no
    file path, developer note or save control."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, got {audience!r}")
    return Explorer(WhatIf(engagement_dir), audience=audience)
