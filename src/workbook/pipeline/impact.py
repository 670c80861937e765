"""Section of the programme-impact notebook: did the manager programme work here?"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from workbook.analyses.impact import Impact
from workbook.intake.load import EngagementData
from workbook.pipeline.analysis import Analysis, analysis_of
from workbook.pipeline.results import save_result


def programme_impact(source: EngagementData | Analysis, output_dir: str | Path | None = None) -> Impact:
    """Who completed when (impact_events.csv); once measurable, the estimate per outcome
    (impact.csv), matched windows per manager and per completion month, and the team-month panel;
    impact_status.csv says why nothing is measured yet and what it needs (empty when measured)."""
    analysis = analysis_of(source)
    impact = analysis.impact
    save_result("impact_events", impact.events, output_dir)
    save_result("impact_status", impact_status(impact, analysis.data.as_of), output_dir)
    for name, frame in (("impact", impact.estimates), ("impact_by_manager", impact.by_manager),
                        ("impact_by_cohort", impact.by_cohort), ("impact_panel", impact.panel)):
        if frame is not None:
            save_result(name, frame, output_dir)
    return impact


DATA_THROUGH = re.compile(r"data through (\d{4}-\d{2}-\d{2})")


def impact_status(impact: Impact, as_of=None) -> pd.DataFrame:
    """One row: `status` (why nothing is measured yet, "" when measured) and `needs` (the data that
    would make it measurable, "; "-separated), for the deliverable, which does not see the Impact.
    A need for data through a date the data already reaches (`as_of`) is left out: what holds the
    measure back then is the months before completion or the comparison teams, not time."""
    needs = list(impact.needs)
    if as_of is not None:
        reached = pd.Timestamp(as_of)
        needs = [n for n in needs
                 if not ((m := DATA_THROUGH.search(n)) and pd.Timestamp(m.group(1)) <= reached)]
    return pd.DataFrame({"status": [impact.status], "needs": ["; ".join(needs)]})


def impact_sentence(impact: Impact) -> str:
    """What was measured, in one sentence per outcome, or what is still needed."""
    if not impact.measured:
        needs = "; ".join(impact.needs)
        return f"{impact.status[:1].upper()}{impact.status[1:]}." + (f" Needs: {needs}." if needs else "")
    lines = []
    for row in impact.estimates.itertuples():
        if not row.measured:
            lines.append(f"{row.measure}: not measurable yet.")
            continue
        verdict = "no measurable change (the interval includes zero)" if row.uplift_low <= 0 <= row.uplift_high \
            else f"consistent with an uplift of {row.uplift_low:+.0%} to {row.uplift_high:+.0%}"
        lines.append(f"{row.measure}: {row.uplift:+.1%} ({row.level:.0%} interval {row.uplift_low:+.0%} to "
                     f"{row.uplift_high:+.0%}) over {row.trained_teams} trained team(s) — {verdict}.")
    return " ".join(lines)
