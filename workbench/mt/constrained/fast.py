"""Glossary enforcement on the CTranslate2 backend at its own speed (it has no lexical constraints).

Per batch of segments with term hits:

1. One CTranslate2 beam search, the same one the plain path runs (same beam, same length bounds), asked
   for its n-best list (``num_hypotheses = beam``) and the cross-attention of each hypothesis. Nothing
   is banned during it: its best is the model's own draft (the ledger's ``natural`` and forcing cost
   are measured against it), and a forbidden rendering the model writes is there whole, to be replaced
   whole in step 3. (Banning forbidden renderings with ``suppress_sequences`` made a model that has
   learned them spell them askew instead, ``Chinese-stylele modernization``, ``One Belt Onee Road``:
   words no edit could find; ``bench/bench_enforcement.py`` measured 430/500 exact with the ban and
   445/500 without it, the other edits the same.)
2. The best hypothesis that satisfies every term (an allowed rendering present and no forbidden one,
   by the rules of ``workbench.terms.check_target``) is taken as it is.
3. Otherwise the hypothesis with the fewest failing terms is edited: each missing term (or one present
   only in words the model wrote for a missing term's source) replaces the words the model aligned to
   its source (cross-attention), or is inserted where its source position says, at word boundaries; a forbidden rendering is replaced by the approved one
   (:mod:`workbench.mt.constrained.placement`). The text is checked again; up to three rounds. The
   model's own translations of the terms on their own (one small extra batch, :func:`own_renderings`)
   say which words are its rendering of a term: they take the term where attention points at a
   neighbour, they keep the words at either end of the aligned run that are not the model's own for
   the term (``about``, ``together``, the ``and`` before it) out of the edit, and the words of that
   rendering an edit left behind (``new journey expedition``) or repeated at the seam (``grid-based
   management management``) are dropped (:func:`trim_tails`).
4. Edited hypotheses are scored again by the model (``score_batch``: one parallel teacher-forced pass),
   so ``Draft.score`` is the true length-normalised log-probability of the text returned.

A term whose renderings cannot be spelled with the vocabulary, or that conflicts with another term of
the segment (one's approved rendering is the other's forbidden one), is reported in ``Draft.unmet``.
Only the CTranslate2 model is loaded. Why this design (and not re-decoding from a forced prefix, or the
transformers search on a faster model): the README's glossary section has the measurements.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Protocol

from workbench.errors import Cancelled
from workbench.mt.constrained.agreement import fix_articles
from workbench.mt.constrained.audit import audit
from workbench.mt.constrained.borrowed import borrowed_terms, source_span, unit_char_spans
from workbench.mt.constrained.hypothesis import Hypothesis, NBestEntry
from workbench.mt.constrained.ledger import with_ledger
from workbench.mt.constrained.placement import (
    SPIECE,
    Alignment,
    Draftable,
    Edit,
    apply_edits,
    choose_edit,
    drop_units,
    fit_length,
    known_words,
    units_covering,
    words_after,
)
from workbench.mt.constraints import (
    SegmentConstraints,
    TargetPieces,
    TokenConstraint,
    allowed_spans,
    build_segment_constraints,
    forbidden_spans,
    unmet_in_text,
)
from workbench.mt.vocab import MarianVocab
from workbench.records import TermConstraint

#: Edit-and-check rounds per segment (one is almost always enough; a later round repairs what an
#: edit disturbed, e.g. a replaced word that held another term).
ROUNDS = 3

#: The most words after a placed term that trimming may drop (the rest of the model's own rendering).
TRIM_WORDS = 3


class FastBackend(Protocol):
    """What this module needs from ``workbench.mt.ct2.CT2Engine``."""

    vocab: MarianVocab
    #: The most target pieces the model can score (its positions less the start token and one spare).
    max_target_pieces: int

    def target_pieces(self) -> TargetPieces: ...

    def nbest_attention(
        self,
        texts: Sequence[str],
        *,
        beam: int,
        min_new: int,
        max_new: int,
        suppress: Sequence[Sequence[str]],
    ) -> Sequence[Sequence[NBestEntry]]: ...

    def score(self, texts: Sequence[str], pieces: Sequence[Sequence[str]]) -> list[float]: ...


def constrain_batch(
    engine: FastBackend,
    texts: Sequence[str],
    constraints: Sequence[Sequence[TermConstraint]],
    *,
    beam: int,
    min_new: int,
    max_new: int,
    cancel: threading.Event | None = None,
) -> list[Hypothesis]:
    """Translate one batch so that every segment's terms are rendered as the glossary says.

    Args:
        engine: The CTranslate2 engine.
        texts: Source segments of one batch.
        constraints: Per segment, its matched terms.
        beam: Beam size (also the n-best size).
        min_new: Minimum output length, as the engine's length policy gives it.
        max_new: Maximum output length, as the engine's length policy gives it (end token included).
        cancel: Checked before the search, after it and before the rescoring.

    Returns:
        One hypothesis per segment; ``unmet`` names the terms that could not be placed.

    Raises:
        Cancelled: ``cancel`` was set.
    """
    if cancel is not None and cancel.is_set():
        raise Cancelled()
    if not texts:
        return []
    tp = engine.target_pieces()
    segs = [build_segment_constraints(tp, list(c or [])) for c in constraints]
    nbest = engine.nbest_attention(texts, beam=beam, min_new=min_new, max_new=max_new, suppress=[])
    if cancel is not None and cancel.is_set():
        raise Cancelled()
    own = own_renderings(engine, [t.source for seg in segs for t in seg.terms], beam=beam, max_new=max_new)
    out: list[Hypothesis | None] = [None] * len(texts)
    base_of: list[str | None] = [None] * len(texts)  # the n-best text each draft was taken from or edited
    edited: list[tuple[int, list[str], list[str]]] = []
    for i, (hyps, seg) in enumerate(zip(nbest, segs, strict=True)):
        ranked = []
        for rank, entry in enumerate(hyps):
            text = engine.vocab.detokenize(entry.pieces)
            failing = unmet_in_text(seg.terms, text)
            if not failing:
                out[i] = Hypothesis(text, tuple(entry.pieces), entry.score)
                base_of[i] = text
                break
            ranked.append((len(failing), rank, entry))
        if out[i] is None and ranked:
            base = min(ranked, key=lambda r: r[:2])[2]
            base_of[i] = engine.vocab.detokenize(base.pieces)
            pieces, failing = place_terms(
                engine.vocab,
                tp,
                texts[i],
                seg,
                base,
                limit=engine.max_target_pieces,
                own={t.source: own.get(t.source, []) for t in seg.terms},
            )
            edited.append((i, pieces, failing))
        elif out[i] is None:  # no hypothesis at all
            out[i] = Hypothesis("", (), -1e9)
    if edited:
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        scores = engine.score([texts[i] for i, _, _ in edited], [p for _, p, _ in edited])
        for (i, pieces, _), score in zip(edited, scores, strict=True):
            out[i] = Hypothesis(engine.vocab.detokenize(pieces), tuple(pieces), score)
    done = {i for i, _, _ in edited}
    return [
        with_ledger(
            audited(h, constraints[i] or (), seg, engine.max_target_pieces),
            engine.vocab,
            hyps,
            seg,
            base_of[i],
            i in done,
            _borrowed_in_best(engine.vocab, texts[i], seg, hyps) if i in done else (),
        )
        for i, (h, hyps, seg) in enumerate(zip(out, nbest, segs, strict=True))
        if h is not None
    ]


def _borrowed_in_best(
    vocab: MarianVocab, source: str, seg: SegmentConstraints, nbest: Sequence[NBestEntry]
) -> list[str]:
    """The terms the model's own best satisfies only with words it wrote for another term's source
    (:func:`~workbench.mt.constrained.borrowed.borrowed_terms`): not ``natural`` in the ledger."""
    if not nbest or not nbest[0].attention:
        return []
    best = Draftable(list(nbest[0].pieces))
    failing = unmet_in_text(seg.terms, vocab.detokenize(best.pieces))
    if not failing:
        return []
    spans = {t.source: source_span(vocab, source, t.source) for t in seg.terms}
    return borrowed_terms(best, vocab, seg, Alignment(nbest[0].attention), spans, failing)


def own_renderings(
    engine: FastBackend, sources: Sequence[str], *, beam: int, max_new: int
) -> dict[str, list[str]]:
    """How the model translates each term source on its own (its n-best texts): one small batch."""
    unique = list(dict.fromkeys(sources))
    if not unique:
        return {}
    nbest = engine.nbest_attention(unique, beam=beam, min_new=0, max_new=max_new, suppress=[])
    return {
        s: [engine.vocab.detokenize(e.pieces) for e in hyps] for s, hyps in zip(unique, nbest, strict=True)
    }


def audited(
    hyp: Hypothesis, terms: Sequence[TermConstraint], seg: SegmentConstraints, limit: int
) -> Hypothesis:
    """``hyp`` with ``unmet`` and ``reasons`` as the final text check finds them (:func:`audit`)."""
    room = max((len(q) for c in seg.required for q in c.sequences), default=0)
    unmet, reasons = audit(list(terms), seg, hyp.text, n_pieces=len(hyp.pieces), limit=limit, room=room)
    return replace(hyp, unmet=unmet, reasons=reasons)


def place_terms(
    vocab: MarianVocab,
    tp: TargetPieces,
    source: str,
    seg: SegmentConstraints,
    base: NBestEntry,
    *,
    limit: int | None = None,
    own: Mapping[str, Sequence[str]] | None = None,
) -> tuple[list[str], list[str]]:
    """Edit ``base`` until every term of ``seg`` passes the text check (at most :data:`ROUNDS` rounds).

    With ``limit``, every round's result is cut to at most that many pieces (:func:`fit_length`: the
    unconstrained tail goes first), so the model can always score what is returned; a runaway
    hypothesis that ran to the length cap is the normal case this is for.

    With ``own`` (the model's translations of the segment's terms on their own, :func:`own_renderings`),
    the words right after each placed term that the edit left over from the model's longer rendering
    (``investigation and research and study``) are dropped (:func:`trim_tails`).

    Returns:
        The edited pieces and the sources of the terms that still fail.
    """
    hyp = Draftable(list(base.pieces))
    n_source = len(vocab.source_pieces(source))
    align = Alignment(base.attention) if base.attention else None
    by_source = {c.source: c for c in seg.required}
    spans = {t.source: source_span(vocab, source, t.source) for t in seg.terms}
    failing = unmet_in_text(seg.terms, vocab.detokenize(hyp.pieces))
    if align is not None and failing:
        failing += borrowed_terms(hyp, vocab, seg, align, spans, failing)
    for _ in range(ROUNDS):
        if not failing:
            break
        text = vocab.detokenize(hyp.pieces)
        unit_chars = unit_char_spans(hyp, vocab)
        edits: list[Edit] = []
        # The words that already render a satisfied term are not the model's rendering of another one.
        kept = [span for t in seg.terms if t.source not in failing for span in allowed_spans(t, text)]
        claimed = set(units_covering(hyp, kept, unit_chars))
        terms = sorted((t for t in seg.terms if t.source in failing), key=lambda t: spans[t.source])
        for order, term in enumerate(terms):
            con = by_source.get(term.source)
            bad = forbidden_spans(term, text)
            if bad:
                keep = con is not None and not allowed_spans(term, text)
                pieces = _pieces(tp, con, False) if keep and con is not None else ()
                edits += _replace_forbidden(hyp, bad, unit_chars, claimed, pieces, order)
            elif con is not None:
                edit = choose_edit(
                    hyp,
                    align,
                    spans[term.source],
                    n_source,
                    _pieces(tp, con, False),
                    claimed,
                    order,
                    known=known_words((own or {}).get(term.source, ())),
                    own=(own or {}).get(term.source, ()),
                )
                if edit.lo == 0 and not any(e.lo == 0 for e in edits):
                    edit = Edit(edit.lo, edit.hi, _pieces(tp, con, True), order)
                edits.append(edit)
            claimed |= {k for e in edits for k in range(e.lo, e.hi)}
        hyp = apply_edits(hyp, edits)
        if limit is not None and len(hyp.pieces) > limit:
            hyp = fit_length(hyp, limit, _satisfied_units(hyp, vocab, seg))
        failing = unmet_in_text(seg.terms, vocab.detokenize(hyp.pieces))
    hyp = fix_articles(hyp, tp.vocab, tp.pieces)
    if own:
        groups = [list(own.get(t.source, ())) for t in seg.terms]
        hyp = trim_tails(hyp, vocab, seg, failing, _leftover(vocab, list(base.pieces), groups))
    return hyp.pieces, failing


def _leftover(
    vocab: MarianVocab, original: list[str], own: Sequence[Sequence[str]]
) -> Callable[[Draftable, list[int]], bool]:
    """Whether a word after a placed term continues the model's own rendering of a term.

    ``own`` is how the model translates each of the segment's terms on its own (its n-best per term;
    one term's texts must agree). The word, with
    the words before it back to the last word the edit replaced, must follow every occurrence of that
    word in every one of those texts that has it (``volunteers`` after ``heroine``: a leftover;
    ``received`` after ``heroines`` in ``the heroines received the heroines in Yunnan``: not, nor ``and``
    in ``a council member and a council member``: a model's own texts can repeat a rendering in a
    frame it invents, and only what follows the rendering every time belongs to it). Nor is a word that
    ends every such invented sentence (``together`` in ``Zhang Ling and Zhu Ling supported the women's
    league together.``).
    """
    groups = [[t.lower() for t in texts] for texts in own]

    def first(phrase: str, text: str) -> int:
        found = re.search(rf"(?<!\w){re.escape(phrase.lower())}(?!\w)", text)
        return found.start() if found else -1

    def follows(last: str, phrase: str, text: str) -> bool:
        """True when ``phrase`` starts at every occurrence of ``last`` in ``text``."""
        starts = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(last.lower())}(?!\w)", text)]
        return all(first(phrase, text[at:]) == 0 for at in starts)

    def closes(last: str, phrase: str, text: str) -> bool:
        """True when ``phrase`` ends a sentence the model made up around ``last`` (words before it)."""
        at = first(last, text)
        rest = text[at + len(phrase) :]
        return len(re.findall(r"\w+", text[:at])) >= 2 and not re.search(r"\w", rest)

    def leftover(cur: Draftable, word: list[int]) -> bool:
        units = cur.units()
        a, b = cur.origin[units[word[0]][0]], cur.origin[units[word[-1]][1] - 1]
        if a <= 0 or b < a:
            return False
        start = max(
            (i for i in range(a) if original[i].startswith(SPIECE) and (i == 0 or original[i - 1] != SPIECE)),
            default=0,
        )
        last = vocab.detokenize(original[start:a]).strip()
        phrase = vocab.detokenize(original[start : b + 1]).strip()
        if not last:
            return False
        for texts in groups:
            seen = [t for t in texts if first(last, t) >= 0]
            if (
                seen
                and all(follows(last, phrase, t) for t in seen)
                and not all(closes(last, phrase, t) for t in seen)
            ):
                return True
        return False

    return leftover


def trim_tails(
    hyp: Draftable,
    vocab: MarianVocab,
    seg: SegmentConstraints,
    failing: Sequence[str],
    leftover: Callable[[Draftable, list[int]], bool],
) -> Draftable:
    """``hyp`` less the words after each placed term that are left over from the model's own rendering
    of it (``leftover(hyp, the word's units)``; up to :data:`TRIM_WORDS`, last placed term first, the
    longest run of leftover words that keeps every passing term passing)."""
    allowed = set(failing)
    for k, words in reversed(words_after(hyp, TRIM_WORDS)):
        n = 0
        while n < len(words) and leftover(hyp, words[n]):
            n += 1
        n = max(n, _repeats(hyp, k, words))
        for d in range(n, 0, -1):
            cut = drop_units(hyp, {k for word in words[:d] for k in word})
            if cut.pieces and set(unmet_in_text(seg.terms, vocab.detokenize(cut.pieces))) <= allowed:
                hyp = cut
                break
    return hyp


def _repeats(hyp: Draftable, k: int, words: Sequence[list[int]]) -> int:
    """How many of ``words`` (after the placed run that ends before unit ``k``) repeat the run's end word
    for word (``grid-based management management``, ``left-behind children-behind children``): a seam
    the edit left, whatever the alignment says."""
    units = hyp.units()
    start = k
    while start > 0 and any(hyp.locked[units[start - 1][0] : units[start - 1][1]]):
        start -= 1
    placed = _text(hyp, units[start:k])
    for d in range(len(words), 0, -1):
        tail = _text(hyp, [units[j] for word in words[:d] for j in word])
        if (
            tail
            and re.search(rf"(?<![\w-]){re.escape(tail.lstrip('-'))}$", placed.lower())
            and len(tail) < len(placed)
        ):
            return d
    return 0


def _text(hyp: Draftable, units: Sequence[tuple[int, int]]) -> str:
    """The text of ``units`` (lower case, outer spaces stripped)."""
    return "".join(p for s, e in units for p in hyp.pieces[s:e]).replace(SPIECE, " ").strip().lower()


def _satisfied_units(hyp: Draftable, vocab: MarianVocab, seg: SegmentConstraints) -> set[int]:
    """Units holding an allowed rendering of a term the text satisfies."""
    text = vocab.detokenize(hyp.pieces)
    failing = set(unmet_in_text(seg.terms, text))
    spans = [span for t in seg.terms if t.source not in failing for span in allowed_spans(t, text)]
    return set(units_covering(hyp, spans, unit_char_spans(hyp, vocab))) if spans else set()


def _replace_forbidden(
    hyp: Draftable,
    bad: Sequence[tuple[int, int]],
    unit_chars: Sequence[tuple[int, int]],
    claimed: set[int],
    pieces: tuple[str, ...],
    order: int,
) -> list[Edit]:
    """Edits that replace each forbidden occurrence's units: the first with ``pieces``, the rest with nothing."""
    edits: list[Edit] = []
    units = hyp.units()
    for span in bad:
        ks = [
            k
            for k in units_covering(hyp, [span], unit_chars)
            if k not in claimed and not any(hyp.locked[units[k][0] : units[k][1]])
        ]
        if not ks:
            continue
        lo, hi = min(ks), max(ks) + 1
        if any(k in claimed for k in range(lo, hi)) or any(e.lo < hi and lo < e.hi for e in edits):
            continue
        edits.append(Edit(lo, hi, pieces if not edits else (), order))
    return edits


def _pieces(tp: TargetPieces, con: TokenConstraint, initial: bool) -> tuple[str, ...]:
    """The term's boundary form as pieces: the approved rendering as given, or (``initial``) its
    sentence-initial capital form where it has one."""
    bounded = [k for k in range(len(con.sequences)) if not (con.glued and con.glued[k])]
    if initial:
        capital = [k for k in bounded if con.initial_only(k)]
        bounded = capital + bounded
    else:
        bounded = [k for k in bounded if not con.initial_only(k)] + bounded
    return tuple(tp.id_to_piece[i] for i in con.sequences[bounded[0]])
