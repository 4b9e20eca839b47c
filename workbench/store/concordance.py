"""Concordance over a translation memory: every unit whose source (or target) contains a text.

The index (table ``unit_concordance``, FTS5, contentless) holds, for each unit, the letters and digits
of its folded source and target (:func:`workbench.text.search.fold_for_search`: simplified, half-width,
lower case) and every pair of neighbouring ones. A query asks for the units holding all of its pairs
(its one character when it has one), newest first, and keeps those whose folded text really contains
the folded query. Chosen over an FTS5 ``trigram`` table by measurement (docs/how-to/cat-tools.md): a trigram
index cannot answer the two-character queries that most Chinese concordance searches are (巾帼).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum

from workbench.text.search import find_spans, fold_for_search, query_tokens, search_tokens

#: Units fetched from the table per round while candidates are verified.
_CHUNK = 256

CREATE_SQL = (
    "CREATE VIRTUAL TABLE unit_concordance USING fts5(source, target, content='', tokenize='unicode61')"
)
#: The ``meta`` key present while units of an upgraded TM still wait to be indexed.
PENDING_KEY = "concordance_pending"


class Side(str, Enum):
    """Which side of a unit a concordance query searches."""

    SOURCE = "source"
    TARGET = "target"

    __hash__ = str.__hash__

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class UnitHit:
    """A TM unit containing the query, with where it does (offsets into the original texts)."""

    id: int
    source: str
    target: str
    origin: str
    created: str
    source_spans: tuple[tuple[int, int], ...]
    target_spans: tuple[tuple[int, int], ...]


def index_units(c: sqlite3.Connection, rows: Iterable[tuple[int, str, str]]) -> None:
    """Add units ``(id, source, target)`` to the concordance index (inside the caller's transaction)."""
    c.executemany(
        "INSERT INTO unit_concordance (rowid, source, target) VALUES (?, ?, ?)",
        (
            (i, " ".join(search_tokens(fold_for_search(s))), " ".join(search_tokens(fold_for_search(t))))
            for i, s, t in rows
        ),
    )


def unindex_units(c: sqlite3.Connection, rows: Iterable[tuple[int, str, str]]) -> None:
    """Take units ``(id, source, target)`` out of the concordance index (inside the caller's transaction;
    a contentless index is told the very values :func:`index_units` gave it)."""
    c.executemany(
        "INSERT INTO unit_concordance (unit_concordance, rowid, source, target) VALUES ('delete', ?, ?, ?)",
        (
            (i, " ".join(search_tokens(fold_for_search(s))), " ".join(search_tokens(fold_for_search(t))))
            for i, s, t in rows
        ),
    )


def mark_pending(c: sqlite3.Connection) -> None:
    """Note that the units already in the TM are not indexed yet (the schema upgrade to version 2)."""
    c.execute(
        "INSERT OR REPLACE INTO meta (key, value) SELECT ?, '1' WHERE EXISTS (SELECT 1 FROM units)",
        (PENDING_KEY,),
    )


def is_pending(c: sqlite3.Connection) -> bool:
    """True while the units of an upgraded TM are not indexed yet."""
    return c.execute("SELECT 1 FROM meta WHERE key = ?", (PENDING_KEY,)).fetchone() is not None


def index_pending(c: sqlite3.Connection) -> None:
    """Index every unit of an upgraded TM (inside the caller's write transaction), once."""
    if is_pending(c):
        c.execute("DELETE FROM unit_concordance")
        index_units(c, c.execute("SELECT id, source, target FROM units ORDER BY id").fetchall())
        c.execute("DELETE FROM meta WHERE key = ?", (PENDING_KEY,))


def spans(text: str, query: str) -> tuple[tuple[int, int], ...]:
    """Where the (unfolded) ``query`` occurs in ``text``, folded on both sides."""
    return tuple(find_spans(fold_for_search(text), fold_for_search(query)))


def search(c: sqlite3.Connection, query: str, side: Side, limit: int) -> list[UnitHit]:
    """The newest ``limit`` units whose ``side`` contains ``query`` (folded), newest added first.

    Args:
        c: An open TM connection.
        query: The text searched for; it needs at least one letter or digit (else no hits).
        side: Search the sources or the targets.
        limit: Most hits returned.
    """
    folded = fold_for_search(query)
    tokens = query_tokens(folded)
    if not tokens or limit <= 0:
        return []
    expr = f"{side.value} : (" + " AND ".join(f'"{t}"' for t in tokens) + ")"
    hits: list[UnitHit] = []
    if is_pending(c):  # an upgraded TM opened read-only, not indexed yet: every unit is read
        candidates = c.execute("SELECT id FROM units ORDER BY id DESC")
    else:
        candidates = c.execute(
            "SELECT rowid FROM unit_concordance WHERE unit_concordance MATCH ? ORDER BY rowid DESC", (expr,)
        )
    for ids in _chunks(candidates):
        rows = c.execute(
            f"SELECT id, source, target, origin, created FROM units WHERE id IN ({','.join('?' * len(ids))}) "
            "ORDER BY id DESC",
            ids,
        ).fetchall()
        for r in rows:
            found = find_spans(fold_for_search(r[side.value]), folded)
            if not found:
                continue
            other = Side.TARGET if side is Side.SOURCE else Side.SOURCE
            both = {side: tuple(found), other: spans(r[other.value], query)}
            hits.append(
                UnitHit(
                    r["id"],
                    r["source"],
                    r["target"],
                    r["origin"],
                    r["created"],
                    both[Side.SOURCE],
                    both[Side.TARGET],
                )
            )
            if len(hits) >= limit:
                return hits
    return hits


def _chunks(cursor: sqlite3.Cursor) -> Iterator[list[int]]:
    while True:
        batch = cursor.fetchmany(_CHUNK)
        if not batch:
            return
        yield [r[0] for r in batch]
