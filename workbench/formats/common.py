"""Helpers every exporter shares: which text counts as the translation, language tags (XML-safe text:
``workbench.safexml.xml_clean``)."""

from __future__ import annotations

from collections.abc import Iterable

from workbench.lang import normalize_lang
from workbench.records import DocumentRecord, ParagraphRecord, SegmentRecord, Status


def segment_target(seg: SegmentRecord) -> str | None:
    """The segment's translation (final, else draft) with edge whitespace removed, or None when empty."""
    text = seg.target
    if text is None:
        return None
    text = text.strip()
    return text or None


def effective_status(seg: SegmentRecord) -> Status:
    """The segment's status, reading an in-memory record's default ``new`` as ``drafted`` when it has a draft."""
    status = Status(seg.status)
    if status is Status.NEW and segment_target(seg):
        return Status.DRAFTED if seg.draft and not seg.final else Status.EDITED
    return status


def paragraph_target(par: ParagraphRecord) -> str:
    """The paragraph's translation: segment translations joined by a space, untranslated ones left out."""
    return " ".join(t for t in (segment_target(s) for s in par.segments) if t)


def paragraph_complete(par: ParagraphRecord) -> bool:
    """True when every non-blank segment of the paragraph has a translation."""
    return all(segment_target(s) for s in par.segments if s.source.strip())


def document_title(doc: DocumentRecord) -> tuple[str, str]:
    """The document's title as (source, translation): the first heading, else the first paragraph."""
    pars = [p for p in doc.paragraphs if p.kind == "heading"] or list(doc.paragraphs)
    if not pars:
        return doc.name, ""
    return pars[0].text, paragraph_target(pars[0])


def source_lang_for(doc: DocumentRecord, override: str | None = None) -> str:
    """The source language tag for ``doc``: the override, else zh-TW for traditional script, else the record's."""
    if override is not None:
        return normalize_lang(override)
    lang = normalize_lang(doc.src_lang or "zh-CN")
    if doc.script == "traditional" and lang.lower() in ("zh", "zh-cn", "zh-hans", "zh-hans-cn"):
        # A traditional-script memory labelled zh-CN would silently fill simplified projects.
        return "zh-TW"
    return lang


def target_lang_for(doc: DocumentRecord, override: str | None = None) -> str:
    """The target language tag for ``doc``: the override, else the record's (``en-US`` by default)."""
    return normalize_lang(override if override is not None else doc.tgt_lang or "en-US")


def as_documents(doc_or_docs: DocumentRecord | Iterable[DocumentRecord]) -> list[DocumentRecord]:
    """Accept one record or several and always return a list."""
    if isinstance(doc_or_docs, DocumentRecord):
        return [doc_or_docs]
    return list(doc_or_docs)
