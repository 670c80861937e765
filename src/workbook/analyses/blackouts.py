"""Training blackouts: the weeks in which no training session may start.

Set on the Assumptions sheet (group "Training plan"):

- the last `quarter_end_blackout_weeks` weeks (x 7 days, ending on the quarter's last day) of each
  fiscal quarter, the fiscal year starting on the 1st of `fiscal_year_start_month`. With the
  defaults (January, 2 weeks): 18-31 March, 17-30 June, 17-30 September and 18-31 December.
  0 weeks: no quarter-end blackout.
- 20 December to 5 January, unless `year_end_blackout` is 0.

Both ends of a blackout are inside it. A session start inside a blackout moves to the first
Monday after the blackout ends, again while that Monday falls in another blackout (18 December
to 5 January with the defaults: a start on 21 December 2026 moves to Monday 11 January 2027). A
buy-in session, which has to stay before the training it prepares, moves the other way: to the
last Monday before the blackout begins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd

YEAR_END = ((12, 20), (1, 5))   # 20 December to 5 January, both inside
MAX_MOVES = 50                  # more moves than any calendar needs: a guard, never reached


def on_or_after_monday(day: dt.date | pd.Timestamp) -> pd.Timestamp:
    """The day itself when it is a Monday, else the next Monday."""
    day = pd.Timestamp(day).normalize()
    return day + pd.Timedelta(days=(7 - day.weekday()) % 7)


def on_or_before_monday(day: dt.date | pd.Timestamp) -> pd.Timestamp:
    """The day itself when it is a Monday, else the Monday before it."""
    day = pd.Timestamp(day).normalize()
    return day - pd.Timedelta(days=day.weekday())


@dataclass(frozen=True)
class Blackouts:
    fiscal_year_start_month: int = 1
    quarter_end_weeks: float = 2.0
    year_end: bool = True

    @classmethod
    def from_assumptions(cls, a: Mapping[str, Any]) -> Blackouts:
        month = int(a.get("fiscal_year_start_month", 1))
        if not 1 <= month <= 12:
            raise ValueError(f"fiscal_year_start_month must be 1-12, got {month}")
        return cls(month, max(0.0, float(a.get("quarter_end_blackout_weeks", 2))),
                   bool(int(a.get("year_end_blackout", 1))))

    def periods(self, year: int) -> tuple[tuple[pd.Timestamp, pd.Timestamp], ...]:
        """The blackouts that touch calendar year `year`, as (first day, last day), in date order."""
        return _periods(self, year)

    def containing(self, day: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        """The blackout `day` falls in (the one ending last when two overlap), or None."""
        hits = [p for p in self.periods(day.year) if p[0] <= day <= p[1]]
        return max(hits, key=lambda p: p[1]) if hits else None

    def after(self, day: dt.date | pd.Timestamp) -> pd.Timestamp:
        """`day`, or when it falls in a blackout the first Monday after it (and after any blackout
        that Monday falls in)."""
        day = pd.Timestamp(day).normalize()
        for _ in range(MAX_MOVES):
            hit = self.containing(day)
            if hit is None:
                return day
            day = on_or_after_monday(hit[1] + pd.Timedelta(days=1))
        raise RuntimeError("no start date outside the blackouts")  # pragma: no cover

    def before(self, day: dt.date | pd.Timestamp) -> pd.Timestamp:
        """`day`, or when it falls in a blackout the last Monday before it begins."""
        day = pd.Timestamp(day).normalize()
        for _ in range(MAX_MOVES):
            hit = self.containing(day)
            if hit is None:
                return day
            day = on_or_before_monday(hit[0] - pd.Timedelta(days=1))
        raise RuntimeError("no date outside the blackouts")  # pragma: no cover

    def describe(self) -> str:
        """The blackouts in words, for the sheets: 'the last 2 weeks of each fiscal quarter (...)'."""
        parts = []
        if self.quarter_end_weeks > 0:
            months = ", ".join(dt.date(2000, m, 1).strftime("%B") for m in self.quarter_end_months())
            parts.append(f"the last {self.quarter_end_weeks:g} weeks of each fiscal quarter (quarters "
                         f"ending {months})")
        if self.year_end:
            parts.append("20 December to 5 January")
        return " and ".join(parts) if parts else "none"

    def quarter_end_months(self) -> list[int]:
        """The calendar months the fiscal quarters end in, in calendar order."""
        return sorted((self.fiscal_year_start_month - 1 + 3 * q + 2) % 12 + 1 for q in range(4))


@lru_cache(maxsize=256)
def _periods(blackouts: Blackouts, year: int) -> tuple[tuple[pd.Timestamp, pd.Timestamp], ...]:
    out = []
    days = round(7 * blackouts.quarter_end_weeks)
    for y in (year - 1, year, year + 1):
        if days > 0:
            for month in blackouts.quarter_end_months():
                last = pd.Timestamp(y, month, 1) + pd.offsets.MonthEnd(0)
                out.append((last - pd.Timedelta(days=days - 1), last))
        if blackouts.year_end:
            (m0, d0), (m1, d1) = YEAR_END
            out.append((pd.Timestamp(y, m0, d0), pd.Timestamp(y + 1, m1, d1)))
    first, last = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    return tuple(sorted(p for p in out if p[1] >= first and p[0] <= last))
