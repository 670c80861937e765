"""Pure analyses: DataFrames in, DataFrames out. No file or workbook I/O here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def not_assessed(table: str, capital: bool = False) -> str:
    """The one wording for a part whose data is missing (SPEC): 'not assessed — needs <table>'."""
    text = f"not assessed — needs {table}"
    return "N" + text[1:] if capital else text


def assumption_values(assumptions: Any) -> dict[str, Any]:
    """A plain name -> value dict from an `Assumptions` object or any mapping (the one conversion
    every analysis uses, so each reads the same values)."""
    if hasattr(assumptions, "as_dict"):
        return dict(assumptions.as_dict())
    if isinstance(assumptions, Mapping):
        return dict(assumptions)
    raise TypeError(f"assumptions must be a mapping or Assumptions, got {type(assumptions).__name__}")
