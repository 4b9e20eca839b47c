"""The constrained search's inputs as padded tensors: one batch of segments' alternatives and bans.

Shapes use these letters: ``B`` sentences, ``R = B x beam`` hypothesis rows, ``A`` alternatives (token
sequences) per sentence, ``C`` constraints per sentence, ``L`` the longest alternative, ``K`` banned
sequences per sentence, ``LB`` the longest banned sequence, ``V`` the vocabulary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from workbench.mt.constraints import SPIECE, SegmentConstraints, TargetPieces

#: English articles: a term starts after one, never in its place (the article belongs to the sentence).
ARTICLES = ("the", "a", "an")


@dataclass(frozen=True)
class ConstraintTensors:
    """Every segment's alternatives and banned sequences, padded to one shape per batch.

    Attributes:
        alt_tok: ``[B, A, L]`` token ids of each alternative, padded with -1.
        alt_len: ``[B, A]`` their lengths.
        alt_valid: ``[B, A]`` True for real alternatives (not padding).
        alt_startw: ``[B, A]`` glued alternatives that start with a word character.
        alt_initial: ``[B, A]`` sentence-initial capital forms.
        alt_endw: ``[B, A]`` alternatives that end in a word character.
        alt_endnonletter: ``[B, A]`` those that end in a word character that is not a letter.
        onehot: ``[B, A, C]`` which constraint each alternative belongs to.
        alt_approved: ``[B, A]`` the alternative spells the approved rendering (any case form), or its
            constraint has no producible approved rendering: the search may force it; the other
            alternatives only start where the model writes them itself.
        alt_usual: ``[B, A]`` the alternative is the model's own rendering of the term in this sentence
            (found in its unconstrained draft): it starts where it is the model's best token and the
            winner gets the approved rendering in its place (:mod:`~workbench.mt.constrained.usual`).
        alt_src_lo: ``[B, A]`` first source token of the term each alternative renders (-1: unknown, the
            alternative may start anywhere).
        alt_src_hi: ``[B, A]`` its last source token.
        con_valid: ``[B, C]`` True for real constraints.
        con_lmax: ``[B, C]`` the longest alternative of each constraint (its bank weight once met).
        ban_tok: ``[B, K, LB]`` banned sequences, padded with -1.
        ban_len: ``[B, K]`` their lengths (0 for padding).
        any_con: Some sentence has a constraint.
        any_ban: Some sentence has a banned sequence.
    """

    alt_tok: torch.Tensor
    alt_len: torch.Tensor
    alt_valid: torch.Tensor
    alt_startw: torch.Tensor
    alt_initial: torch.Tensor
    alt_endw: torch.Tensor
    alt_endnonletter: torch.Tensor
    onehot: torch.Tensor
    alt_approved: torch.Tensor
    alt_usual: torch.Tensor
    alt_src_lo: torch.Tensor
    alt_src_hi: torch.Tensor
    con_valid: torch.Tensor
    con_lmax: torch.Tensor
    ban_tok: torch.Tensor
    ban_len: torch.Tensor
    any_con: bool
    any_ban: bool

    @property
    def n_alternatives(self) -> int:
        """``A``."""
        return self.alt_tok.shape[1]

    @property
    def n_constraints(self) -> int:
        """``C``."""
        return self.onehot.shape[2]

    @property
    def n_banned(self) -> int:
        """``K``."""
        return self.ban_tok.shape[1]

    @property
    def ban_valid(self) -> torch.Tensor:
        """``[B, K]`` True for real banned sequences."""
        return self.ban_len > 0

    @classmethod
    def build(
        cls,
        segs: Sequence[SegmentConstraints],
        device: torch.device,
        spans: Sequence[Sequence[tuple[int, int]]] | None = None,
        usual: Sequence[dict[int, tuple[int, ...]]] | None = None,
    ) -> ConstraintTensors:
        """Flatten the segments' alternatives and banned sequences into padded tensors on ``device``.

        ``spans``: per segment, per required constraint, the source tokens ``(first, last)`` of its term
        (``(-1, -1)``: unknown). ``usual``: per segment, per constraint index, the indexes of its
        alternatives that are the model's own renderings (``alt_usual``).
        """
        usual = usual if usual is not None else [{} for _ in segs]
        B = len(segs)
        A = max(1, max((sum(len(c.sequences) for c in s.required) for s in segs), default=0))
        C = max(1, max((len(s.required) for s in segs), default=0))
        L = max([1] + [len(q) for s in segs for c in s.required for q in c.sequences])
        K = max(1, max((len(s.banned) for s in segs), default=0))
        LB = max([1] + [len(q) for s in segs for q in s.banned])
        alt_tok = torch.full((B, A, L), -1, dtype=torch.long)
        alt_len = torch.zeros((B, A), dtype=torch.long)
        alt_con = torch.zeros((B, A), dtype=torch.long)
        alt_src = torch.full((2, B, A), -1, dtype=torch.long)
        flags = {
            name: torch.zeros((B, A), dtype=torch.bool)
            for name in ("valid", "startw", "initial", "endw", "endnl", "approved", "usual")
        }
        con_valid = torch.zeros((B, C), dtype=torch.bool)
        con_lmax = torch.zeros((B, C), dtype=torch.long)
        ban_tok = torch.full((B, K, LB), -1, dtype=torch.long)
        ban_len = torch.zeros((B, K), dtype=torch.long)
        for b, seg in enumerate(segs):
            a = 0
            for ci, con in enumerate(seg.required):
                con_valid[b, ci] = True
                approved = _approved_forms(seg, ci)
                for k, seq in enumerate(con.sequences):
                    flags["startw"][b, a] = con.starts_word(k)
                    flags["initial"][b, a] = con.initial_only(k)
                    flags["endw"][b, a] = con.ends_word(k)
                    flags["endnl"][b, a] = con.ends_word(k) and not con.ends_letter(k)
                    flags["valid"][b, a] = True
                    flags["approved"][b, a] = approved[k]
                    flags["usual"][b, a] = k in usual[b].get(ci, ())
                    alt_tok[b, a, : len(seq)] = torch.tensor(seq)
                    alt_len[b, a] = len(seq)
                    alt_con[b, a] = ci
                    if spans is not None and ci < len(spans[b]):
                        alt_src[0, b, a], alt_src[1, b, a] = spans[b][ci]
                    a += 1
                con_lmax[b, ci] = max(len(q) for q in con.sequences)
            for k, seq in enumerate(seg.banned):
                ban_tok[b, k, : len(seq)] = torch.tensor(seq)
                ban_len[b, k] = len(seq)
        onehot = torch.nn.functional.one_hot(alt_con, C).to(torch.bool) & flags["valid"].unsqueeze(-1)
        return cls(
            alt_tok=alt_tok.to(device),
            alt_len=alt_len.to(device),
            alt_valid=flags["valid"].to(device),
            alt_startw=flags["startw"].to(device),
            alt_initial=flags["initial"].to(device),
            alt_endw=flags["endw"].to(device),
            alt_endnonletter=flags["endnl"].to(device),
            onehot=onehot.to(device),
            alt_approved=flags["approved"].to(device),
            alt_usual=flags["usual"].to(device),
            alt_src_lo=alt_src[0].to(device),
            alt_src_hi=alt_src[1].to(device),
            con_valid=con_valid.to(device),
            con_lmax=con_lmax.to(device),
            ban_tok=ban_tok.to(device),
            ban_len=ban_len.to(device),
            any_con=bool(flags["valid"].any()),
            any_ban=bool((ban_len > 0).any()),
        )

    def rows(self, sent_of_row: torch.Tensor) -> RowConstraints:
        """The per-sentence tensors repeated for each hypothesis row (``sent_of_row``: ``[R]``)."""
        return RowConstraints(
            alt_tok=self.alt_tok[sent_of_row],
            alt_valid=self.alt_valid[sent_of_row],
            onehot=self.onehot[sent_of_row],
            con_valid=self.con_valid[sent_of_row],
            ban_tok=self.ban_tok[sent_of_row],
            ban_len=self.ban_len[sent_of_row],
            ban_valid=self.ban_valid[sent_of_row],
        )


def _approved_forms(seg: SegmentConstraints, ci: int) -> list[bool]:
    """Per alternative of required constraint ``ci``: it spells the term's approved rendering (all of
    them where none does, e.g. the approved one cannot be spelled in the target vocabulary)."""
    con = seg.required[ci]
    term = seg.terms[ci] if ci < len(seg.terms) else None
    if term is None or not term.allowed:
        return [True] * len(con.sequences)
    approved = term.allowed[0].casefold()
    flags = [ci_r.casefold() == approved for ci_r in con.renderings[: len(con.sequences)]]
    flags += [False] * (len(con.sequences) - len(flags))
    return flags if any(flags) else [True] * len(con.sequences)


@dataclass(frozen=True)
class RowConstraints:
    """The constraint tensors a hypothesis row needs, indexed by row instead of sentence.

    Attributes:
        alt_tok: ``[R, A, L]``.
        alt_valid: ``[R, A]``.
        onehot: ``[R, A, C]``.
        con_valid: ``[R, C]``.
        ban_tok: ``[R, K, LB]``.
        ban_len: ``[R, K]``.
        ban_valid: ``[R, K]``.
    """

    alt_tok: torch.Tensor
    alt_valid: torch.Tensor
    onehot: torch.Tensor
    con_valid: torch.Tensor
    ban_tok: torch.Tensor
    ban_len: torch.Tensor
    ban_valid: torch.Tensor


@dataclass(frozen=True)
class BoundaryMasks:
    """Per-token facts the word-boundary rules need (``[V]`` each).

    Attributes:
        glue_start: The token glues a word character onto what precedes it.
        glue_no_plural: Same, except the plural pieces "s"/"es" (allowed once after a term).
        ends_word: The token ends in a word character.
        opens_sentence: A capital may follow the token (sentence punctuation, opening quote, the start).
        article: The token is an English article as a word of its own (``▁the``, ``▁A``, ...).
        plural_ids: Ids of the plural pieces that exist in the vocabulary.
    """

    glue_start: torch.Tensor
    glue_no_plural: torch.Tensor
    ends_word: torch.Tensor
    opens_sentence: torch.Tensor
    article: torch.Tensor
    plural_ids: tuple[int, ...]

    @classmethod
    def build(cls, tp: TargetPieces, size: int, start_id: int, device: torch.device) -> BoundaryMasks:
        """The masks for a vocabulary of ``size`` logits; the decoder start token opens a sentence."""
        plural_ids = tuple(i for i in (tp.vocab.get("s"), tp.vocab.get("es")) if i is not None and i < size)
        glue, ends, opens = tp.boundary_masks(size)
        glue_start = torch.tensor(glue, dtype=torch.bool, device=device)
        glue_no_plural = glue_start.clone()
        glue_no_plural[list(plural_ids)] = False
        opens_sentence = torch.tensor(opens, dtype=torch.bool, device=device)
        if start_id < size:
            opens_sentence[start_id] = True
        article = torch.zeros(size, dtype=torch.bool, device=device)
        for word in ARTICLES:
            for form in (word, word.capitalize()):
                idx = tp.vocab.get(SPIECE + form)
                if idx is not None and idx < size:
                    article[idx] = True
        return cls(
            glue_start=glue_start,
            glue_no_plural=glue_no_plural,
            ends_word=torch.tensor(ends, dtype=torch.bool, device=device),
            opens_sentence=opens_sentence,
            article=article,
            plural_ids=plural_ids,
        )
