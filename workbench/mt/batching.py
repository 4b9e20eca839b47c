"""Batch planning shared by the backends: length-sorted batches under a token budget, and the
splitting of segments longer than the model's position limit at clause punctuation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# The segmenter bounds segment length with the same clause-punctuation splitter.
from workbench.text.segments import split_long

__all__ = ["MAX_SOURCE_TOKENS", "Batch", "default_length_policy", "join_pieces", "plan_batches", "split_long"]

#: The source-side limit of opus-mt-zh-en (512 positions); a little room is kept for </s>.
MAX_SOURCE_TOKENS = 500
DEFAULT_BATCH_TOKENS = 2000
MAX_BATCH_ROWS = 64
#: Hypotheses (rows × beam) per batch in beam search: beyond ~32 the per-step reordering of the
#: key/value cache makes each hypothesis dearer (beam 4 at 8 rows beat 32 rows on two cores).
MAX_BEAM_HYPOTHESES = 32
#: Marginal cost of a hypothesis row per decoding step, relative to the step's fixed cost (reading
#: the weights, Python). On two cores with the opus-mt architecture a step is dominated by the fixed
#: part: on 32 mixed-length sentences, 0.05 (big batches, some padding) beat 0.2 and 1.0 (tight
#: length buckets) for both backends, greedy and beam 4.
ROW_COST = 0.05


def join_pieces(drafts: Sequence[str]) -> str:
    """Rejoin the English drafts of the pieces of one long segment."""
    return " ".join(d.strip() for d in drafts if d.strip())


@dataclass(frozen=True)
class Batch:
    """Item indices (into the flattened work list) of one batch, longest first."""

    items: tuple[int, ...]
    max_len: int


def plan_batches(
    lengths: Sequence[int],
    *,
    beam: int,
    batch_tokens: int = DEFAULT_BATCH_TOKENS,
    max_rows: int = MAX_BATCH_ROWS,
    row_cost: float = ROW_COST,
) -> list[Batch]:
    """Cut items, sorted longest first, into batches that minimise estimated decoding time.

    A batch decodes for as many steps as its longest member needs, and each step costs a fixed
    part (reading the weights, Python) plus ``row_cost`` of it per hypothesis row; so big batches
    amortise the fixed part while mixed lengths waste steps on padding. A dynamic programme over
    the sorted lengths picks the cheapest cut. ``batch_tokens`` bounds rows × padded length × beam
    (memory; beam 4 at 32 rows was slower than at 8 rows on two cores).

    Args:
        lengths: Source token count of each item.
        beam: Beam size (each row costs ``beam`` hypotheses).
        batch_tokens: Budget of padded source tokens × beam per batch.
        max_rows: Upper bound on rows per batch (in beam search also ``MAX_BEAM_HYPOTHESES // beam``).
        row_cost: Cost of one more hypothesis row per step, relative to a step's fixed cost.
    """
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    sorted_lengths = [max(1, lengths[i]) for i in order]
    n = len(order)
    beam = max(1, beam)
    if beam > 1:
        max_rows = max(1, min(max_rows, MAX_BEAM_HYPOTHESES // beam))
    best = [0.0] + [float("inf")] * n
    cut = [0] * (n + 1)
    for j in range(1, n + 1):  # best[j]: cheapest plan of the j longest items
        for i in range(j - 1, -1, -1):  # the last batch is items i..j-1, led by sorted_lengths[i]
            rows = j - i
            longest = sorted_lengths[i]
            if rows > 1 and (rows > max_rows or rows * longest * beam > batch_tokens):
                break
            cost = best[i] + longest * (1.0 + row_cost * (rows * beam - 1))
            if cost < best[j]:
                best[j], cut[j] = cost, i
    batches: list[Batch] = []
    j = n
    while j > 0:
        i = cut[j]
        batches.append(Batch(tuple(order[i:j]), sorted_lengths[i]))
        j = i
    batches.reverse()
    return batches


def default_length_policy(n_source_tokens: int) -> tuple[int, int]:
    """``(min_new_tokens, max_new_tokens)`` for a source of this many tokens.

    English drafts of Chinese run ~1–1.5 target tokens per source token; the cap stops a
    degenerate repetition long before the 512-position limit without cutting a real sentence.
    """
    return 0, min(511, 2 * n_source_tokens + 16)
