"""End to end in a real browser: `workbook present <demo> --no-browser --port N` serves the explorer
with Voilà, headless Chromium opens it at 1600x1000, the page shows no code and no file path, a slider
moved from the keyboard changes the ROI headline within a second, and Ctrl-C stops the server cleanly.

Screenshots before and after the move are kept in the test's tmp_path and copied to
.artifacts/present/ in the working tree (git-ignored), to be looked at.

Needs Debian's chromium and chromium-driver (`.ci/run` installs them), the `selenium` test extra and
`voila`; skips with the reason otherwise.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from browser import NEEDS_CHROMIUM, free_port, headless_chromium, wait_for

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / ".artifacts" / "present"
WORKBOOK = Path(sys.executable).with_name("workbook")
CODE_SELECTORS = ".jp-InputArea, .jp-InputArea-editor, .CodeMirror, .cm-editor, .jp-CodeMirrorEditor, .input_area"

# JupyterLab's menus, side bars, notebook toolbar and dock tabs (Voilà's own shell reuses .jp-LabShell)
LAB_CHROME = ("#jp-top-panel, #jp-menu-panel, .lm-MenuBar, .jp-SideBar, #jp-left-stack, "
              ".jp-NotebookPanel-toolbar, #jp-main-dock-panel, .jp-Notebook-cell .jp-InputPrompt")

pytestmark = [
    *NEEDS_CHROMIUM,
    pytest.mark.skipif(importlib.util.find_spec("voila") is None,
                       reason="voila not installed (pip install -e '.[test]'; make test does)"),
    pytest.mark.skipif(not WORKBOOK.exists(), reason=f"no workbook command next to {sys.executable} "
                       "(pip install -e '.[test]')"),
]
selenium = pytest.importorskip("selenium", reason="selenium not installed (pip install -e '.[test]')")







@pytest.fixture
def present(demo_engagement, tmp_path):
    """`workbook present <demo> --no-browser --port N` in its own session, as a terminal would run it;
    yields (process, url, log path). Stopped with SIGINT (Ctrl-C) if the test has not stopped it."""
    port = free_port()
    log_path = tmp_path / "present.log"
    log = log_path.open("wb")
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([str(WORKBOOK), "present", str(demo_engagement), "--no-browser",
                                "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env=env,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:

        def started():
            if process.poll() is not None:
                raise RuntimeError(f"workbook present exited ({process.returncode}):\n"
                                   + log_path.read_text(errors="replace"))
            return f"at {url}" in log_path.read_text(errors="replace")

        wait_for("workbook present to print its address", started, 90, interval=0.2, fatal=RuntimeError)
        yield process, url, log_path
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        log.close()


@pytest.fixture
def browser(tmp_path):
    driver = headless_chromium(tmp_path / "chromium-profile", 1600, 1000, "--hide-scrollbars")
    # the page itself 1600x1000 (a window of that size leaves less to the page)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1600, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
    try:
        yield driver
    finally:
        driver.quit()


def _screenshot(driver, tmp_path: Path, name: str) -> Path:
    path = tmp_path / "artifacts" / name
    path.parent.mkdir(exist_ok=True)
    assert driver.save_screenshot(str(path)), f"no screenshot {name}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, ARTIFACTS / name)
    return path


def test_present_serves_the_explorer_without_code_or_paths_and_a_slider_moves_the_roi(
        present, browser, demo_engagement, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    process, url, log_path = present
    assert "kernel 'workbook'" in log_path.read_text()      # this environment's kernel, checked first
    browser.get(url)

    def headline() -> str:
        boxes = browser.find_elements(By.CSS_SELECTOR, ".wb-headline-box")
        return boxes[0].text.strip() if boxes else ""

    before = wait_for("the explorer's ROI headline", lambda: "ROI" in headline() and headline(), 120,
                   interval=0.2)
    assert before.startswith("Base scenario (uplift 8%)"), before
    assert "benefit" in browser.find_element(By.CSS_SELECTOR, ".wb-roi").text
    assert browser.title == "What-if explorer"

    # no code and no IDE: Voilà stripped the sources, and nothing of JupyterLab is on the page
    assert browser.find_elements(By.CSS_SELECTOR, CODE_SELECTORS) == []
    assert browser.find_elements(By.CSS_SELECTOR, LAB_CHROME) == []
    page_text = browser.execute_script("return document.body.innerText;")
    assert "room_explorer" not in page_text and "import " not in page_text
    # no file path: neither the engagement folder (as given or resolved) nor the repository's
    for path in {str(demo_engagement), str(Path(demo_engagement).resolve()), str(ROOT)}:
        assert path not in page_text and path not in browser.page_source, path
    _screenshot(browser, tmp_path, "before.png")

    handle = browser.find_element(By.CSS_SELECTOR, ".wb-uplift_base .noUi-handle")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus();", handle)
    handle.send_keys(Keys.ARROW_RIGHT)      # one step of half a point: 8.0% -> 8.5%
    moved = time.monotonic()
    after = wait_for("the ROI headline to change", lambda: headline() != before and headline(), 10,
                  interval=0.02)
    latency = time.monotonic() - moved
    print(f"the ROI headline changed {latency:.2f} s after the key press")
    assert latency <= 1.0, f"the ROI headline took {latency:.2f} s to change (at most 1 s)"
    assert after.startswith("Base scenario (uplift 8.5%)"), after
    roi = lambda text: text.rsplit("ROI", 1)[1]  # noqa: E731
    assert roi(after) != roi(before), (before, after)
    time.sleep(0.5)                          # let the other panels settle for the picture
    _screenshot(browser, tmp_path, "after.png")
    page_text = browser.execute_script("return document.body.innerText;")
    assert str(Path(demo_engagement).resolve()) not in page_text

    # Ctrl-C in the terminal: a sentence, no traceback, exit 0, the port released
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    output = log_path.read_text()
    assert "Stopped presenting" in output and "Traceback" not in output, output
    voila_log = Path(re.search(r"Voilà's log in (\S+) until you stop", output).group(1))
    assert not voila_log.parent.exists()                     # a clean stop leaves no temporary folder
    port = int(url.rsplit(":", 1)[1].strip("/"))
    from workbook.cli.present import _listening

    wait_for("the port to be released", lambda: not _listening(port), 10)
