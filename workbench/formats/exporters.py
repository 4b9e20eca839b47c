"""The one export dispatcher: every way out of the workbench (CLI ``export``, ``translate`` outputs, the UI).

Each format has its own module; this one chooses it, applies the shared options and returns a one-line
report of what was written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from workbench.atomic import write_text_atomic
from workbench.errors import WorkbenchError
from workbench.records import DocumentRecord
from workbench.terms.model import TermBase


class ExportKind(str, Enum):
    """What to write."""

    TMX = "tmx"
    MARKDOWN = "md"
    TEXT = "txt"
    XLIFF = "xliff"
    OMEGAT = "omegat"  # a ready OmegaT project folder
    TBX = "tbx"  # the glossary as TBX-Basic
    GLOSSARY_TSV = "tsv"  # the glossary as OmegaT's tab-separated file
    DOCX = "docx"  # the translated Word document (layout table: the bilingual review table)

    __hash__ = str.__hash__

    def __str__(self) -> str:
        return self.value


#: File extensions that name a format.
EXTENSIONS = {
    ".tmx": ExportKind.TMX,
    ".md": ExportKind.MARKDOWN,
    ".markdown": ExportKind.MARKDOWN,
    ".txt": ExportKind.TEXT,
    ".xlf": ExportKind.XLIFF,
    ".xliff": ExportKind.XLIFF,
    ".tbx": ExportKind.TBX,
    ".tsv": ExportKind.GLOSSARY_TSV,
    ".tab": ExportKind.GLOSSARY_TSV,
    ".utf8": ExportKind.GLOSSARY_TSV,
    ".docx": ExportKind.DOCX,
}


@dataclass(frozen=True)
class ExportOptions:
    """Options some formats take.

    Attributes:
        layout: Markdown ``stacked`` (source, then translation) or ``table``; for Word, ``table`` is
            the bilingual review table instead of the translated document.
        segtype: TMX units: ``sentence`` or ``paragraph``.
        include_untranslated: TMX: also units without a translation.
        src_lang: Source language tag (default from the document's script).
        tgt_lang: Target language tag (default en-US).
        doc_ids: XLIFF: the project's document ids (unit ids that import back).
        overwrite: OmegaT: replace the files of an existing OmegaT project in the folder.
    """

    layout: str = "stacked"
    segtype: str = "sentence"
    include_untranslated: bool = False
    src_lang: str | None = None
    tgt_lang: str | None = None
    doc_ids: Sequence[int | None] | None = None
    overwrite: bool = False


def render_text(
    kind: ExportKind, records: Sequence[DocumentRecord], options: ExportOptions = ExportOptions()
) -> str:
    """Markdown or plain English text of ``records`` (what ``--out -`` prints)."""
    if kind is ExportKind.MARKDOWN:
        from workbench.formats.markdown import render_markdown

        return "\n---\n\n".join(render_markdown(r, layout=options.layout) for r in records)
    if kind is ExportKind.TEXT:
        from workbench.formats.plain import render_text as english

        return "\n".join(t for t in (english(r) for r in records) if t)
    raise WorkbenchError(f"{kind} is not a text format")


def export(
    kind: ExportKind,
    records: Sequence[DocumentRecord],
    path: Path,
    *,
    termbase: TermBase | None = None,
    options: ExportOptions = ExportOptions(),
) -> str:
    """Write ``records`` (or, for the glossary kinds, ``termbase``) to ``path`` as ``kind``.

    Returns:
        A one-line report of what was written.

    Raises:
        WorkbenchError: nothing to export, an unwritable place, a malformed language tag.
    """
    src_lang, tgt_lang = options.src_lang, options.tgt_lang
    if kind in (ExportKind.TBX, ExportKind.GLOSSARY_TSV):
        from workbench.terms import save_termbase

        if termbase is None:
            raise WorkbenchError("there is no glossary to export")
        written = save_termbase(termbase, path, "tbx" if kind is ExportKind.TBX else "omegat")
        return f"wrote {written}: {len(termbase.entries)} term(s)"
    if kind is ExportKind.OMEGAT:
        from workbench.formats.omegat import export_omegat_project
        from workbench.terms import save_termbase

        def write_glossary(p: Path) -> None:
            if termbase is not None:
                save_termbase(termbase, p, "omegat")

        result = export_omegat_project(
            records,
            path,
            write_glossary=write_glossary if termbase is not None else None,
            overwrite=options.overwrite,
            src_lang=src_lang,
            tgt_lang=tgt_lang,
        )
        units = sum(r.units for r in result.tmx)
        left = sum(r.untranslated_skipped for r in result.tmx)
        return (
            f"wrote OmegaT project {result.directory}: {len(result.sources)} source file(s), {units} TMX unit(s) "
            f"in tm/auto ({left} untranslated left out), "
            + ("glossary/glossary.txt" if result.glossary else "no glossary (the project has none)")
        )
    if kind is ExportKind.TMX:
        from workbench.formats.tmx import write_tmx

        rep = write_tmx(
            records,
            path,
            segtype=options.segtype,
            include_untranslated=options.include_untranslated,
            src_lang=src_lang,
            tgt_lang=tgt_lang,
        )
        return (
            f"wrote {rep.path}: {rep.units} unit(s); {rep.untranslated_skipped} untranslated left out, "
            f"{rep.duplicates_merged} duplicate(s) merged, {rep.alternatives} alternative translation(s) kept as props"
        )
    if kind is ExportKind.DOCX:
        from workbench.formats.docx import write_translated_docx
        from workbench.formats.review_table import write_review_docx

        if len(records) != 1:
            raise WorkbenchError("a Word file holds one document; choose it with --document ID")
        write = write_review_docx if options.layout == "table" else write_translated_docx
        return f"wrote {write(records[0], path)}"
    if kind is ExportKind.XLIFF:
        from workbench.formats.xliff import write_xliff

        written = write_xliff(records, path, doc_ids=options.doc_ids, src_lang=src_lang, tgt_lang=tgt_lang)
        return f"wrote {written}: {sum(len(r.segments()) for r in records)} segment(s)"
    return f"wrote {write_text_atomic(path, render_text(kind, records, options))}"
