"""The analysis window and each person's exposure in it.

People who joined or left during the window count only while they were on
the team: exposure is measured in months on the team within the window.
The roster gives each person's current (or last) manager; moves between
teams during the window are not in a roster export, so a person's exposure
is credited to that manager.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class Window:
    start: pd.Timestamp   # first day in the window
    end: pd.Timestamp     # last day in the window (the as-of date)

    @classmethod
    def trailing(cls, as_of: dt.date, months: int = 12) -> Window:
        end = pd.Timestamp(as_of).normalize()
        start = end - pd.DateOffset(months=int(months)) + pd.Timedelta(days=1)
        return cls(start, end)

    @property
    def months(self) -> float:
        return ((self.end - self.start).days + 1) / DAYS_PER_MONTH

    def contains(self, dates: pd.Series) -> pd.Series:
        return dates.ge(self.start) & dates.le(self.end)


def exposure_months(people: pd.DataFrame, window: Window) -> pd.Series:
    """Months each person was employed within the window (0 for none), indexed like `people`."""
    hire = pd.to_datetime(people["hire_date"]) if "hire_date" in people else None
    term = pd.to_datetime(people["termination_date"]) if "termination_date" in people else None
    start = pd.Series(window.start, index=people.index)
    end = pd.Series(window.end, index=people.index)
    if hire is not None:
        start = start.where(hire.isna() | (hire <= window.start), hire)
    if term is not None:
        end = end.where(term.isna() | (term >= window.end), term)
    days = (end - start).dt.days + 1
    return (np.clip(days, 0, None) / DAYS_PER_MONTH).astype(float)


def active_on(people: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    """Employed on `day` (hired on or before, not yet left)."""
    hired = pd.to_datetime(people["hire_date"]).le(day) | people["hire_date"].isna() \
        if "hire_date" in people else pd.Series(True, index=people.index)
    left = pd.to_datetime(people["termination_date"]).lt(day).fillna(False) \
        if "termination_date" in people else pd.Series(False, index=people.index)
    return hired.fillna(True) & ~left
