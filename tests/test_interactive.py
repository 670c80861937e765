"""The what-if explorer, driven in Python: sliders move, outputs follow the analysis functions exactly,
and a saved scenario makes `workbook run` reproduce what the explorer showed."""

from __future__ import annotations

import dataclasses
import shutil

import numpy as np
import pandas as pd
import pytest
import yaml

from workbook.analyses.attainment import rep_performance
from workbook.analyses.coaching import coaching_by_manager, gap_totals
from workbook.analyses.compensation import recommend
from workbook.analyses.readiness import assess_readiness
from workbook.analyses.roi import roi_inputs, roi_scenarios
from workbook.analyses.training_plan import plan_training, wave_summary
from workbook.analyses.window import Window
from workbook.engagement.assumptions import BY_NAME
from workbook.engagement.config import load_engagement
from workbook.errors import AssumptionError, ScenarioError
from workbook.interactive import CONTROLS, Explorer, WhatIf, build_explorer, what_if
from workbook.interactive.scenario import set_scenario_line


@pytest.fixture(scope="module")
def shared_copy(demo_engagement, tmp_path_factory):
    """A copy of the demo nobody saves into (read-only tests share one explorer)."""
    return shutil.copytree(demo_engagement, tmp_path_factory.mktemp("explore") / "demo")


@pytest.fixture
def explorer(shared_copy):
    return build_explorer(shared_copy)


@pytest.fixture
def engagement(demo_engagement, tmp_path):
    """A private copy of the demo engagement: saving a scenario edits it."""
    return shutil.copytree(demo_engagement, tmp_path / "demo")


def expected(data, assumptions: dict) -> dict:
    """What the analysis functions compute with these assumptions, chained as the pipeline does."""
    t = data.tables
    window = Window.trailing(data.as_of, int(assumptions["analysis_window_months"]))
    perf = rep_performance(t["people"], t["sales"], window, assumptions["core_band_low_pct"],
                           assumptions["core_band_high_pct"])
    coaching = coaching_by_manager(t["people"], t["coaching"], window, assumptions, perf)
    readiness = assess_readiness(t, data.as_of, assumptions, coaching)
    plan = plan_training(t["people"], readiness, data.as_of, assumptions)
    return {
        "coaching": coaching,
        "roi": roi_scenarios(roi_inputs(coaching, perf, t["people"], window, readiness), assumptions),
        "compensation": recommend(t["compensation"].reset_index(drop=True), readiness, coaching,
                                  assumptions)[0],
        "plan": plan,
        "waves": wave_summary(plan),
    }


def text(ex: Explorer, panel: str) -> str:
    ex.show(panel)   # a hidden panel is drawn when its tab is shown
    return "\n".join(o["data"]["text/plain"] for o in ex.outputs[panel].outputs)


def html(ex: Explorer, panel: str) -> str:
    ex.show(panel)
    return "\n".join(o["data"].get("text/html", "") for o in ex.outputs[panel].outputs)


# --- the controls -----------------------------------------------------------------------------

def test_controls_cover_the_assumptions_with_registry_ranges(explorer):
    assumptions = explorer.what_if.assumptions
    for name in CONTROLS:
        control = explorer.controls[name]
        assert (control.min, control.max) == (BY_NAME[name].minimum, BY_NAME[name].maximum), name
        assert control.value == assumptions[name]
        assert control.continuous_update is False   # recompute on release, not on every pixel
    assert explorer.controls["highlight"].value == "base"
    for panel in ("roi", "coaching", "compensation", "training", "charts", "manager"):
        explorer.show(panel)
        assert explorer.outputs[panel].outputs, f"{panel} is empty"
    assert "All values as engagement.yaml" in explorer.status.value


def test_outputs_at_start_equal_the_pipeline(explorer):
    a = explorer.what_if.assumptions.as_dict()
    want = expected(explorer.what_if.data, a)
    pd.testing.assert_frame_equal(explorer.results.roi, want["roi"])
    pd.testing.assert_frame_equal(explorer.results.compensation, want["compensation"])
    pd.testing.assert_frame_equal(explorer.results.plan, want["plan"])


def test_raising_uplift_base_raises_the_base_benefit_as_roi_scenarios_computes(explorer):
    before = explorer.results.roi.set_index("scenario")
    explorer.controls["uplift_base"].value = 0.12
    after = explorer.results.roi.set_index("scenario")
    a = {**explorer.what_if.baseline.as_dict(), "uplift_base": 0.12}
    pd.testing.assert_frame_equal(explorer.results.roi, expected(explorer.what_if.data, a)["roi"])
    assert after.at["base", "annual_benefit"] > before.at["base", "annual_benefit"]
    assert after.at["base", "annual_benefit"] == pytest.approx(
        before.at["base", "annual_benefit"] * 0.12 / before.at["base", "uplift"], rel=1e-12)
    assert after.at["upper", "annual_benefit"] == before.at["upper", "annual_benefit"]
    shown = text(explorer, "roi")
    assert "uplift 12%" in shown
    assert f"${after.at['base', 'annual_benefit']:,.0f}" in shown
    assert "12.0%" in html(explorer, "roi")
    assert "Core-performer uplift, base scenario: 8% → <b>12%</b>" in explorer.status.value


def test_raising_the_target_hours_increases_the_gap_and_recomputes_the_roi(explorer):
    before = dict(explorer.results.gap_totals)
    explorer.controls["target_coaching_hours_per_rep_month"].value = 4.5
    a = {**explorer.what_if.baseline.as_dict(), "target_coaching_hours_per_rep_month": 4.5}
    want = expected(explorer.what_if.data, a)
    assert explorer.results.gap_totals == gap_totals(want["coaching"])
    assert explorer.results.gap_totals["gap_manager_hours_per_month"] > before["gap_manager_hours_per_month"]
    assert explorer.results.gap_totals["managers_below_target"] >= before["managers_below_target"]
    pd.testing.assert_frame_equal(explorer.results.roi, want["roi"])       # the gap hours fed the ROI
    pd.testing.assert_frame_equal(explorer.results.compensation, want["compensation"])
    pd.testing.assert_frame_equal(explorer.results.plan, want["plan"])     # readiness -> priorities
    assert "below 4.5 hours per rep per month" in text(explorer, "coaching")
    assert (explorer.results.coaching_gaps["target_hours_per_rep_month"] == 4.5).all()


def test_team_development_weight_changes_proposed_payouts_as_compensation_predicts(explorer):
    before = explorer.results.compensation.set_index("manager_id")
    explorer.controls["team_development_weight"].value = 0.3
    after = explorer.results.compensation.set_index("manager_id")
    a = {**explorer.what_if.baseline.as_dict(), "team_development_weight": 0.3}
    pd.testing.assert_frame_equal(explorer.results.compensation,
                                  expected(explorer.what_if.data, a)["compensation"])
    pd.testing.assert_series_equal(after["payout_current_plan"], before["payout_current_plan"])
    assert not np.allclose(after["payout_proposed_plan"], before["payout_proposed_plan"])
    assert (after["proposed_weight_team_development"] == 0.3).all()
    assert "Team development at 30% of target variable" in text(explorer, "compensation")


def test_cohort_size_and_weeks_between_waves_change_the_waves(explorer):
    waves_before = len(explorer.results.waves)
    explorer.controls["cohort_size"].value = 2
    a = {**explorer.what_if.baseline.as_dict(), "cohort_size": 2}
    want = expected(explorer.what_if.data, a)
    pd.testing.assert_frame_equal(explorer.results.waves, want["waves"])
    assert len(explorer.results.waves) > waves_before
    assert text(explorer, "training").startswith(f"{len(want['waves'])} waves of up to 2 managers")
    starts = explorer.results.waves["start_date"]
    explorer.controls["weeks_between_waves"].value = 8.0
    want = expected(explorer.what_if.data, {**a, "weeks_between_waves": 8.0})
    pd.testing.assert_frame_equal(explorer.results.waves, want["waves"])
    plan = explorer.results.plan
    cohorts = plan[plan["role"] != "rep"].groupby("wave")["start_date"].min()
    assert (cohorts.diff().dropna() >= pd.Timedelta(weeks=8)).all()  # 8 weeks, more after a blackout
    assert explorer.results.waves["start_date"].iloc[0] == starts.iloc[0]


def test_highlighted_scenario_and_charts(explorer):
    explorer.controls["highlight"].value = "upper"
    assert text(explorer, "roi").startswith("Upper scenario (uplift 19%)")
    assert "background-color: #FFF2CC" in html(explorer, "roi")
    explorer.show("charts")
    chart = explorer.outputs["charts"].outputs[0]["data"]
    assert chart["image/png"][:8] == "iVBORw0K"   # base64 of the PNG signature


def test_reset_restores_the_engagement_values(explorer):
    explorer.controls["gross_margin_pct"].value = 1.0
    explorer.controls["cohort_size"].value = 3
    explorer.reset_button.click()
    assert explorer.what_if.overrides == {}
    assert explorer.controls["gross_margin_pct"].value == explorer.what_if.baseline["gross_margin_pct"]
    assert explorer.controls["cohort_size"].value == explorer.what_if.baseline["cohort_size"]
    assert "All values as engagement.yaml" in explorer.status.value


def test_manager_drill_down(explorer):
    readiness = explorer.results.readiness
    explorer.show("manager")   # the list is filled (in priority order) when the tab is shown
    assert [v for _, v in explorer.manager.options] == list(readiness["manager_id"])
    second = readiness.iloc[1]
    explorer.manager.value = second["manager_id"]
    shown = text(explorer, "manager")
    assert second["manager_name"] in shown and str(second["why"]) in shown
    assert f"ADKAR barrier point: {str(second['barrier_point']).capitalize() or 'none'}" in shown
    detail = explorer.what_if.manager_detail(second["manager_id"])
    assert list(detail["pillars"]["score"].fillna(-1)) == [
        second[f"score_{p}"] if pd.notna(second[f"score_{p}"]) else -1
        for p in ("scale", "team_health", "modelling", "buy_in", "coaching", "results")]
    assert len(detail["team"]) == second["team_size"]
    assert (detail["team"]["wave"] > detail["wave"]).all()   # every rep after their manager
    page = html(explorer, "manager")
    assert "Pillar scores" in page and "Coaching pattern" in page and "Team" in page


def test_out_of_range_values_are_refused(shared_copy):
    model = WhatIf(shared_copy)
    with pytest.raises(AssumptionError, match="at most 1"):
        model.set(gap_closure_share=1.5)
    assert model.overrides == {}
    model.set(uplift_base=model.baseline["uplift_base"])   # equal to the engagement: not a change
    assert model.overrides == {} and model.changed() == {}


def test_without_compensation_payouts_say_not_assessed(shared_copy):
    data = WhatIf(shared_copy).data
    trimmed = dataclasses.replace(data, tables={k: v for k, v in data.tables.items() if k != "compensation"},
                                  cache={})
    ex = Explorer(WhatIf(shared_copy, data=trimmed))
    assert ex.results.compensation is None
    assert "not assessed — needs compensation" in text(ex, "compensation")
    ex.controls["team_development_weight"].value = 0.25
    assert "puts 25% of target variable on team development" in text(ex, "compensation")


def test_what_if_is_pure_and_ignores_the_pipeline_cache(shared_copy):
    model = WhatIf(shared_copy)
    a = model.baseline.with_overrides({"target_coaching_hours_per_rep_month": 5}).as_dict()
    model.data.cache["analysis"] = "stale: computed with the engagement's assumptions"
    try:
        first, again = what_if(model.data, a), what_if(model.data, a)
    finally:
        model.data.cache.pop("analysis")
    pd.testing.assert_frame_equal(first.roi, again.roi)
    pd.testing.assert_frame_equal(first.roi, expected(model.data, a)["roi"])


# --- saving scenarios --------------------------------------------------------------------------

@pytest.mark.slow
def test_saved_scenario_makes_workbook_run_reproduce_what_was_shown(engagement, tmp_path):
    from workbook.pipeline.results import read_results
    from workbook.run.runner import run_engagement

    ex = build_explorer(engagement)
    for name, value in {"uplift_base": 0.105, "target_coaching_hours_per_rep_month": 4.25,
                        "gap_closure_share": 0.6, "team_development_weight": 0.25, "cohort_size": 4,
                        "weeks_between_waves": 6.0}.items():
        ex.controls[name].value = value
    shown = ex.results
    ex.scenario_name.value = "workshop-oct"
    ex.save_button.click()
    assert "Saved scenarios/workshop-oct.yaml" in ex.message.value

    result = run_engagement(engagement, tmp_path / "deliverables")
    assert result.status == "succeeded", result.message
    saved = read_results(result.run_dir)
    roi = saved["roi_scenarios"]
    pd.testing.assert_frame_equal(roi[shown.roi.columns], shown.roi, check_dtype=False, rtol=1e-12)
    comp = saved["compensation"].sort_values("manager_id").reset_index(drop=True)
    want = shown.compensation.sort_values("manager_id").reset_index(drop=True)
    for column in ("manager_id", "current_weights", "proposed_weights"):
        assert comp[column].fillna("").astype(str).tolist() == want[column].fillna("").astype(str).tolist()
    for column in ("target_variable", "payout_current_plan", "payout_proposed_plan", "payout_change"):
        np.testing.assert_allclose(comp[column], want[column], rtol=1e-12)
    plan = saved["training_plan"]
    assert plan["person_id"].astype(str).tolist() == shown.plan["person_id"].astype(str).tolist()
    assert plan["wave"].tolist() == shown.plan["wave"].tolist()
    assert (pd.to_datetime(plan["start_date"]) == pd.to_datetime(shown.plan["start_date"])).all()
    gaps = saved["coaching_gaps"]
    np.testing.assert_allclose(gaps["gap_hours_per_rep_month"], shown.coaching_gaps["gap_hours_per_rep_month"],
                               rtol=1e-12)


def test_save_writes_the_changed_values_with_a_header_and_keeps_comments(engagement):
    config = engagement / "engagement.yaml"
    original = config.read_text(encoding="utf-8")
    ex = build_explorer(engagement)
    ex.controls["target_coaching_hours_per_rep_month"].value = 4.0
    ex.controls["cohort_size"].value = 5
    shown = ex.what_if.assumptions.as_dict()
    saved = ex.what_if.save_scenario("workshop", author="Dana Consultant")

    scenario = (engagement / "scenarios" / "workshop.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(scenario) == {"assumptions": {"target_coaching_hours_per_rep_month": 4.0,
                                                        "cohort_size": 5}}
    header = [line for line in scenario.splitlines() if line.startswith("#")]
    assert any("Who:  Dana Consultant" in line for line in header)
    assert any(line.startswith("# When: ") for line in header)
    assert any("cohort_size): 8 -> 5" in line for line in header)
    after = config.read_text(encoding="utf-8")
    assert after.startswith(original)                       # every comment and line kept as written
    assert after[len(original):].strip().splitlines()[-1] == "scenario: scenarios/workshop.yaml"
    assert load_engagement(engagement).assumptions.as_dict() == shown
    assert saved.values == {"target_coaching_hours_per_rep_month": 4.0, "cohort_size": 5}
    assert "All values as engagement.yaml with scenarios/workshop.yaml" in ex._status()

    # a second scenario replaces the scenario: line in place; nothing else moves
    ex.controls["uplift_upper"].value = 0.15
    ex.what_if.save_scenario("workshop-2")
    again = config.read_text(encoding="utf-8")
    assert again == after.replace("scenario: scenarios/workshop.yaml", "scenario: scenarios/workshop-2.yaml")
    second = yaml.safe_load((engagement / "scenarios" / "workshop-2.yaml").read_text(encoding="utf-8"))
    assert second["assumptions"] == {"target_coaching_hours_per_rep_month": 4.0, "uplift_upper": 0.15,
                                     "cohort_size": 5}       # the earlier scenario's values carried over
    assert load_engagement(engagement).assumptions.as_dict() == ex.what_if.assumptions.as_dict()


def test_existing_scenario_is_not_overwritten_without_the_checkbox(engagement):
    ex = build_explorer(engagement)
    ex.controls["gross_margin_pct"].value = 0.4
    ex.scenario_name.value = "board"
    ex.save()
    path = engagement / "scenarios" / "board.yaml"
    first = path.read_text(encoding="utf-8")
    ex.controls["gross_margin_pct"].value = 0.3
    ex.save()
    assert "already exists" in ex.message.value and "Overwrite" in ex.message.value
    assert path.read_text(encoding="utf-8") == first
    assert load_engagement(engagement).assumptions["gross_margin_pct"] == 0.4
    ex.overwrite.value = True
    ex.save()
    assert "Saved scenarios/board.yaml" in ex.message.value
    assert ex.overwrite.value is False                       # ticked once, for one save
    assert load_engagement(engagement).assumptions["gross_margin_pct"] == 0.3


def test_a_value_engagement_yaml_sets_itself_is_refused_naming_the_key(engagement):
    config = engagement / "engagement.yaml"
    config.write_text(config.read_text(encoding="utf-8")
                      + "assumptions:            # agreed with the client\n"
                      + "  target_coaching_hours_per_rep_month: 4\n", encoding="utf-8")
    before = config.read_text(encoding="utf-8")
    ex = build_explorer(engagement)
    assert ex.controls["target_coaching_hours_per_rep_month"].value == 4
    ex.controls["target_coaching_hours_per_rep_month"].value = 5.0
    ex.controls["uplift_base"].value = 0.1
    with pytest.raises(ScenarioError, match="target_coaching_hours_per_rep_month") as info:
        ex.what_if.save_scenario("shadowed")
    assert "win over a scenario" in str(info.value) and "uplift_base" not in str(info.value)
    assert not (engagement / "scenarios").exists()
    assert config.read_text(encoding="utf-8") == before

    # the other changes can be saved once the shadowed one is put back
    ex.controls["target_coaching_hours_per_rep_month"].value = 4.0
    saved = ex.what_if.save_scenario("uplift")
    assert saved.values == {"uplift_base": 0.1}
    assert load_engagement(engagement).assumptions.as_dict() == ex.what_if.assumptions.as_dict()


def test_bad_names_and_nothing_changed_are_refused(engagement):
    model = WhatIf(engagement)
    with pytest.raises(ScenarioError, match="Nothing to save"):
        model.save_scenario("same")
    model.set(uplift_upper=0.2)
    for bad in ("", "../escape", "with space", "a/b"):
        with pytest.raises(ScenarioError, match="name"):
            model.save_scenario(bad)
    assert not (engagement / "scenarios").exists()


def test_set_scenario_line_replaces_or_appends_textually():
    text = "client: X   # the client\nscenario: scenarios/old.yaml  # from workshop 1\nsources:\n  people: a.csv\n"
    assert set_scenario_line(text, "scenarios/new.yaml") == text.replace("old.yaml", "new.yaml")
    crlf = "client: X\r\n# scenario: commented out stays as it is\r\nsources:\r\n  people: a.csv"
    out = set_scenario_line(crlf, "scenarios/s.yaml")
    assert out.startswith(crlf + "\r\n") and out.endswith("\r\nscenario: scenarios/s.yaml\r\n")
    assert yaml.safe_load(out)["scenario"] == "scenarios/s.yaml"


# --- the notebook ---------------------------------------------------------------------------------

def test_explorer_notebook_is_not_run_by_workbook_run_and_runs_with_papermill(shared_copy, tmp_path):
    import json

    import papermill

    from workbook.run.kernel import ensure_kernel
    from workbook.run.notebooks import find_notebooks, notebooks_dir

    notebook = notebooks_dir() / "what_if_explorer.ipynb"
    assert notebook.is_file()
    assert notebook not in find_notebooks()
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert any("parameters" in c["metadata"].get("tags", []) for c in nb["cells"])
    out = tmp_path / "explorer.ipynb"
    papermill.execute_notebook(str(notebook), str(out), parameters={"engagement_dir": str(shared_copy)},
                               kernel_name=ensure_kernel(), progress_bar=False, cwd=str(tmp_path))
    executed = json.loads(out.read_text(encoding="utf-8"))
    outputs = [o for c in executed["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
