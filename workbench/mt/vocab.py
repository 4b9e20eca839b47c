"""Marian's sentencepiece + joint-vocabulary tokenisation without importing transformers.

The CTranslate2 backend uses it to stay light (cold start well under a second), and both
backends use its ``detokenize`` so that the same tokens always give the same text.
"""

from __future__ import annotations

import json
from pathlib import Path

EOS = "</s>"
PAD = "<pad>"
UNK = "<unk>"
SPIECE_UNDERLINE = "▁"


class MarianVocab:
    """The three tokenizer files of a Marian model: source.spm, target.spm and vocab.json.

    Args:
        model_dir: Directory holding the files (checked by ``workbench.mt.models.check_model_dir``).
    """

    def __init__(self, model_dir: Path) -> None:
        import sentencepiece as spm

        self.source = spm.SentencePieceProcessor(model_file=str(Path(model_dir) / "source.spm"))
        self.target = spm.SentencePieceProcessor(model_file=str(Path(model_dir) / "target.spm"))
        self.vocab: dict[str, int] = json.loads((Path(model_dir) / "vocab.json").read_text(encoding="utf-8"))
        self.pieces = {i: p for p, i in self.vocab.items()}

    def source_pieces(self, text: str) -> list[str]:
        """Source pieces as MarianTokenizer makes them, ``</s>`` appended; unknown pieces become ``<unk>``."""
        pieces = self.source.encode(text, out_type=str)
        return [p if p in self.vocab else UNK for p in pieces] + [EOS]

    def source_ids(self, text: str) -> list[int]:
        """Token ids of ``text`` as the model's encoder sees them (``</s>`` included)."""
        return [self.vocab[p] for p in self.source_pieces(text)]

    def target_pieces(self, text: str) -> list[str]:
        """Target-side pieces of English ``text`` (no ``</s>``); byte fallback pieces where needed."""
        return [p if p in self.vocab else UNK for p in self.target.encode(text, out_type=str)]

    def detokenize(self, pieces: list[str]) -> str:
        """English text from target pieces; ``</s>`` and ``<pad>`` are dropped."""
        kept = [p for p in pieces if p not in (EOS, PAD)]
        return str(self.target.decode_pieces(kept)).replace(SPIECE_UNDERLINE, " ").strip()

    def decode_ids(self, ids: list[int]) -> str:
        """English text from target token ids (stops at nothing; special ids are dropped)."""
        return self.detokenize([self.pieces.get(int(i), UNK) for i in ids])
