"""What the notebooks call: the one analysis chain, its sections, and how results are shown.

`Analysis(data, assumptions)` (analysis.py) derives every result once, in dependency order; the
section functions (data_quality, manager_readiness, training_plan, coaching_gaps, roi_model,
compensation, ownership) read it, save their table under <output_dir>/results (nothing in an
exploratory run) and return it. A notebook is: parameters, `analysis = setup(...)`, then per
section one call, `show(...)` or a chart from `charts`, and a sentence (`say(...)`, which the
report reads as a paragraph). The what-if explorer reads the same chain with changed assumptions,
and the deliverable is built from the saved results.
"""

from importlib import import_module

# name -> the module that defines it. Loaded on first use (PEP 562), so code that needs one light
# module of the package (pipeline.columns, pipeline.results) does not import matplotlib and the
# whole analysis chain with it; `from workbook import pipeline; pipeline.setup(...)` works as before.
_WHERE = {
    "BlockingDataIssues": "workbook.errors",
    "Analysis": "workbook.pipeline.analysis", "CoachingGaps": "workbook.pipeline.analysis",
    "CompensationPlan": "workbook.pipeline.analysis", "RoiModel": "workbook.pipeline.analysis",
    "analysis_of": "workbook.pipeline.analysis",
    "coaching_gaps": "workbook.pipeline.coaching", "roi_model": "workbook.pipeline.coaching",
    "budget_sentence": "workbook.pipeline.compensation", "compensation": "workbook.pipeline.compensation",
    "ownership": "workbook.pipeline.compensation",
    "data_quality": "workbook.pipeline.data_quality", "load": "workbook.pipeline.data_quality",
    "org_summary": "workbook.pipeline.data_quality", "resolve_engagement_dir": "workbook.pipeline.data_quality",
    "span_of_control": "workbook.pipeline.data_quality",
    "counts": "workbook.pipeline.display", "measures": "workbook.pipeline.display",
    "say": "workbook.pipeline.display", "table": "workbook.pipeline.display",
    "setup": "workbook.pipeline.notebook", "show": "workbook.pipeline.notebook",
    "programme_impact": "workbook.pipeline.impact", "impact_sentence": "workbook.pipeline.impact",
    "manager_readiness": "workbook.pipeline.readiness", "training_plan": "workbook.pipeline.readiness",
}


# two functions share their module's name: bound now, or importing the module would leave the
# package attribute pointing at the module instead of the function
from workbook.pipeline.compensation import compensation as compensation  # noqa: E402
from workbook.pipeline.data_quality import data_quality as data_quality  # noqa: E402


def __getattr__(name: str):
    if name == "charts":
        return import_module("workbook.pipeline.charts")
    if name in _WHERE:
        value = getattr(import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'workbook.pipeline' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = sorted([*_WHERE, "charts"])
