"""The deliverable's sheets, in the order the client reads them.

A sheet whose `build` is None is not written (its analysis is not wired in
yet) and the Contents sheet does not list it. An analysis sheet is added by
pointing its entry at a build function, here or at import time:

    from workbook.deliverable.registry import register
    register("ROI Model", roi_model.build)   # build(book, ctx) fills book.sheet("ROI Model")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from workbook.deliverable import style
from workbook.deliverable.sheets import (
    assumptions_sheet,
    contents,
    cover,
    data_quality,
    methodology,
    provenance,
)

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

Build = Callable[["DeliverableBook", "DeliverableContext"], None]


@dataclass(frozen=True)
class SheetSpec:
    title: str
    answers: str  # the one-line question the sheet answers, shown on Contents
    build: Build | None
    tab_color: str | None = None


SHEETS: list[SheetSpec] = [
    SheetSpec("Cover", "Who this assessment is for, and which data run it shows.", cover.build,
              style.TAB_FRONT),
    SheetSpec("Contents", "Where to find each answer in this workbook.", contents.build, style.TAB_FRONT),
    SheetSpec("Executive Summary", "What we found and what we recommend, on one page.", None,
              style.TAB_FRONT),
    SheetSpec("Manager Readiness", "Which managers are ready to lead the program, and who to train first.",
              None),
    SheetSpec("Training Plan", "Who is trained in which wave, managers before their reps.", None),
    SheetSpec("Coaching Gaps", "How much coaching each team gets against the target, and where it goes.",
              None),
    SheetSpec("ROI Model", "What the program could return under conservative, base and upper scenarios.",
              None),
    SheetSpec("Compensation", "How a budget-neutral manager plan would reward team development.", None),
    SheetSpec("Ownership", "Who should own the program, and why the sales manager.", None),
    SheetSpec("Data Quality", "What in the data received could not be used, and why.", data_quality.build,
              style.TAB_APPENDIX),
    SheetSpec("Assumptions", "Every assumption behind the numbers: change the yellow cells to test them.",
              assumptions_sheet.build, style.TAB_APPENDIX),
    SheetSpec("Methodology", "How each figure is produced, and the evidence it rests on.", methodology.build,
              style.TAB_APPENDIX),
    SheetSpec("Provenance", "Which files, parameters and software versions produced this workbook.",
              provenance.build, style.TAB_APPENDIX),
]

CHANGES = SheetSpec("Changes Since Last Run", "What moved since the previous run of this engagement.", None,
                    style.TAB_APPENDIX)


def _register_analysis_sheets() -> None:
    """The analysis sheets, each built by its own module."""
    from workbook.deliverable.sheets import changes, executive_summary, readiness_sheets
    from workbook.deliverable.sheets.coaching_sheets import build_coaching_gaps, build_roi_model

    readiness_sheets.register()
    register("Executive Summary", executive_summary.build)
    register(CHANGES.title, changes.build)

    register("Coaching Gaps", build_coaching_gaps)
    register("ROI Model", build_roi_model)
    from workbook.deliverable.sheets.compensation_sheet import build_compensation
    from workbook.deliverable.sheets.ownership_sheet import build_ownership
    register("Compensation", build_compensation)
    register("Ownership", build_ownership)


def register(title: str, build: Build) -> None:
    """Attach a build function to a registered sheet (its position stays the SPEC order)."""
    global CHANGES
    if title == CHANGES.title:
        CHANGES = replace(CHANGES, build=build)
        return
    for i, spec in enumerate(SHEETS):
        if spec.title == title:
            SHEETS[i] = replace(spec, build=build)
            return
    raise KeyError(f"no sheet called {title!r} in the deliverable registry")


def planned_sheets(has_previous: bool, sheets: list[SheetSpec] | None = None) -> list[SheetSpec]:
    """The sheets this run writes, in order: those with a build function."""
    specs = [s for s in (SHEETS if sheets is None else sheets) if s.build is not None]
    if sheets is None and has_previous and CHANGES.build is not None:
        specs.append(CHANGES)
    return specs


_register_analysis_sheets()
