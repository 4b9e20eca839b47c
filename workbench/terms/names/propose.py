"""From a document to name proposals: find every candidate, romanise each name once, keep the evidence."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from workbench.terms.model import simplified
from workbench.terms.names.cedict import NameDictionary, name_dictionary
from workbench.terms.names.find_persons import find_persons
from workbench.terms.names.find_places import find_places
from workbench.terms.names.found import Found, excerpt
from workbench.terms.names.model import Evidence, NameKind, NameProposal, Pattern, Rendering
from workbench.terms.names.persons import person_name
from workbench.terms.names.places import organisation_name, place_name, specific_name

STRONG = 0.75  # a person found at least this surely hides places inside it (王长春 is not 长春)
SPECIFIC_CONFIDENCE = 0.8


def _render(f: Found) -> Rendering | None:
    try:
        if f.kind is NameKind.PERSON:
            return person_name(f.source)
        if f.kind is NameKind.ORGANISATION:
            return organisation_name(place_name(f.specific, f.generic), f.specific, f.generic, f.suffix)
        if f.generic:
            return place_name(f.specific, f.generic)
        return specific_name(f.source)
    except (ValueError, IndexError):
        return None


def _specifics(paragraphs: list[tuple[int, str]], founds: list[Found], words: NameDictionary) -> list[Found]:
    """Bare uses of the specific name of a place found with its generic (沭阳 of 沭阳县)."""
    out: list[Found] = []
    spans: dict[int, list[tuple[int, int]]] = {}
    for f in founds:
        spans.setdefault(f.paragraph, []).append((f.start, f.end))
    wanted = {
        f.specific: f for f in founds
        if f.kind is NameKind.PLACE and f.generic and f.confidence >= STRONG and len(f.specific) >= 2
        and not words.is_word(f.specific) and f.specific not in {g.source for g in founds}
    }
    for spec, place in wanted.items():
        for par, text in paragraphs:
            start = text.find(spec)
            while start >= 0:
                end = start + len(spec)
                inside = any(s < end and start < e for s, e in spans.get(par, []))
                if not inside and not text.startswith(place.generic, end):
                    out.append(Found(spec, NameKind.PLACE, Pattern.SPECIFIC, par, start,
                                     SPECIFIC_CONFIDENCE, "", spec, ""))
                start = text.find(spec, end)
    return out


def propose_names(document: Any, dictionary: NameDictionary | None = None) -> list[NameProposal]:
    """Every personal, place and organisation name of a document, with proposed renderings.

    Args:
        document: A ``workbench.text.model.Document`` (its paragraphs carry the ingest's kinds:
            byline, dateline, caption, heading, body ...).
        dictionary: The CC-CEDICT name index (the shared one when None).

    Returns:
        Proposals in order of first appearance, each with its evidence strongest first.
    """
    words = dictionary or name_dictionary()
    founds: list[Found] = []
    # Traditional text is read in simplified characters (same length); the matcher finds the
    # simplified sources in either script.
    paragraphs = [(p.index, simplified(p.text)) for p in document.paragraphs]
    texts = dict(paragraphs)
    for p, (_, text) in zip(document.paragraphs, paragraphs, strict=True):
        persons = list(find_persons(p.index, p.kind, text, words))
        founds += persons
        strong = [(f.start, f.end) for f in persons if f.confidence >= STRONG]
        founds += list(find_places(p.index, text, words, strong))
    founds += _specifics(paragraphs, founds, words)
    return proposals_from(founds, texts)


def proposals_from(founds: Iterable[Found], texts: dict[int, str]) -> list[NameProposal]:
    """Group candidates by source form, romanise each once, and attach the evidence."""
    by_source: dict[str, list[Found]] = {}
    for f in founds:
        by_source.setdefault(f.source, []).append(f)
    out: list[tuple[tuple[int, int], NameProposal]] = []
    for source, group in by_source.items():
        best = max(group, key=lambda f: f.confidence)
        group = [f for f in group if f.kind is best.kind]
        rendering = _render(best)
        if rendering is None:
            continue
        proposal = NameProposal(source, best.kind, rendering)
        seen: set[tuple[Pattern, int, int]] = set()
        for f in group:
            if (f.pattern, f.paragraph, f.start) in seen:
                continue
            seen.add((f.pattern, f.paragraph, f.start))
            snippet = excerpt(texts.get(f.paragraph, ""), f.start, f.end)
            proposal.evidence.append(Evidence(f.pattern, f.paragraph, snippet, f.confidence, f.reason))
        first = min((f.paragraph, f.start) for f in group)
        proposal.finish()
        out.append((first, proposal))
    out.sort(key=lambda t: t[0])
    return [p for _, p in out]
