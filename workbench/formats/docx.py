"""Word (.docx) output: the translated document, and a bilingual review table.

``write_translated_docx`` is what a translator delivers. When the document came from a Word
file that is still there, that file is reopened (through the same checks as on input) and
every paragraph it had gets its translation in place: paragraph styles, list numbering, tables
and the first run's character formatting stay as they were; a paragraph without a translation
keeps its source text. Otherwise a new document is built from the paragraph kinds (headings as
``Heading 2``, list items as ``List Bullet``, captions as ``Caption``). Running headers and
footers are left out of a new document.

The review table (``write_review_docx``) lives in ``workbench.formats.review_table``.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbench.atomic import write_bytes_atomic
from workbench.errors import WorkbenchError
from workbench.formats.common import paragraph_target
from workbench.formats.docx_reader import open_docx, walk
from workbench.guard import DOCX_MARKER
from workbench.records import DocumentRecord
from workbench.safexml import xml_clean
from workbench.text.blocks import block_text
from workbench.text.model import is_translated

_STYLES = {"heading": "Heading 2", "item": "List Bullet", "caption": "Caption"}


def _set_text(paragraph: Any, text: str) -> None:
    """Replace a paragraph's text, keeping its properties and its first run's formatting."""
    from docx.oxml.ns import qn

    text = xml_clean(text)

    p = paragraph._p
    runs = [
        child for child in p if child.tag in (qn("w:r"), qn("w:hyperlink"), qn("w:smartTag"), qn("w:ins"))
    ]
    first = next((r for r in runs if r.tag == qn("w:r")), None)
    for r in runs:
        if r is not first:
            p.remove(r)
    if first is None:
        paragraph.add_run(text)
        return
    for child in list(first):
        if child.tag != qn("w:rPr"):
            first.remove(child)
    from docx.text.run import Run

    Run(first, paragraph).text = text


def save_docx(document: Any, out: str | Path) -> Path:
    """Write a python-docx document to ``out`` atomically, with our signature."""
    # Our signature (the core property dc:identifier): the output guard replaces only such a file.
    document.core_properties.identifier = DOCX_MARKER
    buf = io.BytesIO()
    document.save(buf)
    return write_bytes_atomic(out, buf.getvalue())


def _in_place(record: DocumentRecord, source: Path, out: str | Path) -> Path:
    document = open_docx(source)
    paragraphs = [p for p in walk(document) if block_text(p.text)]
    if len(paragraphs) != len(record.paragraphs):
        raise WorkbenchError(
            f"{source}: the Word file has changed since it was read ({len(paragraphs)} paragraphs, "
            f"{len(record.paragraphs)} in the project); re-import it or export without it"
        )
    for paragraph, rec in zip(paragraphs, record.paragraphs, strict=True):
        target = paragraph_target(rec)
        if target:
            _set_text(paragraph, target)
    return save_docx(document, out)


def append_run(p: Any, text: str) -> None:
    """Add a run holding ``text`` to the paragraph element ``p``, written as python-docx's
    ``paragraph.add_run(text)`` writes it (tabs and line breaks as their elements), but without its
    character-by-character loop and XPath search when the text has neither."""
    if not text:
        return
    r = p.add_r()
    if "\t" in text or "\n" in text or "\r" in text:
        from docx.oxml.text.run import _RunContentAppender

        _RunContentAppender.append_to_run_from_text(r, text)
    else:
        r.add_t(text)


def paragraph_adder(document: Any) -> Callable[[str, str | None], None]:
    """``add(text, style)``: what ``document.add_paragraph(text, style=style)`` does, in constant time.

    python-docx looks for the body's section properties among all the body's children on every call, which
    makes a document of 60,000 paragraphs take minutes; here the new paragraph goes before them directly.
    """
    from docx.text.paragraph import Paragraph

    body = document.element.body
    container = document._body  # the parent python-docx gives its own paragraphs
    anchor = body.sectPr

    def add(text: str, style: str | None) -> None:
        p = body._new_p()
        if anchor is None:
            body.append(p)
        else:
            anchor.addprevious(p)
        paragraph = Paragraph(p, container)
        append_run(p, text)
        if style is not None:
            paragraph.style = style

    return add


def _fresh(record: DocumentRecord, out: str | Path) -> Path:
    import docx

    document = docx.Document()
    add = paragraph_adder(document)
    for rec in record.paragraphs:
        if not is_translated(rec.kind):
            continue
        text = paragraph_target(rec) or rec.text
        add(xml_clean(text), _STYLES.get(str(rec.kind)))
    return save_docx(document, out)


def write_translated_docx(
    record: DocumentRecord, out: str | Path, *, source: str | Path | None = None
) -> Path:
    """Write the translated document as a Word file (see the module docstring).

    Args:
        record: The document with its drafts or final translations.
        out: The .docx to write (atomically).
        source: The original Word file (default: the record's source path when it is a .docx).

    Returns:
        The written path.

    Raises:
        WorkbenchError: The source Word file changed or cannot be read, or the output cannot be written.
    """
    src = Path(source) if source is not None else Path(record.source_path) if record.source_path else None
    if src is not None and src.suffix.lower() == ".docx" and src.is_file():
        return _in_place(record, src, out)
    return _fresh(record, out)
