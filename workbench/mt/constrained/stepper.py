"""The Marian model as the constrained search drives it: encoder once, decoder one token at a time."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch


@dataclass(frozen=True)
class ModelIds:
    """Special tokens and limits read from the model's config and generation config.

    Attributes:
        eos: End of sentence.
        pad: Padding (never produced).
        start: Decoder start token (never produced unless it is pad or EOS).
        length_penalty: Exponent of the length normalisation of finished hypotheses.
        position_limit: The most tokens the decoder can produce (positions minus one).
    """

    eos: int
    pad: int
    start: int
    length_penalty: float
    position_limit: int

    @classmethod
    def of(cls, model: Any) -> ModelIds:
        """Read them from ``model`` (the generation config wins over the model config)."""
        gen = getattr(model, "generation_config", None)
        cfg = model.config

        def pick(name: str) -> int:
            value = getattr(gen, name, None) if gen is not None else None
            return int(value if value is not None else getattr(cfg, name))

        lp = float(getattr(gen, "length_penalty", 1.0) or 1.0) if gen is not None else 1.0
        return cls(
            eos=pick("eos_token_id"),
            pad=int(cfg.pad_token_id),
            start=pick("decoder_start_token_id"),
            length_penalty=lp,
            position_limit=int(getattr(cfg, "max_position_embeddings", 512) or 512) - 1,
        )


class MarianStepper:
    """Runs the encoder once for a batch and the decoder incrementally for all ``B x beam`` rows.

    Only the self-attention cache is reordered when beams are selected: the cross-attention cache is
    the same for every beam of a sentence.

    Args:
        model: A loaded seq2seq model (``MarianMTModel``) in eval mode.
        input_ids: ``[B, S]`` source token ids.
        attention_mask: ``[B, S]``.
        beam: Beam size.
        attend: Also report, each step, the source position every row attends to most (the decoder's
            cross-attention, averaged over layers and heads). The model runs with eager attention while
            the stepper is open (the fused kernels do not return attention weights); :meth:`close`
            restores its implementation.
    """

    def __init__(
        self,
        model: Any,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        beam: int,
        *,
        attend: bool = False,
    ) -> None:
        from transformers.modeling_outputs import BaseModelOutput

        self.model = model
        self.attended: torch.Tensor | None = None
        self._restore: str | None = None
        if attend and hasattr(model, "set_attn_implementation"):
            current = str(getattr(model.config, "_attn_implementation", "eager") or "eager")
            if current != "eager":
                model.set_attn_implementation("eager")
                self._restore = current
        self.attend = attend
        hidden = model.get_encoder()(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        self.encoder_out = BaseModelOutput(last_hidden_state=hidden.repeat_interleave(beam, dim=0))
        self.encoder_mask = attention_mask.repeat_interleave(beam, dim=0)
        params = inspect.signature(model.forward).parameters
        self.cache_kwarg = "cache" if "cache" in params else "past_key_values"
        self.cache: Any = None

    def log_probs(self, last: torch.Tensor) -> torch.Tensor:
        """``[R, V]`` next-token log-probabilities after feeding ``last`` (``[R, 1]``)."""
        kwargs = {self.cache_kwarg: self.cache} if self.cache is not None else {}
        out = self.model(
            encoder_outputs=self.encoder_out,
            attention_mask=self.encoder_mask,
            decoder_input_ids=last,
            use_cache=True,
            output_attentions=self.attend,
            **kwargs,
        )
        cache = getattr(out, "cache", None)
        self.cache = cache if cache is not None else out.past_key_values
        cross = getattr(out, "cross_attentions", None) if self.attend else None
        self.attended = None  # e.g. another thread gave the model its fused kernels back meanwhile
        if cross:
            weights = torch.stack([a[:, :, -1, :].float().mean(1) for a in cross]).mean(0)  # [R, S]
            self.attended = weights.argmax(-1)
        return torch.log_softmax(out.logits[:, -1, :].float(), dim=-1)

    def close(self) -> None:
        """Give the model back its attention implementation."""
        if self._restore is not None:
            self.model.set_attn_implementation(self._restore)
            self._restore = None

    def reorder(self, rows: torch.Tensor) -> None:
        """Keep the decoder cache of ``rows`` (``[R]``), in that order."""
        self_cache = getattr(self.cache, "self_attention_cache", None)
        (self_cache if self_cache is not None else self.cache).reorder_cache(rows)


#: Targets scored in one teacher-forced pass (:func:`score_targets`).
SCORE_CHUNK = 16


def score_targets(
    model: Any, tokenizer: Any, sources: Sequence[str], targets: Sequence[Sequence[int]], eos: int
) -> list[float]:
    """Length-normalised log-probability of each target (token ids, no end token) given its source,
    normalised as CTranslate2 normalises its hypotheses: the sum over the tokens and the end token,
    divided by their number. One teacher-forced pass per chunk of :data:`SCORE_CHUNK` pairs."""
    dev = next(model.parameters()).device
    out: list[float] = []
    with torch.inference_mode():
        for at in range(0, len(sources), SCORE_CHUNK):
            chunk = [[*ids, eos] for ids in targets[at : at + SCORE_CHUNK]]
            width = max(len(ids) for ids in chunk)
            labels = torch.tensor([ids + [-100] * (width - len(ids)) for ids in chunk], device=dev)
            enc = tokenizer(list(sources[at : at + SCORE_CHUNK]), return_tensors="pt", padding=True).to(dev)
            logits = model(**enc, labels=labels).logits
            keep = labels != -100
            logp = torch.log_softmax(logits.float(), dim=-1).gather(-1, labels.clamp(min=0).unsqueeze(-1))
            sums = (logp.squeeze(-1) * keep).sum(-1).tolist()
            out.extend(total / len(ids) for total, ids in zip(sums, chunk, strict=True))
    return out
