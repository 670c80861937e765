"""`workbook new NAME`: a fresh engagement folder with a commented engagement.yaml and the
client data-request workbook; `workbook request NAME`: the request workbook on its own.

`workbook new NAME --from FILE...` and `workbook map FILE... --write DIR` also copy the client's
files into the folder and write the `sources:` block `workbook map` proposed into engagement.yaml
(an existing engagement.yaml is never replaced)."""

from __future__ import annotations

import filecmp
import re
import shutil
from importlib import resources
from pathlib import Path

import yaml

from workbook.engagement.config import CONFIG_NAME, NAME_RE
from workbook.engagement.yaml_files import read_yaml
from workbook.errors import EngagementError

_SOURCES_SECTION = re.compile(r"(?ms)^sources:.*?(?=^ownership:)")


def check_name(name: str) -> None:
    if not NAME_RE.match(name):
        raise EngagementError(f"engagement name {name!r} may contain only lowercase letters, digits, "
                              "'_' and '-'")


def display_name(name: str) -> str:
    return name.replace("-", " ").replace("_", " ").title()


def new_engagement(name: str, root: Path, client: str | None = None, *,
                   files: list[Path] = (), sources_block: str | None = None) -> Path:
    """Scaffold root/NAME; `files` are copied in and `sources_block` (from `workbook map`, paths
    relative to the new folder) replaces the template's sources. The template's empty roster.csv
    is written only when the people source is a roster.csv that is not among the files."""
    from workbook.data_request import request_file_name, write_request

    check_name(name)
    folder = root / name
    if folder.exists() and any(folder.iterdir()):
        raise EngagementError(f"{folder} already exists and is not empty; choose another name")
    copies = _copies(files, folder)
    folder.mkdir(parents=True, exist_ok=True)
    _copy(copies)
    display = client or display_name(name)
    text = engagement_text(name, display, sources_block)
    text = text.replace("\nsources:", "\n" + _request_comment(request_file_name(display)) + "sources:", 1)
    (folder / CONFIG_NAME).write_text(text, encoding="utf-8")
    if _people_path(sources_block) == "roster.csv" and not (folder / "roster.csv").exists():
        templates = resources.files("workbook.engagement") / "templates"
        (folder / "roster.csv").write_text((templates / "roster.csv").read_text(encoding="utf-8"),
                                           encoding="utf-8")
    write_request(folder, display)
    return folder


def write_engagement_config(folder: Path, sources_block: str, files: list[Path] = (),
                            client: str | None = None) -> Path:
    """`workbook map --write DIR`: DIR/engagement.yaml from the template with these sources, the
    files not yet in DIR copied there. Never replaces an existing engagement.yaml."""
    config = folder / CONFIG_NAME
    if config.exists():
        raise EngagementError(
            f"{config} already exists and is never overwritten. To merge, replace its `sources:` "
            "block with the one above (keep any source it has for a table not mapped here), then "
            f"run: workbook validate {folder}")
    name = re.sub(r"[^a-z0-9_-]+", "-", folder.resolve().name.lower()).strip("-_") or "engagement"
    copies = _copies(files, folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _copy(copies)
        config.write_text(engagement_text(name, client or display_name(name), sources_block),
                          encoding="utf-8")
    except OSError as exc:
        raise EngagementError(f"could not write {config}: {exc.strerror or exc}") from None
    return config


def engagement_text(name: str, client: str, sources_block: str | None = None) -> str:
    """The commented engagement.yaml template, with `sources_block` as its sources when given."""
    templates = resources.files("workbook.engagement") / "templates"
    text = (templates / "engagement.yaml").read_text(encoding="utf-8")
    text = text.format(client=_yaml_text(client), name=name)
    if sources_block:
        block = ("sources:                         # proposed by `workbook map`; paths are "
                 "relative to this folder\n" + sources_block.split("\n", 1)[1])
        text = _SOURCES_SECTION.sub(lambda _: block.rstrip("\n") + "\n\n", text, count=1)
    return text


def _people_path(sources_block: str | None) -> str | None:
    if not sources_block:
        return "roster.csv"
    people = (yaml.safe_load(sources_block) or {}).get("sources", {}).get("people")
    return people.get("path") if isinstance(people, dict) else people


def _copies(files: list[Path], folder: Path) -> list[tuple[Path, Path]]:
    """(file, its place in folder) for the files to copy; refuses before anything is written when
    two files share a name or a different file of that name is already there."""
    out, names = [], {}
    for f in files:
        target = folder / f.name
        if f.resolve().is_relative_to(folder.resolve()):
            continue
        if f.name in names:
            raise EngagementError(f"{f} and {names[f.name]} have the same name; rename one")
        names[f.name] = f
        if target.exists() and not filecmp.cmp(f, target, shallow=False):
            raise EngagementError(f"{target} already exists and differs from {f}; rename one")
        out.append((f, target))
    return out


def _copy(copies: list[tuple[Path, Path]]) -> None:
    for source, target in copies:
        if not target.exists():
            try:
                shutil.copy2(source, target)
            except OSError as exc:
                raise EngagementError(f"could not copy {source} to {target}: "
                                      f"{exc.strerror or exc}") from None


def new_request(name: str, root: Path, client: str | None = None, *, overwrite: bool = False) -> Path:
    """Write the data-request workbook into root/NAME (created when missing).

    The client name defaults to the engagement's `client:` when the folder already has an
    engagement.yaml, else to one derived from NAME.
    """
    from workbook.data_request import write_request

    check_name(name)
    folder = root / name
    return write_request(folder, client or _configured_client(folder) or display_name(name),
                         overwrite=overwrite)


def _configured_client(folder: Path) -> str | None:
    try:
        raw = read_yaml((folder / CONFIG_NAME).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    client = raw.get("client") if isinstance(raw, dict) else None
    return client.strip() if isinstance(client, str) and client.strip() else None


def _request_comment(file_name: str) -> str:
    from workbook.data_request import HEADER_ROW, sources_block

    block = "".join(f"#   {line}\n" for line in sources_block(file_name).splitlines()[1:])
    return (f"# \"{file_name}\" in this folder is the data-request workbook to send the client.\n"
            f"# Its sheets already use canonical column names (header in row {HEADER_ROW}), so when it\n"
            "# comes back filled in, point the sources at it, no column mapping needed:\n"
            f"{block}")


def _yaml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
