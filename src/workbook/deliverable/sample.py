"""A synthetic DeliverableContext, for previews of the workbook's look and for tests."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from workbook import __version__
from workbook.deliverable.context import DeliverableContext
from workbook.engagement.assumptions import build_assumptions
from workbook.intake.issues import ISSUE_COLUMNS


def sample_context(client: str = "Acme IT Staffing & Co", **overrides) -> DeliverableContext:
    issues = pd.DataFrame(
        [
            ("blocking", "sales", "Deals Export.xlsx", 17, "Owner", "J. Smith",
             "Name matches two people (John Smith, Jane Smith): add the rep's ID"),
            ("blocking", "people", "roster.csv", 44, "manager_name", "Pat Lee",
             "Manager not found in the roster"),
            ("warning", "sales", "Deals Export.xlsx", 212, "Amount", "$1,234.50 USD",
             "Amount read as 1234.50"),
            ("warning", "sales", "Deals Export.xlsx", 513, "", "Total",
             "Totals footer row skipped"),
            ("warning", "coaching", "coaching_log.csv", 9, "minutes", "",
             "No duration: 30 minutes assumed (see Assumptions)"),
            ("warning", "survey", "readiness_survey.xlsx", None, "reinforcement", "",
             "Column missing: the Reinforcement element of ADKAR is not assessed"),
        ],
        columns=ISSUE_COLUMNS,
    )
    issues["row"] = issues["row"].astype("Int64")
    row_counts = pd.DataFrame(
        [
            ("people", "roster.csv", 148, 147, 1),
            ("sales", "Deals Export.xlsx", 2410, 2391, 19),
            ("coaching", "coaching_log.csv", 960, 960, 0),
            ("training", "lms_export.xlsx", 420, 418, 2),
            ("survey", "readiness_survey.xlsx", 36, 36, 0),
        ],
        columns=["table", "file", "rows_read", "rows_used", "rows_skipped"],
    )
    inputs = [
        {"table": t, "file": f, "sha256": (f"{i:x}" * 64)[:64], "bytes": 10_000 * (i + 1)}
        for i, (t, f) in enumerate(zip(row_counts["table"], row_counts["file"], strict=True))
    ]
    values = dict(
        client=client,
        engagement="acme-2026q4",
        as_of=dt.date(2026, 9, 30),
        currency="USD",
        run_id="20261126T203000Z",
        toolkit_version=__version__,
        assumptions=build_assumptions({"uplift_base": 0.08, "target_coaching_hours_per_rep_month": 4}),
        data_issues=issues,
        row_counts=row_counts,
        inputs=inputs,
        parameters={"engagement_dir": "client_data/acme-2026q4", "as_of": "2026-09-30",
                    "only": None, "seed": 7},
        versions={"python": "3.11.9", "pandas": pd.__version__, "xlsxwriter": "3.3.1",
                  "workbook": __version__},
    )
    values.update(overrides)
    return DeliverableContext(**values)
