"""Undo in the UI (on a ``workbench.tui.session.Session``): the document's most recent change, a typing burst counting as one step, and merges
and splits undone by the inverse operation. No Textual import: domain glue tested like the core."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from workbench.errors import WorkbenchError
from workbench.store.history import Action

#: Seconds between keystroke saves that still count as one typing burst for undo.
TYPING_BURST_S = 2.0
#: Project metadata key listing merge/split history entries already undone (or made by an undo).
UNDONE_STRUCTURE_KEY = "tui.undone_structure"


def _gap(earlier: str, later: str) -> float:
    def parse(t: str) -> datetime:
        return datetime.fromisoformat(t.replace("Z", "+00:00"))

    try:
        return (parse(later) - parse(earlier)).total_seconds()
    except ValueError:
        return float("inf")


def _undone_structure(session: Any) -> set[int]:
    raw = session.project.meta(UNDONE_STRUCTURE_KEY)
    try:
        return {int(i) for i in json.loads(raw)} if raw else set()
    except (ValueError, TypeError):
        return set()


def undo(session: Any) -> tuple[int, int] | None:
    """Undo the document's most recent change: a segment change (a burst of typing counts as one), or a
    merge or split (by the inverse split or merge).

    Returns:
        The position of what changed back, or None when there is nothing to undo.

    Raises:
        WorkbenchError: a merge or split whose paragraphs changed since cannot be inverted.
    """
    project = session.project
    history = [
        h for h in project.history() if session.position(h.segment_id) is not None and not h.undone and h.action != Action.UNDO
    ]  # fmt: skip
    done = _undone_structure(session)
    structure = [
        h
        for h in project.history(doc_id=session.doc_id)
        if h.segment_id is None and h.action in (Action.MERGE, Action.SPLIT) and h.id not in done
    ]
    if structure and (not history or structure[-1].id > history[-1].id):
        return _undo_structure(session, structure[-1], done)
    if not history:
        return None
    last = history[-1]
    steps = 1
    if last.action == Action.FINAL:
        for h in reversed(history[:-1]):
            if h.segment_id != last.segment_id or h.action != Action.FINAL or _gap(h.at, last.at) > TYPING_BURST_S:
                break
            steps += 1
            last = h
    row = None
    for _ in range(steps):
        row = project.undo_last(last.segment_id) or row
    if row is not None:
        session.sync(row)
    return session.position(last.segment_id)


def _undo_structure(session: Any, entry: Any, done: set[int]) -> tuple[int, int]:
    """Invert a merge (split at the old boundary) or a split (merge again)."""
    project = session.project
    index = int(entry.before["index"])
    paras = session.record.paragraphs
    if entry.action == Action.MERGE:
        first = entry.before["texts"][0].rstrip()
        if index >= len(paras) or paras[index].text != entry.after["text"]:
            raise WorkbenchError(f"¶ {index + 1} changed after the merge; split it by hand (F9)")
        project.split_paragraph(session.doc_id, paras[index].index, len(first))
    else:
        texts = list(entry.after["texts"])
        if index + 1 >= len(paras) or [paras[index].text, paras[index + 1].text] != texts:
            raise WorkbenchError(f"¶ {index + 1} and ¶ {index + 2} changed after the split; merge them by hand (F8)")
        project.merge_paragraphs(session.doc_id, paras[index].index)
    # The inverse is itself logged as a merge/split: neither is offered for undo again.
    newest = max(h.id for h in project.history(doc_id=session.doc_id))
    project.set_meta(UNDONE_STRUCTURE_KEY, json.dumps(sorted(done | {entry.id, newest})))
    session.refresh()
    return index, 0
