"""The length model: how many English characters a Chinese sentence becomes.

Gale and Church's model, with Chinese characters on one side and English characters on the other:
``delta = (len_en - C * len_zh) / sqrt(S2 * (len_zh + len_en / C) / 2)`` is taken as standard normal. ``C`` and ``S2`` were
fitted on the first 506 sentence pairs of FLORES-200 devtest (zho_Hans, eng_Latn; shipped in
``workbench/jobs/data/flores200``) with :func:`fit`; ``bench/bench_align.py`` scores on pairs built from
all of devtest. Chinese length counts the characters other than whitespace.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def zh_length(text: str) -> int:
    """Characters of a Chinese sentence, whitespace left out."""
    return sum(1 for ch in text if not ch.isspace())


def en_length(text: str) -> int:
    """Characters of an English sentence (inner spaces count, as in Gale-Church)."""
    return len(text.strip())


@dataclass(frozen=True)
class LengthModel:
    """English characters per Chinese character (``ratio``) and the variance per Chinese character."""

    ratio: float = 3.044
    variance: float = 22.16

    def cost(self, zh_len: np.ndarray | float, en_len: np.ndarray | float) -> np.ndarray:
        """``delta**2 / 2`` for the given total lengths (arrays broadcast)."""
        zl = np.asarray(zh_len, dtype=np.float64)
        el = np.asarray(en_len, dtype=np.float64)
        mean = (zl + el / self.ratio) / 2
        delta = (el - self.ratio * zl) / np.sqrt(self.variance * np.maximum(mean, 1.0))
        return np.minimum(delta * delta / 2, 50.0)


def fit(zh: Sequence[str], en: Sequence[str]) -> LengthModel:
    """Fit :class:`LengthModel` on parallel sentences (one English sentence per Chinese one)."""
    zl = np.array([zh_length(s) for s in zh], dtype=np.float64)
    el = np.array([en_length(s) for s in en], dtype=np.float64)
    ratio = float(el.sum() / zl.sum())
    mean = (zl + el / ratio) / 2
    delta = (el - ratio * zl) / np.sqrt(np.maximum(mean, 1.0))
    return LengthModel(round(ratio, 3), round(float(delta.var()), 2))
