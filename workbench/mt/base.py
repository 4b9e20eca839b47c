"""The batch driver both backends share: long-segment splitting, length-sorted batches under a
token budget, cancellation between (and, where the backend allows, within) batches, progress."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from workbench import __version__
from workbench.errors import Cancelled, WorkbenchError
from workbench.mt.batching import (
    DEFAULT_BATCH_TOKENS,
    MAX_SOURCE_TOKENS,
    default_length_policy,
    join_pieces,
    plan_batches,
    split_long,
)
from workbench.mt.engine import ProgressFn
from workbench.records import Draft, TermConstraint

#: ``length_policy(n_source_tokens) -> (min_new_tokens, max_new_tokens)``.
LengthPolicy = Callable[[int], tuple[int, int]]


@dataclass
class _Item:
    source: int  # index into the caller's sources
    text: str
    n_tokens: int
    constraints: tuple[TermConstraint, ...] = ()


class BatchedEngine:
    """Common driver; subclasses implement ``_count``, ``_run_batch`` and ``_run_constrained``.

    Attributes:
        batch_tokens: Budget of padded source tokens × beam per batch.
        length_policy: Output length bounds per source length (the benchmark fixes them).
        max_source_tokens: Longer segments are split at clause punctuation and rejoined.
    """

    name = "base"
    #: With constraints, send every segment through ``_run_constrained`` in the batches a run without
    #: them would make (segments without terms get an empty constraint list).
    mixed_batches = False

    def __init__(self, *, batch_tokens: int | None = None, length_policy: LengthPolicy | None = None) -> None:
        self.batch_tokens = batch_tokens or DEFAULT_BATCH_TOKENS
        self.length_policy: LengthPolicy = length_policy or default_length_policy
        self.max_source_tokens = MAX_SOURCE_TOKENS
        self.last_beam: int | None = None

    # -- backend hooks -------------------------------------------------------------------------
    def _count(self, text: str) -> int:
        """Source tokens of ``text`` including ``</s>``."""
        raise NotImplementedError

    def _run_batch(
        self, texts: list[str], *, beam: int, min_new: int, max_new: int, cancel: threading.Event | None
    ) -> list[Draft]:
        raise NotImplementedError

    def _run_constrained(
        self,
        texts: list[str],
        constraints: list[tuple[TermConstraint, ...]],
        *,
        beam: int,
        min_new: int,
        max_new: int,
        cancel: threading.Event | None,
    ) -> list[Draft]:
        raise WorkbenchError(f"glossary enforcement is unavailable with the {self.name} engine")

    def _describe(self) -> dict[str, str]:
        raise NotImplementedError

    # -- the Engine protocol -------------------------------------------------------------------
    def translate(
        self,
        sources: Sequence[str],
        *,
        beam: int = 4,
        constraints: Sequence[Sequence[TermConstraint]] | None = None,
        cancel: threading.Event | None = None,
        progress: ProgressFn | None = None,
    ) -> list[Draft]:
        """Translate ``sources`` in order.

        Args:
            sources: Source segments.
            beam: Beam size (1 = greedy).
            constraints: Per source, the glossary terms the draft must contain (or None).
            cancel: Checked before every batch (and inside generation where supported).
            progress: ``progress(done, total)`` after every batch, in source segments.

        Raises:
            Cancelled: when ``cancel`` is set; drafts of finished batches are discarded by this call.
        """
        if beam < 1:
            raise WorkbenchError(f"beam must be at least 1, not {beam}")
        if constraints is not None and len(constraints) != len(sources):
            raise ValueError("constraints must have one entry per source")
        self.last_beam = beam
        total = len(sources)
        results, items, slot_of = self._work_items(sources, constraints)
        remaining = [sum(1 for d in r if d is None) for r in results]
        done = sum(1 for r in remaining if r == 0)
        if progress is not None:
            progress(done, total)
        for group, is_constrained in self._groups(items):
            if not group:
                continue
            for batch in plan_batches(
                [items[k].n_tokens for k in group], beam=beam, batch_tokens=self.batch_tokens
            ):
                if cancel is not None and cancel.is_set():
                    raise Cancelled()
                ks = [group[j] for j in batch.items]
                bounds = [self.length_policy(items[k].n_tokens) for k in ks]
                min_new, max_new = max(b[0] for b in bounds), max(b[1] for b in bounds)
                texts = [items[k].text for k in ks]
                if is_constrained:
                    drafts = self._run_constrained(
                        texts,
                        [items[k].constraints for k in ks],
                        beam=beam,
                        min_new=min_new,
                        max_new=max_new,
                        cancel=cancel,
                    )
                else:
                    drafts = self._run_batch(
                        texts, beam=beam, min_new=min_new, max_new=max_new, cancel=cancel
                    )
                if cancel is not None and cancel.is_set():
                    raise Cancelled()
                for k, draft in zip(ks, drafts, strict=True):
                    src = items[k].source
                    results[src][slot_of[k]] = draft
                    remaining[src] -= 1
                    if remaining[src] == 0:
                        done += 1
                if progress is not None:
                    progress(done, total)
        return [_merge(r) for r in results]  # type: ignore[arg-type]

    def _work_items(
        self, sources: Sequence[str], constraints: Sequence[Sequence[TermConstraint]] | None
    ) -> tuple[list[list[Draft | None]], list[_Item], list[int]]:
        """Per source its (empty) result slots, the work items (long sources split in pieces, each
        piece with the terms it contains) and each item's slot in its source's results."""
        results: list[list[Draft | None]] = [[] for _ in sources]
        items: list[_Item] = []
        memo: dict[str, int] = {}

        def count(text: str) -> int:
            if text not in memo:
                memo[text] = self._count(text)
            return memo[text]

        for i, source in enumerate(sources):
            if not source.strip():
                results[i] = [Draft("", 0.0, 0)]
                continue
            cons = tuple(constraints[i]) if constraints is not None else ()
            pieces = split_long(source, count, self.max_source_tokens)
            results[i] = [None] * len(pieces)
            for p, piece in enumerate(pieces):
                piece_cons = cons
                if len(pieces) > 1:
                    # A term goes with the piece that contains it; one found in none goes to the first.
                    piece_cons = tuple(c for c in cons if c.source in piece)
                    if p == 0:
                        piece_cons += tuple(c for c in cons if not any(c.source in q for q in pieces))
                items.append(_Item(i, piece, count(piece), piece_cons))
        slot_of: list[int] = []
        seen: dict[int, int] = {}
        for item in items:
            slot_of.append(seen.get(item.source, 0))
            seen[item.source] = slot_of[-1] + 1
        return results, items, slot_of

    def _groups(self, items: list[_Item]) -> list[tuple[list[int], bool]]:
        """Item indices batched together, and whether they go through ``_run_constrained``."""
        plain = [k for k, it in enumerate(items) if not it.constraints]
        constrained = [k for k, it in enumerate(items) if it.constraints]
        if self.mixed_batches and constrained:
            return [(list(range(len(items))), True)]
        return [(plain, False), (constrained, True)]

    def signature(self) -> dict[str, str]:
        """Reproducibility signature: backend, model id and hash, beam, device, app version."""
        sig = {"backend": self.name, **self._describe()}
        sig["beam"] = str(self.last_beam) if self.last_beam is not None else ""
        sig["app"] = __version__
        return sig


def _merge(drafts: list[Draft]) -> Draft:
    """One draft from the drafts of a segment's pieces (token-weighted score)."""
    if len(drafts) == 1:
        return drafts[0]
    n = sum(d.n_tokens for d in drafts)
    score = sum(d.score * max(1, d.n_tokens) for d in drafts) / max(
        1, sum(max(1, d.n_tokens) for d in drafts)
    )
    unmet = list(dict.fromkeys(u for d in drafts for u in d.unmet))
    reasons = {u: r for d in drafts for u, r in d.reasons.items()}
    ledger = [line for d in drafts for line in d.ledger]
    costs = [d.cost for d in drafts if d.cost is not None]
    cost = max(costs) if costs else None  # the worst piece's forcing cost
    return Draft(
        join_pieces([d.text for d in drafts]), score, n, unmet, ledger=ledger, cost=cost, reasons=reasons
    )
