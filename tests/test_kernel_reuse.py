"""One kernel per engagement run, but every notebook starts from an empty namespace."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from workbook.run.kernel import EngagementKernel, ensure_kernel

pytestmark = pytest.mark.slow


def _run(km, code: str) -> str:
    client = km.client()
    client.start_channels()
    out: list[str] = []
    try:
        client.wait_for_ready(timeout=60)
        client.execute_interactive(code, timeout=60, output_hook=lambda msg: out.append(
            msg["content"].get("text", "")) if msg["msg_type"] == "stream" else None)
    finally:
        client.stop_channels()
    return "".join(out)


def test_a_reused_kernel_forgets_the_previous_notebook():
    with EngagementKernel(ensure_kernel()) as kernel:
        kernel.warm_up()
        km = kernel.for_notebook()
        assert km.is_alive()
        _run(km, "leaked = 42")
        assert _run(km, "print('leaked' in dir())").strip() == "True"
        km = kernel.for_notebook()                      # the next notebook: reset on the same kernel
        assert _run(km, "print('leaked' in dir())").strip() == "False"
        assert _run(km, "import pandas; print(pandas.__name__)").strip() == "pandas"   # imports stay warm


def test_the_reset_releases_cached_outputs_and_leaves_garbage_collection_working():
    """The reset skips %reset's full collection, but still drops every name and cached output
    (Out, _1...) and puts gc.collect back as it was."""
    with EngagementKernel(ensure_kernel()) as kernel:
        kernel.warm_up()
        km = kernel.for_notebook()
        _run(km, "table = list(range(1000))\ntable")     # a last expression: cached in Out
        assert _run(km, "print(len(Out) > 0)").strip() == "True"
        km = kernel.for_notebook()
        checks = "import gc; print(len(Out), 'table' in dir(), gc.collect.__module__)"
        assert _run(km, checks).strip() == "0 False gc"


def test_a_client_waits_out_a_busy_kernel_and_then_sees_all_its_output():
    """The shared kernel's clients check readiness by probing: a kernel busy for longer than a
    probe's second answers the earlier probes late, and the client must read on to the latest
    answer (not stay one answer behind until its deadline), then lose none of a cell's output."""
    import time

    from workbook.run.kernel import sync_kernel_manager_class

    km = sync_kernel_manager_class()(kernel_name=ensure_kernel())
    km.start_kernel()
    try:
        busy = km.client()
        busy.start_channels()
        busy.wait_for_ready(timeout=60)
        busy.execute("import time; time.sleep(2.5)")   # the kernel is busy while the next client probes
        client = km.client()
        client.start_channels()
        started = time.monotonic()
        client.wait_for_ready(timeout=30)
        assert time.monotonic() - started < 20, "the client stayed behind the kernel's answers"
        out: list[str] = []
        client.execute_interactive("for i in range(3): print(i)", timeout=30, output_hook=lambda msg: out.append(
            msg["content"].get("text", "")) if msg["msg_type"] == "stream" else None)
        assert "".join(out).split() == ["0", "1", "2"]
        client.stop_channels()
        busy.stop_channels()
    finally:
        km.shutdown_kernel(now=True)


@pytest.fixture
def scratch(monkeypatch):
    """A temporary folder of its own (short: a socket path may not pass ~100 characters)."""
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="wbt", dir="/tmp" if sys.platform != "win32" else None)
    monkeypatch.setattr(tempfile, "tempdir", folder)
    yield Path(folder)
    shutil.rmtree(folder, ignore_errors=True)


def test_a_kernel_leaves_no_socket_file_behind_even_when_stopped_while_starting(scratch):
    kernel = EngagementKernel(ensure_kernel())
    kernel.warm_up()
    kernel.shutdown()                      # at once: the kernel may still be binding its sockets
    assert sorted(p.name for p in scratch.iterdir()) == []
    with EngagementKernel(ensure_kernel()) as kernel:
        kernel.warm_up()
        km = kernel.for_notebook()
        assert _run(km, "print(1)").strip() == "1"
        files = sorted(p.name for p in scratch.glob(f"workbook-kernel-{os.getpid()}-*"))
        assert len([f for f in files if not f.endswith(".json")]) == 5   # shell, iopub, stdin, control, hb
        assert len([f for f in files if f.endswith(".json")]) == 1       # and the connection file
        km.shutdown_kernel = lambda **kwargs: (_ for _ in ()).throw(RuntimeError("interrupted"))
    assert sorted(p.name for p in scratch.iterdir()) == []             # its shutdown failed: removed anyway


def test_a_warm_up_that_fails_stops_its_kernel_manager_from_its_own_thread(scratch, monkeypatch):
    """The warm-up is best effort: when the kernel cannot start, the warm-up thread shuts the
    manager down itself (it must not wait for its own thread), and leaves nothing behind."""
    import threading

    errors = []
    monkeypatch.setattr(threading, "excepthook", lambda args: errors.append(args.exc_value))
    kernel = EngagementKernel("no-such-kernel-here")
    kernel.warm_up()
    kernel._warming.join(timeout=60)
    assert errors == [] and kernel.km is None
    assert sorted(p.name for p in scratch.iterdir()) == []
