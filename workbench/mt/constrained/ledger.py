"""The term ledger: how each constraint of a segment got into its draft, and what forcing it cost.

Both engines call :func:`term_ledger` on the draft they return. A term is ``natural`` when the model's
own best hypothesis (the unconstrained beam search) already satisfies it, ``nbest`` when it came from
another hypothesis of the n-best list, ``placed`` when the fast path edited it in, ``searched`` when the
constrained search built it in, ``unmet`` (with a reason) when the draft does not satisfy it. The
forcing cost is the log-probability per token of the unconstrained best minus that of the draft.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from workbench.mt.constrained.hypothesis import Hypothesis, NBestEntry
from workbench.mt.constraints import SegmentConstraints, unmet_in_text
from workbench.mt.vocab import MarianVocab
from workbench.records import Draft, TermConstraint, TermHow, TermLedger

#: Why a term with no producible rendering is unmet.
UNPLACEABLE = "no rendering the model can spell, or it conflicts with another term"


def term_ledger(
    terms: Sequence[TermConstraint],
    final_text: str,
    *,
    best_text: str,
    method: TermHow,
    base_text: str | None = None,
    unplaceable: Sequence[str] = (),
    failed: str = "",
    borrowed: Collection[str] = (),
) -> list[TermLedger]:
    """One ledger line per term (first occurrence of each source).

    Args:
        terms: The segment's constraints.
        final_text: The draft returned.
        best_text: The unconstrained best hypothesis.
        method: How terms neither natural nor from ``base_text`` got in (``placed``/``searched``/``nbest``).
        base_text: The n-best hypothesis the draft was taken from or edited (None: none).
        unplaceable: Sources the engine could not even try.
        failed: The reason for any other unmet term.
        borrowed: Sources whose rendering ``best_text`` and ``base_text`` have only in words the model
            wrote for another term (not natural: the engine put the term in).
    """
    out: list[TermLedger] = []
    seen: set[str] = set()
    for term in terms:
        if term.source in seen:
            continue
        seen.add(term.source)
        if unmet_in_text([term], final_text):
            why = UNPLACEABLE if term.source in unplaceable else (failed or f"{method.value} draft lacks it")
            out.append(TermLedger(term.source, TermHow.UNMET, why))
        elif term.source in borrowed:
            out.append(TermLedger(term.source, method))
        elif not unmet_in_text([term], best_text):
            out.append(TermLedger(term.source, TermHow.NATURAL))
        elif base_text is not None and not unmet_in_text([term], base_text):
            out.append(TermLedger(term.source, TermHow.NBEST))
        else:
            out.append(TermLedger(term.source, method))
    return out


def forcing_cost(best_score: float, final_score: float) -> float:
    """Drop in log-probability per token from the unconstrained best to the draft (never below 0)."""
    return round(max(0.0, best_score - final_score), 4)


def with_ledger(
    hyp: Hypothesis,
    vocab: MarianVocab,
    nbest: Sequence[NBestEntry],
    seg: SegmentConstraints,
    base_text: str | None,
    edited: bool,
    borrowed: Collection[str] = (),
) -> Hypothesis:
    """``hyp`` (a fast-path :class:`~workbench.mt.constrained.hypothesis.Hypothesis`) with its ledger and
    forcing cost, from the n-best list it came from (``nbest[0]`` is the unconstrained best; ``borrowed``:
    see :func:`term_ledger`)."""
    from dataclasses import replace

    if not nbest:
        return replace(
            hyp,
            ledger=tuple(
                term_ledger(
                    seg.terms,
                    hyp.text,
                    best_text="",
                    method=TermHow.PLACED,
                    unplaceable=seg.unplaceable,
                    failed="no hypothesis",
                )
            ),
        )
    best = nbest[0]
    best_text = vocab.detokenize(best.pieces)
    method = TermHow.PLACED if edited else TermHow.NBEST
    ledger = term_ledger(
        seg.terms, hyp.text, best_text=best_text, method=method, base_text=base_text,
        unplaceable=seg.unplaceable, failed="placement did not satisfy it", borrowed=borrowed,
    )  # fmt: skip
    return replace(hyp, ledger=tuple(ledger), cost=forcing_cost(best.score, hyp.score))


def searched_ledger(
    drafts: Sequence[Draft],
    plain: Sequence[Draft],
    constraints: Sequence[Sequence[TermConstraint]],
    tokenizer: Any,
) -> list[Draft]:
    """The constrained search's drafts with their ledger and forcing cost against the plain search's
    drafts ``plain`` of the same segments (same beam, same length bounds)."""
    from dataclasses import replace

    from workbench.mt.constraints import build_segment_constraints

    out: list[Draft] = []
    for draft, best, cons in zip(drafts, plain, constraints, strict=True):
        terms = list(cons or [])
        if not terms:
            out.append(draft)
            continue
        seg = build_segment_constraints(tokenizer, terms)
        ledger = term_ledger(
            terms, draft.text, best_text=best.text, method=TermHow.SEARCHED,
            unplaceable=seg.unplaceable, failed="the search found no hypothesis with it",
        )  # fmt: skip
        cost = 0.0 if draft.text == best.text else forcing_cost(best.score, draft.score)
        out.append(replace(draft, ledger=ledger, cost=cost))
    return out
