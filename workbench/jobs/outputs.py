"""The one output writer of ``translate``: where each input's outputs go, and writing them.

Outputs never clobber inputs or each other. Each input ``DIR/…/name.ext`` gets ``OUT/…/name.md``,
``.jsonl`` and ``.tmx``, mirroring the inputs' folders below their common folder (one input, or several
in one folder, give ``OUT/name.*``); an output path that is one of the inputs is refused before any
work, and the output folder is checked for writing before the first draft.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from glob import escape as glob_escape
from pathlib import Path
from typing import Any

from workbench.atomic import writable_target
from workbench.errors import WorkbenchError
from workbench.formats.exporters import ExportKind, ExportOptions, export
from workbench.guard import Signature, check_output
from workbench.records import DocumentRecord, Draft, Origin, ParagraphRecord, SegmentRecord, Status, TermNote
from workbench.safexml import xml_clean
from workbench.terms.checks import attach_qa
from workbench.terms.context import GlossaryContext
from workbench.terms.ledger import apply_ledger

#: What ``translate`` writes for each input, by suffix (the Word files only for a Word input).
SUFFIXES = (".md", ".jsonl", ".tmx", ".en.docx", ".review.docx")
#: The Word outputs of a Word input: the translated document and the bilingual review table.
_WORD_OUTPUTS = ((".en.docx", "stacked"), (".review.docx", "table"))
#: The signature an existing output must carry to be replaced (workbench.guard), by suffix.
_SIGNATURES = {
    ".md": Signature.MARKDOWN,
    ".jsonl": Signature.JSONL_DRAFTS,
    ".tmx": Signature.TMX,
    ".en.docx": Signature.DOCX,
    ".review.docx": Signature.DOCX,
}


def output_suffixes(source: str | os.PathLike[str]) -> tuple[str, ...]:
    """The suffixes ``translate`` writes for ``source`` (plain runs; the project mode has no ``.jsonl``)."""
    word = tuple(s for s, _ in _WORD_OUTPUTS) if Path(source).suffix.lower() == ".docx" else ()
    return (".md", ".jsonl", ".tmx", *word)


@dataclass(frozen=True)
class OutputPlan:
    """Where the outputs of each input go: ``base`` + a suffix of :data:`SUFFIXES`."""

    out_dir: Path
    bases: dict[Path, Path]

    def base(self, source: str | os.PathLike[str]) -> Path:
        """The output path of ``source`` without suffix."""
        return self.bases[Path(source).resolve()]


def plan_outputs(inputs: Sequence[str | os.PathLike[str]], out_dir: Path) -> OutputPlan:
    """Name the outputs of ``inputs`` under ``out_dir`` and make sure they are safe to write.

    Raises:
        WorkbenchError: an output would overwrite an input, or two inputs would share outputs, or the
            output guard refuses an output (a protected file, or an existing file that is not ours).
    """
    paths = [Path(p).resolve() for p in inputs]
    common = Path(os.path.commonpath([str(p.parent) for p in paths])) if paths else Path.cwd()
    out = out_dir.resolve()
    bases: dict[Path, Path] = {}
    taken: dict[Path, Path] = {}
    for p in paths:
        base = out / p.relative_to(common).with_suffix("")
        for suffix in SUFFIXES:
            target = base.with_name(base.name + suffix)
            if target in paths or (target.exists() and target.samefile(p)):
                raise WorkbenchError(
                    f"{p}: its output {target} would overwrite the input; choose another --out folder"
                )
            if target in taken and taken[target] != p:
                raise WorkbenchError(
                    f"{taken[target]} and {p} would both write {target}; translate them apart"
                )
            taken[target] = p
            if suffix in output_suffixes(p) and os.path.lexists(
                target
            ):  # the writer's check, before drafting
                check_output(target, writable_target(target), kinds={_SIGNATURES[suffix]})
        bases[p] = base
    return OutputPlan(out_dir, bases)


def check_writable(folder: Path) -> None:
    """Create ``folder`` if needed and make sure a file can be written there (before any drafting).

    Raises:
        WorkbenchError: it cannot be created or written.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".workbench-probe-"):
            pass
    except OSError as exc:
        raise WorkbenchError(f"{folder}: cannot write the outputs there: {exc.strerror or exc}") from exc


def build_record(
    document: Any,
    sources: Sequence[tuple[int, int, str]],
    drafts: Sequence[Draft | None],
    *,
    signature: str = "",
    glossary: GlossaryContext | None = None,
) -> DocumentRecord:
    """The neutral record of a drafted document (what the exporters read).

    Args:
        document: The ``workbench.text.model.Document``.
        sources: ``(paragraph, segment index, source)`` of every drafted segment, as drafted.
        drafts: One per entry of ``sources`` (None: not drafted).
        signature: Text form of the drafts' signature.
        glossary: When given, each drafted segment gets its TermNotes.

    Every drafted segment also gets its QA notes (:func:`workbench.terms.checks.attach_qa`).
    """
    if len(drafts) != len(sources):
        raise ValueError("one draft per segment expected")
    by_par: dict[int, list[SegmentRecord]] = {}
    for (par, k, source), draft in zip(sources, drafts, strict=True):
        record = SegmentRecord(paragraph=par, index=k, source=source)
        if draft is not None and draft.error is None:
            record.draft = draft.text
            record.status = Status.DRAFTED
            record.origin = Origin.MT
            record.signature = signature
            if glossary:
                record.terms = apply_ledger(glossary.check(source, draft.text), draft)
        by_par.setdefault(par, []).append(record)
    script = getattr(document, "script", "simplified")
    doc_record = DocumentRecord(
        name=Path(document.path).name if document.path else "document",
        source_path=str(document.path),
        script=script,
        src_lang="zh-TW" if script == "traditional" else "zh-CN",
        paragraphs=[
            ParagraphRecord(p.index, p.kind, p.text, tuple(p.lines), by_par.get(p.index, []))
            for p in document.paragraphs
        ],
        glossary=glossary.description if glossary else "",
        signature=signature,
    )
    return attach_qa(doc_record)


def term_row(note: TermNote) -> dict[str, Any]:
    """A JSONL ``terms`` entry: source, target, ok, problem and, from the term ledger, how, cost and doubt."""
    row: dict[str, Any] = {
        "source": note.source,
        "target": note.target,
        "ok": note.ok,
        "problem": note.problem,
    }
    if note.how:
        row["how"] = note.how
        row["cost"] = note.cost
        row["doubt"] = note.doubt
    return row


def jsonl_rows(record: DocumentRecord, drafts: Sequence[Draft | None]) -> list[dict[str, Any]]:
    """One JSON object per segment: paragraph, index, segment, source, draft, score, n_tokens, signature
    (and ``unmet``/``unmet_reasons``/``terms``/``qa`` when there are any; ``error``, with ``draft`` null, for a
    segment whose drafting failed)."""
    rows = []
    for n, (seg, draft) in enumerate(zip(record.segments(), drafts, strict=True)):
        row: dict[str, Any] = {
            "paragraph": seg.paragraph,
            "index": seg.index,
            "segment": n,
            "source": xml_clean(seg.source),
            "draft": xml_clean(seg.draft) if seg.draft is not None else None,
            "score": round(draft.score, 4) if draft is not None and draft.error is None else None,
            "n_tokens": draft.n_tokens if draft is not None and draft.error is None else None,
            "signature": seg.signature,
        }
        if draft is not None and draft.error is not None:
            row["error"] = draft.error
        if draft is not None and draft.unmet:
            row["unmet"] = list(draft.unmet)
            if draft.reasons:
                row["unmet_reasons"] = {u: draft.reasons[u] for u in draft.unmet if u in draft.reasons}
        if seg.terms:
            row["terms"] = [term_row(t) for t in seg.terms]
        if seg.qa:
            row["qa"] = [
                {"check": q.check, "message": q.message, **({"count": q.count} if q.count > 1 else {})}
                for q in seg.qa
            ]
        rows.append(row)
    return rows


def remove_stale_temps(base: Path) -> list[Path]:
    """Delete what killed runs' atomic writes of ``base``'s outputs left behind (``.page.tmx.*.tmp``).

    Only for a writer that owns the output folder (the done-state refuses a second run there): another
    process's write in progress would lose its temporary file.

    Returns:
        The files removed.
    """
    removed = []
    for suffix in SUFFIXES:
        for stale in base.parent.glob(f".{glob_escape(base.name + suffix)}.*.tmp"):
            try:
                stale.unlink()
            except OSError:
                continue  # gone already, or left for the next run: not worth failing this one
            removed.append(stale)
    return removed


def write_outputs(
    record: DocumentRecord, base: Path, rows: Sequence[dict[str, Any]] | None = None
) -> list[Path]:
    """Write ``base.md`` (bilingual Markdown), ``base.jsonl`` (when ``rows`` are given) and ``base.tmx``;
    for a Word source also ``base.en.docx`` (the translated document) and ``base.review.docx``.

    Returns:
        The files written, in that order.
    """
    from workbench.atomic import write_text_atomic

    base.parent.mkdir(parents=True, exist_ok=True)
    md = base.with_name(base.name + ".md")
    export(ExportKind.MARKDOWN, [record], md)
    written = [md]
    if rows is not None:
        jsonl = base.with_name(base.name + ".jsonl")
        write_text_atomic(jsonl, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        written.append(jsonl)
    tmx = base.with_name(base.name + ".tmx")
    export(ExportKind.TMX, [record], tmx)
    written.append(tmx)
    if Path(record.source_path).suffix.lower() == ".docx":
        for suffix, layout in _WORD_OUTPUTS:
            path = base.with_name(base.name + suffix)
            export(ExportKind.DOCX, [record], path, options=ExportOptions(layout=layout))
            written.append(path)
    return written
