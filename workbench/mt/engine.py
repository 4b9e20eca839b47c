"""The engine interface every MT backend implements, and the types it exchanges."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Protocol

from workbench.records import Draft, TermConstraint

#: ``progress(done, total)``: called after each batch with segments finished so far.
ProgressFn = Callable[[int, int], None]


class Engine(Protocol):
    """A loaded MT backend."""

    name: str

    def translate(
        self,
        sources: Sequence[str],
        *,
        beam: int = 4,
        constraints: Sequence[Sequence[TermConstraint]] | None = None,
        cancel: threading.Event | None = None,
        progress: ProgressFn | None = None,
    ) -> list[Draft]:
        """Translate ``sources`` in order; raises ``workbench.errors.Cancelled`` when ``cancel`` is set."""
        ...

    def signature(self) -> dict[str, str]:
        """Reproducibility signature: backend, model id/path and hash, beam, device, app version."""
        ...
