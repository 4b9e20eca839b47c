"""Glossary enforcement for the CTranslate2 backend."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from workbench.errors import Cancelled
from workbench.mt.constraints import unmet_in_text
from workbench.mt.engine import Draft, TermConstraint


def generate_constrained_ct2(
    engine: Any,
    texts: Sequence[str],
    constraints: Sequence[Sequence[TermConstraint]],
    *,
    beam: int,
    max_new_tokens: int | None = None,
    min_new_tokens: int | None = None,
    cancel: threading.Event | None = None,
) -> list[Draft]:
    """Glossary enforcement for the CTranslate2 backend, which has no lexical constraints.

    Design (keeps the same guarantee as the transformers backend):

    1. CTranslate2 beam search returns its n-best list (``num_hypotheses = beam``, same beam, same
       length bounds). Most segments need nothing more: the model often renders the term the approved
       way on its own, and then this costs one int8 beam search.
    2. For each segment the best hypothesis that satisfies every term (an allowed rendering present and
       no forbidden rendering, by the rules of ``workbench.terms.check_target``) is taken.
    3. Segments with no such hypothesis are decoded again with :func:`generate_constrained` on the
       transformers model of the same model directory, loaded lazily once per engine
       (``engine.transformers_fallback()``). What that search cannot place is reported in ``Draft.unmet``.

    Args:
        engine: A ``workbench.mt.ct2.CT2Engine`` (needs ``nbest``, ``vocab`` and ``transformers_fallback``).
        texts: Source segments of one batch.
        constraints: Per segment, its matched terms.
        beam: Beam size (also the n-best size).
        max_new_tokens: Output length limit as the transformers backend counts it (EOS included).
        min_new_tokens: Minimum output length.
        cancel: Checked before and after the n-best pass and between steps of the fallback search.

    Returns:
        One draft per segment.
    """
    if cancel is not None and cancel.is_set():
        raise Cancelled()
    texts = list(texts)
    cons = [list(c or []) for c in constraints]
    if not texts:
        return []
    options: dict[str, Any] = {}
    if min_new_tokens:
        options["min_decoding_length"] = int(min_new_tokens)
    max_len = None if max_new_tokens is None else max(1, int(max_new_tokens) - 1)
    nbest = engine.nbest(texts, n=max(1, beam), beam=max(1, beam), max_new=max_len, **options)
    if cancel is not None and cancel.is_set():
        raise Cancelled()
    drafts: list[Draft | None] = [None] * len(texts)
    missing: list[int] = []
    for i, hyps in enumerate(nbest):
        for pieces, score in hyps:
            text = engine.vocab.detokenize(pieces)
            if not unmet_in_text(cons[i], text):
                n_tok = len([p for p in pieces if p != "</s>"])
                drafts[i] = Draft(text=text, score=float(score), n_tokens=n_tok, unmet=[])
                break
        if drafts[i] is None:
            missing.append(i)
    if missing:
        fallback = engine.transformers_fallback()
        from workbench.mt.constrained.search import generate_constrained

        redone = generate_constrained(
            fallback.model,
            fallback.tokenizer,
            [texts[i] for i in missing],
            [cons[i] for i in missing],
            beam=beam,
            max_new_tokens=max_new_tokens,
            min_new_tokens=min_new_tokens,
            device=fallback.device,
            cancel=cancel,
        )
        for i, draft in zip(missing, redone, strict=True):
            drafts[i] = draft
    return [d for d in drafts if d is not None]
