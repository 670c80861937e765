"""Labels and headers as clients write them -> our vocabulary: normalising (case, accents,
punctuation, CamelCase) and mapping free-text labels through a synonym table, by whole words,
with negations ("Not completed") never read as the word they negate."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import pandas as pd

from workbook.intake.cleaning import is_blank
from workbook.intake.distinct import on_uniques


def map_labels(s: pd.Series, synonyms: dict[str, str], default: str | None = None
               ) -> tuple[pd.Series, pd.Series]:
    """Free-text labels -> canonical values via a synonym table (keys normalised).

    Matching is on the normalised label (lowercase, accents folded, punctuation
    to spaces): exact first, then by the longest synonym found as whole words.
    A synonym that is only a qualifier of longer synonyms with other meanings
    ('closed' in 'closed won' / 'closed lost', 'completed' in 'not completed')
    is used only when nothing more specific matches, and a synonym right after
    a negation ('not', 'no', 'non', 'never', 'un') does not count. Unknown
    labels get `default` when given (and are still marked bad so intake can
    warn), else NA.
    """
    keyed = {normalise_label(k): v for k, v in synonyms.items()}
    ordered = _ranked_synonyms(keyed)

    def read(part: pd.Series) -> tuple[pd.Series, pd.Series]:   # the column's distinct labels
        blank = is_blank(part)
        text = part.astype(str)
        lookup: dict[str, object] = {}
        for raw in pd.unique(text[~blank].to_numpy()):
            key = normalise_label(raw)
            hit = keyed.get(key)
            if hit is None:
                hit = _word_match(key, keyed, ordered)
            lookup[raw] = hit
        hits = text.map(lookup)
        unknown = ~blank & hits.isna()
        if default is not None:
            hits = hits.mask(unknown, default)
        return hits.where(~blank).astype("string"), unknown.astype(bool)

    out, bad = on_uniques(read, s)
    return out.astype("string"), bad.astype(bool)


_NEGATION = r"(?:not|no|non|never|un)"


def _ranked_synonyms(synonyms: dict[str, str]) -> list[tuple[str, bool]]:
    """(synonym, weak), specific ones first (longest first), then the weak qualifiers."""
    weak = {syn for syn in synonyms
            if any(other != syn and synonyms[other] != synonyms[syn]
                   and re.search(rf"\b{re.escape(syn)}\b", other) for other in synonyms)}
    ordered = sorted(synonyms, key=lambda k: (k in weak, -len(k), k))
    return [(syn, syn in weak) for syn in ordered]


def _word_match(key: str, synonyms: dict[str, str], ordered: list[tuple[str, bool]]) -> str | None:
    negated = False
    for syn, weak in ordered:
        if weak and negated:
            return None   # 'closed - not won' is not 'closed'
        if re.search(rf"\b{re.escape(syn)}\b", key) is None:
            continue
        if re.search(rf"\b{_NEGATION} {re.escape(syn)}\b", key) and not re.match(_NEGATION + " ", syn):
            negated = True
            continue
        return synonyms[syn]
    return None


# letters that do not decompose into a base letter and an accent
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
                       "ı": "i", "ħ": "h"})


def _fold(value: object) -> str:
    """Case-folded, accents removed: 'Terminé' -> 'termine', 'Straße' -> 'strasse'."""
    text = unicodedata.normalize("NFKD", str(value).casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_FOLD)


def normalise_label(value: object) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", _fold(value)).split())


def normalise_header(value: object) -> str:
    return "_".join(re.sub(r"[^0-9a-z]+", " ", _fold(value)).split())


def find_header(names: Iterable[str], wanted: str) -> str | None:
    """The column of `names` that `wanted` (a name from engagement.yaml) refers to: the exact name,
    else the first whose normalised header matches ("Close  date" finds "Close Date")."""
    names = list(names)
    if wanted in names:
        return wanted
    key = normalise_header(wanted)
    return next((name for name in names if normalise_header(name) == key), None)
