"""Word (.docx) input: the body's paragraphs and table cells in reading order, with their styles.

The package is checked first (``archive.read_package``: sizes, ratios, encryption, no DTD in
any XML part) and then parsed by python-docx, whose parser resolves no entities. Paragraph kinds
come from the styles where Word says what a paragraph is (``Title``/``Heading N`` -> heading,
list styles or numbering -> item, ``Caption`` -> caption), else from the text (structural
numbers, bylines …) as for plain text; a short table cell is a ``body`` paragraph, not a heading. Empty paragraphs are left out. Section headers and
footers are not read (they are page furniture).

``walk`` is shared with the writer, so a translated file puts each translation back into the
paragraph it came from.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workbench.errors import InputError
from workbench.formats.archive import read_package
from workbench.text.blocks import Block, block_text, document_from_blocks
from workbench.text.model import Document, ParagraphKind
from workbench.text.paragraphs import classify

_HEADING_STYLE = re.compile(r"^(?:Title|Subtitle|Heading\s*\d|标题(?:\s*\d)?|副标题)$", re.I)
_LIST_STYLE = re.compile(r"List|列表|项目符号|编号", re.I)
_CAPTION_STYLE = re.compile(r"^(?:Caption|题注)$", re.I)


def open_docx(path: str | Path) -> Any:
    """The python-docx ``Document`` of a checked package.

    Raises:
        InputError: An unsafe, damaged or non-Word package.
    """
    members = read_package(path)
    if "word/document.xml" not in members:
        raise InputError(f"{path}: not a Word document (no word/document.xml in the package)")
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    # python-docx reads exactly the members checked above, stored uncompressed.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    buf.seek(0)
    try:
        return docx.Document(buf)
    except PackageNotFoundError:
        raise InputError(f"{path}: not a Word document") from None
    except Exception as exc:  # python-docx raises many kinds on damaged parts
        raise InputError(f"{path}: cannot read this Word document ({type(exc).__name__}: {exc})") from None


def walk(document: Any) -> Iterator[Any]:
    """Every python-docx paragraph of the body in reading order, table cells row by row.

    A cell merged over several grid columns or rows is visited once.
    """
    from docx.table import Table

    def inner(container: Any) -> Iterator[Any]:
        for item in container.iter_inner_content():
            if isinstance(item, Table):
                seen: set[Any] = set()  # the cell elements themselves: kept alive, compared by identity
                for row in item.rows:
                    for cell in row.cells:
                        if cell._tc in seen:
                            continue
                        seen.add(cell._tc)
                        yield from inner(cell)
            else:
                yield item

    yield from inner(document)


def paragraph_kind(paragraph: Any) -> tuple[ParagraphKind | None, str]:
    """The kind Word's markup gives a paragraph (or None) and the reason to record."""
    style = paragraph.style.name if paragraph.style is not None else ""
    in_table = paragraph._p.getparent() is not None and paragraph._p.getparent().tag.endswith("}tc")
    where = "Word table cell" if in_table else "Word paragraph"
    if _HEADING_STYLE.match(style or ""):
        return ParagraphKind.HEADING, f"{where} (style {style})"
    if _CAPTION_STYLE.match(style or ""):
        return ParagraphKind.CAPTION, f"{where} (style {style})"
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    if (style and _LIST_STYLE.search(style)) or numbered:
        return ParagraphKind.ITEM, f"{where} (list {style or 'numbering'})"
    reason = f"{where} (style {style})" if style else where
    if in_table:
        kind = classify(block_text(paragraph.text))
        return (ParagraphKind.BODY if kind is ParagraphKind.HEADING else kind), reason
    return None, reason


def read_docx(path: str | Path, *, to_simplified: bool = False) -> Document:
    """Read a Word file into a ``Document`` (see the module docstring).

    Raises:
        InputError: Unsafe, damaged or empty input.
    """
    document = open_docx(path)
    blocks = []
    try:
        for n, paragraph in enumerate(walk(document), start=1):
            text = paragraph.text
            if not block_text(text):
                continue
            kind, reason = paragraph_kind(paragraph)
            blocks.append(Block(text, (n, n), kind, reason))
    except Exception as exc:  # damaged styles, numbering or tables
        raise InputError(f"{path}: cannot read this Word document ({type(exc).__name__}: {exc})") from None
    if not blocks:
        raise InputError(f"{path}: the Word document has no text")
    return document_from_blocks(
        blocks, path=str(path), encoding="docx", source_format="docx", to_simplified=to_simplified
    )
