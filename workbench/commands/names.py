"""``workbench names FILE``: propose the renderings of the document's personal, place and organisation names.

The output is the glossary's extended TSV (edit it, delete what is wrong, pass it to ``--glossary``)
or, with ``--format jsonl``, one object per name with its kind, confidence, reasons and evidence.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.commands import options
from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.text.model import Paragraph

FORMATS = ("tsv", "jsonl")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``names`` sub-command."""
    p = subparsers.add_parser(
        "names",
        help="propose pinyin renderings of the names of people, places and organisations in a file",
        description="Find the personal, place and organisation names of FILE (bylines, datelines, photo "
        "credits, titles, speech verbs, administrative generics, CC-CEDICT, and in running text the names a "
        "lexical analyser tags that recur, family-role forms and foreign names) and propose renderings by the "
        "national rules (GB/T 28039 personal names, GB/T 16159 orthography, translated generics, "
        "established English names). TSV output can be edited and passed to --glossary.",
    )
    p.add_argument("file", metavar="FILE", help="source text file")
    p.add_argument("--format", choices=FORMATS, default="tsv", help="tsv (glossary, default) or jsonl")
    p.add_argument(
        "--min-confidence",
        type=options.fraction,
        default=0.0,
        metavar="X",
        help="leave out proposals below this confidence (0-1, default 0: all)",
    )
    p.add_argument(
        "--glossary",
        action="append",
        metavar="G",
        help="leave out names this term base already has (repeatable)",
    )
    p.add_argument("--out", metavar="PATH", help="write here (atomically) instead of standard output")
    options.add_force(p, "--out")
    p.add_argument("--encoding", type=options.text_encoding, metavar="E", help="force the input encoding")
    p.add_argument(
        "--to-simplified", action="store_true", help="convert traditional characters to simplified first"
    )
    p.set_defaults(func=run_names)


def _note_long_paragraphs(paragraphs: Sequence[Paragraph]) -> None:
    """Say on standard error which paragraphs are read in pieces (over the segment cap)."""
    from workbench.safe_read import MAX_SEGMENT_CHARS, cap_note

    long = [p for p in paragraphs if len(p.text) > MAX_SEGMENT_CHARS]
    for p in long[:5]:
        note = cap_note(f"paragraph {p.index}", len(p.text), "read in pieces cut at clause punctuation")
        print(f"workbench: names: {note}", file=sys.stderr)
    if len(long) > 5:
        print(f"workbench: names: {len(long) - 5} more paragraphs read in pieces", file=sys.stderr)


def run_names(args: argparse.Namespace) -> int:
    """Print or write the name proposals of one file."""
    from workbench.terms import load_termbase
    from workbench.terms.names import check_min_confidence, proposals_jsonl, proposals_tsv, propose_names
    from workbench.text import load_document

    threshold = check_min_confidence(args.min_confidence)
    document = load_document(args.file, encoding=args.encoding, to_simplified=args.to_simplified)
    glossary = load_termbase(args.glossary) if args.glossary else None
    _note_long_paragraphs(document.paragraphs)
    proposals = [p for p in propose_names(document) if p.confidence >= threshold]
    if glossary is not None:
        kept = [p for p in proposals if glossary.lookup(p.source) is None]
        if len(kept) < len(proposals):
            print(
                f"workbench: {len(proposals) - len(kept)} name(s) left out: the glossary has them",
                file=sys.stderr,
            )
        proposals = kept
    data = proposals_jsonl(proposals) if args.format == "jsonl" else proposals_tsv(proposals)
    if args.out:
        from workbench.atomic import write_bytes_atomic
        from workbench.guard import NAMES_TSV_MARKER

        out = Path(args.out)
        if args.format == "tsv":  # our signature: a comment line to every TSV reader
            data = f"{NAMES_TSV_MARKER} proposals for {Path(args.file).name}\n".encode() + data
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(out, data)
        except OSError as exc:
            raise WorkbenchError(f"{out}: cannot write: {exc.strerror}") from exc
        print(out)
    else:
        sys.stdout.write(data.decode("utf-8"))
    return 0
