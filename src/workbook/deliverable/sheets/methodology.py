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
IMPACT_SHEET = ("The Programme Impact sheet shows the measured change with its interval, the before and "
                "after charts by month of completion and the matched windows per manager.")
NEEDS_SHEET = {LIVE_ROI: "ROI Model", COMPENSATION_SHEET: "Compensation", IMPACT_SHEET: "Programme Impact"}

# A paragraph is text, or (lead-in, text) where the lead-in is shown in bold.
Paragraph = str | tuple[str, str]
SECTIONS: list[tuple[str, list[Paragraph]]] = [
    ("Why train the managers first", [
        ("Scale", "A front-line sales manager touches every rep on the team, typically five to eight "
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
        "Each manager is scored 0-100 on up to six pillars. Scale: span of control (all direct reports) "
        "against the healthy range (Gartner 2018: 6-8; Alexander Group average 8.5): 100 inside it, "
        "100 x span / 6 below it, falling to 50 at 10 (flagged above 10) and 0 at 12, by default. Team health: rep "
        "attrition measured on exposure (person-years on the team, not head counts), every exit counted "
        "and split voluntary / involuntary (each costed at its own replacement cost, $115k by default "
        "after DePaul, secondary; an exit of unknown type as voluntary; ramp time lost = exits x 6 "
        "months, SBI, vendor), shrunk toward the "
        "organisation's rate with empirical Bayes and shown with an interval; it scores 50 at the "
        "organisation's rate, 100 at half of it and 0 at one and a half times it, so differences "
        "show instead of every team at or below the organisation scoring 100. Modelling: 40 points for "
        "completing the reps' program, 30 for a manager coaching program and 30 x the team's "
        "completion of the reps' program (in progress earns half; items the data cannot show are "
        "dropped and the rest rescaled; Kirkpatrick levels 1-2). Buy-in: the "
        "manager's ADKAR survey scores (Prosci), scored (mean of the element means - 1) / 4 x 100; the barrier point is the first element, in the order "
        "Awareness, Desire, Knowledge, Ability, Reinforcement, scoring 3 or below, and a manager whose "
        "awareness or desire scores 2 or below cannot be 'ready' whatever the other pillars say. "
        "Coaching: hours per "
        "rep per month against the target, capped at the target (two thirds) and the share of reps coached (one third; "
        "Kirkpatrick level 3); a manager whose coaching scores under 40 cannot be 'ready' either. "
        "Results: the team's attainment against "
        "quota over the window (revenue per rep-month where the organisation sets no quotas), shrunk "
        "toward the organisation with empirical Bayes (normal-normal, weighted by rep-months) so a "
        "small team's lucky or unlucky year does not decide its score (Kirkpatrick level 4); it "
        "scores 50 at the organisation's level, 100 at 20% above it and 0 at 20% below.",
        "The readiness score is the weighted mean of the pillars, with the weights on the Assumptions "
        "sheet. A pillar without data is shown as 'not assessed' and its weight is shared out over the "
        "pillars that were assessed, so a missing survey never counts as a zero. Tiers, by default: "
        "ready at 70 or more, developing at 50 to 69.9, not ready below 50 (a toolkit choice; compare "
        "OMG, vendor: a competency under 75% counts as ineffective).",
    ]),
    ("Training plan", [
        "Managers are trained first, in cohorts; every rep is trained after their own manager, in a "
        "later wave, and leaders are trained before the managers who report to them. Managers are "
        "ordered by priority. " + PRIORITY_RULE + " So a big team with a fairly ready manager can come "
        "before a small team with the least ready one: the order follows the people and revenue at "
        "stake, not readiness alone.",
        "The first manager cohort is a pilot (3 managers by default): the highest-priority managers "
        "rated ready whose survey shows they see the need for the change and want it (ADKAR barrier "
        "point neither awareness nor desire; a manager who did not answer is not chosen, and one who "
        "reports to another front-line manager follows their boss instead). It trains alone after the "
        "leaders, testing the program with managers able and willing to lead it, so its lessons reach "
        "the cohorts that follow. A "
        "manager whose barrier point is awareness or desire has a buy-in session first, two weeks "
        "before their training by default (Prosci: awareness and desire come before knowledge). Reps "
        "start a set time after their own manager (four weeks by default), so managers model the "
        "program before their teams start. No session starts in a blackout, by default the last two "
        "weeks of each fiscal quarter and 20 December to 5 January: a start that falls in one moves "
        "to the first Monday after it, and a buy-in session to the last Monday before it (never "
        "before the first wave). By default the program starts four weeks after the as-of date, "
        "waves follow four weeks apart, manager cohorts hold eight, every date is a Monday, a "
        "manager who reports to another front-line manager trains in the wave after their boss, "
        "and reps with no manager in post join the first manager wave.",
        STEPPED_WEDGE + " This is a stepped-wedge design.",
    ]),
    ("Coaching gaps", [
        "Coaching is measured as logged hours per rep per month over the time each rep actually spent "
        "on the team (exposure), against the target on the Assumptions sheet (3 hours by default; "
        "Gartner 2019 recommends 3-5, with diminishing returns beyond). Hours count every session the "
        "manager logged (a session without a duration counts 30 minutes, a placeholder); coverage "
        "counts sessions with the manager's own reps over every rep on the team in the window, "
        "leavers included. A manager's gap is the target minus their hours (never below zero), and "
        "in manager hours a month, that gap x the reps on the team at the window end. Core "
        "share is the share of coaching time spent on core performers, the middle band by attainment "
        "(the middle 60% by default, set on the Assumptions sheet; ranked on revenue per rep-month "
        "when fewer than half the reps have a quota), where CEB / Sales Executive Council found coaching pays most; the weakest and strongest "
        "performers gain little from it.",
    ]),
    ("Return on investment", [
        "The ROI Model follows the Phillips method: ROI % = net program benefits / fully loaded program "
        "costs x 100, and the benefit-cost ratio = benefits / costs. Only first-year benefits are "
        "counted, as Phillips advises for short programs. The first-year benefit is the core "
        "performers' annual revenue (each core rep still employed at the window end, won revenue x 12 "
        "/ months on the team) x the uplift x the share of the coaching gap closed x the gross "
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
        "x hourly cost for the same managers and reps; the coaching time is the gap in manager hours "
        "a month x 12. The defaults for the share of the gap closed (50%), gross margin (25%), "
        "program costs ($3,000 a manager, $1,500 a rep), program hours (16 each) and hourly costs "
        "($90 a manager, $60 a rep) are placeholders to replace with the client's figures. The "
        "uplift for "
        "core performers is shown as three scenarios: 6% conservative (CEB / SEC: moderate coaching "
        "improvement is worth 6-8%), 8% base (Gartner 2021: 8%; SEC: reps with star coaches perform "
        "8% better against goal) and 19% upper (CEB / SEC: best-quality "
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
        "session, the manager's own training completed (both the reps' program and a coaching "
        "program 100%, one of them 50%, neither 0%), and team retention (1 - the team's shrunk "
        "attrition / twice the organisation's: the organisation's rate scores 50%, twice it 0%, and "
        "a team with no exits close to but below 100%, since its rate is shrunk toward the "
        "organisation's). Each is capped at 100% and team-development attainment is their plain "
        "mean; with three or more managers, a measure on which every manager scores within 10 points "
        "of every other is left out, since it would pay everyone alike. Team ramp and the share of reps at threshold "
        "are not measured: the data holds no ramp milestone, and threshold attainment per rep is "
        "already what the financial components pay on.",
        "Budget neutral is enforced, not asserted. The team-development component pays target "
        "variable x weight x the payout curve at (team-development attainment / the standard), where "
        "the standard, the attainment that pays the component in full, is set from today's "
        "performance as a quota is: solved so that the proposed plan's total payout at today's "
        "measured performance equals the current plan's, and kept between 5% and 100%. At target "
        "(every attainment at 100% of its standard) each manager still earns the target incentive. "
        "The totals ""match within 0.5%; where the bound binds, the sheet and the Executive Summary say by how much "
        "and why. A manager's payout change is flagged as a change-management risk when it exceeds "
        "the threshold on the Assumptions sheet (10% of today's payout by default; a toolkit choice).",
        "Payouts follow one curve per component (the Assumptions sheet; by default nothing below 50% "
        "attainment, 50% at it, linear to 100% at target, then linear to 200% at 150% attainment, "
        "capped). Financial components are paid on the team's won revenue / its prorated quota over "
        "the window, not shrunk (pay follows actual results); with no quotas, revenue per rep-month "
        "relative to the organisation's. The proposed plan scales today's financial components pro "
        "rata to the share left after team development and folds any development component into the "
        "new one. Plans with more than three measures or a component under 20% are noted (Performio). "
        "The proposed plan keeps today's financial measure; ZS recommends paying on average rep "
        "performance against goal rather than team volume where coaching matters, a change the "
        "client may consider. " + COMPENSATION_SHEET,
    ]),
    # the roll-out as an experiment (METHOD-NOTES): staggered waves are a stepped wedge, measured on
    # re-runs by difference-in-differences with an interval honest for few teams
    ("Programme impact", [
        "On each re-run the toolkit measures whether the program worked here, from the client's own "
        "data. A front-line manager's completion of the manager program comes from the training "
        "records; each team (the manager and the reps reporting to them) is followed month by month on "
        "coaching hours per rep and the core performers' attainment. Because managers complete in "
        "waves, teams not yet trained are the comparison for teams already trained in the same months "
        "(a stepped-wedge design). The months from completion through the ramp (one month by default) "
        "are left out, since new habits take weeks to show in the data.",
        "The effect is an imputation difference-in-differences (Borusyak, Jaravel & Spiess 2024): each "
        "team's level and each month's shift are fitted on the untrained team-months only (teams not yet "
        "trained, and every team's months before its manager completed); a trained team-month's effect "
        "is its outcome minus that prediction, and the measured change is the mean over trained teams, "
        "relative to the predicted level. Unlike a plain two-way regression, early-trained teams never "
        "serve as the comparison for later ones. A team is measured only with enough months before and "
        "after (three each by default), and a month only when at least two untrained teams are "
        "observed in it.",
        "The interval (90% by default) is a cluster bootstrap over teams, resampled within each month "
        "of completion (the untrained teams as one more group) so every draw keeps the roll-out's "
        "design, widened for few teams: the bootstrap spread is scaled up for the typical group's size "
        "and multiplied by a Student's t quantile with one degree of freedom per team, less one per "
        "group. A result is stated as 'consistent with "
        "an uplift of X% to Y%' only when the interval excludes zero; otherwise as no measurable change "
        "yet. For comparison, published evidence puts the uplift at 6-8% typically and up to 19% for "
        "core performers (CEB / Sales Executive Council; Gartner 2019). The matched windows per manager "
        "(the same number of whole months before the completion month and after the ramp) are "
        "descriptive only: one small team's before and after moves with the market and with chance. "
        + IMPACT_SHEET,
    ]),
    ("Honest statistics on small teams", [
        "Small teams produce extreme rates by chance: a team of six with a true 25% attrition rate "
        "shows 50% or more about 17% of the time, so among ten such managers one will very likely "
        "look poor by luck alone. The toolkit therefore measures on exposure, shrinks each manager's "
        "rate toward the organisation's (empirical Bayes), reports intervals, and flags a manager "
        "only when the interval (95% by default, on the Assumptions sheet) clears the organisation's "
        "rate and the team lost at least one rep, in the spirit of funnel plots (Spiegelhalter "
        "2005). Managers are never ranked on raw small-team rates. The prior's "
        "strength comes from the data (the between-team variance by the method of moments: "
        "Poisson-gamma for attrition rates, DerSimonian-Laird for attainment; the prior is worth at "
        "least one expected exit) and is capped at one typical team's exposure, so a team of typical size always keeps "
        "at least half the weight on its own record. A small team's record can only show so "
        "much: ten reps over one year at a 27% base rate expect under three exits, and no honest test "
        "can tell twice that rate from chance; such a team is reported with its interval, not "
        "flagged.",
        "Gallup (2015) found managers account for at least 70% of the variance in team engagement. "
        "That is engagement, not turnover, and the deliverable does not claim more than that.",
    ]),
    ("Glossary", [
        ("Reps in post", "reps employed on the as-of date, the people the program can still reach; "
         "'reps in the window' also counts those who left during the analysis window, for the months "
         "they were on the team (coaching hours and attrition use those months)."),
        ("Readiness score, tier", "the weighted mean of a manager's pillar scores, 0-100; ready, "
         "developing or not ready at the thresholds on the Assumptions sheet."),
        ("Gate", "a rule that holds a manager at developing whatever the score: awareness or desire "
         "at 2 or below on the survey (buy-in gate), or too little coaching (coaching gate)."),
        ("Barrier point", "the first ADKAR element (awareness, desire, knowledge, ability, "
         "reinforcement) a manager scores 3 or below on: where the change stalls for them."),
        ("Adjusted rate, interval", "a team's rate pulled toward the organisation's in proportion to "
         "how little its own record shows, with the range its true rate plausibly lies in."),
        ("Attrition rate", "exits per rep-year on the team (leavers / the years reps spent on it), shown "
         "as a % per year: above 100% means the team's seats turned over more than once a year, which "
         "a team losing most of its reps to repeated hires can reach."),
        ("Core performers", "the middle band of reps by attainment, the middle 60% by default, where "
         "coaching pays most."),
        ("Coaching gap, dose", "the target hours per rep per month minus a team's hours (never below "
         "zero); the dose is that gap as a share of the target, the part of the uplift a team can gain."),
        ("Team-development standard", "the team-development attainment that pays the new pay "
         "component in full, set from today's performance as a quota is, so the plan is budget "
         "neutral."),
        ("Pilot, wave, blackout", "the first small cohort of ready, willing managers; the groups trained "
         "together after it; the weeks in which no session starts."),
        ("Stepped wedge", "a rollout in which groups start one after another, so teams not yet trained "
         "are the comparison for those already trained."),
        ("Placeholder", "an assumption with no client figure behind it yet, to be replaced before the "
         "figures it moves are quoted."),
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
    ("Borusyak, Jaravel & Spiess (2024)", "Revisiting event-study designs: robust and efficient "
     "estimation, Review of Economic Studies 91(6): 3253-3285. The imputation estimator for staggered "
     "roll-outs."),
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
