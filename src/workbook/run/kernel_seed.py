"""A kernel grown from a fork of a batch worker, which already imported what a kernel needs.

Each engagement of a batch runs in a worker forked from a server that imported the analysis stack
once (see batch_preload). A kernel started the usual way is a new Python that imports all of it
again: about one CPU-second of a demo engagement's ~5 (measured: the kernel's share went from
~3.3 to ~2.3 CPU-seconds). So the worker, while it is still single-threaded, forks a *seed*: a
copy of itself that waits for the kernel's launch command. When the engagement's kernel starts,
the seed receives the command, environment and folder `jupyter_client` would have given a new
process, and becomes that kernel (ipykernel's own application, on the connection file it was
given), in a new session as a launched kernel is.

Isolation is unchanged: one seed per worker, one worker per engagement; the seed is used once
(a second kernel of the same run starts the usual way), and an unused seed exits as soon as its
worker closes the pipe or ends. A launch command other than this Python's ipykernel is run as
given (exec), so a seed never changes what runs, only what is paid for.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

_LAUNCHER = ("-m", "ipykernel_launcher")
# interpreter options a seed can do without: ipykernel's spec asks for frozen_modules=off only so
# that a debugger may step into the standard library
_IGNORABLE = ("-Xfrozen_modules=off",)
_INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


class KernelSeed:
    """A forked copy of this process waiting to become a kernel (see the module's docstring)."""

    def __init__(self, pid: int, pipe: int):
        self.pid = pid
        self._pipe: int | None = pipe

    @classmethod
    def plant(cls) -> KernelSeed | None:
        """Fork a seed now; None where that is not safe (no fork on this OS, or other threads
        running: a fork copies only the calling thread, and any lock another one held)."""
        if not hasattr(os, "fork") or threading.active_count() != 1:
            return None
        try:
            read_end, write_end = os.pipe()
        except OSError:   # out of file descriptors: the kernel starts the usual way
            return None
        try:
            pid = os.fork()
        except OSError:   # out of processes or memory: likewise
            os.close(read_end)
            os.close(write_end)
            return None
        if pid == 0:   # the seed
            os.close(write_end)
            _grow(read_end)   # never returns
        os.close(read_end)
        return cls(pid, write_end)

    @property
    def available(self) -> bool:
        return self._pipe is not None

    def accepts(self, cmd: list[str]) -> bool:
        """`cmd` starts ipykernel on this very Python (what the runner's kernelspec says)."""
        if not self.available or _kernel_args(cmd) is None:
            return False
        try:
            return Path(cmd[0]).resolve() == Path(sys.executable).resolve()
        except OSError:
            return False

    def launch(self, cmd: list[str], env: dict[str, str], cwd: str | os.PathLike | None) -> SeedProcess:
        """Hand the seed its kernel's command; the seed is used up."""
        if not self.available:
            raise RuntimeError("this kernel seed has been used")
        env = dict(env)
        env.setdefault("JPY_PARENT_PID", str(os.getpid()))   # as jupyter_client's launcher sets it
        # no folder given: the launching process's own, as a new process would inherit it
        request = json.dumps({"argv": list(cmd), "env": env, "cwd": str(cwd) if cwd else os.getcwd()})
        pipe, self._pipe = self._pipe, None
        try:
            with os.fdopen(pipe, "w", encoding="utf-8") as stream:
                stream.write(request)
        except OSError as exc:   # the seed is gone (killed): the caller starts a kernel the usual way
            raise RuntimeError(f"the kernel seed did not take its launch command: {exc}") from exc
        return SeedProcess(self.pid)

    def close(self) -> None:
        """An unused seed exits (end of file on its pipe); reaped here when it has."""
        if self._pipe is not None:
            pipe, self._pipe = self._pipe, None
            os.close(pipe)
            SeedProcess(self.pid).wait(timeout=5, quiet=True)


class SeedProcess:
    """The kernel a seed became, with the part of subprocess.Popen's interface that
    jupyter_client's LocalProvisioner uses (poll, wait, send_signal, kill, terminate, pid)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:   # reaped elsewhere: gone all the same
                self.returncode = -1
            else:
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None, quiet: bool = False) -> int | None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                if quiet:
                    return None
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def seeded_provisioner_class():
    """jupyter_client's local provisioner, launching its kernel from a seed when it has one."""
    from jupyter_client.provisioning import LocalProvisioner

    class SeededProvisioner(LocalProvisioner):
        seed: KernelSeed | None = None

        async def launch_kernel(self, cmd, **kwargs):
            seed, self.seed = self.seed, None
            if seed is not None and seed.accepts(cmd):
                try:
                    self.process = seed.launch(cmd, kwargs.get("env") or dict(os.environ), kwargs.get("cwd"))
                except RuntimeError:   # the seed is gone: the kernel is launched the usual way
                    pass
                else:
                    self.pid = self.process.pid
                    self.pgid = self.pid   # the seed leads its own session, as a launched kernel does
                    self.cwd = kwargs.get("cwd", Path.cwd())
                    return self.connection_info
            if seed is not None:
                seed.close()   # unused (another command): it exits
            return await super().launch_kernel(cmd, **kwargs)

    return SeededProvisioner


def sow(km, seed: KernelSeed | None) -> None:
    """Have kernel manager `km` start its (next) kernel from `seed`."""
    if seed is None or not seed.available or km.provisioner is not None:
        return
    import uuid

    km.kernel_id = km.kernel_id or str(uuid.uuid4())
    provisioner = seeded_provisioner_class()(kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km)
    provisioner.seed = seed
    km.provisioner = provisioner


def _grow(pipe: int) -> None:
    """The seed's life: wait for a launch command, become that kernel, exit with its status."""
    import atexit

    code = 1
    try:
        os.setsid()
        atexit._clear()   # the worker's exit handlers are the worker's, not the kernel's
        request = _read_all(pipe)
        if not request:   # the worker closed the pipe unused, or ended
            os._exit(0)
        launch = json.loads(request)
        if launch.get("cwd"):
            os.chdir(launch["cwd"])
        os.environ.clear()
        os.environ.update(launch["env"])
        argv = launch["argv"]
        args = _kernel_args(argv)
        if args is None:
            os.execvpe(argv[0], argv, os.environ)
        code = _run_kernel(args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:   # noqa: BLE001 - a seed must never return into the worker's code
        import traceback

        traceback.print_exc()
    finally:
        try:
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _kernel_args(cmd: list[str]) -> list[str] | None:
    """The arguments after `<python> [ignorable options] -m ipykernel_launcher`; None when `cmd` is
    something else."""
    rest = list(cmd[1:])
    while rest and rest[0] in _IGNORABLE:
        rest.pop(0)
    if tuple(rest[:2]) != _LAUNCHER:
        return None
    return rest[2:]


def _read_all(pipe: int) -> bytes:
    chunks = []
    while True:
        chunk = os.read(pipe, 1 << 16)
        if not chunk:
            os.close(pipe)
            return b"".join(chunks)
        chunks.append(chunk)


def _run_kernel(args: list[str]) -> int:
    """What `python -m ipykernel_launcher <args>` does, in this process that has its imports."""
    if sys.path and not sys.flags.safe_path:
        del sys.path[0]   # the worker's script folder; the kernel puts its own folder back
    # ipykernel makes the inline backend matplotlib's default through MPLBACKEND, which matplotlib
    # reads when it is imported; here it was imported before, so it is told directly
    os.environ.setdefault("MPLBACKEND", _INLINE_BACKEND)
    if "matplotlib" in sys.modules:
        sys.modules["matplotlib"].rcParams["backend"] = os.environ["MPLBACKEND"]
    from ipykernel.kernelapp import IPKernelApp

    parent = os.environ.get("JPY_PARENT_PID", "")
    # ipykernel reads JPY_PARENT_PID when it is imported (here: before the seed had an environment),
    # and it is what makes a kernel exit when its runner dies
    extra = [f"--IPKernelApp.parent_handle={int(parent)}"] if parent.isdigit() else []
    IPKernelApp.launch_instance(argv=[*args, *extra])
    return 0
