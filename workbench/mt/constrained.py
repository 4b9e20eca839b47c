"""Lexically constrained beam search for Marian models (our own; transformers 5 removed theirs).

The search follows the idea of Post & Vilar (2018), dynamic beam allocation, in the vectorised form of
Hu et al. (2019):

* The encoder runs once per batch; the decoder runs one token at a time with its key/value cache, over
  all sentences x beams at once. Only the self-attention cache is reordered when beams are selected (the
  cross-attention cache is identical for all beams of a sentence).
* Each glossary term is a disjunctive constraint: any of its token sequences (case and word-boundary
  forms, see :mod:`workbench.mt.constraints`) meets it. Every hypothesis tracks, for every alternative,
  how many of its tokens it has just produced; a token that does not continue an alternative abandons
  that partial match (progress falls back to 0, or 1 if the token starts the alternative again).
* Candidates at each step: the top ``2 x beam`` continuations of the whole beam, each hypothesis' best
  next token, and every token that advances an unmet constraint of a hypothesis.
* Each candidate is put in a bank by its constraint progress (a met constraint counts its longest
  alternative's length, an unmet one its longest partial match). The beam is filled round-robin over the
  banks, highest bank first, best score first within a bank; so hypotheses that are placing terms keep
  their slots even when the plain model prefers something else.
* EOS is blocked until every constraint is met; pad and the last token of every banned sequence
  (forbidden renderings) are blocked whenever the rest of the sequence was just produced. Candidates
  that can no longer fit their unmet constraints in the remaining length go last.
* Word boundaries, as the glossary check (``workbench.terms.check_target``) wants them: a glued form
  may only start after a token that does not end in a word character, and the token after a completed
  term may not glue a word character onto it (one plural "s"/"es" excepted after a letter). The
  sentence-initial capital form may only start the draft or follow sentence punctuation.
* A finished hypothesis is checked as text (every term's rendering present, no forbidden rendering);
  the best one that passes wins. Terms that could not be placed (length limit, no producible rendering)
  are reported in ``Draft.unmet``, never silently dropped.

Everything is deterministic: no sampling, stable sorts, ties broken by candidate order.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workbench.errors import Cancelled
from workbench.mt.constraints import (
    SegmentConstraints,
    build_segment_constraints,
    target_pieces,
    unmet_in_text,
)
from workbench.records import Draft, TermConstraint

_NEG = float("-inf")


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


@dataclass
class _Finished:
    score: float
    tokens: list[int]
    met: list[bool]


def _cache_kwarg(model: Any) -> str:
    params = inspect.signature(model.forward).parameters
    return "cache" if "cache" in params else "past_key_values"


def _pad_constraints(segs: Sequence[SegmentConstraints], torch: Any, device: Any) -> dict[str, Any]:
    """Flatten the segments' alternatives and banned sequences into padded tensors."""
    B = len(segs)
    A = max(1, max((sum(len(c.sequences) for c in s.required) for s in segs), default=0))
    C = max(1, max((len(s.required) for s in segs), default=0))
    L = max([1] + [len(q) for s in segs for c in s.required for q in c.sequences])
    K = max(1, max((len(s.banned) for s in segs), default=0))
    LB = max([1] + [len(q) for s in segs for q in s.banned])
    alt_tok = torch.full((B, A, L), -1, dtype=torch.long)
    alt_len = torch.zeros((B, A), dtype=torch.long)
    alt_con = torch.zeros((B, A), dtype=torch.long)
    alt_valid = torch.zeros((B, A), dtype=torch.bool)
    alt_startw = torch.zeros((B, A), dtype=torch.bool)
    alt_initial = torch.zeros((B, A), dtype=torch.bool)
    alt_endw = torch.zeros((B, A), dtype=torch.bool)
    alt_endnonletter = torch.zeros((B, A), dtype=torch.bool)
    con_valid = torch.zeros((B, C), dtype=torch.bool)
    con_lmax = torch.zeros((B, C), dtype=torch.long)
    ban_tok = torch.full((B, K, LB), -1, dtype=torch.long)
    ban_len = torch.zeros((B, K), dtype=torch.long)
    for b, seg in enumerate(segs):
        a = 0
        for ci, con in enumerate(seg.required):
            con_valid[b, ci] = True
            for k, seq in enumerate(con.sequences):
                alt_startw[b, a] = con.starts_word(k)
                alt_initial[b, a] = con.initial_only(k)
                alt_endw[b, a] = con.ends_word(k)
                alt_endnonletter[b, a] = con.ends_word(k) and not con.ends_letter(k)
                alt_tok[b, a, : len(seq)] = torch.tensor(seq)
                alt_len[b, a] = len(seq)
                alt_con[b, a] = ci
                alt_valid[b, a] = True
                a += 1
            con_lmax[b, ci] = max(len(q) for q in con.sequences)
        for k, seq in enumerate(seg.banned):
            ban_tok[b, k, : len(seq)] = torch.tensor(seq)
            ban_len[b, k] = len(seq)
    onehot = torch.nn.functional.one_hot(alt_con, C).to(torch.bool) & alt_valid.unsqueeze(-1)
    out = {
        "alt_tok": alt_tok,
        "alt_len": alt_len,
        "alt_valid": alt_valid,
        "alt_startw": alt_startw,
        "alt_initial": alt_initial,
        "alt_endw": alt_endw,
        "alt_endnonletter": alt_endnonletter,
        "onehot": onehot,  # [B, A, C]
        "con_valid": con_valid,
        "con_lmax": con_lmax,
        "ban_tok": ban_tok,
        "ban_len": ban_len,
        "ban_valid": ban_len > 0,
        "any_ban": bool((ban_len > 0).any()),
        "any_con": bool(alt_valid.any()),
    }
    return {k: (v.to(device) if hasattr(v, "to") else v) for k, v in out.items()}


def _advance(prog: Any, tok: Any, seq_tok: Any, seq_len: Any, torch: Any, start_ok: Any = None) -> Any:
    """New match progress for every (row, sequence) after emitting ``tok``.

    Args:
        prog: ``[..., S]`` tokens of each sequence just produced.
        tok: ``[...]`` the emitted token.
        seq_tok: ``[..., S, L]`` the sequences (padded with -1), broadcastable to ``prog``.
        seq_len: ``[..., S]`` their lengths.
        start_ok: ``[..., S]`` whether a sequence may start here (None: everywhere).
    """
    L = seq_tok.shape[-1]
    idx = prog.clamp(max=L - 1).unsqueeze(-1)
    expected = torch.gather(seq_tok.expand(*prog.shape, L), -1, idx).squeeze(-1)
    t = tok.unsqueeze(-1)
    cont = (expected == t) & (prog > 0) & (prog < seq_len)
    restart = (seq_tok[..., 0] == t).expand_as(prog)
    if start_ok is not None:
        restart = restart & start_ok
    return torch.where(cont, prog + 1, restart.long())


def _drop_duplicates(cand_row: Any, cand_tok: Any, cand_sc: Any, V: int, torch: Any) -> Any:
    """Scores with duplicate candidates (same hypothesis, same token) set to -inf, the first live one kept.

    Dead candidates (score -inf) get unique negative keys, so they never shadow a live duplicate.
    """
    B, N = cand_tok.shape
    key = torch.where(
        cand_sc > _NEG, cand_row * V + cand_tok, -1 - torch.arange(N, device=cand_tok.device).expand(B, N)
    )
    skey, sidx = key.sort(dim=1, stable=True)
    dup_sorted = torch.zeros_like(skey, dtype=torch.bool)
    dup_sorted[:, 1:] = skey[:, 1:] == skey[:, :-1]
    dup = torch.zeros_like(dup_sorted).scatter_(1, sidx, dup_sorted)
    return torch.where(dup, torch.full_like(cand_sc, _NEG), cand_sc)


def _bank_order(cand_sc: Any, bank: Any, valid: Any, infeasible: Any, torch: Any) -> Any:
    """Candidate indices per sentence in the order the beam is filled (``[B, N]``).

    Dynamic beam allocation, vectorised: candidates are ranked by score within their bank, and the
    beam takes rank 0 of every bank (highest bank first), then rank 1, and so on. Candidates that can
    no longer fit their terms come after all feasible ones, dead candidates last.
    """
    B, N = cand_sc.shape
    o1 = cand_sc.argsort(dim=1, descending=True, stable=True)
    b1 = torch.gather(bank, 1, o1)
    o2 = b1.argsort(dim=1, descending=True, stable=True)
    order = torch.gather(o1, 1, o2)  # grouped by bank (descending), by score within a bank
    bsorted = torch.gather(b1, 1, o2)
    pos = torch.arange(N, device=cand_sc.device).expand(B, N)
    new_group = torch.ones_like(bsorted, dtype=torch.bool)
    new_group[:, 1:] = bsorted[:, 1:] != bsorted[:, :-1]
    start = torch.where(new_group, pos, torch.zeros_like(pos)).cummax(1).values
    rank = torch.empty_like(pos).scatter_(1, order, pos - start)
    nb = int(bank.max()) + 1
    tier = torch.where(valid, infeasible.long(), torch.full_like(bank, 2))
    key = (tier * (N + 1) + rank) * (nb + 1) + (nb - bank)
    return key.argsort(dim=1, stable=True)


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
    import torch

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
    dev = torch.device(device) if device is not None else next(model.parameters()).device
    gen = getattr(model, "generation_config", None)
    cfg = model.config
    eos_id = int(
        getattr(gen, "eos_token_id", None)
        if gen is not None and gen.eos_token_id is not None
        else cfg.eos_token_id
    )
    pad_id = int(cfg.pad_token_id)
    start_id = int(
        getattr(gen, "decoder_start_token_id", None)
        if gen is not None and gen.decoder_start_token_id is not None
        else cfg.decoder_start_token_id
    )
    lp = float(getattr(gen, "length_penalty", 1.0) or 1.0) if gen is not None else 1.0
    pos_limit = int(getattr(cfg, "max_position_embeddings", 512) or 512) - 1

    with torch.inference_mode():
        enc_in = tokenizer(list(sources), return_tensors="pt", padding=True, truncation=True)
        input_ids = enc_in["input_ids"].to(dev)
        attn = enc_in["attention_mask"].to(dev)
        B = input_ids.shape[0]
        src_lens = attn.sum(-1).tolist()
        need = [sum(min(len(q) for q in c.sequences) for c in s.required) for s in segs]
        if max_new_tokens is not None:
            max_new = [min(pos_limit, int(max_new_tokens))] * B
        else:
            max_new = [
                default_max_new_tokens(int(n), k, pos_limit) for n, k in zip(src_lens, need, strict=True)
            ]
        min_new = int(min_new_tokens or 0)
        T = max(max_new)
        max_new_t = torch.tensor(max_new, device=dev)

        encoder = model.get_encoder()
        enc_h = encoder(input_ids=input_ids, attention_mask=attn).last_hidden_state
        R = B * beam
        enc_h = enc_h.repeat_interleave(beam, dim=0)
        enc_mask = attn.repeat_interleave(beam, dim=0)

        from transformers.modeling_outputs import BaseModelOutput

        enc_out = BaseModelOutput(last_hidden_state=enc_h)
        ct = _pad_constraints(segs, torch, dev)
        A = ct["alt_tok"].shape[1]
        C = ct["onehot"].shape[2]
        K = ct["ban_tok"].shape[1]
        sent_of_row = torch.arange(B, device=dev).repeat_interleave(beam)

        # Per-hypothesis state.
        beam_lp = torch.full((B, beam), _NEG, device=dev)
        beam_lp[:, 0] = 0.0
        beam_lp = beam_lp.view(R)
        prog = torch.zeros((R, A), dtype=torch.long, device=dev)
        met = torch.zeros((R, C), dtype=torch.bool, device=dev)
        bprog = torch.zeros((R, K), dtype=torch.long, device=dev)
        # Rows whose last token completed a term ending in a word character: the next token must not
        # glue another word character onto it ("women" must not become "womenfolk").
        # A plural "s"/"es" may follow once (the glossary check accepts "women's federations").
        just_met = torch.zeros(R, dtype=torch.bool, device=dev)
        plural_ok = torch.zeros(R, dtype=torch.bool, device=dev)
        after_plural = torch.zeros(R, dtype=torch.bool, device=dev)
        plural_ids = [i for i in (tp.vocab.get("s"), tp.vocab.get("es")) if i is not None]
        glue_start: Any = None
        glue_no_plural: Any = None
        ends_word: Any = None
        opens_sentence: Any = None
        hist = torch.empty((R, 0), dtype=torch.long, device=dev)
        last = torch.full((R, 1), start_id, dtype=torch.long, device=dev)
        finished: list[list[_Finished]] = [[] for _ in range(B)]
        done = [False] * B
        row_alt_tok = ct["alt_tok"][sent_of_row]  # [R, A, L]
        row_alt_valid = ct["alt_valid"][sent_of_row]
        row_onehot = ct["onehot"][sent_of_row]  # [R, A, C]
        row_con_valid = ct["con_valid"][sent_of_row]
        row_ban_tok = ct["ban_tok"][sent_of_row]
        row_ban_len = ct["ban_len"][sent_of_row]
        row_ban_valid = ct["ban_valid"][sent_of_row]
        lmax = ct["con_lmax"]  # [B, C]
        cache_kw = _cache_kwarg(model)
        cache: Any = None
        V = None
        rows_b = torch.arange(B, device=dev).unsqueeze(1)

        for step in range(T):
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            kwargs = {cache_kw: cache} if cache is not None else {}
            out = model(
                encoder_outputs=enc_out,
                attention_mask=enc_mask,
                decoder_input_ids=last,
                use_cache=True,
                **kwargs,
            )
            cache = out.cache if hasattr(out, "cache") and out.cache is not None else out.past_key_values
            logp = torch.log_softmax(out.logits[:, -1, :].float(), dim=-1)
            V = logp.shape[-1]
            if glue_start is None and ct["any_con"]:
                g, e, o = tp.boundary_masks(V)
                glue_start = torch.tensor(g, dtype=torch.bool, device=dev)
                glue_no_plural = glue_start.clone()
                glue_no_plural[[i for i in plural_ids if i < V]] = False
                ends_word = torch.tensor(e, dtype=torch.bool, device=dev)
                opens_sentence = torch.tensor(o, dtype=torch.bool, device=dev)
                opens_sentence[start_id] = True
            if ct["any_con"] and bool((just_met | after_plural).any()):
                soft = (just_met & plural_ok).nonzero(as_tuple=True)[0]
                logp[soft] = logp[soft].masked_fill(glue_no_plural, _NEG)
                hard = ((just_met & ~plural_ok) | after_plural).nonzero(as_tuple=True)[0]
                logp[hard] = logp[hard].masked_fill(glue_start, _NEG)
            logp[:, pad_id] = _NEG
            if start_id != pad_id and start_id != eos_id:
                logp[:, start_id] = _NEG
            if ct["any_ban"]:
                at_last = row_ban_valid & (bprog == row_ban_len - 1)
                if bool(at_last.any()):
                    r_idx, k_idx = at_last.nonzero(as_tuple=True)
                    logp[r_idx, row_ban_tok[r_idx, k_idx, row_ban_len[r_idx, k_idx] - 1]] = _NEG
            all_met = (met | ~row_con_valid).all(-1)
            if step < min_new:
                logp[:, eos_id] = _NEG
            else:
                logp[:, eos_id] = torch.where(
                    all_met, logp[:, eos_id], torch.full_like(logp[:, eos_id], _NEG)
                )
            cand_total = beam_lp.unsqueeze(-1) + logp  # [R, V]

            # Candidate set per sentence: top 2k of the beam, each row's best, constraint-advancing tokens.
            flat = cand_total.view(B, beam * V)
            top_s, top_i = flat.topk(min(2 * beam, beam * V), dim=-1)
            c_row = [top_i // V]
            c_tok = [top_i % V]
            c_sc = [top_s]
            best_s, best_t = cand_total.max(-1)
            c_row.append(torch.arange(beam, device=dev).expand(B, beam))
            c_tok.append(best_t.view(B, beam))
            c_sc.append(best_s.view(B, beam))
            if ct["any_con"]:
                L = row_alt_tok.shape[-1]
                nxt = torch.gather(row_alt_tok, -1, prog.clamp(max=L - 1).unsqueeze(-1)).squeeze(-1)  # [R, A]
                alt_unmet = ~(row_onehot & met.unsqueeze(1)).any(-1)
                use = row_alt_valid & alt_unmet & (nxt >= 0)
                nxt_safe = nxt.clamp(min=0)
                sc = torch.gather(cand_total, 1, nxt_safe)
                sc = torch.where(use, sc, torch.full_like(sc, _NEG))
                c_row.append(torch.arange(beam, device=dev).repeat_interleave(A).expand(B, beam * A))
                c_tok.append(nxt_safe.view(B, beam * A))
                c_sc.append(sc.view(B, beam * A))
            cand_row = torch.cat(c_row, 1)  # local beam index
            cand_tok = torch.cat(c_tok, 1)
            N = cand_tok.shape[1]
            cand_sc = torch.cat(c_sc, 1)
            cand_sc = _drop_duplicates(cand_row, cand_tok, cand_sc, V, torch)
            valid = cand_sc > _NEG

            g_row = rows_b * beam + cand_row  # global row [B, N]
            is_eos = cand_tok == eos_id
            if ct["any_con"]:
                p_old = prog[g_row]  # [B, N, A]
                alt_tok_b = ct["alt_tok"].unsqueeze(1)  # [B, 1, A, L]
                alt_len_b = ct["alt_len"].unsqueeze(1)
                prev_tok = last.view(R)[g_row]  # [B, N]
                start_ok = ~(ct["alt_startw"].unsqueeze(1) & ends_word[prev_tok].unsqueeze(-1))
                start_ok &= ~(ct["alt_initial"].unsqueeze(1) & ~opens_sentence[prev_tok].unsqueeze(-1))
                p_new = _advance(p_old, cand_tok, alt_tok_b, alt_len_b, torch, start_ok)
                p_new = torch.where(ct["alt_valid"].unsqueeze(1), p_new, torch.zeros_like(p_new))
                completed = p_new >= alt_len_b
                onehot_b = ct["onehot"].unsqueeze(1)  # [B, 1, A, C]
                met_old = met[g_row]  # [B, N, C]
                met_new = met_old | (completed.unsqueeze(-1) & onehot_b).any(-2)  # [B, N, C]
                alt_was_met = (onehot_b & met_old.unsqueeze(2)).any(-1)  # [B, N, A]
                newly = completed & ~alt_was_met
                newly_word = (newly & ct["alt_endw"].unsqueeze(1)).any(-1)  # [B, N]
                # A plural may follow a term that ends in a letter, not one that ends in a digit.
                no_plural = (newly & ct["alt_endnonletter"].unsqueeze(1)).any(-1)
                part = (p_new.unsqueeze(-1) * onehot_b).amax(-2)  # [B, N, C]
                lmax_b = lmax.unsqueeze(1)
                bank = torch.where(met_new, lmax_b, part.clamp(max=lmax_b)).sum(-1)
                # Tokens still needed: per unmet constraint, the fewest remaining tokens of any alternative.
                remaining = torch.where(
                    ct["alt_valid"].unsqueeze(1), alt_len_b - p_new, torch.full_like(p_new, 10**6)
                )
                rem_c = torch.where(
                    onehot_b, remaining.unsqueeze(-1), torch.full_like(onehot_b, 10**6, dtype=torch.long)
                ).amin(-2)
                rem_c = torch.where(met_new | ~ct["con_valid"].unsqueeze(1), torch.zeros_like(rem_c), rem_c)
                needed = rem_c.sum(-1)
                steps_left = (max_new_t.unsqueeze(1) - (step + 1)).clamp(min=0)
                infeasible = (needed > steps_left) & ~is_eos
            else:
                bank = torch.zeros_like(cand_tok)
                infeasible = torch.zeros_like(valid)
            final_order = _bank_order(cand_sc, bank, valid, infeasible, torch)
            pos = torch.arange(N, device=dev).expand(B, N)
            ord_eos = torch.gather(is_eos, 1, final_order)
            ord_valid = torch.gather(valid, 1, final_order)

            # Finished hypotheses: EOS candidates among the first `beam` of the ordering.
            eos_take = ord_eos & ord_valid & (pos < beam)
            if bool(eos_take.any()):
                eb, ej = eos_take.nonzero(as_tuple=True)
                cidx = final_order[eb, ej]
                rows = g_row[eb, cidx].tolist()
                scores = cand_sc[eb, cidx].tolist()
                for b, r, s in zip(eb.tolist(), rows, scores, strict=True):
                    if done[b]:
                        continue
                    n_tok = step  # tokens before EOS
                    finished[b].append(
                        _Finished(s / max(1, n_tok + 1) ** lp, hist[r].tolist(), met[r].tolist())
                    )
            # Live beam: first `beam` non-EOS candidates in the ordering.
            non_eos = ~ord_eos
            csum = non_eos.long().cumsum(1)
            take = non_eos & (csum <= beam)
            # Stable: positions of taken entries, in order (there are N >= 2*beam candidates, >= beam non-EOS).
            take_pos = torch.where(take, pos, torch.full_like(pos, N)).sort(dim=1).values[:, :beam]
            take_pos = take_pos.clamp(max=N - 1)
            chosen = torch.gather(final_order, 1, take_pos)  # [B, beam] candidate indices
            sel_row = torch.gather(g_row, 1, chosen).view(R)
            sel_tok = torch.gather(cand_tok, 1, chosen).view(R)
            sel_sc = torch.gather(cand_sc, 1, chosen).view(R)
            shortfall = (csum[:, -1] < beam).unsqueeze(1) & (
                torch.arange(beam, device=dev).unsqueeze(0) >= csum[:, -1:].clamp(max=beam)
            )
            sel_sc = torch.where(shortfall.view(R), torch.full_like(sel_sc, _NEG), sel_sc)
            if ct["any_con"]:
                b_idx = rows_b.expand(B, beam)
                prog = p_new[b_idx, chosen].view(R, A)
                met = met_new[b_idx, chosen].view(R, C)
                was_plural_ok = (just_met & plural_ok)[sel_row]
                just_met = newly_word[b_idx, chosen].view(R)
                plural_ok = ~no_plural[b_idx, chosen].view(R)
                took_plural = torch.zeros_like(just_met)
                for pid in plural_ids:
                    took_plural |= sel_tok == pid
                after_plural = was_plural_ok & took_plural & ~just_met
            if ct["any_ban"]:
                bprog = _advance(bprog[sel_row], sel_tok, row_ban_tok, row_ban_len, torch)
                bprog = torch.where(row_ban_valid, bprog, torch.zeros_like(bprog))
            beam_lp = sel_sc
            hist = torch.cat([hist[sel_row], sel_tok.unsqueeze(1)], dim=1)
            last = sel_tok.unsqueeze(1)
            self_cache = getattr(cache, "self_attention_cache", None)
            if self_cache is not None:
                self_cache.reorder_cache(sel_row)
            else:
                cache.reorder_cache(sel_row)

            # Which sentences are done?
            n_gen = step + 1
            live_best = beam_lp.view(B, beam).max(-1).values.tolist()
            for b in range(B):
                if done[b]:
                    continue
                if n_gen >= max_new[b]:
                    for j in range(beam):
                        r = b * beam + j
                        if beam_lp[r].item() > _NEG:
                            finished[b].append(
                                _Finished(beam_lp[r].item() / n_gen**lp, hist[r].tolist(), met[r].tolist())
                            )
                    done[b] = True
                elif len(finished[b]) >= beam:
                    worst = sorted((f.score for f in finished[b]), reverse=True)[beam - 1]
                    if live_best[b] == _NEG or live_best[b] / n_gen**lp <= worst:
                        done[b] = True
            if all(done):
                break

    drafts: list[Draft] = []
    for b in range(B):
        drafts.append(_pick(finished[b], segs[b], tp))
    return drafts


def _pick(cands: list[_Finished], seg: SegmentConstraints, tp: Any) -> Draft:
    """Best finished hypothesis: fewest unmet terms (token and text level), then highest score."""
    best: tuple[tuple[int, float], Draft] | None = None
    for f in sorted(cands, key=lambda f: -f.score):
        text = tp.decode(f.tokens)
        unmet = [c.source for c, ok in zip(seg.required, f.met, strict=False) if not ok]
        for src in unmet_in_text(seg.terms, text):
            if src not in unmet:
                unmet.append(src)
        key = (len(unmet), -f.score)
        if best is None or key < best[0]:
            all_unmet = list(dict.fromkeys([*seg.unplaceable, *unmet]))
            best = (key, Draft(text=text, score=f.score, n_tokens=len(f.tokens), unmet=all_unmet))
        if not unmet and best[0][0] == 0:
            break
    if best is None:
        sources = [*seg.unplaceable, *(c.source for c in seg.required)]
        return Draft(text="", score=-1e9, n_tokens=0, unmet=list(dict.fromkeys(sources)))
    return best[1]


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
