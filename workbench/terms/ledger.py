"""The term ledger on the checked side: each glossary hit's ``how``, ``cost`` and ``doubt`` from its draft,
and the ``forced-term`` QA finding for forced hits in drafts a reviewer should read first
(``docs/how-to/terminology.md``).

On a model that has learned, forcing a glossary rendering it has never seen costs about as much in a
right draft as in a wrong one (the cost says how unfamiliar the rendering is to the model, not whether
the sentence around it is right): measured by ``bench/bench_enforcement.py``, a cost threshold flagged
every forced draft. What separates the wrong ones is the model's doubt about its own unconstrained best
translation of the sentence, the frame the term was put into. A forced hit is flagged when both are
above their thresholds."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Protocol

from workbench.records import Draft, QANote, TermHow, TermLedger, TermNote

#: Forcing cost (log-probability per token) above which a forced hit may be flagged ``forced-term``
#: (``WORKBENCH_FORCED_COST`` overrides): below it the forced draft is about as probable as the model's own.
FORCED_COST = 0.1

#: The model's doubt about its own best (minus its log-probability per token) above which a forced hit
#: is flagged; chosen on the reference model (``bench/bench_enforcement.py``, seeds 1-3; seeds 4-5 held out)
#: (``WORKBENCH_FORCED_DOUBT`` overrides; a different model needs its own).
FORCED_DOUBT = 0.065

#: The ``how`` values that mean the term was forced into the draft.
FORCED = frozenset({TermHow.NBEST.value, TermHow.PLACED.value, TermHow.SEARCHED.value})

#: One-character markers (the UI's glossary panel, Markdown).
MARKERS = {"natural": "=", "nbest": "~", "placed": "+", "searched": "*", "unmet": "!"}


def forced_threshold() -> float:
    """The ``forced-term`` cost threshold: ``$WORKBENCH_FORCED_COST`` when set to a number, else
    :data:`FORCED_COST`."""
    return _number("WORKBENCH_FORCED_COST", FORCED_COST)


def doubt_threshold() -> float:
    """The ``forced-term`` doubt threshold: ``$WORKBENCH_FORCED_DOUBT`` when set to a number, else
    :data:`FORCED_DOUBT`."""
    return _number("WORKBENCH_FORCED_DOUBT", FORCED_DOUBT)


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name, "")
    try:
        return float(raw) if raw.strip() else default
    except ValueError:
        return default


def apply_ledger(notes: Sequence[TermNote], draft: Draft | None) -> list[TermNote]:
    """``notes`` (glossary check of ``draft``'s text) with ``how``, ``cost`` and ``doubt`` from the draft
    (see :func:`ledger_notes`)."""
    if draft is None:
        return list(notes)
    return ledger_notes(notes, draft.ledger, draft.cost, draft.doubt)


def ledger_notes(
    notes: Sequence[TermNote], ledger: Sequence[TermLedger], cost: float | None, doubt: float | None = None
) -> list[TermNote]:
    """``notes`` (glossary check of a machine draft's text) with ``how`` from its ``ledger`` and the
    draft's ``cost`` and ``doubt``.

    A note the check found unsatisfied is ``unmet`` whatever the engine said; a note with no ledger line
    (a draft made without that term as a constraint) keeps ``how`` empty.
    """
    if not ledger:
        return list(notes)
    by_source = {line.source: line for line in ledger}
    out = []
    for note in notes:
        line = by_source.get(note.source)
        if line is None:
            out.append(note)
            continue
        if not note.ok:
            how = (
                f"unmet: {line.reason or note.problem}"
                if line.how == TermHow.UNMET
                else f"unmet: {note.problem}"
            )
        else:
            how = line.how.value
        out.append(replace(note, how=how, cost=cost, doubt=doubt))
    return out


class StoredDraft(Protocol):
    """A stored segment with its machine draft's ledger (a ``SegmentRecord`` or the store's ``SegmentRow``)."""

    @property
    def source(self) -> str: ...
    @property
    def target(self) -> str | None: ...  # the final text, else the draft
    @property
    def draft(self) -> str | None: ...
    @property
    def ledger(self) -> Sequence[TermLedger]: ...
    @property
    def cost(self) -> float | None: ...
    @property
    def doubt(self) -> float | None: ...


def segment_terms(notes: Sequence[TermNote], seg: StoredDraft) -> list[TermNote]:
    """The term notes of a stored segment's target with the ledger of its machine draft.

    The ledger describes the machine draft: it is applied only while the segment's target is that draft
    (drafted, or approved unchanged); a final text a person typed or the TM gave keeps notes without
    ``how``, because the terms in it are the translator's.
    """
    if seg.target is None or seg.target != seg.draft:
        return list(notes)
    return ledger_notes(notes, seg.ledger, seg.cost, seg.doubt)


def draft_notes(seg: StoredDraft, check: Callable[[str, str], Sequence[TermNote]]) -> list[TermNote]:
    """The glossary hits of ``seg``'s machine draft (``check``: the glossary check of a pair) with its ledger;
    none without a draft or a ledger (drafted without a glossary, or stored before drafts kept their ledger).
    """
    if not seg.draft or not seg.ledger:
        return []
    return ledger_notes(check(seg.source, seg.draft), seg.ledger, seg.cost, seg.doubt)


def ledger_to_json(ledger: Sequence[TermLedger]) -> str | None:
    """The ledger as stored (the project's ``segments.ledger``): ``[[source, how, reason], …]``; None when empty."""
    if not ledger:
        return None
    return json.dumps([[line.source, str(line.how), line.reason] for line in ledger], ensure_ascii=False)


def ledger_from_rows(rows: Sequence[Sequence[object]]) -> list[TermLedger]:
    """A ledger from its stored rows ``[[source, how, reason], …]`` (the project, the done-state journal).

    Raises:
        ValueError: a row that is not three cells or an unknown ``how``.
    """
    return [TermLedger(str(src), TermHow(str(how)), str(reason)) for src, how, reason in rows]


def is_forced(note: TermNote, threshold: float | None = None, doubt: float | None = None) -> bool:
    """True when the hit was forced in, its draft's forcing cost is above ``threshold`` and the model's
    doubt about its own best is above ``doubt`` (defaults: :func:`forced_threshold`,
    :func:`doubt_threshold`); a note without a doubt (a draft stored before it was kept) goes by the cost."""
    limit = forced_threshold() if threshold is None else threshold
    unsure = doubt_threshold() if doubt is None else doubt
    if note.how not in FORCED or note.cost is None or note.cost <= limit:
        return False
    return note.doubt is None or note.doubt > unsure


def forced_notes(
    notes: Sequence[TermNote], threshold: float | None = None, doubt: float | None = None
) -> list[QANote]:
    """``forced-term`` QA notes (warnings) for the hits of one segment that :func:`is_forced` flags (one per term)."""
    out: dict[tuple[str, str], QANote] = {}
    for note in notes:
        if is_forced(note, threshold, doubt) and (note.source, note.target) not in out:
            unsure = (
                f" into a sentence the model was unsure of (doubt {note.doubt:.2f})"
                if note.doubt is not None
                else ""
            )
            message = (
                f"{note.source} → {note.target} was {note.how} at a cost of {note.cost:.2f} log-prob per token"
                f"{unsure}: read it first"
            )
            out[(note.source, note.target)] = QANote("forced-term", message, note.target_span)
    return list(out.values())


def marker(how: str) -> str:
    """The one-character marker of a ``how`` value (``!`` for any unmet, empty when unknown)."""
    return MARKERS.get(how.split(":", 1)[0], "")


def ledger_suffix(note: TermNote) -> str:
    """`` (placed, cost 0.42)`` for a note with a ledger, else empty (what exports append to a term note)."""
    if not note.how:
        return ""
    return f" ({note.how}, cost {note.cost:.2f})" if note.cost is not None else f" ({note.how})"


def ledger_summary(notes: Sequence[TermNote]) -> str:
    """``natural 3, placed 2`` over notes with a ledger (empty when none has one)."""
    counts: dict[str, int] = {}
    for note in notes:
        if note.how:
            key = note.how.split(":", 1)[0]
            counts[key] = counts.get(key, 0) + 1
    return ", ".join(f"{k} {v}" for k, v in counts.items())
