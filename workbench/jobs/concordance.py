"""Concordance: every unit, segment and term whose source (or target) contains a text, from the
translation memories, a project and a glossary, folded (simplified/traditional, full-/half-width, case),
newest first, with where the text occurs on each side and where the hit came from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path

from workbench.store.concordance import Side, spans
from workbench.store.project import Project
from workbench.store.tm import TranslationMemory
from workbench.terms.context import GlossaryContext
from workbench.text.search import fold_for_search, query_tokens

Span = tuple[int, int]


class HitKind(str, Enum):
    """The kind of place a concordance hit comes from."""

    TM = "tm"
    PROJECT = "project"
    GLOSSARY = "glossary"

    __hash__ = str.__hash__

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class ConcordanceHit:
    """One pair containing the searched text.

    Attributes:
        source: The Chinese text (TM unit source, segment source, glossary term).
        target: Its translation (TM target, the segment's final or else its draft, the approved rendering).
        kind: TM, project or glossary.
        origin: Where exactly: the TM file name (and the unit's own origin), the document name, the
            glossary file.
        when: ISO 8601 time of the unit or the segment's last change ("" for glossary terms).
        source_spans: ``(start, end)`` of each occurrence in ``source``.
        target_spans: ``(start, end)`` of each occurrence in ``target``.
    """

    source: str
    target: str
    kind: HitKind
    origin: str
    when: str
    source_spans: tuple[Span, ...]
    target_spans: tuple[Span, ...]

    def as_dict(self) -> dict[str, object]:
        """The JSONL object: ``source``, ``target``, ``origin`` and the rest."""
        return {
            "source": self.source,
            "target": self.target,
            "origin": self.origin,
            "kind": self.kind.value,
            "when": self.when,
            "source_spans": [list(s) for s in self.source_spans],
            "target_spans": [list(s) for s in self.target_spans],
        }


def side_for(text: str) -> Side:
    """The side a query searches by default: the source when it holds a Han character, else the target."""
    return (
        Side.SOURCE
        if any("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in text)
        else Side.TARGET
    )


def searchable(text: str) -> bool:
    """True when ``text`` holds at least one letter or digit (what the index can look for)."""
    return bool(query_tokens(fold_for_search(text)))


def _hit(source: str, target: str, text: str, side: Side) -> tuple[tuple[Span, ...], tuple[Span, ...]] | None:
    s, t = spans(source, text), spans(target, text)
    return (s, t) if (s if side is Side.SOURCE else t) else None


def search_tm(tm: TranslationMemory, text: str, side: Side, limit: int) -> list[ConcordanceHit]:
    """Hits in one translation memory (its file name is the origin, with the unit's own origin)."""
    name = Path(tm.path).name
    return [
        ConcordanceHit(
            u.source,
            u.target,
            HitKind.TM,
            f"{name}: {u.origin}" if u.origin else name,
            u.created,
            u.source_spans,
            u.target_spans,
        )
        for u in tm.concordance(text, side, limit)
    ]


def search_project(project: Project, text: str, side: Side) -> list[ConcordanceHit]:
    """Hits among a project's segments (target: the final, else the draft); origin: the document."""
    names = {d.id: d.name for d in project.documents()}
    hits = []
    for seg in project.segments():
        target = seg.final or seg.draft or ""
        found = _hit(seg.source, target, text, side)
        if found:
            hits.append(
                ConcordanceHit(
                    seg.source, target, HitKind.PROJECT, names.get(seg.doc_id, "?"), seg.updated or "", *found
                )
            )
    return hits


def search_glossary(glossary: GlossaryContext, text: str, side: Side) -> list[ConcordanceHit]:
    """Hits among glossary entries (each source spelling against each allowed rendering)."""
    hits: list[ConcordanceHit] = []
    if glossary.termbase is None:
        return hits
    for entry in glossary.termbase:
        where = entry.location.rsplit(":", 1)[0] if entry.location else "glossary"
        for source in entry.sources:
            for target in entry.allowed:
                found = _hit(source, target, text, side)
                if found:
                    hits.append(
                        ConcordanceHit(source, target, HitKind.GLOSSARY, Path(where).name, "", *found)
                    )
    return hits


def concordance(
    text: str,
    *,
    tms: Sequence[TranslationMemory] = (),
    project: Project | None = None,
    glossary: GlossaryContext | None = None,
    side: Side | None = None,
    limit: int = 100,
) -> list[ConcordanceHit]:
    """Every hit for ``text``, newest first (glossary terms, which have no time, last), at most ``limit``.

    Args:
        text: What to look for (at least one letter or digit).
        tms: Translation memories to search.
        project: A project whose segments are searched.
        glossary: A glossary whose terms are searched.
        side: Source or target; None: :func:`side_for` decides.
        limit: Most hits returned.
    """
    side = side or side_for(text)
    hits: list[ConcordanceHit] = []
    for tm in tms:
        hits += search_tm(tm, text, side, limit)
    if project is not None:
        hits += search_project(project, text, side)
    if glossary is not None:
        hits += search_glossary(glossary, text, side)
    hits.sort(key=lambda h: h.when, reverse=True)
    renderings = glossary_renderings(glossary, text) if glossary is not None and side is Side.SOURCE else ()
    return [with_renderings(h, renderings) for h in hits[:limit]]


def glossary_renderings(glossary: GlossaryContext, text: str) -> tuple[str, ...]:
    """The allowed renderings of the glossary entries whose source (or a variant) is ``text`` (folded)."""
    if glossary.termbase is None:
        return ()
    want = fold_for_search(text.strip())
    found: dict[str, None] = {}
    for entry in glossary.termbase:
        if any(fold_for_search(s) == want for s in entry.sources):
            found.update(dict.fromkeys(entry.allowed))
    return tuple(found)


def with_renderings(hit: ConcordanceHit, renderings: Sequence[str]) -> ConcordanceHit:
    """``hit`` with the glossary renderings of the searched text marked in its target too (a source search
    marks the source; this shows where the translation of the text probably is), longest first, whole words."""
    if not renderings or hit.target_spans:
        return hit
    folded = fold_for_search(hit.target)
    taken: list[Span] = []
    for rendering in sorted(renderings, key=len, reverse=True):
        pattern = re.compile(rf"(?<!\w){re.escape(fold_for_search(rendering))}(?!\w)")
        for m in pattern.finditer(folded):
            if all(m.end() <= a or m.start() >= b for a, b in taken):
                taken.append((m.start(), m.end()))
    return replace(hit, target_spans=tuple(sorted(taken))) if taken else hit
