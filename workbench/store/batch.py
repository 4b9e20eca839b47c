"""The resumable batch run behind ``workbench translate --project``.

Order of work, each step committed before the next so a kill at any moment loses at most one batch:

1. import the documents (idempotent by path + content hash), record the glossary;
2. fill exact translation-memory matches (status ``tm-exact``) and store fuzzy matches, one transaction each;
3. draft, in document order, every segment that is ``new`` or whose draft was made with different glossary
   term hits; batch by batch, each batch one transaction.

Batches are fixed-size slices of the pending list in document order, so a resumed run cuts exactly the
batches an uninterrupted run would have cut (each batch commits whole): the drafts are identical.
Segments a person edited or approved, and TM exact matches, are never re-drafted or overwritten.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench import __version__
from workbench.store.project import FuzzyMatch, Project, SegmentRow

if TYPE_CHECKING:
    from workbench.mt.engine import Engine, TermConstraint
    from workbench.store.tm import TranslationMemory
    from workbench.text.model import Document

DEFAULT_BATCH_SIZE = 8


def hits_hash(constraints: Sequence[TermConstraint]) -> str:
    """A short hash of a segment's glossary term hits (what the draft must honour); stable across runs."""
    data = json.dumps(
        [[c.source, list(c.allowed), list(c.forbidden)] for c in constraints],
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


@dataclass
class BatchReport:
    """What a batch run did.

    Attributes:
        doc_ids: Project ids of the documents given.
        segments: Segments in those documents.
        tm_exact: Segments filled from the translation memory in this run.
        fuzzy: Segments that got fuzzy matches stored.
        drafted: Segments drafted in this run (new ones).
        redrafted: Drafted segments drafted again because their glossary term hits changed.
        kept_human: Segments left alone because a person edited or approved them.
        pending: Segments that still needed a draft when the run stopped (0 when finished).
        cancelled: True when stopped early by the cancel event.
        to_tm: Approved segments newly added to the translation memory.
        unmet: Glossary terms the engine could not place, ``(segment id, term)``.
    """

    doc_ids: list[int] = field(default_factory=list)
    segments: int = 0
    tm_exact: int = 0
    fuzzy: int = 0
    drafted: int = 0
    redrafted: int = 0
    kept_human: int = 0
    pending: int = 0
    cancelled: bool = False
    to_tm: int = 0
    unmet: list[tuple[int, str]] = field(default_factory=list)


def run_batch(
    project: Project,
    documents: Sequence[Document],
    *,
    load_engine: Callable[[], Engine],
    tm: TranslationMemory | None = None,
    termbase: Any | None = None,
    glossary_paths: Sequence[Path | str] = (),
    beam: int = 4,
    batch_size: int = DEFAULT_BATCH_SIZE,
    fuzzy_min: float = 75,
    cancel: threading.Event | None = None,
    progress: Callable[[int, int], None] | None = None,
    log: Callable[[str], None] | None = None,
) -> BatchReport:
    """Import ``documents`` into ``project`` and draft what is not drafted yet, committing every batch.

    Args:
        project: The open project.
        documents: Ingested documents (``workbench.text.load_document``).
        load_engine: Called once, only when something needs a draft.
        tm: Translation memory for exact (used) and fuzzy (stored) matches; None to skip.
        termbase: Glossary (``workbench.terms.TermBase``) for constraints and term-hit hashes; None for none.
        glossary_paths: The glossary files, recorded in the project.
        beam: Beam size.
        batch_size: Segments per batch (= per transaction).
        fuzzy_min: Lowest fuzzy score stored.
        cancel: Set it (e.g. on Ctrl-C) to stop after the current batch.
        progress: ``progress(done, total)`` after every batch.
        log: Receives one-line notes for the user.

    Returns:
        A :class:`BatchReport`.
    """
    say = log or (lambda _msg: None)
    report = BatchReport()
    report.doc_ids = [project.add_document(d) for d in documents]
    project.set_glossary(list(glossary_paths))
    segs: list[SegmentRow] = [s for doc_id in dict.fromkeys(report.doc_ids) for s in project.segments(doc_id)]
    report.segments = len(segs)

    matcher = None
    if termbase is not None:
        from workbench.terms import Matcher

        matcher = Matcher(termbase)
    constraints: dict[int, list[TermConstraint]] = {}
    hashes: dict[int, str] = {}
    for s in segs:
        if matcher is not None:
            from workbench.terms import constraints_for

            constraints[s.id] = constraints_for(matcher.find(s.source))
        else:
            constraints[s.id] = []
        hashes[s.id] = hits_hash(constraints[s.id])

    open_segs = [s for s in segs if s.status in ("new", "drafted")]
    report.kept_human = sum(1 for s in segs if s.status in ("edited", "approved"))
    if tm is not None:
        # Approved work goes into the memory (approved in the UI without a TM, or imported from XLIFF).
        from workbench.store.tm import TMUnit

        report.to_tm = tm.add_many(
            TMUnit(s.source, s.final, origin=str(project.path)) for s in segs if s.status == "approved" and s.final
        )
        exact = []
        for s in open_segs:
            unit = tm.exact(s.source)
            if unit is not None:
                exact.append((s.id, unit.target))
        if exact:
            project.apply_tm_many(exact)
        report.tm_exact = len(exact)
        exact_ids = {i for i, _ in exact}
        fuzzy = []
        for s in segs:
            if s.status in ("edited", "approved", "tm-exact") or s.id in exact_ids:
                continue
            found = tm.fuzzy(s.source, min_score=fuzzy_min)
            if found or project.fuzzy_matches(s.id):
                fuzzy.append((s.id, [FuzzyMatch(u.score, u.source, u.target, u.origin) for u in found]))
        if fuzzy:
            project.set_fuzzy_many(fuzzy)
        report.fuzzy = sum(1 for _, m in fuzzy if m)
        open_segs = [s for s in open_segs if s.id not in exact_ids]

    # A draft stored without a hits hash (e.g. made in the UI) is kept: its term hits are unknown.
    pending = [
        s for s in open_segs if s.status == "new" or (s.hits_hash is not None and s.hits_hash != hashes[s.id])
    ]
    report.pending = len(pending)
    if not pending:
        say("nothing to draft: every segment is drafted, edited, approved or filled from the TM")
        return report
    redraft = sum(1 for s in pending if s.status == "drafted")
    if redraft:
        say(f"re-drafting {redraft} segment(s) whose glossary term hits changed")
    engine = load_engine()
    signature: dict[str, Any] = dict(engine.signature())
    signature["beam"] = str(beam)
    signature.setdefault("app_version", __version__)
    signature["glossary"] = termbase.digest() if termbase is not None else ""

    done = 0
    total = len(pending)
    for start in range(0, total, batch_size):
        if cancel is not None and cancel.is_set():
            report.cancelled = True
            break
        batch = pending[start : start + batch_size]
        cons = [constraints[s.id] for s in batch]
        drafts = engine.translate(
            [s.source for s in batch], beam=beam, constraints=cons if any(cons) else None
        )
        project.set_drafts(
            [(s.id, d, hashes[s.id]) for s, d in zip(batch, drafts, strict=True)], signature=signature
        )
        for s, d in zip(batch, drafts, strict=True):
            report.unmet.extend((s.id, u) for u in d.unmet)
            if s.status == "drafted":
                report.redrafted += 1
            else:
                report.drafted += 1
        done += len(batch)
        report.pending = total - done
        if progress is not None:
            progress(done, total)
    return report
