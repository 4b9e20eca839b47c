"""The list of recently opened projects, kept in a small JSON file in the user's config dir."""

from __future__ import annotations

import json
import os
from pathlib import Path

MAX_RECENT = 12


def recent_file() -> Path:
    """Where the list lives: ``$WORKBENCH_CONFIG_DIR`` or ``$XDG_CONFIG_HOME/workbench`` or ``~/.config/workbench``."""
    base = os.environ.get("WORKBENCH_CONFIG_DIR")
    if base:
        return Path(base) / "recent.json"
    xdg = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(xdg) / "workbench" / "recent.json"


def load_recent() -> list[str]:
    """Recent project paths, newest first, that still exist; an unreadable file counts as empty."""
    try:
        data = json.loads(recent_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, list):
        return []
    return [p for p in data if isinstance(p, str) and Path(p).exists()]


def remember(path: str | os.PathLike[str]) -> None:
    """Put ``path`` at the top of the recent list (atomic write; errors are ignored)."""
    entry = str(Path(path).resolve())
    items = [entry] + [p for p in load_recent() if p != entry]
    target = recent_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(items[:MAX_RECENT], ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass
