"""Drafting a whole document: batches with a callback after each, glossary constraints and checks,
and the in-memory ``DocumentRecord`` the exporters consume.

``draft_in_batches`` is the one loop every caller shares: the batch CLI collects the drafts, the
project mode commits each batch as it comes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.mt.engine import Draft, Engine, ProgressFn, TermConstraint
from workbench.records import DocumentRecord, ParagraphRecord, SegmentRecord, TermNote

DEFAULT_BATCH_SIZE = 64
#: ``on_batch(indices, drafts)``: indices into ``sources`` and their drafts, after each batch.
OnBatch = Callable[[list[int], list[Draft]], None]


def draft_in_batches(
    engine: Engine,
    sources: Sequence[str],
    *,
    beam: int = 4,
    constraints: Sequence[Sequence[TermConstraint]] | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_batch: OnBatch | None = None,
    cancel: threading.Event | None = None,
    progress: ProgressFn | None = None,
) -> list[Draft | None]:
    """Draft ``sources`` in batches of similar length, calling ``on_batch`` after each one.

    Batches are cut from the sources sorted by length (so the engine's own length-sorted
    sub-batches stay full); ``on_batch`` receives the original indices. When ``cancel`` is set the
    loop stops after the batch in progress, which is finished and reported, never thrown away.

    Args:
        engine: A loaded engine (``workbench.mt.registry.load_engine``).
        sources: Source segments.
        beam: Beam size.
        constraints: Per source, glossary constraints (or None).
        batch_size: Segments per batch (a caller's unit of commit).
        on_batch: Called with ``(indices, drafts)`` after every batch.
        cancel: Stop after the current batch when set.
        progress: ``progress(done, total)`` in segments, also within a batch.

    Returns:
        Drafts in source order; None for segments not reached because of ``cancel``.
    """
    total = len(sources)
    drafts: list[Draft | None] = [None] * total
    order = sorted(range(total), key=lambda i: (-len(sources[i]), i))
    done = 0
    if progress is not None:
        progress(0, total)
    for start in range(0, total, max(1, batch_size)):
        if cancel is not None and cancel.is_set():
            break
        indices = sorted(order[start : start + batch_size])
        cons = None
        if constraints is not None:
            cons = [list(constraints[i]) for i in indices]
            if not any(cons):
                cons = None

        def inner(d: int, _t: int, base: int = done) -> None:
            if progress is not None:
                progress(base + d, total)

        batch = engine.translate([sources[i] for i in indices], beam=beam, constraints=cons, progress=inner)
        for i, draft in zip(indices, batch, strict=True):
            drafts[i] = draft
        done += len(indices)
        if on_batch is not None:
            on_batch(indices, batch)
        if progress is not None:
            progress(done, total)
    return drafts


@dataclass
class GlossaryContext:
    """A loaded term base and its matcher, with per-segment constraints and checks."""

    termbase: Any
    description: str
    matcher: Any = None
    _hits: dict[str, list] = field(default_factory=dict)

    @classmethod
    def load(cls, paths: Sequence[str | Path]) -> GlossaryContext:
        """Load term bases (``workbench.terms``); raises WorkbenchError ``FILE:LINE: ...`` on bad rows."""
        from workbench.terms import Matcher, load_termbase

        termbase = load_termbase([str(p) for p in paths])
        names = ", ".join(Path(p).name for p in paths)
        return cls(termbase, f"{names} ({termbase.digest()})", Matcher(termbase))

    def hits(self, source: str) -> list:
        if source not in self._hits:
            self._hits[source] = self.matcher.find(source)
        return self._hits[source]

    def constraints(self, source: str) -> list[TermConstraint]:
        from workbench.terms import constraints_for

        return list(constraints_for(self.hits(source)))

    def check(self, source: str, target: str) -> list[TermNote]:
        from workbench.terms import check_target

        return list(check_target(self.hits(source), target))


def document_segments(document: Any) -> list[tuple[int, int, str]]:
    """``(paragraph index, segment index, source)`` for every non-blank segment of a Document.

    Paragraphs that are not sent to MT (running headers, footers) have none.
    """
    from workbench.text.model import is_translated

    return [
        (p.index, k, seg)
        for p in document.paragraphs
        if is_translated(p.kind)
        for k, seg in enumerate(p.segments)
        if seg.strip()
    ]


def build_record(
    document: Any,
    drafts: Sequence[Draft | None],
    *,
    signature: str = "",
    glossary: GlossaryContext | None = None,
    name: str | None = None,
) -> DocumentRecord:
    """The neutral record of a drafted document (what the exporters read).

    Args:
        document: The ``workbench.text.model.Document``.
        drafts: One per entry of ``document_segments(document)`` (None: not drafted).
        signature: The engine signature string.
        glossary: When given, each drafted segment gets its TermNotes.
        name: Document name (default the source file name).
    """
    segs = document_segments(document)
    if len(drafts) != len(segs):
        raise ValueError("one draft per segment expected")
    by_par: dict[int, list[SegmentRecord]] = {}
    for (par, k, source), draft in zip(segs, drafts, strict=True):
        record = SegmentRecord(paragraph=par, index=k, source=source)
        if draft is not None:
            record.draft = draft.text
            record.status = "drafted"
            record.origin = "mt"
            record.signature = signature
            if glossary is not None:
                record.terms = glossary.check(source, draft.text)
        by_par.setdefault(par, []).append(record)
    paragraphs = [
        ParagraphRecord(p.index, p.kind, p.text, tuple(p.lines), by_par.get(p.index, []))
        for p in document.paragraphs
    ]
    script = getattr(document, "script", "simplified")
    return DocumentRecord(
        name=name or (Path(document.path).name if document.path else "document"),
        source_path=str(document.path),
        script=script,
        src_lang="zh-TW" if script == "traditional" else "zh-CN",
        paragraphs=paragraphs,
        glossary=glossary.description if glossary is not None else "",
        signature=signature,
    )


def jsonl_rows(record: DocumentRecord, drafts: Sequence[Draft | None]) -> list[dict]:
    """One JSON object per segment: paragraph, index, source, draft, score, signature, terms."""
    rows = []
    for n, (seg, draft) in enumerate(zip(record.segments(), drafts, strict=True)):
        row: dict[str, Any] = {
            "paragraph": seg.paragraph,
            "index": seg.index,
            "segment": n,
            "source": seg.source,
            "draft": seg.draft,
            "score": round(draft.score, 4) if draft is not None else None,
            "n_tokens": draft.n_tokens if draft is not None else None,
            "signature": seg.signature,
        }
        if draft is not None and draft.unmet:
            row["unmet"] = list(draft.unmet)
        if seg.terms:
            row["terms"] = [
                {"source": t.source, "target": t.target, "ok": t.ok, "problem": t.problem} for t in seg.terms
            ]
        rows.append(row)
    return rows
