"""The follow-up demo: the same client six months later, a known programme effect planted.

Everything is read back through the toolkit's intake (the canonical tables), as an impact analysis
would read it; who was trained when comes from the LMS export, nowhere else. Only the reps' latent
tiers (low / core / top) are not in the exports: they come from the generator's organisation.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import yaml

from workbook import demo
from workbook.intake.load import load_engagement_data

AS_OF = dt.date(2026, 9, 30)                    # generate_demo's default
FIRST_DAY = pd.Timestamp("2025-10-01")          # the regular demo's window start: the data's first day
FOLLOW_UP_AS_OF = pd.Timestamp("2027-03-31")
RAMP = pd.Timedelta(days=demo.PLANTED_RAMP_DAYS)
WAVES = [FIRST_DAY + pd.DateOffset(months=m) for m in (4, 8, 12)]


@pytest.fixture(scope="module")
def follow_up(tmp_path_factory):
    return demo.generate_demo(tmp_path_factory.mktemp("follow_up") / "demo-follow-up", follow_up=True)


@pytest.fixture(scope="module")
def data(follow_up):
    return load_engagement_data(follow_up)


@pytest.fixture(scope="module")
def regular(demo_engagement):
    return load_engagement_data(demo_engagement)


def _completions(data) -> pd.Series:
    """Each front-line manager's completion date of the coaching programme (NaT: not completed)."""
    people, training = data.tables["people"], data.tables["training"]
    managers = people.loc[people["role"] == "manager", "person_id"]
    done = training[training["program"] == demo.COACHING_PROGRAM].set_index("person_id")["completed_date"]
    return done.reindex(managers.to_numpy())


def _reps(data) -> pd.DataFrame:
    people = data.tables["people"]
    reps = people[people["role"] == "rep"].copy()
    reps["start"] = reps["hire_date"].clip(lower=FIRST_DAY)
    reps["end"] = reps["termination_date"].fillna(FOLLOW_UP_AS_OF) + pd.Timedelta(days=1)   # exclusive
    return reps


def _rep_months(reps: pd.DataFrame, lo: pd.Timestamp, hi: pd.Timestamp) -> float:
    days = (np.minimum(reps["end"], hi) - np.maximum(reps["start"], lo)).dt.days.clip(lower=0)
    return float(days.sum()) / 30.4375


def test_as_of_is_six_months_later_and_the_data_runs_eighteen_months(follow_up, data):
    config = yaml.safe_load((follow_up / "engagement.yaml").read_text(encoding="utf-8"))
    assert config["as_of"] == FOLLOW_UP_AS_OF.date() and config["engagement"] == "demo"
    assert demo.FOLLOW_UP_MONTHS == 6 and pd.Timestamp(data.as_of) == FOLLOW_UP_AS_OF
    for table in ("sales", "coaching"):
        dates = data.tables[table]["date"]
        assert dates.min() == FIRST_DAY, table
        assert FOLLOW_UP_AS_OF - pd.Timedelta(days=7) <= dates.max() <= FOLLOW_UP_AS_OF, table


def test_same_people_and_nobody_active_after_leaving(data, regular):
    columns = ["person_id", "name", "manager_id", "title", "hire_date", "termination_date",
               "termination_type", "region", "annual_quota", "role"]
    pd.testing.assert_frame_equal(data.tables["people"][columns].reset_index(drop=True),
                                  regular.tables["people"][columns].reset_index(drop=True))
    people = data.tables["people"].set_index("person_id")
    for table, who, column in (("sales", "rep_id", "date"), ("coaching", "rep_id", "date"),
                               ("coaching", "manager_id", "date"), ("training", "person_id", "completed_date")):
        rows = data.tables[table].dropna(subset=[column])
        rows = rows[rows[who].isin(people.index)]
        left = people["termination_date"].reindex(rows[who]).to_numpy()
        assert not (rows[column].to_numpy() > left).any(), (table, who)
        if table != "training" or who != "person_id":
            continue
        hired = people["hire_date"].reindex(rows[who]).to_numpy()
        assert not (rows[column].to_numpy() < hired).any()


def test_programme_completions_are_staggered_in_waves(data):
    done = _completions(data)
    n = len(done)
    before = done[done < FIRST_DAY]
    waves = [done[(done - day).abs() <= pd.Timedelta(days=7)] for day in WAVES]
    open_ = done[done.isna()]
    assert len(before) + sum(len(w) for w in waves) + len(open_) == n      # every manager in one group
    for group in (before, *waves, open_):
        assert 0.1 <= len(group) / n <= 0.3, (len(group), n)
    training = data.tables["training"]
    rows = training[(training["program"] == demo.COACHING_PROGRAM) & training["person_id"].isin(open_.index)]
    assert rows["status"].isin(["in_progress", "not_started"]).all() and rows["completed_date"].isna().all()
    assert rows["score"].isna().all()
    # the planted story, carried on
    assert {demo.PLANTED_STRONG_COACH_ID, demo.PLANTED_LOW_BUY_IN_ID} <= set(before.index)
    assert {demo.PLANTED_WEAK_MANAGER_ID, demo.PLANTED_WEAK_COACH_IDS[0]} <= set(open_.index)
    assert demo.PLANTED_WEAK_COACH_IDS[1] in waves[-1].index


def test_validate_finds_no_blocking_issue(follow_up, data, capsys):
    from workbook.cli import main

    assert not data.blocking
    assert main(["validate", str(follow_up)]) == 0
    capsys.readouterr()


def test_trained_teams_coach_half_as_much_again_after_the_ramp_and_the_others_do_not(data):
    """Sessions per rep-month before completion and from the end of the ramp on; teams with no
    completion inside the data are split at the middle wave instead."""
    coaching, reps, done = data.tables["coaching"], _reps(data), _completions(data)
    end = FOLLOW_UP_AS_OF + pd.Timedelta(days=1)
    rates = {True: [0, 0.0, 0, 0.0], False: [0, 0.0, 0, 0.0]}     # sessions and rep-months, before and after
    for manager, completed in done.items():
        trained = bool(completed >= FIRST_DAY)
        split = completed if trained else WAVES[1]
        team, sessions = reps[reps["manager_id"] == manager], coaching[coaching["manager_id"] == manager]
        r = rates[trained]
        r[0] += int((sessions["date"] < split).sum())
        r[1] += _rep_months(team, FIRST_DAY, split)
        r[2] += int((sessions["date"] >= split + RAMP).sum())
        r[3] += _rep_months(team, split + RAMP, end)
    uplift = {k: (v[2] / v[3]) / (v[0] / v[1]) - 1 for k, v in rates.items()}
    assert uplift[True] == pytest.approx(demo.PLANTED_COACHING_UPLIFT, abs=0.2), uplift
    assert abs(uplift[False]) < 0.2, uplift


def test_core_reps_of_trained_teams_sell_twelve_percent_more_after_the_ramp(data):
    """Each rep's won revenue over quota in whole quarters of the data entirely before their
    manager's completion and entirely after the ramp (teams not trained in the data: split nine
    months in); the median of each rep's after / before, by tier."""
    from workbook.demo.org_data import build_org

    org = build_org(np.random.default_rng(7), 120, AS_OF, 12)       # the latent tiers, as generated
    reps = _reps(data)
    reps["tier"] = reps["person_id"].map(pd.Series(org["tier"].to_numpy(), index=org["person_id"]))
    done = reps["manager_id"].map(_completions(data))
    reps["trained"] = done >= FIRST_DAY
    middle = FIRST_DAY + pd.DateOffset(months=9)
    split, effect = done.where(reps["trained"], middle), (done + RAMP).where(reps["trained"], middle)
    quarters = pd.date_range(FIRST_DAY, periods=7, freq=pd.DateOffset(months=3))
    won = data.tables["sales"][data.tables["sales"]["stage"] == "won"]
    which = np.searchsorted(quarters.to_numpy(), won["date"].to_numpy(), side="right") - 1
    revenue = won.groupby([won["rep_id"].to_numpy(), which])["amount"].sum().astype(float)
    ratios = []
    for rep in reps.itertuples():
        before, after = [], []
        for q, (lo, hi) in enumerate(zip(quarters[:-1], quarters[1:], strict=True)):
            if rep.start > lo or rep.end < hi:
                continue                                             # whole quarters employed only
            attainment = revenue.get((rep.person_id, q), 0.0) / (rep.annual_quota * (hi - lo).days / 365.25)
            if hi <= split[rep.Index]:
                before.append(attainment)
            elif lo >= effect[rep.Index]:
                after.append(attainment)
        if before and after:
            ratios.append((rep.tier, rep.trained, np.mean(after) / np.mean(before)))
    ratios = pd.DataFrame(ratios, columns=["tier", "trained", "ratio"])
    median = ratios.groupby(["tier", "trained"])["ratio"].median()
    assert median["core", True] == pytest.approx(1 + demo.PLANTED_ATTAINMENT_UPLIFT, abs=0.05), median
    assert median["core", False] == pytest.approx(1.0, abs=0.05), median
    for tier in ("low", "top"):                                      # no effect on the other tiers
        assert median[tier, True] == pytest.approx(1.0, abs=0.1), median


def test_the_regular_demo_is_unchanged(regular):
    """The placebo, as the generator wrote it before the follow-up existed (seed 7, 120 people)."""
    training = regular.tables["training"]
    coaching_programme = training[training["program"] == demo.COACHING_PROGRAM].set_index("person_id")
    got = {pid: (row.status, None if pd.isna(row.completed_date) else str(row.completed_date.date()))
           for pid, row in coaching_programme.iterrows()}
    assert got == {
        "E1004": ("completed", "2026-09-19"), "E1006": ("completed", "2026-05-01"),
        "E1010": ("completed", "2025-05-10"), "E1012": ("not_started", None),
        "E1019": ("completed", "2026-02-26"), "E1023": ("completed", "2025-04-11"),
        "E1026": ("completed", "2025-06-01"), "E1027": ("not_started", None),
        "E1033": ("in_progress", None), "E1037": ("completed", "2025-07-25"),
        "E1041": ("in_progress", None), "E1048": ("completed", "2025-10-11")}
    coaching, sales = regular.tables["coaching"], regular.tables["sales"]
    assert coaching.groupby("manager_id").size().to_dict() == {
        "E1004": 402, "E1006": 438, "E1010": 123, "E1019": 393, "E1023": 271, "E1026": 231,
        "E1027": 107, "E1033": 76, "E1037": 92, "E1041": 352, "E1048": 357}
    assert float(coaching["minutes"].sum()) == 115895.0
    assert len(sales) == 5345
    assert round(float(sales.loc[sales["stage"] == "won", "amount"].sum()), 2) == 92464263.17
    assert (sales["date"].min(), sales["date"].max()) == (FIRST_DAY, pd.Timestamp(AS_OF))


def test_workbook_demo_follow_up_generates_beside_the_demo_and_runs_it(tmp_path, monkeypatch, capsys):
    from workbook.cli import handlers, main

    ran = {}
    monkeypatch.setattr(handlers, "run_engagement", lambda folder, out, **kw: ran.setdefault("folder", folder))
    monkeypatch.setattr(handlers, "report_run", lambda result: 0)
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--follow-up"]) == 0
    folder = tmp_path / "client_data" / "demo-follow-up"
    assert ran["folder"].resolve() == folder.resolve()
    config = yaml.safe_load((folder / "engagement.yaml").read_text(encoding="utf-8"))
    assert config["as_of"] == FOLLOW_UP_AS_OF.date() and config["engagement"] == "demo"
    assert "demo-follow-up" in capsys.readouterr().out
