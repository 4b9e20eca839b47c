"""Neutral records shared by every layer: segment statuses, glossary constraints and notes, QA notes, machine
drafts, the draft signature, and the translated document the store, the jobs, the exports and the UI exchange.

Nothing here imports anything of the workbench but its errors: every other module may depend on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import Enum
from urllib.parse import quote, unquote

from workbench.errors import WorkbenchError


class Status(str, Enum):
    """A segment's status, in the order work advances (``rank``).

    ``new``: nothing yet; ``drafted``: a machine draft; ``tm-exact``: filled from an exact translation-memory
    match; ``edited``: a person typed the final text; ``reviewed``: a reviewer checked (or corrected) it;
    ``approved``: a person approved it. Batch runs never overwrite human work (``is_human``).
    """

    NEW = "new"
    DRAFTED = "drafted"
    TM_EXACT = "tm-exact"
    EDITED = "edited"
    REVIEWED = "reviewed"
    APPROVED = "approved"

    __hash__ = str.__hash__

    def __str__(self) -> str:
        return self.value

    @property
    def rank(self) -> int:
        """0 for ``new`` … 5 for ``approved``: a paragraph is as advanced as its least advanced segment."""
        return _RANK[self]

    @property
    def is_human(self) -> bool:
        """True for ``edited``, ``reviewed`` and ``approved``: a person chose this text."""
        return self in (Status.EDITED, Status.REVIEWED, Status.APPROVED)

    @property
    def is_open(self) -> bool:
        """True for ``new`` and ``drafted``: the machine may (re)draft it."""
        return self in (Status.NEW, Status.DRAFTED)

    @classmethod
    def parse(cls, value: str) -> Status:
        """The status named ``value``.

        Raises:
            WorkbenchError: not a status name.
        """
        try:
            return cls(value)
        except ValueError:
            raise WorkbenchError(
                f"unknown status {value!r}; use one of {', '.join(s.value for s in cls)}"
            ) from None


_RANK = {s: i for i, s in enumerate(Status)}


class Origin(str, Enum):
    """Where a segment's current text came from."""

    MT = "mt"
    TM = "tm"
    HUMAN = "human"

    __hash__ = str.__hash__

    def __str__(self) -> str:
        return self.value


class UnitOrigin(str, Enum):
    """Where a translation-memory unit came from, when not from a named file or project.

    ``ALIGNED`` units were paired by ``workbench align``, not approved by a translator: at equal
    score, a lookup ranks them below the others.
    """

    ALIGNED = "aligned"

    def __str__(self) -> str:
        return self.value


class TermHow(str, Enum):
    """How a glossary term got into a draft (the term ledger, ``docs/how-to/terminology.md``)."""

    NATURAL = "natural"  # in the model's own best hypothesis
    NBEST = "nbest"  # another hypothesis of the n-best list had it
    PLACED = "placed"  # edited into the hypothesis
    SEARCHED = "searched"  # built in by the constrained search
    UNMET = "unmet"  # not in the draft (the reason is kept beside it)

    __hash__ = str.__hash__

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class TermLedger:
    """One term's line in a draft's ledger.

    Attributes:
        source: The term's source text (as in :class:`TermConstraint`).
        how: How it got in.
        reason: Why it is unmet (empty otherwise).
    """

    source: str
    how: TermHow
    reason: str = ""


@dataclass(frozen=True)
class TermConstraint:
    """One matched glossary term that the draft must render a given way.

    Attributes:
        source: The source term as it appears in the segment.
        allowed: Acceptable English renderings, approved one first (disjunctive).
        forbidden: Renderings that must not appear in the draft.
        case_sensitive: Renderings must appear in exactly this case (the entry's flag).
    """

    source: str
    allowed: tuple[str, ...]
    forbidden: tuple[str, ...] = ()
    case_sensitive: bool = False


def draft_doubt(score: float | None, cost: float | None) -> float | None:
    """Minus the log-probability per token of the unconstrained best hypothesis, from a constrained draft's
    ``score`` and forcing ``cost`` (None when either is unknown)."""
    return None if score is None or cost is None else round(-(score + cost), 4)


@dataclass
class Draft:
    """A machine draft of one segment.

    Attributes:
        text: The detokenised English draft.
        score: Length-normalised log-probability of the output (higher is better).
        n_tokens: Number of target tokens generated (EOS excluded).
        unmet: Sources of constraints that could not be placed (reported, never dropped silently).
        ledger: Per constraint, how it got in (empty for a draft made without constraints).
        cost: The forcing cost: log-probability per token of the unconstrained best hypothesis minus
            that of the returned draft (0 when the model's own best was returned; None without
            constraints).
        error: Set when drafting this segment failed (even when retried alone): the one-line reason; the
            segment then has no draft (``text`` is empty) and a later run drafts it again.
        reasons: Per source in ``unmet``, why it could not be placed (``workbench.mt.constrained.audit``).
    """

    text: str
    score: float
    n_tokens: int
    unmet: list[str] = field(default_factory=list)
    ledger: list[TermLedger] = field(default_factory=list)
    cost: float | None = None
    error: str | None = None
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def doubt(self) -> float | None:
        """The model's doubt about its own unconstrained best: minus that hypothesis' log-probability per
        token (the draft's score plus its forcing cost); None without constraints (no cost)."""
        return draft_doubt(self.score, self.cost)

    @classmethod
    def failure(cls, reason: str) -> Draft:
        """The record of a segment whose drafting failed with ``reason`` (one line)."""
        return cls("", 0.0, 0, [], error=reason)


@dataclass(frozen=True)
class Signature:
    """What made a draft, stamped on every draft from every path (batch, project, UI, cluster).

    One text form, ``key=value, key=value`` in alphabetical key order with empty values left out (values
    percent-escaped where they hold ``,``, ``=`` or ``%``), which :meth:`parse` reads back exactly.

    Attributes:
        backend: The engine (``transformers``, ``ctranslate2``).
        model: Model id or directory.
        model_hash: Short fingerprint of the model files.
        dtype: Compute type (``float32``, ``int8`` …).
        device: ``cpu`` or ``cuda``.
        beam: Beam size.
        glossary: Digest of the term base enforced (empty: none).
        version: The workbench version.
    """

    backend: str = ""
    model: str = ""
    model_hash: str = ""
    dtype: str = ""
    device: str = ""
    beam: str = ""
    glossary: str = ""
    version: str = ""

    def __str__(self) -> str:
        return ", ".join(
            f"{k}={quote(v, safe=' /:;|+-_.~@')}" for k, v in sorted(self.as_dict().items()) if v
        )

    def as_dict(self) -> dict[str, str]:
        """Every key with its value (empty strings included)."""
        return {f.name: str(getattr(self, f.name)) for f in fields(self)}

    def replace(self, **changes: object) -> Signature:
        """A copy with some keys changed (values are stored as text)."""
        return Signature(**{**self.as_dict(), **{k: "" if v is None else str(v) for k, v in changes.items()}})

    @classmethod
    def parse(cls, text: str) -> Signature:
        """Read the text form back.

        Raises:
            WorkbenchError: an unknown key or a part without ``=``.
        """
        values: dict[str, str] = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            key, sep, value = part.partition("=")
            if not sep or key not in _SIGNATURE_KEYS:
                raise WorkbenchError(f"not a draft signature: {text!r} (at {part!r})")
            values[key] = unquote(value)
        return cls(**values)

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Signature:
        """From a mapping, including the older stored forms (``app``/``app_version`` for ``version``)."""
        aliases = {"app": "version", "app_version": "version", "glossary_hash": "glossary"}
        values = {aliases.get(k, k): "" if v is None else str(v) for k, v in data.items()}
        return cls(**{k: v for k, v in values.items() if k in _SIGNATURE_KEYS})


_SIGNATURE_KEYS = frozenset(f.name for f in fields(Signature))


@dataclass
class TermNote:
    """A glossary term found in a segment and whether the target honours it.

    Attributes:
        source: The source term as found.
        target: The approved rendering.
        ok: True when the target text satisfies the term.
        problem: Empty when ok; else e.g. ``missing`` or ``forbidden: <rendering>``.
        span: ``(start, end)`` of the term in the source segment, when known.
        target_span: ``(start, end)`` in the target of the rendering found (the forbidden one when
            ``problem`` is ``forbidden: ...``); None when missing or unknown.
    """

    source: str
    target: str
    ok: bool = True
    problem: str = ""
    span: tuple[int, int] | None = None
    target_span: tuple[int, int] | None = None
    how: str = ""  # a TermHow value (``unmet: reason`` for an unmet term); empty when unknown
    cost: float | None = None  # the draft's forcing cost (see Draft.cost)
    doubt: float | None = None  # the model's doubt about its own best (see Draft.doubt)


@dataclass(frozen=True)
class QANote:
    """A QA finding on a segment, as the exports carry it (beside its glossary ``TermNote`` objects).

    Attributes:
        check: The check's name (``numbers``, ``quotes`` … the values of ``workbench.terms.checks.Check``).
        message: One line for the translator, e.g. ``12月8日 (December 8) is not in the target``.
        target_span: ``(start, end)`` in the target, when the problem has a place there.
        count: How many times it was found in the segment (one note per check and message).
    """

    check: str
    message: str
    target_span: tuple[int, int] | None = None
    count: int = 1

    @property
    def text(self) -> str:
        """The message as shown: ``message (×3)`` when found more than once in the segment."""
        return f"{self.message} (×{self.count})" if self.count > 1 else self.message

    def __str__(self) -> str:
        return f"{self.check}: {self.text}"


@dataclass
class SegmentRecord:
    """One sentence segment with its draft and final translation."""

    paragraph: int
    index: int
    source: str
    draft: str | None = None
    final: str | None = None
    status: Status = Status.NEW
    origin: Origin | None = None
    signature: str | None = None  # text form of the draft's Signature
    terms: list[TermNote] = field(default_factory=list)
    updated: str | None = None  # ISO 8601 UTC timestamp of the last change
    qa: list[QANote] = field(default_factory=list)  # QA findings other than glossary ones (those are terms)
    comment: str = ""  # the translator's or reviewer's comment on the segment
    ledger: list[TermLedger] = field(default_factory=list)  # the machine draft's term ledger (Draft.ledger)
    cost: float | None = None  # the machine draft's forcing cost (Draft.cost)
    doubt: float | None = None  # the model's doubt about its own best for this segment (Draft.doubt)

    @property
    def target(self) -> str | None:
        """The best available translation: the final text, else the draft."""
        return self.final if self.final else self.draft


@dataclass
class ParagraphRecord:
    """One rebuilt source paragraph and its segments."""

    index: int
    kind: str
    text: str
    lines: tuple[int, int]
    segments: list[SegmentRecord] = field(default_factory=list)

    @property
    def status(self) -> Status:
        """The status of its least advanced segment (``new`` when it has none)."""
        if not self.segments:
            return Status.NEW
        return min((Status(s.status) for s in self.segments), key=lambda s: s.rank)


@dataclass
class DocumentRecord:
    """A whole document ready for export."""

    name: str
    source_path: str = ""
    script: str = "simplified"
    src_lang: str = "zh-CN"
    tgt_lang: str = "en-US"
    paragraphs: list[ParagraphRecord] = field(default_factory=list)
    glossary: str = ""  # description/hash of the glossary used
    signature: str = ""  # the drafts' signature(s), text form

    def segments(self) -> list[SegmentRecord]:
        """All segments in document order."""
        return [s for p in self.paragraphs for s in p.segments]
