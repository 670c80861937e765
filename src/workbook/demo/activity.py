"""The demo client's activity as clean tables: deals, coaching sessions, LMS, survey, comp plans.

Vectorised: counts per person are drawn once, rows come from np.repeat, never a loop per row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.demo.org_data import COACHING_PROGRAM, SALES_PROGRAM, employed_days

WEAK_COACHES = ("weak_coach_1", "weak_coach_2")
# Coaching story per kind of manager: hours per rep per month, minutes per session,
# session-share weights for (low, core, top) performers, share of reps never coached,
# session quality (mean, sd).
STORY = {
    "strong_coach": dict(hours=4.2, minutes=55, weights=(0.35, 1.6, 0.5), uncovered=0.0, quality=(4.5, 0.5)),
    "weak_coach": dict(hours=0.7, minutes=30, weights=(4.0, 0.45, 0.2), uncovered=0.45, quality=(2.3, 0.7)),
    "weak_manager": dict(hours=0.0, minutes=25, weights=(1.0, 1.0, 1.0), uncovered=1.0, quality=(2.1, 0.8)),
    "low_buy_in": dict(hours=3.4, minutes=45, weights=(0.9, 1.0, 0.7), uncovered=0.0, quality=(3.9, 0.6)),
    "near_target_coach": dict(hours=2.75, minutes=45, weights=(0.9, 1.0, 0.7), uncovered=0.0,
                              quality=(3.7, 0.6)),
    "normal": dict(hours=None, minutes=None, weights=(0.9, 1.0, 0.7), uncovered=0.04, quality=(3.5, 0.8)),
}
ACTIVITIES = np.array(["Deal review", "Skill coaching", "Joint call", "1:1"], dtype=object)


def _kind(slot: str) -> str:
    return "weak_coach" if slot in WEAK_COACHES else slot if slot in STORY else "normal"


def build_deals(rng: np.random.Generator, org: pd.DataFrame, w0: int, a: int,
                per_rep_month: float) -> pd.DataFrame:
    """CRM opportunities by close day: rep index (-1 = not in the roster), day, cents, stage code.

    Stage codes: 0 won, 1 lost, 2 open.
    """
    reps = np.flatnonzero(org.role.to_numpy() == "rep")
    start, ndays = employed_days(org, w0, a)
    start, ndays = start[reps], ndays[reps]
    count = rng.poisson(per_rep_month * ndays / 30.4375)
    who = np.repeat(np.arange(len(reps)), count)
    total = len(who)
    date = start[who] + (rng.random(total) * ndays[who]).astype(np.int64)
    z = org.z.to_numpy()[reps]
    pwin = np.clip(0.55 + 0.07 * z, 0.3, 0.8)
    won = rng.random(total) < pwin[who]
    recent = date > a - 60
    stage = np.where(won, 0, np.where(recent & (rng.random(total) < 0.6), 2, 1)).astype(np.int8)
    # Won revenue over the year ~ quota x attainment: mean deal size follows from the deal rate.
    mean = org.quota.to_numpy()[reps] * org.attainment.to_numpy()[reps] / (12 * per_rep_month * pwin)
    amount = mean[who] * rng.lognormal(-0.18, 0.6, total)
    # Scale each rep's won deals so won revenue = quota x attainment over the months employed.
    target = (org.quota.to_numpy()[reps] * org.attainment.to_numpy()[reps] * ndays / 365.25
              * rng.normal(1.0, 0.03, len(reps)))
    got = np.bincount(who, np.where(won, amount, 0.0), len(reps))
    amount = np.where(won, amount * (target / np.maximum(got, 1.0))[who], amount)
    dollars = np.clip(np.round(amount), 2000, 95_000).astype(np.int64)
    cents = dollars * 100 + np.where(rng.random(total) < 0.2, rng.integers(1, 100, total), 0)
    credit = won & (rng.random(total) < 0.003)
    cents[credit] = -rng.integers(3, 30, credit.sum()) * 10_000
    rep = np.concatenate([reps[who], np.full(3, -1)])            # -1: a former contractor's deals
    date = np.concatenate([date, a - rng.integers(100, 300, 3)])
    cents = np.concatenate([cents, rng.integers(80, 400, 3) * 10_000])
    stage = np.concatenate([stage, np.zeros(3, np.int8)])
    order = np.lexsort((rep, date))
    return pd.DataFrame({"rep": rep[order], "day": date[order], "cents": cents[order], "stage": stage[order]})


def build_sessions(rng: np.random.Generator, org: pd.DataFrame, w0: int, a: int, per_rep_month: float | None,
                   boost: tuple[np.ndarray, float] | None = None) -> pd.DataFrame:
    """Coaching log: manager index, rep index, day, minutes (NaN = not logged), activity, quality.

    `boost` = (day per person, uplift): from a manager's day on, their sessions per rep come
    1 + uplift times as often (the follow-up's planted programme effect; None: no change).
    """
    n = len(org)
    reps = np.flatnonzero(org.role.to_numpy() == "rep")
    flms = np.flatnonzero(org.role.to_numpy() == "manager")
    slot = org.slot.to_numpy()
    kind = np.array([_kind(s) for s in slot], dtype=object)
    hours = np.zeros(n)
    minutes = np.zeros(n)
    for k, story in STORY.items():
        on = flms[kind[flms] == k]
        hours[on] = story["hours"] if story["hours"] is not None else rng.uniform(1.3, 3.6, len(on))
        minutes[on] = story["minutes"] if story["minutes"] is not None else rng.uniform(35, 50, len(on))
    mgr = org.parent.to_numpy()[reps]
    tier = pd.Categorical(org.tier.to_numpy()[reps], ["low", "core", "top"]).codes
    weight = np.empty(len(reps))
    for k, story in STORY.items():
        on = kind[mgr] == k
        weight[on] = np.asarray(story["weights"])[tier[on]]
        skipped = on & (rng.random(len(reps)) < story["uncovered"])
        if k == "weak_coach":                                     # never skips the strugglers
            skipped &= tier != 0
        weight[skipped] = 0.0
    start, ndays = employed_days(org, w0, a)
    start, ndays = start[reps], ndays[reps]
    rep_months = ndays / 30.4375
    team_w = np.bincount(mgr, weight * rep_months, n) / np.maximum(np.bincount(mgr, rep_months, n), 1e-9)
    rate = hours * 60 / np.maximum(minutes, 1)                    # sessions per rep-month
    expected = rate[mgr] * rep_months * weight / np.maximum(team_w[mgr], 1e-9)
    if per_rep_month is not None:                                 # scale the unplanted managers only
        normal = kind[mgr] == "normal"
        want = per_rep_month * rep_months.sum() - expected[~normal].sum()
        expected[normal] *= max(want, 0.05 * expected[normal].sum()) / max(expected[normal].sum(), 1e-9)
    up, post = 0.0, np.zeros(len(reps), np.int64)                # post: employed days from the boost on
    if boost is not None:
        up, post = boost[1], np.clip(start + ndays - np.maximum(boost[0][mgr], start), 0, ndays)
        expected *= 1 + up * post / np.maximum(ndays, 1)
    count = rng.poisson(expected)
    who = np.repeat(np.arange(len(reps)), count)
    total = len(who)
    boss = mgr[who]
    mins = minutes[boss] * rng.gamma(6.0, 1 / 6.0, total)
    mins = np.clip(np.round(mins / 5) * 5, 10, 120)
    mins[rng.random(total) < 0.04] = np.nan
    kinds = pd.Categorical(kind[boss], list(STORY)).codes
    q_mean = np.array([s["quality"][0] for s in STORY.values()])[kinds]
    q_sd = np.array([s["quality"][1] for s in STORY.values()])[kinds]
    quality = np.clip(np.round(q_mean + q_sd * rng.standard_normal(total)), 1, 5)
    quality[rng.random(total) < 0.05] = np.nan
    strong = kind[boss] == "strong_coach"
    act = np.where(strong, rng.choice(4, total, p=[0.25, 0.45, 0.15, 0.15]),
                   rng.choice(4, total, p=[0.45, 0.2, 0.12, 0.23]))
    # A uniform draw over the employed days in which each boosted day counts 1 + up times.
    stretched, pre = rng.random(total) * (ndays + up * post)[who], (ndays - post)[who]
    offset = np.where(stretched < pre, stretched, pre + (stretched - pre) / (1 + up))
    sessions = pd.DataFrame({"manager": boss, "rep": reps[who], "day": start[who] + offset.astype(np.int64),
                             "minutes": mins, "activity": ACTIVITIES[act], "quality": quality})
    return sessions.sort_values(["day", "manager", "rep"], kind="stable", ignore_index=True)


def build_training(rng: np.random.Generator, org: pd.DataFrame, w0: int, a: int) -> pd.DataFrame:
    """LMS rows: person index, program, status, completed day (-1), score (NaN)."""
    role, slot = org.role.to_numpy(), org.slot.to_numpy()
    reps = np.flatnonzero(role == "rep")
    flms = np.flatnonzero(role == "manager")
    leaders = np.flatnonzero(role == "leader")
    skip_coaching = flms[(slot[flms] == "") & (rng.random(len(flms)) < 0.04)]   # no LMS row at all
    parts = [
        (reps, SALES_PROGRAM, (0.55, 0.25, 0.20)),
        (flms, SALES_PROGRAM, (0.70, 0.15, 0.15)),
        (np.setdiff1d(flms, skip_coaching), COACHING_PROGRAM, (0.60, 0.15, 0.25)),
        (leaders[: max(1, len(leaders) // 2)], SALES_PROGRAM, (0.5, 0.3, 0.2)),
    ]
    frames = []
    for who, program, p in parts:
        status = rng.choice(3, len(who), p=p)
        frames.append(pd.DataFrame({"person": who, "program": program, "status": status}))
    lms = pd.concat(frames, ignore_index=True)
    s = slot[lms.person]
    planted = {("strong_coach", SALES_PROGRAM): 0, ("strong_coach", COACHING_PROGRAM): 0,
               ("weak_manager", SALES_PROGRAM): 2, ("weak_manager", COACHING_PROGRAM): 2,
               ("weak_coach_1", COACHING_PROGRAM): 2, ("weak_coach_2", COACHING_PROGRAM): 1,
               ("low_buy_in", SALES_PROGRAM): 0, ("low_buy_in", COACHING_PROGRAM): 0}
    for (who, program), status in planted.items():
        lms.loc[(s == who) & (lms.program == program), "status"] = status
    done = lms.status.to_numpy() == 0
    lms["day"] = np.where(done, rng.integers(w0 - 180, a - 7, len(lms)), -1)
    score = np.clip(np.round(rng.normal(84, 8, len(lms))), 55, 100)
    score[s == "strong_coach"] = (96, 94)
    lms["score"] = np.where(done, score, np.nan)
    lms["status"] = np.array(["Completed", "In Progress", "Not Started"], dtype=object)[lms.status]
    return lms.sort_values(["person", "program"], kind="stable", ignore_index=True)


def build_survey(rng: np.random.Generator, org: pd.DataFrame, a: int) -> pd.DataFrame:
    """Wide ADKAR survey: managers (less the planted non-respondents and a few more) and leaders."""
    role, slot = org.role.to_numpy(), org.slot.to_numpy()
    who = np.flatnonzero(np.isin(role, ["manager", "leader"]))
    skip = np.isin(slot[who], ["no_survey_1", "no_survey_2"])
    if (role == "manager").sum() > 50:             # large orgs: a few more non-respondents
        skip |= (slot[who] == "") & (role[who] == "manager") & (rng.random(len(who)) < 0.03)
    who = who[~skip]
    base = rng.normal(3.9, 0.45, (len(who), 1)) + rng.normal(0, 0.6, (len(who), 5))
    scores = np.clip(np.round(base), 1, 5)
    fixed = {"strong_coach": (5, 5, 4, 5, 4), "weak_manager": (3, 2, 2, 2, 1),
             "weak_coach_1": (4, 3, 3, 2, 2), "weak_coach_2": (4, 4, 3, 2, 3),
             "low_buy_in": (2, 2, 4, 4, 3)}
    for k, row in fixed.items():
        scores[slot[who] == k] = row
    submitted = (a - rng.integers(5, 45, len(who))) + rng.integers(8 * 60, 18 * 60, len(who)) / 1440
    survey = pd.DataFrame(scores, columns=["awareness", "desire", "knowledge", "ability", "reinforcement"])
    survey.insert(0, "submitted", submitted)
    survey.insert(0, "person", who)
    return survey.sort_values("submitted", ignore_index=True)


def build_comp(rng: np.random.Generator, org: pd.DataFrame) -> pd.DataFrame:
    """FY26 plans for managers and leaders: base, target variable, revenue and margin weights."""
    role, level = org.role.to_numpy(), org.level.to_numpy()
    who = np.flatnonzero(role != "rep")
    top = level[who] == 0
    mgr = role[who] == "manager"
    base = np.where(mgr, rng.integers(115, 151, len(who)), rng.integers(175, 231, len(who))) * 1000.0
    var = np.where(mgr, rng.integers(55, 81, len(who)), rng.integers(80, 121, len(who))) * 1000.0
    base[top], var[top] = 285_000.0, 150_000.0
    w_rev = rng.choice([0.6, 0.7, 0.8, 1.0], len(who), p=[0.25, 0.45, 0.2, 0.1])
    return pd.DataFrame({"person": who, "base": base, "variable": var,
                         "w_rev": w_rev, "w_margin": np.round(1 - w_rev, 2)})
