"""Bilingual Markdown: source then translation per paragraph (or a side-by-side table), terms at the end."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.errors import WorkbenchError
from workbench.formats.common import document_title, segment_target
from workbench.records import DocumentRecord, ParagraphRecord
from workbench.safexml import xml_clean
from workbench.terms.ledger import ledger_summary

LAYOUTS = ("stacked", "table")
UNTRANSLATED = "[not translated]"
WARN = "⚠"

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
# An ampersand that would start a character reference (&amp; &copy; &#169; &#xA9;) is shown as typed.
_ENTITY_START = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
_LINE_START_SPECIAL = re.compile(r"^(\s*)([#>+\-=])")
# "1. " or "1) " at the start of a line opens a list: escape the mark, not the digit.
_LINE_START_NUMBER = re.compile(r"^(\s*\d+)([.)])")


def escape_md(text: str) -> str:
    """Escape ``text`` so Markdown shows it literally, as a single line.

    Backslash-escapes the inline marks (emphasis, code, links, HTML, table pipes, strikethrough),
    ampersands that would start a character reference, and a heading, quote, list or numbered-list
    mark at the start.
    """
    text = " ".join(xml_clean(text).split())  # newlines and tabs would break the layout
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    text = _ENTITY_START.sub(r"\\&", text)
    text = _LINE_START_NUMBER.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _LINE_START_SPECIAL.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _styled(kind: str, text: str) -> str:
    """Render escaped ``text`` in the style of its paragraph kind (one line)."""
    if not text:
        return ""
    if kind == "heading":
        return f"## {text}"
    if kind == "item":
        return f"- {text}"
    if kind in ("byline", "caption", "header", "footer"):
        return f"*{text}*"
    if kind == "dateline":
        return f"**{text}**"
    if kind == "marker":
        return f"*〔{text}〕*"
    return text


def _inline_styled(kind: str, text: str) -> str:
    """Style for a table cell, where headings cannot be used."""
    if not text:
        return ""
    if kind == "heading":
        return f"**{text}**"
    if kind == "item":
        return text
    return _styled(kind, text)


def _translation(par: ParagraphRecord) -> str:
    """Escaped paragraph translation; untranslated segments are marked in place."""
    parts = []
    for seg in par.segments:
        if not seg.source.strip():
            continue
        target = segment_target(seg)
        parts.append(escape_md(target) if target else f"_{escape_md(UNTRANSLATED)}_")
    return " ".join(parts)


def _violations(par: ParagraphRecord) -> list[str]:
    """One line per glossary violation and QA finding in the paragraph: ``⚠ 妇联 → Women's Federation:
    missing``, ``⚠ numbers: 12月8日 (12/8) is not in the target``."""
    out = []
    for seg in par.segments:
        for note in seg.terms:
            if not note.ok:
                problem = note.problem or "not honoured"
                out.append(
                    f"{WARN} {escape_md(note.source)} → {escape_md(note.target)}: {escape_md(problem)}"
                )
    found = (
        f"{WARN} {escape_md(q.check)}: {escape_md(q.text)}"
        for s in par.segments
        if segment_target(s)
        for q in s.qa
    )
    return out + list(dict.fromkeys(found))


@dataclass
class _TermUse:
    source: str
    target: str
    count: int = 0
    violations: int = 0


def _terms_used(doc: DocumentRecord) -> list[_TermUse]:
    """Glossary terms found in the document, in order of first appearance, with counts."""
    uses: dict[tuple[str, str], _TermUse] = {}
    for seg in doc.segments():
        for note in seg.terms:
            use = uses.setdefault((note.source, note.target), _TermUse(note.source, note.target))
            use.count += 1
            use.violations += 0 if note.ok else 1
    return list(uses.values())


def render_markdown(doc: DocumentRecord, layout: str = "stacked") -> str:
    """Render ``doc`` as bilingual Markdown.

    Args:
        doc: The document record (sources, finals or drafts, glossary notes).
        layout: ``stacked`` (source paragraph, then its translation) or ``table`` (side by side).

    Returns:
        The Markdown text, ending with a newline.

    Raises:
        WorkbenchError: Unknown layout.
    """
    if layout not in LAYOUTS:
        raise WorkbenchError(f"unknown Markdown layout {layout!r} (choose {' or '.join(LAYOUTS)})")
    src_title, tgt_title = document_title(doc)
    out: list[str] = [f"# {escape_md(tgt_title or src_title or doc.name)}", ""]
    if tgt_title and src_title:
        out += [escape_md(src_title), ""]
    meta = [f"Source: {escape_md(doc.name)}", f"{escape_md(doc.src_lang)} → {escape_md(doc.tgt_lang)}"]
    if doc.signature:
        meta.append(f"engine: {escape_md(doc.signature)}")
    if doc.glossary:
        meta.append(f"glossary: {escape_md(doc.glossary)}")
    out += ["*" + " · ".join(meta) + "*", ""]

    if layout == "stacked":
        for par in doc.paragraphs:
            source = escape_md(par.text)
            if not source:
                continue
            out += [_styled(par.kind, source), "", _styled(par.kind, _translation(par)), ""]
            for line in _violations(par):
                out += [f"> {line}", ""]
    else:
        out += ["| # | 中文 | English |", "|---:|---|---|"]
        for par in doc.paragraphs:
            source = escape_md(par.text)
            if not source:
                continue
            cell = _inline_styled(par.kind, _translation(par))
            cell = "<br>".join([cell, *_violations(par)]) if _violations(par) else cell
            out.append(f"| {par.index + 1} | {_inline_styled(par.kind, source)} | {cell} |")
        out.append("")

    terms = _terms_used(doc)
    out += ["## Glossary terms used", ""]
    if not terms:
        out += ["No glossary term occurs in this document.", ""]
    else:
        out += ["| 中文 | English | occurrences | problems |", "|---|---|---:|---|"]
        for use in terms:
            problems = f"{WARN} {use.violations}" if use.violations else "none"
            out.append(f"| {escape_md(use.source)} | {escape_md(use.target)} | {use.count} | {problems} |")
        out.append("")
        ledger = ledger_summary([note for seg in doc.segments() for note in seg.terms])
        if ledger:
            out += [f"How the terms got in (term ledger): {escape_md(ledger)}.", ""]
    return "\n".join(out).rstrip("\n") + "\n"
