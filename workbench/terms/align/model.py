"""Beads: a group of Chinese sentences aligned with a group of English sentences."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class BeadKind(str, Enum):
    """The shape of a bead: how many Chinese and English sentences it joins."""

    ONE_ONE = "1-1"
    ONE_TWO = "1-2"
    TWO_ONE = "2-1"
    TWO_TWO = "2-2"
    ONE_ZERO = "1-0"
    ZERO_ONE = "0-1"

    def __str__(self) -> str:
        return self.value

    @property
    def sizes(self) -> tuple[int, int]:
        """``(Chinese sentences, English sentences)``."""
        a, b = self.value.split("-")
        return int(a), int(b)

    @classmethod
    def of(cls, zh: int, en: int) -> BeadKind:
        """The kind with ``zh`` Chinese and ``en`` English sentences (other sizes are refused)."""
        return cls(f"{zh}-{en}")


@dataclass(frozen=True)
class Bead:
    """One aligned unit.

    Attributes:
        zh: Indices of its Chinese sentences (consecutive, possibly none).
        en: Indices of its English sentences (consecutive, possibly none).
        score: Confidence 0-1 (1 best); 0 for a sentence left without a counterpart.
    """

    zh: tuple[int, ...]
    en: tuple[int, ...]
    score: float

    @property
    def kind(self) -> BeadKind | None:
        """The bead's shape, or None for a shape the aligner never makes (a merge in the review)."""
        try:
            return BeadKind.of(len(self.zh), len(self.en))
        except ValueError:
            return None

    @property
    def paired(self) -> bool:
        """True when both sides have at least one sentence."""
        return bool(self.zh) and bool(self.en)


def join_zh(sentences: list[str]) -> str:
    """Chinese sentences of a bead joined as one unit (nothing between them)."""
    return "".join(s.strip() for s in sentences)


def join_en(sentences: list[str]) -> str:
    """English sentences of a bead joined as one unit (a space between them)."""
    return " ".join(s.strip() for s in sentences)
