"""The user's settings: who they are (for the project history and the review round trip) and their own
word list for the spell check. Neutral: every layer may read them.

``$WORKBENCH_CONFIG_DIR`` (else ``$XDG_CONFIG_HOME/workbench``, else ``~/.config/workbench``) holds
``settings.toml`` (``name = "Li Hua"``) and ``words.txt`` (one word a line). ``$WORKBENCH_NAME`` overrides the
name; without either, the login name is used.
"""

from __future__ import annotations

import getpass
import os
import tomllib
from pathlib import Path

from workbench.atomic import write_text_atomic


def config_dir() -> Path:
    """The folder of the user's workbench settings."""
    base = os.environ.get("WORKBENCH_CONFIG_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(xdg) / "workbench"


def user_name() -> str:
    """The name recorded with a person's changes: ``$WORKBENCH_NAME``, ``name`` in settings.toml, the login."""
    name = os.environ.get("WORKBENCH_NAME", "").strip()
    if name:
        return name
    path = config_dir() / "settings.toml"
    try:
        value = tomllib.loads(path.read_text(encoding="utf-8")).get("name", "")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        value = ""
    if isinstance(value, str) and value.strip():
        return value.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


def word_list_path() -> Path:
    """The user's own spelling word list (``words.txt`` in :func:`config_dir`)."""
    return config_dir() / "words.txt"


def user_words() -> set[str]:
    """The words of the user's word list (empty when there is none)."""
    try:
        text = word_list_path().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return set()
    return {w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")}


def add_user_word(word: str) -> None:
    """Add ``word`` to the user's word list (written atomically; a word already there is not repeated)."""
    word = word.strip()
    if not word or word in user_words():
        return
    path = word_list_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if old and not old.endswith("\n"):
        old += "\n"
    write_text_atomic(path, old + word + "\n")
