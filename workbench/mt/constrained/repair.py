"""The transformers search's safety net: terms the search could not fit are placed by the fast path's edits.

The constrained search (:mod:`workbench.mt.constrained.search`) meets its constraints whenever the
model leaves it room; on a model whose vocabulary spells English in short pieces, or a hypothesis that
runs away, it can end with a term half written. Such a winner is edited exactly as the CTranslate2 path
edits its n-best winner (:func:`workbench.mt.constrained.fast.place_terms`, at positions only: the
search keeps no alignment), cut to the model's positions, and scored again by the model, so the
guarantee is the same on both engines: every hit is rendered, or it is in ``unmet`` with a reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from workbench.mt.constrained.fast import audited, place_terms
from workbench.mt.constrained.hypothesis import Hypothesis
from workbench.mt.constraints import TargetPieces, build_segment_constraints, unmet_in_text
from workbench.mt.vocab import MarianVocab
from workbench.records import TermConstraint

#: ``score(sources, pieces) -> length-normalised log-probabilities`` (teacher forcing).
ScoreFn = Callable[[Sequence[str], Sequence[Sequence[str]]], list[float]]


@dataclass(frozen=True)
class _Base:
    """A finished hypothesis as :func:`place_terms` takes it (no cross-attention: positions only)."""

    pieces: list[str]
    score: float
    attention: list[list[float]] = field(default_factory=list)


def repair(
    vocab: MarianVocab,
    tp: TargetPieces,
    sources: Sequence[str],
    constraints: Sequence[Sequence[TermConstraint]],
    hyps: Sequence[Hypothesis],
    *,
    limit: int,
    score: ScoreFn,
) -> list[Hypothesis]:
    """``hyps`` with every failing term placed where it can be, then audited.

    Args:
        vocab: The model's tokenizer files.
        tp: Target pieces helper of the same vocabulary.
        sources: The segments.
        constraints: Per segment, its hits.
        hyps: The search's winners.
        limit: The most target pieces the model can score.
        score: Teacher-forced scoring of edited hypotheses.

    Returns:
        One hypothesis per segment, with ``unmet`` and ``reasons`` from the final text check.
    """
    segs = [build_segment_constraints(tp, list(c or ())) for c in constraints]
    out = list(hyps)
    edited: list[tuple[int, list[str]]] = []
    for i, (hyp, seg) in enumerate(zip(hyps, segs, strict=True)):
        failing = unmet_in_text(seg.terms, hyp.text)
        if not failing:
            continue
        pieces, still = place_terms(
            vocab, tp, sources[i], seg, _Base(list(hyp.pieces), hyp.score), limit=limit
        )
        if len(still) < len(failing):
            edited.append((i, pieces))
    if edited:
        scores = score([sources[i] for i, _ in edited], [p for _, p in edited])
        for (i, pieces), value in zip(edited, scores, strict=True):
            out[i] = Hypothesis(vocab.detokenize(pieces), tuple(pieces), value)
    return [audited(h, constraints[i] or (), segs[i], limit) for i, h in enumerate(out)]
