"""The constrained search's state: live hypotheses, this step's candidates, finished hypotheses."""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from workbench.mt.constrained.ops import NEG


@dataclass
class BeamState:
    """Everything the search knows about its ``R = B x beam`` live hypotheses.

    Attributes:
        beam_lp: ``[R]`` cumulative log-probability (-inf: an empty slot).
        prog: ``[R, A]`` tokens of each alternative just produced (partial match).
        met: ``[R, C]`` constraints already met.
        bprog: ``[R, K]`` partial matches of the banned sequences.
        just_met: ``[R]`` the last token completed a term ending in a word character, so the next one
            must not glue another word character onto it ("women" must not become "womenfolk").
        plural_ok: ``[R]`` that term ends in a letter: a plural "s"/"es" may follow once.
        after_plural: ``[R]`` the last token was that plural: nothing may glue onto it.
        hist: ``[R, t]`` tokens so far.
        att_hist: ``[R, t]`` per token, the source position attended to most when it was chosen (-1: not
            tracked).
        last: ``[R, 1]`` the last token (the decoder's next input).
        front: ``[R]`` the furthest source token the hypothesis has attended to most at any step so far
            (-1: none yet, or attention not tracked).
        attended: ``[R]`` the source token it attends to most at this step (-1: not tracked).
        wants_end: ``[R]`` the model's own best next token is the end of the sentence.
        best: ``[R]`` the model's own best next token (-1: not tracked).
        displaced: ``[R]`` a term was started where the model does not attend to its source (a last
            resort before the end of the sentence).
    """

    beam_lp: torch.Tensor
    prog: torch.Tensor
    met: torch.Tensor
    bprog: torch.Tensor
    just_met: torch.Tensor
    plural_ok: torch.Tensor
    after_plural: torch.Tensor
    hist: torch.Tensor
    att_hist: torch.Tensor
    last: torch.Tensor
    front: torch.Tensor
    attended: torch.Tensor
    wants_end: torch.Tensor
    best: torch.Tensor
    displaced: torch.Tensor

    @classmethod
    def initial(
        cls, B: int, beam: int, shape: tuple[int, int, int], start_id: int, device: torch.device
    ) -> BeamState:
        """The state before the first step: one live hypothesis per sentence, ``shape`` = ``(A, C, K)``."""
        A, C, K = shape
        R = B * beam
        beam_lp = torch.full((B, beam), NEG, device=device)
        beam_lp[:, 0] = 0.0
        flags = torch.zeros(R, dtype=torch.bool, device=device)
        return cls(
            beam_lp=beam_lp.view(R),
            prog=torch.zeros((R, A), dtype=torch.long, device=device),
            met=torch.zeros((R, C), dtype=torch.bool, device=device),
            bprog=torch.zeros((R, K), dtype=torch.long, device=device),
            just_met=flags,
            plural_ok=flags.clone(),
            after_plural=flags.clone(),
            hist=torch.empty((R, 0), dtype=torch.long, device=device),
            att_hist=torch.empty((R, 0), dtype=torch.long, device=device),
            last=torch.full((R, 1), start_id, dtype=torch.long, device=device),
            front=torch.full((R,), -1, dtype=torch.long, device=device),
            attended=torch.full((R,), -1, dtype=torch.long, device=device),
            wants_end=flags.clone(),
            best=torch.full((R,), -1, dtype=torch.long, device=device),
            displaced=flags.clone(),
        )


@dataclass(frozen=True)
class Candidates:
    """This step's candidate continuations, ``N`` per sentence.

    Attributes:
        row: ``[B, N]`` the hypothesis each extends, as a beam index within its sentence.
        global_row: ``[B, N]`` the same as a row index into the state (``b x beam + row``).
        tok: ``[B, N]`` the token.
        score: ``[B, N]`` cumulative log-probability (-inf: dead or duplicate).
    """

    row: torch.Tensor
    global_row: torch.Tensor
    tok: torch.Tensor
    score: torch.Tensor

    @property
    def valid(self) -> torch.Tensor:
        """``[B, N]`` live candidates."""
        return self.score > NEG


@dataclass(frozen=True)
class Progress:
    """Constraint progress of every candidate (what its hypothesis would become).

    Attributes:
        prog: ``[B, N, A]`` partial matches.
        met: ``[B, N, C]`` met constraints.
        newly_word: ``[B, N]`` the token completed a term that ends in a word character.
        no_plural: ``[B, N]`` ... one that ends in a digit or other non-letter (no plural may follow).
        bank: ``[B, N]`` constraint tokens produced (met constraints count their longest alternative).
        infeasible: ``[B, N]`` the unmet constraints no longer fit in the remaining length.
        displaced: ``[B, N]`` the token starts a term where the model does not attend to its source.
    """

    prog: torch.Tensor
    met: torch.Tensor
    newly_word: torch.Tensor
    no_plural: torch.Tensor
    bank: torch.Tensor
    infeasible: torch.Tensor
    displaced: torch.Tensor


@dataclass
class Finished:
    """A hypothesis that ended (EOS or the length limit).

    Attributes:
        score: Length-normalised log-probability.
        tokens: Its tokens (EOS excluded).
        met: Per constraint, whether the search saw it met.
        displaced: A term was started where the model does not attend to its source.
        attended: Per token, the source position attended to most (empty: not tracked).
        capped: It ended at the length limit, not with EOS.
    """

    score: float
    tokens: list[int]
    met: list[bool]
    displaced: bool = False
    attended: list[int] = field(default_factory=list)
    capped: bool = False
