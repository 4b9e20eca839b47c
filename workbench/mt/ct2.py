"""The CTranslate2 backend: the same Marian model converted to int8 (CPU) or int8_float16 (GPU).

``convert_model`` (``workbench model convert``) writes the converted model under
``$XDG_CACHE_HOME/workbench/ct2/<name>-<hash>-<quantization>``; the engine converts on first use
when that directory is missing. Tokenisation uses the model's own source.spm/target.spm/vocab.json
(``workbench.mt.vocab``), so no transformers import is needed to translate.

Glossary enforcement: ``CT2Engine.nbest_attention`` (the plain beam search's n-best list with
cross-attention, forbidden renderings suppressed) and ``CT2Engine.score`` (teacher-forced rescoring)
are what ``workbench.mt.constrained.fast`` builds on; no second engine is loaded.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.guard import check_output_folder, protect
from workbench.mt.base import BatchedEngine, LengthPolicy
from workbench.mt.constraints import TargetPieces
from workbench.mt.models import DamagedModel, cache_home, check_model_dir, model_fingerprint
from workbench.mt.threads import resolve_threads
from workbench.mt.vocab import EOS, PAD, MarianVocab
from workbench.records import Draft, TermConstraint

QUANTIZATIONS = ("int8", "int8_float16", "int8_float32", "float16", "float32", "bfloat16", "int8_bfloat16")
MARKER = "workbench-source.txt"


@dataclass(frozen=True)
class NBest:
    """One hypothesis of an n-best list.

    Attributes:
        pieces: Target pieces (no end token).
        score: Length-normalised log-probability.
        attention: Per target piece, its cross-attention over the source pieces.
    """

    pieces: list[str]
    score: float
    attention: list[list[float]]


def _cuda_count() -> int:
    import ctranslate2

    try:
        return int(ctranslate2.get_cuda_device_count())
    except Exception:  # built without CUDA
        return 0


def pick_ct2_device(device: str) -> str:
    """``auto`` -> ``cuda`` when CTranslate2 sees a GPU, else ``cpu``."""
    if device not in ("auto", "cpu", "cuda"):
        raise WorkbenchError(f"--device must be one of auto, cpu, cuda, not {device!r}")
    if device == "auto":
        return "cuda" if _cuda_count() > 0 else "cpu"
    if device == "cuda" and _cuda_count() == 0:
        raise WorkbenchError("--device cuda: CTranslate2 sees no CUDA GPU here; use --device cpu")
    return device


def default_quantization(device: str) -> str:
    """int8 weights on CPU, int8 weights with fp16 activations on GPU."""
    return "int8_float16" if device == "cuda" else "int8"


def converted_dir(model_dir: Path, quantization: str) -> Path:
    """Where the converted copy of ``model_dir`` lives (a function of its content hash)."""
    name = Path(model_dir).resolve().name
    if (
        name.startswith(("snapshots", "models--")) or len(name) == 40
    ):  # a hub snapshot: name it after the repo
        parts = [p for p in Path(model_dir).resolve().parts if p.startswith("models--")]
        name = parts[-1][len("models--") :].replace("--", "_") if parts else name
    return cache_home() / "ct2" / f"{name}-{model_fingerprint(model_dir)}-{quantization}"


def convert_model(
    model_dir: Path, quantization: str = "int8", *, force: bool = False, out_dir: Path | None = None
) -> Path:
    """Convert a transformers Marian model to CTranslate2 (atomically: temp dir, then rename).

    Args:
        model_dir: A checked local model directory.
        quantization: One of ``QUANTIZATIONS``.
        force: Convert again even when the target exists.
        out_dir: Override the cache location.

    Returns:
        The converted model directory.
    """
    if quantization not in QUANTIZATIONS:
        raise WorkbenchError(
            f"--quantization must be one of {', '.join(QUANTIZATIONS)}, not {quantization!r}"
        )
    check_model_dir(model_dir)
    protect(model_dir, "the model being converted")
    target = Path(os.path.realpath(out_dir)) if out_dir else converted_dir(model_dir, quantization)
    check_output_folder(target if out_dir is None else out_dir, ours=(target / MARKER).is_file())
    stale = (target / "model.bin").is_file() and _stale(model_dir, target)
    if (target / "model.bin").is_file() and not force and not stale:
        return target
    force = force or stale
    from workbench.mt.marian import quiet_transformers

    quiet_transformers()
    from ctranslate2.converters import TransformersConverter

    _install_marian_loader()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        TransformersConverter(str(model_dir)).convert(
            str(tmp / "model"), quantization=quantization, force=True
        )
        (tmp / "model" / MARKER).write_text(f"{Path(model_dir).resolve()}\n", encoding="utf-8")
        if (target / "model.bin").is_file() and not force:
            return target  # another process (a worker of a cluster) converted it meanwhile: keep that one
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp / "model", target)
    except WorkbenchError:
        raise
    except Exception as exc:
        raise WorkbenchError(
            f"converting {model_dir} to CTranslate2 failed: {type(exc).__name__}: {str(exc)[:200]}"
        ) from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def _install_marian_loader() -> None:
    """Make CTranslate2's converter start the decoder where transformers does, for any Marian model.

    transformers starts Marian's decoder from ``<pad>`` (``decoder_start_token_id``); CTranslate2's
    Marian converter drops ``<pad>`` and starts from a zero embedding instead. The two agree while the
    ``<pad>`` row is zero, as in every opus-mt model (Marian itself starts from a zero embedding, and the
    port to transformers appended ``<pad>`` as a zero row). A model trained or fine-tuned with
    transformers and tied embeddings has a non-zero ``<pad>`` row (the output layer trains it), and
    CTranslate2 then decodes a different model (it dropped the first word of every translation of a
    trained model). For such a model the loader keeps ``<pad>`` and starts from its embedding; the
    engine never lets it be generated (:func:`decoder_starts_from_pad`). Idempotent.
    """
    from ctranslate2.converters.transformers import BartLoader, MarianMTLoader, register_loader

    class PadStartMarianLoader(MarianMTLoader):  # type: ignore[misc]  # untyped base class
        pad_start = False

        def get_model_spec(self, model: Any) -> Any:
            pad = int(model.config.pad_token_id)
            self.pad_start = bool(model.model.decoder.embed_tokens.weight[pad].abs().max() > 0)
            if not self.pad_start:
                return super().get_model_spec(model)
            model.config.normalize_before = False
            model.config.normalize_embedding = False
            return BartLoader.get_model_spec(self, model)  # <pad> and its weights kept

        def set_config(self, config: Any, model: Any, tokenizer: Any) -> None:
            super().set_config(config, model, tokenizer)
            if self.pad_start:
                config.decoder_start_token = tokenizer.convert_ids_to_tokens(model.config.pad_token_id)

        def set_decoder(self, spec: Any, decoder: Any) -> None:
            super().set_decoder(spec, decoder)
            spec.start_from_zero_embedding = not self.pad_start

        def get_vocabulary(self, model: Any, tokenizer: Any) -> Any:
            if self.pad_start:
                return BartLoader.get_vocabulary(self, model, tokenizer)
            return super().get_vocabulary(model, tokenizer)

    register_loader("MarianConfig")(PadStartMarianLoader)


def decoder_starts_from_pad(ct2_dir: Path) -> bool:
    """True when the converted model in ``ct2_dir`` keeps ``<pad>`` as its decoder start token (see
    :func:`_install_marian_loader`); its searches must then never generate it."""
    try:
        config = json.loads((Path(ct2_dir) / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(config, dict) and config.get("decoder_start_token") == PAD


def _pad_row_nonzero(model_dir: Path) -> bool | None:
    """Whether the ``<pad>`` row of the model's embeddings is non-zero (None: not readable cheaply)."""
    path = Path(model_dir) / "model.safetensors"
    try:
        config = json.loads((Path(model_dir) / "config.json").read_text(encoding="utf-8"))
        pad = int(config["pad_token_id"])
        from safetensors import safe_open

        with safe_open(str(path), "pt") as f:
            names = set(f.keys())
            key = next((k for k in ("model.decoder.embed_tokens.weight", "model.shared.weight") if k in names), None)  # fmt: skip
            if key is None:
                return None
            return bool(f.get_slice(key)[pad : pad + 1].abs().max() > 0)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError):
        return None


def _stale(model_dir: Path, target: Path) -> bool:
    """True for a conversion made before :func:`_install_marian_loader` of a model with a non-zero
    ``<pad>`` row (it starts the decoder from a zero embedding)."""
    return _pad_row_nonzero(model_dir) is True and not decoder_starts_from_pad(target)


def max_target_pieces(model_dir: Path) -> int:
    """The most target pieces the model in ``model_dir`` can decode or score: its positions
    (``max_position_embeddings``, 512 for opus-mt) less the decoder start token and one spare."""
    try:
        config = json.loads((Path(model_dir) / "config.json").read_text(encoding="utf-8"))
        positions = int(config.get("max_position_embeddings") or 512)
    except (OSError, ValueError, TypeError, AttributeError, RecursionError):
        positions = 512
    return max(1, positions - 2)


class CT2Engine(BatchedEngine):
    """MarianMT through CTranslate2.

    Args:
        model_dir: The transformers model directory (its tokenizer files are used as they are).
        model_id: Name for signatures.
        device: ``auto``, ``cpu`` or ``cuda``.
        threads: Intra-op threads, capped at the usable cores (None: all cores but one, see
            ``workbench.mt.threads``).
        batch_tokens: Padded source tokens × beam per batch.
        length_policy: Output length bounds per source length.
        quantization: Conversion type (default: int8 on CPU, int8_float16 on GPU).
        ct2_dir: Use this converted model instead of the cached conversion.
        notice: Called with a one-line message before converting on first use.
    """

    name = "ctranslate2"
    # The glossary path is the plain beam search plus edits: segments with and without terms can share
    # batches, so a glossary run decodes in exactly the batches of a run without one.
    mixed_batches = True

    def __init__(
        self,
        model_dir: Path,
        *,
        model_id: str | None = None,
        device: str = "auto",
        threads: int | None = None,
        batch_tokens: int | None = None,
        length_policy: LengthPolicy | None = None,
        quantization: str | None = None,
        ct2_dir: Path | None = None,
        notice: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(batch_tokens=batch_tokens, length_policy=length_policy)
        import ctranslate2

        self.model_dir = check_model_dir(Path(model_dir))
        self.model_id = model_id or self.model_dir.name
        self.device = pick_ct2_device(device)
        self.quantization = quantization or default_quantization(self.device)
        if ct2_dir:
            self.ct2_dir = Path(ct2_dir)
        else:
            target = converted_dir(self.model_dir, self.quantization)
            if notice is not None and not (target / "model.bin").is_file():
                notice(
                    f"converting {self.model_id} to CTranslate2 {self.quantization} (first use only, "
                    f"about 10 s; cached in {target})"
                )
            self.ct2_dir = convert_model(self.model_dir, self.quantization)
        self.threads = resolve_threads(threads)
        try:
            self.translator = ctranslate2.Translator(
                str(self.ct2_dir),
                device=self.device,
                compute_type="default",
                inter_threads=1,
                intra_threads=self.threads,
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise DamagedModel(
                self.ct2_dir,
                f"{(str(exc).splitlines() or [''])[0][:200]} (convert it again: workbench model convert --force)",
            ) from exc
        self.vocab = MarianVocab(self.model_dir)
        self.max_target_pieces = max_target_pieces(self.model_dir)
        # Kept as the decoder start token (a non-zero <pad> row): transformers never generates it either.
        self._suppress: list[list[str]] = [[PAD]] if decoder_starts_from_pad(self.ct2_dir) else []
        self._target_pieces: TargetPieces | None = None

    def _count(self, text: str) -> int:
        return len(self.vocab.source_pieces(text))

    def _options(self, beam: int, min_new: int, max_new: int) -> dict[str, Any]:
        # transformers counts the forced end token among the new tokens; CTranslate2 does not count it.
        return {
            "beam_size": beam,
            "max_decoding_length": max(1, max_new - 1),
            "min_decoding_length": max(0, min_new),
            "max_input_length": 0,  # never truncate: long segments were split before
            "return_scores": True,
            **({"suppress_sequences": self._suppress} if self._suppress else {}),
        }

    def _run_batch(
        self, texts: list[str], *, beam: int, min_new: int, max_new: int, cancel: threading.Event | None
    ) -> list[Draft]:
        tokens = [self.vocab.source_pieces(t) for t in texts]
        options = self._options(beam, min_new, max_new)
        if cancel is not None and beam == 1:
            options["callback"] = lambda step: cancel.is_set()
        results = self.translator.translate_batch(tokens, **options)
        drafts = []
        for result in results:
            hyp = result.hypotheses[0]
            score = float(result.scores[0]) if result.scores else 0.0
            drafts.append(Draft(self.vocab.detokenize(hyp), score, len([t for t in hyp if t != EOS])))
        return drafts

    def target_pieces(self) -> TargetPieces:
        """Target-side tokenisation helper for the glossary constraints (built once)."""
        if self._target_pieces is None:
            self._target_pieces = TargetPieces.from_vocab(self.vocab)
        return self._target_pieces

    def nbest_attention(
        self,
        texts: Sequence[str],
        *,
        beam: int,
        min_new: int,
        max_new: int,
        suppress: Sequence[Sequence[str]] = (),
    ) -> list[list[NBest]]:
        """The plain beam search of :meth:`_run_batch`, returning its ``beam`` best hypotheses with
        their cross-attention; ``suppress`` lists piece sequences the search must not produce.

        Args:
            texts: Source segments (not split; keep them under the model's limit).
            beam: Beam size and number of hypotheses.
            min_new: Minimum output length (length policy).
            max_new: Maximum output length (length policy; the end token counts).
            suppress: Banned piece sequences (forbidden renderings).
        """
        tokens = [self.vocab.source_pieces(t) for t in texts]
        options = self._options(beam, min_new, max_new)
        options.update(num_hypotheses=beam, return_attention=True)
        if suppress:
            options["suppress_sequences"] = [*self._suppress, *(list(s) for s in suppress)]
        results = self.translator.translate_batch(tokens, **options)
        return [
            [
                NBest(list(h), float(sc), att or [])
                for h, sc, att in zip(
                    r.hypotheses, r.scores, r.attention or [[]] * len(r.hypotheses), strict=True
                )
            ]
            for r in results
        ]

    def score(self, texts: Sequence[str], pieces: Sequence[Sequence[str]]) -> list[float]:
        """Length-normalised log-probability of each target (pieces, no end token) given its source,
        normalised as the search's scores are (over the tokens and the end token, by their number)."""
        if not texts:
            return []
        tokens = [self.vocab.source_pieces(t) for t in texts]
        # Scoring keeps the log-probabilities over the whole vocabulary for every target position of a
        # batch (65,001 floats each for opus-mt): one example at a time was both the leanest and the
        # fastest (16 seed segments: 2.6 s CPU against 3.5 s in batches of 2 or 8, no memory growth).
        results = self.translator.score_batch(
            tokens, [list(p) for p in pieces], max_batch_size=1, max_input_length=0
        )
        return [sum(r.log_probs) / max(1, len(r.log_probs)) for r in results]

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
        from workbench.mt.constrained.fast import constrain_batch

        hyps = constrain_batch(
            self, texts, constraints, beam=beam, min_new=min_new, max_new=max_new, cancel=cancel
        )
        return [h.draft() for h in hyps]

    def _describe(self) -> dict[str, str]:
        return {
            "model": self.model_id,
            "model_hash": model_fingerprint(self.model_dir),
            "device": self.device,
            "dtype": self.quantization,
        }
