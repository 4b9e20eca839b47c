"""The editing session behind the UI: one document of a project, its glossary and its memory.

Everything the UI changes goes through here and straight into the project (each call is its own
transaction in the store), so a crash loses nothing. No Textual import: this module is plain
domain glue and is tested like the rest of the core.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.atomic import write_bytes_atomic
from workbench.errors import InputError, WorkbenchError
from workbench.formats.exporters import ExportKind, ExportOptions, export
from workbench.guard import Replace
from workbench.records import DocumentRecord, Draft, ParagraphRecord, SegmentRecord, Signature, TermNote
from workbench.store.project import Project
from workbench.terms.context import GlossaryContext
from workbench.tui import term_files
from workbench.tui.qa_state import DocumentQA
from workbench.tui.undo import (
    ApprovalStep,
    FileStep,
    SegmentState,
    SegmentStep,
    StructureStep,
    UndoStack,
    read_file,
    restored_status,
)
from workbench.tui.undo import state_of as segment_state

#: Suffix of a project created beside its source file.
PROJECT_SUFFIX = ".wbproj"
#: Suffix of the project's own translation memory, beside the project (approved segments always go there).
PROJECT_TM_SUFFIX = ".tm.sqlite"


@dataclass(frozen=True)
class TermSpan:
    """A glossary term found in a source segment (character offsets) and its approved rendering."""

    start: int
    end: int
    source: str
    target: str


@dataclass(frozen=True)
class TMMatch:
    """A translation-memory suggestion for a segment."""

    score: float
    source: str
    target: str


def project_path_for(source: Path) -> Path:
    """Where the project of a source file lives: ``<file>.wbproj`` beside it."""
    return source.with_name(source.name + PROJECT_SUFFIX)


class Session:
    """One open document of a project plus the glossary and translation memory used to edit it.

    Args:
        project: An open project.
        doc_id: The document shown.
        glossary: Term-base files to check and enforce; when empty, the files recorded in the project
            are used. The project's own glossary file (where added terms go) always joins.
        tm: Optional (user) translation-memory file: fuzzy matches come from it and approved segments go to
            it. Approved segments also always go to the project's own memory (:attr:`project_tm_path`).
    """

    def __init__(
        self, project: Project, doc_id: int, *, glossary: Sequence[Path] = (), tm: Path | None = None
    ) -> None:
        self.project = project
        self.doc_id = doc_id
        self.path = Path(project.path)
        self.glossary_file = self.path.with_suffix(".glossary.tsv")
        #: The project's own translation memory: ``<project>.tm.sqlite`` beside it (created on first approval).
        self.project_tm_path = self.path.with_suffix(PROJECT_TM_SUFFIX)
        self._project_tm: Any = None
        #: The translator's changes in this session, for undo/redo (``workbench.tui.undo``).
        self.history = UndoStack()
        self._visit: SegmentStep | None = None
        self.glossary_paths = [Path(p) for p in glossary] if glossary else self._recorded_glossaries()
        self._tm: Any = None
        if tm is not None:
            from workbench.store.tm import TranslationMemory

            self._tm = TranslationMemory.open(tm)
        self.glossary = GlossaryContext()
        #: The document's QA findings (filled by the editor's passes; see ``workbench.tui.qa_state``).
        self.qa = DocumentQA()
        self.record: DocumentRecord = DocumentRecord(name="")
        self._ids: dict[tuple[int, int], int] = {}
        self._pos: dict[int, tuple[int, int]] = {}
        #: ``segment id -> reason`` of the segments whose drafting failed (``workbench.store.failures``).
        self.failures: dict[int, str] = {}
        self.reload_glossary(record=True)
        self.refresh()

    def _recorded_glossaries(self) -> list[Path]:
        """The glossary files recorded in the project; any that moved away are restored beside it."""
        paths = []
        for i, (name, content) in enumerate(self.project.glossary_files()):
            path = Path(name)
            if not path.exists():  # an edited file wins over the recorded copy; a missing one comes back
                if path.resolve() == self.glossary_file.resolve():
                    path = self.glossary_file
                else:
                    path = self.path.with_name(f"{self.path.stem}.glossary-{i}-{path.name}")
                if not path.exists() or path.read_bytes() != content:
                    write_bytes_atomic(path, content, replace=Replace.EDIT)
            paths.append(path)
        return paths

    # ----- opening -------------------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], *, glossary: Sequence[Path] = (), tm: Path | None = None
    ) -> Session:
        """Open a project, or a source file (creating ``<file>.wbproj`` beside it on first open).

        Raises:
            WorkbenchError: unreadable source, damaged project, no documents.
        """
        path = Path(path)
        if not path.exists():
            raise InputError(f"{path}: no such file")
        if path.is_dir():
            raise InputError(f"{path}: is a folder; open a source text file or a {PROJECT_SUFFIX} project")
        if path.suffix == PROJECT_SUFFIX:
            project = Project.open(path)
            docs = project.documents()
            if not docs:
                raise WorkbenchError(f"{path}: the project holds no document")
            doc_id = docs[0].id
        else:
            from workbench.formats.sources import load_source

            proj_path = project_path_for(path)
            document = load_source(path)  # parse first: a bad file creates no project
            project = Project.open(proj_path, create=not proj_path.exists())
            # Same file: the same document. A changed file becomes a new version that keeps the
            # work of every unchanged segment (the store's rule, shared with `translate --project`).
            doc_id = project.add_document(document)
        return cls(project, doc_id, glossary=glossary, tm=tm)

    def close(self) -> None:
        """Close the project (and memory) files."""
        self.project.close()
        for tm in (self._tm, self._project_tm):
            if tm is not None:
                tm.close()

    # ----- reading -------------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The document's name."""
        return self.record.name

    def refresh(self) -> DocumentRecord:
        """Re-read the whole document from the project (after structural changes)."""
        self.record = self.project.document_record(self.doc_id, check_terms=False, check_qa=False)
        self.qa.forget_document()
        self.failures = self.project.failures(self.doc_id)
        self._ids, self._pos = {}, {}
        by_key = {(s.paragraph, s.index): s.id for s in self.project.segments(self.doc_id)}
        for pi, par in enumerate(self.record.paragraphs):
            for si, seg in enumerate(par.segments):
                sid = by_key[(seg.paragraph, seg.index)]
                self._ids[(pi, si)] = sid
                self._pos[sid] = (pi, si)
        return self.record

    def sync(self, row: Any) -> SegmentRecord:
        """Copy a stored segment row into the in-memory record (no full re-read)."""
        pi, si = self._pos[row.id]
        seg = self.record.paragraphs[pi].segments[si]
        seg.draft, seg.final, seg.status = row.draft, row.final, row.status
        seg.origin, seg.signature, seg.updated = row.origin, row.signature, row.updated
        seg.ledger, seg.cost, seg.doubt = list(row.ledger), row.cost, row.doubt
        return seg

    def paragraph(self, index: int) -> ParagraphRecord:
        """The paragraph at list position ``index``."""
        return self.record.paragraphs[index]

    def segment(self, par: int, seg: int) -> SegmentRecord:
        """Segment ``seg`` of paragraph ``par`` (list positions)."""
        return self.record.paragraphs[par].segments[seg]

    def segment_id(self, par: int, seg: int) -> int:
        """The store's id of the segment at ``(par, seg)``."""
        return self._ids[(par, seg)]

    def position(self, segment_id: int | None) -> tuple[int, int] | None:
        """Where a segment id currently sits, or None."""
        return self._pos.get(segment_id) if segment_id is not None else None

    def positions(self) -> list[tuple[int, int]]:
        """Every ``(paragraph, segment)`` position in document order."""
        return [(pi, si) for pi, p in enumerate(self.record.paragraphs) for si in range(len(p.segments))]

    # ----- glossary ------------------------------------------------------------------------------

    def reload_glossary(self, record: bool = False) -> None:
        """(Re)load the term bases from disk; with ``record`` also store them in the project."""
        paths = [p for p in self.glossary_paths if p.resolve() != self.glossary_file.resolve()]
        if self.glossary_file.exists():
            paths.append(self.glossary_file)
        # A recorded glossary whose files are gone is still used, from the copy in the project.
        self.glossary = GlossaryContext.load(paths, strict=False) if paths else self.project.glossary()
        self.qa.use_terms(self.glossary.check)
        if record and paths:
            self.project.set_glossary(paths)

    def term_spans(self, source: str) -> list[TermSpan]:
        """Where glossary terms occur in ``source``, with their approved renderings."""
        return [TermSpan(h.start, h.end, h.text, h.entry.target) for h in self.glossary.hits(source)]

    def violations(self, seg: SegmentRecord) -> list[TermNote]:
        """Terms the segment's current translation breaks (none while it has no translation)."""
        return self.glossary.violations(seg.source, seg.target)

    def add_term(
        self,
        source: str,
        target: str,
        *,
        alternatives: Sequence[str] = (),
        note: str = "added in the workbench UI",
    ) -> Path:
        """Add a term to the project's glossary file (atomic rewrite), reload and record the glossary.

        Args:
            source: The source term.
            target: Its approved rendering.
            alternatives: Other acceptable renderings.
            note: The entry's note.

        Raises:
            WorkbenchError: empty source/target, or the source already has another approved rendering.
        """
        from workbench.terms import Entry, load_termbase

        source, target = " ".join(source.split()), " ".join(target.split())
        if not source or not target:
            raise WorkbenchError("a term needs both a source and a target")
        for hit in self.glossary.hits(source):
            if hit.start == 0 and hit.end == len(source):
                if hit.entry.target.casefold() == target.casefold():
                    raise WorkbenchError(f"{source} → {target} is already in the glossary")
                raise WorkbenchError(
                    f"{source} is already in the glossary as {hit.entry.target!r} ({hit.entry.location or 'glossary'})"
                )
        path = self.glossary_file
        entries = list(load_termbase([path], strict=False).entries) if path.exists() else []
        try:
            entries.append(Entry(source, target, alternatives=tuple(alternatives), note=note))
        except ValueError as exc:
            raise WorkbenchError(str(exc)) from exc
        self.write_glossary(path, entries, f"term {source} added")
        return path

    def terms_in(self, source: str) -> list[Any]:
        """The glossary entries found in ``source`` (see ``workbench.tui.term_files``)."""
        return term_files.terms_in(self, source)

    def term_file(self, entry: Any) -> Path:
        """The glossary file an entry was read from (see ``workbench.tui.term_files``)."""
        return term_files.term_file(self, entry)

    def edit_term(self, entry: Any, replacement: Any | None) -> Path:
        """Replace (None: delete) a glossary entry in its file (see ``workbench.tui.term_files``)."""
        return term_files.edit_term(self, entry, replacement)

    def write_glossary(self, path: Path, entries: Sequence[Any], label: str, fmt: str = "tsv") -> None:
        """Rewrite a glossary file (atomically), reload and record the glossary, and make it one undo step."""
        from workbench.terms import save_termbase

        before = read_file(path)
        save_termbase(entries, path, fmt, replace=Replace.EDIT)  # the user's glossary, edited on purpose
        self.reload_glossary(record=True)
        self.push(FileStep(path, before, read_file(path), label))

    # ----- translation memory --------------------------------------------------------------------

    def tm_matches(self, par: int, seg: int, limit: int = 5) -> list[TMMatch]:
        """Fuzzy translation-memory matches for a segment, best first."""
        found = [
            TMMatch(m.score, m.source, m.target)
            for m in self.project.fuzzy_matches(self.segment_id(par, seg))
        ]
        source = self.segment(par, seg).source
        if self._tm is not None:
            found.extend(TMMatch(u.score, u.source, u.target) for u in self._tm.fuzzy(source, limit=limit))
        found.extend(self._document_matches(par, seg, source))
        seen: set[tuple[str, str]] = set()
        unique = []
        for m in sorted(found, key=lambda m: -m.score):
            if (m.source, m.target) not in seen:
                seen.add((m.source, m.target))
                unique.append(m)
        return unique[:limit]

    def _document_matches(self, par: int, seg: int, source: str, min_score: float = 75) -> list[TMMatch]:
        """Similar segments of this document that already have a final translation."""
        from rapidfuzz import fuzz

        out = []
        for pi, p in enumerate(self.record.paragraphs):
            for si, s in enumerate(p.segments):
                if (pi, si) == (par, seg) or not s.final:
                    continue
                score = fuzz.ratio(source, s.source)
                if score >= min_score:
                    out.append(TMMatch(round(score, 1), s.source, s.final))
        return out

    # ----- editing (each call is one transaction in the store) ----------------------------------

    def push(self, step: Any) -> None:
        """Record a translator's change for undo (it also ends the current visit's edit step)."""
        self._visit = None
        self.history.push(step)

    def end_visit(self) -> None:
        """The editor left the segment: the next edit of any segment is a new undo step."""
        self._visit = None

    def set_final(self, par: int, seg: int, text: str) -> SegmentRecord:
        """Save the translator's text for a segment (empty text clears the final); all edits of one visit of
        a segment are one undo step."""
        sid = self.segment_id(par, seg)
        before = segment_state(self.segment(par, seg))
        record = self.sync(self.project.set_final(sid, text))
        visit = self._visit
        if (
            visit is not None
            and visit.segment_id == sid
            and self.history.done
            and self.history.done[-1] is visit
        ):
            visit.after = segment_state(record)
            self.history.undone.clear()
        else:
            self.push(SegmentStep(sid, before, segment_state(record), "edit"))
            self._visit = self.history.done[-1]  # type: ignore[assignment]
        return record

    def restore(self, par: int, seg: int, state: SegmentState) -> SegmentRecord:
        """Put back a segment's earlier final text and status (undo/redo; not itself an undo step)."""
        from workbench.records import Origin

        status = restored_status(state, bool(self.segment(par, seg).draft))
        origin = Origin(state.origin) if state.origin and state.final else None
        if not state.final and self.segment(par, seg).draft:
            origin = Origin.MT
        return self.sync(self.project.restore(self.segment_id(par, seg), state.final, status, origin))

    def store_drafts(self, items: Sequence[tuple[int, Draft]], signature: Signature | None = None) -> None:
        """Store one unit of machine drafts ``(segment_id, Draft)`` in one transaction, each with the hash
        of the glossary hits it was made with (so a later batch run knows when it is stale)."""
        items = [(sid, draft) for sid, draft in items if sid in self._pos]  # merged or split away meanwhile
        sources = {sid: self.segment(*self._pos[sid]).source for sid, _ in items}
        self.project.set_drafts(
            [
                (sid, draft, self.glossary.hit_hash(sources[sid]) if sid in sources else None)
                for sid, draft in items
            ],
            signature=signature,
        )
        for sid, _draft in items:
            self.failures.pop(sid, None)
            if sid in self._pos:
                self.sync(self.project.segment(sid))

    def store_failures(self, items: Sequence[tuple[int, str]]) -> None:
        """Record segments whose drafting failed, ``(segment_id, reason)`` (the next drafting retries them)."""
        self.project.set_failures(items)
        self.failures.update(items)

    def failed(self, par: int) -> bool:
        """True when drafting a segment of paragraph ``par`` failed."""
        return any(
            self._ids.get((par, si)) in self.failures
            for si in range(len(self.record.paragraphs[par].segments))
        )

    def accept_draft(self, par: int, seg: int) -> bool:
        """Copy the draft into the final translation; False when there is no draft."""
        s = self.segment(par, seg)
        if not s.draft:
            return False
        self.set_final(par, seg, s.draft)
        return True

    def approve(self, par: int, seg: int) -> SegmentRecord:
        """Approve a segment's translation (final, else draft); it goes to the project's own memory (created
        on first use) and to the user's memory, if one is configured."""
        sid = self.segment_id(par, seg)
        before = segment_state(self.segment(par, seg))
        record = self.sync(self.project.approve(sid))
        step = ApprovalStep(
            sid, before, segment_state(record), pair=(record.source, record.final or "", str(self.path))
        )
        self.push(step.file([self.project_tm(), self._tm]))  # undo takes the unit out again
        return record

    def project_tm(self) -> Any:
        """The project's own translation memory (``<project>.tm.sqlite``), opened or created on first use."""
        if self._project_tm is None:
            from workbench.store.tm import TranslationMemory

            self._project_tm = TranslationMemory.open(self.project_tm_path)
        return self._project_tm

    def merge(self, par: int, *, record: bool = False) -> None:
        """Merge paragraph ``par`` with the next one (with ``record``: as an undo step)."""
        if par + 1 >= len(self.record.paragraphs):
            raise WorkbenchError("the last paragraph has nothing after it to merge with")
        parts = (self.paragraph(par).text, self.paragraph(par + 1).text)
        self.project.merge_paragraphs(self.doc_id, self.paragraph(par).index)
        self.refresh()
        if record:
            self.push(StructureStep(True, par, self.paragraph(par).text, parts, len(parts[0])))

    def split(self, par: int, seg: int, *, record: bool = False) -> None:
        """Split paragraph ``par`` so that segment ``seg`` starts a new paragraph (with ``record``: as an undo
        step)."""
        para = self.paragraph(par)
        if seg <= 0 or seg >= len(para.segments):
            raise WorkbenchError(
                "go to the segment that should start the new paragraph (not the first) to split"
            )
        whole, offset = para.text, _segment_offset(para, seg)
        self.split_at(par, offset)
        if record:
            parts = (self.paragraph(par).text, self.paragraph(par + 1).text)
            self.push(StructureStep(False, par, whole, parts, offset))

    def split_at(self, par: int, offset: int) -> None:
        """Split paragraph ``par`` at character ``offset`` of its text."""
        self.project.split_paragraph(self.doc_id, self.paragraph(par).index, offset)
        self.refresh()

    # ----- exports -------------------------------------------------------------------------------

    def default_export_path(self, suffix: str) -> Path:
        """Default target beside the project: ``<name><suffix>`` (``news.tmx``, ``news-omegat``)."""
        stem = Path(self.path.name.removesuffix(PROJECT_SUFFIX)).stem or "document"
        return self.path.with_name(stem + suffix)

    def export(self, kind: ExportKind, path: Path, options: ExportOptions | None = None) -> Path:
        """Export the document (or, for the glossary formats, the glossary) to ``path`` with the one export
        dispatcher (glossary notes from the session's glossary, QA notes from ``workbench.terms.checks``).

        Returns:
            ``path``.
        """
        record = self.project.document_record(self.doc_id, glossary=self.glossary)
        base = options or ExportOptions()
        options = ExportOptions(layout=base.layout, doc_ids=[self.doc_id])
        export(kind, [record], path, termbase=self.glossary.termbase, options=options)
        return path


def _segment_offset(para: ParagraphRecord, seg: int) -> int:
    """Character offset in the paragraph text where segment ``seg`` starts."""
    text = para.text
    cursor = 0
    for i, s in enumerate(para.segments):
        found = text.find(s.source, cursor)
        if found < 0:
            break
        if i == seg:
            return found
        cursor = found + len(s.source)
    # Segments may differ from the text in whitespace: count non-space characters instead.
    want = sum(len("".join(s.source.split())) for s in para.segments[:seg])
    seen = 0
    for k, ch in enumerate(text):
        if seen == want:
            return k
        if not ch.isspace():
            seen += 1
    raise WorkbenchError("cannot find where that segment starts in its paragraph")
