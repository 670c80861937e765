"""A batch worker's kernel grown from a fork of the worker (kernel_seed): the same kernel as a
launched one, for the notebooks; nothing left behind whether it is used or not.

Every fork happens in a child Python started for the test (as a batch worker is), never in
pytest's own process, whose threads a fork must not copy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from workbook.run.kernel_seed import KernelSeed

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="kernel seeds need os.fork (POSIX)")


def _python(script: str, cwd: Path, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(script)], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.is_file() and "\nState:\tZ" in status.read_text())


def test_the_command_accepted_is_this_pythons_ipykernel_alone():
    seed = KernelSeed(pid=-1, pipe=-1)   # never forked: only its command check is used
    python = sys.executable
    assert seed.accepts([python, "-m", "ipykernel_launcher", "-f", "k.json"])
    assert seed.accepts([python, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "k.json"])
    assert not seed.accepts([python, "-X", "importtime", "-m", "ipykernel_launcher", "-f", "k.json"])
    assert not seed.accepts([python, "-m", "other_kernel", "-f", "k.json"])
    assert not seed.accepts(["/usr/bin/env", "python3", "-m", "ipykernel_launcher", "-f", "k.json"])
    seed._pipe = None


@pytest.mark.slow
def test_a_seeded_kernel_runs_notebooks_as_a_launched_one_would(tmp_path):
    """Its process is the seed (no new Python), in its own session. Beside a kernel launched the
    usual way from the same worker: the same folder, environment (set after the fork), module path
    and chart backend; notebooks still start from an empty namespace."""
    kernel_dir = tmp_path / "kernel-cwd"
    kernel_dir.mkdir()
    result = _python(f"""
        import json, os, sys
        import workbook.run.batch_preload
        from workbook.run.kernel_seed import KernelSeed
        from workbook.run.kernel import EngagementKernel, ensure_kernel

        seed = KernelSeed.plant()
        os.environ["SET_AFTER_THE_FORK"] = "yes"
        os.chdir({str(kernel_dir)!r})
        probe = ("import json, os, sys, matplotlib\\n"
                 "print(json.dumps(dict(pid=os.getpid(), session=os.getsid(0), parent=os.getppid(), "
                 "cwd=os.getcwd(), env=os.environ.get('SET_AFTER_THE_FORK'), "
                 "backend=matplotlib.get_backend(), path=sys.path, leaked='leaked' in dir())))\\n"
                 "leaked = 1")

        def runs(seed):
            out = []
            with EngagementKernel(ensure_kernel(), seed=seed) as kernel:
                kernel.warm_up()
                for _ in range(2):
                    km = kernel.for_notebook()
                    client = km.client(); client.start_channels(); client.wait_for_ready(timeout=60)
                    client.execute_interactive(probe, timeout=60, output_hook=lambda m: out.append(
                        m["content"]["text"]) if m["msg_type"] == "stream" else None)
                    client.stop_channels()
            return [json.loads(line) for line in "".join(out).splitlines()]

        print(json.dumps(dict(seed=seed.pid, me=os.getpid(), seeded=runs(seed), launched=runs(None))))
    """, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    (seeded, again), (launched, _) = report["seeded"], report["launched"]
    assert seeded["pid"] == report["seed"] == seeded["session"] and seeded["parent"] == report["me"]
    assert launched["pid"] != report["seed"]
    for key in ("cwd", "env", "backend", "path"):
        assert seeded[key] == launched[key], key
    assert seeded["cwd"] == str(kernel_dir) and seeded["env"] == "yes"
    assert seeded["leaked"] is False and again["pid"] == seeded["pid"] and again["leaked"] is False
    assert not _alive(report["seed"])


@pytest.mark.slow
def test_a_seeded_kernel_exits_when_its_worker_is_killed_and_the_next_run_sweeps_its_files(tmp_path):
    """As a launched kernel does (ipykernel's parent poller), though ipykernel read the parent's
    pid from the environment before the seed had one. The worker, killed outright, could not
    remove the kernel's socket and connection files; the next run's sweep does."""
    import shutil
    import tempfile
    import time

    from workbook.run.kernel import sweep_stale_kernel_files

    scratch = Path(tempfile.mkdtemp(prefix="wbs"))   # short: socket paths must fit in 108 bytes
    result = subprocess.run([sys.executable, "-c", textwrap.dedent("""
        import os, signal, sys, time
        import workbook.run.batch_preload
        from workbook.run.kernel_seed import KernelSeed
        from workbook.run.kernel import EngagementKernel, ensure_kernel

        seed = KernelSeed.plant()
        kernel = EngagementKernel(ensure_kernel(), seed=seed)
        kernel.warm_up()
        km = kernel.for_notebook()
        print(seed.pid, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)], cwd=tmp_path, capture_output=True, text=True, timeout=120, env={**os.environ, "TMPDIR": str(scratch)})
    kernel_pid = int(result.stdout.split()[0])
    deadline = time.monotonic() + 20
    while _alive(kernel_pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(kernel_pid)
    left = sorted(p.name for p in scratch.iterdir())
    assert any(name.endswith(".json") for name in left) and len(left) >= 5, left
    assert sweep_stale_kernel_files(str(scratch)) == len(left)
    assert list(scratch.iterdir()) == []
    shutil.rmtree(scratch, ignore_errors=True)


def test_an_unused_seed_exits_when_closed_or_when_its_worker_ends(tmp_path):
    result = _python("""
        import os
        from workbook.run.kernel_seed import KernelSeed, SeedProcess

        closed = KernelSeed.plant()
        closed.close()
        print(SeedProcess(closed.pid).poll())          # reaped by close: exited, status 0
        left = KernelSeed.plant()
        print(left.pid)                                 # this process ends without closing it
    """, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    closed_status, left_pid = result.stdout.split()
    assert closed_status in ("0", "-1")
    import time

    deadline = time.monotonic() + 10
    while _alive(int(left_pid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(int(left_pid))


def test_a_command_that_is_not_ipykernel_is_run_as_given(tmp_path):
    """A seed never changes what runs: another kernel's command is executed as it stands, with
    the environment and folder of the launch."""
    result = _python(f"""
        import sys
        from workbook.run.kernel_seed import KernelSeed

        seed = KernelSeed.plant()
        process = seed.launch(["/bin/sh", "-c", "echo $GREETING $(pwd) > out.txt; exit 3"],
                              env={{"GREETING": "hello", "PATH": "/usr/bin:/bin"}}, cwd={str(tmp_path)!r})
        print(process.wait(timeout=30))
    """, cwd=Path.cwd())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "3"
    assert (tmp_path / "out.txt").read_text().split() == ["hello", str(tmp_path)]


def test_a_seed_is_not_planted_beside_other_threads(tmp_path):
    result = _python("""
        import threading
        from workbook.run.kernel_seed import KernelSeed

        event = threading.Event()
        thread = threading.Thread(target=event.wait); thread.start()
        print(KernelSeed.plant())
        event.set(); thread.join()
    """, cwd=tmp_path)
    assert result.stdout.strip() == "None", result.stderr


def test_a_fork_the_system_refuses_leaves_the_kernel_to_start_the_usual_way(monkeypatch):
    """No seed (and no pipe left open) when the system will not fork: out of processes or memory."""
    import threading

    def refused():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(os, "fork", refused)
    before = len(os.listdir("/proc/self/fd")) if Path("/proc/self/fd").is_dir() else None
    assert KernelSeed.plant() is None
    if before is not None:
        assert len(os.listdir("/proc/self/fd")) == before


def test_the_sweep_removes_only_what_dead_runners_left(tmp_path):
    import time

    from workbook.run.kernel import sweep_stale_kernel_files

    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True)
    dead, alive = int(finished.stdout), os.getpid()
    names = {
        f"workbook-kernel-{dead}-abc-1": False, f"workbook-kernel-{dead}-abc.json": False,
        f"workbook-kernel-{alive}-def-1": True, f"workbook-kernel-{alive}-def.json": True,
        "workbook-kernel-0123abcd-1": True,          # an earlier version's name, recent: kept
        "workbook-kernel-4567cdef-1": False,         # the same, two days old: removed
        "someone-elses-file-1": True,
    }
    for name in names:
        (tmp_path / name).write_text("")
    old = time.time() - 2 * 86400
    os.utime(tmp_path / "workbook-kernel-4567cdef-1", (old, old))
    assert sweep_stale_kernel_files(str(tmp_path)) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(n for n, kept in names.items() if kept)
