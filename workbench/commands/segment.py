"""``workbench segment FILE``: rebuilt paragraphs and OmegaT-compatible sentence segments."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from workbench.commands import options

FORMATS = ("text", "jsonl", "markdown")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``segment`` sub-command."""
    p = subparsers.add_parser(
        "segment",
        help="rebuild paragraphs and sentence segments of a source text",
        description="Read a source file (text in UTF-8/16, GB18030 or Big5, detected; Markdown; Word; a PDF's "
        "text layer), rebuild its paragraphs (clean, hard-wrapped or extracted text, numbered structure) "
        "and cut them into sentence segments exactly as OmegaT does. "
        "jsonl prints one JSON object per paragraph (index, kind, text, lines, segments, ...).",
    )
    p.add_argument("file", metavar="FILE", help="the source file (text, Markdown, Word .docx or PDF)")
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text: one paragraph per line, blank line between (what a CAT tool should import); "
        "jsonl: one JSON object per paragraph; markdown: a readable view with kinds (default text)",
    )
    p.add_argument(
        "--encoding",
        type=options.text_encoding,
        metavar="E",
        help="force the input encoding (e.g. gb18030, big5, utf-16)",
    )
    add_input_format(p)
    p.add_argument(
        "--to-simplified",
        action="store_true",
        help="convert traditional characters to simplified (jsonl keeps the original in 'original')",
    )
    p.set_defaults(func=run_segment)


def add_input_format(p: argparse.ArgumentParser) -> None:
    """The ``--input-format`` option shared by the commands that read source files."""
    from workbench.formats.sources import FORMAT_NAMES

    p.add_argument(
        "--input-format",
        choices=FORMAT_NAMES,
        help="read FILE as this format (default: from the extension: .md Markdown, .docx Word, .pdf PDF, "
        "anything else text)",
    )


def paragraph_records(
    path: str, encoding: str | None = None, to_simplified: bool = False, input_format: str | None = None
) -> list[dict[str, Any]]:
    """The jsonl records of a file, in order (see the README's ingest section).

    Raises:
        InputError: Unreadable or undecodable input.
    """
    from workbench.formats.sources import load_source
    from workbench.text.script import to_simplified as convert
    from workbench.text.segments import split_segments

    doc = load_source(path, input_format=input_format, encoding=encoding)
    records = []
    for p in doc.paragraphs:
        body = p.text
        rec: dict[str, Any] = {"index": p.index, "kind": str(p.kind), "text": body}
        if to_simplified and doc.script == "traditional":
            body = convert(p.text)
            rec["text"] = body
            if body != p.text:
                rec["original"] = p.text
        rec["lines"] = [p.lines[0], p.lines[1]]
        rec["segments"] = split_segments(body) if body != p.text else list(p.segments)
        rec["reason"] = p.reason
        rec["script"] = doc.script
        rec["encoding"] = doc.encoding
        rec["format"] = doc.format
        if p.undoubled:
            rec["undoubled"] = True
        records.append(rec)
    return records


def _markdown(rec: dict[str, Any]) -> str:
    from workbench.formats.markdown import escape_md

    text = escape_md(rec["text"])
    kind = rec["kind"]
    if kind == "heading":
        return f"## {text}"
    if kind == "item":
        return f"- {text}"
    if kind in ("byline", "caption", "marker", "header", "footer"):
        return f"*{text}*"
    if kind == "dateline":
        return f"**{text}**"
    return text


def write_records(records: list[dict[str, Any]], fmt: str, out: TextIO) -> None:
    """Print records in one of ``FORMATS``."""
    for n, rec in enumerate(records):
        if fmt == "jsonl":
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        elif fmt == "markdown":
            out.write(("\n" if n else "") + _markdown(rec) + "\n")
        else:
            out.write(("\n" if n else "") + rec["text"] + "\n")


def run_segment(args: argparse.Namespace) -> int:
    """Print the rebuilt paragraphs of ``args.file`` in ``args.format``."""
    records = paragraph_records(args.file, args.encoding, args.to_simplified, args.input_format)
    out = sys.stdout
    if hasattr(out, "reconfigure"):
        out.reconfigure(encoding="utf-8")
    write_records(records, args.format, out)
    out.flush()
    return 0
