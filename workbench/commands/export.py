"""``workbench export``: a project as TMX, bilingual Markdown, plain text, XLIFF, TBX/OmegaT glossary,
or a ready OmegaT project."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.errors import WorkbenchError

FORMATS = ("tmx", "md", "txt", "xliff", "tbx", "tsv", "docx")
_EXTENSIONS = {
    ".tmx": "tmx",
    ".md": "md",
    ".markdown": "md",
    ".txt": "txt",
    ".xlf": "xliff",
    ".xliff": "xliff",
    ".tbx": "tbx",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".utf8": "tsv",
    ".docx": "docx",
}


def register(subparsers: argparse._SubParsersAction) -> None:
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
    p.add_argument("--format", "-f", choices=FORMATS, help="output format (default: from the --out extension)")
    p.add_argument("--out", "-o", type=Path, help="output file ('-' for standard output with md/txt)")
    p.add_argument("--omegat", type=Path, metavar="DIR", help="write a ready OmegaT project into DIR")
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
    p.add_argument("--document", "-d", type=int, metavar="ID", help="export only this document (see workbench status)")
    p.set_defaults(func=run)


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    if args.out is None or str(args.out) == "-":
        raise WorkbenchError("give --format (tmx, md, txt, xliff, tbx, tsv) or an --out file with a known extension")
    fmt = _EXTENSIONS.get(args.out.suffix.lower())
    if fmt is None:
        raise WorkbenchError(f"cannot tell the format from {args.out.name!r}; give --format ({', '.join(FORMATS)})")
    return fmt


def run(args: argparse.Namespace) -> int:
    """Run ``workbench export``."""
    from workbench.atomic import write_text_atomic
    from workbench.formats.common import normalize_lang
    from workbench.store.project import Project

    if (args.out is None) == (args.omegat is None):
        raise WorkbenchError("give exactly one of --out PATH or --omegat DIR")
    fmt = None if args.omegat else _format(args)
    for tag in (args.src_lang, args.tgt_lang):
        if tag:
            normalize_lang(tag)  # refuse a malformed tag before any work
    if not args.project.exists():
        raise WorkbenchError(f"{args.project}: no such project file")

    project = Project.open(args.project, readonly=True)
    try:
        infos = project.documents()
        if args.document is not None:
            infos = [d for d in infos if d.id == args.document]
            if not infos:
                raise WorkbenchError(f"{args.project}: no document {args.document} (see workbench status)")
        if not infos and fmt not in ("tbx", "tsv"):
            raise WorkbenchError(f"{args.project}: the project has no documents; add one with workbench translate")
        doc_ids = [d.id for d in infos]
        langs = {"src_lang": args.src_lang, "tgt_lang": args.tgt_lang}

        if args.omegat is not None:
            from workbench.formats.omegat import export_omegat_project

            records = [project.document_record(i) for i in doc_ids]
            tb = project.termbase()
            write_glossary = None
            if tb is not None:
                from workbench.terms import save_termbase

                def write_glossary(path: Path) -> None:
                    save_termbase(tb, path, "omegat")

            result = export_omegat_project(records, args.omegat, write_glossary=write_glossary, **langs)
            units = sum(r.units for r in result.tmx)
            left = sum(r.untranslated_skipped for r in result.tmx)
            print(
                f"wrote OmegaT project {result.directory}: {len(result.sources)} source file(s), "
                f"{units} TMX unit(s) in tm/auto ({left} untranslated left out), "
                + ("glossary/glossary.txt" if result.glossary else "no glossary (the project has none)"),
                file=sys.stderr,
            )
            return 0

        if fmt in ("tbx", "tsv"):
            from workbench.terms import save_termbase

            tb = project.termbase()
            if tb is None:
                raise WorkbenchError(f"{args.project}: the project has no glossary to export")
            path = save_termbase(tb, args.out, "tbx" if fmt == "tbx" else "omegat")
            print(f"wrote {path}: {len(tb.entries)} term(s)", file=sys.stderr)
            return 0

        records = [project.document_record(i) for i in doc_ids]
        if fmt == "tmx":
            from workbench.formats.tmx import write_tmx

            rep = write_tmx(
                records, args.out, segtype=args.segtype, include_untranslated=args.include_untranslated, **langs
            )
            print(
                f"wrote {rep.path}: {rep.units} unit(s); {rep.untranslated_skipped} untranslated left out, "
                f"{rep.duplicates_merged} duplicate(s) merged, {rep.alternatives} alternative translation(s) kept as props",
                file=sys.stderr,
            )
            return 0
        if fmt == "xliff":
            from workbench.formats.xliff import write_xliff

            path = write_xliff(records, args.out, doc_ids=doc_ids, **langs)
            print(f"wrote {path}: {sum(len(r.segments()) for r in records)} segment(s)", file=sys.stderr)
            return 0

        if fmt == "docx":
            from workbench.formats.docx import write_review_docx, write_translated_docx

            if str(args.out) == "-":
                raise WorkbenchError("docx cannot go to standard output; give --out FILE.docx")
            if len(records) != 1:
                raise WorkbenchError(f"{args.project}: docx holds one document; choose it with --document ID")
            write = write_review_docx if args.layout == "table" else write_translated_docx
            path = write(records[0], args.out)
            print(f"wrote {path}", file=sys.stderr)
            return 0
        if fmt == "md":
            from workbench.formats.markdown import render_markdown

            text = "\n---\n\n".join(render_markdown(r, layout=args.layout) for r in records)
        else:
            from workbench.formats.plain import render_text

            text = "\n".join(t for t in (render_text(r) for r in records) if t)
        if str(args.out) == "-":
            sys.stdout.write(text)
            return 0
        path = write_text_atomic(args.out, text)
        print(f"wrote {path}", file=sys.stderr)
        return 0
    finally:
        project.close()
