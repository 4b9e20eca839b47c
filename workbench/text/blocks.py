"""Documents whose paragraphs are already known (Word, Markdown): kinds, segments, script.

A reader that knows where each paragraph starts and ends hands over ``Block`` values; the text
layer gives each its kind (from the source's own markup when there is one, else from the text,
as ``paragraphs.classify`` does), its segments and the document's script.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from workbench.text.decode import clean_text
from workbench.text.lines import join_lines
from workbench.text.model import Document, Paragraph, ParagraphKind
from workbench.text.paragraphs import classify
from workbench.text.script import detect_script
from workbench.text.script import to_simplified as convert
from workbench.text.segments import split_segments


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph as a structured source gives it.

    Attributes:
        text: Its text; line breaks inside (soft breaks) are joined as wrapped lines.
        lines: ``(first, last)`` position in the source (1-based line or paragraph numbers).
        kind: The kind the source's markup says (a heading style, a list), or None to infer it.
        reason: Where the paragraph comes from, e.g. ``Word paragraph (style Heading 1)``.
    """

    text: str
    lines: tuple[int, int]
    kind: ParagraphKind | None = None
    reason: str = ""


def block_text(text: str) -> str:
    """The one-line text of a block: cleaned, soft line breaks joined, runs of spaces kept as one."""
    parts = [" ".join(part.split()) for part in clean_text(text).split("\n")]
    return join_lines([p for p in parts if p])


def document_from_blocks(
    blocks: Iterable[Block],
    *,
    path: str,
    encoding: str,
    source_format: str,
    to_simplified: bool = False,
) -> Document:
    """A ``Document`` of the given paragraphs, in order; empty blocks are left out.

    Args:
        blocks: The paragraphs.
        path: The source path to record.
        encoding: What to record as the encoding (``docx``, or the text file's codec).
        source_format: The input format (``markdown``, ``docx`` …).
        to_simplified: Convert traditional text to simplified characters.
    """
    kept = [(b, block_text(b.text)) for b in blocks]
    kept = [(b, t) for b, t in kept if t]
    script = detect_script("\n".join(t for _, t in kept[:2000]))
    paragraphs = []
    for i, (block, text) in enumerate(kept):
        kind = block.kind or classify(text)
        body = convert(text) if to_simplified and script == "traditional" else text
        paragraphs.append(
            Paragraph(
                i, kind, body, block.lines, tuple(split_segments(body)), block.reason or "source paragraph"
            )
        )
    return Document(
        path=path, encoding=encoding, script=script, paragraphs=tuple(paragraphs), format=source_format
    )
