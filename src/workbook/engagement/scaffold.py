"""`workbook new NAME`: a fresh engagement folder with a commented engagement.yaml and the
client data-request workbook; `workbook request NAME`: the request workbook on its own."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

from workbook.engagement.config import CONFIG_NAME, NAME_RE
from workbook.errors import EngagementError


def check_name(name: str) -> None:
    if not NAME_RE.match(name):
        raise EngagementError(f"engagement name {name!r} may contain only lowercase letters, digits, "
                              "'_' and '-'")


def display_name(name: str) -> str:
    return name.replace("-", " ").replace("_", " ").title()


def new_engagement(name: str, root: Path, client: str | None = None) -> Path:
    from workbook.data_request import request_file_name, write_request

    check_name(name)
    folder = root / name
    if folder.exists() and any(folder.iterdir()):
        raise EngagementError(f"{folder} already exists and is not empty; choose another name")
    folder.mkdir(parents=True, exist_ok=True)
    templates = resources.files("workbook.engagement") / "templates"
    text = (templates / "engagement.yaml").read_text(encoding="utf-8")
    display = client or display_name(name)
    text = text.format(client=_yaml_text(display), name=name)
    text = text.replace("\nsources:", "\n" + _request_comment(request_file_name(display)) + "sources:", 1)
    (folder / CONFIG_NAME).write_text(text, encoding="utf-8")
    (folder / "roster.csv").write_text((templates / "roster.csv").read_text(encoding="utf-8"),
                                       encoding="utf-8")
    write_request(folder, display)
    return folder


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
        raw = yaml.safe_load((folder / CONFIG_NAME).read_text(encoding="utf-8-sig"))
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
