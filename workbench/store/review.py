"""Review of a project's segments: comments, the ``reviewed`` status, and a reviewer's changes applied
all at once (the review table's import), each recorded in the history with who made it."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.errors import WorkbenchError
from workbench.records import Origin, Status
from workbench.store.connection import Database
from workbench.store.history import Action, record_change, segment_row, segment_state
from workbench.store.rows import SegmentRow


@dataclass(frozen=True)
class ReviewChange:
    """What a reviewer changed on one segment (None: left as it is).

    Attributes:
        segment_id: The segment.
        final: The new final translation.
        status: The new status.
        comment: The new comment ("" removes it).
    """

    segment_id: int
    final: str | None = None
    status: Status | None = None
    comment: str | None = None


def set_comment(db: Database, segment_id: int, text: str, who: str = "") -> SegmentRow:
    """Set (or, with an empty text, remove) a segment's comment."""
    with db.write() as c:
        record_change(c, segment_id, Action.COMMENT, db.path, who=who, comment=text.strip() or None)
        return segment_row(c, segment_id, db.path)


def set_status(db: Database, segment_id: int, status: Status, who: str = "") -> SegmentRow:
    """Mark a segment ``reviewed`` (or another status) keeping its text; a draft becomes the final.

    Raises:
        WorkbenchError: a status above ``drafted`` for a segment with no translation.
    """
    with db.write() as c:
        _apply(c, db, ReviewChange(segment_id, status=status), who)
        return segment_row(c, segment_id, db.path)


def apply_review(db: Database, changes: Sequence[ReviewChange], who: str = "") -> int:
    """Apply a reviewer's changes in ONE transaction (all or nothing); returns how many segments changed.

    Raises:
        WorkbenchError: a change is impossible (nothing is then applied).
    """
    changed = 0
    with db.write() as c:
        for change in changes:
            changed += _apply(c, db, change, who)
    return changed


def _apply(c: sqlite3.Connection, db: Database, change: ReviewChange, who: str) -> bool:
    state = segment_state(c, change.segment_id, db.path)
    new: dict[str, object] = {}
    final = change.final.strip() if change.final is not None else None
    current = state["final"] or state["draft"]
    if final and final != current:
        new.update(final=final, origin=Origin.HUMAN, status=Status.REVIEWED)
    if change.status is not None and change.status.value != state["status"]:
        if change.status.rank > Status.DRAFTED.rank and not (final or current):
            raise WorkbenchError(f"segment {change.segment_id} has no translation to mark {change.status}")
        new["status"] = change.status
        if change.status.rank > Status.DRAFTED.rank and not state["final"] and "final" not in new:
            new.update(final=current, origin=state["origin"] or Origin.MT)
    if change.comment is not None and (change.comment.strip() or None) != state["comment"]:
        new["comment"] = change.comment.strip() or None
    if not new:
        return False
    action = Action.COMMENT if set(new) == {"comment"} else Action.REVIEW
    record_change(c, change.segment_id, action, db.path, who=who, **new)
    return True
