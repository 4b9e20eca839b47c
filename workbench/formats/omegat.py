"""A ready-to-open OmegaT project: source text, our TMX in ``tm/auto/`` (so every segment is filled on
load) and our glossary as OmegaT's tab-separated text.

The source is written one paragraph per line with an empty line between paragraphs, UTF-8 with a BOM, so
OmegaT's paragraph split (on empty lines) equals ours and its sentence segmentation gives exactly the
``SegmentRecord`` sources that the TMX carries.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from workbench.atomic import write_text_atomic
from workbench.errors import WorkbenchError
from workbench.formats.common import as_documents, source_lang_for, target_lang_for
from workbench.formats.tmx import TmxReport, write_tmx
from workbench.guard import Replace
from workbench.records import DocumentRecord
from workbench.safexml import xml_clean

PROJECT_DIRS = ("source", "target", "tm/auto", "glossary", "dictionary", "omegat")

_PROJECT_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <source_dir_excludes><mask>**/.git/**</mask></source_dir_excludes>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>{src}</source_lang>
        <target_lang>{tgt}</target_lang>
        <source_tok>org.omegat.tokenizer.LuceneSmartChineseTokenizer</source_tok>
        <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
        <sentence_seg>true</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
"""


def render_source_text(doc: DocumentRecord) -> str:
    """The reconstructed source as OmegaT should read it: one paragraph per line, empty lines between.

    XML-invalid characters (form feeds and other controls) become spaces, exactly as in the TMX, so the
    two agree. No BOM here: callers writing the file add it (``write_text_atomic(..., bom=True)``).
    """
    pars = [xml_clean(p.text).replace("\r", " ").replace("\n", " ") for p in doc.paragraphs]
    return "\n\n".join(p for p in pars if p.strip()) + "\n"


def omegat_project_xml(src_lang: str, tgt_lang: str) -> str:
    """The ``omegat.project`` file for a zh→en project with sentence segmentation."""
    return _PROJECT_XML.format(src=escape(src_lang), tgt=escape(tgt_lang))


_UNSAFE_NAME = re.compile(r"[^\w.\-]+")


def _file_stem(name: str, index: int, used: set[str]) -> str:
    """A file name stem from the document name, safe on every file system and unique in the project."""
    stem = (
        _UNSAFE_NAME.sub("_", Path(name or f"document-{index + 1}").stem).strip("._")
        or f"document-{index + 1}"
    )
    candidate, n = stem, 2
    while candidate.lower() in used:
        candidate, n = f"{stem}-{n}", n + 1
    used.add(candidate.lower())
    return candidate


@dataclass
class OmegatExport:
    """What ``export_omegat_project`` wrote."""

    directory: Path
    sources: list[Path] = field(default_factory=list)
    tmx: list[TmxReport] = field(default_factory=list)
    glossary: Path | None = None


def export_omegat_project(
    doc_or_docs: DocumentRecord | Iterable[DocumentRecord],
    directory: str | os.PathLike[str],
    *,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    write_glossary: Callable[[Path], None] | None = None,
    overwrite: bool = False,
) -> OmegatExport:
    """Write a complete OmegaT project that opens with every translated segment filled.

    Args:
        doc_or_docs: One document record or several (all in one language pair).
        directory: The project folder; created if missing. An existing folder is only accepted when it is
            empty, or when it is already an OmegaT project (its ``omegat.project`` exists) and
            ``overwrite`` is true, so nothing else is clobbered.
        src_lang: Source language tag (default zh-CN, zh-TW for traditional script).
        tgt_lang: Target language tag (default en-US).
        write_glossary: Called with ``glossary/glossary.txt`` to write the term base as OmegaT TSV;
            when None, no glossary file is written.
        overwrite: Replace the ``omegat.project``, source files, ``tm/auto`` memories and glossary of an
            existing OmegaT project (OmegaT's own ``omegat/project_save.tmx`` is never touched).

    Returns:
        An ``OmegatExport`` listing the files written.

    Raises:
        WorkbenchError: Mixed language pairs, a non-empty foreign folder, an existing OmegaT project
            without ``overwrite``, or an unwritable location.
    """
    docs = as_documents(doc_or_docs)
    if not docs:
        raise WorkbenchError("nothing to export: the project has no documents")
    pairs = {(source_lang_for(d, src_lang), target_lang_for(d, tgt_lang)) for d in docs}
    if len(pairs) > 1:
        listed = ", ".join(f"{s}→{t}" for s, t in sorted(pairs))
        raise WorkbenchError(f"an OmegaT project has one language pair, these documents have {listed}")
    sl, tl = pairs.pop()
    root = Path(directory)
    if root.exists():
        if not root.is_dir():
            raise WorkbenchError(f"cannot create OmegaT project {root}: it is a file")
        if any(root.iterdir()) and not (root / "omegat.project").is_file():
            raise WorkbenchError(f"{root} is not empty and not an OmegaT project; choose a new folder")
        if (root / "omegat.project").is_file() and not overwrite:
            raise WorkbenchError(
                f"{root} is already an OmegaT project; give --overwrite to replace its omegat.project, source "
                "files and tm/auto (omegat/project_save.tmx is kept), or choose a new folder"
            )
    try:
        for sub in PROJECT_DIRS:
            (root / sub).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbenchError(f"cannot create OmegaT project {root}: {exc.strerror or exc}") from exc
    result = OmegatExport(directory=root)
    # --overwrite is the user's consent to replace the project's files (never a protected one).
    replace = Replace.CONSENTED if overwrite else Replace.OURS
    write_text_atomic(root / "omegat.project", omegat_project_xml(sl, tl), replace=replace)
    used: set[str] = set()
    for i, doc in enumerate(docs):
        stem = _file_stem(doc.name, i, used)
        text = render_source_text(doc)
        result.sources.append(
            write_text_atomic(root / "source" / f"{stem}.txt", text, bom=True, replace=replace)
        )
        result.tmx.append(write_tmx(doc, root / "tm" / "auto" / f"{stem}.tmx", src_lang=sl, tgt_lang=tl))
    if write_glossary is not None:
        result.glossary = root / "glossary" / "glossary.txt"
        write_glossary(result.glossary)
    return result
