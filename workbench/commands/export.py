"""``workbench export``: a project as TMX, bilingual Markdown, plain text, XLIFF, TBX/OmegaT glossary,
or a ready OmegaT project."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.commands.options import add_force, positive_int
from workbench.commands.progress import checks_progress
from workbench.errors import WorkbenchError
from workbench.formats.exporters import EXTENSIONS, ExportKind

FORMATS = tuple(k.value for k in ExportKind if k is not ExportKind.OMEGAT)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``export`` sub-command."""
    p = subparsers.add_parser(
        "export",
        help="export a project: TMX, Markdown, text, XLIFF, TBX/TSV glossary, or an OmegaT project",
        description=(
            "Export a project. TMX units are the CAT tool's segments (or paragraphs with --segtype paragraph); "
            "Markdown shows source then translation (or a table with --layout table) with glossary terms and "
            "violations; txt is the English text; xliff is XLIFF 1.2 with segment states; tbx/tsv write the "
            "project's glossary (tsv is OmegaT's tab-separated glossary; name it .txt for OmegaT 3.6); docx is the "
            "translated Word document (a Word source keeps its styles and tables; --layout table: a bilingual "
            "review table). "
            "--omegat DIR writes a ready OmegaT project whose segments are all filled from our TMX."
        ),
    )
    p.add_argument("project", type=Path, help="the .wbproj project file")
    p.add_argument(
        "--format", "-f", choices=FORMATS, help="output format (default: from the --out extension)"
    )
    p.add_argument("--out", "-o", type=Path, help="output file ('-' for standard output with md/txt)")
    p.add_argument("--omegat", type=Path, metavar="DIR", help="write a ready OmegaT project into DIR")
    p.add_argument(
        "--overwrite",
        action="store_true",
        help="with --omegat: replace the files of an existing OmegaT project (its project_save.tmx is kept)",
    )
    p.add_argument("--segtype", choices=("sentence", "paragraph"), default="sentence", help="TMX unit size")
    p.add_argument(
        "--layout",
        choices=("stacked", "table"),
        default="stacked",
        help="Markdown layout; with docx, table writes the bilingual review table instead of the translated document",
    )
    p.add_argument("--src-lang", help="source language tag (default zh-CN, zh-TW for traditional script)")
    p.add_argument("--tgt-lang", help="target language tag (default en-US)")
    p.add_argument(
        "--include-untranslated", action="store_true", help="TMX: also write units without a translation"
    )
    p.add_argument(
        "--document",
        "-d",
        type=positive_int,
        metavar="ID",
        help="export only this document (see workbench status)",
    )
    add_force(p, "--out")
    p.set_defaults(func=run)


def _kind(args: argparse.Namespace) -> ExportKind:
    if args.format:
        return ExportKind(args.format)
    if args.out is None or str(args.out) == "-":
        raise WorkbenchError(
            "give --format (tmx, md, txt, xliff, tbx, tsv) or an --out file with a known extension"
        )
    kind = EXTENSIONS.get(args.out.suffix.lower())
    if kind is None:
        raise WorkbenchError(
            f"cannot tell the format from {args.out.name!r}; give --format ({', '.join(FORMATS)})"
        )
    return kind


def run(args: argparse.Namespace) -> int:
    """Run ``workbench export``."""
    from workbench.atomic import writable_target
    from workbench.formats.exporters import ExportOptions, export, render_text
    from workbench.guard import refuse_protected
    from workbench.lang import normalize_lang
    from workbench.store.project import Project

    if (args.out is None) == (args.omegat is None):
        raise WorkbenchError("give exactly one of --out PATH or --omegat DIR")
    kind = ExportKind.OMEGAT if args.omegat else _kind(args)
    for tag in (args.src_lang, args.tgt_lang):
        if tag:
            normalize_lang(tag)  # refuse a malformed tag before any work
    if not args.project.exists():
        raise WorkbenchError(f"{args.project}: no such project file")

    with Project.open(args.project, readonly=True) as project, checks_progress() as progress:
        if args.out is not None and str(args.out) != "-":
            # Before any work: filling the QA cache writes into the project, which a refusal must not change.
            refuse_protected(args.out, writable_target(Path(args.out)))
        infos = project.documents()
        if args.document is not None:
            infos = [d for d in infos if d.id == args.document]
            if not infos:
                raise WorkbenchError(f"{args.project}: no document {args.document} (see workbench status)")
        glossary_only = kind in (ExportKind.TBX, ExportKind.GLOSSARY_TSV)
        if not infos and not glossary_only:
            raise WorkbenchError(
                f"{args.project}: the project has no documents; add one with workbench translate"
            )
        termbase = project.glossary().termbase
        if glossary_only and termbase is None:
            raise WorkbenchError(f"{args.project}: the project has no glossary to export")
        records = [] if glossary_only else [project.document_record(d.id, progress=progress) for d in infos]
    options = ExportOptions(
        layout=args.layout,
        segtype=args.segtype,
        include_untranslated=args.include_untranslated,
        src_lang=args.src_lang,
        tgt_lang=args.tgt_lang,
        doc_ids=[d.id for d in infos],
        overwrite=args.overwrite,
    )
    if str(args.out) == "-" and kind is ExportKind.DOCX:
        raise WorkbenchError("docx cannot go to standard output; give --out FILE.docx")
    if str(args.out) == "-" and kind in (ExportKind.MARKDOWN, ExportKind.TEXT):
        sys.stdout.write(render_text(kind, records, options))
        return 0
    print(export(kind, records, args.omegat or args.out, termbase=termbase, options=options), file=sys.stderr)
    return 0
