"""``workbench evaluate``: score one or more systems against references and a glossary.

A *system* is a hypothesis file: one segment per line, the JSONL of ``workbench translate``, a
project, a TMX/XLIFF or a source TAB target TSV. Files that carry their sources (all but the
plain one) are aligned to the evaluation's sources by source text when sources are known
(``--source`` or a test set): the segmenter may cut a line into two segments, or join two lines,
and a hypothesis line is then the targets of the segments found in it, joined by a space.

Scores: BLEU, chrF and TER computed by sacrebleu with its default settings, reported with
sacrebleu's own signatures (so they equal ``sacrebleu REF... -i HYP -m bleu chrf ter``); term
success (exact and fuzzy) and term consistency of :mod:`workbench.terms.metrics`; and each
system's workbench signature (model, engine, beam, glossary digest, version) read from its file.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbench import __version__
from workbench.errors import WorkbenchError
from workbench.formats.bilingual import BilingualUnit, detect_format, read_bilingual
from workbench.formats.lines import read_lines
from workbench.records import Signature
from workbench.safe_read import MAX_SEGMENT_CHARS, cap_note
from workbench.terms.context import GlossaryContext
from workbench.terms.metrics import TermScores, score_terms
from workbench.terms.wmt import ListedTerm, WmtTermScores, wmt_term_success

UNKNOWN = "unknown"


@dataclass(frozen=True)
class WorkbenchSignature:
    """How a system's hypotheses were made, as far as its file records it."""

    model: str = UNKNOWN
    engine: str = UNKNOWN
    beam: str = UNKNOWN
    glossary: str = UNKNOWN
    version: str = UNKNOWN

    def __str__(self) -> str:
        return "|".join(f"{k}:{v}" for k, v in self.as_dict().items())

    def as_dict(self) -> dict[str, str]:
        """The fields in their fixed order."""
        return {
            "model": self.model,
            "engine": self.engine,
            "beam": self.beam,
            "glossary": self.glossary,
            "version": self.version,
        }

    @classmethod
    def from_signature(cls, sig: Signature) -> WorkbenchSignature:
        """From a draft :class:`~workbench.records.Signature`."""
        model = sig.model or UNKNOWN
        if sig.model_hash:
            model = f"{model}@{sig.model_hash[:12]}"
        return cls(
            model, sig.backend or UNKNOWN, sig.beam or UNKNOWN, sig.glossary or "none", sig.version or UNKNOWN
        )

    @classmethod
    def from_engine_text(cls, text: str) -> WorkbenchSignature:
        """From a draft signature's text form (also the older ``k=v;k=v`` form of earlier files)."""
        legacy = ";" in text and ", " not in text
        if not legacy:
            try:
                return cls.from_signature(Signature.parse(text))
            except WorkbenchError:
                pass
        pairs: dict[str, object] = {}
        for part in text.split(";" if legacy else ","):
            if "=" in part:
                key, value = part.strip().split("=", 1)
                pairs[key] = value
        return cls.from_signature(Signature.from_dict(pairs))


@dataclass
class System:
    """One system's hypotheses.

    Attributes:
        name: Its column in the table (``NAME=PATH``, else the file's stem).
        path: The file.
        hypotheses: One per evaluation segment (after alignment).
        sources: The sources the file carries, aligned the same way (None for a plain file).
        signature: From the file's recorded engine signatures (the most common one).
        notes: What alignment did, for the report.
    """

    name: str
    path: str
    hypotheses: list[str]
    sources: list[str] | None = None
    signature: WorkbenchSignature = field(default_factory=WorkbenchSignature)
    notes: list[str] = field(default_factory=list)
    units: list[BilingualUnit] = field(default_factory=list, repr=False)


def split_system_arg(arg: str) -> tuple[str, str]:
    """``NAME=PATH`` -> (NAME, PATH); a plain path is named by its stem."""
    name, sep, rest = arg.partition("=")
    if sep and name and "/" not in name and os.sep not in name and not Path(arg).exists():
        return name, rest
    stem = Path(arg).name
    for suffix in (".gz", ".jsonl", ".txt", ".wbproj", ".tmx", ".xlf", ".xliff", ".tsv"):
        stem = stem.removesuffix(suffix)
    return stem or arg, arg


def load_system(arg: str) -> System:
    """Read a hypothesis file (``NAME=PATH`` or ``PATH``)."""
    name, path = split_system_arg(arg)
    fmt = detect_format(path) if not path.endswith((".txt", ".gz")) else None
    if fmt is None:
        return System(name, path, read_lines(path))
    units = read_bilingual(path, fmt)
    if not units:
        raise WorkbenchError(f"{path}: no segments")
    signatures = Counter(u.signature for u in units if u.signature)
    signature = (
        WorkbenchSignature.from_engine_text(signatures.most_common(1)[0][0])
        if signatures
        else WorkbenchSignature()
    )
    notes = (
        [f"{len(signatures)} different engine signatures; the most common is shown"]
        if len(signatures) > 1
        else []
    )
    return System(
        name, path, [u.target or "" for u in units], [u.source for u in units], signature, notes, units
    )


def _squeeze(text: str) -> str:
    return "".join(text.split())


def align_to_sources(system: System, sources: Sequence[str]) -> System:
    """The system's hypotheses re-cut to one per source line, by source text (module docstring)."""
    if not system.units:
        return system
    lines = [_squeeze(s) for s in sources]
    starts, pos = [], 0
    for text in lines:
        starts.append(pos)
        pos += len(text)
    whole = "".join(lines)
    parts: list[list[str]] = [[] for _ in sources]
    cursor = unplaced = spanning = 0
    for unit in system.units:
        key = _squeeze(unit.source)
        if not key:
            continue
        at = whole.find(key, cursor)
        if at < 0:
            unplaced += 1
            continue
        line = bisect_right(starts, at) - 1
        if at + len(key) > starts[line] + len(lines[line]):
            spanning += 1
        parts[line].append(unit.target or "")
        cursor = at + len(key)
    aligned = System(
        system.name,
        system.path,
        [" ".join(p) for p in parts],
        list(sources),
        system.signature,
        list(system.notes),
    )
    empty = sum(1 for p in parts if not p)
    if unplaced:
        aligned.notes.append(f"{unplaced} segment(s) not found in the sources")
    if spanning:
        aligned.notes.append(
            f"{spanning} segment(s) span two source lines; {empty} line(s) have no hypothesis of their own"
        )
    elif empty:
        aligned.notes.append(f"{empty} source line(s) have no hypothesis")
    return aligned


@dataclass
class SegmentScore:
    """Sentence-level scores of one system on one segment."""

    bleu: float | None = None
    chrf: float | None = None
    ter: float | None = None
    term_hits: int = 0
    term_exact: int = 0
    term_missed: list[str] = field(default_factory=list)


@dataclass
class SystemScore:
    """A system's scores (None where the metric was not computed)."""

    system: System
    bleu: float | None = None
    chrf: float | None = None
    ter: float | None = None
    terms: TermScores | None = None
    segments: list[SegmentScore] = field(default_factory=list)
    wmt_terms: WmtTermScores | None = None  # WMT23 term success against per-segment term lists


@dataclass
class Evaluation:
    """Everything ``workbench evaluate`` reports.

    Attributes:
        systems: One score per system, in the order given.
        segments: Evaluation segments.
        references: Names of the reference files (or of the test set).
        test_set: The named test set, if one was used.
        metric_signatures: sacrebleu's signature per metric (``BLEU``, ``chrF2``, ``TER``).
        glossary: The term-metric glossary (files and digest), if any.
        version: The workbench version that scored.
        notes: What was left out and why (TER on over-long lines), for standard error.
    """

    systems: list[SystemScore]
    segments: int
    references: list[str] = field(default_factory=list)
    test_set: str | None = None
    metric_signatures: dict[str, str] = field(default_factory=dict)
    glossary: str | None = None
    version: str = __version__
    notes: list[str] = field(default_factory=list)


#: TER's edit distance needs memory and time of the product of a line pair's lengths: it is skipped
#: (with a note) when a line is longer than the shared segment cap. BLEU and chrF stay linear.
TER_MAX_CHARS = MAX_SEGMENT_CHARS


def _ter_note(systems: list[SystemScore], references: list[list[str]]) -> str | None:
    """Why TER is skipped, or None when every line is short enough for it."""
    longest = max((len(x) for s in systems for x in s.system.hypotheses), default=0)
    longest = max([longest, *(len(x) for r in references for x in r)])
    if longest <= TER_MAX_CHARS:
        return None
    return "TER skipped: " + cap_note(
        "a line", longest, "its edit distance grows with the square of a line's length"
    )


def _corpus_scores(
    systems: list[SystemScore], references: list[list[str]], per_segment: bool, notes: list[str]
) -> dict[str, str]:
    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF
    from sacrebleu.metrics.ter import TER

    signatures: dict[str, str] = {}
    skip_ter = _ter_note(systems, references)
    if skip_ter:
        notes.append(skip_ter)
    for score in systems:
        hyps = score.system.hypotheses
        bleu, chrf, ter = BLEU(), CHRF(), TER()
        score.bleu = bleu.corpus_score(hyps, references).score
        score.chrf = chrf.corpus_score(hyps, references).score
        score.ter = None if skip_ter else ter.corpus_score(hyps, references).score
        signatures = {"BLEU": str(bleu.get_signature()), "chrF2": str(chrf.get_signature())}
        if not skip_ter:
            signatures["TER"] = str(ter.get_signature())
        if per_segment:
            sentence_bleu = BLEU(effective_order=True)
            for i, hyp in enumerate(hyps):
                refs = [r[i] for r in references]
                seg = score.segments[i]
                seg.bleu = sentence_bleu.sentence_score(hyp, refs).score
                seg.chrf = chrf.sentence_score(hyp, refs).score
                seg.ter = None if skip_ter else ter.sentence_score(hyp, refs).score
    return signatures


def evaluate(
    systems: Sequence[System],
    *,
    references: Sequence[Sequence[str]] = (),
    reference_names: Sequence[str] = (),
    sources: Sequence[str] | None = None,
    glossary: GlossaryContext | None = None,
    test_set: str | None = None,
    per_segment: bool = False,
    term_lists: Sequence[Sequence[ListedTerm]] | None = None,
) -> Evaluation:
    """Score ``systems`` (module docstring).

    Args:
        systems: From :func:`load_system`.
        references: Reference streams, each one segment per evaluation segment.
        reference_names: What to call them in the report.
        sources: The sources (for alignment and term metrics); default the first system's own.
        glossary: Glossary for term success and consistency (its description names it in the report).
        test_set: Name of the test set the sources and references come from.
        per_segment: Also score every segment.
        term_lists: Each segment's own term list (WMT23 format): WMT's term success is computed.

    Raises:
        WorkbenchError: Nothing to score, or hypotheses and references of different lengths.
    """
    refs = [list(r) for r in references]
    if refs and len({len(r) for r in refs}) > 1:
        raise WorkbenchError(f"the references differ in length: {', '.join(str(len(r)) for r in refs)} lines")
    if sources is not None and refs and len(sources) != len(refs[0]):
        raise WorkbenchError(f"{len(sources)} sources but {len(refs[0])} reference lines")
    aligned = [align_to_sources(s, sources) if sources is not None else s for s in systems]
    if sources is None and glossary:
        sources = next((s.sources for s in aligned if s.sources is not None), None)
        if sources is None:
            raise WorkbenchError(
                "term success needs the sources: pass --source S (or hypotheses in JSONL or a project)"
            )
    if not refs and not glossary and term_lists is None:
        raise WorkbenchError(
            "nothing to score: give --reference (BLEU, chrF, TER) or --glossary with sources (term success)"
        )
    n = len(refs[0]) if refs else len(sources or []) if sources is not None else len(term_lists or [])
    if term_lists is not None and len(term_lists) != n:
        raise WorkbenchError(f"{len(term_lists)} term lists for {n} segments (one line per segment)")
    for s in aligned:
        if len(s.hypotheses) != n:
            hint = "; pass --source S to align it by source text" if s.units and sources is None else ""
            raise WorkbenchError(f"{s.path}: {len(s.hypotheses)} hypotheses for {n} segments{hint}")
    scores = [
        SystemScore(s, segments=[SegmentScore() for _ in range(n)] if per_segment else []) for s in aligned
    ]
    result = Evaluation(
        scores, n, list(reference_names), test_set, glossary=glossary.description if glossary else None
    )
    if refs:
        result.metric_signatures = _corpus_scores(scores, refs, per_segment, result.notes)
    if term_lists is not None:
        for score in scores:
            score.wmt_terms = wmt_term_success(score.system.hypotheses, term_lists)
    if glossary and sources is not None:
        for score in scores:
            score.terms = score_terms(sources, score.system.hypotheses, glossary)
            for seg, terms in zip(score.segments, score.terms.segments, strict=False):
                seg.term_hits, seg.term_exact, seg.term_missed = terms.hits, terms.exact, list(terms.missed)
    return result
