"""``workbench evaluate``: BLEU, chrF, TER (sacrebleu), term success and consistency, systems side by side."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from workbench.commands import options
from workbench.errors import WorkbenchError
from workbench.mt.registry import DEVICES, backend_names

if TYPE_CHECKING:
    from workbench.jobs.evaluate import System
    from workbench.terms.context import GlossaryContext
    from workbench.terms.wmt import ListedTerm

FORMATS = ("text", "json")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``evaluate`` sub-command."""
    from workbench.jobs.evaluate_drafts import DraftMode

    p = subparsers.add_parser(
        "evaluate",
        help="score translations: BLEU, chrF, TER (sacrebleu), glossary term success; several systems side by side",
        description="Score each --hypothesis (one segment per line, a `translate` JSONL, a project, TMX, XLIFF or "
        "TSV; NAME=PATH names its column) against the --reference files (one segment per line) with sacrebleu's "
        "BLEU, chrF and TER, and, with --glossary, the share of the glossary's terms in the sources placed in "
        "the hypotheses (exact and fuzzy, as WMT23 counts them) and term consistency. --test-set "
        "flores200-devtest supplies the FLORES-200 devtest zh→en sources and references that ship with the "
        "workbench. Every result carries sacrebleu's signature and each system's workbench signature.",
    )
    p.add_argument(
        "--hypothesis",
        "-H",
        action="append",
        default=[],
        metavar="[NAME=]H",
        help="a system's translations (repeatable)",
    )
    p.add_argument(
        "--reference",
        "-r",
        action="append",
        default=[],
        metavar="R",
        help="reference translations, one per line (repeatable)",
    )
    p.add_argument(
        "--source",
        "-s",
        metavar="S",
        help="the source segments, one per line (term metrics; aligns JSONL/project hypotheses)",
    )
    p.add_argument(
        "--test-set",
        "-t",
        metavar="NAME",
        help="a shipped test set (flores200-devtest) for sources and references",
    )
    p.add_argument(
        "--glossary",
        action="append",
        metavar="G",
        help="term base for term success and consistency (repeatable)",
    )
    p.add_argument(
        "--terms",
        metavar="TERMS.jsonl",
        help="each segment's own term list (WMT23: a JSON list of objects with zh/en or src/tgt per line): WMT's term success, raw and lemmatized; with --model also enforced",
    )
    d = p.add_argument_group(
        "drafting on the spot",
        "with --model, the sources are drafted now (one segment per line) and scored beside the files",
    )
    d.add_argument(
        "--model", metavar="ID|DIR", help="draft the sources with this model (hub id or directory)"
    )
    d.add_argument(
        "--engine", choices=backend_names(), default="transformers", help="backend (default transformers)"
    )
    d.add_argument("--beam", type=options.beam_size, default=4, metavar="N", help="beam size (default 4)")
    d.add_argument("--device", choices=DEVICES, default="auto", help="default auto: CUDA when present")
    d.add_argument(
        "--threads",
        type=options.thread_count,
        metavar="N",
        help="compute threads (default: all cores but one)",
    )
    d.add_argument(
        "--draft",
        choices=[m.value for m in DraftMode],
        help="without the glossary, with it enforced, or both side by side (default: glossary when --glossary is given, else plain)",
    )
    p.add_argument("--format", choices=FORMATS, default="text", help="text table (default) or json")
    p.add_argument("--quiet", action="store_true", help="no progress bar while drafting")
    p.add_argument("--per-segment", action="store_true", help="also score every segment")
    p.set_defaults(func=run_evaluate)


def run_evaluate(args: argparse.Namespace) -> int:
    """Score the systems and print the table (or JSON)."""
    from pathlib import Path

    from workbench.formats.lines import read_lines
    from workbench.jobs.evaluate import evaluate, load_system
    from workbench.jobs.evaluate_report import as_json, render_text
    from workbench.jobs.testsets import load_test_set

    references = [read_lines(r) for r in args.reference]
    names = [str(r) for r in args.reference]
    sources = read_lines(args.source) if args.source else None
    if args.test_set:
        test = load_test_set(args.test_set)
        if references or sources is not None:
            raise WorkbenchError(
                "--test-set supplies the sources and references; leave out --source and --reference"
            )
        references, sources, names = test.references, test.sources, [test.description]
    glossary = None
    if args.glossary:
        from workbench.terms.context import GlossaryContext

        glossary = GlossaryContext.load(args.glossary)
        glossary.description = f"{', '.join(Path(g).name for g in args.glossary)} ({len(glossary.termbase or ())} entries, sha256:{glossary.digest})"
    term_lists = None
    if args.terms:
        from workbench.terms.wmt import parse_term_lists

        term_lists = parse_term_lists(read_lines(args.terms), args.terms)
    if not args.hypothesis and not args.model:
        raise WorkbenchError("give --hypothesis H (repeatable) or --model M to draft the sources now")
    systems = [load_system(h) for h in args.hypothesis]
    if args.model:
        systems += _drafted(args, sources, glossary, term_lists)
    result = evaluate(
        systems,
        references=references,
        reference_names=names,
        sources=sources,
        glossary=glossary,
        test_set=test.name if args.test_set else None,
        per_segment=args.per_segment,
        term_lists=term_lists,
    )
    for note in result.notes:
        print(f"workbench: evaluate: {note}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(as_json(result, args.per_segment), ensure_ascii=False, indent=2))
    else:
        print(render_text(result, args.per_segment), end="")
    return 0


def _drafted(
    args: argparse.Namespace,
    sources: list[str] | None,
    glossary: GlossaryContext | None,
    term_lists: Sequence[Sequence[ListedTerm]] | None = None,
) -> list[System]:
    """The systems ``--model`` drafts from the sources."""
    from functools import partial

    from workbench.commands.progress import progress_bar
    from workbench.jobs.engines import EngineOptions
    from workbench.jobs.evaluate_drafts import DraftMode, DraftSettings, draft_systems

    if sources is None:
        raise WorkbenchError("--model drafts the sources: give --source S or --test-set NAME")
    enforce = glossary or term_lists is not None
    mode = DraftMode(args.draft) if args.draft else (DraftMode.GLOSSARY if enforce else DraftMode.PLAIN)
    settings = DraftSettings(
        EngineOptions(args.engine, args.model, args.device, args.threads), args.beam, mode
    )
    return draft_systems(sources, settings, glossary, partial(progress_bar, quiet=args.quiet), term_lists)
