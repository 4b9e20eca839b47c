"""The result of a constrained decoding of one segment, before it becomes a :class:`Draft`, and the
n-best entries the fast path starts from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from workbench.records import Draft, TermLedger


class NBestEntry(Protocol):
    """One hypothesis of the n-best list (read-only: frozen dataclasses satisfy it)."""

    @property
    def pieces(self) -> list[str]: ...

    @property
    def score(self) -> float: ...

    @property
    def attention(self) -> list[list[float]]: ...


@dataclass(frozen=True)
class Hypothesis:
    """A decoded segment with the exact target pieces it was made of.

    Attributes:
        text: The detokenised English.
        pieces: Its target pieces (end token excluded), for scoring it again under a model.
        score: Length-normalised log-probability.
        unmet: Sources of terms the text does not satisfy (reported, never dropped).
        ledger: How each term got in (:mod:`workbench.mt.constrained.ledger`).
        cost: The forcing cost (None: not computed).
        reasons: Per source in ``unmet``, why (:class:`workbench.mt.constrained.audit.UnmetReason`).
    """

    text: str
    pieces: tuple[str, ...]
    score: float
    unmet: tuple[str, ...] = ()
    ledger: tuple[TermLedger, ...] = ()
    cost: float | None = None
    reasons: dict[str, str] = field(default_factory=dict)

    def draft(self) -> Draft:
        """The :class:`Draft` the engines return."""
        return Draft(
            text=self.text,
            score=self.score,
            n_tokens=len(self.pieces),
            unmet=list(self.unmet),
            ledger=list(self.ledger),
            cost=self.cost,
            reasons={u: self.reasons[u] for u in self.unmet if u in self.reasons},
        )
