"""Claims: which segments a running batch is drafting, so that concurrent runs on one project share the
work instead of repeating it.

A run claims a unit's segments in one transaction before drafting them and releases them once their
drafts are committed. A claim held by another run that is still alive is respected; one left by a run
that died (a process of this machine that no longer exists, or a claim older than :data:`CLAIM_TTL_S`
from another machine) is taken over, so a killed run never blocks the next.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Sequence
from datetime import datetime

from workbench.lang import utc_now
from workbench.store.connection import Database

#: Seconds after which a claim by a process of another machine is presumed dead.
CLAIM_TTL_S = 3600.0


def run_owner() -> str:
    """This process as a claim owner: ``host:pid:start`` (the start time tells a reused pid apart)."""
    import psutil

    return f"{socket.gethostname()}:{os.getpid()}:{int(psutil.Process().create_time())}"


def _alive(owner: str, at: str) -> bool:
    host, _, rest = owner.partition(":")
    pid, _, start = rest.partition(":")
    if host == socket.gethostname():
        import psutil

        try:
            return int(psutil.Process(int(pid)).create_time()) == int(start)
        except (psutil.Error, ValueError):
            return False
    try:
        age = time.time() - datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return False
    return age < CLAIM_TTL_S


def claim(
    db: Database, segment_ids: Sequence[int], owner: str, still_needed: Callable[[int], bool]
) -> list[int]:
    """Claim the segments no other live run holds and that still need a draft (one transaction).

    Args:
        db: The project database.
        segment_ids: The unit's segments.
        owner: This run (:func:`run_owner`).
        still_needed: Whether a segment still needs drafting now (another run may have drafted it).

    Returns:
        The segments claimed, in the order given.
    """
    out = []
    with db.write() as c:
        for sid in segment_ids:
            row = c.execute("SELECT owner, at FROM claims WHERE segment_id = ?", (sid,)).fetchone()
            if row is not None and row["owner"] != owner and _alive(row["owner"], row["at"]):
                continue
            if not still_needed(sid):
                continue
            c.execute("INSERT OR REPLACE INTO claims VALUES (?, ?, ?)", (sid, owner, utc_now()))
            out.append(sid)
    return out


def release(db: Database, owner: str, segment_ids: Sequence[int] | None = None) -> None:
    """Release this run's claims (of the given segments, or all of them)."""
    with db.write() as c:
        if segment_ids is None:
            c.execute("DELETE FROM claims WHERE owner = ?", (owner,))
        else:
            c.executemany(
                "DELETE FROM claims WHERE segment_id = ? AND owner = ?", [(s, owner) for s in segment_ids]
            )
