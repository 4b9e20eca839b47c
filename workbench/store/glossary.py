"""The glossary a project records: the term-base files used (their content is kept inside the project)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.store.connection import Database
from workbench.terms.context import GlossaryContext


def set_glossary(db: Database, paths: Sequence[Path | str]) -> None:
    """Record the glossary files used (their content is kept in the project); unchanged files write nothing."""
    blobs = []
    for p in paths:
        try:
            blobs.append((str(Path(p).resolve()), Path(p).read_bytes()))
        except OSError as exc:
            raise WorkbenchError(f"{p}: cannot read glossary: {exc.strerror}") from exc
    with db.write() as c:
        current = [
            (r[0], bytes(r[1]))
            for r in c.execute("SELECT path, content FROM glossary_files ORDER BY position")
        ]
        if current == blobs:
            return
        c.execute("DELETE FROM glossary_files")
        c.executemany(
            "INSERT INTO glossary_files VALUES (?,?,?)", [(i, p, b) for i, (p, b) in enumerate(blobs)]
        )


def glossary_files(db: Database) -> list[tuple[str, bytes]]:
    """The glossary files recorded with :func:`set_glossary`: ``(path, content)``."""
    with db.read() as c:
        return [
            (r[0], bytes(r[1]))
            for r in c.execute("SELECT path, content FROM glossary_files ORDER BY position")
        ]


def content_key(files: Sequence[tuple[str, bytes]]) -> str:
    """A digest of the recorded files' contents (what a cached glossary is keyed by)."""
    return hashlib.sha256(b"".join(hashlib.sha256(b).digest() for _, b in files)).hexdigest()


def describe(files: Sequence[tuple[str, bytes]]) -> str:
    """``name, name sha256:…`` for exports ("" when there is no glossary)."""
    if not files:
        return ""
    names = ", ".join(Path(p).name for p, _ in files)
    return names + " sha256:" + hashlib.sha256(b"".join(b for _, b in files)).hexdigest()[:12]


#: Project metadata key: JSON list of the name sources a translator rejected (never proposed again).
REJECTED_NAMES_KEY = "names.rejected"


def rejected_names(db: Database) -> set[str]:
    """The name sources rejected in this project."""
    with db.read() as c:
        row = c.execute("SELECT value FROM meta WHERE key = ?", (REJECTED_NAMES_KEY,)).fetchone()
    try:
        return {str(s) for s in json.loads(row[0])} if row else set()
    except (ValueError, TypeError):
        return set()


def reject_name(db: Database, source: str) -> None:
    """Remember that ``source`` is not a name to propose (or enforce with ``--names``) in this project."""
    with db.write() as c:
        value = json.dumps(sorted(rejected_names(db) | {source}), ensure_ascii=False)
        c.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (REJECTED_NAMES_KEY, value))


def unreject_name(db: Database, source: str) -> None:
    """Forget that ``source`` was rejected (a rejection undone): it is proposed again."""
    with db.write() as c:
        value = json.dumps(sorted(rejected_names(db) - {source}), ensure_ascii=False)
        c.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (REJECTED_NAMES_KEY, value))


class RecordedGlossary:
    """The project's recorded glossary as a :class:`GlossaryContext`, rebuilt only when it changes."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._cached: tuple[str, GlossaryContext] | None = None

    def context(self) -> GlossaryContext:
        """The current recorded glossary (an empty context when there is none)."""
        files = glossary_files(self._db)
        key = content_key(files)
        if self._cached is None or self._cached[0] != key:
            self._cached = (key, GlossaryContext.from_data(files))
        return self._cached[1]
