"""``workbench analyze PATH... | P.wbproj``: segments, characters, words, repetitions and TM match bands."""

from __future__ import annotations

import argparse
import csv
import io
import json
from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.jobs.analysis import Analysis, Counts

FORMATS = ("text", "json", "csv")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``analyze`` sub-command."""
    p = subparsers.add_parser(
        "analyze",
        help="CAT analysis: segments, Han characters, repetitions, TM match bands (per document and total)",
        description="Count what a quote, an invoice or a deadline is based on, per document and in total: "
        "segments, Han characters, characters without spaces, English words of drafts and finals, repetitions "
        "and translation-memory match bands (101, 100, 95-99, 85-94, 75-84, 50-74, no match). Give source "
        "files (text, Markdown, Word, PDF) or one project. docs/how-to/cat-tools.md defines each count.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="source file(s), or one .wbproj project")
    p.add_argument(
        "--tm", metavar="PATH", help="TM file (default: the per-user one, if it exists; none: no bands)"
    )
    p.add_argument("--format", choices=FORMATS, default="text", help="text (default), json or csv")
    p.set_defaults(func=run_analyze)


def run_analyze(args: argparse.Namespace) -> int:
    """Analyse and print."""
    import contextlib
    from pathlib import Path

    from workbench.jobs.analysis import analysis_table, analyze, file_segments, project_documents
    from workbench.store.project import Project
    from workbench.store.tm import TranslationMemory, default_tm_path

    projects = [p for p in args.paths if p.endswith(".wbproj")]
    if projects and len(args.paths) > 1:
        raise WorkbenchError("analyze: give source files or one project, not both")
    tm_path = Path(args.tm) if args.tm else default_tm_path()
    with contextlib.ExitStack() as stack:
        tm = None
        if args.tm or tm_path.exists():
            tm = stack.enter_context(TranslationMemory.open(tm_path, create=False, readonly=True))
        if projects:
            with Project.open(projects[0], readonly=True) as project:
                documents = project_documents(project)
        else:
            documents = [(Path(p).name, file_segments(p)) for p in args.paths]
        result = analyze(documents, tm)
    if args.format == "json":
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    elif args.format == "csv":
        print(to_csv(result), end="")
    else:
        print(analysis_table(result))
    return 0


def _row(counts: Counts) -> list[int]:
    return [
        counts.segments,
        counts.han_characters,
        counts.characters,
        counts.repetitions,
        *counts.match_bands.values(),
        counts.draft_words,
        counts.final_words,
    ]


def to_csv(result: Analysis) -> str:
    """One row per document and a ``TOTAL`` row."""
    from workbench.jobs.analysis import Band

    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(
        [
            "document",
            "segments",
            "han_characters",
            "characters",
            "repetitions",
            *(b.value for b in Band),
            "draft_words",
            "final_words",
        ]
    )
    for name, counts in result.documents:
        w.writerow([name, *_row(counts)])
    w.writerow(["TOTAL", *_row(result.total)])
    return out.getvalue()
