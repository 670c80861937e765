"""Shared by the browser tests (test_lab_e2e, test_present_e2e): a free localhost port, and polling
a page until something holds."""

from __future__ import annotations

import os
import shutil
import socket
import time
from pathlib import Path

import pytest


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


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def headless_chromium(profile: Path, width: int, height: int, *extra_flags: str):
    """A Selenium driver on Debian's chromium, offline (Selenium Manager never downloads), with a
    throwaway profile; quit it when done."""
    os.environ["SE_OFFLINE"] = "true"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--window-size={width},{height}", f"--user-data-dir={profile}",
                 *extra_flags):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    return driver


# the skip marks every browser test carries: the test is skipped, with how to install, when absent
NEEDS_CHROMIUM = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="chromium not installed "
                       "(apt-get install chromium chromium-driver; .ci/run does)"),
    pytest.mark.skipif(not os.path.exists(CHROMEDRIVER), reason="chromedriver not installed "
                       "(apt-get install chromium-driver; .ci/run does)"),
]
