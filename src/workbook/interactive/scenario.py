"""Saving a what-if as a named scenario that `workbook run` reproduces exactly.

Precedence (config.parse_engagement): defaults, then the scenario file named by
engagement.yaml's `scenario:`, then engagement.yaml's own `assumptions:` — the
consultant's explicit values win. So a scenario can only carry values that
engagement.yaml does not set itself: changing one of those in the explorer and
saving is refused, naming the keys, rather than writing a file whose values
would be silently shadowed.

The scenario file holds every value that differs from the defaults and is not
set in engagement.yaml: the values changed in the explorer and those carried
over from the scenario in use before (the new file replaces it under
`scenario:`). Before anything is written, the new engagement.yaml and scenario
are resolved as `workbook run` will resolve them and must give exactly the
assumptions shown. engagement.yaml is edited as text (one `scenario:` line
replaced or appended), never re-dumped, so the consultant's comments survive.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from workbook.engagement.assumptions import BY_NAME, DEFAULTS, Assumptions, build_assumptions
from workbook.engagement.config import CONFIG_NAME, inside
from workbook.engagement.yaml_files import load_yaml_file, read_yaml
from workbook.errors import EngagementError, ScenarioError

SCENARIO_DIR = "scenarios"
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
SCENARIO_LINE = re.compile(r"^scenario[ \t]*:[^\r\n]*?(?P<comment>[ \t]+#[^\r\n]*)?(?P<eol>\r?\n|$)",
                           re.MULTILINE)


@dataclass(frozen=True)
class SavedScenario:
    path: Path                       # the scenario file
    relative: str                    # as written under `scenario:` in engagement.yaml
    values: dict[str, Any]           # the scenario's assumptions
    changed: dict[str, tuple]        # name -> (before, after): changed in the explorer
    carried: tuple[str, ...]         # carried over from the previous scenario

    def message(self) -> str:
        return (f"Saved {self.relative} ({len(self.values)} value(s)); engagement.yaml now says "
                f"`scenario: {self.relative}`, so `workbook run` reproduces these numbers.")


def own_assumptions(folder: Path) -> dict[str, Any]:
    """engagement.yaml's own `assumptions:` (without the scenario's)."""
    raw = _read_config(folder)[1]
    own = raw.get("assumptions") or {}
    return dict(own) if isinstance(own, dict) else {}


def save_scenario(folder: str | Path, name: str, shown: Assumptions, baseline: Assumptions, *,
                  overwrite: bool = False, author: str | None = None, highlight: str | None = None,
                  client: str = "", now: dt.datetime | None = None) -> SavedScenario:
    """Write scenarios/<name>.yaml with the assumptions `shown` and point engagement.yaml at it.

    `baseline` is what the engagement resolves to today (what `shown` was changed from).
    Refuses (ScenarioError) an invalid name, an existing file without `overwrite`, nothing
    changed, or a changed value that engagement.yaml's own `assumptions:` would shadow.
    """
    folder = Path(folder).resolve()
    name = (name or "").strip()
    if name.endswith((".yaml", ".yml")):
        name = name.rsplit(".", 1)[0]
    if not NAME_RE.match(name):
        raise ScenarioError("Give the scenario a name of letters, digits, '-' or '_' (e.g. workshop-oct), "
                            f"got {name!r}.")
    relative = f"{SCENARIO_DIR}/{name}.yaml"
    path = inside(folder, relative, str(folder / CONFIG_NAME), "scenario")
    if path.exists() and not overwrite:
        raise ScenarioError(f"{relative} already exists: tick 'Overwrite' to replace it, or choose "
                            "another name.")

    shown_values, base_values = shown.as_dict(), baseline.as_dict()
    changed = {k: (base_values[k], v) for k, v in shown_values.items() if v != base_values[k]}
    if not changed:
        raise ScenarioError("Nothing to save: every assumption is as the engagement already sets it.")
    text, raw = _read_config(folder)
    own = raw.get("assumptions") or {}
    own = dict(own) if isinstance(own, dict) else {}
    shadowed = [k for k in changed if k in own]
    if shadowed:
        raise ScenarioError(
            f"Not saved: engagement.yaml sets {', '.join(shadowed)} under `assumptions:`, and those values "
            "win over a scenario, so `workbook run` would not reproduce what you see. Change the value in "
            "engagement.yaml itself, or delete it there, and save again.")

    defaults = {a.name: a.value for a in DEFAULTS}
    values = {k: _plain(k, v) for k, v in shown_values.items() if k not in own and v != defaults[k]}
    carried = tuple(k for k in values if k not in changed)
    new_text = set_scenario_line(text, relative)
    new_raw = read_yaml(new_text.lstrip("\ufeff"))
    if new_raw != {**raw, "scenario": relative}:
        raise ScenarioError(f"Not saved: could not add `scenario: {relative}` to engagement.yaml "
                            "automatically; add that line at the top level by hand.")
    if build_assumptions({**values, **own}).as_dict() != shown_values:   # what `workbook run` resolves
        raise ScenarioError("Not saved: the scenario would not reproduce the values shown.")

    previous = raw.get("scenario")
    body = _header(name, client, changed, carried, previous, highlight, author, now)
    body += yaml.safe_dump({"assumptions": values}, sort_keys=False, default_flow_style=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(path, body.encode("utf-8"))
    if new_text != text:
        _write_atomic(folder / CONFIG_NAME, new_text.encode("utf-8"))
    return SavedScenario(path, relative, values, changed, carried)


def set_scenario_line(text: str, relative: str) -> str:
    """engagement.yaml's text with its top-level `scenario:` line set (replaced, or appended)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    if SCENARIO_LINE.search(text):
        return SCENARIO_LINE.sub(lambda m: f"scenario: {relative}{m['comment'] or ''}{m['eol']}", text)
    if text and not text.endswith("\n"):
        text += newline
    return (text + newline + "# What-if scenario saved from the workshop explorer; engagement.yaml's own"
            + " `assumptions:` still win over it." + newline + f"scenario: {relative}" + newline)


def _read_config(folder: Path) -> tuple[str, dict]:
    path = Path(folder) / CONFIG_NAME
    try:   # the same reading (and messages) as `workbook validate`
        raw = load_yaml_file(path, CONFIG_NAME) or {}
    except EngagementError as exc:
        raise ScenarioError(f"Not saved: {exc}") from None
    text = path.read_bytes().decode("utf-8")
    if not isinstance(raw, dict):
        raise ScenarioError(f"{path}: expected a mapping at the top level")
    return text, raw


def _plain(name: str, value: Any) -> Any:
    if BY_NAME[name].kind == "integer":
        return int(value)
    return float(value) if isinstance(value, (int, float)) else value


def _show(name: str, value: Any) -> str:
    a = BY_NAME[name]
    if a.kind == "percent":
        return f"{value:.1%}".replace(".0%", "%")
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def _header(name, client, changed, carried, previous, highlight, author, now) -> str:
    who = author or _user()
    when = (now or dt.datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M %Z").strip()
    lines = [f'What-if scenario "{name}"' + (f" for {client}" if client else "")
             + ", saved from the workshop explorer (workbook.interactive).",
             f"Who:  {who}", f"When: {when}", "What: changed in the explorer:"]
    lines += [f"        {BY_NAME[k].label} ({k}): {_show(k, a)} -> {_show(k, b)}"
              for k, (a, b) in changed.items()]
    if carried:
        lines.append(f"      carried over from {previous}: {', '.join(carried)}")
    if highlight:
        lines.append(f"      highlighted ROI scenario: {highlight}")
    lines += ["engagement.yaml names this file under `scenario:`; `workbook run` applies these values",
              "over the defaults, and engagement.yaml's own `assumptions:` win over them."]
    return "".join(f"# {line}".rstrip() + "\n" for line in lines)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers): say so rather than fail the save
        return "unknown"


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
