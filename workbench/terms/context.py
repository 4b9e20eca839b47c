"""The one way to wire a glossary into the work: hits, decoding constraints, checks and the hit hash.

Every path that drafts or checks (plain ``translate``, the project mode, ``status``, the exports and the
UI) builds a :class:`GlossaryContext` from term-base files, from a project's recorded glossary, or empty,
and asks it the same questions, so a segment has the same hits, constraints and hash everywhere.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

from workbench.records import TermConstraint, TermNote
from workbench.terms.formats import load_termbase, load_termbase_data
from workbench.terms.match import Hit, Matcher
from workbench.terms.model import TermBase
from workbench.terms.qa import check_target, constraints_for

#: Cached checks before the cache is emptied (the UI re-checks on every keystroke).
_CHECK_CACHE = 20_000


def hits_hash(constraints: Sequence[TermConstraint]) -> str:
    """A short, stable hash of a segment's glossary constraints: a draft made with other hits is stale."""
    data = json.dumps(
        [[c.source, list(c.allowed), list(c.forbidden)] for c in constraints],
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


class GlossaryContext:
    """A term base with its matcher, answering per segment: hits, constraints, hit hash and checks.

    Args:
        termbase: The term base, or None for no glossary (no hits anywhere).
        description: How to name it to the user (file names and digest).
    """

    def __init__(self, termbase: TermBase | None = None, description: str = "") -> None:
        self.termbase = termbase
        self.description = description
        self._matcher = Matcher(termbase) if termbase is not None else None
        if termbase is not None:
            from workbench.terms.checks.spelling import accept_words

            accept_words(r for entry in termbase for r in entry.allowed)  # renderings are never misspellings
        self._hits: dict[str, list[Hit]] = {}
        self._checked: dict[tuple[str, str], list[TermNote]] = {}

    @classmethod
    def load(cls, paths: Sequence[str | os.PathLike[str]], *, strict: bool = True) -> GlossaryContext:
        """Load term-base files (``--glossary`` may be repeated); no paths give an empty context.

        Raises:
            WorkbenchError: ``FILE:LINE: ...`` for a bad row, or a conflict when ``strict``.
        """
        if not paths:
            return cls()
        termbase = load_termbase(list(paths), strict=strict)
        names = ", ".join(Path(p).name for p in paths)
        return cls(termbase, f"{names} ({termbase.digest()})")

    @classmethod
    def from_data(cls, files: Sequence[tuple[str, bytes]], *, strict: bool = False) -> GlossaryContext:
        """From ``(name, content)`` pairs, e.g. the glossary files a project keeps."""
        if not files:
            return cls()
        termbase = load_termbase_data(files, strict=strict)
        names = ", ".join(Path(n).name for n, _ in files)
        return cls(termbase, f"{names} ({termbase.digest()})")

    def __bool__(self) -> bool:
        return self.termbase is not None

    @property
    def digest(self) -> str:
        """The term base's digest ("" without a glossary): it goes into every draft's signature."""
        return self.termbase.digest() if self.termbase is not None else ""

    def hits(self, source: str) -> list[Hit]:
        """The glossary terms found in ``source`` (leftmost-longest, see ``workbench.terms.match``)."""
        if self._matcher is None:
            return []
        found = self._hits.get(source)
        if found is None:
            if len(self._hits) > _CHECK_CACHE:
                self._hits.clear()
            found = self._hits[source] = self._matcher.find(source)
        return found

    def constraints(self, source: str) -> list[TermConstraint]:
        """What the draft of ``source`` must honour (one constraint per matched entry)."""
        hits = self.hits(source)
        return constraints_for(hits) if hits else []

    def hit_hash(self, source: str) -> str:
        """The hash of ``source``'s constraints, stored with its draft (see :func:`hits_hash`)."""
        return hits_hash(self.constraints(source))

    def check(self, source: str, target: str | None) -> list[TermNote]:
        """Each term of ``source`` and whether ``target`` honours it (rules in ``workbench.terms.qa``)."""
        key = (source, target or "")
        notes = self._checked.get(key)
        if notes is None:
            hits = self.hits(source)
            notes = list(check_target(hits, target or "")) if hits else []
            if len(self._checked) > _CHECK_CACHE:
                self._checked.clear()
            self._checked[key] = notes
        return notes

    def violations(self, source: str, target: str | None) -> list[TermNote]:
        """The terms ``target`` breaks (none while there is no target)."""
        if not target:
            return []
        return [n for n in self.check(source, target) if not n.ok]
