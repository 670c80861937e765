"""engagement.yaml -> a typed, validated Engagement.

Unknown keys are errors with a did-you-mean; every path stays inside the
engagement folder; the engagement name is safe to use as a folder name.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from workbook.engagement.assumptions import Assumptions, build_assumptions
from workbook.engagement.suggest import nearest
from workbook.engagement.yaml_files import load_yaml_file
from workbook.errors import AssumptionError, EngagementError

CONFIG_NAME = "engagement.yaml"
TABLES = ("people", "sales", "coaching", "training", "survey", "compensation")
OWNERS = ("hr", "l_and_d", "committee", "sales_leadership", "front_line_managers", "none")
NAME_RE = re.compile(r"^[a-z0-9_-]+$")

TOP_KEYS = ("client", "engagement", "as_of", "currency", "sources", "ownership", "assumptions",
            "scenario")
SOURCE_KEYS = ("path", "sheet", "header_row", "columns", "encoding", "decimal", "date_format", "where",
               "lookup", "footer_rows")
OWNERSHIP_KEYS = ("current_owner", "notes")


PER_YEAR = {"year": 1.0, "quarter": 4.0, "month": 12.0, "week": 52.0}


@dataclass(frozen=True)
class BuiltColumn:
    """A canonical column built from the client's columns (engagement.yaml `columns:`, keyed by ours):
    `name: [First Name, Last Name]` joins them with a space; `{column: Monthly Income, per: month}`
    converts an amount to annual; `{column: Close Date, fallback: [Created Date]}` fills blanks."""

    columns: tuple[str, ...]
    per: str | None = None
    fallback: tuple[str, ...] = ()

    @property
    def annual_factor(self) -> float:
        return PER_YEAR[self.per] if self.per else 1.0


@dataclass(frozen=True)
class Lookup:
    """A column brought in from another file by matching a key (engagement.yaml `lookup:`):
    `sum` adds up the other file's rows per key (order lines -> order amount); `take` copies the
    matching row's value (a region -> manager table). The new column is called `as` (default: the
    other file's column name) and is mapped under `columns:` like any other."""

    path: Path
    on: str              # the key column in the source
    other_on: str        # the key column in the other file
    column: str          # the other file's column to sum or take
    how: Literal["sum", "take"]
    name: str            # the new column's name in the source
    sheet: str | int | None = None
    header_row: int = 1


@dataclass(frozen=True)
class Source:
    table: str
    path: Path
    sheet: str | int | None = None
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    decimal: Literal[".", ","] | None = None
    date_format: Literal["dmy", "mdy"] | None = None
    built: dict[str, BuiltColumn] = field(default_factory=dict)   # ours -> how it is built
    footer_rows: int = 0   # rows at the end of the sheet to drop
    lookups: tuple[Lookup, ...] = ()
    where: dict[str, tuple[str, ...]] = field(default_factory=dict)   # client column -> kept values

    def client_columns(self) -> set[str]:
        """Every client column this source reads (mapped, built from, filtered on)."""
        used = (set(self.columns) | set(self.where) | {lk.on for lk in self.lookups}) - {
            lk.name for lk in self.lookups}
        for rule in self.built.values():
            used |= set(rule.columns) | set(rule.fallback)
        return used

    @property
    def display_name(self) -> str:
        return self.path.name

    @property
    def is_pattern(self) -> bool:
        """`path: exports/deals_*.csv`: several files (monthly exports) stacked into one table."""
        return any(ch in self.path.name for ch in "*?[")

    def files(self) -> list[Path]:
        """The files this source reads: the path, or every match of its pattern, in name order
        (matches that resolve outside the engagement folder are left out)."""
        if not self.is_pattern:
            return [self.path]
        root = self.path.parent
        folder = root.resolve()
        return sorted(p for p in root.glob(self.path.name)
                      if p.is_file() and p.resolve().is_relative_to(folder))


@dataclass(frozen=True)
class Engagement:
    folder: Path
    client: str
    name: str
    as_of: dt.date | None
    currency: str
    sources: dict[str, Source]
    current_owner: str | None
    ownership_notes: str
    assumptions: Assumptions
    scenario: str | None = None

    @property
    def config_path(self) -> Path:
        return self.folder / CONFIG_NAME


def load_engagement(folder: str | Path) -> Engagement:
    folder = Path(folder).expanduser().resolve()
    if not folder.is_dir():
        raise EngagementError(f"{folder}: no such engagement folder")
    path = folder / CONFIG_NAME
    if not path.is_file():
        raise EngagementError(
            f"{folder}: no {CONFIG_NAME} here. Create the folder with `workbook new NAME` "
            "(it writes a commented engagement.yaml to edit)."
        )
    raw = load_yaml_file(path, CONFIG_NAME)
    if not isinstance(raw, dict):
        raise EngagementError(f"{path}: expected keys such as 'client:' and 'sources:' at the top level")
    return parse_engagement(raw, folder)


def parse_engagement(raw: dict, folder: Path) -> Engagement:
    where = str(folder / CONFIG_NAME)
    _check_keys(raw, TOP_KEYS, where, "")
    client = raw.get("client")
    if not isinstance(client, str) or not client.strip():
        raise EngagementError(f"{where}: 'client' is required (the client's name, as text)")
    name = raw.get("engagement", folder.name)
    name = str(name).strip()
    if not NAME_RE.match(name):
        raise EngagementError(
            f"{where}: engagement name {name!r} may contain only lowercase letters, digits, '_' and '-'"
            " (it becomes a folder name)"
        )
    as_of = raw.get("as_of")
    if as_of is not None and not isinstance(as_of, dt.date):
        try:
            as_of = dt.date.fromisoformat(str(as_of))
        except ValueError:
            raise EngagementError(f"{where}: 'as_of' must be a date like 2026-09-30, got {as_of!r}") from None
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    currency = str(raw.get("currency", "USD")).strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise EngagementError(f"{where}: 'currency' must be a 3-letter code such as USD, got {currency!r}")

    sources_raw = raw.get("sources") or {}
    if not isinstance(sources_raw, dict):
        raise EngagementError(f"{where}: 'sources' must map table names to files")
    _check_keys(sources_raw, TABLES, where, "sources.")
    if "people" not in sources_raw:
        raise EngagementError(f"{where}: 'sources.people' is required (the roster file)")
    sources = {t: _parse_source(t, spec, folder, where) for t, spec in sources_raw.items() if spec}

    ownership = raw.get("ownership") or {}
    if not isinstance(ownership, dict):
        raise EngagementError(f"{where}: 'ownership' must be a mapping with 'current_owner'")
    _check_keys(ownership, OWNERSHIP_KEYS, where, "ownership.")
    owner = ownership.get("current_owner")
    if owner is not None:
        owner = str(owner).strip().lower()
        if owner not in OWNERS:
            hint = nearest(owner, OWNERS)
            raise EngagementError(
                f"{where}: ownership.current_owner {owner!r} is not one of {', '.join(OWNERS)}"
                + (f"; did you mean '{hint}'?" if hint else "")
            )

    overrides = raw.get("assumptions") or {}
    if not isinstance(overrides, dict):
        example = ("; write each as 'name: value' under 'assumptions:' without the leading '- '"
                   if isinstance(overrides, list) else "")
        raise EngagementError(f"{where}: 'assumptions' must map assumption names to values, e.g. "
                              f"assumptions: {{uplift_base: 0.08}}; got a {_kind(overrides)}{example}")
    scenario = raw.get("scenario")
    if scenario is not None:
        overrides = {**_load_scenario(folder, str(scenario), where), **overrides}
    try:
        assumptions = build_assumptions(overrides)
    except AssumptionError as exc:
        raise EngagementError(f"{where}: {exc}") from None

    return Engagement(
        folder=folder,
        client=client.strip(),
        name=name,
        as_of=as_of,
        currency=currency,
        sources=sources,
        current_owner=owner,
        ownership_notes=str(ownership.get("notes") or ""),
        assumptions=assumptions,
        scenario=None if scenario is None else str(scenario),
    )


def _kind(value: object) -> str:
    return {list: "list", str: "text", int: "number", float: "number", bool: "true/false"}.get(
        type(value), type(value).__name__)


def _check_keys(mapping: dict, allowed: tuple[str, ...], where: str, prefix: str) -> None:
    for key in mapping:
        if key not in allowed:
            hint = nearest(str(key), allowed)
            raise EngagementError(
                f"{where}: unknown key '{prefix}{key}'"
                + (f"; did you mean '{prefix}{hint}'?" if hint else f"; valid keys: {', '.join(allowed)}")
            )


def inside(folder: Path, relative: str, where: str, what: str) -> Path:
    """Resolve a path from config, refusing anything that escapes the engagement folder."""
    candidate = Path(relative)
    if candidate.is_absolute():
        raise EngagementError(f"{where}: {what} must be relative to the engagement folder, got {relative!r}")
    resolved = (folder / candidate).resolve()
    if not resolved.is_relative_to(folder):
        raise EngagementError(f"{where}: {what} {relative!r} points outside the engagement folder")
    return resolved


def _parse_source(table: str, spec: object, folder: Path, where: str) -> Source:
    if isinstance(spec, str):
        spec = {"path": spec}
    if not isinstance(spec, dict):
        raise EngagementError(f"{where}: sources.{table} must be a file name or a mapping with 'path'")
    _check_keys(spec, SOURCE_KEYS, where, f"sources.{table}.")
    if not spec.get("path"):
        raise EngagementError(f"{where}: sources.{table}.path is required")
    path = inside(folder, str(spec["path"]), where, f"sources.{table}.path")
    header_row = spec.get("header_row")
    if header_row is not None and (isinstance(header_row, bool) or not isinstance(header_row, int)
                                   or header_row < 1):
        raise EngagementError(f"{where}: sources.{table}.header_row must be a row number from 1, got {header_row!r}")
    columns = spec.get("columns") or {}
    if not isinstance(columns, dict):
        raise EngagementError(f"{where}: sources.{table}.columns must map the client's column to ours")
    from workbook.intake.schema import TABLE_SPECS

    valid = TABLE_SPECS[table].mappable_columns()
    mapped: dict[str, str] = {}
    built: dict[str, BuiltColumn] = {}
    for key, value in columns.items():
        if isinstance(value, (list, dict)):   # ours: how to build it from theirs
            built[_canonical(table, key, valid, where)] = _built_column(table, key, value, where)
            continue
        theirs, ours = key, str(value).strip()
        if not TABLE_SPECS[table].is_mappable(ours):
            hint = nearest(ours, valid)
            raise EngagementError(
                f"{where}: sources.{table}.columns maps '{theirs}' to unknown column '{ours}'"
                + (f"; did you mean '{hint}'?" if hint else f"; valid: {', '.join(valid)}")
            )
        theirs = str(theirs).strip()
        twice = next((other for other, target in mapped.items() if target == ours), None)
        if twice is not None:
            raise EngagementError(
                f"{where}: sources.{table}.columns maps both '{twice}' and '{theirs}' to '{ours}'; a "
                f"canonical column comes from one client column. Keep the one that holds {ours} and "
                "delete the other line (or use a list, e.g. name: [First Name, Last Name], to join "
                "columns)")
        mapped[theirs] = ours
    decimal = spec.get("decimal")
    if decimal not in (None, ".", ","):
        raise EngagementError(f"{where}: sources.{table}.decimal must be '.' or ','")
    date_format = spec.get("date_format")
    if date_format not in (None, "dmy", "mdy"):
        raise EngagementError(f"{where}: sources.{table}.date_format must be 'dmy' or 'mdy'")
    sheet = spec.get("sheet")
    both = set(mapped.values()) & set(built)
    if both:
        raise EngagementError(f"{where}: sources.{table}.columns gives '{sorted(both)[0]}' twice (mapped "
                              "from one column and built from others): keep one")
    footer_rows = spec.get("footer_rows") or 0
    if isinstance(footer_rows, bool) or not isinstance(footer_rows, int) or footer_rows < 0:
        raise EngagementError(f"{where}: sources.{table}.footer_rows must be a number of rows (0 or more), "
                              f"got {footer_rows!r}")
    encoding = _encoding(table, spec.get("encoding"), where)
    return Source(table, path, sheet, header_row, mapped, encoding, decimal, date_format,
                  built=built, where=_row_filter(table, spec.get("where"), where), footer_rows=footer_rows,
                  lookups=_lookups(table, spec.get("lookup"), folder, where))


def _encoding(table: str, value: object, where: str) -> str | None:
    """sources.<table>.encoding: a codec name; a bare Windows code page number (`encoding: 1252`,
    which YAML reads as a number) means that code page (cp1252) when Python knows it."""
    if value is None or value == "":
        return None
    what = f"{where}: sources.{table}.encoding"
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise EngagementError(f"{what} must be an encoding name such as utf-8 or cp1252, got {value!r}")
    name = str(value).strip()
    if name.isdigit():
        name = f"cp{name}"
    try:
        codecs.lookup(name)
    except LookupError:
        hint = (f"; for Windows code page {value} write the encoding's name (cp1252, utf-8, "
                "latin-1, ...)" if str(value).strip().isdigit() else "")
        raise EngagementError(f"{what} {value!r} is not an encoding Python knows{hint}; common ones: "
                              "utf-8, utf-16, cp1252 (Windows Western), latin-1, cp437") from None
    return name


def _lookups(table: str, value: object, folder: Path, where: str) -> tuple[Lookup, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    found = []
    for n, item in enumerate(items, start=1):
        what = f"{where}: sources.{table}.lookup" + (f" #{n}" if len(items) > 1 else "")
        if not isinstance(item, dict):
            raise EngagementError(f"{what} must be a mapping with path, on, and sum or take")
        unknown = sorted(set(item) - {"path", "sheet", "header_row", "on", "sum", "take", "as"})
        if unknown:
            raise EngagementError(f"{what}: unknown key '{unknown[0]}' (use path, sheet, header_row, "
                                  "on, sum or take, as)")
        if not item.get("path") or not item.get("on") or ("sum" in item) == ("take" in item):
            raise EngagementError(f"{what} needs path, on, and one of sum or take, e.g. lookup: "
                                  "{path: order_lines.csv, on: OrderID, sum: LineTotal, as: Amount}")
        on = item["on"]
        ours, theirs = (on if isinstance(on, list) and len(on) == 2 else [on, on])
        how = "sum" if "sum" in item else "take"
        column = str(item[how]).strip()
        header_row = item.get("header_row", 1)
        if isinstance(header_row, bool) or not isinstance(header_row, int) or header_row < 1:
            raise EngagementError(f"{what}.header_row must be a row number from 1")
        found.append(Lookup(inside(folder, str(item["path"]), where, f"sources.{table}.lookup.path"),
                            str(ours).strip(), str(theirs).strip(), column, how,
                            str(item.get("as") or column).strip(), item.get("sheet"), header_row))
    return tuple(found)


def _canonical(table: str, ours: object, valid: list[str], where: str) -> str:
    from workbook.intake.schema import TABLE_SPECS

    name = str(ours).strip()
    if not TABLE_SPECS[table].is_mappable(name):
        hint = nearest(name, valid)
        raise EngagementError(
            f"{where}: sources.{table}.columns builds unknown column '{name}' (a list or mapping is "
            "keyed by our column name)" + (f"; did you mean '{hint}'?" if hint else f"; valid: {', '.join(valid)}"))
    return name


def _names(value: object, what: str) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    names = tuple(str(v).strip() for v in items if v is not None and str(v).strip())
    if not names:
        raise EngagementError(f"{what} must name at least one of the client's columns")
    return names


def _built_column(table: str, ours: object, value: list | dict, where: str) -> BuiltColumn:
    what = f"{where}: sources.{table}.columns.{ours}"
    if isinstance(value, list):
        return BuiltColumn(_names(value, what))
    unknown = sorted(set(value) - {"column", "columns", "per", "fallback"})
    if unknown:
        raise EngagementError(f"{what}: unknown key '{unknown[0]}' (use column, per, fallback)")
    columns = _names(value.get("column", value.get("columns")), f"{what}.column")
    per = value.get("per")
    if per is not None and per not in PER_YEAR:
        raise EngagementError(f"{what}.per must be one of {', '.join(PER_YEAR)}, got {per!r}")
    fallback = _names(value["fallback"], f"{what}.fallback") if value.get("fallback") else ()
    return BuiltColumn(columns, per, fallback)


def _row_filter(table: str, value: object, where: str) -> dict[str, tuple[str, ...]]:
    """`where: {Department: Sales}` or `{Department: [Sales, Business Development]}`: keep only the
    rows whose column holds one of the values (compared after trimming, ignoring case)."""
    if value is None:
        return {}
    if not isinstance(value, dict) or not value:
        raise EngagementError(f"{where}: sources.{table}.where must map a column to the value(s) to keep, "
                              "e.g. where: {Department: Sales}")
    return {str(column).strip(): _names(kept, f"{where}: sources.{table}.where.{column}")
            for column, kept in value.items()}


def _load_scenario(folder: Path, scenario: str, where: str) -> dict:
    path = inside(folder, scenario, where, "scenario")
    if not path.is_file():
        raise EngagementError(f"{where}: scenario file {scenario!r} not found in the engagement folder")
    data = load_yaml_file(path, "the scenario file") or {}
    values = data.get("assumptions", data) if isinstance(data, dict) else None
    if not isinstance(values, dict):
        raise EngagementError(f"{path}: a scenario file holds 'assumptions:' with name: value pairs "
                              f"(named by 'scenario:' in {where})")
    return values
