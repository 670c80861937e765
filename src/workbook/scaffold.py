"""`workbook new NAME`: a fresh engagement folder with a commented engagement.yaml."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from workbook.config import NAME_RE, EngagementError


def new_engagement(name: str, root: Path, client: str | None = None) -> Path:
    if not NAME_RE.match(name):
        raise EngagementError(f"engagement name {name!r} may contain only lowercase letters, digits, "
                              "'_' and '-'")
    folder = root / name
    if folder.exists() and any(folder.iterdir()):
        raise EngagementError(f"{folder} already exists and is not empty; choose another name")
    folder.mkdir(parents=True, exist_ok=True)
    templates = resources.files("workbook") / "templates"
    text = (templates / "engagement.yaml").read_text(encoding="utf-8")
    display = client or name.replace("-", " ").replace("_", " ").title()
    (folder / "engagement.yaml").write_text(
        text.format(client=_yaml_text(display), name=name), encoding="utf-8")
    (folder / "roster.csv").write_text((templates / "roster.csv").read_text(encoding="utf-8"),
                                       encoding="utf-8")
    return folder


def _yaml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
