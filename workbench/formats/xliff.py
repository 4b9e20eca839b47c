"""XLIFF 1.2 export (valid against the OASIS strict schema) and import of reviewed translations.

One ``<file>`` per document, one ``<group>`` per paragraph, one ``<trans-unit>`` per segment (the CAT
tool's segments, so OmegaT and memoQ do not re-split them). States:

=================  ==========================================  =========================
our status         ``<target>``                                 ``approved``
=================  ==========================================  =========================
no translation     no ``<target>``                              -
drafted (MT)       ``state="needs-review-translation"``         -
                   ``state-qualifier="mt-suggestion"``
tm-exact           ``state="translated"``                       -
                   ``state-qualifier="exact-match"``
edited             ``state="translated"``                       -
approved           ``state="signed-off"``                       ``yes``
=================  ==========================================  =========================

Unit ids are ``d<doc>-p<paragraph>-s<segment>`` (1-based positions; ``d`` is the project's document id
when known), so an import finds each segment again and checks that its source is unchanged.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from workbench import __version__
from workbench.atomic import write_bytes_atomic
from workbench.errors import WorkbenchError
from workbench.formats.common import (
    effective_status,
    segment_target,
    source_lang_for,
    target_lang_for,
)
from workbench.records import DocumentRecord, SegmentRecord, Status
from workbench.safexml import parse_untrusted, xml_clean
from workbench.terms.ledger import ledger_suffix

if TYPE_CHECKING:  # formats/ sits above store/: the importer updates an open project
    from workbench.store.project import Project
    from workbench.store.rows import SegmentRow

NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_UNIT_ID = re.compile(r"^(?:d(?P<doc>\d+)-)?p(?P<par>\d+)-s(?P<seg>\d+)$")

# status -> (state, state-qualifier)
_STATES = {
    Status.DRAFTED: ("needs-review-translation", "mt-suggestion"),
    Status.TM_EXACT: ("translated", "exact-match"),
    Status.EDITED: ("translated", None),
    Status.REVIEWED: ("translated", "x-reviewed"),
    Status.APPROVED: ("signed-off", None),
}
FINAL_STATES = ("signed-off", "final")
TRANSLATED_STATES = (
    "translated",
    "needs-review-translation",
    "needs-review-l10n",
    "needs-review-adaptation",
    "needs-adaptation",
    "needs-l10n",
    *FINAL_STATES,
)


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def unit_id(doc_id: int | None, paragraph: int, segment: int) -> str:
    """The trans-unit id of a segment (0-based positions in, 1-based in the id)."""
    prefix = f"d{doc_id}-" if doc_id is not None else ""
    return f"{prefix}p{paragraph + 1}-s{segment + 1}"


def build_xliff(
    doc_or_docs: DocumentRecord | Iterable[DocumentRecord],
    *,
    doc_ids: Sequence[int | None] | None = None,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    now: datetime | None = None,
) -> bytes:
    """Build an XLIFF 1.2 document in memory; see ``write_xliff``."""
    docs = [doc_or_docs] if isinstance(doc_or_docs, DocumentRecord) else list(doc_or_docs)
    ids = list(doc_ids) if doc_ids is not None else [None] * len(docs)
    if len(ids) != len(docs):
        raise WorkbenchError("internal: doc_ids must have one entry per document")
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    root = etree.Element(_q("xliff"), nsmap={None: NS}, version="1.2")
    for doc, doc_id in zip(docs, ids, strict=True):
        f = etree.SubElement(
            root,
            _q("file"),
            original=xml_clean(doc.name or "document"),
            datatype="plaintext",
        )
        f.set("source-language", source_lang_for(doc, src_lang))
        f.set("target-language", target_lang_for(doc, tgt_lang))
        f.set("tool-id", "workbench")
        f.set("date", stamp)
        if doc_id is not None:
            f.set("build-num", str(doc_id))
        header = etree.SubElement(f, _q("header"))
        if doc.signature:
            etree.SubElement(header, _q("note"), {"from": "workbench"}).text = xml_clean(
                f"engine: {doc.signature}"
            )
        if doc.glossary:
            etree.SubElement(header, _q("note"), {"from": "workbench"}).text = xml_clean(
                f"glossary: {doc.glossary}"
            )
        tool = etree.SubElement(header, _q("tool"))
        tool.set("tool-id", "workbench")
        tool.set("tool-name", "workbench")
        tool.set("tool-version", __version__)
        body = etree.SubElement(f, _q("body"))
        for par in doc.paragraphs:
            if not par.segments:
                continue
            prefix = f"d{doc_id}-" if doc_id is not None else ""
            group = etree.SubElement(body, _q("group"), id=f"{prefix}p{par.index + 1}")
            group.set("restype", f"x-{par.kind}")
            for seg in par.segments:
                _unit(group, doc_id, par.index, seg)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def _unit(group: etree._Element, doc_id: int | None, par_index: int, seg: SegmentRecord) -> None:
    tu = etree.SubElement(group, _q("trans-unit"), id=unit_id(doc_id, par_index, seg.index))
    tu.set(f"{{{XML_NS}}}space", "preserve")
    if not seg.source.strip():
        tu.set("translate", "no")
    target = segment_target(seg)
    status = effective_status(seg)
    if target and status is Status.APPROVED:
        tu.set("approved", "yes")
    etree.SubElement(tu, _q("source")).text = xml_clean(seg.source)
    if target:
        el = etree.SubElement(tu, _q("target"))
        el.text = xml_clean(target)
        state, qualifier = _STATES.get(status, ("translated", None))
        el.set("state", state)
        if qualifier:
            el.set("state-qualifier", qualifier)
    seen = set()
    for note in seg.terms:
        text = f"term: {note.source} = {note.target}" + (
            "" if note.ok else f" [{note.problem or 'not honoured'}]"
        )
        text += ledger_suffix(note)
        if text not in seen:
            seen.add(text)
            etree.SubElement(tu, _q("note"), {"from": "glossary"}).text = xml_clean(text)
    if target:
        for line in dict.fromkeys(str(q) for q in seg.qa):
            etree.SubElement(tu, _q("note"), {"from": "qa"}).text = xml_clean(line)
    if getattr(seg, "comment", ""):
        etree.SubElement(tu, _q("note"), {"from": "comment"}).text = xml_clean(seg.comment)


def write_xliff(
    doc_or_docs: DocumentRecord | Iterable[DocumentRecord],
    path: str | os.PathLike[str],
    *,
    doc_ids: Sequence[int | None] | None = None,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    now: datetime | None = None,
) -> Path:
    """Write documents as XLIFF 1.2 (atomically).

    Args:
        doc_or_docs: One ``DocumentRecord`` or several.
        path: The ``.xlf`` file to write.
        doc_ids: The project's document id for each record (kept in unit ids so an import can map them
            back); None when the records do not come from a project.
        src_lang: Source language tag (default zh-CN; zh-TW for traditional script).
        tgt_lang: Target language tag (default en-US).
        now: The date to stamp on each ``<file>`` (default: now).

    Returns:
        The path written.
    """
    data = build_xliff(doc_or_docs, doc_ids=doc_ids, src_lang=src_lang, tgt_lang=tgt_lang, now=now)
    return write_bytes_atomic(path, data)


# ---------------------------------------------------------------- reading and import


@dataclass
class XliffUnit:
    """One trans-unit read back from an XLIFF file."""

    file_original: str
    file_doc_id: int | None
    id: str
    source: str
    target: str | None
    state: str | None
    approved: bool
    source_lang: str = ""
    target_lang: str = ""


def _text(el: etree._Element | None) -> str:
    """Text content of ``<source>``/``<target>``; inline codes (``<x/>``, ``<ph>``...) contribute nothing."""
    if el is None:
        return ""
    parts = [el.text or ""]
    for child in el:
        local = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if local in ("g", "mrk"):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def read_xliff(path: str | os.PathLike[str]) -> list[XliffUnit]:
    """Read the trans-units of an XLIFF 1.2 file safely (XXE and entity bombs are refused).

    Raises:
        UnsafeXMLError, WorkbenchError: Unsafe or malformed XML, or not XLIFF 1.2.
    """
    root = parse_untrusted(path).getroot()
    if etree.QName(root).localname != "xliff":
        raise WorkbenchError(f"{path}: not an XLIFF file (root element is <{etree.QName(root).localname}>)")
    if root.get("version", "1.2").split(".")[0] != "1":
        raise WorkbenchError(f"{path}: XLIFF version {root.get('version')} is not supported (use XLIFF 1.2)")
    ns = etree.QName(root).namespace
    q = (lambda t: f"{{{ns}}}{t}") if ns else (lambda t: t)
    units = []
    for f in root.iter(q("file")):
        build = f.get("build-num")
        file_doc = int(build) if build and build.isdigit() else None
        for tu in f.iter(q("trans-unit")):
            target = tu.find(q("target"))
            units.append(
                XliffUnit(
                    file_original=f.get("original", ""),
                    file_doc_id=file_doc,
                    id=tu.get("id", ""),
                    source=_text(tu.find(q("source"))),
                    target=_text(target) if target is not None else None,
                    state=target.get("state") if target is not None else None,
                    approved=tu.get("approved") == "yes",
                    source_lang=f.get("source-language", ""),
                    target_lang=f.get("target-language", ""),
                )
            )
    return units


#: Primary language subtags a project's source and target must have.
PROJECT_LANGS = ("zh", "en")


def check_languages(units: Sequence[XliffUnit], path: str | os.PathLike[str]) -> None:
    """Refuse a file whose ``<file>`` says another source (or target) language than the project's zh → en.

    Raises:
        WorkbenchError: naming the first wrong language tag.
    """
    for unit in units:
        for tag, want, what in (
            (unit.source_lang, PROJECT_LANGS[0], "source"),
            (unit.target_lang, PROJECT_LANGS[1], "target"),
        ):
            if tag and tag.replace("_", "-").split("-")[0].lower() != want:
                raise WorkbenchError(
                    f"{path}: the {what} language of {unit.file_original or 'a file'!r} is {tag!r}, "
                    f"but the project translates zh into en; nothing was imported"
                )


@dataclass
class XliffImportReport:
    """What ``import_xliff`` did."""

    updated: int = 0
    approved: int = 0
    unchanged: int = 0
    untranslated: int = 0
    skipped: list[str] = field(default_factory=list)  # "id: reason"


def import_xliff(
    path: str | os.PathLike[str], project: Project, *, approve_signed_off: bool = True
) -> XliffImportReport:
    """Update the project's final translations from a reviewed XLIFF file.

    Every trans-unit is located by its id (document, paragraph, segment) and only applied when its
    ``<source>`` still equals the project's segment source; units whose target is missing or empty, or
    whose state says nothing was translated, are left alone. The file is parsed and checked completely
    before the first change, so an unsafe or malformed file changes nothing. Each change goes through
    ``Project.set_final`` / ``Project.approve`` (one transaction each, with history for undo).

    Args:
        path: The XLIFF file (as exported by ``write_xliff`` and edited in a CAT tool).
        project: The open project.
        approve_signed_off: Also approve segments whose target is ``signed-off``/``final`` or whose unit
            is ``approved="yes"``.

    Returns:
        An ``XliffImportReport`` with counts and the ids skipped with reasons.
    """
    units = read_xliff(path)
    check_languages(units, path)
    names: dict[str, list[int]] = {}
    for info in project.documents():
        names.setdefault(info.name, []).append(info.id)
    known = {i for ids in names.values() for i in ids}
    rows: dict[int, dict[tuple[int, int], SegmentRow]] = {}
    report = XliffImportReport()
    plan: list[tuple[SegmentRow, str, bool]] = []
    for unit in units:
        m = _UNIT_ID.match(unit.id)
        if not m:
            report.skipped.append(f"{unit.id}: not a workbench unit id")
            continue
        doc_id = int(m["doc"]) if m["doc"] else unit.file_doc_id
        if doc_id is None:
            candidates = names.get(unit.file_original, [])
            if len(candidates) != 1:
                report.skipped.append(f"{unit.id}: cannot tell which document {unit.file_original!r} is")
                continue
            doc_id = candidates[0]
        if doc_id not in known:
            report.skipped.append(f"{unit.id}: the project has no document {doc_id}")
            continue
        if doc_id not in rows:
            rows[doc_id] = {(r.paragraph, r.index): r for r in project.segments(doc_id)}
        row = rows[doc_id].get((int(m["par"]) - 1, int(m["seg"]) - 1))
        if row is None:
            report.skipped.append(f"{unit.id}: no such segment in the project")
            continue
        if xml_clean(row.source) != unit.source:
            report.skipped.append(f"{unit.id}: source differs from the project's (was the document changed?)")
            continue
        target = (unit.target or "").strip()
        if not target or (unit.state and unit.state not in TRANSLATED_STATES):
            report.untranslated += 1
            continue
        approve = approve_signed_off and (unit.approved or unit.state in FINAL_STATES)
        plan.append((row, target, approve))
    for row, target, approve in plan:
        changed = target != (row.target or "")
        if changed:
            project.set_final(row.id, target)
            report.updated += 1
        if approve and (changed or row.status is not Status.APPROVED):
            project.approve(row.id)
            report.approved += 1
        elif not changed:
            report.unchanged += 1
    return report
