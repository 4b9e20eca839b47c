"""The CAT analysis: per document and in total, segments, Han characters, characters, English words of
drafts and finals, repetitions and translation-memory match bands (``workbench analyze``, the UI).

Every segment falls in exactly one bucket: a repetition (its source, whitespace-normalised as the TM's
exact key, occurred earlier in the job), else its best TM match band: ``101`` (an exact match whose
neighbours in the document are exact matches too), ``100`` (exact), ``95-99`` … ``50-74`` (the best fuzzy
score, the one ``workbench tm lookup`` shows, rounded down), else ``no_match``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from workbench.store.project import Project
from workbench.store.tm import TranslationMemory, normalize_key
from workbench.text.counts import characters, english_words, han_characters
from workbench.text.model import is_translated


class Band(str, Enum):
    """A translation-memory match band (the values are the JSON keys)."""

    CONTEXT = "101"
    EXACT = "100"
    HIGH = "95-99"
    MEDIUM = "85-94"
    LOW = "75-84"
    FAINT = "50-74"
    NONE = "no_match"

    __hash__ = str.__hash__

    def __str__(self) -> str:
        return self.value


#: The lowest fuzzy score of each fuzzy band, best first.
_FUZZY_FLOORS = ((95, Band.HIGH), (85, Band.MEDIUM), (75, Band.LOW), (50, Band.FAINT))
#: Lowest fuzzy score looked up.
MIN_FUZZY = 50.0


def band_for(score: float | None) -> Band:
    """The band of a best fuzzy score (None: no match); scores are rounded down (99.6 is 95-99)."""
    if score is None:
        return Band.NONE
    whole = math.floor(score + 1e-9)
    if whole >= 100:
        return Band.EXACT
    return next((band for floor, band in _FUZZY_FLOORS if whole >= floor), Band.NONE)


@dataclass(frozen=True)
class SegmentText:
    """What the analysis needs of a segment."""

    source: str
    draft: str | None = None
    final: str | None = None


@dataclass
class Counts:
    """The figures of one document, a selection or the whole job (see the module docstring)."""

    segments: int = 0
    han_characters: int = 0
    characters: int = 0
    repetitions: int = 0
    match_bands: dict[str, int] = field(default_factory=lambda: {b.value: 0 for b in Band})
    repetition_han_characters: int = 0
    band_han_characters: dict[str, int] = field(default_factory=lambda: {b.value: 0 for b in Band})
    draft_words: int = 0
    final_words: int = 0

    def add_text(self, seg: SegmentText) -> int:
        """Count a segment's texts (not its band); returns its Han characters."""
        han = han_characters(seg.source)
        self.segments += 1
        self.han_characters += han
        self.characters += characters(seg.source)
        self.draft_words += english_words(seg.draft)
        self.final_words += english_words(seg.final)
        return han

    def add(self, other: Counts) -> None:
        """Add another's figures to these."""
        for name in (
            "segments",
            "han_characters",
            "characters",
            "repetitions",
            "repetition_han_characters",
            "draft_words",
            "final_words",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for band in Band:
            self.match_bands[band.value] += other.match_bands[band.value]
            self.band_han_characters[band.value] += other.band_han_characters[band.value]

    def as_dict(self) -> dict[str, object]:
        """The JSON form."""
        return {
            "segments": self.segments,
            "han_characters": self.han_characters,
            "characters": self.characters,
            "repetitions": self.repetitions,
            "match_bands": dict(self.match_bands),
            "repetition_han_characters": self.repetition_han_characters,
            "band_han_characters": dict(self.band_han_characters),
            "draft_words": self.draft_words,
            "final_words": self.final_words,
        }


@dataclass
class Analysis:
    """The analysis of a job: each document's counts and the total."""

    documents: list[tuple[str, Counts]]
    total: Counts
    tm: str = ""

    def as_dict(self) -> dict[str, object]:
        """``{"documents": [{"name": ..., <counts>}], "total": <counts>, "tm": PATH}``."""
        return {
            "documents": [{"name": name, **c.as_dict()} for name, c in self.documents],
            "total": self.total.as_dict(),
            "tm": self.tm,
        }


def count_texts(segments: Iterable[SegmentText]) -> Counts:
    """Segments, characters and words of some segments (no repetitions or bands): the status bar's."""
    counts = Counts()
    for seg in segments:
        counts.add_text(seg)
    return counts


def _bands(segments: Sequence[SegmentText], tm: TranslationMemory | None) -> list[Band]:
    """Each segment's TM band, context matches included."""
    if tm is None:
        return [Band.NONE] * len(segments)
    exact = [tm.exact(s.source) is not None for s in segments]
    bands = []
    for i, seg in enumerate(segments):
        if exact[i]:
            neighbours = [exact[j] for j in (i - 1, i + 1) if 0 <= j < len(segments)]
            bands.append(Band.CONTEXT if neighbours and all(neighbours) else Band.EXACT)
        else:
            best = tm.fuzzy(seg.source, min_score=MIN_FUZZY, limit=1)
            bands.append(band_for(best[0].score if best else None))
    return bands


def analyze(
    documents: Sequence[tuple[str, Sequence[SegmentText]]], tm: TranslationMemory | None = None
) -> Analysis:
    """Analyse documents in job order (repetitions count across documents).

    Args:
        documents: ``(name, segments)`` per document, segments in document order.
        tm: The translation memory to band against (None: every non-repeated segment is ``no_match``).
    """
    seen: set[str] = set()
    result = []
    total = Counts()
    for name, segments in documents:
        segs = [s for s in segments if s.source.strip()]
        counts = Counts()
        for seg, band in zip(segs, _bands(segs, tm), strict=True):
            han = counts.add_text(seg)
            key = normalize_key(seg.source)
            if key in seen:
                counts.repetitions += 1
                counts.repetition_han_characters += han
            else:
                seen.add(key)
                counts.match_bands[band.value] += 1
                counts.band_han_characters[band.value] += han
        result.append((name, counts))
        total.add(counts)
    return Analysis(result, total, str(tm.path) if tm is not None else "")


def file_segments(path: str | Path) -> list[SegmentText]:
    """The segments to translate of a source file (text, Markdown, Word, PDF)."""
    from workbench.formats.sources import load_source

    doc = load_source(path)
    return [SegmentText(s) for p in doc.paragraphs if is_translated(p.kind) for s in p.segments]


def project_documents(project: Project) -> list[tuple[str, list[SegmentText]]]:
    """A project's current documents with their segments' sources, drafts and finals."""
    return [
        (d.name, [SegmentText(s.source, s.draft, s.final) for s in project.segments(d.id)])
        for d in project.documents()
    ]


def analysis_table(result: Analysis) -> str:
    """A table per document and the total: segments and Han characters per bucket, then the sums."""
    lines = [f"TM: {result.tm or '(none)'}"]
    for name, c in [*result.documents, ("TOTAL", result.total)]:
        lines.append(f"\n{name}")
        lines.append(f"  {'':<12}{'segments':>9}{'Han chars':>11}")
        lines.append(f"  {'repetitions':<12}{c.repetitions:>9}{c.repetition_han_characters:>11}")
        for band in Band:
            label = "no match" if band is Band.NONE else f"{band.value}%"
            lines.append(
                f"  {label:<12}{c.match_bands[band.value]:>9}{c.band_han_characters[band.value]:>11}"
            )
        lines.append(f"  {'total':<12}{c.segments:>9}{c.han_characters:>11}")
        lines.append(
            f"  characters without spaces {c.characters}; English words: drafts {c.draft_words}, "
            f"finals {c.final_words}"
        )
    return "\n".join(lines)
