"""Truth tests for the attrition shrinkage: simulated organisations where the true rates are known.

What a method can find is bounded by the data: a team of 10 reps over one year at a 27% base rate
expects 2.7 exits, and doubling that (5.4) cannot be told from chance with 80% power by any test
that keeps false alarms under 10% (Poisson: P(Y >= 3 | 2.7) = 0.51). So the tests pin what the
method must do: almost never flag an ordinary team, flag a doubled rate once the team's record
holds the information (about 20 expected exits), give intervals with their nominal coverage, and
never let the organisation outweigh a typical team's own record (at least half the weight).
"""

from __future__ import annotations

import numpy as np
import pytest

from workbook.analyses.shrinkage import PRIOR_TEAMS_MAX, poisson_gamma_prior, shrink_rates

SIMULATIONS = 300


def simulate(base: float, person_years: float, level: float, teams: int = 20, seed: int = 7):
    """(power on the one team at twice the base rate, false-alarm rate on the others, coverage)."""
    rng = np.random.default_rng(seed)
    exposure = np.full(teams, person_years)
    truth = np.full(teams, base)
    truth[0] = 2 * base
    hits = false_alarms = covered = 0
    for _ in range(SIMULATIONS):
        exits = rng.poisson(truth * exposure)
        post = shrink_rates(exits, exposure, level, poisson_gamma_prior(exits, exposure))
        flagged = post["low"] > exits.sum() / exposure.sum()
        hits += flagged[0]
        false_alarms += flagged[1:].sum()
        covered += ((post["low"] <= truth) & (truth <= post["high"])).sum()
    return hits / SIMULATIONS, false_alarms / (SIMULATIONS * (teams - 1)), covered / (SIMULATIONS * teams)


def test_ordinary_teams_are_almost_never_flagged():
    _, false_alarms, _ = simulate(base=0.27, person_years=10, level=0.95)
    assert false_alarms < 0.02


@pytest.mark.parametrize(("base", "person_years", "level"), [
    (0.27, 80, 0.80),     # e.g. 40 reps over two years: ~22 expected exits
    (0.50, 40, 0.80),     # 20 reps over two years at a 50% base rate
])
def test_a_doubled_rate_is_found_once_the_record_can_show_it(base, person_years, level):
    power, false_alarms, _ = simulate(base, person_years, level)
    assert power >= 0.80 and false_alarms < 0.10


def test_intervals_cover_the_true_rate_about_as_often_as_they_say():
    _, _, coverage = simulate(base=0.27, person_years=20, level=0.95)
    assert 0.93 <= coverage <= 0.99


def test_a_typical_team_keeps_half_the_weight_when_teams_look_alike():
    exits = np.array([2.0, 3.0, 2.0, 3.0, 2.0, 3.0])
    exposure = np.full(6, 10.0)   # spread smaller than chance: the method of moments gives tau2 <= 0
    prior = poisson_gamma_prior(exits, exposure)
    assert prior.between_var <= 0
    assert prior.strength == pytest.approx(PRIOR_TEAMS_MAX * 10.0)
    weight = shrink_rates(exits, exposure, prior=prior)["weight"]
    assert weight == pytest.approx(np.full(6, 1 / (1 + PRIOR_TEAMS_MAX)))
    assert PRIOR_TEAMS_MAX <= 1.0   # a typical team's own record is never outweighed


def test_small_teams_are_pulled_harder_than_large_ones():
    exits = np.array([3.0, 12.0, 2.0, 2.0, 2.0])
    exposure = np.array([4.0, 40.0, 10.0, 10.0, 10.0])
    weight = shrink_rates(exits, exposure)["weight"]
    assert weight[0] < weight[2] < weight[1]
