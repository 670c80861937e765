"""The follow-up demo: the same client six months later, with a known programme effect planted.

`generate_demo(folder, follow_up=True)` keeps the organisation (same seed, same people, same
hire and termination dates) and runs the exports FOLLOW_UP_MONTHS further: as-of = the regular
demo's as-of + 6 months (2027-03-31 for 2026-09-30), and deals and coaching from the regular
demo's window start to that date (18 months by default). Its manager coaching programme
(COACHING_PROGRAM) rows for front-line managers are staggered, a stepped wedge in which every
wave has months of data before and after its completion:

- group 0, about 20%: completed before the first data day (the planted strong coach and the
  low-buy-in manager, who "completed both programs", are here);
- waves 1-3, about 20% each: completed around data start + 4, + 8 and + 12 months (within a
  week either side of the wave's day; in proportion for other than 18 months of data); the
  planted weak coach who was "In Progress" finishes in the last wave;
- group 4, about 20%: not completed ("In Progress" or "Not Started", no date), with the planted
  weak manager, the other weak coach and any manager with no LMS row for the programme.

The planted effect, from PLANTED_RAMP_DAYS after a manager's completion date on: their sessions
per rep come 1 + PLANTED_COACHING_UPLIFT times as often (same session lengths, so hours too),
and the won deals of their core-tier reps (org tier "core") are 1 + PLANTED_ATTAINMENT_UPLIFT
times as large, so core reps' monthly won revenue / (annual quota / 12) rises by that share.
Low and top reps, and teams whose manager has not completed, are unchanged. Managers who
completed before the data starts get no effect inside the data: their planted levels are what
they already are after training (always treated, constant throughout, no step to find).

Nothing in the client folder says who was trained when: the truth is the LMS export itself
(completion date + PLANTED_RAMP_DAYS), as a consultant's analysis would read it. The regular
demo (`follow_up=False`) is the placebo: completions at random dates and no effect after them.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from workbook.demo.activity import build_deals, build_sessions, build_training
from workbook.demo.org_data import COACHING_PROGRAM, EPOCH, day

FOLLOW_UP_MONTHS = 6
PLANTED_COACHING_UPLIFT = 0.5
PLANTED_ATTAINMENT_UPLIFT = 0.12
PLANTED_RAMP_DAYS = 30
WAVE_MONTHS = (4, 8, 12)        # completion waves: months after the first data day, in 18 months of
DATA_MONTHS = 18                # data (the default); scaled to the months there are
WAVE_SPREAD_DAYS = 7            # each completion within this many days of its wave's day
GROUPS = 5                      # 0 before the data, 1-3 the waves, 4 not completed
# Planted managers' groups: their story in the regular demo, carried on.
PLANTED_GROUP = {"strong_coach": 0, "low_buy_in": 0, "weak_coach_2": 3, "weak_manager": 4, "weak_coach_1": 4}
PIN_MONTHS = 3                  # each rep's won revenue is pinned per quarter of the data ...
MAX_PIN = 2.0                   # ... by scaling its won deals by at most x2 or /2
NO_EFFECT = np.iinfo(np.int64).max // 4      # effect day of managers with no effect in the data


def follow_up_as_of(as_of: dt.date) -> dt.date:
    """as_of + FOLLOW_UP_MONTHS months; a month's last day stays the last day (09-30 -> 03-31)."""
    ts = pd.Timestamp(as_of)
    if ts.is_month_end:
        return (ts + pd.offsets.MonthEnd(FOLLOW_UP_MONTHS)).date()
    return (ts + pd.DateOffset(months=FOLLOW_UP_MONTHS)).date()


def build_activity(rng: np.random.Generator, org: pd.DataFrame, as_of: dt.date, w0: int,
                   deals_per_rep_month: float, sessions_per_rep_month: float | None,
                   follow_up: bool) -> tuple[dt.date, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(as-of, deals, coaching sessions, LMS rows) from day w0: the regular demo's up to `as_of`
    (the placebo), or the follow-up's FOLLOW_UP_MONTHS further with the planted effect."""
    if not follow_up:
        a = day(as_of)
        deals = build_deals(rng, org, w0, a, deals_per_rep_month)
        sessions = build_sessions(rng, org, w0, a, sessions_per_rep_month)
        return as_of, deals, sessions, build_training(rng, org, w0, a)
    as_of = follow_up_as_of(as_of)
    a = day(as_of)
    lms = _within_employment(org, build_training(rng, org, w0, a), a)
    lms, completed = _stagger_completions(rng, org, lms, w0, a)
    effect = np.where(completed >= w0, completed + PLANTED_RAMP_DAYS, NO_EFFECT)   # per person
    deals = _plant_sales(rng, org, build_deals(rng, org, w0, a, deals_per_rep_month), effect, w0, a)
    sessions = build_sessions(rng, org, w0, a, sessions_per_rep_month, boost=(effect, PLANTED_COACHING_UPLIFT))
    return as_of, deals, sessions, lms


def _within_employment(org: pd.DataFrame, lms: pd.DataFrame, a: int) -> pd.DataFrame:
    """Completion days moved inside each learner's employment (nobody completes after leaving)."""
    person = lms.person.to_numpy()
    term = org.term.to_numpy()[person]
    inside = np.clip(lms.day.to_numpy(), org.hire.to_numpy()[person], np.where(term >= 0, term, a))
    return lms.assign(day=np.where(lms.day.to_numpy() >= 0, inside, -1))


def _groups(rng: np.random.Generator, org: pd.DataFrame, flms: np.ndarray, has_row: np.ndarray) -> np.ndarray:
    """Each front-line manager's group (0-4, about a fifth each), the planted ones pinned."""
    n = len(flms)
    size = np.diff(np.round(np.linspace(0, n, GROUPS + 1)).astype(np.int64))
    slot = org.slot.to_numpy()[flms]
    pinned = np.array([PLANTED_GROUP.get(s, -1) for s in slot])
    pinned[~has_row] = GROUPS - 1                 # no LMS row for the programme: not completed
    free = np.flatnonzero(pinned < 0)
    room = np.maximum(size - np.bincount(pinned[pinned >= 0], minlength=GROUPS), 0)
    labels = np.repeat(np.arange(GROUPS), room)   # the free places, at least as many as free managers
    out = pinned.copy()
    out[free] = rng.permutation(labels)[: len(free)]
    return out


def _stagger_completions(rng: np.random.Generator, org: pd.DataFrame, lms: pd.DataFrame, w0: int,
                         a: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Front-line managers' coaching-programme rows rewritten by group; (lms, completed day per
    person, -1 when not completed)."""
    flms = np.flatnonzero(org.role.to_numpy() == "manager")
    rows = np.full(len(org), -1, np.int64)        # each manager's coaching-programme row
    coaching = np.flatnonzero((lms.program == COACHING_PROGRAM).to_numpy()
                              & np.isin(lms.person.to_numpy(), flms))
    rows[lms.person.to_numpy()[coaching]] = coaching
    group = _groups(rng, org, flms, rows[flms] >= 0)
    first = pd.Timestamp(EPOCH + dt.timedelta(days=w0))
    months = round((a - w0 + 1) / 30.4375)
    waves = [round(m * months / DATA_MONTHS) for m in WAVE_MONTHS]
    wave_day = np.array([w0] + [day((first + pd.DateOffset(months=m)).date()) for m in waves] + [-1])
    hire = org.hire.to_numpy()[flms]
    before = np.maximum(hire + 7, w0 - 300)       # group 0: between ten months and two weeks before
    done_day = np.where(group == 0, before + (rng.random(len(flms)) * (w0 - 14 - before)).astype(np.int64),
                        wave_day[group] + rng.integers(-WAVE_SPREAD_DAYS, WAVE_SPREAD_DAYS + 1, len(flms)))
    done_day = np.where(group == GROUPS - 1, -1, done_day)
    has = rows[flms] >= 0
    r, g, d = rows[flms][has], group[has], done_day[has]
    status = lms.status.to_numpy(dtype=object).copy()
    was_done = status[r] == "Completed"
    not_yet = np.where(was_done, np.where(rng.random(len(r)) < 0.5, "In Progress", "Not Started"), status[r])
    status[r] = np.where(g == GROUPS - 1, not_yet, "Completed")
    score = lms.score.to_numpy().copy()
    fresh = np.clip(np.round(rng.normal(84, 8, len(r))), 55, 100)
    score[r] = np.where(g == GROUPS - 1, np.nan, np.where(was_done, score[r], fresh))
    days = lms.day.to_numpy().copy()
    days[r] = d
    lms = lms.assign(status=status, day=days, score=score)
    completed = np.full(len(org), -1, np.int64)
    completed[flms] = done_day
    return lms, completed


def _plant_sales(rng: np.random.Generator, org: pd.DataFrame, deals: pd.DataFrame, effect: np.ndarray,
                 w0: int, a: int) -> pd.DataFrame:
    """Won deals with the planted uplift, each rep's won revenue pinned quarter by quarter.

    Core reps' won deals closing on or after their manager's effect day are 1 + uplift times as
    large; then each rep's won deals in each quarter of the data are scaled so that quarter's won
    revenue is quota x attainment x (days employed + uplift x days employed after the effect) /
    365.25, within 3% (`build_deals` pins it over the whole window the same way), unless that
    takes a factor beyond MAX_PIN (a quarter with one or two small deals). Without the quarterly
    pinning, deal-to-deal noise in 120 people's sales hides a 12% change (the imputation estimate
    of the uplift has an interval about 2.5 times as wide).
    """
    rep, when, cents = deals.rep.to_numpy(), deals.day.to_numpy(), deals.cents.to_numpy()
    who = np.maximum(rep, 0)
    won = (rep >= 0) & (deals.stage.to_numpy() == 0) & (cents > 0)       # credit notes stay as they are
    parent = org.parent.to_numpy()
    from_day = np.where(org.tier.to_numpy() == "core", effect[np.maximum(parent, 0)], NO_EFFECT)  # per person
    up = 1 + PLANTED_ATTAINMENT_UPLIFT * (when >= from_day[who])
    first = pd.Timestamp(EPOCH + dt.timedelta(days=w0))
    enough = range((a - w0) // (PIN_MONTHS * 28) + 1)                 # a month has at least 28 days
    starts = np.array([day((first + pd.DateOffset(months=PIN_MONTHS * q)).date()) for q in enough])
    starts = starts[starts <= a]
    ends = np.append(starts[1:], a + 1)
    key = who * len(starts) + np.searchsorted(starts, when, side="right") - 1
    got = np.bincount(key[won], (cents * up)[won], len(org) * len(starts))
    term = org.term.to_numpy()
    lo = np.maximum(org.hire.to_numpy()[:, None], starts)
    hi = np.minimum(np.where(term >= 0, term, a)[:, None] + 1, ends)
    employed = np.clip(hi - lo, 0, None)
    after = np.clip(hi - np.maximum(lo, from_day[:, None]), 0, None)
    cents_a_day = np.nan_to_num(org.quota.to_numpy() * org.attainment.to_numpy())[:, None] * 100 / 365.25
    target = cents_a_day * (employed + PLANTED_ATTAINMENT_UPLIFT * after) * rng.normal(1.0, 0.03, employed.shape)
    scale = np.clip(target.ravel() / np.maximum(got, 1.0), 1 / MAX_PIN, MAX_PIN)[key]
    dollars = np.round(cents * up * scale / 100)
    return deals.assign(cents=np.where(won, dollars.astype(np.int64) * 100 + cents % 100, cents))
