"""The deliverable's sheets, declared in the order the client reads them (SPEC order).

Each entry names its tab, the one question it answers (shown on Contents) and the function that
fills it, `build(book, ctx)`. Programme Impact follows Ownership only once a front-line manager has
completed the programme (and the impact was assessed); Changes Since Last Run is appended only when
the engagement has an earlier successful run. Tests write their own lists through
`write_deliverable(..., sheets=...)`.

The tabs are in this order; the sheets are built in another (see writer.py): the sheets every run
writes up to Programme Impact's place first (`certain_sheets`), then the rest, then the front
sheets, which summarise all the others (`SUMMARIES`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbook.deliverable import style
from workbook.deliverable.sheets import (
    assumptions_sheet,
    changes,
    contents,
    cover,
    data_quality,
    executive_summary,
    impact_sheet,
    methodology,
    provenance,
)
from workbook.deliverable.sheets.coaching_sheets import build_coaching_gaps
from workbook.deliverable.sheets.compensation_sheet import build_compensation
from workbook.deliverable.sheets.manager_readiness_sheet import build_manager_readiness
from workbook.deliverable.sheets.ownership_sheet import build_ownership
from workbook.deliverable.sheets.roi_sheet import build_roi_model
from workbook.deliverable.sheets.training_plan_sheet import build_training_plan

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

Build = Callable[["DeliverableBook", "DeliverableContext"], None]


@dataclass(frozen=True)
class SheetSpec:
    title: str
    answers: str  # the one-line question the sheet answers, shown on Contents
    build: Build
    tab_color: str | None = None


SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec("Cover", "Who this assessment is for, and which data run it shows.", cover.build,
              style.TAB_FRONT),
    SheetSpec("Contents", "Where to find each answer in this workbook.", contents.build, style.TAB_FRONT),
    SheetSpec("Executive Summary", "What we found and what we recommend, on one page.",
              executive_summary.build, style.TAB_FRONT),
    SheetSpec("Manager Readiness", "Which managers are ready to lead the program, and who to train first.",
              build_manager_readiness),
    SheetSpec("Training Plan", "Who is trained in which wave, managers before their reps.",
              build_training_plan),
    SheetSpec("Coaching Gaps", "How much coaching each team gets against the target, and where it goes.",
              build_coaching_gaps),
    SheetSpec("ROI Model", "What the program could return under conservative, base and upper scenarios.",
              build_roi_model),
    SheetSpec("Compensation", "How a budget-neutral manager plan would reward team development.",
              build_compensation),
    SheetSpec("Ownership", "Who should own the program, and why the sales manager.", build_ownership),
    SheetSpec("Data Quality", "What in the data received could not be used, and why.", data_quality.build,
              style.TAB_APPENDIX),
    SheetSpec("Assumptions", "Every assumption behind the numbers: change the yellow cells to test them.",
              assumptions_sheet.build, style.TAB_APPENDIX),
    SheetSpec("Methodology", "How each figure is produced, and the evidence it rests on.", methodology.build,
              style.TAB_APPENDIX),
    SheetSpec("Provenance", "Which files, parameters and software versions produced this workbook.",
              provenance.build, style.TAB_APPENDIX),
)

CHANGES = SheetSpec("Changes Since Last Run", "What moved since the previous run of this engagement.",
                    changes.build, style.TAB_APPENDIX)


# built last: they read every other sheet's results (and which sheets this workbook has)
SUMMARIES = frozenset({"Cover", "Contents", "Executive Summary"})


IMPACT = SheetSpec("Programme Impact", "Whether teams changed once their managers completed the programme, "
                   "against teams not yet trained.", impact_sheet.build)
IMPACT_AFTER = "Ownership"


def has_impact(ctx: DeliverableContext) -> bool:
    """Whether this run writes Programme Impact: a manager has completed the programme."""
    return impact_sheet.impact_present(ctx.results)


def planned_sheets(has_previous: bool, sheets: list[SheetSpec] | tuple[SheetSpec, ...] | None = None,
                   has_impact: bool = False) -> list[SheetSpec]:
    """The sheets this run writes, in order: the declared list, with Programme Impact after Ownership
    when a manager has completed the programme, plus Changes Since Last Run when there is an earlier
    run; a list passed in (tests) is written as given."""
    if sheets is not None:
        return list(sheets)
    specs = list(SHEETS)
    if has_impact:
        titles = [s.title for s in specs]
        at = titles.index(IMPACT_AFTER) + 1 if IMPACT_AFTER in titles else len(specs)
        specs.insert(at, IMPACT)
    return [*specs, CHANGES] if has_previous else specs


def certain_sheets(has_previous: bool, sheets: list[SheetSpec] | tuple[SheetSpec, ...] | None = None
                   ) -> list[SheetSpec]:
    """The first sheets of the workbook whatever the results hold: the declared ones up to where
    Programme Impact would go (a list passed in: all of it). They can be created, and built, before
    the last notebook has run."""
    if sheets is not None:
        return list(sheets)
    without = planned_sheets(has_previous, has_impact=False)
    with_impact = planned_sheets(has_previous, has_impact=True)
    common = 0
    while common < len(without) and without[common] == with_impact[common]:
        common += 1
    return without[:common]
