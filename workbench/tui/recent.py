"""The list of recently opened projects, kept in a small JSON file in the user's config dir."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from workbench.atomic import writable_target, write_bytes_atomic
from workbench.errors import WorkbenchError
from workbench.guard import Replace, check_output

MAX_RECENT = 12


def recent_file() -> Path:
    """Where the list lives: ``$WORKBENCH_CONFIG_DIR`` or ``$XDG_CONFIG_HOME/workbench`` or ``~/.config/workbench``."""
    base = os.environ.get("WORKBENCH_CONFIG_DIR")
    if base:
        return Path(base) / "recent.json"
    xdg = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(xdg) / "workbench" / "recent.json"


#: A recent list is a dozen paths: a larger file there is not ours and is not read.
MAX_RECENT_BYTES = 1 << 20


def _read_list(path: Path) -> list[str] | None:
    """The list of paths in ``path``, or None when it is not a list of ours: missing, not a regular file (a
    link to ``/dev/zero`` or a FIFO is never read), over :data:`MAX_RECENT_BYTES`, or not a JSON list of
    strings."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_RECENT_BYTES:
            return None
        data = json.loads(os.read(fd, MAX_RECENT_BYTES + 1).decode("utf-8"))
    except (OSError, ValueError, RecursionError):  # a list nested thousands deep is none of ours
        return None
    finally:
        os.close(fd)
    if not isinstance(data, list) or not all(isinstance(p, str) for p in data):
        return None
    return data


def load_recent() -> list[str]:
    """Recent project paths, newest first, that still exist; an unreadable file counts as empty."""
    return [p for p in _read_list(recent_file()) or [] if Path(p).exists()]


def remember(path: str | os.PathLike[str]) -> None:
    """Put ``path`` at the top of the recent list (atomic write; errors are ignored)."""
    entry = str(Path(path).resolve())
    items = [entry] + [p for p in load_recent() if p != entry]
    target = recent_file()
    data = json.dumps(items[:MAX_RECENT], ensure_ascii=False, indent=1).encode("utf-8")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Through the output guard: never over a protected file (a link to the project, a source), and
        # over an existing file only when it is a recent list of ours.
        check_output(target, writable_target(target), ours=_read_list(target) is not None)
        write_bytes_atomic(target, data, replace=Replace.CONSENTED)
    except (OSError, WorkbenchError):
        pass  # the list is a convenience: a refused or failed write leaves the old one
