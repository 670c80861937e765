"""`workbook present`: the what-if explorer for a room, served by Voilà on this machine only.

Voilà runs notebooks/present.ipynb in the `workbook` kernel (this environment's Python) and shows its
outputs alone: no code, no JupyterLab. The engagement folder is the one given on the command line:
the command checks it, resolves it and hands it to the notebook in the WORKBOOK_PRESENT_ENGAGEMENT
environment variable of the Voilà server (its kernels inherit it). Nothing in the page's address
chooses a folder, so the browser cannot point the explorer anywhere else.
"""

from __future__ import annotations

import argparse
import html
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from workbook.cli import EXIT_DATA, EXIT_OK, EXIT_USAGE
from workbook.cli.console import safe

ENV_VAR = "WORKBOOK_PRESENT_ENGAGEMENT"
NOTEBOOK = "present.ipynb"
DEFAULT_PORT = 8866          # Voilà's own default
HOST = "127.0.0.1"           # localhost only: never reachable from another machine
START_TIMEOUT = 60.0


def port_number(text: str) -> int:
    """argparse type for --port: a TCP port from 1024 to 65535."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number; give one such as 8866") from None
    if not 1024 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port this command can use; give one from "
                                         "1024 to 65535, such as 8866")
    return value


def present(args: argparse.Namespace) -> int:
    folder = Path(args.engagement_dir).expanduser()
    problem = _check_folder(folder)
    if problem:
        print(f"error: {safe(problem)}", file=sys.stderr)
        return EXIT_DATA
    from workbook.engagement.config import load_engagement

    engagement = load_engagement(folder)      # engagement.yaml must parse: an EngagementError says why
    folder = engagement.folder                # absolute, resolved: the only folder the page will show

    if importlib.util.find_spec("voila") is None:
        print("error: Voilà is not installed in this environment; run `make venv` (or "
              "`.venv/bin/pip install -e .`) and try again.", file=sys.stderr)
        return EXIT_DATA
    from workbook.run.notebooks import notebooks_dir

    notebook = notebooks_dir() / NOTEBOOK
    if not notebook.is_file():
        print(f"error: {safe(notebook)} is missing; restore it from the repository (git checkout -- "
              f"notebooks/{NOTEBOOK}) and try again.", file=sys.stderr)
        return EXIT_DATA

    port = args.port if args.port is not None else (DEFAULT_PORT if _port_free(DEFAULT_PORT) else _any_port())
    if not _port_free(port):
        print(f"error: port {port} is already in use on this machine (another `workbook present`, "
              f"Voilà or Jupyter?); stop that, or choose another port with --port, or leave --port out "
              f"to use a free one.", file=sys.stderr)
        return EXIT_USAGE

    from workbook.run.kernel import ensure_kernel

    try:
        kernel = ensure_kernel()
    except RuntimeError as exc:
        print(f"error: the notebook kernel could not be set up: {safe(exc)}.", file=sys.stderr)
        return EXIT_DATA
    return _serve(notebook, folder, engagement.client, port, kernel, open_browser=not args.no_browser)


def _check_folder(folder: Path) -> str | None:
    if not folder.exists():
        return (f"{folder} does not exist; give the engagement folder, the one holding engagement.yaml "
                "(e.g. workbook present client_data/demo).")
    if not folder.is_dir():
        return (f"{folder} is a file, not a folder; give the engagement folder, the one holding "
                "engagement.yaml (e.g. workbook present client_data/demo).")
    if not (folder / "engagement.yaml").is_file():
        return (f"{folder} has no engagement.yaml, so it is not an engagement folder; give the folder "
                "holding engagement.yaml (e.g. workbook present client_data/demo), or create one with "
                "`workbook new NAME`.")
    return None


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as the server will: TIME_WAIT is fine
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def _any_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


def voila_command(notebook: Path, port: int) -> list[str]:
    """Voilà on `notebook` alone (no file tree), on localhost, sources stripped, no tracebacks, and no
    file served from the notebooks folder (an allowlist that matches nothing)."""
    return [sys.executable, "-m", "voila", str(notebook), "--no-browser", f"--port={port}",
            f"--Voila.ip={HOST}", "--Voila.port_retries=0",
            "--VoilaConfiguration.strip_sources=True", "--VoilaConfiguration.show_tracebacks=False",
            "--VoilaConfiguration.file_allowlist", "(?!)", "--theme=light"]


class _Stop(Exception):
    """SIGTERM or SIGHUP: stop as Ctrl-C does."""


def _serve(notebook: Path, folder: Path, client: str, port: int, kernel: str, open_browser: bool) -> int:
    url = f"http://{HOST}:{port}/"
    logs = Path(tempfile.mkdtemp(prefix="workbook-present-"))
    log_path = logs / "voila.log"
    env = {**os.environ, ENV_VAR: str(folder), "JUPYTER_PREFER_ENV_PATH": "1",
           "PYTHONUNBUFFERED": "1"}
    previous = {}

    def stop(signum, frame):
        raise _Stop()

    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            previous[sig] = signal.signal(sig, stop)
    server = None
    try:
        with log_path.open("wb") as log:
            # its own session: Ctrl-C in this terminal reaches this process, which stops Voilà in order
            server = subprocess.Popen(voila_command(notebook, port), stdout=log, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, env=env, start_new_session=True)
            deadline = time.monotonic() + START_TIMEOUT
            while not _listening(port):
                if server.poll() is not None:
                    return _failed(f"Voilà stopped before it served the explorer (exit {server.returncode})",
                                   log_path, port)
                if time.monotonic() > deadline:
                    return _failed(f"Voilà did not start within {START_TIMEOUT:.0f} s", log_path, port)
                time.sleep(0.1)
            print(f"Presenting {safe(client)} at {url} (this machine only; kernel '{kernel}', Voilà's log in "
                  f"{log_path} until you stop).")
            print("Press Ctrl-C to stop.", flush=True)
            if open_browser:
                _open(url)
            code = server.wait()
            return _failed(f"Voilà stopped by itself (exit {code})", log_path, port)
    except (KeyboardInterrupt, _Stop):
        _terminate(server)
        shutil.rmtree(logs, ignore_errors=True)   # a clean stop: the log has nothing to tell
        print(f"\nStopped presenting: {url} is no longer served.", file=sys.stderr)
        return EXIT_OK
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if server is not None and server.poll() is None:
            _terminate(server)


def _terminate(server: subprocess.Popen | None) -> None:
    """SIGTERM: Voilà stops its loop and shuts its kernels down; killed if it has not within 15 s."""
    if server is None or server.poll() is not None:
        return
    try:
        server.terminate()
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=5)
    except (KeyboardInterrupt, _Stop):   # a second Ctrl-C: do not wait any longer
        server.kill()


def _failed(what: str, log_path: Path, port: int) -> int:
    tail = log_path.read_text(errors="replace").strip().splitlines()[-5:] if log_path.is_file() else []
    if any("already in use" in line for line in tail):
        shutil.rmtree(log_path.parent, ignore_errors=True)
        print(f"error: port {port} was taken just as the explorer started; run the command again, "
              "or choose another port with --port.", file=sys.stderr)
        return EXIT_USAGE
    print(f"error: {what}; its last lines are below and the whole log is in {log_path}. Check that "
          "`workbook validate` passes on the folder, then try again.", file=sys.stderr)
    for line in tail:
        print(f"  {safe(line)}", file=sys.stderr)
    return EXIT_DATA


def _open(url: str) -> None:
    import webbrowser

    try:
        opened = webbrowser.open(url)
    except webbrowser.Error:
        opened = False
    if not opened:
        print(f"No browser could be opened here; open {url} in one.")


# -- in the kernel (notebooks/present.ipynb)

def room_explorer(engagement_dir: str | Path | None = None):
    """The explorer for a room (build_explorer's audience="room": the client's name and as-of date, no
    file paths, developer notes or save controls) on the engagement `workbook present` was given
    (WORKBOOK_PRESENT_ENGAGEMENT); a plain sentence, never a traceback or a path, if it cannot load."""
    import ipywidgets as widgets

    from workbook.errors import WorkbookError
    from workbook.interactive import build_explorer

    folder = engagement_dir or os.environ.get(ENV_VAR)
    if not folder:
        return widgets.HTML("<p>This page is served by <code>workbook present ENGAGEMENT_DIR</code>; "
                            "start it that way.</p>")
    folder = Path(folder)
    try:
        return build_explorer(folder, audience="room")
    except WorkbookError as exc:
        print(f"workbook present: {exc}", file=sys.__stderr__, flush=True)   # to Voilà's log
        return widgets.HTML(f"<p style='font-size:18px'>The engagement '{html.escape(folder.name)}' could not "
                            "be loaded. On the presenter's machine, run <code>workbook validate</code> on "
                            "its folder to see why, fix it, and reload this page.</p>")
