"""One step of the constrained search: mask the log-probabilities, gather candidates, track progress,
choose the next beam."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from workbench.mt.constrained.ops import NEG, advance, bank_order, drop_duplicates
from workbench.mt.constrained.state import BeamState, Candidates, Progress
from workbench.mt.constrained.stepper import ModelIds
from workbench.mt.constrained.tensors import BoundaryMasks, ConstraintTensors, RowConstraints

#: Stands for "no alternative can still do it" in minimum computations.
_FAR = 10**6


@dataclass(frozen=True)
class StepInputs:
    """What every step of one batch shares.

    Attributes:
        ct: The batch's constraint tensors.
        rows: The same, per hypothesis row.
        ids: The model's special tokens.
        beam: Beam size.
        min_new: EOS is blocked before this many tokens.
        max_new: ``[B]`` output length limit per sentence.
    """

    ct: ConstraintTensors
    rows: RowConstraints
    ids: ModelIds
    beam: int
    min_new: int
    max_new: torch.Tensor


def mask_log_probs(
    logp: torch.Tensor, state: BeamState, inp: StepInputs, masks: BoundaryMasks | None, step: int
) -> None:
    """Block, in place, every token a hypothesis may not produce next.

    Pad and the decoder start token always; a word character glued onto a just-completed term (one
    plural excepted); the last token of a banned sequence whose rest was just produced; EOS before
    ``min_new`` tokens and while a constraint is unmet.
    """
    ct, rows, ids = inp.ct, inp.rows, inp.ids
    if masks is not None and bool((state.just_met | state.after_plural).any()):
        soft = (state.just_met & state.plural_ok).nonzero(as_tuple=True)[0]
        logp[soft] = logp[soft].masked_fill(masks.glue_no_plural, NEG)
        hard = ((state.just_met & ~state.plural_ok) | state.after_plural).nonzero(as_tuple=True)[0]
        logp[hard] = logp[hard].masked_fill(masks.glue_start, NEG)
    logp[:, ids.pad] = NEG
    if ids.start not in (ids.pad, ids.eos):
        logp[:, ids.start] = NEG
    if ct.any_ban:
        at_last = rows.ban_valid & (state.bprog == rows.ban_len - 1)
        if bool(at_last.any()):
            r_idx, k_idx = at_last.nonzero(as_tuple=True)
            logp[r_idx, rows.ban_tok[r_idx, k_idx, rows.ban_len[r_idx, k_idx] - 1]] = NEG
    if step < inp.min_new:
        logp[:, ids.eos] = NEG
    else:
        all_met = (state.met | ~rows.con_valid).all(-1)
        logp[:, ids.eos] = torch.where(all_met, logp[:, ids.eos], torch.full_like(logp[:, ids.eos], NEG))


def gather_candidates(cand_total: torch.Tensor, state: BeamState, inp: StepInputs) -> Candidates:
    """Candidates per sentence: the top ``2 x beam`` of the whole beam, each hypothesis' best next
    token, and every token that advances an unmet constraint of a hypothesis (duplicates dropped)."""
    beam, ct, rows = inp.beam, inp.ct, inp.rows
    R, V = cand_total.shape
    B = R // beam
    dev = cand_total.device
    flat = cand_total.view(B, beam * V)
    top_s, top_i = flat.topk(min(2 * beam, beam * V), dim=-1)
    best_s, best_t = cand_total.max(-1)
    c_row = [top_i // V, torch.arange(beam, device=dev).expand(B, beam)]
    c_tok = [top_i % V, best_t.view(B, beam)]
    c_sc = [top_s, best_s.view(B, beam)]
    if ct.any_con:
        A = ct.n_alternatives
        L = rows.alt_tok.shape[-1]
        nxt = torch.gather(rows.alt_tok, -1, state.prog.clamp(max=L - 1).unsqueeze(-1)).squeeze(-1)  # [R, A]
        alt_unmet = ~(rows.onehot & state.met.unsqueeze(1)).any(-1)
        use = rows.alt_valid & alt_unmet & (nxt >= 0)
        nxt_safe = nxt.clamp(min=0)
        sc = torch.gather(cand_total, 1, nxt_safe)
        sc = torch.where(use, sc, torch.full_like(sc, NEG))
        c_row.append(torch.arange(beam, device=dev).repeat_interleave(A).expand(B, beam * A))
        c_tok.append(nxt_safe.view(B, beam * A))
        c_sc.append(sc.view(B, beam * A))
    row = torch.cat(c_row, 1)
    tok = torch.cat(c_tok, 1)
    score = drop_duplicates(row, tok, torch.cat(c_sc, 1), V)
    rows_b = torch.arange(B, device=dev).unsqueeze(1)
    return Candidates(row=row, global_row=rows_b * beam + row, tok=tok, score=score)


def candidate_progress(
    cands: Candidates, state: BeamState, inp: StepInputs, masks: BoundaryMasks, step: int
) -> Progress:
    """Constraint progress each candidate would have, its bank, and whether its terms still fit."""
    ct = inp.ct
    g_row, tok = cands.global_row, cands.tok
    p_old = state.prog[g_row]  # [B, N, A]
    alt_len = ct.alt_len.unsqueeze(1)
    prev_tok = state.last.view(-1)[g_row]  # [B, N]
    # A glued form may only start after a token that does not end in a word character; a
    # sentence-initial capital only at the start or after sentence punctuation.
    start_ok = ~(ct.alt_startw.unsqueeze(1) & masks.ends_word[prev_tok].unsqueeze(-1))
    start_ok &= ~(ct.alt_initial.unsqueeze(1) & ~masks.opens_sentence[prev_tok].unsqueeze(-1))
    met_old = state.met[g_row]  # [B, N, C]
    steps_left = (inp.max_new.unsqueeze(1) - (step + 1)).clamp(min=0)
    need = torch.where(met_old | ~ct.con_valid.unsqueeze(1), 0, ct.con_lmax.unsqueeze(1)).sum(-1)
    at_term, last_resort = where_model_would(ct, state, g_row, need + 1 >= steps_left)
    # Not where the model's own next token is an article (the article belongs to the sentence: "the" +
    # term, not the term in its place).
    best = state.best[g_row]
    best_safe = best.clamp(min=0)
    own_word = (best < 0) | ~masks.article[best_safe] | (tok == best)  # "▁A" may begin "ACWF" itself
    start_ok &= (at_term & own_word.unsqueeze(-1)) | last_resort
    # The search forces the approved rendering; a variant starts only where the model writes it itself,
    # and so does the model's usual rendering of the term (wherever it writes it).
    own = ((tok == best) | (best < 0)).unsqueeze(-1)
    start_ok &= ct.alt_approved.unsqueeze(1) | own
    start_ok |= ct.alt_usual.unsqueeze(1) & own & (best >= 0).unsqueeze(-1)
    p_new = advance(p_old, tok, ct.alt_tok.unsqueeze(1), alt_len, start_ok)
    p_new = torch.where(ct.alt_valid.unsqueeze(1), p_new, torch.zeros_like(p_new))
    completed = p_new >= alt_len
    onehot = ct.onehot.unsqueeze(1)  # [B, 1, A, C]
    met_new = met_old | (completed.unsqueeze(-1) & onehot).any(-2)
    alt_was_met = (onehot & met_old.unsqueeze(2)).any(-1)  # [B, N, A]
    newly = completed & ~alt_was_met
    newly_word = (newly & ct.alt_endw.unsqueeze(1)).any(-1)
    # A plural may follow a term that ends in a letter, not one that ends in a digit.
    no_plural = (newly & ct.alt_endnonletter.unsqueeze(1)).any(-1)
    lmax = ct.con_lmax.unsqueeze(1)
    # A bank per constraint token produced (a met constraint counts its longest alternative), and the
    # model's own rendering counts in full from its first token: the hypothesis that writes the term
    # where the model does outranks the partial matches of a forced rendering.
    part = torch.where(ct.alt_usual.unsqueeze(1) & (p_new > 0), alt_len.amax(-1, keepdim=True), p_new)
    part = (part.unsqueeze(-1) * onehot).amax(-2)  # [B, N, C]
    bank = torch.where(met_new, lmax, part.clamp(max=lmax)).sum(-1)
    # Tokens still needed: per unmet constraint, the fewest remaining tokens of any alternative.
    remaining = torch.where(ct.alt_valid.unsqueeze(1), alt_len - p_new, torch.full_like(p_new, _FAR))
    rem_c = torch.where(
        onehot, remaining.unsqueeze(-1), torch.full_like(onehot, _FAR, dtype=torch.long)
    ).amin(-2)
    rem_c = torch.where(met_new | ~ct.con_valid.unsqueeze(1), torch.zeros_like(rem_c), rem_c)
    infeasible = (rem_c.sum(-1) > steps_left) & (tok != inp.ids.eos)
    started = (p_new == 1) & ~((p_old > 0) & (p_new == p_old + 1))
    displaced = (started & ~at_term & ~ct.alt_usual.unsqueeze(1) & ct.alt_valid.unsqueeze(1)).any(-1)
    return Progress(p_new, met_new, newly_word, no_plural, bank, infeasible, displaced)


def where_model_would(
    ct: ConstraintTensors, state: BeamState, g_row: torch.Tensor, tight: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """``[B, N, A]`` twice: whether each candidate may start each alternative where the model renders its
    term, and whether it may start it as a last resort.

    A term may start when the decoder attends most to the term's source tokens at this step (the model
    is about to translate it); as a last resort when the model would end the sentence (the search never
    ends a hypothesis with a term unmet) or when the unmet terms' longest renderings (``tight``,
    ``[B, N]``) only just fit in the remaining length. Alternatives whose source tokens are
    unknown, and searches that do not track attention, start anywhere. Without this rule a term (often its
    shortest variant) starts at the first token: every position costs the model the same surprise, and
    the sentence after it falls apart.
    """
    att = state.attended[g_row].unsqueeze(-1)  # [B, N, 1]
    lo, hi = ct.alt_src_lo.unsqueeze(1), ct.alt_src_hi.unsqueeze(1)  # [B, 1, A]
    on_term = (att >= lo) & (att <= hi)
    anywhere = (lo < 0) | (att < 0)
    last_resort = (state.wants_end[g_row] | tight).unsqueeze(-1).expand_as(on_term)
    return anywhere | on_term, last_resort


def no_progress(cands: Candidates) -> Progress:
    """The progress of a batch without constraints: one bank, everything feasible."""
    zeros = torch.zeros_like(cands.tok)
    flags = torch.zeros_like(cands.tok, dtype=torch.bool)
    return Progress(zeros, flags, flags, flags, zeros, flags, flags)


@dataclass(frozen=True)
class Selection:
    """The outcome of one step.

    Attributes:
        order: ``[B, N]`` candidate indices in the order the beam is filled.
        eos_taken: ``[B, N]`` (in ``order``'s positions) EOS candidates that finish a hypothesis.
        chosen: ``[B, beam]`` candidate indices of the next live beam.
        rows: ``[R]`` state rows the next beam extends.
        tokens: ``[R]`` their new tokens.
        scores: ``[R]`` their scores (-inf for slots that could not be filled).
    """

    order: torch.Tensor
    eos_taken: torch.Tensor
    chosen: torch.Tensor
    rows: torch.Tensor
    tokens: torch.Tensor
    scores: torch.Tensor


def select(cands: Candidates, prog: Progress, inp: StepInputs) -> Selection:
    """Fill the beam from the bank order: EOS candidates among the first ``beam`` finish, the first
    ``beam`` others live on."""
    beam, eos = inp.beam, inp.ids.eos
    B, N = cands.tok.shape
    dev = cands.tok.device
    valid = cands.valid
    order = bank_order(cands.score, prog.bank, valid, prog.infeasible)
    pos = torch.arange(N, device=dev).expand(B, N)
    ord_eos = torch.gather(cands.tok == eos, 1, order)
    eos_taken = ord_eos & torch.gather(valid, 1, order) & (pos < beam)
    non_eos = ~ord_eos
    csum = non_eos.long().cumsum(1)
    take = non_eos & (csum <= beam)
    # Stable: positions of taken entries, in order (there are N >= 2*beam candidates, >= beam non-EOS).
    take_pos = torch.where(take, pos, torch.full_like(pos, N)).sort(dim=1).values[:, :beam].clamp(max=N - 1)
    chosen = torch.gather(order, 1, take_pos)  # [B, beam] candidate indices
    R = B * beam
    scores = torch.gather(cands.score, 1, chosen).view(R)
    shortfall = (csum[:, -1] < beam).unsqueeze(1) & (
        torch.arange(beam, device=dev).unsqueeze(0) >= csum[:, -1:].clamp(max=beam)
    )
    scores = torch.where(shortfall.view(R), torch.full_like(scores, NEG), scores)
    return Selection(
        order=order,
        eos_taken=eos_taken,
        chosen=chosen,
        rows=torch.gather(cands.global_row, 1, chosen).view(R),
        tokens=torch.gather(cands.tok, 1, chosen).view(R),
        scores=scores,
    )


def next_state(
    state: BeamState, sel: Selection, prog: Progress, inp: StepInputs, masks: BoundaryMasks | None
) -> BeamState:
    """The live hypotheses after ``sel``: their progress, boundary flags, bans, scores and history."""
    ct, rows = inp.ct, inp.rows
    R = sel.rows.shape[0]
    B = R // inp.beam
    new = BeamState(
        beam_lp=sel.scores,
        prog=state.prog,
        met=state.met,
        bprog=state.bprog,
        just_met=state.just_met,
        plural_ok=state.plural_ok,
        after_plural=state.after_plural,
        hist=torch.cat([state.hist[sel.rows], sel.tokens.unsqueeze(1)], dim=1),
        att_hist=torch.cat([state.att_hist[sel.rows], state.attended[sel.rows].unsqueeze(1)], dim=1),
        last=sel.tokens.unsqueeze(1),
        front=torch.maximum(state.front, state.attended)[sel.rows],
        attended=torch.full_like(state.attended, -1),
        wants_end=torch.zeros_like(state.wants_end),
        best=torch.full_like(state.best, -1),
        displaced=state.displaced[sel.rows],
    )
    if ct.any_con and masks is not None:
        b_idx = torch.arange(B, device=sel.rows.device).unsqueeze(1).expand(B, inp.beam)
        new.prog = prog.prog[b_idx, sel.chosen].view(R, ct.n_alternatives)
        new.displaced = new.displaced | prog.displaced[b_idx, sel.chosen].view(R)
        new.met = prog.met[b_idx, sel.chosen].view(R, ct.n_constraints)
        was_plural_ok = (state.just_met & state.plural_ok)[sel.rows]
        new.just_met = prog.newly_word[b_idx, sel.chosen].view(R)
        new.plural_ok = ~prog.no_plural[b_idx, sel.chosen].view(R)
        took_plural = torch.zeros_like(new.just_met)
        for pid in masks.plural_ids:
            took_plural |= sel.tokens == pid
        new.after_plural = was_plural_ok & took_plural & ~new.just_met
    if ct.any_ban:
        bprog = advance(state.bprog[sel.rows], sel.tokens, rows.ban_tok, rows.ban_len)
        new.bprog = torch.where(rows.ban_valid, bprog, torch.zeros_like(bprog))
    return new
