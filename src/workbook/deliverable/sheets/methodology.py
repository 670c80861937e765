"""Methodology: how each figure is produced and the evidence it rests on, in plain words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbook.analyses.training_plan import PRIORITY_RULE, STEPPED_WEDGE

if TYPE_CHECKING:
    from workbook.deliverable.book import DeliverableBook
    from workbook.deliverable.context import DeliverableContext

TITLE = "Methodology"
TEXT_WIDTH = 112
PAGE_HEIGHT = 480.0  # points of rows per printed page (A4 landscape, our margins)
ARGUMENT_LEADS = {"Scale", "Modelling", "Buy-in", "Coaching culture", "Ownership"}
SOURCES_NOTE = (
    "Sources marked secondary are cited through other reports; vendor and practitioner sources are "
    "commercial publications, used for context rather than as evidence."
)

# Sentences that name another sheet: shown only when that sheet is in the workbook.
LIVE_ROI = ("The ROI Model's figures are live formulas over the Assumptions sheet: change an assumption "
            "and the model recalculates.")
COMPENSATION_SHEET = "The Compensation sheet shows who would earn more or less at current performance."
NEEDS_SHEET = {LIVE_ROI: "ROI Model", COMPENSATION_SHEET: "Compensation"}

# A paragraph is text, or (lead-in, text) where the lead-in is shown in bold.
Paragraph = str | tuple[str, str]
SECTIONS: list[tuple[str, list[Paragraph]]] = [
    ("Why train the managers first", [
        ("Scale", "A front-line sales manager touches every rep on the team, typically six to eight "
        "people (Gartner 2018; CSO Insights 2015, secondary). A weak manager drags the whole team, and "
        "reps leave managers rather than jobs; replacing and ramping a rep is expensive (see Assumptions)."),
        ("Modelling", "Reps do what their manager does. Managers take the same training as their reps and "
        "coach to it, or adoption fades once the classroom is over."),
        ("Buy-in", "Managers must understand and back the program before their reps are trained; their "
        "stance decides how the reps receive it."),
        ("Coaching culture", "Better coaching pays most for the core performers, the middle 60% "
        "(CEB / Sales Executive Council)."),
        ("Ownership", "One owner, the sales manager, held accountable through the compensation plan, "
        "rather than ownership by committee."),
    ]),
    ("Manager readiness", [
        "Each manager is scored 0-100 on up to six pillars. Scale: span of control against the healthy "
        "range (Gartner 2018: 6-8; Alexander Group average 8.5; flagged above 10). Team health: rep "
        "attrition measured on exposure (person-years on the team, not head counts), every exit counted "
        "and split voluntary / involuntary (each costed at its own replacement cost), shrunk toward the "
        "organisation's rate with empirical Bayes and shown with an interval; it scores 50 at the "
        "organisation's rate, 100 at half of it and 0 at one and a half times it, so differences "
        "show instead of every team at or below the organisation scoring 100. Modelling: whether the "
        "manager completed the training their reps will take (Kirkpatrick levels 1-2). Buy-in: the "
        "manager's ADKAR survey scores (Prosci); the barrier point is the first element, in the order "
        "Awareness, Desire, Knowledge, Ability, Reinforcement, scoring 3 or below, and a manager whose "
        "awareness or desire scores 2 or below cannot be 'ready' whatever the other pillars say. "
        "Coaching: hours per "
        "rep per month against the target (two thirds) and the share of reps coached (one third; "
        "Kirkpatrick level 3); a manager whose coaching scores under 40 cannot be 'ready' either. "
        "Results: the team's attainment against "
        "quota over the window (revenue per rep-month where the organisation sets no quotas), shrunk "
        "toward the organisation with empirical Bayes (normal-normal, weighted by rep-months) so a "
        "small team's lucky or unlucky year does not decide its score (Kirkpatrick level 4); it "
        "scores 50 at the organisation's level, 100 at 20% above it and 0 at 20% below.",
        "The readiness score is the weighted mean of the pillars, with the weights on the Assumptions "
        "sheet. A pillar without data is shown as 'not assessed' and its weight is shared out over the "
        "pillars that were assessed, so a missing survey never counts as a zero. Tiers: ready, "
        "developing, not ready, at the thresholds on the Assumptions sheet.",
    ]),
    ("Training plan", [
        "Managers are trained first, in cohorts; every rep is trained after their own manager, in a "
        "later wave, and leaders are trained before the managers who report to them. Managers are "
        "ordered by priority. " + PRIORITY_RULE + " So a big team with a fairly ready manager can come "
        "before a small team with the least ready one: the order follows the people and revenue at "
        "stake, not readiness alone.",
        "The first manager cohort is a pilot (3 managers by default): the highest-priority managers "
        "whose ADKAR barrier point is neither awareness nor desire (a manager without survey answers "
        "counts as not blocked; one who reports to another front-line manager follows their boss "
        "instead). It trains alone after the leaders, so its lessons reach the cohorts that follow. A "
        "manager whose barrier point is awareness or desire has a buy-in session first, two weeks "
        "before their training by default (Prosci: awareness and desire come before knowledge). Reps "
        "start a set time after their own manager (four weeks by default), so managers model the "
        "program before their teams start. No session starts in a blackout, by default the last two "
        "weeks of each fiscal quarter and 20 December to 5 January: a start that falls in one moves "
        "to the first Monday after it.",
        STEPPED_WEDGE + " This is a stepped-wedge design (Hussey & Hughes 2007).",
    ]),
    ("Coaching gaps", [
        "Coaching is measured as logged hours per rep per month over the time each rep actually spent "
        "on the team (exposure), against the target on the Assumptions sheet (3 hours by default; "
        "Gartner 2019 recommends 3-5, with diminishing returns beyond). Coverage is the share of reps coached at all in the window. Core "
        "share is the share of coaching time spent on core performers, the middle band by attainment "
        "(the middle 60% by default, set on the Assumptions sheet), where CEB / Sales Executive Council found coaching pays most; the weakest and strongest "
        "performers gain little from it.",
    ]),
    ("Return on investment", [
        "The ROI Model follows the Phillips method: ROI % = net program benefits / fully loaded program "
        "costs x 100, and the benefit-cost ratio = benefits / costs. Only first-year benefits are "
        "counted, as Phillips advises for short programs. The first-year benefit is the core "
        "performers' annual revenue x the uplift x the share of the coaching gap closed x the gross "
        "margin: Phillips counts profit, not revenue, so the extra revenue is converted at the "
        "client's gross margin (an assumption; 100% shows the revenue view). Each team's core revenue "
        "counts in proportion to the coaching it would gain (dose, not switch): the share of the "
        "target hours its gap represents, so a team 0.4 h short of a 3 h target counts for 13% and a "
        "team that is not coached for all of it, and a team already at the target for nothing "
        "(linear dose-response; per team on the ROI Model sheet and in roi_by_manager.csv). Phillips "
        "adjustments multiply the benefit by the share of the improvement attributed to the program "
        "(isolation) and the confidence in the estimate, both 100% by default and editable. Costs are "
        "fully loaded: the managers' extra coaching time at their loaded hourly cost, for the same "
        "share of the gap; the manager program's cost for each manager who has not completed a "
        "coaching program and the reps' program cost for each rep who has not completed it (nothing "
        "is charged for those who have); and the participants' time out of the field, program hours "
        "x hourly cost for the same managers and reps. The uplift for "
        "core performers is shown as three scenarios: 6% conservative and 8% base (CEB / SEC: moderate "
        "coaching improvement is worth 6-8%; Gartner 2021: 8%) and 19% upper (CEB / SEC: best-quality "
        "coaching, up to 19%; Gartner 2019). These are scenarios, not promises. A manager-by-manager "
        "rollout gives a natural comparison group to isolate the program's effect afterwards.",
        LIVE_ROI,
    ]),
    ("Compensation", [
        "Where the client's compensation plans are provided, the toolkit proposes a budget-neutral "
        "manager plan: the same target incentive, re-weighted. About "
        "20% of target variable moves to one team-development component (components much smaller "
        "lose focus, per Performio, practitioner guidance; no published source backs a specific "
        "share, so it is an assumption with its sensitivity shown). The component uses objective "
        "measures only, because subjective MBOs become disguised base pay (ZS; Forma.ai): coaching "
        "hours per rep per month against the target, the share of rep-months with a coaching "
        "session, the manager's own training completed, and team retention (1 - the team's shrunk "
        "attrition / twice the organisation's: no exits 100%, the organisation's rate 50%). Each is "
        "capped at 100%; a measure on which every manager scores within 10 points of every other is "
        "left out, since it would pay everyone alike. Team ramp and the share of reps at threshold "
        "are not measured: the data holds no ramp milestone, and threshold attainment per rep is "
        "already what the financial components pay on.",
        "Budget neutral is enforced, not asserted. At target it holds by construction; at today's "
        "measured performance the team-development component is calibrated: each manager's proposed "
        "payout = the other components + target variable x weight x curve(team-development "
        "attainment) x k, where k = (total current payout - total of the other components) / total "
        "team-development payout at the curve, kept between 0 and the curve's cap. The totals then "
        "match; where the bound binds, the sheet and the Executive Summary say by how much and why. "
        "Where coaching matters, ZS recommends paying managers on average rep performance against "
        "goal rather than team volume. " + COMPENSATION_SHEET,
    ]),
    ("Honest statistics on small teams", [
        "Small teams produce extreme rates by chance: a team of six with a true 25% attrition rate "
        "shows 50% or more about 17% of the time, so among ten such managers one will very likely "
        "look poor by luck alone. The toolkit therefore measures on exposure, shrinks each manager's "
        "rate toward the organisation's (empirical Bayes), reports intervals, and flags a manager "
        "only when the interval clears the organisation's rate, in the spirit of funnel plots "
        "(Spiegelhalter 2005). Managers are never ranked on raw small-team rates. The prior's "
        "strength comes from the data (the between-team variance by the method of moments, Marshall "
        "1991) and is capped at one typical team's exposure, so a team of typical size always keeps "
        "at least half the weight on its own record. A small team's record can only show so "
        "much: ten reps over one year at a 27% base rate expect under three exits, and no honest test "
        "can tell twice that rate from chance; such a team is reported with its interval, not "
        "flagged.",
        "Gallup (2015) found managers account for at least 70% of the variance in team engagement. "
        "That is engagement, not turnover, and the deliverable does not claim more than that.",
    ]),
]

SOURCES: list[tuple[str, str]] = [
    ("CEB / Sales Executive Council", "Dixon & Adamson, HBR blog 2011; SEC 'World-Class Sales Coaching' "
     "2007: core performers, 6-8% and up to 19% uplift; star coaches 8% better against goal."),
    ("Gartner (2018, 2019, 2021)", "6-8 direct reports and ~10% of time coaching (2018); 3-5 hours "
     "per seller per month and 19% (2019 blog); 8% improvement (2021)."),
    ("CSO Insights (2015) - secondary", "~6 reps per manager; ~21% of time coaching; win rates 53.6% "
     "with formal coaching vs 45.7% informal. Cited through secondary reports."),
    ("Alexander Group", "Average span 8.5; first-line managers coach 16% of their time, best practice 28%."),
    ("HBR 2017 (Kumar et al.)", "Typical annual sales-rep turnover ~27-28%."),
    ("DePaul University - secondary", "Rep turnover ~27-28%; ~$115k to replace a rep. Cited through "
     "secondary reports."),
    ("SBI - vendor", "Survey of 736 hires: ~6 months median ramp to productivity. A vendor's survey."),
    ("Salz (2012)", "Ramp to productivity, typically 3-12 months."),
    ("Gallup (2015)", "Managers account for at least 70% of the variance in team engagement."),
    ("Kirkpatrick", "Four levels of training evaluation: reaction, learning, behaviour, results."),
    ("Phillips ROI", "ROI % = net benefits / fully loaded costs x 100; first-year benefits for short "
     "programs; isolate the program's effect."),
    ("Prosci ADKAR", "Awareness, Desire, Knowledge, Ability, Reinforcement; the barrier point."),
    ("Objective Management Group - vendor", "Sales-management competencies; a competency under 75% "
     "counts as ineffective. A vendor's benchmark."),
    ("Performio - practitioner", "Manager plans lose focus beyond three measures or with components "
     "under ~20%."),
    ("ZS", "Objective measures over subjective MBOs; pay on average rep performance against goal."),
    ("Forma.ai - practitioner", "Subjective MBOs become disguised base pay."),
    ("Spiegelhalter (2005)", "Funnel plots for comparing institutional performance, Statistics in "
     "Medicine 24: 1185-1202."),
]


def _height(book: DeliverableBook, paragraph: Paragraph) -> float:
    text = paragraph if isinstance(paragraph, str) else ". ".join(paragraph)
    return book.wrapped_height(text, TEXT_WIDTH)


def build(book: DeliverableBook, ctx: DeliverableContext) -> None:
    ws = book.sheet(TITLE)
    book.set_width(ws, 0, 3)
    book.set_width(ws, 1, TEXT_WIDTH)
    row = book.write_title(ws, "Methodology", "How each figure is produced, and the evidence it rests on.")
    used = 28 + 15 + 15  # title, subtitle, blank row
    breaks: list[int] = []
    sections = [(h, _for_book(book, ps)) for h, ps in [*SECTIONS, ("Sources", [SOURCES_NOTE, *SOURCES])]]
    sections = [(h, ps) for h, ps in sections if ps]
    for heading, paragraphs in sections:
        # keep a heading with its first paragraph: break the page before it when they do not fit
        if used + 20 + _height(book, paragraphs[0]) > PAGE_HEIGHT:
            breaks.append(row)
            used = 0.0
        ws.set_row(row, 20)
        ws.write_string(row, 0, heading, book.fmt("heading"))
        ws.write_blank(row, 1, None, book.fmt("heading"))
        used += 20
        row += 1
        for paragraph in paragraphs:
            height = _height(book, paragraph)
            if used + height > PAGE_HEIGHT:
                breaks.append(row)
                used = 0.0
            if isinstance(paragraph, tuple):
                _lead_in(book, ws, row, *paragraph)
            elif paragraph is SOURCES_NOTE:
                book.write_paragraph(ws, row, 1, paragraph, TEXT_WIDTH, book.fmt("note"))
            else:
                book.write_paragraph(ws, row, 1, paragraph, TEXT_WIDTH, book.fmt("wrap"))
            used += height
            row += 1
        row += 1
        used += 15
    ws.set_h_pagebreaks(breaks)


def _lead_in(book: DeliverableBook, ws, row: int, lead: str, text: str) -> None:
    """A wrapped paragraph whose first words are bold (toolkit text only, never client data)."""
    sep = ". " if lead in ARGUMENT_LEADS else ": "
    ws.set_row(row, book.wrapped_height(lead + sep + text, TEXT_WIDTH))
    ws.write_rich_string(row, 1, book.fmt("bold"), lead + sep, book.fmt("text"), text, book.fmt("wrap"))


def _for_book(book: DeliverableBook, paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Drop the sentences that point to a sheet this workbook does not contain."""
    out: list[Paragraph] = []
    for paragraph in paragraphs:
        if isinstance(paragraph, str):
            for sentence, sheet in NEEDS_SHEET.items():
                if sentence in paragraph and not book.written(sheet):
                    paragraph = paragraph.replace(sentence, "").strip()
            if not paragraph:
                continue
        out.append(paragraph)
    return out
