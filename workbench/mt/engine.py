"""The engine interface every MT backend implements, and the types it exchanges."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

#: ``progress(done, total)``: called after each batch with segments finished so far.
ProgressFn = Callable[[int, int], None]


@dataclass(frozen=True)
class TermConstraint:
    """One matched glossary term that the draft must render a given way.

    Attributes:
        source: The source term as it appears in the segment.
        allowed: Acceptable English renderings, approved one first (disjunctive).
        forbidden: Renderings that must not appear in the draft.
        case_sensitive: Renderings must appear in exactly this case (the entry's flag).
    """

    source: str
    allowed: tuple[str, ...]
    forbidden: tuple[str, ...] = ()
    case_sensitive: bool = False


@dataclass
class Draft:
    """A machine draft of one segment.

    Attributes:
        text: The detokenised English draft.
        score: Length-normalised log-probability of the output (higher is better).
        n_tokens: Number of target tokens generated (EOS excluded).
        unmet: Sources of constraints that could not be placed (reported, never dropped silently).
    """

    text: str
    score: float
    n_tokens: int
    unmet: list[str] = field(default_factory=list)


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
