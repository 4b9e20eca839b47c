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


#: Table cells read from one Word file at most (a 2000 × 40 table has 80,000): like the archive's member
#: limits, a bound on the work a hostile file can ask for.
MAX_TABLE_CELLS = 1_000_000


def walk(document: Any) -> Iterator[Any]:
    """Every python-docx paragraph of the body in reading order, table cells row by row.

    A cell merged over several grid columns (``gridSpan``) or rows (``vMerge``) is visited once. The XML
    is walked directly, so the work is linear in the file (python-docx's cell grid would expand a span
    of 999,999,999 columns, and rebuild the whole grid for every row).

    Raises:
        InputError: More than :data:`MAX_TABLE_CELLS` table cells.
    """
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    body = document._body
    p_tag, tbl_tag, tr_tag, tc_tag = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
    tc_pr, v_merge, val = qn("w:tcPr"), qn("w:vMerge"), qn("w:val")
    cells = 0

    def continued(tc: Any) -> bool:
        props = tc.find(tc_pr)
        merge = props.find(v_merge) if props is not None else None
        return merge is not None and merge.get(val, "continue") == "continue"

    def inner(container: Any) -> Iterator[Any]:
        nonlocal cells
        for child in container:
            if child.tag == p_tag:
                yield Paragraph(child, body)
            elif child.tag == tbl_tag:
                for tr in child.iterchildren(tr_tag):
                    for tc in tr.iterchildren(tc_tag):
                        cells += 1
                        if cells > MAX_TABLE_CELLS:
                            raise InputError(f"refused: more than {MAX_TABLE_CELLS} table cells")
                        if not continued(tc):
                            yield from inner(tc)

    yield from inner(document.element.body)


def _style_name(paragraph: Any, cache: dict[str | None, str] | None) -> str:
    """The paragraph's style name; looked up once per style id (python-docx searches every style for
    the default one on each call, which made 80,000 table cells take minutes)."""
    ppr = paragraph._p.pPr
    style_id = ppr.style if ppr is not None else None
    if cache is not None and style_id in cache:
        return cache[style_id]
    style = paragraph.style
    name = (style.name or "") if style is not None else ""
    if cache is not None:
        cache[style_id] = name
    return name


def paragraph_kind(
    paragraph: Any, cache: dict[str | None, str] | None = None
) -> tuple[ParagraphKind | None, str]:
    """The kind Word's markup gives a paragraph (or None) and the reason to record (``cache``: style
    names by id, shared by the paragraphs of one document)."""
    style = _style_name(paragraph, cache)
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
    styles: dict[str | None, str] = {}
    try:
        for n, paragraph in enumerate(walk(document), start=1):
            text = paragraph.text
            if not block_text(text):
                continue
            kind, reason = paragraph_kind(paragraph, styles)
            blocks.append(Block(text, (n, n), kind, reason))
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    except Exception as exc:  # damaged styles, numbering or tables
        raise InputError(f"{path}: cannot read this Word document ({type(exc).__name__}: {exc})") from None
    if not blocks:
        raise InputError(f"{path}: the Word document has no text")
    return document_from_blocks(
        blocks, path=str(path), encoding="docx", source_format="docx", to_simplified=to_simplified
    )
