"""The Jupyter kernel notebooks run in: always this environment's Python.

A machine may have several kernelspecs called "python3" pointing at other
Pythons; papermill would happily use any of them. The runner uses a
kernelspec named "workbook" installed in this environment's prefix and
checked to launch this very interpreter.
"""

from __future__ import annotations

import glob
import os
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from workbook.run.locking import pid_alive

KERNEL_NAME = "workbook"


def ensure_kernel() -> str:
    """Return the kernel name, (re)installing its spec when it is missing or points elsewhere."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    manager = KernelSpecManager()
    try:
        spec = manager.get_kernel_spec(KERNEL_NAME)
        if _same_python(spec.argv[0]):
            return KERNEL_NAME
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    install(kernel_name=KERNEL_NAME, display_name="Python (workbook)", prefix=sys.prefix)
    spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    if not _same_python(spec.argv[0]):
        raise RuntimeError(f"kernelspec '{KERNEL_NAME}' resolves to {spec.argv[0]}, not {sys.executable}; "
                           f"remove the other spec (jupyter kernelspec remove {KERNEL_NAME})")
    return KERNEL_NAME


def _same_python(argv0: str) -> bool:
    if argv0 in ("python", "python3", "{python}"):
        return False
    try:
        return Path(argv0).resolve() == Path(sys.executable).resolve() or Path(argv0) == Path(sys.executable)
    except OSError:
        return False


KERNEL_FILE_PREFIX = "workbook-kernel-"


def _ipc_manager(base):
    """`base` talking over local IPC sockets where the OS has them (no open TCP ports, and no
    'running over TCP without encryption' warning); `base` itself (TCP) on Windows.

    Its files (the socket files and the connection file) are named
    workbook-kernel-<pid of the runner>-<random>: a runner killed outright cannot remove them, and
    the next run's sweep (sweep_stale_kernel_files) knows them for a dead runner's."""
    if os.name != "posix":
        return base

    class IPCKernelManager(base):
        def __init__(self, **kwargs):
            # IPC socket paths are <ip>-<n> with n counting from 1: a unique prefix per kernel keeps
            # concurrent runs (a batch) from binding each other's sockets. Short: a socket's path
            # must fit in 104 bytes (macOS; 108 on Linux), and macOS's temporary folder takes ~49.
            prefix = os.path.join(tempfile.gettempdir(), f"{KERNEL_FILE_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:12]}")
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", prefix)
            kwargs.setdefault("connection_file", prefix + ".json")
            super().__init__(**kwargs)

        def cleanup_ipc_files(self) -> None:
            """Every socket file of this kernel, whatever became of its ports (jupyter_client
            removes those it recorded; a kernel stopped while starting, or an interrupted
            shutdown, left the rest in the temporary folder for good)."""
            super().cleanup_ipc_files()
            remove_ipc_files(self.ip)

    return IPCKernelManager


def remove_ipc_files(prefix: str) -> None:
    """Remove the socket files <prefix>-<n> a kernel on IPC transport binds."""
    for path in glob.glob(glob.escape(prefix) + "-*"):
        try:
            os.remove(path)
        except OSError:
            pass


def sweep_stale_kernel_files(folder: str | None = None, legacy_age: float = 86400.0) -> int:
    """Remove the kernel files runners that no longer exist left in the temporary folder (a run
    or batch worker killed outright); returns how many. A file whose runner's pid is alive is
    kept (a concurrent run), as is anything this user may not remove. Files named before runner
    pids were part of the name (workbook-kernel-<random>-<n>) go once a day old."""
    folder = folder or tempfile.gettempdir()
    removed = 0
    try:
        names = [n for n in os.listdir(folder) if n.startswith(KERNEL_FILE_PREFIX)]
    except OSError:
        return 0
    now = time.time()
    for name in names:
        owner = name[len(KERNEL_FILE_PREFIX):].split("-", 1)[0]
        path = os.path.join(folder, name)
        try:
            if owner.isdigit():
                if pid_alive(int(owner)):
                    continue
            elif now - os.lstat(path).st_mtime < legacy_age:
                continue
            os.remove(path)
            removed += 1
        except OSError:
            pass
    return removed


def kernel_manager_class():
    """For a kernel papermill starts and stops itself (one notebook)."""
    from jupyter_client.manager import AsyncKernelManager

    return _ipc_manager(AsyncKernelManager)


class EngagementKernel:
    """One kernel for one engagement run: imports and caches are paid once, not per notebook.

    Each notebook still starts from an empty namespace (RESET between notebooks), and a
    kernel never outlives its engagement run, so one engagement's state cannot reach another's.
    `fresh=True` starts a new kernel for every notebook instead (strict isolation, slower).
    `seed` (a batch worker's KernelSeed) starts the first kernel without importing anew.
    """

    WARM_UP = ("import pandas, matplotlib, matplotlib.pyplot as plt\n"
               "import workbook.pipeline, workbook.pipeline.display\n"
               "get_ipython().run_line_magic('matplotlib', 'inline')\n"
               "_f = plt.figure(); _f.canvas.draw(); plt.close(_f)\n"      # fonts and renderer
               "pandas.DataFrame({'a': [1]}).style.to_html()\n")           # table templates

    # `%reset -f` without its full garbage collection (~0.15 s a notebook on the demo, the names
    # and cached outputs are released all the same; Python's own collector frees any cycles later)
    RESET = ("def _workbook_reset(ip=get_ipython(), gc=__import__('gc')):\n"
             "    collect = gc.collect\n"
             "    gc.collect = lambda *args, **kwargs: 0\n"
             "    try:\n"
             "        ip.reset(new_session=False)\n"
             "    finally:\n"
             "        gc.collect = collect\n"
             "_workbook_reset()\n")

    def __init__(self, kernel_name: str, fresh: bool = False, seed=None):
        self.kernel_name = kernel_name
        self.fresh = fresh
        self.seed = seed
        self.km = None
        self.used = False
        self._warming = None

    def warm_up(self) -> None:
        """Start the kernel and import the analysis stack in the background, while the runner
        validates the data; the first notebook then starts warm. Best effort: on any problem the
        first notebook simply starts its own kernel."""
        if self.fresh or self.km is not None:
            return
        self.km = sync_kernel_manager_class()(kernel_name=self.kernel_name)
        if self.seed is not None:
            from workbook.run.kernel_seed import sow

            sow(self.km, self.seed)
            self.seed = None

        def warm() -> None:
            try:
                self.km.start_kernel()
                client = self.km.client()
                client.start_channels()
                try:
                    client.wait_for_ready(timeout=60)
                    client.execute_interactive(self.WARM_UP, timeout=120, store_history=False,
                                               output_hook=lambda msg: None)
                finally:
                    client.stop_channels()
                self.used = True   # reset the namespace before the first notebook
            except Exception:
                self.shutdown()

        self._warming = threading.Thread(target=warm, name="kernel-warm-up", daemon=True)
        self._warming.start()

    def _wait_for_warm_up(self) -> None:
        if self._warming is not None:
            self._warming.join(timeout=180)
            self._warming = None

    def for_notebook(self):
        """The kernel manager to run the next notebook on (None: papermill starts its own)."""
        if self.fresh:
            return None
        self._wait_for_warm_up()
        if self.km is not None and self.used:
            if self.km.is_alive():
                self._reset()
            else:
                self.shutdown()
        if self.km is None:
            self.km = sync_kernel_manager_class()(kernel_name=self.kernel_name)
            self.used = False
        self.used = True
        return self.km

    def discard(self) -> None:
        """After a failure to start: the next notebook gets a new kernel."""
        self.shutdown()

    def _reset(self) -> None:
        """An empty namespace for the next notebook: RESET on the shell channel alone. The kernel
        has just answered the previous notebook, so no readiness handshake (and no output channel,
        whose subscription jupyter_client waits for) is needed: ~0.05 s instead of ~0.4 s."""
        client = self.km.client()
        client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        try:
            msg_id = client.execute(self.RESET, silent=True, store_history=False, allow_stdin=False)
            deadline = time.monotonic() + 60
            while True:
                reply = client.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
                if reply.get("parent_header", {}).get("msg_id") == msg_id:
                    break
            if reply["content"].get("status") != "ok":
                raise RuntimeError(f"resetting the kernel failed: {reply['content'].get('evalue', '')}")
        finally:
            client.stop_channels()

    def shutdown(self) -> None:
        warming = self._warming
        if warming is not None and warming.is_alive() and warming is not threading.current_thread():
            warming.join(timeout=180)
        if self.km is not None:
            km, self.km = self.km, None
            try:
                if km.has_kernel:
                    km.shutdown_kernel(now=True)   # ends with km.cleanup_resources()
                else:
                    km.cleanup_resources()
            except Exception:
                # stopped half-way: its socket and connection files, control socket and zmq context
                # all the same (a context left open blocks the process's exit on its sockets)
                try:
                    km.cleanup_resources()
                except Exception:
                    pass

    def __enter__(self) -> EngagementKernel:
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()


def sync_kernel_manager_class():
    """For a kernel the runner itself starts, resets between notebooks and stops; its clients
    (papermill's, one per notebook) are ready in milliseconds (see ready_client_class)."""
    from jupyter_client.manager import KernelManager

    class SharedKernelManager(_ipc_manager(KernelManager)):
        def __init__(self, **kwargs):
            kwargs.setdefault("client_factory", ready_client_class())
            super().__init__(**kwargs)

    return SharedKernelManager


def ready_client_class():
    """A blocking kernel client whose readiness check ends when the kernel's answer to it has
    arrived on both channels. jupyter_client's waits for 0.2 s of silence on the output channel,
    and 0.2 s more when the first probe's output is missed because the subscription is not yet in
    place: ~0.3 s per notebook, on a kernel that answered the previous notebook moments ago."""
    from queue import Empty

    from jupyter_client.blocking.client import BlockingKernelClient

    class ReadyClient(BlockingKernelClient):
        def wait_for_ready(self, timeout: float | None = None) -> None:
            limit = 60.0 if timeout is None else float(timeout)
            deadline = time.monotonic() + limit
            probe = self.kernel_info()
            while True:
                try:
                    reply = self.get_shell_msg(timeout=1)
                except Empty:   # no answer within a second (a kernel still starting): ask again
                    if not self.is_alive():
                        raise RuntimeError("Kernel died before replying to kernel_info") from None
                    probe = self.kernel_info()
                else:
                    if _answers(reply, probe, "kernel_info_reply"):
                        if self._output_received(probe):
                            self._handle_kernel_info_reply(reply)
                            return
                        probe = self.kernel_info()   # output not subscribed yet: ask again
                    # else the answer to an earlier probe, or another client's (below): read on
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {limit:.0f} seconds")

        def _output_received(self, probe: str) -> bool:
            """Read the output channel up to the kernel's 'idle' after `probe` (everything before
            it drained with it); False when nothing arrives: the subscription is not in place yet,
            and the probe's output was lost, so another probe is sent."""
            wait = 0.05
            while True:
                try:
                    msg = self.get_iopub_msg(timeout=wait)
                except Empty:
                    return False
                wait = 1.0   # subscribed: the rest of the probe's output follows at once
                if _answers(msg, probe, "status") and msg["content"].get("execution_state") == "idle" \
                        and msg.get("parent_header", {}).get("msg_type") == "kernel_info_request":
                    return True

    return ReadyClient


def _answers(msg: dict, probe: str, msg_type: str) -> bool:
    """`msg` is the kernel's `msg_type` message for the request `probe`. The type matters as much
    as the id: every client of a kernel manager shares its session's id but counts its messages from
    0, and the kernel hands another client's late reply to the newest client on the same session
    (a busy kernel's execute_reply to '<session>_1' reached a client whose probe was '<session>_1')."""
    return msg.get("msg_type") == msg_type and msg.get("parent_header", {}).get("msg_id") == probe
