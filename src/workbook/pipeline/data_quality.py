"""Loading an engagement for a notebook, and the data-quality and organisation sections."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbook.errors import BlockingDataIssues
from workbook.intake.load import EngagementData, load_engagement_data
from workbook.pipeline.analysis import Analysis, analysis_of
from workbook.pipeline.results import save_result


def resolve_engagement_dir(engagement_dir: str | Path) -> Path:
    """As given (relative to the working directory), else relative to the project folder,
    so a notebook opened in JupyterLab (working directory notebooks/) finds client_data/demo."""
    path = Path(engagement_dir).expanduser()
    if path.is_absolute() or path.exists():
        return path.resolve()
    from workbook.run.notebooks import notebooks_dir

    candidate = notebooks_dir().parent / path
    return candidate.resolve() if candidate.exists() else path.resolve()


def load(engagement_dir: str | Path, allow_blocking: bool = False,
         output_dir: str | Path | None = None) -> EngagementData:
    """The engagement's data, checked. Within a run, the runner's snapshot (or the previous
    notebook's copy on the same kernel) is reused while the files are unchanged."""
    from workbook.engagement.config import load_engagement
    from workbook.run import snapshot

    folder = resolve_engagement_dir(engagement_dir)
    data = snapshot.recall(load_engagement(folder), output_dir)
    if data is None:
        data = load_engagement_data(folder)
        snapshot.remember(data)
    if data.blocking and not allow_blocking:
        lines = "\n".join(f"  - {i.location()}: {i.message}" for i in data.blocking[:10])
        raise BlockingDataIssues(f"{len(data.blocking)} blocking data issue(s); run `workbook validate` "
                                 f"for the full list:\n{lines}")
    return data


def data_quality(source: EngagementData | Analysis, output_dir: str | Path | None = None
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Row counts per table and every DataIssue, blocking first."""
    data = source.data if isinstance(source, Analysis) else source
    counts = data.row_counts()
    issues = data.issues_frame()
    if not issues.empty:
        issues = issues.sort_values("severity", key=lambda s: s.map({"blocking": 0, "warning": 1}),
                                    kind="stable").reset_index(drop=True)
    save_result("row_counts", counts, output_dir)
    save_result("data_issues", issues, output_dir)
    return counts, issues


def org_summary(source: EngagementData | Analysis) -> pd.DataFrame:
    """Head counts by role and the spread of span of control among front-line managers."""
    return analysis_of(source).summary


def span_of_control(source: EngagementData | Analysis) -> pd.Series:
    """Reps in post per front-line manager in post (for the span chart)."""
    return analysis_of(source).span_of_control
