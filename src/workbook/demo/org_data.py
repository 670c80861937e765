"""The synthetic demo client as clean tables: the org, its deals and coaching, LMS, survey, comp.

Everything is vectorised numpy so the benchmark-sized client (50,000 people, millions of
deals) generates in seconds. `workbook.demo` turns these tables into messy client exports.
Dates are integer days since 1970-01-01 throughout.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

EPOCH = dt.date(1970, 1, 1)
MIN_PEOPLE = 100

# Planted front-line managers: fixed ids and names whatever the seed or size. The first two have
# fixed teams (WEAK_*, SMALL_*); the others get ordinary random teams.
PLANTED = {
    "weak_manager": ("E1012", "Gary Pruitt"),        # big team, many exits of both kinds, no coaching
    "team_of_three": ("E1037", "Naomi Achterberg"),  # three reps: a high raw rate that proves nothing
    "strong_coach": ("E1019", "Maria Okafor"),
    "weak_coach_1": ("E1027", "Todd Brennan"),
    "weak_coach_2": ("E1033", "Kevin Lindqvist"),
    "no_survey_1": ("E1041", "Sandra Whitfield"),
    "no_survey_2": ("E1048", "Marcus Delaney"),
    "low_buy_in": ("E1006", "Rachel Osei"),          # good numbers, but awareness and desire at 2
    "near_target_coach": ("E1023", "Tomás Ferreira"),  # coaches a little below the target
}
ACCENTED_REP = "José Álvarez"          # on the strong coach's team, so the coaching log needs cp1252
CONTRACTOR_NAME = "Dana Whitlock"      # owns CRM deals but is not in the roster
WEAK_ACTIVE, WEAK_LEAVERS, WEAK_INVOLUNTARY = 13, 11, 4
SMALL_ACTIVE, SMALL_LEAVERS = 3, 2
SALES_PROGRAM = "Consultative Selling Essentials"
COACHING_PROGRAM = "Coaching for Sales Managers"

FIRST = (
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard "
    "Susan Joseph Jessica Thomas Sarah Christopher Karen Charles Lisa Daniel Nancy Matthew Betty "
    "Anthony Sandra Mark Ashley Donald Kimberly Steven Emily Andrew Donna Paul Michelle Joshua Carol "
    "Kenneth Amanda Brian Melissa George Deborah Timothy Stephanie Ronald Rebecca Jason Sharon "
    "Edward Laura Jeffrey Cynthia Ryan Amy Jacob Kathleen Nicholas Angela Eric Shirley Jonathan "
    "Brenda Stephen Emma Larry Anna Justin Pamela Scott Nicole Brandon Samantha Benjamin Katherine "
    "Samuel Christine Gregory Rachel Alexander Carolyn Patrick Janet Frank Maria Raymond Olivia "
    "Jack Heather Dennis Helen Jerry Catherine Tyler Diane Aaron Julie Henry Victoria Adam Joyce "
    "Nathan Lauren Zachary Kelly Kyle Christina Ethan Joan Jeremy Evelyn Christian Judith Sean "
    "Megan Austin Andrea Noah Cheryl Dylan Hannah Jordan Jacqueline Caleb Martha Priya Ananya "
    "Rahul Wei Mei Hiroshi Yuki Kwame Amara Tariq Leila Mateo Lucía Diego Sofia Omar Fatima Liam "
    "Aoife Niamh Siobhan Zoë Renée André Chloé Inés Noël Björn Ingrid Sven Astrid Oluwaseun Chidi"
).split()
LAST = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris "
    "Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill "
    "Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips "
    "Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers "
    "Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson "
    "Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo "
    "Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell "
    "Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson "
    "Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera "
    "Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez "
    "McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns "
    "Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt "
    "Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer "
    "Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant "
    "Dunn Kelley Spencer Hawkins Arnold Pierce Hansen Peters Santos Hart Bradley Knight Elliott "
    "Cunningham Duncan Armstrong Hudson Carroll Lane Riley Andrews Ray Berry Perkins Hoffman "
    "Johnston Matthews Pena Richards Willis Carpenter Lawrence Sandoval O'Brien O'Connor Müller "
    "Núñez Peña Álvarez Åberg Søndergaard Nakamura Tanaka Okonkwo Mensah Iyer Sharma Chatterjee "
    "Kowalski Novak Dubois Moreau Rossi Bianchi Costa Jansen Lindgren Byrne Doyle Gallagher"
).split()
REGIONS = ("Northeast", "Southeast", "Midwest", "South Central", "Mountain", "Pacific", "Mid-Atlantic",
           "Great Lakes")
REP_TITLES = ("Account Executive", "Senior Account Executive", "Account Manager",
              "Business Development Manager", "Staffing Account Executive")
FLM_TITLES = ("Sales Manager", "Branch Sales Manager", "Sales Team Lead")
LEADER_TITLES = ("Regional Sales Director", "Area Vice President", "Divisional Vice President",
                 "Senior Vice President, Sales")
ACCOUNT_PREFIX = ("Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Wonka", "Tyrell", "Cyberdyne",
                  "Soylent", "Hooli", "Vandelay", "Massive", "Pied Piper", "Aperture", "Oscorp", "Gringotts",
                  "Monarch", "Blue Sun", "Prestige", "Sterling", "Dunder", "Bluth", "Kramerica")
ACCOUNT_SUFFIX = ("Health", "Bank", "Insurance", "Logistics", "Systems", "Retail", "Energy", "Labs",
                  "Manufacturing", "Software", "Telecom", "Foods", "Pharma", "Capital", "Group")
INJECTION_TITLE = '=HYPERLINK("http://x","click")'


def day(d: dt.date) -> int:
    return (d - EPOCH).days


def window_start(as_of: dt.date, months: int) -> dt.date:
    return (pd.Timestamp(as_of) - pd.DateOffset(months=months) + pd.Timedelta(days=1)).date()


def _unique_names(rng: np.random.Generator, first: np.ndarray, last: np.ndarray,
                  order: np.ndarray) -> np.ndarray:
    """first + last, unique case-insensitively; later duplicates (in `order`) get middle initials."""
    n = len(first)
    middle = np.full(n, "", dtype=object)
    letters = np.array(list("ABCDEFGHJKLMNPRSTVW"), dtype=object)
    for round_ in range(40):
        full = pd.Series(np.where(middle == "", first + " " + last, first + " " + middle + " " + last))
        dup = full.iloc[order].str.lower().duplicated(keep="first").to_numpy()
        dup_idx = order[dup]
        if len(dup_idx) == 0:
            return full.to_numpy(dtype=object)
        extra = letters[rng.integers(0, len(letters), len(dup_idx))] + "."
        if round_ >= 20:   # crowded first+last: a second initial
            extra = letters[rng.integers(0, len(letters), len(dup_idx))] + ". " + extra
        middle[dup_idx] = extra
    raise RuntimeError("could not make unique names")  # pragma: no cover


def _assign_parents(rng: np.random.Generator, children: np.ndarray, parents: np.ndarray) -> np.ndarray:
    """Balanced, shuffled: each parent gets len(children)/len(parents) children (±1)."""
    perm = rng.permutation(len(children))
    out = np.empty(len(children), dtype=np.int64)
    out[perm] = parents[np.arange(len(children)) * len(parents) // len(children)]
    return out


def build_org(rng: np.random.Generator, people: int, as_of: dt.date, months: int) -> pd.DataFrame:
    """Everyone in the roster, current and departed, with latent performance for reps."""
    if people < MIN_PEOPLE:
        raise ValueError(f"people must be at least {MIN_PEOPLE}, got {people}")
    a, w0 = day(as_of), day(window_start(as_of, months))
    n_flm = max(len(PLANTED) + 2, round((people - 19) / 9.1) + 1)
    layers: list[int] = []          # leader layer sizes, from directors upwards
    c = n_flm
    while True:
        c = max(2, math.ceil(c / 6))
        layers.append(c)
        if c <= 6:
            break
    n_lead = 1 + sum(layers)
    k = n_flm - 2                   # front-line managers other than the two with fixed teams
    other_rows = people - n_lead - n_flm - (WEAK_ACTIVE + WEAK_LEAVERS) - (SMALL_ACTIVE + SMALL_LEAVERS)
    target_active = round(other_rows / 1.22)
    spans = rng.integers(5, 9, k)
    diff = target_active - int(spans.sum())
    if diff > 0:
        p = (10 - spans) / (10 - spans).sum()
        np.add.at(spans, rng.choice(k, diff, p=p), 1)
    elif diff < 0:
        p = (spans - 4) / (spans - 4).sum()
        np.subtract.at(spans, rng.choice(k, -diff, p=p), 1)
        spans = np.maximum(spans, 3)
    n_leave = other_rows - int(spans.sum())
    leavers = np.bincount(rng.choice(k, max(n_leave, 0), p=spans / spans.sum()), minlength=k)
    # At most two leavers on an ordinary team, so the planted weak manager's eight stand out.
    excess = int(np.maximum(leavers - 2, 0).sum())
    leavers = np.minimum(leavers, 2)
    room = np.repeat(np.arange(k), 2 - leavers)
    if 0 < excess <= len(room):
        np.add.at(leavers, rng.choice(room, excess, replace=False), 1)
    spans = np.concatenate([[WEAK_ACTIVE, SMALL_ACTIVE], spans])
    leavers = np.concatenate([[WEAK_LEAVERS, SMALL_LEAVERS], leavers])

    # Index layout: 0 = VP, then leader layers top-down, then front-line managers, then reps.
    sizes = [1] + layers[::-1] + [n_flm]
    starts = np.cumsum([0] + sizes)
    level = np.repeat(np.arange(len(sizes)), sizes)                # 0 = VP ... last = FLM
    parent = np.full(starts[-1], -1, dtype=np.int64)
    for i in range(1, len(sizes)):
        kids = np.arange(starts[i], starts[i + 1])
        parent[kids] = _assign_parents(rng, kids, np.arange(starts[i - 1], starts[i]))
    flms = np.arange(starts[-2], starts[-1])
    rep_team = np.concatenate([np.repeat(flms, spans), np.repeat(flms, leavers)])
    rep_leaver = np.concatenate([np.zeros(spans.sum(), bool), np.ones(leavers.sum(), bool)])
    n_mgmt, n_rep = starts[-1], len(rep_team)
    n = n_mgmt + n_rep
    assert n == people, (n, people)
    rep = np.arange(n_mgmt, n)

    org = pd.DataFrame({"level": np.concatenate([level, np.full(n_rep, len(sizes))])})
    org["role"] = np.where(org.level < len(sizes) - 1, "leader",
                           np.where(org.level == len(sizes) - 1, "manager", "rep"))
    org["parent"] = np.concatenate([parent, rep_team])
    org["slot"] = ""
    for j, slot in enumerate(PLANTED):
        org.loc[flms[j], "slot"] = slot

    # Regions: the director layer names them; everyone below inherits.
    region = np.full(n, "Corporate", dtype=object)
    dirs = np.arange(starts[-3], starts[-2])
    names = np.array([REGIONS[i % len(REGIONS)] + ("" if i < len(REGIONS) else f" {i // len(REGIONS) + 1}")
                      for i in range(len(dirs))], dtype=object)
    region[dirs] = names
    region[flms] = region[parent[flms]]
    region[rep] = region[rep_team]
    org["region"] = region

    # Titles.
    title = np.empty(n, dtype=object)
    title[0] = "Vice President, Sales"
    for i in range(1, len(sizes) - 1):
        title[starts[i]:starts[i + 1]] = LEADER_TITLES[min(len(sizes) - 2 - i, len(LEADER_TITLES) - 1)]
    title[flms] = np.array(FLM_TITLES, dtype=object)[rng.choice(3, n_flm, p=[0.6, 0.25, 0.15])]
    title[rep] = np.array(REP_TITLES, dtype=object)[rng.choice(5, n_rep, p=[0.45, 0.2, 0.15, 0.1, 0.1])]

    # Employment dates.
    hire = np.empty(n, dtype=np.int64)
    term = np.full(n, -1, dtype=np.int64)
    hire[0] = a - 365 * 12
    hire[1:n_mgmt] = a - rng.integers(550, 365 * 11, n_mgmt - 1)
    active, gone = rep[~rep_leaver], rep[rep_leaver]
    hire[active] = a - rng.integers(365, 365 * 7, len(active))
    growth = active[rng.random(len(active)) < 0.06]
    hire[growth] = rng.integers(w0, a - 30, len(growth))
    term[gone] = rng.integers(w0 + 5, a - 20, len(gone))
    short = rng.random(len(gone)) < 0.3                        # joined and left within the window
    hire[gone] = np.where(short, term[gone] - rng.integers(60, 250, len(gone)),
                          term[gone] - rng.integers(365, 365 * 5, len(gone)))
    ttype = np.full(n, "", dtype=object)
    weak_team = rep_team == flms[0]
    ttype[gone] = np.where(rng.random(len(gone)) < 0.65, "voluntary", "involuntary")
    weak_gone = rep[weak_team & rep_leaver]
    ttype[weak_gone] = "voluntary"
    ttype[weak_gone[:WEAK_INVOLUNTARY]] = "involuntary"
    ttype[rep[(rep_team == flms[1]) & rep_leaver]] = "voluntary"
    # Each leaver is replaced: the j-th leaver of a team by the j-th active rep of that team.
    rank = pd.Series(rep_team).groupby([rep_team, rep_leaver]).cumcount().to_numpy()
    left = pd.DataFrame({"team": rep_team[rep_leaver], "j": rank[rep_leaver], "t": term[gone]})
    came = pd.DataFrame({"team": rep_team[~rep_leaver], "j": rank[~rep_leaver], "who": active})
    pairs = came.merge(left, on=["team", "j"])
    new_hire = pairs.t.to_numpy() + rng.integers(14, 60, len(pairs))
    ok = new_hire < a - 5
    hire[pairs.who.to_numpy()[ok]] = new_hire[ok]
    org["hire"], org["term"], org["term_type"] = hire, term, ttype

    # Latent performance (reps): low / core / top = below 20th, middle 60%, above 80th percentile.
    z = np.zeros(n)
    z[rep] = rng.standard_normal(n_rep)
    team_slot = org.slot.to_numpy()[np.concatenate([np.zeros(n_mgmt, np.int64), rep_team])]
    z[rep[team_slot[rep] == "weak_manager"]] -= 0.3
    z[rep[team_slot[rep] == "low_buy_in"]] += 0.5       # good numbers
    sc = rep[(team_slot[rep] == "strong_coach")]
    z[sc] = 0.45 * z[sc]
    for slot in ("weak_coach_1", "weak_coach_2"):
        members = rep[(team_slot[rep] == slot) & ~rep_leaver]
        z[members[:2]] = (-1.7, -1.3)
    org["z"] = z
    org["tier"] = np.where(org.role != "rep", "", np.where(z < -0.8416, "low",
                           np.where(z > 0.8416, "top", "core")))
    org["attainment"] = np.where(org.role == "rep", np.clip(1.0 + 0.26 * z, 0.4, 1.6), np.nan)
    quota = rng.choice(np.arange(10, 17) * 100_000.0, n)
    org["quota"] = np.where(org.role == "rep", quota, np.nan)
    org.loc[rep[(title[rep] == "Senior Account Executive")], "quota"] = 1_500_000.0

    # Names: planted and the accented rep fixed; everyone else random, made unique.
    first = np.array(FIRST, dtype=object)[rng.integers(0, len(FIRST), n)]
    last = np.array(LAST, dtype=object)[rng.integers(0, len(LAST), n)]
    fixed = [flms[j] for j in range(len(PLANTED))]
    for i, (_pid, full) in zip(fixed, PLANTED.values(), strict=True):
        first[i], last[i] = full.split(" ", 1)
    jose = rep[(team_slot[rep] == "strong_coach") & ~rep_leaver][0]
    first[jose], last[jose] = ACCENTED_REP.split(" ", 1)
    fixed.append(jose)
    order = np.concatenate([fixed, np.setdiff1d(np.arange(n), fixed)])
    org["name"] = _unique_names(rng, first, last, order)
    inj = rep[~rep_leaver & ~np.isin(team_slot[rep], ["weak_manager", "strong_coach"])]
    title[inj[len(inj) // 2]] = INJECTION_TITLE
    org["title"] = title

    # Ids: in hire order (VP first), then the planted managers swapped onto their fixed ids.
    hire_rank = np.lexsort((np.arange(n), hire))       # the VP was hired first
    num = np.empty(n, dtype=np.int64)
    num[hire_rank] = 1001 + np.arange(n)
    for i, (pid, _name) in zip(fixed, PLANTED.values(), strict=False):
        target = int(pid[1:])
        holder = np.flatnonzero(num == target)[0]
        num[holder], num[i] = num[i], target
    org["num"] = num
    org["person_id"] = "E" + pd.Series(num).astype(str)
    org["manager_id"] = np.where(org.parent >= 0, org.person_id.to_numpy()[org.parent.clip(0)], "")
    org["team"] = np.concatenate([np.full(n_mgmt, -1), rep_team])
    return org


def employed_days(org: pd.DataFrame, w0: int, a: int) -> tuple[np.ndarray, np.ndarray]:
    """(first day, number of days) each person was employed inside the window."""
    start = np.maximum(org.hire.to_numpy(), w0)
    end = np.where(org.term.to_numpy() >= 0, np.minimum(org.term.to_numpy(), a), a)
    return start, np.clip(end - start + 1, 0, None)
