"""manifest.json: what a run used and how it went, written as the run progresses."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sys
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from workbook import __version__
from workbook.errors import naming
from workbook.run.status import NotebookStatus, RunStatus

KEY_PACKAGES = ("pandas", "numpy", "openpyxl", "xlsxwriter", "papermill", "nbconvert", "ipykernel",
                "jupyter_client", "matplotlib", "pydantic", "python-calamine", "pyyaml")


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version(), "workbook": __version__}
    for name in KEY_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


@dataclass
class NotebookRecord:
    notebook: str
    status: str = NotebookStatus.PENDING
    seconds: float | None = None
    kernel_start_seconds: float | None = None
    executed: str | None = None       # path of the executed notebook, relative to the run folder
    html: str | None = None
    error: str | None = None


@dataclass
class Manifest:
    run_id: str
    engagement: str
    client: str
    engagement_dir: str
    started: str
    status: str = RunStatus.RUNNING
    finished: str | None = None
    failed_at: str | None = None
    error: str | None = None
    parameters: dict = field(default_factory=dict)
    inputs: list[dict] = field(default_factory=list)
    config_sha256: str = ""
    fingerprint: str = ""
    toolkit_version: str = __version__
    versions: dict = field(default_factory=package_versions)
    python: str = sys.executable
    notebooks: list[NotebookRecord] = field(default_factory=list)
    timings: dict = field(default_factory=dict)
    deliverable: str | None = None
    previous_run: str | None = None    # the successful run this one is compared with
    as_of: str | None = None           # the data's as-of date (YYYY-MM-DD), for the next run's comparison

    def write(self, folder: Path) -> Path:
        path = folder / "manifest.json"
        self.write_text(path, json.dumps(asdict(self), indent=2, default=str))
        return path

    @staticmethod
    def write_text(path: Path, text: str) -> None:
        """Atomically: a reader sees the previous manifest or this one, never half of one."""
        tmp = path.with_suffix(".json.tmp")
        with naming(path):
            try:
                tmp.write_text(text, encoding="utf-8")
                os.replace(tmp, path)
            except OSError:
                tmp.unlink(missing_ok=True)
                raise

    @staticmethod
    def read(path: Path) -> dict:
        return json.loads(path.read_text(encoding="utf-8"))


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")
