"""From a document to name proposals: find every candidate, romanise each name once, keep the evidence."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from workbench.terms.names.analyser import FUNCTION_TAGS, VERB_TAGS, Segmentation, segment
from workbench.terms.names.cedict import NameDictionary, name_dictionary
from workbench.terms.names.find_persons import find_persons
from workbench.terms.names.find_places import find_places
from workbench.terms.names.find_running import (
    dotted_names,
    family_roles,
    foreign_states,
    looks_foreign,
    name_parts,
    tagged_names,
)
from workbench.terms.names.found import Found, bounded_paragraphs, excerpt, occurrences, placed
from workbench.terms.names.model import MAX_EVIDENCE, Evidence, NameKind, NameProposal, Pattern, Rendering
from workbench.terms.names.persons import family_role_name, foreign_person_name, person_name
from workbench.terms.names.places import organisation_name, place_name, specific_name
from workbench.text.script import to_simplified as simplified

STRONG = 0.75  # a person found at least this surely hides places inside it (王长春 is not 长春)
SPECIFIC_CONFIDENCE = 0.8
#: Cues that find a name by the words around it; the analyser can overrule them (那里, 盯着 are no names).
_WORD_CUES = frozenset({Pattern.TITLE, Pattern.SPEECH, Pattern.SPEAKER, Pattern.CREDIT})
_PARTICLES = frozenset({"u", "uj", "ul", "uz", "ud", "ug", "uv", "y", "e", "o"})


def _words_allow(f: Found, seg: Segmentation) -> bool:
    """False when the analyser reads a cue's personal name as a pronoun, a particle or a verb phrase."""
    if f.pattern not in _WORD_CUES:
        return True
    if not seg.is_boundary(f.start):
        return False  # 摄影师在: the name would start inside a word
    inside = [w for w in seg.words_in(f.start, f.end) if w.start >= f.start and w.end <= f.end]
    if len(inside) == 1 and inside[0].word == f.source:
        return inside[0].tag not in FUNCTION_TAGS and inside[0].tag not in VERB_TAGS
    return not any(w.tag in _PARTICLES or (len(w.word) > 1 and w.tag in FUNCTION_TAGS) for w in inside)


def _render(f: Found) -> Rendering | None:
    try:
        if f.kind is NameKind.PERSON and f.pattern is Pattern.FAMILY_ROLE:
            return family_role_name(f.source)
        if (
            f.kind is NameKind.PERSON
            and name_dictionary().person(f.source) is None
            and (
                f.pattern is Pattern.FOREIGN
                or looks_foreign(f.source)
                or name_dictionary().foreign_name(f.source) is not None
            )
        ):
            return foreign_person_name(f.source)
        if f.kind is NameKind.PERSON:
            return person_name(f.source)
        if f.kind is NameKind.ORGANISATION:
            return organisation_name(place_name(f.specific, f.generic), f.specific, f.generic, f.suffix)
        if f.generic:
            return place_name(f.specific, f.generic)
        return _bare_place(f.source)
    except (ValueError, IndexError):
        return None


def _specifics(paragraphs: list[tuple[int, str]], founds: list[Found], words: NameDictionary) -> list[Found]:
    """Bare uses of the specific name of a place found with its generic (沭阳 of 沭阳县)."""
    out: list[Found] = []
    covered: dict[int, set[int]] = {}
    for f in founds:
        covered.setdefault(f.paragraph, set()).update(range(f.start, f.end))
    sources = {g.source for g in founds}
    wanted = {
        f.specific: f
        for f in founds
        if f.kind is NameKind.PLACE
        and f.generic
        and f.confidence >= STRONG
        and len(f.specific) >= 2
        and not words.is_word(f.specific)
        and f.specific not in sources
    }
    texts = dict(paragraphs)
    for par, start, spec in occurrences(paragraphs, wanted):
        end = start + len(spec)
        taken = covered.get(par, ())
        inside = start in taken or end - 1 in taken
        if not inside and not texts[par].startswith(wanted[spec].generic, end):
            out.append(
                Found(spec, NameKind.PLACE, Pattern.SPECIFIC, par, start, SPECIFIC_CONFIDENCE, "", spec, "")
            )
    return out


def _covered(founds: list[Found]) -> set[int]:
    """The offsets the names of one paragraph cover."""
    return {i for f in founds for i in range(f.start, f.end)}


def _outside(founds: list[Found], extra: list[Found]) -> list[Found]:
    """The analyser's candidates that lie outside every name the cues found (南明 of 南明镇)."""
    covered: dict[int, set[int]] = {}
    for f in founds:
        covered.setdefault(f.paragraph, set()).update(range(f.start, f.end))
    return [f for f in extra if not any(i in covered.get(f.paragraph, ()) for i in range(f.start, f.end))]


def _bare_place(source: str) -> Rendering:
    """A place without a generic: CC-CEDICT's place, else its proper noun (俄亥俄州 Ohio), else pinyin."""
    words = name_dictionary()
    state = source.endswith("州") and len(source) > 2 and words.proper_english.get(source[:-1])
    if state:  # 德克萨斯州 Texas, 俄亥俄州 Ohio
        return Rendering(state, (), 1.0, (), "CC-CEDICT proper noun")
    english = words.proper_english.get(source)
    if words.place(source) is None and english:
        return Rendering(english, (), 1.0, (), "CC-CEDICT proper noun")
    rendering = specific_name(source)
    if words.place(source) is None and looks_foreign(source):
        return Rendering(
            rendering.target,
            (),
            0.3,
            ("a transliterated place name not in CC-CEDICT: use its own spelling",),
            rendering.basis,
        )
    return rendering


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
    parts, origin = bounded_paragraphs(document.paragraphs)
    # Traditional text is read in simplified characters (same length); the matcher finds the
    # simplified sources in either script.
    paragraphs = [(p.index, simplified(p.text)) for p in parts]
    analysed: list[tuple[int, str, Segmentation]] = []
    dotted: list[Found] = []
    for p, (_, text) in zip(parts, paragraphs, strict=True):
        seg = segment(text)
        analysed.append((p.index, text, seg))
        persons = list(dotted_names(p.index, text, seg, words))
        dotted += persons
        dotted_here = _covered(persons)
        persons += [
            f
            for f in find_persons(p.index, p.kind, text, words)
            if _words_allow(f, seg) and not (f.start in dotted_here and f.end - 1 in dotted_here)
        ]
        persons += list(foreign_states(p.index, text, seg, words))
        founds += persons
        strong = [(f.start, f.end) for f in persons if f.confidence >= STRONG]
        founds += list(find_places(p.index, text, words, strong, seg))
    founds += _outside(
        founds,
        list(
            name_parts(
                analysed,
                [f for f in founds if f.pattern is Pattern.FOREIGN or f.source.endswith("州")],
                words,
            )
        ),
    )
    founds += _outside(founds, [*tagged_names(analysed, words), *family_roles(analysed)])
    founds += _specifics(paragraphs, founds, words)
    texts = {p.index: simplified(p.text) for p in document.paragraphs}
    return proposals_from([placed(f, origin) for f in founds], texts)


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
        for f in sorted(group, key=lambda f: (-f.confidence, f.paragraph, f.start)):
            if (f.pattern, f.paragraph, f.start) in seen:
                continue
            seen.add((f.pattern, f.paragraph, f.start))
            if len(proposal.evidence) >= MAX_EVIDENCE:
                proposal.omitted += 1
                continue
            snippet = excerpt(texts.get(f.paragraph, ""), f.start, f.end)
            proposal.evidence.append(Evidence(f.pattern, f.paragraph, snippet, f.confidence, f.reason))
        first = min((f.paragraph, f.start) for f in group)
        proposal.finish()
        out.append((first, proposal))
    out.sort(key=lambda t: t[0])
    return [p for _, p in out]
