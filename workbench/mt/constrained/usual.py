"""The model's own rendering of each term in a sentence, so the search can write it and put the approved
rendering in its place.

On a model that has learned, every position where a term is forced costs about the same surprise (the
model has never seen the approved rendering), and once it is forced the model's state is off its
distribution: it finishes its usual rendering after the term (``All-China Women's Federations league``),
drops the verb after it, or starts the sentence again. The search therefore decodes the sentence without
constraints first and finds, in that draft, the words that render each term's source: a run of whole
words that the model also uses when it translates the term's source on its own (or that the allowed
renderings have), at least one of them written while its cross-attention was on the term's source.

The ends of the run are where it goes wrong (a model that only knows sentences translates a bare term as
"The spring bud plan received the spring bud plan", so "received" is one of its words too). A word at
either end stays with the sentence when it is an article or preposition, when the model wrote it while
attending to another source word, or, written while attending to the sentence's end (where attention
rests when no source word is translated), when the model's drafts of the sentence without its terms
(the terms left out; replaced by a person's name) have it without the run's word beside it. Where those
drafts cannot tell (they made the run's words up too), the model chooses: the approved rendering in
place of the run with the word and without it, the more probable draft wins.

That token sequence becomes one more alternative of the term (a forbidden rendering the model uses is
allowed there, since it never reaches the draft): the search lets the model write it where it is its
own best token, its decoder state stays on the model's distribution, and the winner gets the approved
rendering (with a sentence-initial capital where the usual one had it at the start, and a/an agreeing,
``An`` spelled in pieces where the vocabulary has none) in its place. Terms without such a run are
forced as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from workbench.mt.constrained.agreement import fix_articles
from workbench.mt.constrained.placement import Draftable
from workbench.mt.constraints import SPIECE, SegmentConstraints, TargetPieces

#: Words at either end of a run that belong to the sentence around the term, not to its rendering.
SENTENCE_WORDS = frozenset({"the", "a", "an", "of", "and", "in", "on", "at", "to", "for", "with", "by"})

_WORD = re.compile(r"\w+")

#: The model's choice between drafts (token ids) of one sentence: the index of the most probable.
Prefer = Callable[[Sequence[Sequence[int]]], int]


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


@dataclass(frozen=True)
class OwnDraft:
    """The model's unconstrained draft of a sentence and what locates a term's words in it.

    Attributes:
        tokens: The draft's tokens (no end token).
        attended: Per token, the source position the decoder attended to most when it chose it.
        spans: Per required constraint, its term's source tokens (``(-1, -1)``: unknown).
        sinks: The first source position of the sentence's end (its last punctuation and the end token),
            where a decoder's attention rests when it translates no source word; None: not known.
        frames: The model's drafts of the sentence without its terms (left out, replaced by a name);
            None: not made yet (:func:`find_usual` then says when it needs them).
    """

    tokens: Sequence[int]
    attended: Sequence[int]
    spans: Sequence[tuple[int, int]]
    sinks: int | None = None
    frames: tuple[str, ...] | None = ()


def find_usual(
    tp: TargetPieces,
    own: OwnDraft,
    seg: SegmentConstraints,
    alone: dict[str, str],
    prefer: Prefer | None = None,
) -> dict[int, tuple[int, ...]] | None:
    """Per required constraint index, the tokens of the model's own rendering of its term in ``own``.

    Args:
        tp: Target pieces helper.
        own: The unconstrained draft.
        seg: The segment's constraints.
        alone: The model's translation of each term's source on its own.
        prefer: The model's choice between drafts of the sentence: where nothing else tells whether a
            word at the end of a run renders the term, the draft with the approved rendering that the
            model finds more probable, with the word or without it, decides. None: the word stays in
            the run.

    Returns:
        Only the terms whose rendering was found; runs of different terms never overlap. None when
        ``own.frames`` is None and a run needs them.
    """
    try:
        return _find(tp, own, seg, alone, prefer)
    except _NeedsFrames:
        return None


class _NeedsFrames(Exception):
    """A run's end needs the drafts of the sentence without its terms, which were not made."""


def _find(
    tp: TargetPieces, own: OwnDraft, seg: SegmentConstraints, alone: dict[str, str], prefer: Prefer | None
) -> dict[int, tuple[int, ...]]:
    """:func:`find_usual`'s search (raises :class:`_NeedsFrames`)."""
    draft = _Words.of(tp, own)
    taken: set[int] = set()
    out: dict[int, tuple[int, ...]] = {}
    for ci, con in enumerate(seg.required):
        lo, hi = own.spans[ci] if ci < len(own.spans) else (-1, -1)
        # The words it uses for the source on its own, and those it shares with the allowed renderings
        # ("most lovely families" for "Most Beautiful Families": the plural is the same word).
        own_words = " ".join([alone.get(con.source, ""), *con.renderings]).casefold()
        known = set(_WORD.findall(own_words)) - SENTENCE_WORDS
        if lo < 0 or not known:
            continue
        term = _Term(tp, seg, ci, (lo, hi), set(_WORD.findall(" ".join(con.renderings).casefold())))
        best: tuple[int, int] | None = None
        u = 0
        while u < len(draft.words):
            v = u
            while v < len(draft.words) and draft.words[v] and draft.words[v] <= known | SENTENCE_WORDS:
                if v in taken:
                    break
                v += 1
            if v == u:
                u += 1
                continue
            a, b = term.trim(draft, (u, v), prefer)
            if a < b and draft.attends(range(a, b), lo, hi) and (best is None or b - a > best[1] - best[0]):
                best = (a, b)
            u = v
        if best is not None:
            taken |= set(range(*best))
            out[ci] = tuple(own.tokens[draft.units[best[0]][0] : draft.units[best[1] - 1][1]])
    return out


@dataclass(frozen=True)
class _Term:
    """One required constraint of the segment, as :func:`find_usual` looks for its words."""

    tp: TargetPieces
    seg: SegmentConstraints
    ci: int
    span: tuple[int, int]
    rendering: set[str]

    def trim(self, draft: _Words, run: tuple[int, int], prefer: Prefer | None) -> tuple[int, int]:
        """``run`` less the words at either end that belong to the sentence around the term."""
        a, b = run
        while a < b and self.sentence_word(draft, a, (a, b), prefer):
            a += 1
        while b > a and self.sentence_word(draft, b - 1, (a, b), prefer):
            b -= 1
        return a, b

    def sentence_word(self, draft: _Words, w: int, run: tuple[int, int], prefer: Prefer | None) -> bool:
        """True when the word ``w`` at one end of ``run`` belongs to the sentence (:meth:`_Words.outside`;
        where that does not know, the model's choice between the approved rendering put in place of
        the run with the word and without it)."""
        a, b = run
        verdict = draft.outside(w, run, self.span, self.rendering)
        if verdict is not None or prefer is None:
            return bool(verdict)
        with_word = self.replaced(draft, run)
        without = self.replaced(draft, (a + 1, b) if w == a else (a, b - 1))
        return with_word is not None and without is not None and prefer([with_word, without]) == 1

    def replaced(self, draft: _Words, run: tuple[int, int]) -> list[int] | None:
        """The draft with the words ``run`` replaced by the approved rendering (with a capital where the
        run starts with one); None when there is none to put there."""
        tokens = draft.own.tokens
        start, end = draft.units[run[0]][0], draft.units[run[1] - 1][1]
        first = self.tp.decode(tokens[start:end]).lstrip()[:1]
        approved = _approved_sequence(self.seg, self.ci, capital=first.isupper())
        return None if approved is None else [*tokens[:start], *approved, *tokens[end:]]


@dataclass(frozen=True)
class _Words:
    """A draft's words (token ranges and their word sets) and what :func:`find_usual` asks of them."""

    own: OwnDraft
    units: list[tuple[int, int]]
    words: list[set[str]]
    frames: list[set[str]] | None

    @classmethod
    def of(cls, tp: TargetPieces, own: OwnDraft) -> _Words:
        units = word_units(tp, own.tokens)
        words = [set(_WORD.findall(tp.decode(own.tokens[a:b]).casefold())) for a, b in units]
        frames = None if own.frames is None else [set(_WORD.findall(f.casefold())) for f in own.frames]
        return cls(own, units, words, frames)

    def positions(self, w: int) -> list[int]:
        """The source positions attended to while the ``w``-th word was written."""
        return [self.own.attended[k] for k in range(*self.units[w]) if k < len(self.own.attended)]

    def attends(self, ws: range, lo: int, hi: int) -> bool:
        """True when a token of one of the words ``ws`` was written attending to ``lo..hi``."""
        return any(lo <= p <= hi for w in ws for p in self.positions(w))

    def outside(
        self, w: int, run: tuple[int, int], span: tuple[int, int], rendering: set[str]
    ) -> bool | None:
        """Whether the ``w``-th word, at one end of ``run`` (a run of the term's words), belongs to the
        sentence around the term: an article or preposition, a word written while the model attended to
        another source word, or one written attending to the sentence's end that a draft of the sentence
        without its terms has too, without the run's word beside it ("The spring bud plan received":
        "… received the support" without the term). None: not known (the drafts without the term that
        have the word made some of the run's words up too: "the women's league received …" where the
        subject was left out). A draft without the term that has every word of the run wrote the term
        anyway and tells nothing."""
        if self.words[w] <= SENTENCE_WORDS:
            return True
        at = self.positions(w)
        if not at or any(span[0] <= p <= span[1] for p in at):
            return False
        sinks = self.own.sinks if self.own.sinks is not None else len(self.own.attended) + 1
        if all(p < sinks for p in at):
            return True
        a, b = run
        inner = w + 1 if w == a else w - 1
        if not a <= inner < b or self.words[w] & rendering:
            return False
        if self.frames is None:
            raise _NeedsFrames
        beside = self.words[inner] - SENTENCE_WORDS
        whole = set().union(*self.words[a:b]) - SENTENCE_WORDS
        having = [f for f in self.frames if self.words[w] <= f and not whole <= f]
        if any(not beside & f for f in having):
            return True
        return None if having else False


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
    # A usual rendering the glossary forbids ("Chinese-style modernization") may be written: the winner
    # gets the approved one in its place, and the final text check still rejects it anywhere else.
    kept = tuple(q for q in seg.banned if not any(_inside(q, seq) for seq in usual.values()))
    return replace(seg, required=tuple(required), banned=kept), added


def _inside(part: Sequence[int], whole: Sequence[int]) -> bool:
    """True when ``part`` is a contiguous run of ``whole``."""
    n = len(part)
    return any(tuple(whole[i : i + n]) == tuple(part) for i in range(len(whole) - n + 1))


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
    """Make an ``a``/``an`` right before the ``n`` tokens at ``at`` agree with them (the fast path's
    :func:`~workbench.mt.constrained.agreement.fix_articles`, on token ids; a capital ``An`` the
    vocabulary has no piece for is spelled in pieces)."""
    if at == 0:
        return
    pieces = [tp.id_to_piece.get(t, "") for t in out[at - 1 : at + n]]
    fixed = fix_articles(Draftable(pieces, [0] * len(pieces), [False] + [True] * n), tp.vocab, tp.pieces)
    article = tp.ids(fixed.pieces[: len(fixed.pieces) - n])
    if article is not None:
        out[at - 1 : at] = article
