"""Each segment's QA results kept in the project, so ``status`` and the exports do not re-run the checks.

One ``qa_cache`` row per segment (schema v7) holds two parts, each with the key it was computed under:

* ``qa``: the segment's own findings (:func:`workbench.terms.checks.pair_findings`), keyed by a digest of
  its source, its target and the checks' settings (:func:`workbench.terms.checks.settings_key`: the
  checks' version, the spelling dictionaries, the user's word list, the accepted glossary renderings);
* ``terms``: its glossary term notes (:meth:`workbench.terms.context.GlossaryContext.check`), keyed by a
  digest of its source, its target and the recorded glossary's content.

A part whose key differs from the one computed now is stale: it is recomputed and written back. Nothing else
invalidates a row, so an edited segment is rechecked alone, and another glossary rechecks the term notes
only. Results are pure functions of what the key covers, so a stale or damaged row can only cost time,
never change an answer. The consistency checks span a whole document and always run (they are cheap).

Missing parts are computed in batches of :data:`BATCH` segments, each written in its own transaction (a
killed first fill keeps what it wrote) and reported to ``progress``. Writing is best effort: a project that
cannot be written (read-only file or media, a lock held too long) is checked without storing anything.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from workbench.errors import WorkbenchError
from workbench.mt.engine import ProgressFn
from workbench.records import TermNote
from workbench.store.connection import Database
from workbench.store.rows import SegmentRow
from workbench.terms.checks import Check, Finding, pair_findings
from workbench.terms.context import GlossaryContext

#: Segments checked between two writes of the cache (and two progress reports).
BATCH = 2_000

_SELECT = (
    "SELECT q.segment_id, q.qa_key, q.qa, q.terms_key, q.terms FROM qa_cache q "
    "JOIN segments s ON s.id = q.segment_id JOIN paragraphs p ON p.id = s.paragraph_id WHERE p.doc_id = ?"
)
_UPSERT = (
    "INSERT INTO qa_cache (segment_id, qa_key, qa, terms_key, terms) "
    "SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM segments WHERE id = ?1) "
    "ON CONFLICT (segment_id) DO UPDATE SET "
    "qa_key = coalesce(excluded.qa_key, qa_key), qa = coalesce(excluded.qa, qa), "
    "terms_key = coalesce(excluded.terms_key, terms_key), terms = coalesce(excluded.terms, terms)"
)

#: A writable connection to the project, or None when it cannot be written (asked once, when needed).
WriterFn = Callable[[], Database | None]


@dataclass
class Wanted:
    """What to look up for each segment.

    Attributes:
        qa_settings: :func:`workbench.terms.checks.settings_key` when the findings are wanted, else None.
        glossary: The glossary whose term notes are wanted, else None.
        glossary_key: A digest of that glossary's content (:func:`workbench.store.glossary.content_key`).
    """

    qa_settings: str | None = None
    glossary: GlossaryContext | None = None
    glossary_key: str = ""


def digest(context: str, source: str, target: str | None) -> str:
    """The key of a segment's cached part: ``context`` (settings or glossary key), source and target."""
    h = hashlib.blake2b(context.encode("ascii"), digest_size=16)
    h.update(b"\0" + source.encode("utf-8", "surrogatepass"))
    h.update(b"\1" if target is None else b"\0" + target.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def encode_findings(findings: Sequence[Finding]) -> str:
    """Findings as JSON (their location is left out: it is stamped when a document is checked)."""
    return json.dumps(
        [[f.check.value, f.message, f.source_span, f.target_span, f.count] for f in findings],
        separators=(",", ":"),
    )


def _span(value: object) -> tuple[int, int] | None:
    if value is None:
        return None
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ValueError("a span is a pair of offsets")
    return (int(value[0]), int(value[1]))


def decode_findings(text: str) -> list[Finding]:
    """The findings of :func:`encode_findings` (ValueError, TypeError… for damaged JSON)."""
    if text == "[]":
        return []
    return [
        Finding(Check(c), str(m), _span(ss), _span(ts), count=int(n)) for c, m, ss, ts, n in json.loads(text)
    ]


def encode_terms(notes: Sequence[TermNote]) -> str:
    """Term notes as JSON."""
    return json.dumps(
        [[n.source, n.target, n.ok, n.problem, n.span, n.target_span, n.how, n.cost] for n in notes],
        separators=(",", ":"),
    )


def decode_terms(text: str) -> list[TermNote]:
    """The term notes of :func:`encode_terms` (ValueError, TypeError… for damaged JSON)."""
    if text == "[]":
        return []
    return [
        TermNote(
            str(s), str(t), bool(ok), str(pr), _span(sp), _span(ts), str(how), None if c is None else float(c)
        )
        for s, t, ok, pr, sp, ts, how, c in json.loads(text)
    ]


_T = TypeVar("_T")


def _decoded(decode: Callable[[str], list[_T]], text: str | None) -> list[_T] | None:
    """A cached part, or None when it is absent or damaged (then it is recomputed)."""
    if text is None:
        return None
    try:
        return decode(text)
    except (ValueError, TypeError, KeyError):
        return None


class _Store:
    """Writes computed parts in batches through the writer, giving up quietly at the first failure."""

    def __init__(self, writer: WriterFn) -> None:
        self._writer = writer
        self._failed = False

    def write(self, rows: list[tuple[int, str | None, str | None, str | None, str | None]]) -> None:
        if self._failed or not rows:
            return
        db = self._writer()
        if db is None:
            self._failed = True
            return
        try:
            with db.write() as c:
                c.executemany(_UPSERT, rows)
        except WorkbenchError:  # read-only media, full disk, a lock held too long: the cache can wait
            self._failed = True


def lookup(
    db: Database,
    doc_id: int,
    segs: Sequence[SegmentRow],
    wanted: Wanted,
    *,
    writer: WriterFn,
    progress: ProgressFn | None = None,
) -> tuple[list[list[Finding]] | None, list[list[TermNote]] | None]:
    """Each segment's own findings and glossary term notes, from the cache or computed and stored.

    Args:
        db: The project (read).
        doc_id: The document ``segs`` belong to.
        segs: Its segments in document order.
        wanted: Which parts, under which settings.
        writer: Gives the connection to store computed parts with (None: store nothing).
        progress: Called with ``(done, total)`` over the segments that had to be checked, after each batch.

    Returns:
        ``(findings, terms)``, one list per segment each; None for a part not wanted.
    """
    settings, glossary = wanted.qa_settings, wanted.glossary
    if settings is None and glossary is None:
        return None, None
    with db.read() as c:
        cached = {r[0]: (r[1], r[2], r[3], r[4]) for r in c.execute(_SELECT, (doc_id,))}
    findings: list[list[Finding] | None] = [None] * len(segs)
    terms: list[list[TermNote] | None] = [None] * len(segs)
    keys: list[tuple[str | None, str | None]] = []
    todo: list[int] = []
    for i, s in enumerate(segs):
        target = s.target
        row = cached.get(s.id, (None, None, None, None))
        qa_key = digest(settings, s.source, target) if settings is not None else None
        terms_key = None
        if glossary is not None and target:
            terms_key = digest(wanted.glossary_key, s.source, target)
        elif glossary is not None:
            terms[i] = []  # no target: nothing to check against the glossary
        if qa_key is not None and row[0] == qa_key:
            findings[i] = _decoded(decode_findings, row[1])
        if terms_key is not None and row[2] == terms_key:
            terms[i] = _decoded(decode_terms, row[3])
        keys.append((qa_key, terms_key))
        if (qa_key is not None and findings[i] is None) or (terms_key is not None and terms[i] is None):
            todo.append(i)
    _fill(segs, todo, keys, findings, terms, glossary, _Store(writer), progress)
    return (findings if settings is not None else None), (terms if glossary is not None else None)  # type: ignore[return-value]


def _fill(
    segs: Sequence[SegmentRow],
    todo: Sequence[int],
    keys: Sequence[tuple[str | None, str | None]],
    findings: list[list[Finding] | None],
    terms: list[list[TermNote] | None],
    glossary: GlossaryContext | None,
    store: _Store,
    progress: ProgressFn | None,
) -> None:
    """Compute the missing parts of the segments ``todo``, batch by batch, storing each batch."""
    for start in range(0, len(todo), BATCH):
        rows = []
        for i in todo[start : start + BATCH]:
            s, (qa_key, terms_key) = segs[i], keys[i]
            qa_json = terms_json = None
            if qa_key is not None and findings[i] is None:
                found = findings[i] = pair_findings(s.source, s.target)
                qa_json = encode_findings(found)
            if terms_key is not None and terms[i] is None:
                assert glossary is not None
                notes = terms[i] = glossary.check(s.source, s.target)
                terms_json = encode_terms(notes)
            rows.append(
                (s.id, qa_key if qa_json else None, qa_json, terms_key if terms_json else None, terms_json)
            )
        store.write(rows)
        if progress is not None:
            progress(min(start + BATCH, len(todo)), len(todo))
