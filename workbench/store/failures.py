"""Segments whose drafting failed: the one-line reason, kept until a draft is stored.

A batch run or the UI records here each segment the drafting loop could not draft
(``workbench.jobs.drafting``: the engine failed on it, also alone); the segment keeps its status (``new``,
or its earlier draft), so the next run drafts it again, and storing a draft clears its failure
(``workbench.store.segments.set_drafts``). ``workbench status`` and the UI show them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from workbench.lang import utc_now
from workbench.store.connection import Database


def set_failures(db: Database, items: Sequence[tuple[int, str]]) -> None:
    """Record ``(segment_id, reason)`` for each segment that could not be drafted (one transaction)."""
    if not items:
        return
    at = utc_now()
    with db.write() as c:
        c.executemany(
            "INSERT OR REPLACE INTO draft_failures (segment_id, reason, at) VALUES (?, ?, ?)",
            [(sid, reason, at) for sid, reason in items],
        )


def clear(c: sqlite3.Connection, segment_ids: Sequence[int]) -> None:
    """Forget the failures of these segments (inside the caller's transaction: a draft was stored)."""
    c.executemany("DELETE FROM draft_failures WHERE segment_id = ?", [(sid,) for sid in segment_ids])


def failures(db: Database, doc_id: int | None = None) -> dict[int, str]:
    """``segment id -> reason`` of the segments whose last drafting failed (of one document, or all)."""
    sql = "SELECT f.segment_id, f.reason FROM draft_failures f"
    args: tuple[int, ...] = ()
    if doc_id is not None:
        sql += (" JOIN segments s ON s.id = f.segment_id JOIN paragraphs p ON p.id = s.paragraph_id"
                " WHERE p.doc_id = ?")  # fmt: skip
        args = (doc_id,)
    with db.read() as c:
        try:
            return {int(sid): str(reason) for sid, reason in c.execute(sql, args)}
        except sqlite3.OperationalError:  # a project of an older schema opened read-only: none recorded
            return {}
