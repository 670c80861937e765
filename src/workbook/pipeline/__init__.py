"""What the notebooks call: the one analysis chain, its sections, and how results are shown.

`Analysis(data, assumptions)` (analysis.py) derives every result once, in dependency order; the
section functions (data_quality, manager_readiness, training_plan, coaching_gaps, roi_model,
compensation, ownership) read it, save their table under <output_dir>/results (nothing in an
exploratory run) and return it. A notebook is: parameters, `analysis = setup(...)`, then per
section one call, `show(...)` or a chart from `charts`, and a sentence. The what-if explorer reads
the same chain with changed assumptions, and the deliverable is built from the saved results.
"""

from workbook.errors import BlockingDataIssues
from workbook.pipeline import charts
from workbook.pipeline.analysis import (
    Analysis,
    CoachingGaps,
    CompensationPlan,
    RoiModel,
    analysis_of,
)
from workbook.pipeline.coaching import coaching_gaps, roi_model
from workbook.pipeline.compensation import budget_sentence, compensation, ownership
from workbook.pipeline.data_quality import (
    data_quality,
    load,
    org_summary,
    resolve_engagement_dir,
    span_of_control,
)
from workbook.pipeline.display import counts, measures, table
from workbook.pipeline.notebook import setup, show
from workbook.pipeline.readiness import manager_readiness, training_plan

__all__ = [
    "Analysis", "BlockingDataIssues", "CoachingGaps", "CompensationPlan", "RoiModel", "analysis_of",
    "budget_sentence", "charts", "coaching_gaps", "counts", "compensation", "data_quality", "load", "manager_readiness", "measures",
    "org_summary", "ownership", "resolve_engagement_dir", "roi_model", "setup", "show", "span_of_control",
    "table", "training_plan",
]
