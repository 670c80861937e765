"""What the data request says: a table sheet's layout rows, table guides, column wording."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from workbook.intake.schema import ColumnSpec, TableSpec

HEADER_ROW = 6                      # 1-based row of the canonical column names on every table sheet
FIRST_DATA_ROW = HEADER_ROW + 1
DATA_ROWS = 5000                    # drop-downs, date and number checks cover this many rows
TITLE_ROW, GUIDE_ROW, REQUIRED_ROW, DESCRIPTION_ROW, EXAMPLE_ROW = 1, 2, 3, 4, 5
INSTRUCTIONS = "Instructions"
MIN_SHEET_WIDTH = 100.0             # characters across the columns of a table sheet
MIN_DATE, MAX_DATE = dt.date(1950, 1, 1), dt.date(2099, 12, 31)


@dataclass(frozen=True)
class TableGuide:
    """How a table is explained to a client (the columns themselves come from the schema)."""

    sheet: str
    one_row_per: str
    what: str
    without: str          # what the assessment cannot do without it ("" for the required table)
    note: str = ""


GUIDES: dict[str, TableGuide] = {
    "people": TableGuide(
        "People", "person",
        "Everyone in the sales organisation (sales reps, their managers and sales leaders), including "
        "people who left during the period, from your HR system.",
        "",
        "Include people who left in the period, with their termination date and type. Give everyone "
        "their manager (manager_id, or manager_name) so we can draw the org chart."),
    "sales": TableGuide(
        "Sales", "deal (opportunity)",
        "Deals from your CRM: who owned each deal, when it closed (or is expected to close), the "
        "amount and the stage (won, lost or open).",
        "Without deal data, sales results, quota attainment and the revenue at stake are not "
        "assessed.",
        "If you only have won deals, leave stage blank: every row then counts as won revenue."),
    "coaching": TableGuide(
        "Coaching", "coaching session",
        "Coaching sessions between managers and their reps, from a coaching log, calendar or "
        "sales-enablement tool.",
        "Without the coaching log, coaching gaps and the ROI model are not assessed.",
        "One row per manager, rep and session: a team session with 3 reps is 3 rows."),
    "training": TableGuide(
        "Training", "person and program",
        "Training records from your learning system: who was enrolled in which program and whether "
        "they completed it.",
        "Without training records, whether managers have completed (and so can model) the sales "
        "program is not assessed.",
        "Include managers' own programs (e.g. coaching training) as well as the reps' sales programs."),
    "survey": TableGuide(
        "Survey", "person and dimension",
        "Answers to the change-readiness (ADKAR) survey: each respondent scores the five dimensions "
        "awareness, desire, knowledge, ability and reinforcement from 1 (low) to 5 (high).",
        "Without the survey, managers' buy-in and their barrier point (the first ADKAR dimension "
        "holding them back) are not assessed.",
        "Each respondent has up to five rows, one per dimension. If you have not run this survey, "
        "leave the sheet empty and ask us for the five-question version."),
    "compensation": TableGuide(
        "Compensation", "person",
        "Current pay plans: base salary, target variable pay and how the variable pay is split "
        "between the plan's components (the weight_ columns).",
        "Without pay plans, the compensation what-ifs (current plan versus proposed plan payouts) "
        "are not assessed.",
        "One weight_ column per plan component, as a share of target variable pay (70% = 0.7); a "
        "person's weights add up to 100%. Rename or add weight_ columns to match your plan, e.g. "
        "weight_new_logos."),
}

# Canonical wording that refers to the toolkit's internals, said the client's way.
CLIENT_WORDING = {
    "derived from the org tree when absent": "leave blank and we work it out from who reports to whom",
    "(default from assumptions)": "(leave blank if not recorded)",
}

# Example plan components on the compensation sheet (the schema allows any weight_<name>).
EXAMPLE_WEIGHTS = {"revenue": "70%", "margin": "30%"}


def request_columns(spec: TableSpec) -> list[ColumnSpec]:
    """The canonical columns of a table, plus example weight_* columns where the table has them."""
    columns = list(spec.columns)
    for prefix in spec.extra_prefixes:
        for part, example in EXAMPLE_WEIGHTS.items():
            extra = spec.column(prefix + part)
            if extra is not None:
                columns.append(ColumnSpec(extra.name, extra.kind, extra.description, example,
                                          extra.required, extra.choices, extra.one_of))
    return columns


def declared_range(column: ColumnSpec) -> tuple[float, float] | None:
    """A scale declared in the column description, such as 'Score 1-5'."""
    match = re.search(r"\b(\d+)\s*[-–]\s*(\d+)\b", column.description)
    if match and column.kind == "number":
        low, high = float(match.group(1)), float(match.group(2))
        if low < high:
            return low, high
    return None


def client_description(column: ColumnSpec) -> str:
    text = column.description
    for phrase, wording in CLIENT_WORDING.items():
        text = text.replace(phrase, wording)
    if column.name.startswith("weight_"):
        text = f"Weight of the '{column.name[len('weight_'):]}' component, as a share of target variable pay"
    return text


def requirement(spec: TableSpec, column: ColumnSpec) -> str:
    if column.required:
        return "Required"
    if column.one_of:
        others = [n for n in spec.one_of_groups()[column.one_of] if n != column.name]
        return f"Required: this or {' or '.join(others)}"
    return "Optional"


def is_required(column: ColumnSpec) -> bool:
    return column.required or bool(column.one_of)
