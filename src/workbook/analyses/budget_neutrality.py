"""Budget neutrality, enforced rather than asserted.

The recommended plan keeps each manager's target incentive and moves a share
of it (team_development_weight) to one team-development component. At target
that is neutral by construction; at today's measured performance it is not,
because teams earn a different share of target on team development than on
their financial measures. So the team-development component is calibrated:

    proposed payout_i = other_i + TD_i x k
    other_i = target variable_i x sum over the other components of weight' x payout %
    TD_i    = target variable_i x team_development_weight x curve(team-development attainment_i)

and k (the calibration, "the component pays k x its curve") solves
sum(proposed) = sum(current) over the managers with both payouts:

    k = (sum(current) - sum(other)) / sum(TD)

bounded to [0, payout_at_cap] — the component never pays more than the curve
pays at its cap. When the bound binds, or no manager earns anything on team
development (sum(TD) = 0), the plan cannot be neutral and the sentence says
by how much and why. Neutral means within NEUTRAL_TOLERANCE of the current
total. The sentence is written twice from one set of words: in Python
(`sentence`) and as a live Excel formula over the Compensation sheet's named
cells (`sentence_formula`), so the Executive Summary stays true when the
client changes an assumption and Excel recalculates.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from workbook.analyses.excel_text import excel_concat, excel_string
from workbook.engagement.currency import excel_money_format, money_text

NEUTRAL_TOLERANCE = 0.005   # |proposed - current| / current within 0.5%

# defined names of the Compensation sheet's budget cells (the Executive Summary refers to them)
NAME_CURRENT = "payout_total_current"
NAME_PROPOSED = "payout_total_proposed"
NAME_AT_CURVE = "team_development_at_curve"
NAME_NEEDED = "team_development_needed"
NAME_CALIBRATION = "team_development_calibration"

NEUTRAL = ("Budget neutral at today's measured performance: the proposed plan pays {proposed} in total "
           "against {current} under the current plan, with the team-development component calibrated to "
           "pay {k} of its payout curve.")
NOT_NEUTRAL = ("Not budget neutral at today's measured performance: the proposed plan pays {gap} {direction} "
               "in total than the current plan's {current} ({pct}), because {reason}.")
REASON_NO_CREDIT = ("no manager's team-development attainment reaches the payout threshold, so there is "
                    "nothing to calibrate")
REASON_AT_CAP = ("even paying the team-development component at the curve's cap ({cap} of its curve) "
                 "falls short")
NO_PAYOUT_TODAY = "no payout today"
REASON_AT_ZERO = "the other components alone already pay more than the current plan"


@dataclass(frozen=True)
class Budget:
    current: float      # total payout at today's performance, current plan
    other: float        # the proposed plan's components other than team development
    at_curve: float     # the team-development component at its curve (k = 1)
    needed: float       # the k that balances the totals (nan when at_curve is 0)
    calibration: float  # k used: needed, bounded to [0, cap]
    cap: float

    @property
    def proposed(self) -> float:
        return self.other + self.at_curve * self.calibration

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
        if self.neutral:
            return ""
        if not self.at_curve > 0:
            return REASON_NO_CREDIT
        if self.needed > self.cap:
            return REASON_AT_CAP.format(cap=f"{self.cap:.0%}")
        return REASON_AT_ZERO

    def as_frame(self) -> pd.DataFrame:
        """results/compensation_budget.csv: one row."""
        return pd.DataFrame([{
            "payout_current_plan": self.current, "payout_proposed_other": self.other,
            "team_development_at_curve": self.at_curve, "calibration_needed": self.needed,
            "team_development_calibration": self.calibration, "payout_at_cap": self.cap,
            "payout_proposed_plan": self.proposed, "payout_change": self.change,
            "payout_change_pct": self.change_pct, "budget_neutral": self.neutral,
            "why_not_neutral": self.reason()}])

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Budget:
        row = frame.iloc[0]
        return cls(*(float(row[key]) for key in ("payout_current_plan", "payout_proposed_other",
                                                 "team_development_at_curve", "calibration_needed",
                                                 "team_development_calibration", "payout_at_cap")))


def calibrate(current: float, other: float, at_curve: float, a: Mapping[str, Any]) -> Budget:
    """The calibration k that makes the totals equal, bounded to [0, payout_at_cap].

    Excel: needed =IF(at_curve>0,(current-other)/at_curve,"")
           k      =IF(at_curve>0,MAX(0,MIN(payout_at_cap,needed)),0)
    """
    cap = float(a["payout_at_cap"])
    if at_curve > 0:
        needed = (current - other) / at_curve
        k = max(0.0, min(cap, needed))
    else:
        needed, k = math.nan, 0.0
    return Budget(current, other, at_curve, needed, k, cap)


def sentence(budget: Budget, currency: str | None) -> str:
    """The Executive Summary's sentence, from the totals."""
    if budget.neutral:
        return NEUTRAL.format(proposed=money_text(budget.proposed, currency),
                              current=money_text(budget.current, currency), k=f"{budget.calibration:.0%}")
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
        "k": f'TEXT({NAME_CALIBRATION},"0%")'})
    reason = (f"IF(NOT({NAME_AT_CURVE}>0),{excel_string(REASON_NO_CREDIT)},"
              f"IF({NAME_NEEDED}>payout_at_cap,"
              + excel_concat(REASON_AT_CAP, {"cap": 'TEXT(payout_at_cap,"0%")'})
              + f",{excel_string(REASON_AT_ZERO)}))")
    not_neutral = excel_concat(NOT_NEUTRAL, {
        "gap": f"TEXT(ABS{change},{money})", "direction": direction,
        "current": f"TEXT({NAME_CURRENT},{money})",
        "pct": (f'IF({NAME_CURRENT}>0,TEXT(ABS({change}/{NAME_CURRENT}),"0.0%")&" "&{direction},'
                f'{excel_string(NO_PAYOUT_TODAY)})'),
        "reason": reason})
    return (f"=IF(ABS{change}<={NEUTRAL_TOLERANCE}*ABS({NAME_CURRENT})+0.005,"
            f"{neutral},{not_neutral})")
