"""The editor's settings, kept in ``settings.json`` beside the recent-projects list (the user's config dir)."""

from __future__ import annotations

import json
from typing import Any

from workbench.atomic import write_text_atomic
from workbench.errors import WorkbenchError
from workbench.tui.recent import recent_file

#: Ask for a second ctrl+o before approving a segment with open glossary violations or QA findings.
CONFIRM_APPROVAL = "confirm_approval"
DEFAULTS: dict[str, Any] = {CONFIRM_APPROVAL: True}


def settings_file() -> Any:
    """``settings.json`` in the config dir (see ``workbench.tui.recent.recent_file``)."""
    return recent_file().with_name("settings.json")


def load_settings() -> dict[str, Any]:
    """The settings, defaults for anything missing or unreadable."""
    try:
        data = json.loads(settings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        data = {}
    out = dict(DEFAULTS)
    if isinstance(data, dict):
        out.update({k: v for k, v in data.items() if k in DEFAULTS and isinstance(v, type(DEFAULTS[k]))})
    return out


def save_setting(key: str, value: Any) -> None:
    """Change one setting (atomic write; an unwritable config dir is ignored: the setting lasts the session)."""
    data = load_settings()
    data[key] = value
    try:
        settings_file().parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(settings_file(), json.dumps(data, indent=1))
    except (OSError, WorkbenchError):
        pass
