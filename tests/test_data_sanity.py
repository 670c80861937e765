"""Values that parse but cannot be right: each a located DataIssue, and the as-of date never taken
from an outlier."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from engagement_files import write_csv, write_engagement

from workbook.cli import main
from workbook.intake.load import load_engagement_data
from workbook.intake.sanity import (
    OUTLIER_GAP_DAYS,
    OUTLIER_MAX_ROWS,
    OUTLIER_MAX_SHARE,
    outlier_cut,
)

ROSTER = ["person_id,name,manager_id,hire_date,termination_date,termination_type",
          "M,Mo Manager,,2020-01-01,,", "R,Ron Rep,M,2021-01-01,,", "S,Sue Rep,M,2021-01-01,,"]
DEALS = "rep_id,date,amount,stage"


def _deals(n: int = 60, end: str = "2026-09-28") -> list[str]:
    """n won deals, one every five days up to `end`, alternating between the two reps."""
    last = dt.date.fromisoformat(end)
    return [f"{'RS'[i % 2]},{last - dt.timedelta(days=5 * i)},1000,won" for i in range(n)]


def _client(tmp_path, deals: list[str], survey: list[str] | None = None, **extra):
    folder = tmp_path / "client"
    write_csv(folder / "roster.csv", ROSTER)
    write_csv(folder / "deals.csv", [DEALS, *deals])
    sources = {"people": "roster.csv", "sales": "deals.csv"}
    if survey is not None:
        write_csv(folder / "survey.csv", ["person_id,dimension,score", *survey])
        sources["survey"] = "survey.csv"
    return write_engagement(folder, sources, **extra)


def test_a_mistyped_future_date_never_becomes_the_as_of_date(tmp_path, capsys):
    deals = _deals()
    deals.insert(10, "R,2062-03-01,5000,won")        # a typo, file row 12
    folder = _client(tmp_path, deals)
    data = load_engagement_data(folder)
    assert data.as_of == dt.date(2026, 9, 28)
    assert "leaving out 1 date(s) far after the rest" in data.as_of_how
    late = [i for i in data.warnings if "after the as-of date" in i.message]
    assert len(late) == 1 and late[0].row == 12 and late[0].value == "2062-03-01" and late[0].file == "deals.csv"
    assert not data.blocking
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "as of 2026-09-28 (the latest deal date in deals.csv, leaving out 1 date(s)" in out


def test_deals_after_a_set_as_of_date_are_named(tmp_path):
    folder = _client(tmp_path, _deals(end="2026-10-20"), as_of="2026-09-30")
    data = load_engagement_data(folder)
    late = [i for i in data.warnings if "after the as-of date 2026-09-30" in i.message]
    assert len(late) == 1
    assert late[0].message.startswith("4 deals dated after the as-of date 2026-09-30 (rows 2, 3, 4, 5)")
    assert data.as_of_how == "set in engagement.yaml"


def test_scores_outside_the_survey_scale_are_left_out_and_named(tmp_path):
    survey = ["M,awareness,0", "M,desire,6", "M,knowledge,99", "M,ability,-1", "M,reinforcement,4"]
    data = load_engagement_data(_client(tmp_path, _deals(), survey, as_of="2026-09-30"))
    out_of_scale = [i for i in data.warnings if "outside the 1-5 scale" in i.message]
    assert [(i.row, i.column, i.value) for i in out_of_scale] == [
        (2, "awareness", "0"), (3, "desire", "6"), (4, "knowledge", "99"), (5, "ability", "-1")]
    assert list(data.tables["survey"]["score"].astype(float)) == [4.0]


@pytest.mark.parametrize(("days", "cut"), [
    ([0, 5, 10, 15, 20], None),                       # no outlier
    ([0, 5, 10, 15, 20, 14000], 20),                  # one typo decades later
    ([0, 5, 10, 15, 20, 90, 14000], 20),              # two isolated clusters, both set aside
    ([0, 30, 60, 90, 120, 150, 170], None),           # a sparse but continuous end is the end
])
def test_outlier_cut(days, cut):
    start = pd.Timestamp("2026-01-01")
    dates = pd.Series([start + pd.Timedelta(days=d) for d in days] * 1)
    expected = None if cut is None else start + pd.Timedelta(days=cut)
    assert outlier_cut(dates) == expected


def _walked_back(dates: pd.Series) -> pd.Timestamp | None:
    """outlier_cut's rule, walked date by date from the end (the definition the fast one must match)."""
    values = dates.sort_values().reset_index(drop=True)
    n, end, cut = len(values), len(values), None
    while end > 1:
        start = end - 1
        while start > 0 and values[start] - values[start - 1] <= pd.Timedelta(days=OUTLIER_GAP_DAYS):
            start -= 1
        if start == 0 or end - start > max(1, min(OUTLIER_MAX_ROWS, OUTLIER_MAX_SHARE * n)):
            break
        end, cut = start, values[start - 1]
    return cut


@pytest.mark.parametrize("seed", range(40))
def test_outlier_cut_matches_the_rule_walked_date_by_date(seed):
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2025-01-01")
    bulk = rng.integers(0, rng.choice([30, 365, 2000]), rng.integers(2, 3000))
    tails = [rng.integers(400, 20000) + rng.integers(0, 90, rng.integers(1, 25)) for _ in range(rng.integers(0, 4))]
    days = np.concatenate([bulk, *tails]) if tails else bulk
    dates = pd.Series(start + pd.to_timedelta(rng.permutation(days), unit="D"))
    assert outlier_cut(dates) == _walked_back(dates)


def test_a_large_late_cluster_is_the_bulk_not_an_outlier():
    """Many rows after a gap (a new system's export, a backlog entered late) are real data."""
    start = pd.Timestamp("2026-01-01")
    dates = pd.Series([start + pd.Timedelta(days=d % 30) for d in range(100)]
                      + [start + pd.Timedelta(days=200 + d % 10) for d in range(50)])
    assert outlier_cut(dates) is None


def test_results_csvs_hold_formula_like_client_text_behind_a_quote(tmp_path):
    """OWASP CSV injection: a client's '=cmd|...' name is inert in results/*.csv and comes back whole."""
    from workbook.pipeline.results import read_results, save_result

    frame = pd.DataFrame({"manager_id": ["E1", "E2", "E3", "E4"],
                          "name": ["=cmd|' /C calc'!A0", "+SUM(1,1)", "@risk", "Ann"],
                          "value": ["-1", "-x", "2", None], "amount": [1.0, -2.0, 3.0, 4.0]})
    save_result("people_check", frame, tmp_path)
    text = (tmp_path / "results" / "people_check.csv").read_text(encoding="utf-8")
    assert "E1,'=cmd|" in text and "E2,\"'+SUM(1,1)\"" in text and "E3,'@risk" in text and "E4,Ann," in text
    assert ",-1," in text and ",'-x," in text and ",-2.0" in text     # numbers stay numbers
    back = read_results(tmp_path)["people_check"]
    assert list(back["name"]) == list(frame["name"])
    assert list(back["value"].fillna("")) == ["-1", "-x", "2", ""]


def test_results_csvs_quote_formula_text_in_mixed_and_empty_columns(tmp_path):
    """Text columns that are not all text (numbers beside names, nothing at all) are saved and
    read back as they were; only the formula-like text is quoted."""
    from workbook.pipeline.results import read_results, save_result

    frame = pd.DataFrame({"manager_id": ["E1", "E2", "E3"],
                          "note": pd.Series(["=1+1", 5, "ok"], dtype=object),
                          "empty": pd.Series([None, None, None], dtype=object),
                          "count": pd.Series([1, 2, 3], dtype=object)})
    save_result("mixed_check", frame, tmp_path)
    text = (tmp_path / "results" / "mixed_check.csv").read_text(encoding="utf-8")
    assert text.splitlines() == ["manager_id,note,empty,count", "E1,'=1+1,,1", "E2,5,,2", "E3,ok,,3"]
    back = read_results(tmp_path)["mixed_check"]
    assert list(back["note"]) == ["=1+1", "5", "ok"]


def test_coaching_values_outside_their_domain_are_named_and_kept_out(tmp_path):
    folder = _client(tmp_path, _deals(), as_of="2026-09-30")
    write_csv(folder / "coaching.csv", [
        "manager_id,rep_id,date,minutes,quality",
        "M,R,2026-06-01,30,4",       # row 2: fine
        "M,R,2026-06-02,45,9",       # row 3: quality off the 1-5 scale -> blank, session counts
        "M,S,2026-06-03,0,3",        # row 4: zero minutes -> not a session
        "M,S,2026-06-04,-30,3",      # row 5: negative minutes -> not a session
        "M,S,2026-06-05,2700,3",     # row 6: 45 hours -> kept, warned (seconds?)
    ])
    write_engagement(folder, {"people": "roster.csv", "sales": "deals.csv", "coaching": "coaching.csv"},
                     as_of="2026-09-30")
    data = load_engagement_data(folder)
    named = {(i.row, i.column, i.value) for i in data.warnings if i.table == "coaching"}
    assert named == {(3, "quality", "9"), (4, "minutes", "0"), (5, "minutes", "-30"), (6, "minutes", "2700")}
    coaching = data.tables["coaching"]
    assert sorted(coaching.index) == [2, 3, 6]
    assert pd.isna(coaching.loc[3, "quality"]) and float(coaching.loc[2, "quality"]) == 4
