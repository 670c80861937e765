"""Loading an engagement for a notebook, and the data-quality and organisation sections."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbook.errors import BlockingDataIssues
from workbook.intake.load import EngagementData, load_engagement_data
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


def data_quality(data: EngagementData, output_dir: str | Path | None = None
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Row counts per table and every DataIssue, blocking first."""
    counts = data.row_counts()
    issues = data.issues_frame()
    if not issues.empty:
        issues = issues.sort_values("severity", key=lambda s: s.map({"blocking": 0, "warning": 1}),
                                    kind="stable").reset_index(drop=True)
    save_result("row_counts", counts, output_dir)
    save_result("data_issues", issues, output_dir)
    return counts, issues


def _in_post(data: EngagementData) -> pd.DataFrame:
    """People still employed after the as-of date (everyone when the data has no date)."""
    people = data.tables["people"]
    if data.as_of is None:
        return people
    return people[people["termination_date"].isna() | (people["termination_date"] > pd.Timestamp(data.as_of))]


def org_summary(data: EngagementData) -> pd.DataFrame:
    """Head counts by role and the spread of span of control among front-line managers."""
    people = data.tables["people"]
    roles = _in_post(data)["role"].value_counts().reindex(["leader", "manager", "rep"], fill_value=0)
    spans = span_of_control(data)
    rows = [
        ("Leaders (managers of managers)", int(roles["leader"])),
        ("Front-line managers", int(roles["manager"])),
        ("Reps", int(roles["rep"])),
        ("Reps per front-line manager, median", float(spans.median()) if len(spans) else float("nan")),
        ("Front-line managers with more than 10 reps", int((spans > 10).sum())),
        ("People who left in the data", int(people["termination_date"].notna().sum())),
    ]
    return pd.DataFrame(rows, columns=["measure", "value"])


def span_of_control(data: EngagementData) -> pd.Series:
    """Active reps per front-line manager (for the span chart)."""
    active = _in_post(data)
    managers = active[active["role"] == "manager"]
    reps = active[active["role"] == "rep"]
    return reps["manager_id"].value_counts().reindex(managers.index, fill_value=0).sort_values()
