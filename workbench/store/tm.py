"""The translation memory: approved segment pairs in their own SQLite file, shared by all projects.

Exact lookup uses a normalised key (Unicode NFC, whitespace trimmed and runs of whitespace made one
space; punctuation is kept exactly, as CAT tools do). Fuzzy lookup scores candidates with rapidfuzz's
normalised Indel similarity (``fuzz.ratio``, 0-100) after an FTS5 prefilter on character bigrams and a
length window, so it stays fast with 100k units (``bench/bench_tm.py`` measures it).
"""

from __future__ import annotations

import itertools
import os
import re
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.lang import normalize_lang, utc_now
from workbench.records import UnitOrigin
from workbench.store import concordance, schema
from workbench.store.connection import Database
from workbench.store.db import open_database, protect_database

DEFAULT_SRC = "zh-CN"
DEFAULT_TGT = "en-US"
#: How many of a query's rarest bigrams the prefilter looks up (units sharing none are not scored).
PREFILTER_GRAMS = 8
#: Most candidates (those sharing the most of those bigrams) scored exactly with rapidfuzz.
PREFILTER_CANDIDATES = 100
_WS = re.compile(r"\s+")


def default_tm_path() -> Path:
    """``$XDG_DATA_HOME/workbench/tm.sqlite`` (default ``~/.local/share/workbench/tm.sqlite``)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "workbench" / "tm.sqlite"


def normalize_key(text: str) -> str:
    """The exact-match key: NFC, trimmed, inner whitespace runs collapsed; punctuation untouched."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def grams(key: str) -> list[str]:
    """Distinct character bigrams of the letters and digits of ``key`` (the fuzzy prefilter's tokens)."""
    chars = [ch.lower() for ch in key if unicodedata.category(ch)[0] in "LN"]
    if len(chars) < 2:
        return chars
    seen: dict[str, None] = {}
    for a, b in itertools.pairwise(chars):
        seen.setdefault(a + b, None)
    return list(seen)


def _length_window(n: int, min_score: float) -> tuple[int, int]:
    """Lengths a string can have and still reach ``min_score`` (Indel ratio) against one of length n."""
    s = max(min(min_score / 100.0, 1.0), 0.01)
    return int(n * s / (2 - s)), int(n * (2 - s) / s) + 1


@dataclass(frozen=True)
class TMUnit:
    """One translation unit (``score`` is 100 for exact matches)."""

    source: str
    target: str
    src_lang: str = DEFAULT_SRC
    tgt_lang: str = DEFAULT_TGT
    origin: str = ""
    created: str = ""
    score: float = 100.0


@dataclass(frozen=True)
class TMStats:
    """What ``workbench tm stats`` prints: units, per language pair and per origin, the file's size."""

    path: str
    units: int
    pairs: list[tuple[str, str, int]]
    origins: list[tuple[str, int]]
    newest: str | None
    bytes: int


class TranslationMemory:
    """An open translation memory file. Use :meth:`open`; close with :meth:`close` or ``with``."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self.path = db.path

    @classmethod
    def open(
        cls, path: Path | str | None = None, create: bool = True, readonly: bool = False
    ) -> TranslationMemory:
        """Open (by default creating) a TM file; ``path`` None means :func:`default_tm_path`.

        Raises:
            WorkbenchError: not a TM, damaged, newer schema, read-only for writing, full disk.
        """
        path = Path(path) if path is not None else default_tm_path()
        protect_database(path, "the translation memory")
        if create and not readonly and not path.exists():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise WorkbenchError(f"{path}: cannot create folder {path.parent}: {exc.strerror}") from exc
        tm = cls(
            Database(
                open_database(path, schema.TM, create=create, readonly=readonly), path, "translation memory"
            )
        )
        if not readonly:
            with tm._db.read() as c:
                pending = concordance.is_pending(c)
            if pending:  # units of an older TM: indexed for concordance once, now
                with tm._db.write() as c:
                    concordance.index_pending(c)
        return tm

    def close(self) -> None:
        """Close the file."""
        self._db.close()

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ adding
    def add(
        self,
        source: str,
        target: str,
        *,
        src_lang: str = DEFAULT_SRC,
        tgt_lang: str = DEFAULT_TGT,
        origin: str = "",
        creator: str = "",
        created: str | None = None,
    ) -> bool:
        """Add one unit (its own transaction); False when the same pair was already there."""
        return (
            self.add_many(
                [TMUnit(source, target, src_lang, tgt_lang, origin, created or "")], creator=creator
            )
            == 1
        )

    def add_many(self, units: Iterable[TMUnit], creator: str = "") -> int:
        """Add units in ONE transaction; returns how many were new (duplicates are skipped)."""
        added = 0
        now = utc_now()
        with self._db.write() as c:
            for u in units:
                if not u.source.strip() or not u.target.strip():
                    continue
                key = normalize_key(u.source)
                cur = c.execute(
                    "INSERT OR IGNORE INTO units (src_lang, tgt_lang, source, target, key, length, origin, creator, created) "
                    "VALUES (?,?,?,?,?,?,?,?,?)",
                    (
                        normalize_lang(u.src_lang),
                        normalize_lang(u.tgt_lang),
                        u.source,
                        u.target,
                        key,
                        len(key),
                        u.origin,
                        creator,
                        u.created or now,
                    ),
                )
                unit_id = cur.lastrowid
                if cur.rowcount == 1 and unit_id is not None:  # an inserted row always has its rowid
                    added += 1
                    c.execute(
                        "INSERT INTO unit_grams (rowid, grams) VALUES (?, ?)",
                        (unit_id, " ".join(grams(key))),
                    )
                    concordance.index_units(c, [(unit_id, u.source, u.target)])
        return added

    def remove(
        self, source: str, target: str, *, src_lang: str = DEFAULT_SRC, tgt_lang: str = DEFAULT_TGT
    ) -> bool:
        """Remove the unit holding exactly this pair (its own transaction; e.g. an approval undone);
        False when there is none."""
        with self._db.write() as c:
            row = c.execute(
                "SELECT id, key FROM units WHERE source = ? AND target = ? AND src_lang = ? AND tgt_lang = ?",
                (source, target, normalize_lang(src_lang), normalize_lang(tgt_lang)),
            ).fetchone()
            if row is None:
                return False
            unit_id, key = row[0], row[1]
            # Contentless full-text tables forget a row when told the values it was indexed with.
            c.execute(
                "INSERT INTO unit_grams (unit_grams, rowid, grams) VALUES ('delete', ?, ?)",
                (unit_id, " ".join(grams(key))),
            )
            if not concordance.is_pending(c):
                concordance.unindex_units(c, [(unit_id, source, target)])
            c.execute("DELETE FROM units WHERE id = ?", (unit_id,))
        return True

    # ----------------------------------------------------------------- lookup
    @staticmethod
    def _lang_clause(src_lang: str, tgt_lang: str) -> tuple[str, list[str]]:
        """Exact language match, or the same base language (``zh`` matches ``zh-CN``, ``zh-TW`` ...)."""
        s, t = normalize_lang(src_lang).split("-")[0], normalize_lang(tgt_lang).split("-")[0]
        return (
            "(u.src_lang = ? OR u.src_lang LIKE ? || '-%') AND (u.tgt_lang = ? OR u.tgt_lang LIKE ? || '-%')",
            [s, s, t, t],
        )

    @staticmethod
    def _unit(r: sqlite3.Row, score: float = 100.0) -> TMUnit:
        return TMUnit(
            r["source"], r["target"], r["src_lang"], r["tgt_lang"], r["origin"], r["created"], score
        )

    def exact(self, source: str, src_lang: str = DEFAULT_SRC, tgt_lang: str = DEFAULT_TGT) -> TMUnit | None:
        """The exact match for ``source`` (normalised key), preferring the exact language pair, then a unit
        not from ``workbench align``, then the most recently added unit; None when there is none."""
        clause, args = self._lang_clause(src_lang, tgt_lang)
        with self._db.read() as c:
            row = c.execute(
                f"SELECT u.* FROM units u WHERE u.key = ? AND {clause} "
                "ORDER BY (u.src_lang = ?) + (u.tgt_lang = ?) DESC, u.origin = ? ASC, u.id DESC LIMIT 1",
                [
                    normalize_key(source),
                    *args,
                    normalize_lang(src_lang),
                    normalize_lang(tgt_lang),
                    UnitOrigin.ALIGNED.value,
                ],
            ).fetchone()
        return self._unit(row) if row else None

    def fuzzy(
        self,
        source: str,
        min_score: float = 75,
        limit: int = 5,
        src_lang: str = DEFAULT_SRC,
        tgt_lang: str = DEFAULT_TGT,
        include_exact: bool = False,
    ) -> list[TMUnit]:
        """Fuzzy matches with rapidfuzz score >= ``min_score``, best first (ties: aligned units last, then
        most recent first).

        Args:
            source: The segment to look up.
            min_score: Lowest score kept (0-100).
            limit: Most matches returned.
            src_lang: Source language.
            tgt_lang: Target language.
            include_exact: Also return exact (score 100, same key) matches.
        """
        from rapidfuzz import fuzz

        key = normalize_key(source)
        if not key:
            return []
        tokens = grams(key)
        lo, hi = _length_window(len(key), min_score)
        clause, args = self._lang_clause(src_lang, tgt_lang)
        with self._db.read() as c:
            if tokens:
                rare = self._rarest(c, tokens, PREFILTER_GRAMS)
                if not rare:
                    return []
                shared: Counter[int] = Counter()
                for t in rare:
                    shared.update(
                        r[0]
                        for r in c.execute(
                            "SELECT rowid FROM unit_grams WHERE unit_grams MATCH ?", (f'"{t}"',)
                        )
                    )
                # The units sharing the most rare bigrams with the query (ties: the newest).
                best = sorted(shared.items(), key=lambda kv: (-kv[1], -kv[0]))[:PREFILTER_CANDIDATES]
                ids = [i for i, _ in best]
                rows = (
                    c.execute(
                        f"SELECT u.* FROM units u WHERE u.id IN ({','.join('?' * len(ids))}) "
                        f"AND u.length BETWEEN ? AND ? AND {clause}",
                        [*ids, lo, hi, *args],
                    ).fetchall()
                    if ids
                    else []
                )
            else:  # no letters or digits: compare against same-length-ish units directly
                rows = c.execute(
                    f"SELECT u.* FROM units u WHERE u.length BETWEEN ? AND ? AND {clause} LIMIT 1000",
                    [lo, hi, *args],
                ).fetchall()
        scored = []
        for r in rows:
            if r["key"] == key and not include_exact:
                continue
            score = round(fuzz.ratio(key, r["key"]), 1)
            if score >= min_score:
                scored.append((score, r["origin"] == UnitOrigin.ALIGNED.value, r["id"], self._unit(r, score)))
        scored.sort(key=lambda x: (-x[0], x[1], -x[2]))  # aligned units below the others at equal score
        return [u for *_, u in scored[:limit]]

    def _rarest(self, c: sqlite3.Connection, tokens: list[str], k: int) -> list[str]:
        """The ``k`` query bigrams found in the fewest units (bigrams in no unit are dropped)."""
        c.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.gram_vocab USING fts5vocab(main, unit_grams, row)")
        df = []
        for t in tokens:
            row = c.execute("SELECT doc FROM temp.gram_vocab WHERE term = ?", (t,)).fetchone()
            if row:
                df.append((row[0], t))
        df.sort()
        return [t for _, t in df[:k]]

    def concordance(
        self, text: str, side: concordance.Side = concordance.Side.SOURCE, limit: int = 100
    ) -> list[concordance.UnitHit]:
        """Units whose source (or target) contains ``text``, simplified/traditional, full-/half-width
        and case folded, most recently added first (see :mod:`workbench.store.concordance`)."""
        with self._db.read() as c:
            return concordance.search(c, text, side, limit)

    def __len__(self) -> int:
        with self._db.read() as c:
            return int(c.execute("SELECT COUNT(*) FROM units").fetchone()[0])

    def units(self) -> Iterator[TMUnit]:
        """Every unit, oldest first."""
        with self._db.read() as c:
            rows = c.execute("SELECT * FROM units u ORDER BY id").fetchall()
        for r in rows:
            yield self._unit(r)

    def stats(self) -> TMStats:
        """Counts for ``workbench tm stats``: units, per language pair, per origin, file size."""
        with self._db.read() as c:
            total = c.execute("SELECT COUNT(*) FROM units").fetchone()[0]
            pairs = c.execute(
                "SELECT src_lang, tgt_lang, COUNT(*) FROM units GROUP BY 1, 2 ORDER BY 3 DESC"
            ).fetchall()
            origins = c.execute(
                "SELECT origin, COUNT(*) FROM units GROUP BY 1 ORDER BY 2 DESC LIMIT 10"
            ).fetchall()
            newest = c.execute("SELECT MAX(created) FROM units").fetchone()[0]
        return TMStats(
            path=str(self.path),
            units=total,
            pairs=[(a, b, n) for a, b, n in pairs],
            origins=[(o or "-", n) for o, n in origins],
            newest=newest,
            bytes=self.path.stat().st_size if self.path.exists() else 0,
        )
