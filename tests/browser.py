"""Shared by the browser tests (test_lab_e2e, test_present_e2e): a free localhost port, and polling
a page until something holds."""

from __future__ import annotations

import socket
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what: str, check, timeout: float, interval: float = 0.5, fatal=()):
    """Poll `check` until it returns something true (returned); errors while the page loads are kept
    and the last one is reported on timeout; `fatal` exceptions stop at once."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except fatal:
            raise
        except Exception as exc:  # page still loading: keep polling, report the last error
            last_error = exc
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}"
                         + (f" (last error: {last_error})" if last_error else ""))
