"""The edit history of a project: every change of a segment's state is recorded, so it can be undone.

A change is written by :func:`record_change` inside the caller's transaction: the segment's state
columns before and after, the time and the action. Structural edits (merge, split) record the
paragraph texts and any removed segments, so no final text is ever lost.
"""

from __future__ import annotations

import json
import sqlite3
from enum import Enum
from typing import Any

from workbench.errors import WorkbenchError
from workbench.lang import utc_now
from workbench.store.connection import Database
from workbench.store.rows import SEGMENT_SELECT, STATE_COLUMNS, HistoryEntry, SegmentRow


class Action(str, Enum):
    """What a history entry records."""

    DRAFT = "draft"
    FINAL = "final"
    APPROVE = "approve"
    REVIEW = "review"  # a reviewer's status, translation or comment (the review table's import)
    COMMENT = "comment"
    TM = "tm"
    CARRY = "carry"  # taken over from the previous version of a re-imported file
    UNDO = "undo"
    MERGE = "merge"
    SPLIT = "split"

    __hash__ = str.__hash__

    def __str__(self) -> str:
        return self.value


def segment_state(c: sqlite3.Connection, segment_id: int, path: object) -> dict[str, Any]:
    """The segment's state columns.

    Raises:
        WorkbenchError: no such segment (merged or split away).
    """
    row = c.execute(f"SELECT {', '.join(STATE_COLUMNS)} FROM segments WHERE id = ?", (segment_id,)).fetchone()
    if row is None:
        raise WorkbenchError(f"{path}: no segment {segment_id} (it may have been merged or split)")
    return dict(zip(STATE_COLUMNS, row, strict=True))


def segment_row(c: sqlite3.Connection, segment_id: int, path: object) -> SegmentRow:
    """One segment by id, read inside the caller's transaction."""
    row = c.execute(SEGMENT_SELECT + "WHERE s.id = ?", (segment_id,)).fetchone()
    if row is None:
        raise WorkbenchError(f"{path}: no segment {segment_id} (it may have been merged or split)")
    return SegmentRow.from_row(row)


def record_change(
    c: sqlite3.Connection, segment_id: int, action: Action, path: object, *, who: str = "", **new: Any
) -> dict[str, Any]:
    """Apply ``new`` column values to a segment and record the change in the history (``who``: the person).

    Returns:
        The state after the change.
    """
    before = segment_state(c, segment_id, path)
    after = {**before, **{k: str(v) if isinstance(v, Enum) else v for k, v in new.items()}}
    now = utc_now()
    c.execute(
        f"UPDATE segments SET {', '.join(f'{k} = ?' for k in STATE_COLUMNS)}, updated = ? WHERE id = ?",
        [after[k] for k in STATE_COLUMNS] + [now, segment_id],
    )
    c.execute(
        "INSERT INTO history (segment_id, at, action, before, after, who) VALUES (?,?,?,?,?,?)",
        (
            segment_id,
            now,
            str(action),
            json.dumps(before, ensure_ascii=False),
            json.dumps(after, ensure_ascii=False),
            who,
        ),
    )
    return after


def record_structure(
    c: sqlite3.Connection, doc_id: int, action: Action, before: dict[str, object], after: dict[str, object]
) -> None:
    """Record a structural edit of a document (merge or split)."""
    c.execute(
        "INSERT INTO history (doc_id, at, action, before, after) VALUES (?,?,?,?,?)",
        (
            doc_id,
            utc_now(),
            str(action),
            json.dumps(before, ensure_ascii=False),
            json.dumps(after, ensure_ascii=False),
        ),
    )


def history(db: Database, segment_id: int | None = None, doc_id: int | None = None) -> list[HistoryEntry]:
    """Recorded changes, oldest first: of one segment, of one document's structure, or all."""
    sql, args = "SELECT * FROM history", []
    if segment_id is not None:
        sql += " WHERE segment_id = ?"
        args.append(segment_id)
    elif doc_id is not None:
        sql += " WHERE doc_id = ?"
        args.append(doc_id)
    with db.read() as c:
        rows = c.execute(sql + " ORDER BY id", args).fetchall()
    return [
        HistoryEntry(
            r["id"], r["segment_id"], r["at"], r["action"], json.loads(r["before"]), json.loads(r["after"]),
            bool(r["undone"]), r["who"],
        )
        for r in rows
    ]  # fmt: skip


def undo_last(db: Database, segment_id: int) -> SegmentRow | None:
    """Undo the segment's most recent change not yet undone; None when there is nothing to undo.

    Repeated calls walk further back. The undo itself is recorded in the history.
    """
    with db.write() as c:
        row = c.execute(
            "SELECT id, before FROM history WHERE segment_id = ? AND undone = 0 AND action != ? "
            "ORDER BY id DESC LIMIT 1",
            (segment_id, str(Action.UNDO)),
        ).fetchone()
        if row is None:
            return None
        before = json.loads(row["before"])
        # Entries older than a state column (``comment``) leave that column as it is.
        record_change(
            c, segment_id, Action.UNDO, db.path, **{k: before[k] for k in STATE_COLUMNS if k in before}
        )
        c.execute("UPDATE history SET undone = 1 WHERE id = ? OR id = last_insert_rowid()", (row["id"],))
        return segment_row(c, segment_id, db.path)
