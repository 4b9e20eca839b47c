"""Vectorised building blocks of the constrained search: match progress, duplicates, bank order."""

from __future__ import annotations

import torch

NEG = float("-inf")


def advance(
    prog: torch.Tensor,
    tok: torch.Tensor,
    seq_tok: torch.Tensor,
    seq_len: torch.Tensor,
    start_ok: torch.Tensor | None = None,
) -> torch.Tensor:
    """New match progress for every (row, sequence) after emitting ``tok``.

    A token that continues a partial match advances it; any other token abandons the match (progress
    falls back to 0, or to 1 when the token starts the sequence again).

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


def drop_duplicates(
    cand_row: torch.Tensor, cand_tok: torch.Tensor, cand_sc: torch.Tensor, V: int
) -> torch.Tensor:
    """Scores with duplicate candidates (same hypothesis, same token) set to -inf, the first live one kept.

    Dead candidates (score -inf) get unique negative keys, so they never shadow a live duplicate.
    """
    B, N = cand_tok.shape
    key = torch.where(
        cand_sc > NEG, cand_row * V + cand_tok, -1 - torch.arange(N, device=cand_tok.device).expand(B, N)
    )
    skey, sidx = key.sort(dim=1, stable=True)
    dup_sorted = torch.zeros_like(skey, dtype=torch.bool)
    dup_sorted[:, 1:] = skey[:, 1:] == skey[:, :-1]
    dup = torch.zeros_like(dup_sorted).scatter_(1, sidx, dup_sorted)
    return torch.where(dup, torch.full_like(cand_sc, NEG), cand_sc)


def bank_order(
    cand_sc: torch.Tensor, bank: torch.Tensor, valid: torch.Tensor, infeasible: torch.Tensor
) -> torch.Tensor:
    """Candidate indices per sentence in the order the beam is filled (``[B, N]``).

    Dynamic beam allocation, vectorised: candidates are ranked by score within their bank, and the
    beam takes rank 0 of every bank (highest bank first), then rank 1, and so on; except that the best
    candidate of bank 0 (the model's own path, no term under way) comes first: with more banks than beam
    slots, the partial matches of one long rendering filled the beam and the hypothesis that would
    write the term where the model does was dropped. Candidates that can no longer fit their terms come
    after all feasible ones, dead candidates last.
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
    own = (bank == 0) & (rank == 0) & (tier == 0)
    key = torch.where(own, torch.full_like(key, -1), key)
    return key.argsort(dim=1, stable=True)
