"""Budget neutrality, enforced rather than asserted.

The recommended plan keeps each manager's target incentive and moves a share
of it (team_development_weight) to one team-development component. At target
(every attainment 100%) that pays exactly the target incentive. At today's
measured performance it need not, because teams reach a different share of
their financial targets than of the team-development measures. So the
component's standard is calibrated, as a quota is set from today's results:

    team-development payout_i = target variable_i x weight x curve(attainment_i / standard)

where `standard` is the team-development attainment that pays 100% of the
component, solved (bisection; the total falls as the standard rises) so that
sum(proposed) = sum(current) over the managers with both payouts. At target
the plan still pays the target incentive, since attainment equal to the
standard pays 100%. The standard is kept between STANDARD_MIN and 100% (no
one can score more than full marks on capped measures). Neutral means within
NEUTRAL_TOLERANCE of the current total; when it cannot hold (a bound binds,
or the payout curve's step at its threshold leaves no closer standard) the
sentence says by how much and why. The standard is solved when the engagement
runs; a client who changes the payout curve or the weight in Excel sees the
totals move, and the sentence says the standard needs a re-run to recalibrate.

The sentence is written twice from one set of words: in Python (`sentence`)
and as a live Excel formula over the Compensation sheet's named cells
(`sentence_formula`), so the Executive Summary stays true when the client
changes an assumption and Excel recalculates.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbook.analyses.excel_text import excel_concat, excel_string
from workbook.analyses.payout import payout_factors
from workbook.engagement.currency import excel_money_format, money_text

NEUTRAL_TOLERANCE = 0.005   # |proposed - current| / current within 0.5%
STANDARD_MIN = 0.05         # the lowest standard: 5% team-development attainment pays 100%
DRIFT = 0.5                 # currency units: the proposed total has moved since the standard was solved

# defined names of the Compensation sheet's budget cells (the Executive Summary refers to them)
NAME_CURRENT = "payout_total_current"
NAME_PROPOSED = "payout_total_proposed"
NAME_STANDARD = "team_development_standard"
NAME_CALIBRATED = "payout_total_calibrated"

NEUTRAL = ("Budget neutral at today's measured performance: the proposed plan pays {proposed} in total "
           "against {current} under the current plan, with the full team-development payout set at "
           "{standard} team-development attainment (calibrated to today's performance, as a quota is).")
NOT_NEUTRAL = ("Not budget neutral at today's measured performance: the proposed plan pays {gap} {direction} "
               "in total than the current plan's {current} ({pct}), because {reason}.")
NO_PAYOUT_TODAY = "no payout today"
REASON_DRIFT = ("the team-development standard was calibrated at the assumptions delivered; re-run the "
                "engagement to recalibrate it")
REASON_LOWEST = ("even the lowest standard ({lowest} team-development attainment for the full payout) "
                 "falls short")
REASON_FULL = "even asking for full marks on every team-development measure pays more than today"
REASON_STEP = "the payout curve's step at its threshold leaves no closer standard"


@dataclass(frozen=True)
class Budget:
    current: float      # total payout at today's performance, current plan
    other: float        # the proposed plan's components other than team development
    development: float  # the team-development component at the standard
    standard: float     # the team-development attainment that pays 100% of the component
    calibrated: float   # the proposed total the standard was solved for

    @property
    def proposed(self) -> float:
        return self.other + self.development

    @property
    def change(self) -> float:
        return self.proposed - self.current

    @property
    def change_pct(self) -> float:
        return self.change / self.current if self.current else math.nan

    @property
    def neutral(self) -> bool:
        # half a cent of slack so that a plan paying nothing today, and nothing proposed, is neutral
        return abs(self.change) <= NEUTRAL_TOLERANCE * abs(self.current) + 0.005

    def reason(self) -> str:
        """Why the totals differ (empty when neutral), in the order the Excel formula tests."""
        if self.neutral:
            return ""
        if abs(self.proposed - self.calibrated) > DRIFT:
            return REASON_DRIFT
        if self.change < 0 and self.standard <= STANDARD_MIN + 1e-9:
            return REASON_LOWEST.format(lowest=f"{STANDARD_MIN:.0%}")
        if self.change > 0 and self.standard >= 1 - 1e-9:
            return REASON_FULL
        return REASON_STEP

    def as_frame(self) -> pd.DataFrame:
        """results/compensation_budget.csv: one row."""
        return pd.DataFrame([{
            "payout_current_plan": self.current, "payout_proposed_other": self.other,
            "payout_proposed_team_development": self.development, "team_development_standard": self.standard,
            "payout_proposed_calibrated": self.calibrated, "payout_proposed_plan": self.proposed,
            "payout_change": self.change, "payout_change_pct": self.change_pct,
            "budget_neutral": self.neutral, "why_not_neutral": self.reason()}])

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Budget:
        row = frame.iloc[0]
        return cls(*(float(row[key]) for key in ("payout_current_plan", "payout_proposed_other",
                                                 "payout_proposed_team_development",
                                                 "team_development_standard", "payout_proposed_calibrated")))


def development_total(standard: float, tvw: np.ndarray, attainment: np.ndarray, a: Mapping[str, Any]) -> float:
    """The team-development component's total payout at `standard` (tvw: target variable x weight)."""
    return float(np.sum(np.asarray(tvw, dtype=float) * payout_factors(np.asarray(attainment, dtype=float) / standard, a)))


def solve_standard(current: float, other: float, tvw: np.ndarray, attainment: np.ndarray,
                   a: Mapping[str, Any]) -> float:
    """The standard in [STANDARD_MIN, 1] whose team-development total brings the proposed total
    closest to `current` (the total falls as the standard rises)."""
    target = current - other

    def total(s: float) -> float:
        return development_total(s, tvw, attainment, a)

    if total(1.0) >= target:
        return 1.0
    if total(STANDARD_MIN) <= target:
        return STANDARD_MIN
    lo, hi = STANDARD_MIN, 1.0          # total(lo) > target >= total(hi)
    for _ in range(60):
        mid = (lo + hi) / 2
        if total(mid) > target:
            lo = mid
        else:
            hi = mid
    return lo if abs(total(lo) - target) < abs(total(hi) - target) else hi


def sentence(budget: Budget, currency: str | None) -> str:
    """The Executive Summary's sentence, from the totals."""
    if budget.neutral:
        return NEUTRAL.format(proposed=money_text(budget.proposed, currency),
                              current=money_text(budget.current, currency),
                              standard=f"{budget.standard:.0%}")
    return NOT_NEUTRAL.format(gap=money_text(abs(budget.change), currency),
                              direction="less" if budget.change < 0 else "more",
                              current=money_text(budget.current, currency),
                              pct=(f"{abs(budget.change_pct):.1%} {'less' if budget.change < 0 else 'more'}"
                                   if budget.current > 0 else NO_PAYOUT_TODAY),
                              reason=budget.reason())


def sentence_formula(currency: str | None) -> str:
    """`sentence` as a live Excel formula over the Compensation sheet's named budget cells."""
    money = excel_string(excel_money_format(currency))
    change = f"({NAME_PROPOSED}-{NAME_CURRENT})"
    direction = f'IF({change}<0,"less","more")'
    neutral = excel_concat(NEUTRAL, {
        "proposed": f"TEXT({NAME_PROPOSED},{money})", "current": f"TEXT({NAME_CURRENT},{money})",
        "standard": f'TEXT({NAME_STANDARD},"0%")'})
    reason = (f"IF(ABS({NAME_PROPOSED}-{NAME_CALIBRATED})>{DRIFT},{excel_string(REASON_DRIFT)},"
              f"IF(AND({change}<0,{NAME_STANDARD}<={STANDARD_MIN}+0.000000001),"
              f"{excel_string(REASON_LOWEST.format(lowest=f'{STANDARD_MIN:.0%}'))},"
              f"IF(AND({change}>0,{NAME_STANDARD}>=1-0.000000001),{excel_string(REASON_FULL)},"
              f"{excel_string(REASON_STEP)})))")
    not_neutral = excel_concat(NOT_NEUTRAL, {
        "gap": f"TEXT(ABS{change},{money})", "direction": direction,
        "current": f"TEXT({NAME_CURRENT},{money})",
        "pct": (f'IF({NAME_CURRENT}>0,TEXT(ABS({change}/{NAME_CURRENT}),"0.0%")&" "&{direction},'
                f'{excel_string(NO_PAYOUT_TODAY)})'),
        "reason": reason})
    return (f"=IF(ABS{change}<={NEUTRAL_TOLERANCE}*ABS({NAME_CURRENT})+0.005,"
            f"{neutral},{not_neutral})")
