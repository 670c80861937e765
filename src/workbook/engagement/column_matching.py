"""How well a client's column fits each canonical column, and which table a file's columns make.

A client column is scored against every canonical column of a table by its header (exact, usual or
word-group matches in `header_vocabulary`, typos forgiven) times how well its values fit the
column's kind (dates that parse, amounts that parse, ids that look like ids, names that look like
names, labels the intake vocabulary knows, numbers in range). An id column whose values are names
(or the reverse) is offered to its partner column ('Owner' holding user ids is rep_id). Each table
then takes its best pairs, never two client columns for one canonical column; a table is possible
when its required columns are found, and the best-fitting possible table is the file's.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from workbook.engagement.header_vocabulary import (
    FOREIGN_WORDS,
    KIND_WORDS,
    RANGES,
    SIGNATURE,
    VOCABULARY,
    weight_column,
)
from workbook.intake import cleaning, labels, money
from workbook.intake.schema import ADKAR, TABLE_SPECS
from workbook.intake.vocabulary import ENUMS

HIGH, MEDIUM, LOW = 0.85, 0.6, 0.4          # combined score thresholds of the confidence levels
PAIRS = {"person_id": "name", "name": "person_id", "manager_id": "manager_name",
         "manager_name": "manager_id", "rep_id": "rep_name", "rep_name": "rep_id"}


@dataclass
class ClientColumn:
    """A client column: its position in the header, its header and normalised words, a sample of
    its non-blank values and the share of sampled rows that have one."""

    position: int
    header: str
    words: str
    values: list
    fill: float = 0.0


@dataclass
class TableMatch:
    """One table's best mapping of a file's columns: position -> (canonical column, score)."""

    table: str
    columns: dict[int, tuple[str, float]]

    @property
    def missing(self) -> list[str]:
        """What the table needs that the mapping lacks (empty: the file can be this table)."""
        spec = TABLE_SPECS[self.table]
        mapped = {col for col, _ in self.columns.values()}
        wide = self.table == "survey" and bool(mapped & set(ADKAR))
        missing = [c.name for c in spec.columns if c.required and c.name not in mapped
                   and not (wide and c.name in ("dimension", "score"))]
        missing += [" or ".join(names) for names in spec.one_of_groups().values()
                    if not mapped & set(names)]
        signature = SIGNATURE.get(self.table)
        if signature and not any(m.startswith(signature) for m in mapped):
            missing.append("any of " + ", ".join(s.rstrip("_") + ("*" if s.endswith("_") else "")
                                                 for s in signature))
        return missing

    @property
    def score(self) -> float:
        """Sum of the column scores; the columns any table has (who) count half."""
        return sum(s * (0.5 if is_key(self.table, c) else 1.0) for c, s in self.columns.values())


def match_tables(columns: list[ClientColumn]) -> dict[str, TableMatch]:
    fits = _Fits()
    return {t: TableMatch(t, _assign(t, columns, fits)) for t in TABLE_SPECS}


def level(score: float) -> str | None:
    if score >= HIGH:
        return "high"
    return "medium" if score >= MEDIUM else "low" if score >= LOW else None


def is_key(table: str, column: str) -> bool:
    return any(column in names for names in TABLE_SPECS[table].one_of_groups().values())


def table_confidence(best: TableMatch, ranked: list[TableMatch]) -> str:
    """The weakest of the columns the table needs; at most medium when another table fits
    nearly as well."""
    spec = TABLE_SPECS[best.table]
    by_column = {col: score for col, score in best.columns.values()}
    needed = [by_column[c.name] for c in spec.columns if c.required and c.name in by_column]
    needed += [max(by_column[n] for n in names if n in by_column)
               for names in spec.one_of_groups().values()]
    found = level(min(needed)) if needed else "medium"
    if len(ranked) > 1 and ranked[1].score >= 0.8 * best.score:
        found = "low" if found == "low" else "medium"
    return found or "low"


def also_columns(best: TableMatch, other: TableMatch,
                 columns: list[ClientColumn]) -> dict[str, str]:
    """Columns `best` leaves unmapped that make the file usable as `other` too (a roster with
    salaries is also a compensation source): client header -> canonical column, or {}."""
    headers = {c.position: c.header for c in columns}
    extra = {headers[p]: col for p, (col, _) in other.columns.items()
             if p not in best.columns and not is_key(other.table, col)}
    return extra if any(_distinctive(other.table, col) for col in extra.values()) else {}


def why_not(matches: dict[str, TableMatch], columns: list[ClientColumn]) -> str:
    closest = max(matches.values(), key=lambda m: m.score)
    if len(closest.columns) < 2:
        shown = ", ".join(c.header for c in columns[:8]) + (", ..." if len(columns) > 8 else "")
        return f"none of its columns ({shown}) is a column of a canonical table"
    headers = {c.position: c.header for c in columns}
    found = ", ".join(f"{headers[p]} -> {col}" for p, (col, _) in closest.columns.items())
    return (f"closest is {closest.table} ({found}) but it has no {'; no '.join(closest.missing)}; "
            f"if it is {closest.table}, map its columns by hand")


def _distinctive(table: str, column: str) -> bool:
    """A column that says what the table is (not an id, a name or a date any table has)."""
    spec = TABLE_SPECS[table].column(column)
    required = spec is not None and spec.required and spec.kind not in ("date", "number")
    return required or column.startswith(SIGNATURE.get(table, ("\\0",)))


def _kind(table: str, column: str) -> str:
    spec = TABLE_SPECS[table].column(column)
    return spec.kind if spec is not None else "number"   # ADKAR columns of a wide survey


def _assign(table: str, columns: list[ClientColumn], fits: _Fits) -> dict[int, tuple[str, float]]:
    """Client column position -> (canonical column, combined score): best pairs first, each
    client column and each canonical column used once."""
    spec = TABLE_SPECS[table]
    targets = [c for c in spec.mappable_columns() if not c.endswith("<name>")]
    candidates = []
    for col in columns:
        canonical = labels.normalise_header(col.header)
        names: dict[str, float] = {}
        if spec.is_mappable(canonical) and not canonical.endswith("<name>"):
            names[canonical] = 2.0           # intake maps it whatever we say: keep it first
        for target in targets:
            names[target] = max(names.get(target, 0.0), _name_score(table, target, col.words))
        for target, partner in PAIRS.items():
            if target in names and partner in names:
                names[partner] = max(names[partner], 0.8 * min(names[target], 1.0))
        weight = weight_column(col.words) if spec.extra_prefixes else None
        if weight and spec.is_mappable(weight):
            names[weight] = max(names.get(weight, 0.0), 0.9)
        for target, name in names.items():
            if name <= 0:
                continue
            fit = fits.get(col, table, target)
            combined = min(name, 1.0) * (0.8 if fit is None else 0.4 + 0.6 * fit)
            candidates.append((name >= 2.0, round(combined, 6), name, col.fill, -col.position,
                               target, col.position))
    candidates.sort(reverse=True)
    used_cols, used_targets, out = set(), set(), {}
    for forced, combined, *_, target, position in candidates:
        if position in used_cols or target in used_targets or (combined < LOW and not forced):
            continue
        out[position] = (target, combined)
        used_cols.add(position)
        used_targets.add(target)
    return out


_SCALE = re.compile(r" (?:0|1) (?:5|7|10|100)$")     # 'Quality (1-5)', 'Awareness (0-10)'


@lru_cache(maxsize=4096)
def _name_score(table: str, column: str, words: str) -> float:
    unscaled = _SCALE.sub("", words)
    if unscaled != words and unscaled:
        return _name_score(table, column, unscaled)
    terms = VOCABULARY.get(table, {}).get(column)
    if terms is None or not words:
        return 0.0
    compact = words.replace(" ", "")
    if words in terms.exact or compact in {t.replace(" ", "") for t in terms.exact}:
        return 1.0
    if words in terms.weak or compact in {t.replace(" ", "") for t in terms.weak}:
        return 0.75
    if len(words) >= 6 and any(len(t) >= 6 and difflib.SequenceMatcher(None, words, t).ratio()
                               >= 0.88 for t in terms.exact):
        return 0.7                           # a typo: 'Emplyee ID'
    tokens = set(words.split())
    if tokens & FOREIGN_WORDS:
        return 0.0
    kind = _kind(table, column)
    best = 0.0
    for group in terms.words:
        if not set(group) <= tokens:
            continue
        clash = any(tokens & kind_words and not set(group) & kind_words
                    for k, kind_words in KIND_WORDS.items() if k != kind)
        if not clash:
            best = max(best, min(0.85, 0.55 + 0.3 * len(group) / len(tokens)))
    return best


class _Fits:
    """How well a column's values fit a canonical column's kind, 0..1 (None: no values); cached."""

    def __init__(self) -> None:
        self.cache: dict[tuple, float | None] = {}

    def get(self, col: ClientColumn, table: str, target: str) -> float | None:
        kind = _kind(table, target)
        key = (col.position, kind, table if kind in ("enum", "number") else "",
               target if kind in ("enum", "number") else "")
        if key not in self.cache:
            self.cache[key] = _value_fit(col.values, kind, table, target) if col.values else None
        fit = self.cache[key]
        if fit is not None and table == "people" and target == "person_id":
            distinct = len({str(v) for v in col.values}) / len(col.values)
            fit *= 1.0 if distinct >= 0.9 else 0.5     # an employee id is unique per row
        return fit


def _value_fit(values: list, kind: str, table: str, column: str) -> float:
    if kind == "id":
        return float(np.mean([_id_like(v) for v in values]))
    if kind == "name":
        return float(np.mean([_name_like(v) for v in values]))
    if kind == "text":
        return float(np.mean([_text_like(v) for v in values]))
    if kind == "date":
        return _date_fit(values)
    series = pd.Series(values, dtype=object)
    if kind == "money":
        _, bad = money.parse_money(series)
        return float(1 - bad.mean())
    if kind == "number":
        parsed, bad = money.parse_number(series)
        ok = ~bad.to_numpy()
        low, high = RANGES.get((table, column), (-np.inf, np.inf))
        numbers = pd.to_numeric(parsed, errors="coerce").to_numpy(dtype=float)
        inside = ok & (numbers >= low) & (numbers <= high)
        return float(np.mean(np.where(inside, 1.0, np.where(ok, 0.3, 0.0))))
    synonyms = ENUMS.get((table, column))
    if synonyms is None:
        return 0.6
    text = pd.Series([str(v) for v in values], dtype=object)
    read, bad = labels.map_labels(text, synonyms[0])
    known = float(1 - bad.mean())
    spread = read[~bad].nunique() / min(3, len(TABLE_SPECS[table].column(column).choices))
    return known * (0.7 + 0.3 * min(1.0, spread))


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-/#@:]*")
_SPACED_ID = re.compile(r"[A-Za-z]{1,4}[ \-]?[0-9]+")


def _id_like(v: object) -> float:
    if isinstance(v, (bool, np.bool_, pd.Timestamp, dt.date)):
        return 0.0
    if isinstance(v, (int, np.integer)) or (isinstance(v, (float, np.floating)) and v.is_integer()):
        return 1.0
    text = str(v).strip()
    if _ID.fullmatch(text):
        return 1.0 if any(ch.isdigit() for ch in text) or "@" in text else 0.5
    return 1.0 if _SPACED_ID.fullmatch(text) else 0.0


def _name_like(v: object) -> float:
    if not isinstance(v, str) or any(ch.isdigit() for ch in v) or "@" in v:
        return 0.0
    words = [w for w in re.split(r"[\s,]+", v.strip()) if w]
    if not words or not all(w[0].isalpha() for w in words):
        return 0.0
    return 1.0 if 2 <= len(words) <= 5 else 0.4


def _text_like(v: object) -> float:
    if isinstance(v, str):
        return 1.0 if any(ch.isalpha() for ch in v) else 0.3
    return 0.3 if isinstance(v, (int, float, np.integer, np.floating)) else 0.0


def _date_fit(values: list) -> float:
    scores, texts = [], []
    for v in values:
        if isinstance(v, (pd.Timestamp, dt.date)):
            scores.append(1.0)
        elif isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
            scores.append(0.3 if 20000 <= v <= 80000 else 0.0)   # maybe an unformatted serial
        elif str(v).strip().isdigit() and len(str(v).strip()) != 8:
            scores.append(0.0)
        else:
            texts.append(str(v))
    if texts:
        parsed, bad = cleaning.parse_date(pd.Series(texts, dtype=object))
        years = parsed.dt.year
        scores += list(np.where(~bad.to_numpy() & years.between(1950, 2100).to_numpy(), 1.0, 0.0))
    return float(np.mean(scores))
