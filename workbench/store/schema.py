"""SQLite schemas of the project file and the translation memory, as forward migrations.

``PRAGMA user_version`` holds the schema version. Migration ``n`` upgrades version ``n - 1`` to ``n``
inside one transaction; version 1 creates everything. Never edit a released migration: add the next one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from workbench.store.db import FileKind

PROJECT_APP_ID = 0x57425052  # "WBPR"
TM_APP_ID = 0x5742544D  # "WBTM"

_PROJECT_V1 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    path        TEXT NOT NULL,
    name        TEXT NOT NULL,
    encoding    TEXT NOT NULL,
    script      TEXT NOT NULL,
    source_hash TEXT NOT NULL,
    added       TEXT NOT NULL,
    UNIQUE (path, source_hash)
);
CREATE TABLE paragraphs (
    id         INTEGER PRIMARY KEY,
    doc_id     INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    text       TEXT NOT NULL,
    line_first INTEGER NOT NULL,
    line_last  INTEGER NOT NULL,
    UNIQUE (doc_id, position)
);
-- Engine signatures, shared by every draft made with the same settings.
CREATE TABLE signatures (
    id            INTEGER PRIMARY KEY,
    backend       TEXT NOT NULL DEFAULT '',
    model         TEXT NOT NULL DEFAULT '',
    beam          TEXT NOT NULL DEFAULT '',
    glossary_hash TEXT NOT NULL DEFAULT '',
    app_version   TEXT NOT NULL DEFAULT '',
    data          TEXT NOT NULL UNIQUE          -- the whole signature as canonical JSON
);
CREATE TABLE segments (
    id            INTEGER PRIMARY KEY,
    paragraph_id  INTEGER NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    source        TEXT NOT NULL,
    draft         TEXT,
    draft_score   REAL,
    signature_id  INTEGER REFERENCES signatures(id),
    hits_hash     TEXT,                          -- glossary term hits the draft was made with
    unmet         TEXT,                          -- JSON list of constraint sources the draft missed
    final         TEXT,
    status        TEXT NOT NULL DEFAULT 'new'
                  CHECK (status IN ('new', 'drafted', 'edited', 'approved', 'tm-exact')),
    origin        TEXT CHECK (origin IS NULL OR origin IN ('mt', 'tm', 'human')),
    updated       TEXT NOT NULL,
    UNIQUE (paragraph_id, position)
);
CREATE INDEX segments_status ON segments(status);
-- Fuzzy translation-memory matches found for a segment, best first, for the UI.
CREATE TABLE fuzzy_matches (
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    rank       INTEGER NOT NULL,
    score      REAL NOT NULL,
    source     TEXT NOT NULL,
    target     TEXT NOT NULL,
    origin     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (segment_id, rank)
);
-- The glossary files used for drafting (content kept, so checks work when the files move).
CREATE TABLE glossary_files (
    position INTEGER PRIMARY KEY,
    path     TEXT NOT NULL,
    content  BLOB NOT NULL
);
-- Every change to a segment (and every structural edit), enough to undo.
CREATE TABLE history (
    id         INTEGER PRIMARY KEY,
    segment_id INTEGER REFERENCES segments(id) ON DELETE SET NULL,
    doc_id     INTEGER REFERENCES documents(id) ON DELETE CASCADE,
    at         TEXT NOT NULL,
    action     TEXT NOT NULL,
    before     TEXT NOT NULL,                    -- JSON state before the change
    after      TEXT NOT NULL,                    -- JSON state after it
    undone     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX history_segment ON history(segment_id, id);
"""

_TM_V1 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE units (
    id       INTEGER PRIMARY KEY,
    src_lang TEXT NOT NULL,                      -- lower-cased BCP 47 tag, e.g. zh-cn
    tgt_lang TEXT NOT NULL,
    source   TEXT NOT NULL,
    target   TEXT NOT NULL,
    key      TEXT NOT NULL,                      -- normalised source for exact lookup
    length   INTEGER NOT NULL,                   -- len(key), for the fuzzy length window
    origin   TEXT NOT NULL DEFAULT '',           -- where it came from (project, TMX file)
    creator  TEXT NOT NULL DEFAULT '',
    created  TEXT NOT NULL,
    UNIQUE (source, target, src_lang, tgt_lang)
);
CREATE INDEX units_key ON units(key, src_lang, tgt_lang);
-- Character bigrams of each unit's key, the prefilter that keeps fuzzy lookup fast.
CREATE VIRTUAL TABLE unit_grams USING fts5(grams, content='', tokenize='unicode61');
"""


def _script(sql: str) -> Callable[[sqlite3.Connection], None]:
    def apply(conn: sqlite3.Connection) -> None:
        for statement in sql.split(";"):
            if statement.strip():
                conn.execute(statement)

    return apply


# v2: a changed file re-imported at the same path supersedes its previous version.
_PROJECT_V2 = """
ALTER TABLE documents ADD COLUMN superseded_by INTEGER REFERENCES documents(id)
"""

# v3: a source's path relative to the project's folder (projects move with their sources), and the
# segments a running batch has claimed (concurrent runs share the work instead of repeating it).
_PROJECT_V3 = """
ALTER TABLE documents ADD COLUMN rel_path TEXT;
CREATE TABLE claims (
    segment_id INTEGER PRIMARY KEY REFERENCES segments(id) ON DELETE CASCADE,
    owner      TEXT NOT NULL,                    -- host:pid:start of the run drafting it
    at         TEXT NOT NULL
)
"""

# v4: segments whose drafting failed, with the reason (``workbench.store.failures``).
_PROJECT_V4 = """
CREATE TABLE draft_failures (
    segment_id INTEGER PRIMARY KEY REFERENCES segments(id) ON DELETE CASCADE,
    reason     TEXT NOT NULL,
    at         TEXT NOT NULL
)
"""


def _project_v5(conn: sqlite3.Connection) -> None:
    """v5: the ``reviewed`` status, a comment per segment, who made each change in the history.

    The status CHECK constraint is widened in place (SQLite's documented way to change a CHECK constraint:
    every existing row stays valid), so no table is rebuilt and no foreign key is touched.
    """
    old = "CHECK (status IN ('new', 'drafted', 'edited', 'approved', 'tm-exact'))"
    new = "CHECK (status IN ('new', 'drafted', 'edited', 'reviewed', 'approved', 'tm-exact'))"
    (sql,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'segments'"
    ).fetchone()
    if old in sql:
        version = conn.execute("PRAGMA schema_version").fetchone()[0]
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'segments'",
            (sql.replace(old, new),),
        )
        conn.execute(f"PRAGMA schema_version = {version + 1}")
        conn.execute("PRAGMA writable_schema = OFF")
    conn.execute("ALTER TABLE segments ADD COLUMN comment TEXT")
    conn.execute("ALTER TABLE history ADD COLUMN who TEXT NOT NULL DEFAULT ''")


def _project_v6_ledger(conn: sqlite3.Connection) -> None:
    """v6: each machine draft's term ledger and forcing cost (``workbench.terms.ledger``).

    ``segments.ledger`` holds ``[[source, how, reason], …]`` as JSON (NULL: the draft was made without
    constraints, or before drafts kept their ledger), ``segments.forcing_cost`` the draft's forcing cost.
    Drafts stored before stay without a ledger: nothing is guessed for them.
    """
    conn.execute("ALTER TABLE segments ADD COLUMN ledger TEXT")
    conn.execute("ALTER TABLE segments ADD COLUMN forcing_cost REAL")


def _project_v7(conn: sqlite3.Connection) -> None:
    """v7: each segment's QA results, cached (``workbench.store.qa_cache``).

    A row holds the segment's own QA findings and its glossary term notes as JSON, each with the key it was
    computed under (a digest of the source, the target and the checks' settings, or the glossary's content);
    a key that no longer matches marks the part stale. Existing projects start with no rows: the first
    ``status`` or export fills them.
    """
    conn.execute(
        """CREATE TABLE qa_cache (
    segment_id INTEGER PRIMARY KEY REFERENCES segments(id) ON DELETE CASCADE,
    qa_key     TEXT,                             -- digest: source, target, the checks' settings
    qa         TEXT,                             -- JSON list of the segment's own findings
    terms_key  TEXT,                             -- digest: source, target, the glossary's content
    terms      TEXT                              -- JSON list of its glossary term notes
)"""
    )


PROJECT = FileKind(
    "project",
    PROJECT_APP_ID,
    7,
    {
        1: _script(_PROJECT_V1),
        2: _script(_PROJECT_V2),
        3: _script(_PROJECT_V3),
        4: _script(_PROJECT_V4),
        5: _project_v5,
        6: _project_v6_ledger,
        7: _project_v7,
    },
)


def _tm_v2(conn: sqlite3.Connection) -> None:
    """v2: the concordance index over every unit's folded source and target.

    The units already there are indexed the first time the TM is opened for writing
    (``workbench.store.concordance.index_pending``), not here: a read-only open migrates an in-memory copy
    each time, which must stay fast for a TM of 100,000 units.
    """
    from workbench.store.concordance import CREATE_SQL, mark_pending

    conn.execute(CREATE_SQL)
    mark_pending(conn)


TM = FileKind("translation memory", TM_APP_ID, 2, {1: _script(_TM_V1), 2: _tm_v2})
