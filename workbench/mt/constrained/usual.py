"""The model's own rendering of each term in a sentence, so the search can write it and put the approved
rendering in its place.

On a model that has learned, every position where a term is forced costs about the same surprise (the
model has never seen the approved rendering), and once it is forced the model's state is off its
distribution: it finishes its usual rendering after the term (``All-China Women's Federations league``)
or starts the sentence again. The search therefore decodes the sentence without constraints first
and finds, in that draft, the words that render each term's source: a run of whole words that the
model also uses when it translates the term's source on its own, at least one of them written while
its cross-attention was on the term's source (articles and prepositions at either end stay with the
sentence; words of the allowed renderings count too). That token sequence becomes one more alternative of the term: the search lets the model
write it where it is its own best token, its decoder state stays on the model's distribution, and
the winner gets the approved rendering (with a sentence-initial capital where the usual one had it
at the start, and a/an agreeing) in its place. Terms without such a run are forced as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from workbench.mt.constrained.agreement import fix_articles
from workbench.mt.constrained.placement import Draftable
from workbench.mt.constraints import SPIECE, SegmentConstraints, TargetPieces

#: Words at either end of a run that belong to the sentence around the term, not to its rendering.
SENTENCE_WORDS = frozenset({"the", "a", "an", "of", "and", "in", "on", "at", "to", "for", "with", "by"})

_WORD = re.compile(r"\w+")


def word_units(tp: TargetPieces, tokens: Sequence[int]) -> list[tuple[int, int]]:
    """``(start, end)`` token ranges of the draft's words: a word starts at a piece that begins with the
    word boundary ``▁`` and takes every piece up to the next such piece, less trailing pieces without a
    word character (the punctuation after a word stays outside it)."""
    starts = [k for k, tok in enumerate(tokens) if k == 0 or tp.id_to_piece.get(tok, "").startswith(SPIECE)]
    units: list[tuple[int, int]] = []
    if not starts:
        return units
    for a, b in zip(starts, [*starts[1:], len(tokens)], strict=True):
        while b > a + 1 and not _WORD.search(tp.id_to_piece.get(tokens[b - 1], "")):
            b -= 1
        units.append((a, b))
    return units


def find_usual(
    tp: TargetPieces,
    tokens: Sequence[int],
    attended: Sequence[int],
    seg: SegmentConstraints,
    spans: Sequence[tuple[int, int]],
    alone: dict[str, str],
) -> dict[int, tuple[int, ...]]:
    """Per required constraint index, the tokens of the model's own rendering of its term in ``tokens``.

    Args:
        tp: Target pieces helper.
        tokens: The unconstrained draft (no end token).
        attended: Per token, the source position the decoder attended to most when it chose it.
        seg: The segment's constraints.
        spans: Per required constraint, its term's source tokens (``(-1, -1)``: unknown).
        alone: The model's translation of each term's source on its own.

    Returns:
        Only the terms whose rendering was found; runs of different terms never overlap.
    """
    units = word_units(tp, tokens)
    words = [_WORD.findall(tp.decode(tokens[a:b]).casefold()) for a, b in units]
    taken: set[int] = set()
    out: dict[int, tuple[int, ...]] = {}
    for ci, con in enumerate(seg.required):
        lo, hi = spans[ci] if ci < len(spans) else (-1, -1)
        # The words it uses for the source on its own, and those it shares with the allowed renderings
        # ("most lovely families" for "Most Beautiful Families": the plural is the same word).
        own = " ".join([alone.get(con.source, ""), *con.renderings]).casefold()
        known = set(_WORD.findall(own)) - SENTENCE_WORDS
        if lo < 0 or not known:
            continue
        best: tuple[int, int] | None = None
        u = 0
        while u < len(units):
            if not words[u] or not set(words[u]) <= known | SENTENCE_WORDS or u in taken:
                u += 1
                continue
            v = u
            while v < len(units) and words[v] and set(words[v]) <= known | SENTENCE_WORDS and v not in taken:
                v += 1
            a, b = u, v
            while a < b and set(words[a]) <= SENTENCE_WORDS:
                a += 1
            while b > a and set(words[b - 1]) <= SENTENCE_WORDS:
                b -= 1
            hit = any(lo <= attended[units[w][0]] <= hi for w in range(a, b) if units[w][0] < len(attended))
            if a < b and hit and (best is None or b - a > best[1] - best[0]):
                best = (a, b)
            u = v
        if best is not None:
            taken |= set(range(*best))
            out[ci] = tuple(tokens[units[best[0]][0] : units[best[1] - 1][1]])
    return out


def with_usual(
    seg: SegmentConstraints, usual: dict[int, tuple[int, ...]], tp: TargetPieces
) -> tuple[SegmentConstraints, dict[int, tuple[int, ...]]]:
    """``seg`` with each found usual rendering added as one more alternative of its constraint, and per
    constraint the indexes of the added alternatives (for ``ConstraintTensors.build``)."""
    required = list(seg.required)
    added: dict[int, tuple[int, ...]] = {}
    for ci, seq in usual.items():
        con = required[ci]
        if seq in con.sequences:
            continue
        required[ci] = replace(
            con,
            sequences=(*con.sequences, seq),
            renderings=(*con.renderings, tp.decode(seq)),
            glued=(*con.glued, False),
            initial=(*con.initial, False),
        )
        added[ci] = (len(con.sequences),)
    return replace(seg, required=tuple(required)), added


def substitute(
    tp: TargetPieces, tokens: Sequence[int], seg: SegmentConstraints, usual: dict[int, tuple[int, ...]]
) -> list[int]:
    """``tokens`` with the first occurrence of each term's usual rendering replaced by its approved one
    (its sentence-initial capital form where the usual rendering started with a capital), and an
    ``a``/``an`` right before it agreeing with the approved rendering's first word."""
    out = list(tokens)
    for ci, seq in usual.items():
        n = len(seq)
        at = next((i for i in range(len(out) - n + 1) if tuple(out[i : i + n]) == seq), -1)
        if at < 0:
            continue
        first = tp.decode(seq).lstrip()[:1]
        approved = _approved_sequence(seg, ci, capital=first.isupper())
        if approved is None:
            continue
        out[at : at + n] = approved
        _agree_article(tp, out, at, len(approved))
    return out


def _approved_sequence(seg: SegmentConstraints, ci: int, *, capital: bool) -> tuple[int, ...] | None:
    """The word-boundary token sequence of the approved rendering of constraint ``ci`` (its form with a
    capital first letter when ``capital``)."""
    con = seg.required[ci]
    term = next((t for t in seg.terms if t.source == con.source and t.allowed), None)
    if term is None:
        return None
    approved = term.allowed[0]
    want = approved[:1].upper() + approved[1:] if capital else approved
    forms = [(q, r) for q, r, g in zip(con.sequences, con.renderings, con.glued, strict=False) if not g]
    for wanted in (want, approved):
        for q, r in forms:
            if r == wanted:
                return q
    return None


def _agree_article(tp: TargetPieces, out: list[int], at: int, n: int) -> None:
    """Make an ``a``/``an`` piece right before the ``n`` tokens at ``at`` agree with them (the fast
    path's :func:`~workbench.mt.constrained.agreement.fix_articles`, on token ids)."""
    if at == 0:
        return
    pieces = [tp.id_to_piece.get(t, "") for t in out[at - 1 : at + n]]
    fixed = fix_articles(Draftable(pieces, [0] * len(pieces), [False] + [True] * n), tp.vocab)
    idx = tp.vocab.get(fixed.pieces[0])
    if len(fixed.pieces) == len(pieces) and idx is not None:
        out[at - 1] = idx
