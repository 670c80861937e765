"""What the notebooks call: one function per section, each returning the table it shows.

Notebooks stay thin (parameters, one load, one call per section, its table or
chart, a sentence); every number is produced here so tests reach it. Each
function saves its result table under <output_dir>/results when output_dir
is set, and saves nothing in an exploratory run. Intermediate results used
by several sections (window, rep performance, coaching per manager) are
computed once per loaded engagement (`shared.py`).
"""

from workbook.errors import BlockingDataIssues
from workbook.pipeline.coaching import coaching_gaps, roi_model
from workbook.pipeline.compensation import compensation, ownership
from workbook.pipeline.data_quality import (
    data_quality,
    load,
    org_summary,
    resolve_engagement_dir,
    span_of_control,
)
from workbook.pipeline.readiness import manager_readiness, training_plan
from workbook.pipeline.shared import analysis_window, coaching_metrics, performance

__all__ = [
    "BlockingDataIssues", "analysis_window", "manager_readiness", "training_plan", "coaching_gaps", "coaching_metrics", "data_quality", "load",
    "org_summary", "performance", "resolve_engagement_dir", "roi_model", "span_of_control",
    "compensation", "ownership",
]
