"""What decides whether a re-run can be skipped: config, every input file, the notebooks, the toolkit.

Computed from engagement.yaml alone (no intake), so a batch can skip an
unchanged engagement in milliseconds.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from workbook import __version__
from workbook.engagement.config import Engagement


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def engagement_fingerprint(engagement: Engagement, input_sha256: dict[str, str] | None = None) -> str:
    """`input_sha256` (table -> sha256) saves hashing the inputs again when intake already did."""
    from workbook.run.notebooks import find_notebooks
    from workbook.run.prepare import prepare_inputs

    known = input_sha256 or {}

    digest = hashlib.sha256()
    digest.update(f"config:{file_sha256(engagement.config_path)}".encode())
    if engagement.scenario:
        scenario = engagement.folder / engagement.scenario
        if scenario.is_file():
            digest.update(f"scenario:{file_sha256(scenario)}".encode())
    for table in sorted(engagement.sources):
        source = engagement.sources[table]
        if source.is_pattern:   # several files: each by name and content
            for path in source.files():
                digest.update(f"{table}:{path.name}:{file_sha256(path)}".encode())
            continue
        path = source.path
        sha = known.get(table) or (file_sha256(path) if path.is_file() else "missing")
        digest.update(f"{table}:{sha}".encode())
    for nb in find_notebooks(None):
        digest.update(f"{nb.name}:{file_sha256(nb)}".encode())
    for path in prepare_inputs(engagement.folder):   # prepare.ipynb and every file it may read
        digest.update(f"prepare:{path.relative_to(engagement.folder)}:{file_sha256(path)}".encode())
    digest.update(f"workbook:{__version__}".encode())
    return digest.hexdigest()
