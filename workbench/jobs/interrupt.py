"""Ctrl-C for batch work: the first one asks the drafting loop to stop after the unit in progress, the
second aborts at once."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any

#: What the first Ctrl-C prints.
STOPPING = "workbench: stopping after the current batch (Ctrl-C again to abort now)"


@contextlib.contextmanager
def stop_on_sigint(stop: threading.Event) -> Iterator[threading.Event]:
    """Within the block, the first SIGINT sets ``stop`` (and says so); a second raises KeyboardInterrupt.

    Outside the main thread (where signals cannot be handled) it does nothing.
    """

    def on_sigint(_signum: int, _frame: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        print(f"\n{STOPPING}", file=sys.stderr, flush=True)

    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)
