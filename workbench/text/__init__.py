"""Source text: decoding, script handling, paragraph reconstruction and segmentation.

Public entry points: ``load_document(path)`` for a file, ``document_from_text(text)``
for text already in memory. Both return a ``workbench.text.model.Document``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from workbench.text.model import Document, Paragraph, ParagraphKind

__all__ = ["Document", "Paragraph", "document_from_lines", "document_from_text", "load_document"]


def document_from_lines(
    text: str,
    *,
    path: str,
    encoding: str,
    source_format: str = "text",
    hints: Mapping[int, ParagraphKind] | None = None,
    to_simplified: bool = False,
) -> Document:
    """Rebuild paragraphs and segments of cleaned text whose lines may carry kind hints.

    Args:
        text: Cleaned text with LF line ends.
        path: The source path to record.
        encoding: The codec (or ``pdf``) to record.
        source_format: The input format to record.
        hints: Line number -> kind known from the source (a PDF's fonts and positions).
        to_simplified: Convert traditional text to simplified characters.
    """
    from workbench.text.paragraphs import rebuild_paragraphs
    from workbench.text.script import detect_script
    from workbench.text.script import to_simplified as convert
    from workbench.text.segments import split_segments

    script = detect_script(text)
    paragraphs = []
    for i, p in enumerate(rebuild_paragraphs(text, hints)):
        body = convert(p.text) if to_simplified and script == "traditional" else p.text
        paragraphs.append(
            Paragraph(i, p.kind, body, p.lines, tuple(split_segments(body)), p.reason, p.undoubled)
        )
    return Document(
        path=path, encoding=encoding, script=script, paragraphs=tuple(paragraphs), format=source_format
    )


def _build(text: str, path: str, encoding: str, to_simplified: bool) -> Document:
    return document_from_lines(text, path=path, encoding=encoding, to_simplified=to_simplified)


def document_from_text(text: str, path: str = "", *, to_simplified: bool = False) -> Document:
    """Rebuild paragraphs and segments from text already in memory.

    Args:
        text: The raw text (any line ends; it is cleaned like a decoded file).
        path: A name to record as the document's path.
        to_simplified: Convert traditional text to simplified characters.

    Returns:
        The rebuilt document (encoding recorded as ``"utf-8"``).
    """
    from workbench.text.decode import clean_text

    return _build(clean_text(text), path, "utf-8", to_simplified)


def load_document(path: str | Path, encoding: str | None = None, to_simplified: bool = False) -> Document:
    """Read a text file and rebuild its paragraphs and segments.

    Args:
        path: The file to read.
        encoding: Force this codec; detected when None.
        to_simplified: Convert traditional text to simplified characters
            (for MT input); the detected script is still recorded.

    Returns:
        The rebuilt document.

    Raises:
        InputError: Missing, unreadable, empty, binary or undecodable input.
    """
    from workbench.text.decode import read_text

    text, enc = read_text(path, encoding)
    return _build(text, str(path), enc, to_simplified)
