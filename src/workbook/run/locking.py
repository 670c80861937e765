"""One run per engagement at a time: a lock file in the engagement's deliverables folder.

The lock records the holder's pid, host and start time. A lock left behind by
a process that no longer exists (on this host) is taken over; any other lock
makes the second run stop with a clear message instead of colliding.
"""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

from workbook.errors import EngagementLocked

LOCK_NAME = ".run.lock"


class EngagementLock:
    def __init__(self, engagement_root: Path, engagement: str):
        self.path = engagement_root / LOCK_NAME
        self.engagement = engagement
        self.held = False

    def acquire(self) -> EngagementLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self._holder()
                if holder is not None and self._stale(holder):
                    self.path.unlink(missing_ok=True)
                    continue
                who = (f"pid {holder.get('pid')} on {holder.get('host')}, started "
                       f"{holder.get('started')}") if holder else "another process"
                raise EngagementLocked(
                    f"another run of '{self.engagement}' is in progress ({who}); wait for it to finish, "
                    f"or remove {self.path} if that process is gone") from None
            with os.fdopen(fd, "w") as fh:
                json.dump({"pid": os.getpid(), "host": socket.gethostname(),
                           "started": time.strftime("%Y-%m-%dT%H:%M:%S")}, fh)
            self.held = True
            return self
        raise EngagementLocked(f"could not take the run lock {self.path}")

    def release(self) -> None:
        if self.held:
            try:
                self.path.unlink(missing_ok=True)
            except OSError:   # a folder turned read-only: the next run takes the stale lock over
                pass
            self.held = False

    def __enter__(self) -> EngagementLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()

    def _holder(self) -> dict | None:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    @staticmethod
    def _stale(holder: dict) -> bool:
        if holder.get("host") != socket.gethostname():
            return False
        pid = holder.get("pid")
        if not isinstance(pid, int):
            return True
        return not pid_alive(pid)


def pid_alive(pid: int) -> bool:
    """Whether process `pid` exists on this host. A process of another user, or a pid the system
    cannot look up, counts as alive: what it holds is not ours to take."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True
    return True
