"""Which words of a hypothesis the model wrote for which term: the source span of a term, each unit's
characters, and the terms a hypothesis satisfies only with words the model wrote for another term."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from workbench.mt.constrained.placement import Alignment, Draftable, units_covering
from workbench.mt.constraints import SegmentConstraints, allowed_spans
from workbench.mt.vocab import MarianVocab


def borrowed_terms(
    hyp: Draftable,
    vocab: MarianVocab,
    seg: SegmentConstraints,
    align: Alignment,
    spans: Mapping[str, tuple[int, int]],
    failing: Sequence[str],
) -> list[str]:
    """Terms the text check finds satisfied only by words the model wrote for a failing term's source.

    巾帼 → "women's" is present in "the women's league and the heroines" (妇联和巾帼), but the model wrote
    "women's" attending to 妇联: it is its rendering of 妇联, which the edit replaces, and 巾帼's own
    rendering ("heroines") is still to be replaced. Such a term is edited like a failing one.
    """
    text = vocab.detokenize(hyp.pieces)
    unit_chars = unit_char_spans(hyp, vocab)
    units = hyp.units()
    others = [spans[s] for s in failing if s in spans]
    out: list[str] = []
    for term in seg.terms:
        if term.source in failing or term.source in out or term.source not in spans:
            continue
        lo, hi = spans[term.source]

        def written_for(k: int, lo: int = lo, hi: int = hi) -> str:
            """``own``, ``other`` or ``none``: the source the unit's tokens attended to most."""
            at = [align.argmax(hyp.origin[t]) for t in range(*units[k]) if hyp.origin[t] >= 0]
            if any(lo <= p < hi for p in at):
                return "own"
            return "other" if any(a <= p < b for p in at for a, b in others) else "none"

        found = [units_covering(hyp, [span], unit_chars) for span in allowed_spans(term, text)]
        if found and all(ks and all(written_for(k) == "other" for k in ks) for ks in found):
            out.append(term.source)
    return out


def unit_char_spans(hyp: Draftable, vocab: MarianVocab) -> list[tuple[int, int]]:
    """Each unit's character span in the detokenised text (a space before a unit counts outside it)."""
    out = []
    for s, e in hyp.units():
        a = len(vocab.detokenize(hyp.pieces[:s])) if s else 0
        if a and hyp.pieces[s].startswith("\u2581"):
            a += 1
        out.append((a, max(a, len(vocab.detokenize(hyp.pieces[:e])))))
    return out


def source_span(vocab: MarianVocab, source: str, term: str) -> tuple[int, int]:
    """Source tokens ``[lo, hi)`` of the first occurrence of ``term`` (the whole segment if not found)."""
    at = source.find(term)
    if at < 0:
        return 0, max(1, len(vocab.source_pieces(source)) - 1)
    lo = len(vocab.source.encode(source[:at], out_type=str)) if at else 0
    head = vocab.source.encode(source[: at + len(term)], out_type=str)
    hi = len(head)
    if lo == 0 and hi > 1 and head[0] == "\u2581":  # a bare space piece before the term is not the term
        lo = 1
    return lo, max(lo + 1, hi)
