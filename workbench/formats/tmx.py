"""TMX 1.4b export (valid against the LISA DTD) and a safe TMX reader.

Units are the CAT tool's segments: the ``SegmentRecord`` sources are exactly the segments OmegaT cuts, so
they are written unchanged (only XML-invalid characters become spaces; OmegaT rejects a whole TMX for one).

Duplicate sources: CAT tools fill a segment from the one unit whose source matches it exactly, so every
distinct source (per language pair) is written once. Identical source+target pairs collapse into one unit.
When one source has several different translations, the default unit carries the best one (approved >
edited by a human > TM exact match > MT draft; ties go to the most recently changed, then the later
occurrence) and the others ride along as ``<prop type="x-alternative">`` on that unit, so an auto-filling
tool (OmegaT ``tm/auto``) never picks a rejected variant at random.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from lxml import etree

from workbench import __version__
from workbench.atomic import write_bytes_atomic
from workbench.errors import WorkbenchError
from workbench.formats.common import (
    as_documents,
    effective_status,
    paragraph_complete,
    paragraph_target,
    segment_target,
    source_lang_for,
    target_lang_for,
)
from workbench.lang import normalize_lang
from workbench.records import DocumentRecord, Origin, QANote, Status, TermNote
from workbench.safexml import parse_untrusted, xml_clean
from workbench.terms.ledger import ledger_suffix

SEGTYPES = ("sentence", "paragraph")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
ORIGINS: dict[str, str] = {Origin.MT: "MT", Origin.TM: "TM", Origin.HUMAN: "human"}
# How much a translation is trusted, for choosing the default among different targets of one source.
_ORIGIN_RANK: dict[str, int] = {Origin.HUMAN: 2, Origin.TM: 1, Origin.MT: 0}
_CODE_TAGS = {"bpt", "ept", "it", "ph", "ut"}


def tmx_date(moment: datetime | str | None = None) -> str:
    """Format a moment (default: now) as TMX wants it: ``YYYYMMDDThhmmssZ`` in UTC."""
    if moment is None:
        moment = datetime.now(UTC)
    elif isinstance(moment, str):
        moment = datetime.fromisoformat(moment.strip().replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass
class _Candidate:
    source: str
    target: str | None
    src_lang: str
    tgt_lang: str
    status: str
    origin: str | None
    signature: str | None
    terms: list[TermNote]
    updated: str | None
    document: str
    order: int
    qa: list[QANote] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    def rank(self) -> tuple[int, int, str, int]:
        return (
            Status(self.status).rank,
            _ORIGIN_RANK.get(self.origin or "", -1),
            self.updated or "",
            self.order,
        )


@dataclass
class TmxReport:
    """What ``write_tmx`` wrote.

    Attributes:
        path: The file written.
        units: ``<tu>`` elements written.
        untranslated_skipped: Distinct sources left out because they have no translation.
        duplicates_merged: Occurrences folded into an earlier unit with the same source.
        alternatives: Different translations kept as ``x-alternative`` props.
        empty_skipped: Segments whose source is empty or only whitespace (no CAT tool segment is empty).
    """

    path: Path
    units: int = 0
    untranslated_skipped: int = 0
    duplicates_merged: int = 0
    alternatives: int = 0
    empty_skipped: int = 0


def _candidates(
    docs: list[DocumentRecord], segtype: str, src_lang: str | None, tgt_lang: str | None
) -> Iterator[_Candidate]:
    order = 0
    for doc in docs:
        sl, tl = source_lang_for(doc, src_lang), target_lang_for(doc, tgt_lang)
        if segtype == "sentence":
            for seg in doc.segments():
                target = segment_target(seg)
                yield _Candidate(
                    xml_clean(seg.source),
                    xml_clean(target).strip() or None if target else None,
                    sl,
                    tl,
                    effective_status(seg),
                    seg.origin,
                    seg.signature,
                    list(seg.terms),
                    seg.updated,
                    doc.name,
                    order,
                    qa=list(seg.qa),
                    comments=[seg.comment] if seg.comment else [],
                )
                order += 1
        else:
            for par in doc.paragraphs:
                segs = [s for s in par.segments if s.source.strip()]
                target = paragraph_target(par) if segs and paragraph_complete(par) else ""
                statuses = [effective_status(s) for s in segs] or [Status.NEW]
                origins = {s.origin for s in segs if s.origin}
                signatures = sorted({s.signature for s in segs if s.signature})
                updates = [s.updated for s in segs if s.updated]
                yield _Candidate(
                    xml_clean(par.text),
                    xml_clean(target).strip() or None if target else None,
                    sl,
                    tl,
                    min(statuses, key=lambda st: st.rank),
                    origins.pop() if len(origins) == 1 else ("mixed" if origins else None),
                    "; ".join(signatures) or None,
                    [t for s in segs for t in s.terms],
                    max(updates) if updates else None,
                    doc.name,
                    order,
                    qa=[q for s in segs for q in s.qa],
                    comments=[s.comment for s in segs if s.comment],
                )
                order += 1


def _prop(parent: etree._Element, kind: str, value: str) -> None:
    el = etree.SubElement(parent, "prop", type=kind)
    el.text = xml_clean(value)


def _safe_date(value: str | None) -> str | None:
    return _stored_date(value) if value else None


@lru_cache(maxsize=4096)
def _stored_date(value: str) -> str | None:
    """A stored ISO time as a TMX date, None when it does not parse (segments changed together share one)."""
    try:
        return tmx_date(value)
    except ValueError:
        return None


def build_tmx(
    doc_or_docs: DocumentRecord | Iterable[DocumentRecord],
    *,
    segtype: str = "sentence",
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    include_untranslated: bool = False,
    now: datetime | None = None,
) -> tuple[bytes, TmxReport]:
    """Build the TMX document in memory; see ``write_tmx`` for the arguments."""
    if segtype not in SEGTYPES:
        raise WorkbenchError(f"unknown TMX segtype {segtype!r} (choose {' or '.join(SEGTYPES)})")
    docs = as_documents(doc_or_docs)
    report = TmxReport(path=Path())
    groups: dict[tuple[str, str, str], list[_Candidate]] = {}
    for cand in _candidates(docs, segtype, src_lang, tgt_lang):
        if not cand.source.strip():
            report.empty_skipped += 1
            continue
        groups.setdefault((cand.src_lang, cand.tgt_lang, cand.source), []).append(cand)

    src_langs = sorted({key[0] for key in groups}) or [
        source_lang_for(docs[0], src_lang) if docs else normalize_lang(src_lang or "zh-CN")
    ]
    created = tmx_date(now)
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(
        root,
        "header",
        creationtool="workbench",
        creationtoolversion=__version__,
        segtype=segtype,
        datatype="plaintext",
        adminlang="en-US",
        srclang=src_langs[0] if len(src_langs) == 1 else "*all*",
    )
    header.set("o-tmf", "workbench")
    header.set("creationdate", created)
    signatures = sorted({d.signature for d in docs if d.signature})
    glossaries = sorted({d.glossary for d in docs if d.glossary})
    for sig in signatures:
        _prop(header, "x-engine", sig)
    for gloss in glossaries:
        _prop(header, "x-glossary", gloss)
    body = etree.SubElement(root, "body")

    for (sl, tl, _source), cands in groups.items():
        translated = [c for c in cands if c.target]
        if not translated:
            if include_untranslated:
                _write_unit(body, cands[-1], None, [], sl, tl, report)
            else:
                report.untranslated_skipped += 1
            continue
        best = max(translated, key=_Candidate.rank)
        alternatives: list[str] = []
        for cand in translated:
            if cand.target != best.target and cand.target not in alternatives:
                alternatives.append(cand.target)  # type: ignore[arg-type]
        report.duplicates_merged += len(cands) - 1
        report.alternatives += len(alternatives)
        _write_unit(body, best, best.target, alternatives, sl, tl, report)

    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype=DOCTYPE)
    return data, report


def _write_unit(
    body: etree._Element,
    cand: _Candidate,
    target: str | None,
    alternatives: list[str],
    sl: str,
    tl: str,
    report: TmxReport,
) -> None:
    report.units += 1
    tu = etree.SubElement(body, "tu", tuid=str(report.units))
    date = _safe_date(cand.updated)
    if date:
        tu.set("changedate", date)
    seen: set[tuple[str, str, bool]] = set()
    for note in cand.terms:
        key = (note.source, note.target, note.ok)
        if key in seen:
            continue
        seen.add(key)
        el = etree.SubElement(tu, "note")
        text = f"term: {note.source} = {note.target}"
        text = text if note.ok else f"{text} [{note.problem or 'not honoured'}]"
        el.text = xml_clean(text + ledger_suffix(note))
    if target:
        for line in dict.fromkeys(f"qa {q.check}: {q.text}" for q in cand.qa):
            etree.SubElement(tu, "note").text = xml_clean(line)
    for comment in dict.fromkeys(cand.comments):
        etree.SubElement(tu, "note").text = xml_clean(f"comment: {comment}")
    _prop(tu, "x-status", str(cand.status) if target else str(Status.NEW))
    if target and cand.origin:
        _prop(tu, "x-origin", ORIGINS.get(cand.origin, str(cand.origin)))
    if target and cand.signature and cand.origin in (Origin.MT, "mixed"):
        _prop(tu, "x-engine", cand.signature)
    _prop(tu, "x-document", cand.document)
    for alt in alternatives:
        _prop(tu, "x-alternative", alt)
    sides: tuple[tuple[str, str | None], ...] = ((sl, cand.source), (tl, target))
    for lang, side in sides:
        if side is None:
            continue
        tuv = etree.SubElement(tu, "tuv")
        tuv.set(XML_LANG, lang)
        etree.SubElement(tuv, "seg").text = side


def write_tmx(
    doc_or_docs: DocumentRecord | Iterable[DocumentRecord],
    path: str | os.PathLike[str],
    *,
    segtype: str = "sentence",
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    include_untranslated: bool = False,
    now: datetime | None = None,
) -> TmxReport:
    """Write one or more documents as a TMX 1.4b file (atomically).

    Args:
        doc_or_docs: A ``DocumentRecord`` or several.
        path: The ``.tmx`` file to write.
        segtype: ``sentence`` (units equal to the CAT tool's segments) or ``paragraph``.
        src_lang: Source language tag; default ``zh-CN`` (``zh-TW`` for a traditional-script document).
            Underscores are normalised (``zh_CN`` -> ``zh-CN``); malformed tags are refused.
        tgt_lang: Target language tag; default the record's (``en-US``).
        include_untranslated: Also write units with no translation (source ``<tuv>`` only).
        now: Creation date to stamp in the header (default: the current time).

    Returns:
        A ``TmxReport`` with counts of what was written and left out.

    Raises:
        WorkbenchError: Bad segtype or language tag, or the file cannot be written.
    """
    data, report = build_tmx(
        doc_or_docs,
        segtype=segtype,
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        include_untranslated=include_untranslated,
        now=now,
    )
    report.path = write_bytes_atomic(path, data)
    return report


# ---------------------------------------------------------------- reading


@dataclass
class TmxUnit:
    """One translation unit read from a TMX file."""

    source: str
    target: str | None
    src_lang: str
    tgt_lang: str | None
    props: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    changedate: str | None = None
    tuid: str | None = None
    #: Further ``<tuv>`` of the target's language in the same unit (alternative translations).
    extra_targets: list[str] = field(default_factory=list)


def seg_text(seg: etree._Element | None) -> str:
    """The text of a ``<seg>``: its characters and ``<hi>`` content, without inline native codes."""
    if seg is None:
        return ""
    parts = [seg.text or ""]
    for child in seg:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "hi" or tag == "sub":
            parts.append(seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _lang(el: etree._Element) -> str:
    return el.get(XML_LANG) or el.get("lang") or ""


def read_tmx(
    path: str | os.PathLike[str], src_lang: str | None = None, tgt_lang: str | None = None
) -> list[TmxUnit]:
    """Read translation units from a TMX file safely (XXE, entity bombs and network DTDs are refused).

    Args:
        path: The TMX file.
        src_lang: Source language to look for (default: the header's ``srclang``, else ``zh-CN``).
            Matching ignores case; a bare language (``zh``) matches any region as a fallback.
        tgt_lang: Target language (default: the first other ``<tuv>`` of each unit).

    Returns:
        The units in file order; units without a source ``<tuv>`` are skipped. A unit with several
        ``<tuv>`` in the target language keeps the first as ``target`` and the others in
        ``extra_targets``.

    Raises:
        UnsafeXMLError, WorkbenchError: Unsafe or malformed XML, or not a TMX file.
    """
    tree = parse_untrusted(path)
    root = tree.getroot()
    if root.tag != "tmx":
        raise WorkbenchError(f"{path}: not a TMX file (root element is <{root.tag}>)")
    header = root.find("header")
    header_lang = header.get("srclang") if header is not None else None
    wanted = src_lang or (header_lang if header_lang and header_lang != "*all*" else None) or "zh-CN"
    wanted_l = wanted.replace("_", "-").lower()
    want_tgt = tgt_lang.replace("_", "-").lower() if tgt_lang else None
    units: list[TmxUnit] = []
    for tu in root.iter("tu"):
        tuvs = tu.findall("tuv")
        src = [t for t in tuvs if _lang(t).replace("_", "-").lower() == wanted_l]
        if not src:
            base = wanted_l.split("-")[0]
            src = [t for t in tuvs if _lang(t).replace("_", "-").lower().split("-")[0] == base]
        if not src:
            continue
        others = [t for t in tuvs if t is not src[0]]
        if want_tgt:
            others = [t for t in others if _lang(t).replace("_", "-").lower() == want_tgt] or [
                t
                for t in others
                if _lang(t).replace("_", "-").lower().split("-")[0] == want_tgt.split("-")[0]
            ]
        tgt_l = _lang(others[0]).replace("_", "-").lower() if others else None
        extra = [seg_text(t.find("seg")) for t in others[1:] if _lang(t).replace("_", "-").lower() == tgt_l]
        props: dict[str, list[str]] = {}
        for prop in tu.findall("prop"):
            props.setdefault(prop.get("type", ""), []).append(prop.text or "")
        units.append(
            TmxUnit(
                source=seg_text(src[0].find("seg")),
                target=seg_text(others[0].find("seg")) if others else None,
                src_lang=_lang(src[0]),
                tgt_lang=_lang(others[0]) if others else None,
                props=props,
                notes=[n.text or "" for n in tu.findall("note")],
                changedate=tu.get("changedate") or tu.get("creationdate"),
                tuid=tu.get("tuid"),
                extra_targets=[t for t in extra if t.strip()],
            )
        )
    return units
