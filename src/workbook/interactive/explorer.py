"""The workshop what-if explorer: sliders over the assumptions, outputs that follow, save as a scenario.

Panels are filled by setting each Output's `outputs` directly (rich HTML plus a
plain-text summary, charts as PNG), which works from widget callbacks in a
kernel and, for tests, without one.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

import ipywidgets as widgets

from workbook.analyses.roi import SCENARIO_LABELS
from workbook.engagement.assumptions import BY_NAME
from workbook.errors import AssumptionError, ScenarioError
from workbook.interactive import views
from workbook.interactive.charts import figure_png, overview_figure
from workbook.interactive.model import CONTROLS, HIGHLIGHTS, WhatIf

PANELS = ("roi", "coaching", "compensation", "training", "charts", "manager")
PANEL_TITLES = {"roi": "ROI model", "coaching": "Coaching gaps", "compensation": "Payouts",
                "training": "Training plan", "charts": "Charts", "manager": "Manager drill-down"}
GROUPS = (("ROI model", ("uplift_conservative", "uplift_base", "uplift_upper", "gap_closure_share",
                         "gross_margin_pct")),
          ("Coaching", ("target_coaching_hours_per_rep_month",)),
          ("Compensation", ("team_development_weight",)),
          ("Training plan", ("cohort_size", "weeks_between_waves")))
STEPS = {"percent": 0.005, "hours": 0.25, "weeks": 0.5}
LABEL_WIDTH = "340px"


def _display(html_text: str, text: str) -> dict:
    # money is written with "$": keep JupyterLab's MathJax from reading "$1 ... $2" as mathematics
    html_text = f'<div class="tex2jax_ignore mathjax_ignore">{html_text}</div>'
    return {"output_type": "display_data", "data": {"text/html": html_text, "text/plain": text},
            "metadata": {}}


def _image(png: bytes) -> dict:
    return {"output_type": "display_data", "metadata": {},
            "data": {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": "<overview charts>"}}


def control_for(name: str, value: float) -> widgets.Widget:
    """A slider over the registry's range for one assumption (CSS class wb-<name>)."""
    a = BY_NAME[name]
    common = {"value": value, "min": a.minimum, "max": a.maximum, "continuous_update": False,
              "layout": widgets.Layout(width="420px"), "tooltip": a.source}
    if a.kind == "integer":
        slider = widgets.IntSlider(step=1, **common)
    elif a.kind == "percent":
        slider = widgets.FloatSlider(step=STEPS["percent"], readout_format=".1%", **common)
    else:
        slider = widgets.FloatSlider(step=STEPS.get(a.kind, 0.1), readout_format=".2f", **common)
    slider.add_class(f"wb-{name}")
    return slider


class Explorer(widgets.VBox):
    """The explorer widget. `controls`, `outputs`, `manager`, `scenario_name`, `overwrite`,
    `save_button`, `reset_button` and `message` are the widgets; `what_if` is the model and
    `results` what the panels currently show."""

    def __init__(self, what_if: WhatIf):
        super().__init__()
        self.what_if = what_if
        self._holding = False
        self.controls: dict[str, widgets.Widget] = {
            name: control_for(name, what_if.assumptions[name]) for name in CONTROLS}
        self.controls["highlight"] = widgets.ToggleButtons(
            options=[(SCENARIO_LABELS[s], s) for s in HIGHLIGHTS], value=what_if.highlight,
            tooltips=["Show this uplift scenario first in the ROI panel"] * len(HIGHLIGHTS))
        self.controls["highlight"].add_class("wb-highlight")
        self.outputs = {name: widgets.Output() for name in PANELS}
        for name, out in self.outputs.items():
            out.add_class(f"wb-{name}")
        self.status = widgets.HTML()
        self.status.add_class("wb-status")
        self.manager = widgets.Dropdown(description="Manager", options=what_if.managers(),
                                        layout=widgets.Layout(width="480px"))
        self.scenario_name = widgets.Text(description="Scenario", placeholder="e.g. workshop-oct")
        self.overwrite = widgets.Checkbox(description="Overwrite if it exists", value=False, indent=False)
        self.save_button = widgets.Button(description="Save scenario", button_style="primary",
                                          icon="save")
        self.reset_button = widgets.Button(description="Back to the engagement's values", icon="undo",
                                           layout=widgets.Layout(width="260px"))
        self.message = widgets.HTML()
        self.message.add_class("wb-message")

        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.manager.observe(lambda _: self.show_manager(), names="value")
        self.save_button.on_click(lambda _: self.save())
        self.reset_button.on_click(lambda _: self.reset())
        self.children = self._layout()
        self.refresh()

    # -- layout
    def _layout(self) -> tuple[widgets.Widget, ...]:
        rows: list[widgets.Widget] = []
        for title, names in GROUPS:
            rows.append(widgets.HTML(f"<b>{html.escape(title)}</b>"))
            for name in names:
                label = widgets.HTML(html.escape(BY_NAME[name].label), layout=widgets.Layout(width=LABEL_WIDTH))
                rows.append(widgets.HBox([label, self.controls[name]]))
            if title == "ROI model":
                label = widgets.HTML("Highlighted scenario", layout=widgets.Layout(width=LABEL_WIDTH))
                rows.append(widgets.HBox([label, self.controls["highlight"]]))
        save = widgets.HBox([self.scenario_name, self.overwrite, self.save_button])
        tabs = widgets.Tab(children=[self._panel(name) for name in PANELS])
        for i, name in enumerate(PANELS):
            tabs.set_title(i, PANEL_TITLES[name])
        return (widgets.VBox(rows), widgets.HBox([self.reset_button]), self.status, tabs,
                widgets.HTML("<b>Save these values as a named scenario</b> (scenarios/&lt;name&gt;.yaml, "
                             "used by <code>workbook run</code>)"), save, self.message)

    def _panel(self, name: str) -> widgets.Widget:
        if name == "manager":
            return widgets.VBox([self.manager, self.outputs[name]])
        return self.outputs[name]

    # -- behaviour
    def _on_change(self, change) -> None:
        if self._holding:
            return
        control = change["owner"]
        name = next(n for n, c in self.controls.items() if c is control)
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
        """Recompute (memoised per set of assumptions) and redraw every panel."""
        self.results = results = self.what_if.results()
        highlight = self.what_if.highlight
        for name, view in (("roi", views.roi_view(results, highlight)),
                           ("coaching", views.coaching_view(results)),
                           ("compensation", views.compensation_view(results)),
                           ("training", views.training_view(results))):
            self.outputs[name].outputs = (_display(*view),)
        self.outputs["charts"].outputs = (_image(figure_png(overview_figure(results, highlight))),)
        options = self.what_if.managers()
        if list(self.manager.options) != options:
            keep = self.manager.value
            self.manager.options = options
            if keep in [v for _, v in options]:
                self.manager.value = keep
        self.show_manager()
        self.status.value = self._status()

    def show_manager(self) -> None:
        if self.manager.value is None:
            self.outputs["manager"].outputs = (_display("<p>No front-line managers.</p>", "No managers."),)
            return
        self.outputs["manager"].outputs = (_display(*views.manager_view(
            self.what_if.manager_detail(self.manager.value))),)

    def _status(self) -> str:
        changed = self.what_if.changed()
        scenario = self.what_if.engagement.scenario
        base = "engagement.yaml" + (f" with {scenario}" if scenario else "")
        if not changed:
            return f"<i>All values as {html.escape(base)} sets them.</i>"
        items = "; ".join(f"{html.escape(BY_NAME[k].label)}: {_fmt(k, a)} → <b>{_fmt(k, b)}</b>"
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


def _fmt(name: str, value: float) -> str:
    return f"{value:.1%}" if BY_NAME[name].kind == "percent" else f"{value:g}"


def build_explorer(engagement_dir: str | Path) -> Explorer:
    """Load the engagement once and return the explorer widget (display it, or leave it last in a cell)."""
    return Explorer(WhatIf(engagement_dir))
