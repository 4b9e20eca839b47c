"""The editing session behind the UI: one document of a project, its glossary and its memory.

Everything the UI changes goes through here and straight into the project (each call is its own
transaction in the store), so a crash loses nothing. No Textual import: this module is plain
domain glue and is tested like the rest of the core.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.atomic import write_bytes_atomic
from workbench.errors import InputError, WorkbenchError
from workbench.records import DocumentRecord, ParagraphRecord, SegmentRecord, TermNote

#: Suffix of a project created beside its source file.
PROJECT_SUFFIX = ".wbproj"

#: Status order used to summarise a paragraph by its least advanced segment.
STATUS_ORDER = {"new": 0, "drafted": 1, "tm-exact": 2, "edited": 3, "approved": 4}


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


def paragraph_status(par: ParagraphRecord) -> str:
    """A paragraph's status: that of its least advanced segment (``new`` when it has none)."""
    if not par.segments:
        return "new"
    return min((s.status for s in par.segments), key=lambda st: STATUS_ORDER.get(st, 0))


class Session:
    """One open document of a project plus the glossary and translation memory used to edit it.

    Args:
        project: An open ``workbench.store.project.Project``.
        doc_id: The document shown.
        glossary: Term-base files to check and enforce; when empty, the files recorded in the project
            are used. The project's own glossary file (where added terms go) always joins.
        tm: Optional translation-memory file: fuzzy matches come from it and approved segments go to it.
    """

    def __init__(
        self,
        project: Any,
        doc_id: int,
        *,
        glossary: Sequence[Path] = (),
        tm: Path | None = None,
    ) -> None:
        self.project = project
        self.doc_id = doc_id
        self.path = Path(project.path)
        self.glossary_file = self.path.with_suffix(".glossary.tsv")
        if glossary:
            self.glossary_paths = [Path(p) for p in glossary]
        else:
            self.glossary_paths = self._recorded_glossaries()
        self._tm: Any = None
        if tm is not None:
            from workbench.store.tm import TranslationMemory

            self._tm = TranslationMemory.open(tm)
        self._matcher: Any = None
        self._checked: dict[tuple[str, str], list[TermNote]] = {}  # (source, target) -> notes
        self.termbase: Any = None
        self.record: DocumentRecord = DocumentRecord(name="")
        self._ids: dict[tuple[int, int], int] = {}
        self._pos: dict[int, tuple[int, int]] = {}
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
                    write_bytes_atomic(path, content)
            paths.append(path)
        return paths

    # ----- opening -------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        glossary: Sequence[Path] = (),
        tm: Path | None = None,
    ) -> Session:
        """Open a project, or a source file (creating ``<file>.wbproj`` beside it on first open).

        Raises:
            WorkbenchError: unreadable source, damaged project, no documents.
        """
        from workbench.store.project import Project

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
        if self._tm is not None:
            self._tm.close()

    # ----- reading -------------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The document's name."""
        return self.record.name

    def refresh(self) -> DocumentRecord:
        """Re-read the whole document from the project (after structural changes)."""
        self.record = self.project.document_record(self.doc_id, check_terms=False)
        self._ids, self._pos = {}, {}
        by_key = {(s.paragraph, s.index): s.id for s in self.project.segments(self.doc_id)}
        for pi, par in enumerate(self.record.paragraphs):
            for si, seg in enumerate(par.segments):
                sid = by_key[(seg.paragraph, seg.index)]
                self._ids[(pi, si)] = sid
                self._pos[sid] = (pi, si)
        return self.record

    def _sync(self, row: Any) -> SegmentRecord:
        """Copy a stored segment row into the in-memory record (no full re-read)."""
        pi, si = self._pos[row.id]
        seg = self.record.paragraphs[pi].segments[si]
        seg.draft, seg.final, seg.status = row.draft, row.final, row.status
        seg.origin, seg.signature, seg.updated = row.origin, row.signature, row.updated
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

    def position(self, segment_id: int) -> tuple[int, int] | None:
        """Where a segment id currently sits, or None."""
        return self._pos.get(segment_id)

    def positions(self) -> list[tuple[int, int]]:
        """Every ``(paragraph, segment)`` position in document order."""
        return [(pi, si) for pi, p in enumerate(self.record.paragraphs) for si in range(len(p.segments))]

    # ----- glossary ------------------------------------------------------------------------------

    def reload_glossary(self, record: bool = False) -> None:
        """(Re)load the term bases from disk; with ``record`` also store them in the project."""
        from workbench.terms import Matcher, load_termbase

        paths = [p for p in self.glossary_paths if p.resolve() != self.glossary_file.resolve()]
        if self.glossary_file.exists():
            paths.append(self.glossary_file)
        if paths:
            self.termbase = load_termbase(paths, strict=False)
        else:
            self.termbase = self.project.termbase()  # recorded glossary whose files are gone
        self._matcher = Matcher(self.termbase) if self.termbase is not None else None
        self._checked.clear()
        if record and paths:
            self.project.set_glossary(paths)

    def hits(self, source: str) -> list[Any]:
        """Glossary hits in ``source`` (``workbench.terms.Hit``)."""
        return self._matcher.find(source) if self._matcher is not None else []

    def term_spans(self, source: str) -> list[TermSpan]:
        """Where glossary terms occur in ``source``, with their approved renderings."""
        return [TermSpan(h.start, h.end, h.text, h.entry.target) for h in self.hits(source)]

    def check(self, source: str, target: str | None) -> list[TermNote]:
        """Each glossary term of ``source`` and whether ``target`` honours it."""
        from workbench.terms import check_target

        key = (source, target or "")
        cached = self._checked.get(key)
        if cached is not None:
            return cached
        hits = self.hits(source)
        notes = list(check_target(hits, target or "")) if hits else []
        if len(self._checked) > 20000:
            self._checked.clear()
        self._checked[key] = notes
        return notes

    def violations(self, seg: SegmentRecord) -> list[TermNote]:
        """Terms the segment's current translation breaks (none while it has no translation)."""
        if not seg.target:
            return []
        return [n for n in self.check(seg.source, seg.target) if not n.ok]

    def constraints(self, source: str) -> list[Any]:
        """Term constraints for drafting ``source``."""
        from workbench.terms import constraints_for

        hits = self.hits(source)
        return list(constraints_for(hits)) if hits else []

    def add_term(self, source: str, target: str) -> Path:
        """Add a term to the project's glossary file (atomic rewrite), reload and record the glossary.

        Raises:
            WorkbenchError: empty source/target, or the source already has another approved rendering.
        """
        from workbench.terms import Entry, load_termbase, save_termbase

        source, target = " ".join(source.split()), " ".join(target.split())
        if not source or not target:
            raise WorkbenchError("a term needs both a source and a target")
        for hit in self.hits(source):
            if hit.start == 0 and hit.end == len(source):
                if hit.entry.target.casefold() == target.casefold():
                    raise WorkbenchError(f"{source} → {target} is already in the glossary")
                raise WorkbenchError(
                    f"{source} is already in the glossary as {hit.entry.target!r} ({hit.entry.location or 'glossary'})"
                )
        path = self.glossary_file
        entries = list(load_termbase([path], strict=False).entries) if path.exists() else []
        try:
            entries.append(Entry(source, target, note="added in the workbench UI"))
        except ValueError as exc:
            raise WorkbenchError(str(exc)) from exc
        save_termbase(entries, path, "tsv")
        self.reload_glossary(record=True)
        return path

    # ----- translation memory --------------------------------------------------------------------

    def tm_matches(self, par: int, seg: int, limit: int = 5) -> list[TMMatch]:
        """Fuzzy translation-memory matches for a segment, best first."""
        found = [TMMatch(m.score, m.source, m.target) for m in self.project.fuzzy_matches(self.segment_id(par, seg))]
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

    def set_final(self, par: int, seg: int, text: str) -> SegmentRecord:
        """Save the translator's text for a segment (empty text clears the final)."""
        return self._sync(self.project.set_final(self.segment_id(par, seg), text))

    def store_drafts(self, items: Sequence[tuple[int, Any]], signature: dict[str, str] | None = None) -> None:
        """Store one batch of machine drafts ``(segment_id, Draft)`` in one transaction."""
        self.project.set_drafts([(sid, draft, None) for sid, draft in items], signature=signature)
        for sid, _draft in items:
            if sid in self._pos:
                self._sync(self.project.segment(sid))

    def accept_draft(self, par: int, seg: int) -> bool:
        """Copy the draft into the final translation; False when there is no draft."""
        s = self.segment(par, seg)
        if not s.draft:
            return False
        self.set_final(par, seg, s.draft)
        return True

    def approve(self, par: int, seg: int) -> SegmentRecord:
        """Approve a segment's translation (final, else draft); it also goes to the memory, if any."""
        return self._sync(self.project.approve(self.segment_id(par, seg), tm=self._tm))

    def undo(self) -> tuple[int, int] | None:
        """Undo the document's most recent change: a segment change (a burst of typing counts as one),
        or a merge or split (by the inverse split or merge).

        Returns:
            The position of what changed back, or None when there is nothing to undo.

        Raises:
            WorkbenchError: a merge or split whose paragraphs changed since cannot be inverted.
        """
        history = [
            h for h in self.project.history() if h.segment_id in self._pos and not h.undone and h.action != "undo"
        ]
        done = self._undone_structure()
        structure = [
            h
            for h in self.project.history(doc_id=self.doc_id)
            if h.segment_id is None and h.action in ("merge", "split") and h.id not in done
        ]
        if structure and (not history or structure[-1].id > history[-1].id):
            return self._undo_structure(structure[-1], done)
        if not history:
            return None
        last = history[-1]
        steps = 1
        if last.action == "final":
            # A burst of keystrokes on one segment is one undo step.
            for h in reversed(history[:-1]):
                if h.segment_id != last.segment_id or h.action != "final" or _gap(h.at, last.at) > TYPING_BURST_S:
                    break
                steps += 1
                last = h
        row = None
        for _ in range(steps):
            row = self.project.undo_last(last.segment_id) or row
        if row is not None:
            self._sync(row)
        return self._pos.get(last.segment_id)

    def _undone_structure(self) -> set[int]:
        raw = self.project.meta(UNDONE_STRUCTURE_KEY)
        try:
            return {int(i) for i in json.loads(raw)} if raw else set()
        except (ValueError, TypeError):
            return set()

    def _undo_structure(self, entry: Any, done: set[int]) -> tuple[int, int]:
        """Invert a merge (split at the old boundary) or a split (merge again)."""
        index = int(entry.before["index"])
        paras = self.record.paragraphs
        if entry.action == "merge":
            first = entry.before["texts"][0].rstrip()
            if index >= len(paras) or paras[index].text != entry.after["text"]:
                raise WorkbenchError(f"¶ {index + 1} changed after the merge; split it by hand (F9)")
            self.project.split_paragraph(self.doc_id, paras[index].index, len(first))
        else:
            texts = list(entry.after["texts"])
            if index + 1 >= len(paras) or [paras[index].text, paras[index + 1].text] != texts:
                raise WorkbenchError(f"¶ {index + 1} and ¶ {index + 2} changed after the split; merge them by hand (F8)")
            self.project.merge_paragraphs(self.doc_id, paras[index].index)
        # The inverse is itself logged as a merge/split: neither is offered for undo again.
        newest = max(h.id for h in self.project.history(doc_id=self.doc_id))
        self.project.set_meta(UNDONE_STRUCTURE_KEY, json.dumps(sorted(done | {entry.id, newest})))
        self.refresh()
        return index, 0

    def merge(self, par: int) -> None:
        """Merge paragraph ``par`` with the next one."""
        if par + 1 >= len(self.record.paragraphs):
            raise WorkbenchError("the last paragraph has nothing after it to merge with")
        self.project.merge_paragraphs(self.doc_id, self.paragraph(par).index)
        self.refresh()

    def split(self, par: int, seg: int) -> None:
        """Split paragraph ``par`` so that segment ``seg`` starts a new paragraph."""
        para = self.paragraph(par)
        if seg <= 0 or seg >= len(para.segments):
            raise WorkbenchError("go to the segment that should start the new paragraph (not the first) to split")
        offset = _segment_offset(para, seg)
        self.project.split_paragraph(self.doc_id, para.index, offset)
        self.refresh()

    # ----- exports -------------------------------------------------------------------------------

    def default_export_path(self, kind: str) -> Path:
        """Default target beside the project: ``<name>.tmx``, ``<name>.md`` or ``<name>-omegat/``."""
        stem = self.path.name.removesuffix(PROJECT_SUFFIX)
        stem = Path(stem).stem or "document"
        names = {"tmx": f"{stem}.tmx", "markdown": f"{stem}.md", "omegat": f"{stem}-omegat"}
        return self.path.with_name(names[kind])

    def export(self, kind: str, path: Path) -> Path:
        """Export the document as ``tmx``, ``markdown`` or ``omegat`` (a project folder) to ``path``."""
        record = self.project.document_record(self.doc_id, check_terms=True)
        if kind == "tmx":
            from workbench.formats.tmx import write_tmx

            write_tmx(record, path)
        elif kind == "markdown":
            from workbench.atomic import write_text_atomic
            from workbench.formats.markdown import render_markdown

            write_text_atomic(path, render_markdown(record))
        elif kind == "omegat":
            from workbench.formats.omegat import export_omegat_project

            termbase = self.termbase
            writer = None
            if termbase is not None:
                from workbench.terms import save_termbase

                def writer(p: Path) -> None:
                    save_termbase(termbase, p, "omegat")

            export_omegat_project(record, path, write_glossary=writer)
        else:
            raise WorkbenchError(f"unknown export format {kind!r}")
        return path


#: Seconds between keystroke saves that still count as one typing burst for undo.
TYPING_BURST_S = 2.0
#: Project metadata key listing merge/split history entries already undone (or made by an undo).
UNDONE_STRUCTURE_KEY = "tui.undone_structure"


def _gap(earlier: str, later: str) -> float:
    from datetime import datetime

    def parse(t: str) -> datetime:
        return datetime.fromisoformat(t.replace("Z", "+00:00"))

    try:
        return (parse(later) - parse(earlier)).total_seconds()
    except ValueError:
        return float("inf")


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
