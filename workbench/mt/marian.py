"""The transformers MarianMT backend.

Loads through the normal path (``MarianTokenizer`` + ``MarianMTModel.from_pretrained``), decodes
length-sorted batches under a token budget in ``torch.inference_mode``, on CUDA in fp16 when
present. Scores are recorded during decoding (no second pass, no per-step score tensors kept).
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.errors import WorkbenchError
from workbench.mt.base import BatchedEngine, LengthPolicy
from workbench.mt.models import DamagedModel, check_model_dir, model_fingerprint
from workbench.mt.registry import DEVICES
from workbench.mt.threads import resolve_threads
from workbench.mt.vocab import UNK, MarianVocab
from workbench.records import Draft, TermConstraint

if TYPE_CHECKING:
    import torch


def quiet_transformers() -> None:
    """Silence progress bars and advisory warnings that would clutter the CLI and the TUI."""
    import transformers

    transformers.utils.logging.set_verbosity_error()  # type: ignore[no-untyped-call]  # unannotated in transformers
    transformers.utils.logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # unannotated in transformers
    warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")


def pick_device(device: str) -> str:
    """``auto`` -> ``cuda`` when a GPU is usable, else ``cpu``; an unusable ``cuda`` is an error."""
    import torch

    if device not in DEVICES:
        raise WorkbenchError(f"--device must be one of {', '.join(DEVICES)}, not {device!r}")
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise WorkbenchError("--device cuda: no CUDA GPU is available to torch here; use --device cpu")
    return device


def load_marian(model_dir: Path, device: str = "cpu") -> tuple[Any, Any]:
    """Load tokenizer and model from ``model_dir`` (checked first, so a missing file is named).

    Returns:
        ``(tokenizer, model)`` with the model in eval mode on ``device`` (fp16 on CUDA).
    """
    check_model_dir(model_dir)
    quiet_transformers()
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    try:
        tokenizer = MarianTokenizer.from_pretrained(str(model_dir))
        dtype = torch.float16 if device == "cuda" else torch.float32
        model = MarianMTModel.from_pretrained(str(model_dir), dtype=dtype)
    except MemoryError:
        raise WorkbenchError(f"not enough memory to load the model at {model_dir}") from None
    except Exception as exc:  # the checked files still failed to load (safetensors, torch, json ...)
        raise DamagedModel(
            model_dir, f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:200]}"
        ) from exc
    model.to(device).eval()  # type: ignore[arg-type]  # transformers' wrapper on .to() misstates its parameters
    return tokenizer, model


class _ScoreRecorder:
    """A logits processor that keeps, per decoding step, just enough to score the chosen tokens.

    Greedy: the log-probability of the arg-max token. Beam search: each hypothesis row's top
    ``2 × beam`` log-probabilities (the beam search always picks among them), resolved at the end
    with the ``beam_indices`` generate returns.
    """

    def __init__(self, beam: int) -> None:
        self.beam = beam
        self.values: list[torch.Tensor] = []
        self.indices: list[torch.Tensor] = []

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        import torch

        if self.beam == 1:
            v, i = torch.log_softmax(scores.float(), dim=-1).max(dim=-1, keepdim=True)
        else:
            v, i = scores.float().topk(min(2 * self.beam, scores.shape[-1]), dim=-1)
        self.values.append(v.cpu())
        self.indices.append(i.cpu())
        return scores

    def scores(
        self, sequences: torch.Tensor, beam_indices: torch.Tensor | None, eos: int, pad: int
    ) -> list[tuple[float, int]]:
        """``(log-prob per generated token, n_tokens without eos)`` per returned sequence."""
        import torch

        if not self.values:
            return [(0.0, 0)] * sequences.shape[0]
        values = torch.stack(self.values).numpy()  # [steps, rows, k]
        indices = torch.stack(self.indices).numpy()
        seqs = sequences[:, 1:].cpu().numpy()
        rows = beam_indices.cpu().numpy() if beam_indices is not None else None
        out: list[tuple[float, int]] = []
        for r, seq in enumerate(seqs):
            total, n, content = 0.0, 0, 0
            for t, tok in enumerate(seq):
                if tok == pad or t >= values.shape[0]:
                    break
                row = r if rows is None else int(rows[r, t])
                if row < 0:
                    break
                hit = (indices[t, row] == tok).nonzero()[0]
                value = float(values[t, row, hit[0]]) if len(hit) else 0.0
                total += value
                if tok == eos:
                    # An end token forced at the length limit (log-probability 0 once every other token
                    # is masked) is not one the model chose: CTranslate2 stops there without it.
                    n += value != 0.0
                    break
                n += 1
                content += 1
            # Normalised as CTranslate2 normalises: over the tokens and the end token, by their number.
            out.append((total / n if n else 0.0, content))
        return out


class _CancelCriteria:
    """Stops ``generate`` as soon as the event is set (the caller then raises ``Cancelled``)."""

    def __init__(self, cancel: threading.Event) -> None:
        self.cancel = cancel

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor, **kwargs: Any) -> torch.Tensor:
        import torch

        return torch.full(
            (input_ids.shape[0],), self.cancel.is_set(), dtype=torch.bool, device=input_ids.device
        )


class MarianEngine(BatchedEngine):
    """MarianMT through transformers.

    Args:
        model_dir: A checked local model directory (see ``workbench.mt.models.resolve_model``).
        model_id: The name to show in signatures (hub id or directory name).
        device: ``auto``, ``cpu`` or ``cuda``.
        threads: torch intra-op threads, capped at the usable cores (None: all cores but one, see
            ``workbench.mt.threads``).
        batch_tokens: Padded source tokens × beam per batch.
        length_policy: Output length bounds per source length.
    """

    name = "transformers"

    def __init__(
        self,
        model_dir: Path,
        *,
        model_id: str | None = None,
        device: str = "auto",
        threads: int | None = None,
        batch_tokens: int | None = None,
        length_policy: LengthPolicy | None = None,
    ) -> None:
        super().__init__(batch_tokens=batch_tokens, length_policy=length_policy)
        import torch

        torch.set_num_threads(resolve_threads(threads))
        self.model_dir = Path(model_dir)
        self.model_id = model_id or self.model_dir.name
        self.device = pick_device(device)
        self.tokenizer, self.model = load_marian(self.model_dir, self.device)
        self.vocab = MarianVocab(self.model_dir)
        config = self.model.config
        self.eos_id = int(
            config.eos_token_id if isinstance(config.eos_token_id, int) else config.eos_token_id[0]
        )
        self.pad_id = int(config.pad_token_id)
        self.max_source_tokens = min(self.max_source_tokens, int(config.max_position_embeddings) - 12)
        # The most target pieces the decoder can produce or score: positions less the start token and a spare.
        self.max_target_pieces = max(1, int(config.max_position_embeddings) - 2)

    def _count(self, text: str) -> int:
        return len(self.tokenizer(text)["input_ids"])

    def _encode(self, texts: list[str]) -> Any:  # transformers' BatchEncoding, moved to the device
        return self.tokenizer(texts, return_tensors="pt", padding=True).to(self.device)

    def _run_batch(
        self, texts: list[str], *, beam: int, min_new: int, max_new: int, cancel: threading.Event | None
    ) -> list[Draft]:
        import torch
        from transformers import LogitsProcessorList, StoppingCriteriaList

        recorder = _ScoreRecorder(beam)
        stopping = StoppingCriteriaList([_CancelCriteria(cancel)]) if cancel is not None else None
        batch = self._encode(texts)
        kwargs = {"min_new_tokens": min_new} if min_new > 0 else {}
        with torch.inference_mode():
            out = self.model.generate(
                **batch,
                num_beams=beam,
                do_sample=False,
                max_new_tokens=max_new,
                logits_processor=LogitsProcessorList([recorder]),
                stopping_criteria=stopping,
                return_dict_in_generate=True,
                **kwargs,
            )
        beam_indices = getattr(out, "beam_indices", None) if beam > 1 else None
        scored = recorder.scores(out.sequences, beam_indices, self.eos_id, self.pad_id)
        drafts = []
        for seq, (score, n) in zip(out.sequences.tolist(), scored, strict=True):
            drafts.append(Draft(self.vocab.decode_ids(seq[1:]), score, n))
        return drafts

    def _run_constrained(
        self,
        texts: list[str],
        constraints: list[tuple[TermConstraint, ...]],
        *,
        beam: int,
        min_new: int,
        max_new: int,
        cancel: threading.Event | None,
    ) -> list[Draft]:
        from workbench.mt.constrained.ledger import searched_ledger
        from workbench.mt.constrained.repair import repair
        from workbench.mt.constrained.search import search_constrained
        from workbench.mt.constraints import target_pieces

        hyps = search_constrained(
            self.model,
            self.tokenizer,
            texts,
            constraints,
            beam=beam,
            max_new_tokens=max_new,
            min_new_tokens=min_new or None,
            device=self.device,
            cancel=cancel,
            room_for_terms=True,
        )
        tp = target_pieces(self.tokenizer)
        hyps = repair(
            self.vocab, tp, texts, constraints, hyps, limit=self.max_target_pieces, score=self.score
        )
        # A winner whose own rendering of a term was replaced by the approved one (module ``usual``)
        # carries the score of the words the model wrote: the draft returned is scored again, so that
        # its score, and the forcing cost the ledger takes from it, are the draft's own.
        scores = self.score(texts, [h.pieces for h in hyps])
        drafts = [
            replace(h, score=sc).draft() if h.pieces else h.draft()
            for h, sc in zip(hyps, scores, strict=True)
        ]
        # The ledger compares each draft with the model's own best: the plain search of the same batch.
        plain = self._run_batch(texts, beam=beam, min_new=min_new, max_new=max_new, cancel=cancel)
        return searched_ledger(drafts, plain, constraints, self.tokenizer)

    def score(self, texts: Sequence[str], pieces: Sequence[Sequence[str]]) -> list[float]:
        """Length-normalised log-probability of each target (pieces, no end token) given its source,
        normalised as the plain search's scores are (:func:`~workbench.mt.constrained.stepper.score_targets`)."""
        from workbench.mt.constrained.stepper import score_targets

        unk = self.vocab.vocab.get(UNK, self.pad_id)
        ids = [[self.vocab.vocab.get(p, unk) for p in target] for target in pieces]
        return score_targets(self.model, self.tokenizer, texts, ids, self.eos_id)

    def _describe(self) -> dict[str, str]:
        return {
            "model": self.model_id,
            "model_hash": model_fingerprint(self.model_dir),
            "device": self.device,
            "dtype": "float16" if self.device == "cuda" else "float32",
        }
