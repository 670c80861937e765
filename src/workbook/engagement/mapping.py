"""`workbook map FILE...`: which canonical table each client file holds, and its column mapping.

For every CSV, and every sheet of a workbook, the header row is guessed (`guess_header_row`), each
client column is scored against every canonical column of every table by its header (the
vocabulary of the systems' exports in `header_vocabulary`) and by its values (dates that parse,
amounts that parse, ids that look like ids, labels the intake vocabulary knows), and each table
takes its best columns, never two client columns for one canonical column. The table whose
required columns are found and whose columns fit best is the file's table. `sources_block` writes
the proposal as the `sources:` block of engagement.yaml; `validate_proposal` loads it exactly as
`workbook validate` would, without touching the engagement folder.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from workbook.engagement.column_matching import (
    ClientColumn,
    also_columns,
    level,
    match_tables,
    table_confidence,
    why_not,
)
from workbook.engagement.config import CONFIG_NAME, TABLES
from workbook.engagement.header_vocabulary import NOTES, VOCABULARY, header_words
from workbook.engagement.yaml_files import read_yaml
from workbook.errors import EngagementError, ReadError
from workbook.intake import cleaning, distinct, labels
from workbook.intake.footers import FOOTER_PATTERN
from workbook.intake.readers import OLE_MAGIC, ZIP_MAGIC, read_grid
from workbook.intake.schema import TABLE_SPECS

HEADER_SCAN_ROWS = 20
SAMPLE_ROWS = 200
SHOWN_VALUES = 3
SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls")


@dataclass
class ColumnMatch:
    """One client column: the canonical column it maps to (or None), how sure, what it holds."""

    header: str
    column: str | None = None
    confidence: str | None = None
    score: float = 0.0
    samples: tuple[str, ...] = ()
    note: str = ""


@dataclass
class SheetMap:
    """One CSV or one sheet of a workbook, recognised as `table` (None: not recognised)."""

    path: Path
    sheet: str | None
    sheet_count: int
    header_row: int | None
    rows: int
    columns: list[ColumnMatch]
    table: str | None = None
    confidence: str | None = None
    score: float = 0.0
    reason: str = ""
    also: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.path.name + (f", sheet '{self.sheet}'" if self.sheet is not None else "")

    @property
    def mapping(self) -> dict[str, str]:
        return {c.header: c.column for c in self.columns if c.column}

    @property
    def canonical(self) -> bool:
        """Every mapped column is already named canonically (intake picks them up unmapped)."""
        return all(labels.normalise_header(h) == c for h, c in self.mapping.items())


@dataclass
class FileMap:
    path: Path
    sheets: list[SheetMap] = field(default_factory=list)
    error: str = ""

    @property
    def recognised(self) -> list[SheetMap]:
        return [s for s in self.sheets if s.table]


@dataclass
class Proposal:
    files: list[FileMap]
    chosen: dict[str, SheetMap]                  # table -> the file (sheet) proposed for it
    others: dict[str, list[SheetMap]]            # table -> other files that look like it

    @property
    def ok(self) -> bool:
        return all(f.recognised and not f.error for f in self.files)

    @property
    def problems(self) -> list[str]:
        return [f"{f.path.name}: {f.error or _unrecognised_reason(f)}"
                for f in self.files if f.error or not f.recognised]


def _unrecognised_reason(f: FileMap) -> str:
    reasons = [s.reason for s in f.sheets if s.reason]
    return "not recognised: " + ("; ".join(reasons) if reasons else "no data")


# ---------------------------------------------------------------------------------------------
# files -> sheets -> grids


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given; a folder stands for the CSV and workbook files directly inside it."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SUFFIXES
                          and not f.name.startswith(("~$", ".")))
        else:
            out.append(p)
    return list(dict.fromkeys(out))


def engagement_folder(paths: list[Path]) -> Path | None:
    """The engagement folder (holding engagement.yaml) every file is inside, if there is one."""
    if not paths:
        return None
    for folder in paths[0].resolve().parents:
        if (folder / CONFIG_NAME).is_file():
            inside = all(p.resolve().is_relative_to(folder) for p in paths)
            return folder if inside else None
    return None


def map_files(paths: list[Path]) -> Proposal:
    files = [map_file(p) for p in paths]
    by_table: dict[str, list[SheetMap]] = {}
    for f in files:
        for s in f.recognised:
            by_table.setdefault(s.table, []).append(s)
    chosen, others = {}, {}
    for table in TABLES:
        found = sorted(by_table.get(table, []), key=_completeness, reverse=True)
        if found:
            chosen[table] = found[0]
            others[table] = found[1:]
    return Proposal(files, chosen, others)


def _completeness(s: SheetMap) -> tuple:
    return (len(s.mapping), s.rows, s.score)


def map_file(path: Path) -> FileMap:
    if not path.exists():
        return FileMap(path, error="no such file")
    if path.is_dir():
        return FileMap(path, error="is a folder")
    try:
        names = _sheet_names(path)
        if names is None:
            grid = read_grid(path)
            return FileMap(path, [map_cells(path, None, 1, grid.cells)])
        sheets = []
        for name in names:
            grid = read_grid(path, name)
            sheets.append(map_cells(path, name, len(names), grid.cells))
        return FileMap(path, sheets)
    except ReadError as exc:
        return FileMap(path, error=str(exc).removeprefix(f"{path.name}: "))
    except OSError as exc:
        return FileMap(path, error=exc.strerror or str(exc))
    finally:
        distinct.forget_columns()


def _sheet_names(path: Path) -> list[str] | None:
    """A workbook's sheet names; None for a text file (or a workbook read_grid will refuse)."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if not (head.startswith(ZIP_MAGIC) or (head.startswith(OLE_MAGIC)
                                           and path.suffix.lower() == ".xls")):
        return None
    if path.suffix.lower() == ".csv":
        return None
    from python_calamine import CalamineWorkbook

    try:
        return list(CalamineWorkbook.from_path(str(path)).sheet_names) or None
    except Exception:  # read_grid says why, in the toolkit's words
        return None


def guess_header_row(cells: pd.DataFrame) -> int | None:
    """The row (client numbering) holding the column names, among the first 20.

    The row naming the most known headers (two at least) wins; otherwise the first row whose
    cells are mostly filled with distinct text that is not a number or a date."""
    rows = [r for r in cells.index[:HEADER_SCAN_ROWS]]
    texts = {r: [v for v in cells.loc[r] if not _blank(v)] for r in rows}
    texts = {r: v for r, v in texts.items() if v}
    if not texts:
        return None
    hits = {r: sum(isinstance(v, str) and header_words(v) in _known_headers() for v in values)
            for r, values in texts.items()}
    best = max(hits, key=lambda r: (hits[r], -r))
    if hits[best] >= 2:
        return int(best)
    widest = max(len(v) for v in texts.values())
    for r, values in texts.items():
        words = [header_words(v) for v in values if isinstance(v, str)]
        if (len(values) >= max(2, 0.6 * widest) and len(words) == len(values)
                and len(set(words)) == len(words) and all(w and not w[0].isdigit() for w in words)):
            return int(r)
    return int(next(iter(texts)))


@lru_cache(maxsize=1)
def _known_headers() -> frozenset[str]:
    known = set()
    for table, columns in VOCABULARY.items():
        known |= {header_words(c) for c in TABLE_SPECS[table].mappable_columns()}
        for terms in columns.values():
            known |= terms.exact | terms.weak
    return frozenset(known)


def _blank(v: object) -> bool:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT:
        return True
    return isinstance(v, str) and v.strip().lower() in cleaning.BLANK_WORDS


# ---------------------------------------------------------------------------------------------
# one grid -> its table and mapping


def map_cells(path: Path, sheet: str | None, sheet_count: int, cells: pd.DataFrame) -> SheetMap:
    header_row = guess_header_row(cells)
    if header_row is None:
        return SheetMap(path, sheet, sheet_count, None, 0, [], reason="empty")
    names, seen = [], {}
    for value in cells.loc[header_row]:
        text = "" if _blank(value) else " ".join(str(value).split())
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        seen[text] = seen.get(text, 0) + 1
        names.append(text if seen[text] == 1 or not text else f"{text} ({seen[text]})")
    body = cells.loc[header_row + 1:]
    filled = pd.Series(False, index=body.index)
    for c in body.columns:
        filled |= ~cleaning.is_blank(body[c]).to_numpy()
    rows = int(filled.sum()) - _footer_rows(body[filled].tail(20))
    sample = body[filled].head(SAMPLE_ROWS)
    columns = [ClientColumn(i, name, header_words(name),
                            [v for v in sample.iloc[:, i].tolist() if not _blank(v)])
               for i, name in enumerate(names) if name]
    for c in columns:
        c.fill = len(c.values) / max(len(sample), 1)
    result = SheetMap(path, sheet, sheet_count, header_row, rows,
                      [ColumnMatch(c.header, samples=_shown(c.values), note=NOTES.get(c.words, ""))
                       for c in columns])
    matches = match_tables(columns)
    ranked = sorted((m for m in matches.values() if not m.missing), key=lambda m: m.score,
                    reverse=True)
    if not ranked:
        result.reason = why_not(matches, columns)
        return result
    best = ranked[0]
    by_position = {c.position: i for i, c in enumerate(columns)}
    for position, (column, score) in best.columns.items():
        match = result.columns[by_position[position]]
        match.column, match.score, match.confidence = column, round(score, 2), level(score)
    result.table, result.score = best.table, round(best.score, 2)
    result.confidence = table_confidence(best, ranked)
    for other in ranked[1:]:
        extra = also_columns(best, other, columns)
        if extra:
            result.also[other.table] = extra
    return result


def _footer_rows(tail: pd.DataFrame) -> int:
    """Total and footer rows at the end ('Grand Totals (8 records)'): not counted as data."""
    firsts = [next((v for v in row if not _blank(v)), "") for row in tail.itertuples(index=False)]
    text = pd.Series([v if isinstance(v, str) else "" for v in firsts], dtype="string")
    return int(text.str.contains(FOOTER_PATTERN, regex=True, na=False).sum()) if len(text) else 0


def _shown(values: list) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        text = _display(v)
        if text not in out:
            out.append(text)
        if len(out) == SHOWN_VALUES:
            break
    return tuple(out)


def _display(v: object) -> str:
    if isinstance(v, (pd.Timestamp, dt.datetime)):
        return v.strftime("%Y-%m-%d") if (v.hour, v.minute, v.second) == (0, 0, 0) else str(v)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    text = " ".join(str(v).split())
    return text if len(text) <= 24 else text[:23] + "…"


# ---------------------------------------------------------------------------------------------
# the sources: block, and loading it


def source_path(path: Path, folder: Path | None) -> str:
    """The path engagement.yaml gives: relative to the engagement folder when the file is inside
    it, else the file name (the file is to be copied into the folder)."""
    if folder is not None:
        try:
            return path.resolve().relative_to(folder.resolve()).as_posix()
        except ValueError:
            pass
    return path.name


def sources_block(proposal: Proposal, folder: Path | None = None,
                  people_fallback: str | None = None) -> str:
    """The proposal as engagement.yaml's `sources:` block (text, ready to paste)."""
    lines = ["sources:"]
    for table in TABLES:
        s = proposal.chosen.get(table)
        if s is None:
            if table == "people" and people_fallback:
                lines.append(f"  people: {_scalar(people_fallback)}   # no roster among the files: "
                             "put the roster here")
            continue
        path = _scalar(source_path(s.path, folder))
        sheet = s.sheet is not None and s.sheet_count > 1
        if s.canonical and not sheet and s.header_row == 1:
            lines.append(f"  {table}: {path}")
            continue
        lines += [f"  {table}:", f"    path: {path}"]
        if sheet:
            lines.append(f"    sheet: {_scalar(s.sheet)}")
        if s.header_row != 1:
            lines.append(f"    header_row: {s.header_row}")
        if not s.canonical:
            lines.append("    columns:")
            for c in s.columns:
                if c.column:
                    check = "   # low confidence: check" if c.confidence == "low" else ""
                    lines.append(f"      {_scalar(c.header, key=True)}: {c.column}{check}")
    return "\n".join(lines) + "\n"


def _scalar(text: str, key: bool = False) -> str:
    """Plain YAML when it reads back as the same text, else double-quoted."""
    try:
        plain = yaml.safe_load(f"{text}: x" if key else f"x: {text}")
        if plain == ({text: "x"} if key else {"x": text}) and "#" not in text:
            return text
    except yaml.YAMLError:
        pass
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def validate_proposal(proposal: Proposal, folder: Path | None = None):
    """Load the proposed sources as `workbook validate` does (returns EngagementData), with the
    folder's engagement.yaml for everything else (its other sources kept), in a temporary copy:
    the engagement folder and the client's files are never written."""
    from workbook.intake.load import load_engagement_data

    raw: dict = {}
    if folder is not None and (folder / CONFIG_NAME).is_file():
        try:
            loaded = read_yaml((folder / CONFIG_NAME).read_text(encoding="utf-8-sig"))
        except (yaml.YAMLError, UnicodeDecodeError):
            raise EngagementError(f"{folder / CONFIG_NAME}: not valid YAML; `workbook validate "
                                  f"{folder}` says where") from None
        raw = loaded if isinstance(loaded, dict) else {}
    raw.pop("scenario", None)
    raw.setdefault("client", "Mapping check")
    proposed = yaml.safe_load(sources_block(proposal, folder))["sources"] or {}
    sources = {**(raw.get("sources") or {}), **proposed}
    raw["sources"] = sources
    files = {source_path(s.path, folder): s.path for s in proposal.chosen.values()}
    with tempfile.TemporaryDirectory(prefix="workbook-map-") as tmp:
        root = Path(tmp) / "engagement"
        for spec in sources.values():
            relative = spec if isinstance(spec, str) else (spec or {}).get("path")
            if not relative:
                continue
            original = files.get(str(relative)) or (folder / str(relative) if folder else None)
            target = (root / str(relative)).resolve()
            if (original is None or not original.is_file() or not target.is_relative_to(root)
                    or target.exists()):   # one workbook may hold several tables
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(original, target)
        root.mkdir(exist_ok=True)
        (root / CONFIG_NAME).write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
        return load_engagement_data(root)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
