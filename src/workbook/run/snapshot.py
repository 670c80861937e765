"""Loaded engagement data, reused instead of re-read: one intake per run, not one per notebook.

The runner validates the engagement (a full intake) and writes a snapshot of
the loaded data into the run folder; each notebook's `pipeline.load` picks it
up when its key still matches the files on disk, and keeps it in memory for
the next notebook on the same kernel. The key is engagement.yaml's bytes plus
each input file's size and modification time: any edit makes it stale and the
data is read again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from workbook.engagement.config import Engagement
from workbook.errors import naming

SNAPSHOT = Path(".snapshot") / "engagement_data.pkl"
_MEMORY: dict[str, object] = {}


def data_key(engagement: Engagement) -> str:
    digest = hashlib.sha256(engagement.config_path.read_bytes())
    digest.update(str(engagement.folder).encode())
    if engagement.scenario:
        scenario = engagement.folder / engagement.scenario
        if scenario.is_file():
            digest.update(scenario.read_bytes())
    for table in sorted(engagement.sources):
        for path in engagement.sources[table].files():
            try:
                stat = path.stat()
                digest.update(f"{table}:{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
            except OSError:
                digest.update(f"{table}:{path}:missing".encode())
    return digest.hexdigest()


def write_snapshot(data, run_dir: Path) -> Path:
    path = run_dir / SNAPSHOT
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with naming(path):
        try:
            with tmp.open("wb") as fh:
                pickle.dump((data_key(data.engagement), data), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            tmp.unlink(missing_ok=True)
            raise
    return path


def remove_snapshot(run_dir: Path) -> None:
    path = run_dir / SNAPSHOT
    try:
        path.with_suffix(".tmp").unlink(missing_ok=True)
        path.unlink(missing_ok=True)
        path.parent.rmdir()
    except OSError:
        pass


def recall(engagement: Engagement, output_dir: str | Path | None):
    """The loaded data for this engagement if memory or the run's snapshot still matches, else None."""
    key = data_key(engagement)
    if key in _MEMORY:
        return _MEMORY[key]
    if output_dir:
        path = Path(output_dir) / SNAPSHOT
        if path.is_file():
            with path.open("rb") as fh:
                stored_key, data = pickle.load(fh)  # written by this toolkit's runner for this run
            if stored_key == key:
                remember(data)
                return data
    return None


def remember(data) -> None:
    _MEMORY.clear()   # one engagement per kernel: never hold another's data
    _MEMORY[data_key(data.engagement)] = data


def forget() -> None:
    """Drop the in-memory copy (benchmarks measuring a cold load; tests)."""
    _MEMORY.clear()
