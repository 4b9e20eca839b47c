"""A local Ray instance dies with the driver that started it, even under ``kill -9``.

Ray ties its head processes (GCS, raylet) to the driver, but processes the raylet starts (its dashboard
and runtime-env agents) outlive a killed driver. So before the driver starts a local instance it marks
its environment with an owner token (every process Ray starts inherits it) and starts a watchdog: a small
process in its own session that holds a pipe from the driver and keeps a list of the driver's descendants
(the agents rewrite their command line over their environment, so the token alone cannot find them). When
the pipe closes (the driver exited or was killed) the watchdog ends every process it listed that is still
there, every process carrying the token, and their descendants. The instance also keeps its files in a
folder of its own (:func:`instance_dir`, Ray's temp dir): every process of it, the agents whose environment
cannot be read included, holds files there, so a process holding files in the folder of a driver that is
gone is one of its leftovers. As a second net, each run that starts a local instance first ends the
leftovers of drivers that are gone (a watchdog killed too), by token and by folder, and removes the folders.

This module does not import Ray; it uses psutil.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psutil

#: The environment variable naming the driver that owns a local Ray instance (``PID-RANDOM``).
OWNER_VAR = "WORKBENCH_RAY_OWNER"
#: Prefix of the folder of a local instance, under the system's temporary folder.
DIR_PREFIX = "wbray-"


def instance_dir(token: str) -> Path:
    """The folder of the local instance owned by ``token`` (Ray's ``_temp_dir``: logs, sockets, sessions)."""
    return Path(tempfile.gettempdir()) / f"{DIR_PREFIX}{token}"


def holding(folder: Path, driver: int | None = None) -> list[psutil.Process]:
    """Live processes with an open file under ``folder`` (this one, the instance's ``driver`` and watchdogs
    excluded)."""
    prefix = str(folder) + os.sep
    skip = {os.getpid(), driver}
    found = []
    for proc in psutil.process_iter():
        if proc.pid in skip:
            continue
        with contextlib.suppress(psutil.Error, OSError):
            paths = [f.path for f in proc.open_files()]
            if not any(p.startswith(prefix) for p in paths):
                continue
            if proc.status() != psutil.STATUS_ZOMBIE and "workbench.jobs.executors.reaper" not in " ".join(
                proc.cmdline()
            ):
                found.append(proc)
    return found


def _driver_gone(token: str) -> bool:
    pid = token.split("-", 1)[0]
    return pid.isdigit() and not _alive(int(pid))


def _owner(proc: psutil.Process) -> str | None:
    try:
        owner: str | None = proc.environ().get(OWNER_VAR)
        return owner
    except (psutil.Error, OSError):
        return None


def _alive(pid: int) -> bool:
    try:
        return bool(psutil.Process(pid).status() != psutil.STATUS_ZOMBIE)
    except psutil.Error:
        return False


def marked_processes(token: str | None = None) -> list[psutil.Process]:
    """Live processes carrying ``token`` (any token when None), this one and its watchdog excluded."""
    me = os.getpid()
    found = []
    for proc in psutil.process_iter():
        if proc.pid == me:
            continue
        owner = _owner(proc)
        if owner is None or (token is not None and owner != token):
            continue
        with contextlib.suppress(psutil.Error):
            if proc.status() != psutil.STATUS_ZOMBIE and "workbench.jobs.executors.reaper" not in " ".join(
                proc.cmdline()
            ):
                found.append(proc)
    return found


def end_processes(procs: list[psutil.Process], grace: float = 3.0) -> None:
    """SIGTERM, then SIGKILL what is still there after ``grace`` seconds."""
    for p in procs:
        with contextlib.suppress(psutil.Error):
            p.terminate()
    _gone, alive = psutil.wait_procs(procs, timeout=grace)
    for p in alive:
        with contextlib.suppress(psutil.Error):
            p.kill()
    psutil.wait_procs(alive, timeout=grace)


def end_orphans() -> int:
    """End the leftovers of local instances whose driver is gone (marked processes, processes holding
    files in the instance's folder, their descendants) and remove those folders; returns how many ended."""
    orphans = [proc for proc in marked_processes() if _driver_gone(_owner(proc) or "")]
    folders = [
        d
        for d in Path(tempfile.gettempdir()).glob(f"{DIR_PREFIX}*")
        if _driver_gone(d.name[len(DIR_PREFIX) :])
    ]
    for folder in folders:
        orphans += holding(folder)
    orphans = with_descendants(orphans)
    if orphans:
        end_processes(orphans)
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    return len(orphans)


def guard_local_instance() -> subprocess.Popen[bytes]:
    """Mark this process's environment and start the watchdog (call before ``ray.init`` starts Ray).

    Returns:
        The watchdog; it ends the marked processes (and those holding files in :func:`instance_dir` of
        the token, the instance's ``_temp_dir``) when this process ends (its pipe is inherited by nobody
        else). Calling :func:`release` ends it early, after ``ray.shutdown``.
    """
    token = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    os.environ[OWNER_VAR] = token
    return subprocess.Popen(
        [sys.executable, "-m", "workbench.jobs.executors.reaper", token],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # a Ctrl-C to the terminal's process group does not reach it
        close_fds=True,
    )


def release(watchdog: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    """Close the watchdog's pipe (it ends what is left of the instance) and wait for it."""
    if watchdog.stdin is not None:
        with contextlib.suppress(OSError):
            watchdog.stdin.close()
    with contextlib.suppress(subprocess.TimeoutExpired):
        watchdog.wait(timeout=timeout)
    os.environ.pop(OWNER_VAR, None)


def with_descendants(procs: list[psutil.Process]) -> list[psutil.Process]:
    """``procs`` and every live descendant of theirs, each once (this process left out)."""
    found: dict[int, psutil.Process] = {}
    for p in procs:
        with contextlib.suppress(psutil.Error):
            for q in [p, *p.children(recursive=True)]:
                found.setdefault(q.pid, q)
    found.pop(os.getpid(), None)
    return list(found.values())


def _watch(token: str, every: float = 0.5) -> None:
    """List the driver's descendants until its pipe closes, then end them and every marked process."""
    import select

    driver_pid = int(token.split("-", 1)[0])
    driver = psutil.Process(driver_pid)
    seen: dict[int, psutil.Process] = {}
    stdin = sys.stdin.buffer
    while True:
        with contextlib.suppress(psutil.Error):
            for p in driver.children(recursive=True):
                seen.setdefault(p.pid, p)
        ready, _, _ = select.select([stdin], [], [], every)
        if ready and not os.read(stdin.fileno(), 1 << 16):
            break
    time.sleep(0.2)
    listed = [
        p for p in seen.values() if p.pid != os.getpid() and p.is_running()
    ]  # is_running: not a reused pid
    folder = instance_dir(token)
    # The driver itself is never ended: after ``release`` it is still running (and keeps its Ray logs open).
    end_processes(with_descendants([*listed, *marked_processes(token), *holding(folder, driver_pid)]))
    # A process the raylet started while it was being ended: one more round, then the folder goes.
    time.sleep(0.5)
    end_processes(with_descendants([*marked_processes(token), *holding(folder, driver_pid)]))
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    _watch(sys.argv[1])
