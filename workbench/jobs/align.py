"""Use case: align a Chinese document with its English translation (``workbench align``).

Both documents are read by ``formats.sources.load_source`` (text, Markdown, Word, PDF). Chinese:
our paragraphs and segments (furniture left out, as for MT), a segment also cut after ``。”``;
English: its paragraphs through ``text.english.split_english``. The sentences are aligned by
``terms.align.align_texts`` (paragraphs first, then sentences). The beads with both sides become
units: written as TMX or TSV, and/or added to the translation memory with origin ``aligned``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbench.formats.aligned import AlignedUnit, write_aligned
from workbench.formats.sources import load_source
from workbench.records import UnitOrigin
from workbench.store.tm import TMUnit, TranslationMemory
from workbench.terms.align import Bead, align_texts
from workbench.terms.align.aligner import zh_sentences
from workbench.terms.align.model import join_en, join_zh
from workbench.terms.model import TermBase
from workbench.text.english import split_english
from workbench.text.model import Document, is_translated


@dataclass
class AlignedDocuments:
    """A document pair split into sentences, and its beads.

    Attributes:
        zh: Chinese paragraphs, each a list of sentences.
        en: English paragraphs, each a list of sentences.
        beads: The alignment (indices into the flattened sentence lists).
        notes: Paragraphs over the segment cap (their sentences cut), for standard error.
    """

    zh: list[list[str]]
    en: list[list[str]]
    beads: list[Bead] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def zh_sentences(self) -> list[str]:
        """The Chinese sentences in reading order."""
        return [s for p in self.zh for s in p]

    @property
    def en_sentences(self) -> list[str]:
        """The English sentences in reading order."""
        return [s for p in self.en for s in p]

    def units(self, min_score: float = 0.0) -> list[AlignedUnit]:
        """The beads with both sides scoring at least ``min_score``, as translation units."""
        zs, es = self.zh_sentences, self.en_sentences
        return [
            AlignedUnit(
                join_zh([zs[i] for i in b.zh]),
                join_en([es[j] for j in b.en]),
                b.score,
                f"{len(b.zh)}-{len(b.en)}",
            )
            for b in self.beads
            if b.paired and b.score >= min_score
        ]


def chinese_paragraphs(doc: Document) -> list[list[str]]:
    """The sentences of each paragraph that is translated (page furniture left out)."""
    out = [zh_sentences(p.segments) for p in doc.paragraphs if is_translated(p.kind)]
    return [p for p in out if p]


def english_paragraphs(doc: Document) -> list[list[str]]:
    """The sentences of each English paragraph (furniture left out); a sentence longer than the shared
    segment cap is cut as the segmenter cuts a Chinese one (:func:`workbench.text.segments.bound_length`)."""
    from workbench.text.segments import bound_length

    out = [
        [piece for s in split_english(p.text) for piece in bound_length(s)]
        for p in doc.paragraphs
        if is_translated(p.kind)
    ]
    return [p for p in out if p]


def over_cap(doc: Document) -> list[str]:
    """Notes on the English sentences of ``doc`` longer than the segment cap (cut before aligning)."""
    from workbench.safe_read import MAX_SEGMENT_CHARS, cap_note

    notes = []
    for p in doc.paragraphs:
        if len(p.text) > MAX_SEGMENT_CHARS and is_translated(p.kind):
            longest = max(map(len, split_english(p.text)), default=0)
            if longest > MAX_SEGMENT_CHARS:
                what = f"{doc.path or 'the English document'}: paragraph {p.index}: a sentence"
                notes.append(cap_note(what, longest, "cut at clause punctuation before aligning"))
    return notes


def split_documents(zh_text: Sequence[str], en_text: Sequence[str]) -> AlignedDocuments:
    """A pair from paragraphs given as strings (tests, the UI): Chinese segmented, English split."""
    from workbench.text.segments import split_segments

    zh = [zh_sentences(split_segments(p)) for p in zh_text]
    en = [split_english(p) for p in en_text]
    return AlignedDocuments([p for p in zh if p], [p for p in en if p])


def load_pair(
    zh_path: str | Path, en_path: str | Path, *, input_format: str | None = None
) -> AlignedDocuments:
    """Read and split both documents (not yet aligned)."""
    zh_doc = load_source(zh_path, input_format=input_format)
    en_doc = load_source(en_path, input_format=input_format)
    pair = AlignedDocuments(chinese_paragraphs(zh_doc), english_paragraphs(en_doc))
    pair.notes = over_cap(en_doc)[:5]
    return pair


def align_documents(pair: AlignedDocuments, glossary: TermBase | None = None) -> AlignedDocuments:
    """Align ``pair`` in place and return it."""
    pair.beads = align_texts(pair.zh, pair.en, glossary)
    return pair


def add_to_tm(tm: TranslationMemory, units: Sequence[AlignedUnit]) -> int:
    """Add ``units`` to ``tm`` with origin ``aligned`` (one transaction); returns how many were new."""
    return tm.add_many(
        [TMUnit(u.source, u.target, origin=UnitOrigin.ALIGNED.value) for u in units],
        creator="workbench align",
    )


@dataclass
class AlignReport:
    """What ``run_align`` did."""

    zh_sentences: int
    en_sentences: int
    beads: int
    units: int
    not_one_to_one: int
    unpaired: int
    written: Path | None = None
    added: int | None = None
    notes: list[str] = field(default_factory=list)


def run_align(
    zh_path: str | Path,
    en_path: str | Path,
    *,
    out: str | Path | None = None,
    into_tm: bool = False,
    tm_path: str | Path | None = None,
    min_score: float = 0.0,
    glossary: TermBase | None = None,
    input_format: str | None = None,
) -> AlignReport:
    """Align two documents; write the units to ``out`` and/or add them to the TM.

    Args:
        zh_path: The Chinese document.
        en_path: The English document.
        out: ``.tmx`` or ``.tsv`` file to write (None: none).
        into_tm: Add the units to the translation memory at ``tm_path`` (None: the per-user one).
        tm_path: The TM file.
        min_score: Leave out beads scoring below this (0-1).
        glossary: Term base whose terms count as anchors.
        input_format: Force the input format of both documents.
    """
    pair = align_documents(load_pair(zh_path, en_path, input_format=input_format), glossary)
    units = pair.units(min_score)
    report = AlignReport(
        len(pair.zh_sentences),
        len(pair.en_sentences),
        len(pair.beads),
        len(units),
        sum(1 for u in units if u.bead != "1-1"),
        sum(1 for b in pair.beads if not b.paired),
        notes=pair.notes,
    )
    if out is not None:
        report.written = write_aligned(units, out)
    if into_tm:
        with TranslationMemory.open(tm_path) as tm:
            report.added = add_to_tm(tm, units)
    return report
