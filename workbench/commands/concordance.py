"""``workbench tm concordance TEXT``: every TM unit, project segment and glossary term containing TEXT."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys

from workbench.commands import options
from workbench.errors import WorkbenchError

FORMATS = ("text", "jsonl")
LANGS = ("zh", "en")
#: How a hit's occurrences are marked in text output on a terminal (reverse video) and elsewhere.
TTY_MARKS = ("\x1b[7m", "\x1b[0m")
PLAIN_MARKS = ("«", "»")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``concordance`` to the ``tm`` actions."""
    cc = sub.add_parser(
        "concordance",
        help="every unit, segment and term whose source (or target) contains TEXT",
        description="Search the translation memory (or memories), a project's segments and a glossary for TEXT, "
        "traditional/simplified, full-/half-width and upper/lower case folded; newest first, glossary terms "
        "last. Exit status 1 when nothing is found.",
    )
    cc.add_argument("text", type=options.source_text, metavar="TEXT")
    cc.add_argument(
        "--tm",
        action="append",
        metavar="PATH",
        help="TM file (repeatable; default: the per-user one, if it exists)",
    )
    cc.add_argument(
        "--project", metavar="P.wbproj", help="also search this project's segments (and its glossary)"
    )
    cc.add_argument(
        "--glossary", action="append", metavar="G", help="also search this term base (repeatable)"
    )
    cc.add_argument(
        "--lang",
        choices=LANGS,
        help="search the Chinese sources (zh) or the English targets (en); "
        "default: zh when TEXT holds a Chinese character",
    )
    cc.add_argument(
        "--limit", type=options.positive_int, default=100, metavar="N", help="most hits shown (default 100)"
    )
    cc.add_argument(
        "--format", choices=FORMATS, default="text", help="text (default) or jsonl: one object per hit"
    )
    cc.set_defaults(func=run_concordance)


def mark(
    text: str, spans: tuple[tuple[int, int], ...] | list[tuple[int, int]], marks: tuple[str, str]
) -> str:
    """``text`` with each ``(start, end)`` span wrapped in ``marks``."""
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], marks[0], text[start:end], marks[1]]
        last = end
    return "".join([*out, text[last:]])


def run_concordance(args: argparse.Namespace) -> int:
    """Print the hits; 1 when there is none."""
    from pathlib import Path

    from workbench.jobs.concordance import concordance, searchable
    from workbench.store.concordance import Side
    from workbench.store.project import Project
    from workbench.store.tm import TranslationMemory, default_tm_path
    from workbench.terms.context import GlossaryContext

    if not searchable(args.text):
        raise WorkbenchError(f"concordance: {args.text!r} has no letter or digit to search for")
    side = {"zh": Side.SOURCE, "en": Side.TARGET}.get(args.lang or "")
    paths = [Path(p) for p in args.tm or []]
    if not paths and default_tm_path().exists():
        paths = [default_tm_path()]
    if not paths and not args.project and not args.glossary:
        raise WorkbenchError(
            "concordance: nothing to search: no translation memory yet; give --tm, --project or --glossary"
        )
    with contextlib.ExitStack() as stack:
        tms = [stack.enter_context(TranslationMemory.open(p, create=False, readonly=True)) for p in paths]
        project = stack.enter_context(Project.open(args.project, readonly=True)) if args.project else None
        glossary: GlossaryContext | None
        if args.glossary:
            glossary = GlossaryContext.load(args.glossary, strict=False)
        else:
            glossary = project.glossary() if project is not None else None
        hits = concordance(
            args.text, tms=tms, project=project, glossary=glossary, side=side, limit=args.limit
        )
    marks = TTY_MARKS if sys.stdout.isatty() else PLAIN_MARKS
    for h in hits:
        if args.format == "jsonl":
            print(json.dumps(h.as_dict(), ensure_ascii=False))
        else:
            print(f"[{h.kind}] {h.origin}{'  ' + h.when if h.when else ''}")
            print(f"  {mark(h.source, h.source_spans, marks)}")
            print(f"  {mark(h.target, h.target_spans, marks)}")
    print(f"workbench: concordance: {len(hits)} hit(s) for {args.text!r}", file=sys.stderr)
    return 0 if hits else 1
