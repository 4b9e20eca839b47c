"""Lexically constrained beam search for Marian models on transformers (our own; transformers 5 removed theirs).

The search follows the idea of Post & Vilar (2018), dynamic beam allocation, in the vectorised form of
Hu et al. (2019):

* The encoder runs once per batch; the decoder runs one token at a time with its key/value cache, over
  all sentences x beams at once (:class:`~workbench.mt.constrained.stepper.MarianStepper`).
* Each glossary term is a disjunctive constraint: any of its token sequences (case and word-boundary
  forms, see :mod:`workbench.mt.constraints`) meets it. Every hypothesis tracks, for every alternative,
  how many of its tokens it has just produced; a token that does not continue an alternative abandons
  that partial match (progress falls back to 0, or 1 if the token starts the alternative again).
* Candidates at each step: the top ``2 x beam`` continuations of the whole beam, each hypothesis' best
  next token, and every token that advances an unmet constraint of a hypothesis.
* Each candidate is put in a bank by its constraint progress (a met constraint counts its longest
  alternative's length, an unmet one its longest partial match; the model's own rendering, below, counts
  in full from its first token). The beam is filled round-robin over the banks, highest bank first,
  best score first within a bank; so hypotheses that are placing terms keep their slots even when the
  plain model prefers something else. The best hypothesis with no term under way (the model's own
  path) takes the first slot: with more banks than slots, the partial matches of one long forced
  rendering filled the beam and dropped the path that would write the term where the model does.
* The model's own rendering of each term (:mod:`~workbench.mt.constrained.usual`): the sentence is
  decoded without constraints first, then each term's source alone and, only for the sentences whose
  runs need them, the sentence without its terms (left out; a name in their place); a draft that ran to
  the length limit gives none. The words of the first draft that render a term's source (written while
  the model attended to it, used when it translates the source on its own, and not words of the
  sentence around it) become one more alternative of the term, which starts wherever it is the model's
  own best token. The winner gets the approved rendering in its place (a/an and a sentence-initial
  capital agreeing; the engine scores the returned draft again). The decoder so stays on the model's
  distribution; a forced rendering it has never seen left it there, and it finished its usual
  rendering after the term ("All-China Women's Federations league").
* Otherwise a term starts where the model would put it: only where the decoder's cross-attention
  (averaged over layers and heads) is on the term's source tokens and the model's own next token is not
  an article (the term follows "the", never replaces it), as a last resort where
  the model would end the sentence or its longest rendering only just fits (such a hypothesis is marked
  displaced and loses to any finished one that is not). The search forces the approved rendering;
  another allowed rendering starts only where it is the model's own best token. Without these rules
  every position costs a term the model has never seen about the same, so the shortest variant was
  started at the first token and the sentence after it fell apart.
* EOS is blocked until every constraint is met; pad and the last token of every banned sequence
  (forbidden renderings) are blocked whenever the rest of the sequence was just produced. Candidates
  that can no longer fit their unmet constraints in the remaining length go last.
* Word boundaries, as the glossary check (``workbench.terms.check_target``) wants them: a glued form
  may only start after a token that does not end in a word character, and the token after a completed
  term may not glue a word character onto it (one plural "s"/"es" excepted after a letter). The
  sentence-initial capital form may only start the draft or follow sentence punctuation.
* A finished hypothesis is checked as text (every term's rendering present, no forbidden rendering);
  the best one that passes wins (fewest unmet terms, then not displaced, then score). Terms that
  could not be placed (length limit, no producible rendering) are reported in ``Draft.unmet``, never
  silently dropped.

The tensors it passes around are typed: :mod:`~workbench.mt.constrained.tensors` (the constraints),
:mod:`~workbench.mt.constrained.state` (hypotheses and candidates), one step in
:mod:`~workbench.mt.constrained.step`. Everything is deterministic: no sampling, stable sorts, ties
broken by candidate order.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import torch

from workbench.errors import Cancelled
from workbench.mt.constrained.hypothesis import Hypothesis
from workbench.mt.constrained.ops import NEG
from workbench.mt.constrained.state import BeamState, Finished
from workbench.mt.constrained.step import (
    Selection,
    StepInputs,
    candidate_progress,
    gather_candidates,
    mask_log_probs,
    next_state,
    no_progress,
    select,
)
from workbench.mt.constrained.stepper import MarianStepper, ModelIds, score_targets
from workbench.mt.constrained.tensors import BoundaryMasks, ConstraintTensors
from workbench.mt.constrained.usual import OwnDraft, Prefer, find_usual, substitute, with_usual
from workbench.mt.constraints import (
    SegmentConstraints,
    TargetPieces,
    build_segment_constraints,
    target_pieces,
    unmet_in_text,
)
from workbench.records import Draft, TermConstraint


def default_max_new_tokens(src_len: int, constraint_tokens: int, limit: int = 511) -> int:
    """Default output length limit for a source of ``src_len`` tokens.

    Args:
        src_len: Number of source tokens (including EOS).
        constraint_tokens: Tokens the shortest forms of the segment's constraints need together.
        limit: The model's position limit minus one.

    Returns:
        ``2 x src_len + 10``, raised so the constraints fit with room to spare, capped at ``limit``.
    """
    return min(limit, max(2 * src_len + 10, src_len + 2 * constraint_tokens + 10))


def term_room(seg: SegmentConstraints) -> int:
    """Pieces the segment's terms need at most: the longest alternative of every required term."""
    return sum(max(len(q) for q in c.sequences) for c in seg.required)


def source_spans(tokenizer: Any, source: str, seg: SegmentConstraints) -> list[tuple[int, int]]:
    """Per required constraint, the first and last source token of its term's first occurrence in
    ``source`` (``(-1, -1)`` where the term is not found as written)."""
    spans: list[tuple[int, int]] = []
    for con in seg.required:
        at = source.find(con.source) if con.source else -1
        if at < 0:
            spans.append((-1, -1))
            continue
        first = len(tokenizer(source[:at])["input_ids"]) - 1  # the tokenizer appends EOS
        last = len(tokenizer(source[: at + len(con.source)])["input_ids"]) - 2
        spans.append((first, max(first, last)))
    return spans


def sink_start(tokenizer: Any, source: str) -> int:
    """The first source position of the sentence's end: its closing punctuation (when it has one) and
    the end token, where the decoder's attention rests when it translates no source word."""
    n = len(tokenizer(source)["input_ids"])
    return n - 2 if source.rstrip()[-1:] and not source.rstrip()[-1].isalnum() else n - 1


def generate_constrained(
    model: Any,
    tokenizer: Any,
    sources: Sequence[str],
    constraints: Sequence[Sequence[TermConstraint]] | None,
    *,
    beam: int,
    max_new_tokens: int | None = None,
    min_new_tokens: int | None = None,
    device: Any = None,
    cancel: threading.Event | None = None,
) -> list[Draft]:
    """Translate ``sources`` with lexically constrained beam search.

    Args:
        model: A loaded seq2seq model (``MarianMTModel``) in eval mode.
        tokenizer: Its tokenizer (``MarianTokenizer``).
        sources: Source segments.
        constraints: Per segment, the matched terms to enforce (None or empty lists: none).
        beam: Beam size (at least 1).
        max_new_tokens: Output length limit; default from the source length (see
            :func:`default_max_new_tokens`).
        min_new_tokens: Block EOS before this many tokens (used by benchmarks to fix the length).
        device: Device for the tensors; default the model's device.
        cancel: Set it to stop; :class:`workbench.errors.Cancelled` is raised between decoding steps.

    Returns:
        One :class:`Draft` per source, in order. ``Draft.unmet`` lists the sources of terms that could not
        be placed (or whose forbidden rendering could not be avoided).

    Raises:
        Cancelled: ``cancel`` was set.
    """
    hyps = search_constrained(
        model,
        tokenizer,
        sources,
        constraints,
        beam=beam,
        max_new_tokens=max_new_tokens,
        min_new_tokens=min_new_tokens,
        device=device,
        cancel=cancel,
    )
    return [h.draft() for h in hyps]


def search_constrained(
    model: Any,
    tokenizer: Any,
    sources: Sequence[str],
    constraints: Sequence[Sequence[TermConstraint]] | None,
    *,
    beam: int,
    max_new_tokens: int | None = None,
    min_new_tokens: int | None = None,
    device: Any = None,
    cancel: threading.Event | None = None,
    room_for_terms: bool = False,
) -> list[Hypothesis]:
    """:func:`generate_constrained`, returning each winner's target pieces as well (for scoring).

    With ``room_for_terms``, ``max_new_tokens`` is the budget of the plain translation and each
    segment's limit grows by the pieces its terms need (the longest alternative of each), up to the
    position limit: the length budget never runs out before the constraints fit.
    """
    if not sources:
        return []
    if cancel is not None and cancel.is_set():
        raise Cancelled()
    beam = max(1, int(beam))
    per_seg = list(constraints) if constraints is not None else [[] for _ in sources]
    if len(per_seg) != len(sources):
        raise ValueError("constraints must have one entry per source")
    segs = [build_segment_constraints(tokenizer, list(c or [])) for c in per_seg]
    tp = target_pieces(tokenizer)
    run = _Run(
        model, tokenizer, list(sources), beam, max_new_tokens, min_new_tokens, device, cancel, room_for_terms
    )
    found: list[dict[int, tuple[int, ...]]] = [{} for _ in sources]
    if any(seg.required for seg in segs):
        # The model's own draft and its own rendering of each term: the search may write that rendering
        # where the model does and the winner gets the approved one in its place (module ``usual``).
        found = _own_renderings(run, tp, segs)
    pairs = [with_usual(seg, u, tp) for seg, u in zip(segs, found, strict=True)]
    segs = [seg for seg, _ in pairs]
    finished = run.finished(segs, [added for _, added in pairs], attend=None)
    return [_pick(finished[b], segs[b], tp, found[b]) for b in range(len(sources))]


def _preferrer(model: Any, tokenizer: Any, source: str) -> Prefer:
    """The model's choice between drafts of ``source``: the index of the one it scores highest."""
    eos = ModelIds.of(model).eos

    def prefer(drafts: Sequence[Sequence[int]]) -> int:
        scores = score_targets(model, tokenizer, [source] * len(drafts), drafts, eos)
        return max(range(len(scores)), key=lambda i: (scores[i], -i))

    return prefer


def _own_renderings(
    run: _Run, tp: TargetPieces, segs: Sequence[SegmentConstraints]
) -> list[dict[int, tuple[int, ...]]]:
    """Per sentence, the model's own rendering of each required term in its unconstrained draft
    (:func:`~workbench.mt.constrained.usual.find_usual`).

    A draft that ran to the length limit (a model that never ends, as random weights) is no translation
    to take a term's words from: its terms are forced. The model's drafts of a sentence without its terms
    are made only for the sentences whose runs need them (a word at a run's end written while the
    model attended to the sentence's end).
    """
    model, tokenizer, sources = run.model, run.tokenizer, run.sources
    found: list[dict[int, tuple[int, ...]]] = [{} for _ in sources]
    plain = run.finished([SegmentConstraints() for _ in sources], [{} for _ in sources], attend=True)
    views: dict[int, OwnDraft] = {}
    for b, (src, seg) in enumerate(zip(sources, segs, strict=True)):
        best = max(plain[b], key=lambda f: f.score) if plain[b] else None
        if best is not None and seg.required and not best.capped:
            spans = source_spans(tokenizer, src, seg)
            views[b] = OwnDraft(best.tokens, best.attended, spans, sink_start(tokenizer, src), frames=None)
    terms = list(dict.fromkeys(c.source for b in views for c in segs[b].required if c.source))
    alone = dict(zip(terms, _plain_texts(run, terms), strict=True))
    pending: list[int] = []
    for b, view in views.items():
        result = find_usual(tp, view, segs[b], alone, _preferrer(model, tokenizer, sources[b]))
        if result is None:
            pending.append(b)
        else:
            found[b] = result
    frames = [without_terms(sources[b], segs[b]) for b in pending]
    texts = iter(_plain_texts(run, [f for fs in frames for f in fs]))
    for b, fs in zip(pending, frames, strict=True):
        view = replace(views[b], frames=tuple(next(texts) for _ in fs))
        found[b] = find_usual(tp, view, segs[b], alone, _preferrer(model, tokenizer, sources[b])) or {}
    return found


def _plain_texts(run: _Run, sources: Sequence[str]) -> list[str]:
    """The model's unconstrained best translation of each of ``sources`` (one batch, ``run``'s beam)."""
    if not sources:
        return []
    batch = _Run(run.model, run.tokenizer, list(sources), run.beam, None, None, run.device, run.cancel, False)
    finished = batch.finished([SegmentConstraints() for _ in sources], [{} for _ in sources], attend=False)
    tp = target_pieces(run.tokenizer)
    return [tp.decode(max(fin, key=lambda f: f.score).tokens) if fin else "" for fin in finished]


#: Stand-ins for a term's source in the sentence around it: person names, which a model renders in
#: words no glossary rendering has (the first one the sentence does not contain is used).
STAND_INS = ("王芳", "李强", "张伟")


def without_terms(source: str, seg: SegmentConstraints) -> tuple[str, ...]:
    """The sentence around ``source``'s required terms, twice: their sources left out, and replaced by a
    person's name (none when it has no term). Each way the model may make words up (a subject for the
    sentence that lost it, a name spelled askew), so :func:`~workbench.mt.constrained.usual.find_usual`
    takes a word from one only beside none of the term's words."""
    if not seg.required:
        return ()
    name = next((n for n in STAND_INS if n not in source), STAND_INS[0])
    left_out, named = source, source
    for con in seg.required:
        if con.source:
            left_out, named = left_out.replace(con.source, ""), named.replace(con.source, name)
    return tuple(f for f in (left_out, named) if f.strip())


@dataclass(frozen=True)
class _Run:
    """One call's model, sources and limits: :meth:`finished` runs the step loop over them."""

    model: Any
    tokenizer: Any
    sources: list[str]
    beam: int
    max_new_tokens: int | None
    min_new_tokens: int | None
    device: Any
    cancel: threading.Event | None
    room_for_terms: bool

    def finished(
        self, segs: list[SegmentConstraints], usual: list[dict[int, tuple[int, ...]]], *, attend: bool | None
    ) -> list[list[Finished]]:
        """The finished hypotheses of every source under ``segs`` (``attend`` None: track the decoder's
        attention when there are constraints)."""
        model, tokenizer, beam = self.model, self.tokenizer, self.beam
        tp = target_pieces(tokenizer)
        dev = torch.device(self.device) if self.device is not None else next(model.parameters()).device
        ids = ModelIds.of(model)
        with torch.inference_mode():
            enc_in = tokenizer(self.sources, return_tensors="pt", padding=True, truncation=True)
            input_ids = enc_in["input_ids"].to(dev)
            attn = enc_in["attention_mask"].to(dev)
            need = [sum(min(len(q) for q in c.sequences) for c in s.required) for s in segs]
            if self.max_new_tokens is not None:
                room = [term_room(s) if self.room_for_terms else 0 for s in segs]
                max_new = [min(ids.position_limit, int(self.max_new_tokens) + r) for r in room]
            else:
                max_new = [
                    default_max_new_tokens(int(n), k, ids.position_limit)
                    for n, k in zip(attn.sum(-1).tolist(), need, strict=True)
                ]
            spans = [source_spans(tokenizer, src, seg) for src, seg in zip(self.sources, segs, strict=True)]
            ct = ConstraintTensors.build(segs, dev, spans, usual)
            B = input_ids.shape[0]
            inp = StepInputs(
                ct=ct,
                rows=ct.rows(torch.arange(B, device=dev).repeat_interleave(beam)),
                ids=ids,
                beam=beam,
                min_new=int(self.min_new_tokens or 0),
                max_new=torch.tensor(max_new, device=dev),
            )
            stepper = MarianStepper(
                model, input_ids, attn, beam, attend=ct.any_con if attend is None else attend
            )
            try:
                return _decode(stepper, inp, max_new, tp, self.cancel)
            finally:
                stepper.close()


def _decode(
    stepper: MarianStepper,
    inp: StepInputs,
    max_new: list[int],
    tp: TargetPieces,
    cancel: threading.Event | None,
) -> list[list[Finished]]:
    """The step loop: finished hypotheses per sentence."""
    ct, beam, ids = inp.ct, inp.beam, inp.ids
    B = len(max_new)
    dev = inp.max_new.device
    state = BeamState.initial(B, beam, (ct.n_alternatives, ct.n_constraints, ct.n_banned), ids.start, dev)
    masks: BoundaryMasks | None = None
    finished: list[list[Finished]] = [[] for _ in range(B)]
    done = [False] * B
    for step in range(max(max_new)):
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        logp = stepper.log_probs(state.last)
        if stepper.attended is not None:
            state.attended = stepper.attended
            state.best = logp.argmax(-1)
            state.wants_end = state.best == ids.eos
        if masks is None and ct.any_con:
            masks = BoundaryMasks.build(tp, logp.shape[-1], ids.start, dev)
        mask_log_probs(logp, state, inp, masks, step)
        cands = gather_candidates(state.beam_lp.unsqueeze(-1) + logp, state, inp)
        prog = candidate_progress(cands, state, inp, masks, step) if masks is not None else no_progress(cands)
        sel = select(cands, prog, inp)
        _collect_eos(sel, cands.score, cands.global_row, state, finished, done, step, ids.length_penalty)
        state = next_state(state, sel, prog, inp, masks)
        stepper.reorder(sel.rows)
        if _update_done(state, finished, done, max_new, beam, step + 1, ids.length_penalty):
            break
    return finished


def _collect_eos(
    sel: Selection,
    scores: torch.Tensor,
    global_row: torch.Tensor,
    state: BeamState,
    finished: list[list[Finished]],
    done: list[bool],
    step: int,
    lp: float,
) -> None:
    """Record the hypotheses that chose EOS at this step (tokens before EOS: ``step``)."""
    if not bool(sel.eos_taken.any()):
        return
    eb, ej = sel.eos_taken.nonzero(as_tuple=True)
    cidx = sel.order[eb, ej]
    rows = global_row[eb, cidx].tolist()
    values = scores[eb, cidx].tolist()
    for b, r, s in zip(eb.tolist(), rows, values, strict=True):
        if not done[b]:
            finished[b].append(
                Finished(
                    s / max(1, step + 1) ** lp,
                    state.hist[r].tolist(),
                    state.met[r].tolist(),
                    bool(state.displaced[r]),
                    state.att_hist[r].tolist(),
                )
            )


def _update_done(
    state: BeamState,
    finished: list[list[Finished]],
    done: list[bool],
    max_new: list[int],
    beam: int,
    n_gen: int,
    lp: float,
) -> bool:
    """Mark sentences that hit their length limit (their live hypotheses finish) or can no longer
    improve on ``beam`` finished ones; True when all are done."""
    live_best = state.beam_lp.view(len(done), beam).max(-1).values.tolist()
    for b in range(len(done)):
        if done[b]:
            continue
        if n_gen >= max_new[b]:
            for j in range(beam):
                r = b * beam + j
                score = state.beam_lp[r].item()
                if score > NEG:
                    finished[b].append(
                        Finished(
                            score / n_gen**lp,
                            state.hist[r].tolist(),
                            state.met[r].tolist(),
                            bool(state.displaced[r]),
                            state.att_hist[r].tolist(),
                            True,
                        )
                    )
            done[b] = True
        elif len(finished[b]) >= beam:
            worst = sorted((f.score for f in finished[b]), reverse=True)[beam - 1]
            if live_best[b] == NEG or live_best[b] / n_gen**lp <= worst:
                done[b] = True
    return all(done)


def _pick(
    cands: list[Finished], seg: SegmentConstraints, tp: TargetPieces, usual: dict[int, tuple[int, ...]]
) -> Hypothesis:
    """Best finished hypothesis (the model's usual renderings of terms replaced by the approved ones,
    :func:`~workbench.mt.constrained.usual.substitute`): fewest unmet terms (token and text level), then
    terms where the model attends to their source, then highest score."""
    best: tuple[tuple[int, bool, float], Hypothesis] | None = None
    for f in sorted(cands, key=lambda f: -f.score):
        tokens = substitute(tp, f.tokens, seg, usual) if usual else f.tokens
        text = tp.decode(tokens)
        unmet = [c.source for c, ok in zip(seg.required, f.met, strict=False) if not ok]
        for src in unmet_in_text(seg.terms, text):
            if src not in unmet:
                unmet.append(src)
        key = (len(unmet), f.displaced, -f.score)
        if best is None or key < best[0]:
            all_unmet = tuple(dict.fromkeys([*seg.unplaceable, *unmet]))
            pieces = tuple(tp.id_to_piece.get(i, "<unk>") for i in tokens)
            best = (key, Hypothesis(text=text, pieces=pieces, score=f.score, unmet=all_unmet))
        if not unmet and not f.displaced and best[0][0] == 0:
            break
    if best is None:
        sources = [*seg.unplaceable, *(c.source for c in seg.required)]
        return Hypothesis(text="", pieces=(), score=-1e9, unmet=tuple(dict.fromkeys(sources)))
    return best[1]
