"""Markdown input (CommonMark with tables, parsed by markdown-it-py).

Each heading, paragraph, list item, block-quote paragraph and table cell becomes one paragraph
(kind ``heading`` for headings, ``item`` for list items, else inferred from the text; a short
table cell is ``body``, not a heading). Emphasis,
link and code markers are dropped and their text kept; soft line breaks join like wrapped lines;
HTML blocks and comments, inline HTML, images, code blocks and a leading YAML/TOML front matter
are skipped (they are not prose to translate). Line numbers are those of the source file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from workbench.errors import InputError
from workbench.text.blocks import Block, block_text, document_from_blocks
from workbench.text.decode import read_text
from workbench.text.model import Document, ParagraphKind
from workbench.text.paragraphs import classify

_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)[ \t]*\n.*?\n(?:---|\+\+\+|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def _inline_text(token: Any) -> str:
    """The prose of an inline token: text and code content, breaks as newlines, no markup."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def blocks_from_markdown(text: str, line_offset: int = 0) -> list[Block]:
    """The paragraphs of Markdown ``text`` in order (see the module docstring)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    blocks: list[Block] = []
    stack: list[str] = []  # enclosing containers: list_item, blockquote, th, td
    heading_level = 0
    for tok in tokens:
        if tok.nesting == 1:
            stack.append(tok.type)
            if tok.type == "heading_open":
                heading_level = int(tok.tag[1:])
            continue
        if tok.nesting == -1:
            if stack:
                stack.pop()
            continue
        if tok.type != "inline" or tok.map is None:
            continue  # html_block, code_block, fence, hr: nothing to translate
        lines = (tok.map[0] + 1 + line_offset, max(tok.map[0] + 1, tok.map[1]) + line_offset)
        content = _inline_text(tok)
        kind: ParagraphKind | None = None
        if "heading_open" in stack:
            kind, reason = ParagraphKind.HEADING, f"Markdown heading (level {heading_level})"
        elif "th_open" in stack or "td_open" in stack:
            kind = classify(block_text(content))
            kind, reason = (
                (ParagraphKind.BODY if kind is ParagraphKind.HEADING else kind),
                "Markdown table cell",
            )
        elif "list_item_open" in stack:
            kind, reason = ParagraphKind.ITEM, "Markdown list item"
        elif "blockquote_open" in stack:
            reason = "Markdown block quote"
        else:
            reason = "Markdown paragraph"
        blocks.append(Block(content, lines, kind, reason))
    return blocks


def read_markdown(path: str | Path, *, encoding: str | None = None, to_simplified: bool = False) -> Document:
    """Read a Markdown file into a ``Document``.

    Raises:
        InputError: Unreadable or undecodable file, or no prose in it.
    """
    text, enc = read_text(path, encoding)
    offset = 0
    m = _FRONT_MATTER.match(text)
    if m:
        offset = m.group().count("\n")
        text = text[m.end() :]
    blocks = blocks_from_markdown(text, offset)
    if not any(b.text.strip() for b in blocks):
        raise InputError(f"{path}: the Markdown file has no text to translate")
    return document_from_blocks(
        blocks, path=str(path), encoding=enc, source_format="markdown", to_simplified=to_simplified
    )
