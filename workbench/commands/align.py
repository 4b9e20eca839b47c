"""``workbench align ZH EN``: pair the sentences of a Chinese document with those of its translation."""

from __future__ import annotations

import argparse

from workbench.commands import options


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``align`` sub-command."""
    from workbench.commands.segment import add_input_format

    p = subparsers.add_parser(
        "align",
        help="align a Chinese document with its English translation (into TMX/TSV or the TM)",
        description="Aligns the sentences of ZH (Chinese) and EN (its English translation), both in any format "
        "the workbench reads (text, Markdown, Word, PDF): paragraphs first where they correspond, then "
        "sentences, by length and lexical anchors (CC-CEDICT, numbers, names, the glossary). See docs/how-to/align.md.",
    )
    p.add_argument("zh", metavar="ZH", help="the Chinese document")
    p.add_argument("en", metavar="EN", help="the English document")
    p.add_argument(
        "--out",
        metavar="X.tmx|X.tsv",
        help="write the units: TMX (.tmx) with x-align-score, else TSV 'source<TAB>target<TAB>score'",
    )
    p.add_argument(
        "--into-tm", action="store_true", help="add the units to the translation memory (origin 'aligned')"
    )
    p.add_argument("--tm", metavar="PATH", help="TM file for --into-tm (default: the per-user one)")
    p.add_argument(
        "--min-score",
        type=options.fraction,
        default=0.0,
        metavar="S",
        help="leave out beads scoring below S, 0 to 1 (default 0)",
    )
    p.add_argument(
        "--glossary", action="append", metavar="G", help="term base whose terms count as anchors (repeatable)"
    )
    add_input_format(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Align, then write and/or add to the TM; a summary goes to stdout."""
    from workbench.atomic import writable_target
    from workbench.errors import InputError
    from workbench.jobs.align import run_align

    if args.out is None and not args.into_tm:
        raise InputError("align: say where the units go: --out X.tmx|X.tsv and/or --into-tm")
    if args.out is not None:
        writable_target(args.out)
    glossary = None
    if args.glossary:
        from workbench.terms import load_termbase

        glossary = load_termbase(args.glossary)
    r = run_align(
        args.zh,
        args.en,
        out=args.out,
        into_tm=args.into_tm,
        tm_path=args.tm,
        min_score=args.min_score,
        glossary=glossary,
        input_format=args.input_format,
    )
    import sys

    for note in r.notes:
        print(f"workbench: align: {note}", file=sys.stderr)
    print(
        f"{r.zh_sentences} Chinese and {r.en_sentences} English sentences: {r.beads} beads, {r.units} units "
        f"({r.not_one_to_one} not 1-1), {r.unpaired} sentences without a counterpart"
    )
    if r.written is not None:
        print(f"{r.written}: {r.units} units written")
    if r.added is not None:
        print(f"translation memory: {r.added} units added with origin 'aligned'")
    return 0
