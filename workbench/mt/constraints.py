"""Glossary constraints turned into token sequences for the constrained beam search.

A :class:`~workbench.records.TermConstraint` says, in words, how a matched term must be rendered. The
decoder works on token ids, so every allowed rendering is expanded into the token sequences under which
it can appear in a draft:

* case forms: as given, with a sentence-initial capital ("women's" -> "Women's", used by the search
  only at the start of a sentence) and, where the only capital is the first letter, in lowercase
  ("Women's" -> "women's");
* word-boundary forms: with the leading "▁" piece (" women's" after a space) and glued to whatever
  precedes it ("“women's" after an opening quote or bracket).

Any one of these sequences satisfies the constraint (a disjunctive constraint). Forbidden renderings are
expanded the same way into banned sequences the search never completes. A rendering whose pieces are not
all in the target vocabulary (it would come out as ``<unk>``) cannot be produced; a constraint left with
no producible rendering is reported as unplaceable rather than silently dropped.

The text-level checks :func:`rendering_present` and :func:`forbidden_present` use the same case rules
so that what the search enforces is exactly what the final check accepts.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workbench.mt.vocab import EOS, PAD, UNK
from workbench.records import TermConstraint
from workbench.terms.qa import nested, rendering_pattern

SPIECE = "\u2581"
_NEVER_LOWER = {
    "I",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
}


_CAPITAL_AFTER = set(".!?:;\"“”«»‘'(（[【…。！？：；")


def _is_word_char(ch: str) -> bool:
    return bool(ch) and (ch.isalnum() or ch == "_")


@dataclass(frozen=True)
class TokenConstraint:
    """One term constraint in token space.

    Attributes:
        source: The source term (what ``Draft.unmet`` reports).
        sequences: Alternative token-id sequences; producing any one of them meets the constraint.
        renderings: The rendering (case form) each sequence spells, for the text-level check.
    """

    source: str
    sequences: tuple[tuple[int, ...], ...]
    renderings: tuple[str, ...]
    glued: tuple[bool, ...] = ()
    initial: tuple[bool, ...] = ()

    def initial_only(self, k: int) -> bool:
        """True when alternative ``k`` is the sentence-initial capital of a lowercase rendering: it may
        only start the draft or follow sentence punctuation (no "the Women's federation")."""
        return bool(self.initial and self.initial[k])

    def starts_word(self, k: int) -> bool:
        """True when alternative ``k`` is glued to what precedes it and starts with a word character:
        it may only start after a token that ends in a non-word character (else "women" would be
        placed inside "nonwomen")."""
        return bool(self.glued and self.glued[k]) and _is_word_char(self.renderings[k][:1])

    def ends_letter(self, k: int) -> bool:
        """True when alternative ``k`` ends in a letter (a plural "s"/"es" may then follow)."""
        return self.renderings[k][-1:].isalpha()

    def ends_word(self, k: int) -> bool:
        """True when alternative ``k`` ends in a word character (the next token must not glue on)."""
        return _is_word_char(self.renderings[k][-1:])


@dataclass(frozen=True)
class SegmentConstraints:
    """Everything the search needs to enforce one segment's glossary.

    Attributes:
        required: Constraints that must each be met once.
        banned: Token sequences the output must never contain.
        unplaceable: Sources of constraints with no producible rendering (reported as unmet).
        forbidden: The forbidden renderings as text, for the final text-level check.
        terms: The original constraints that are enforced (parallel to ``required``).
    """

    required: tuple[TokenConstraint, ...] = ()
    banned: tuple[tuple[int, ...], ...] = ()
    unplaceable: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    terms: tuple[TermConstraint, ...] = ()

    @property
    def empty(self) -> bool:
        """True when there is nothing to enforce."""
        return not self.required and not self.banned


def case_forms(rendering: str) -> list[str]:
    """Return the case forms of ``rendering`` the search accepts, the given form first.

    Args:
        rendering: An English rendering from the glossary.

    Returns:
        The rendering as given, with a capitalised first letter, and (when the first letter is the only
        capital and the first word is not a month, weekday or "I") with a lowercase first letter.
    """
    forms = [rendering]
    if not rendering:
        return forms
    first = rendering[0]
    if first.islower():
        forms.append(first.upper() + rendering[1:])
    elif first.isupper():
        first_word = re.split(r"[\s'’-]", rendering, maxsplit=1)[0]
        if not any(ch.isupper() for ch in rendering[1:]) and first_word not in _NEVER_LOWER:
            forms.append(first.lower() + rendering[1:])
    return list(dict.fromkeys(forms))


def _spans(renderings: Sequence[str], text: str, case_sensitive: bool = False) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for r in sorted({r for r in renderings if r.strip()}, key=len, reverse=True):
        found += [(m.start(), m.end()) for m in rendering_pattern(r, case_sensitive).finditer(text)]
    return found


def rendering_present(rendering: str, text: str, case_sensitive: bool = False) -> bool:
    """True when ``text`` contains ``rendering`` as ``workbench.terms.check_target`` finds it.

    That is: at word boundaries, case-insensitively, any whitespace run for a space, ``'`` for ``’``,
    and an optional plural ``s``/``es``.
    """
    return bool(_spans([rendering], text, case_sensitive))


def forbidden_present(
    rendering: str, text: str, allowed: Sequence[str] = (), case_sensitive: bool = False
) -> bool:
    """True when the forbidden ``rendering`` occurs in ``text`` outside any occurrence of ``allowed``."""
    ok_spans = _spans(allowed, text, case_sensitive)
    found = _spans([rendering], text, case_sensitive)
    return any(not any(a <= s and e <= b for a, b in ok_spans) for s, e in found)


def unmet_in_text(terms: Sequence[TermConstraint], text: str) -> list[str]:
    """Sources of ``terms`` that ``text`` does not satisfy: no allowed rendering present (outside a longer
    rendering of another of ``terms``, as ``workbench.terms.check_target`` counts it), or a forbidden one
    present."""
    unmet: list[str] = []
    found = [_spans(term.allowed, text, term.case_sensitive) for term in terms]
    for i, term in enumerate(terms):
        cs = term.case_sensitive
        others = [span for j, spans in enumerate(found) if terms[j].source != term.source for span in spans]
        ok = not term.allowed or any(not nested(span, others) for span in found[i])
        if ok and any(forbidden_present(f, text, term.allowed, cs) for f in term.forbidden):
            ok = False
        if not ok and term.source not in unmet:
            unmet.append(term.source)
    return unmet


def allowed_spans(term: TermConstraint, text: str) -> list[tuple[int, int]]:
    """Character spans of ``text`` where one of ``term``'s allowed renderings occurs (as the check finds it)."""
    return _spans(term.allowed, text, term.case_sensitive)


def forbidden_spans(term: TermConstraint, text: str) -> list[tuple[int, int]]:
    """Character spans of ``term``'s forbidden renderings in ``text`` outside any allowed rendering."""
    ok = allowed_spans(term, text)
    found = _spans(term.forbidden, text, term.case_sensitive)
    return sorted((s, e) for s, e in set(found) if not any(a <= s and e <= b for a, b in ok))


class TargetPieces:
    """Target-side tokenisation helpers for a Marian (sentencepiece) tokenizer.

    Falls back to the generic ``tokenize``/``convert_tokens_to_ids`` interface for other tokenizers.

    Args:
        tokenizer: A transformers tokenizer, normally ``MarianTokenizer``.
    """

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer
        if getattr(tokenizer, "separate_vocabs", False):
            vocab: dict[str, int] = dict(tokenizer.target_encoder)
        elif hasattr(tokenizer, "encoder") and isinstance(tokenizer.encoder, dict):
            vocab = dict(tokenizer.encoder)
        else:
            vocab = dict(tokenizer.get_vocab())
        self._setup(
            vocab,
            getattr(tokenizer, "spm_target", None),
            tokenizer.unk_token_id,
            set(tokenizer.all_special_ids),
            set(tokenizer.all_special_tokens),
        )

    @classmethod
    def from_vocab(cls, vocab: Any) -> TargetPieces:
        """The helper for a :class:`workbench.mt.vocab.MarianVocab` (no transformers tokenizer needed)."""
        self = cls.__new__(cls)
        self.tokenizer = None
        specials = {p for p in (EOS, UNK, PAD) if p in vocab.vocab}
        self._setup(
            dict(vocab.vocab),
            vocab.target,
            vocab.vocab.get(UNK),
            {vocab.vocab[p] for p in specials},
            specials,
        )
        return self

    def _setup(
        self, vocab: dict[str, int], spm: Any, unk_id: int | None, special_ids: set[int], specials: set[str]
    ) -> None:
        self.spm = spm
        self.vocab = vocab
        self.unk_id = unk_id
        self.special_ids = special_ids
        self.id_to_piece = {i: p for p, i in self.vocab.items()}
        # Pieces usable inside a glued (no leading boundary) segmentation, longest first per start char.
        self._glue_pieces = {p for p in self.vocab if p and SPIECE not in p and p not in specials}
        self._max_piece = max((len(p) for p in self._glue_pieces), default=1)
        self._masks: dict[int, tuple[list[bool], list[bool], list[bool]]] = {}

    def pieces(self, text: str) -> list[str]:
        """Sentencepiece pieces of ``text`` as the start of a word (with the leading "▁")."""
        if self.spm is not None:
            return list(self.spm.encode(text, out_type=str))
        with_space = self.tokenizer.tokenize(" " + text)
        return list(with_space)

    def ids(self, pieces: Sequence[str]) -> tuple[int, ...] | None:
        """Vocabulary ids of ``pieces``; None when any piece is unknown (would be produced as ``<unk>``)."""
        out = []
        for piece in pieces:
            idx = self.vocab.get(piece)
            if idx is None or idx == self.unk_id or idx in self.special_ids:
                return None
            out.append(idx)
        return tuple(out)

    def glued(self, text: str) -> tuple[int, ...] | None:
        """A token sequence spelling ``text`` without the leading word boundary, or None if none exists."""
        pieces = self.pieces(text)
        if not pieces:
            return None
        head = pieces[0]
        if head == SPIECE:
            rest = pieces[1:]
        elif head.startswith(SPIECE) and head[1:] in self._glue_pieces:
            rest = [head[1:], *pieces[1:]]
        else:
            first = self._segment_glued(head[1:] if head.startswith(SPIECE) else head)
            if first is None:
                return None
            rest = first + pieces[1:]
        return self.ids(rest) if rest else None

    def _segment_glued(self, word: str) -> list[str] | None:
        """Fewest-pieces segmentation of ``word`` into vocabulary pieces without a boundary marker."""
        n = len(word)
        best: list[list[str] | None] = [None] * (n + 1)
        best[0] = []
        for i in range(n):
            if best[i] is None:
                continue
            for j in range(i + 1, min(n, i + self._max_piece) + 1):
                piece = word[i:j]
                if piece in self._glue_pieces:
                    cand = [*best[i], piece]  # type: ignore[misc]
                    if best[j] is None or len(cand) < len(best[j]):  # type: ignore[arg-type]
                        best[j] = cand
        return best[n]

    def boundary_masks(self, size: int) -> tuple[list[bool], list[bool], list[bool]]:
        """Per token id below ``size``: (glues a word character onto what precedes it, ends in one,
        ends a sentence or opens a quote so that a capital may follow).

        Byte-fallback pieces count as word characters both ways (conservative: they may be letters).
        """
        cached = self._masks.get(size)
        if cached is not None:
            return cached
        glue = [False] * size
        ends = [False] * size
        opens = [False] * size
        for piece, idx in self.vocab.items():
            if idx >= size or idx in self.special_ids:
                continue
            if piece.startswith("<0x") and piece.endswith(">"):
                glue[idx] = ends[idx] = True
                continue
            body = piece.replace(SPIECE, " ")
            glue[idx] = _is_word_char(body[:1])
            ends[idx] = _is_word_char(body[-1:])
            opens[idx] = body.rstrip()[-1:] in _CAPITAL_AFTER
        self._masks[size] = (glue, ends, opens)
        return glue, ends, opens

    def decode(self, ids: Sequence[int]) -> str:
        """Detokenise target ids (special tokens dropped) with the target sentencepiece model."""
        pieces = [self.id_to_piece[i] for i in ids if i not in self.special_ids and i in self.id_to_piece]
        if self.spm is not None:
            return str(self.spm.decode_pieces(pieces)).replace(SPIECE, " ").strip()
        return "".join(pieces).replace(SPIECE, " ").strip()


_HELPERS: dict[int, tuple[weakref.ref[Any], TargetPieces]] = {}


def target_pieces(tokenizer: Any) -> TargetPieces:
    """The (cached, per tokenizer object) :class:`TargetPieces` helper for ``tokenizer``."""
    entry = _HELPERS.get(id(tokenizer))
    if entry is not None and entry[0]() is tokenizer:
        return entry[1]
    helper = TargetPieces(tokenizer)
    for key in [k for k, (ref, _) in _HELPERS.items() if ref() is None]:
        del _HELPERS[key]
    _HELPERS[id(tokenizer)] = (weakref.ref(tokenizer), helper)
    return helper


def rendering_sequences(
    tp: TargetPieces, rendering: str, case_sensitive: bool = False
) -> list[tuple[tuple[int, ...], str, bool]]:
    """All token sequences (with their case form) for one rendering; empty when it cannot be produced.

    Args:
        tp: Target tokenisation helper.
        rendering: The English rendering.
        case_sensitive: Only the rendering as given, no case variants.

    Returns:
        Deduplicated ``(ids, case_form, glued)`` triples: each case form with the leading boundary
        (``glued`` False) and without it (``glued`` True).
    """
    seen: dict[tuple[int, ...], tuple[str, bool]] = {}
    text = " ".join(rendering.split())
    if not text:
        return []
    for form in [text] if case_sensitive else case_forms(text):
        bounded = tp.ids(tp.pieces(form))
        if bounded is None:
            # The boundary form is how the model writes a word after a space; if that cannot be produced,
            # neither can the rendering in normal running text.
            continue
        seen.setdefault(bounded, (form, False))
        glued = tp.glued(form)
        if glued is not None:
            seen.setdefault(glued, (form, True))
    return [(seq, form, glued) for seq, (form, glued) in seen.items()]


def _contains(seq: Sequence[int], sub: Sequence[int]) -> bool:
    n = len(sub)
    return any(tuple(seq[i : i + n]) == tuple(sub) for i in range(len(seq) - n + 1))


def build_segment_constraints(tokenizer: Any, terms: Sequence[TermConstraint]) -> SegmentConstraints:
    """Turn one segment's term constraints into token-level constraints.

    Identical constraints (same allowed and forbidden renderings) are merged: the rendering must appear
    once. A banned sequence that is part of an allowed sequence of the same segment is not banned (the
    allowed rendering wins; a glossary that forbids "women" and requires "women's" means the phrase).

    Args:
        tokenizer: The Marian tokenizer of the model that will decode, or its :class:`TargetPieces`.
        terms: The segment's matched terms.

    Returns:
        The segment's :class:`SegmentConstraints`.
    """
    tp = tokenizer if isinstance(tokenizer, TargetPieces) else target_pieces(tokenizer)
    required: list[TokenConstraint] = []
    enforced: list[TermConstraint] = []
    unplaceable: list[str] = []
    banned: dict[tuple[int, ...], None] = {}
    forbidden: list[str] = []
    seen_keys: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()
    for term in terms:
        key = (tuple(term.allowed), tuple(term.forbidden))
        if key in seen_keys:
            continue
        seen_keys.add(key)
        for bad in term.forbidden:
            forbidden.append(bad)
            for seq, _form, _glued in rendering_sequences(tp, bad, term.case_sensitive):
                banned[seq] = None
        if not term.allowed:
            enforced.append(term)
            continue
        seqs: dict[tuple[int, ...], tuple[str, bool]] = {}
        initial: dict[tuple[int, ...], bool] = {}
        for rendering in term.allowed:
            for seq, form, glued in rendering_sequences(tp, rendering, term.case_sensitive):
                seqs.setdefault(seq, (form, glued))
                capitalised = form != rendering and form[:1].isupper()
                initial[seq] = initial.get(seq, True) and capitalised
        if not seqs:
            unplaceable.append(term.source)
            continue
        required.append(
            TokenConstraint(
                term.source,
                tuple(seqs),
                tuple(f for f, _ in seqs.values()),
                tuple(g for _, g in seqs.values()),
                tuple(initial[q] for q in seqs),
            )
        )
        enforced.append(term)
    allowed_seqs = [s for c in required for s in c.sequences]
    kept_banned = tuple(b for b in banned if not any(_contains(a, b) for a in allowed_seqs))
    # A required constraint whose every alternative contains a banned sequence cannot be placed.
    final_required = []
    for c in required:
        alts = [
            (s, r, g, i)
            for s, r, g, i in zip(c.sequences, c.renderings, c.glued, c.initial, strict=True)
            if not any(_contains(s, b) for b in kept_banned)
        ]
        if alts:
            final_required.append(
                TokenConstraint(
                    c.source,
                    tuple(a[0] for a in alts),
                    tuple(a[1] for a in alts),
                    tuple(a[2] for a in alts),
                    tuple(a[3] for a in alts),
                )
            )
        else:
            unplaceable.append(c.source)
    return SegmentConstraints(
        required=tuple(final_required),
        banned=kept_banned,
        unplaceable=tuple(dict.fromkeys(unplaceable)),
        forbidden=tuple(dict.fromkeys(forbidden)),
        terms=tuple(enforced),
    )
