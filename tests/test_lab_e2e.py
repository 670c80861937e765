"""End to end in a real browser: JupyterLab serves the explorer notebook, headless Chromium runs it,
a slider is moved from the keyboard, and the ROI panel's text changes.

Needs Debian's chromium and chromium-driver (`.ci/run` installs them) and the `selenium` test extra;
skips with the reason otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from browser import NEEDS_CHROMIUM, free_port, headless_chromium, wait_for

ROOT = Path(__file__).resolve().parents[1]
JUPYTER = Path(sys.executable).with_name("jupyter")
TOKEN = "workbook-e2e-token"

pytestmark = [
    *NEEDS_CHROMIUM,
    pytest.mark.skipif(not JUPYTER.exists(), reason=f"no jupyter next to {sys.executable}"),
]
selenium = pytest.importorskip("selenium", reason="selenium not installed (pip install -e '.[test]')")




def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())




@pytest.fixture
def lab(demo_engagement, tmp_path):
    """JupyterLab on a free localhost port over a folder holding the notebook and the demo."""
    root = tmp_path / "lab"
    root.mkdir()
    shutil.copy(ROOT / "notebooks" / "what_if_explorer.ipynb", root)
    shutil.copytree(demo_engagement, root / "client_data" / "demo")
    port = free_port()
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "JUPYTER_PREFER_ENV_PATH": "1"}
    log = (tmp_path / "lab.log").open("wb")
    server = subprocess.Popen(
        [str(JUPYTER), "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}",
         "--LabApp.expose_app_in_browser=True", f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
         f"--LabApp.user_settings_dir={tmp_path / 'settings'}",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--LabApp.extension_manager=readonly", "--allow-root"],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:

        def started():
            if server.poll() is not None:
                raise RuntimeError("JupyterLab exited:\n" + (tmp_path / "lab.log").read_text(errors="replace"))
            return _get(f"{base}/api/status?token={TOKEN}")

        wait_for("JupyterLab to start", started, 60, fatal=RuntimeError)
        yield base, tmp_path / "lab.log"
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)
        log.close()


@pytest.fixture
def browser(tmp_path):
    driver = headless_chromium(tmp_path / "chromium-profile", 1400, 1000)
    try:
        yield driver
    finally:
        driver.quit()


def test_moving_a_slider_in_jupyterlab_changes_the_roi(lab, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    base, log = lab
    # the notebook's kernel is the project's Python: python3 resolves to this environment's interpreter
    spec = _get(f"{base}/api/kernelspecs?token={TOKEN}")["kernelspecs"]["python3"]["spec"]
    assert spec["argv"][0] in ("python", "python3", sys.executable), spec["argv"]

    browser.get(f"{base}/lab/tree/what_if_explorer.ipynb?token={TOKEN}")
    wait_for("the notebook to open with an idle kernel", lambda: browser.execute_script(
        "const app = window.jupyterapp; if (!app) return false;"
        "const panel = Array.from(app.shell.widgets('main')).find(w => w.sessionContext);"
        "const kernel = panel && panel.sessionContext.session && panel.sessionContext.session.kernel;"
        "return !!kernel && kernel.status === 'idle';"), 60)

    def focused() -> bool:   # run-all acts on the focused notebook: click into it first
        browser.find_element(By.CSS_SELECTOR, ".jp-NotebookPanel .jp-Cell").click()
        return browser.execute_script("return !!window.jupyterapp.shell.currentWidget;")

    wait_for("the notebook to take focus", focused, 20)
    browser.execute_script("return window.jupyterapp.commands.execute('notebook:run-all-cells');")

    def roi_text() -> str:
        panels = browser.find_elements(By.CSS_SELECTOR, ".wb-roi")
        return panels[0].text if panels else ""

    before = wait_for("the ROI panel", lambda: "first-year benefit" in roi_text() and roi_text(), 60)
    assert before.startswith("Base scenario (uplift 8%)"), before

    handle = browser.find_element(By.CSS_SELECTOR, ".wb-uplift_base .noUi-handle")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus();", handle)
    handle.send_keys(Keys.ARROW_RIGHT)      # one step of half a point: 8% -> 8.5%

    after = wait_for("the ROI panel to change", lambda: roi_text().startswith("Base scenario (uplift 8.5%)")
                  and roi_text(), 30)
    benefit = lambda s: s.split("first-year benefit ", 1)[1].split(", total cost", 1)[0]  # noqa: E731
    assert benefit(after).startswith("$") and benefit(after) != benefit(before)
    wait_for("the status line to list the change", lambda: "Core-performer uplift, base scenario: 8% → 8.5%"
          in browser.find_element(By.CSS_SELECTOR, ".wb-status").text, 20)
