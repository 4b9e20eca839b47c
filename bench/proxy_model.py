"""Build real, randomly initialised MarianMT models for tests and benchmarks.

``tiny`` is a few-layer model that builds in seconds (the test fixture); ``full`` has
Helsinki-NLP/opus-mt-zh-en's exact architecture (d_model 512, 6+6 layers, 8 heads, FFN 2048,
vocab 65001, 512 positions, shared and tied embeddings), so its cost per token equals the real
model's. Both train their own sentencepiece models on local text (the seed page, FLORES-200
devtest, the reference glossary's English column), write the three files MarianTokenizer needs
(source.spm, target.spm, vocab.json) and are saved with ``save_pretrained``, so they load through
the product's normal path (``MarianTokenizer`` / ``MarianMTModel.from_pretrained``).

Usage: ``python bench/proxy_model.py --size tiny|full [--seed N] [--no-shared] OUT_DIR``; ``--no-shared``
trains the tokenizers on the repository's own text only, as a clone with no ``../shared`` beside it
does (a different, much coarser target vocabulary: English is spelled in short pieces).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

#: Fallback English text, so the target model can be trained even without ../shared.
_FALLBACK_EN = (
    "The women's federation held a meeting on rural revitalization and family education.",
    "All-China Women's Federation (ACWF) delegates discussed the 13th National Women's Congress.",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789 .,;:!?'\"()[]{}-_/&%$#@*+=<>|~^`",
)

# Model shapes. "full" is opus-mt-zh-en's config.json, value for value.
_SHAPES = {
    "tiny": {
        "d_model": 32,
        "encoder_layers": 2,
        "decoder_layers": 2,
        "encoder_attention_heads": 2,
        "decoder_attention_heads": 2,
        "encoder_ffn_dim": 64,
        "decoder_ffn_dim": 64,
        "max_position_embeddings": 512,
        # Wide initial weights make a random model's output depend on its input, so tests can
        # tell segments apart (at opus-mt's 0.02 every input decodes to the same string).
        "init_std": 1.0,
    },
    "full": {
        "d_model": 512,
        "encoder_layers": 6,
        "decoder_layers": 6,
        "encoder_attention_heads": 8,
        "decoder_attention_heads": 8,
        "encoder_ffn_dim": 2048,
        "decoder_ffn_dim": 2048,
        "max_position_embeddings": 512,
        "init_std": 0.02,
    },
}
FULL_VOCAB = 65001


def _read_lines(path: Path) -> list[str]:
    if not path.is_file():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _corpora(shared: Path | None = SHARED) -> tuple[list[str], list[str]]:
    """Chinese and English training text, read from the repository and ``shared`` (None: the
    repository only, as on a fresh clone with nothing beside it)."""
    zh: list[str] = []
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        zh += _read_lines(seed)
    en: list[str] = []
    if shared is not None:
        zh += _read_lines(shared / "data" / "flores200" / "zho_Hans.devtest")
        en += _read_lines(shared / "data" / "flores200" / "eng_Latn.devtest")
        for row in _read_lines(shared / "data" / "glossary_reference.tsv")[1:]:
            cols = row.split("\t")
            if len(cols) > 1:
                en.append(cols[1])
    en += list(_FALLBACK_EN)
    if not zh:
        zh = ["妇联组织建设", "学习贯彻习近平总书记重要讲话精神"]
    return zh, en


def _train_spm(sentences: list[str], vocab_size: int, coverage: float) -> bytes:
    """Train a unigram sentencepiece model with byte fallback; returns the serialised model."""
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences),
        model_writer=buf,
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        character_coverage=coverage,
        byte_fallback=True,  # any character can be spelled: no <unk> for glossary terms
        unk_id=0,
        bos_id=-1,
        eos_id=1,
        pad_id=-1,
        num_threads=1,  # deterministic
        minloglevel=2,
    )
    return buf.getvalue()


def _pieces(model: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=model)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _joint_vocab(src_pieces: list[str], tgt_pieces: list[str], size: int | None) -> dict[str, int]:
    """The joint vocab.json of opus-mt: ``</s>`` 0, ``<unk>`` 1, pieces, ``<pad>`` last.

    With ``size`` given, filler pieces pad the vocabulary so that ``<pad>`` is ``size - 1``.
    """
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for piece in [*src_pieces, *tgt_pieces]:
        if piece not in vocab and piece not in ("<s>", "<pad>"):
            vocab[piece] = len(vocab)
    if size is not None:
        if len(vocab) + 1 > size:
            raise ValueError(f"{len(vocab) + 1} pieces do not fit a vocabulary of {size}")
        n = 0
        while len(vocab) < size - 1:
            vocab[f"▁filler{n}"] = len(vocab)
            n += 1
    vocab["<pad>"] = len(vocab)
    return vocab


def build_model(size: str, out_dir: Path, seed: int = 0, *, use_shared: bool = True) -> Path:
    """Build a randomly initialised MarianMT model with its tokenizer files and save it.

    Args:
        size: ``tiny`` (test model, seconds) or ``full`` (opus-mt-zh-en's exact architecture).
        out_dir: Directory to write (created; existing files are overwritten).
        seed: Seed for the weights; the same seed gives byte-identical weights.
        use_shared: Train the tokenizers on ``../shared`` too when it is there (False: on the
            repository's own text only, the model a fresh clone with nothing beside it builds).

    Returns:
        ``out_dir``, loadable with ``MarianTokenizer`` / ``MarianMTModel.from_pretrained``.
    """
    if size not in _SHAPES:
        raise ValueError(f"size must be one of {sorted(_SHAPES)}, not {size!r}")
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    zh, en = _corpora(SHARED if use_shared else None)
    src_model = _train_spm(zh, 4000 if size == "tiny" else 8000, 0.9995)
    tgt_model = _train_spm(en, 2000 if size == "tiny" else 8000, 1.0)
    (out_dir / "source.spm").write_bytes(src_model)
    (out_dir / "target.spm").write_bytes(tgt_model)
    vocab = _joint_vocab(_pieces(src_model), _pieces(tgt_model), FULL_VOCAB if size == "full" else None)
    (out_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=0), encoding="utf-8")
    pad = vocab["<pad>"]

    tokenizer = MarianTokenizer(
        source_spm=str(out_dir / "source.spm"),
        target_spm=str(out_dir / "target.spm"),
        vocab=str(out_dir / "vocab.json"),
        source_lang="zho",
        target_lang="eng",
    )
    tokenizer.save_pretrained(str(out_dir))

    config = MarianConfig(
        vocab_size=len(vocab),
        decoder_vocab_size=len(vocab),
        activation_function="swish",
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
        static_position_embeddings=True,
        pad_token_id=pad,
        decoder_start_token_id=pad,
        eos_token_id=0,
        bos_token_id=0,
        forced_eos_token_id=0,
        dropout=0.1,
        attention_dropout=0.0,
        activation_dropout=0.0,
        **_SHAPES[size],
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config).eval()
    model.generation_config = GenerationConfig(
        num_beams=6,
        bad_words_ids=[[pad]],
        max_length=None,
        pad_token_id=pad,
        decoder_start_token_id=pad,
        eos_token_id=0,
        bos_token_id=0,
        forced_eos_token_id=0,
    )
    model.save_pretrained(str(out_dir))
    return out_dir


def main(argv: list[str] | None = None) -> int:
    """CLI: ``python bench/proxy_model.py --size tiny|full OUT_DIR``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(_SHAPES), default="tiny")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--no-shared",
        action="store_true",
        help="train the tokenizers without ../shared (the model a fresh clone with nothing beside it builds)",
    )
    parser.add_argument("out_dir", type=Path)
    args = parser.parse_args(argv)
    path = build_model(args.size, args.out_dir, seed=args.seed, use_shared=not args.no_shared)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
