"""The one drafting loop: plain ``translate``, ``translate --project``, the UI and the cluster all draft here.

Work is cut into *units*: the sources sorted longest first (ties in source order) and taken ``unit_size``
at a time. A unit is one call of the engine, which sorts and batches it further under its token budget,
and the caller's unit of commit (``on_unit`` runs after each, e.g. one project transaction). The plan is
prefix-stable: once the first k units are committed, planning what is left gives exactly the remaining
units of the first plan, so a run killed and resumed drafts the same batches, hence the same drafts, as
an uninterrupted one. A distributed executor sends the same units to its workers (:func:`plan_units`,
:func:`draft_unit`), so it too drafts exactly what the local loop drafts.

Failures: one segment never costs a run. When the engine raises on a unit (an engine error, out of memory
in one batch, a tokenizer surprise), each of its segments is drafted again alone, once; a segment that
fails alone too gets ``Draft.failure(reason)`` (a one-line reason, ``Draft.error``) and the loop goes on.
Every caller records such a segment as failed (the JSONL ``error`` key, the project, the UI's status
column), ends with :func:`failure_summary` and exits :data:`EXIT_SEGMENTS_FAILED`; a resumed run drafts it
again. Only ``Cancelled`` ends a unit early.

Stopping: ``stop`` is looked at between units (finish the unit in progress, keep it, stop);
``cancel`` is passed down to the engine, which gives up within the unit (raising ``Cancelled``; finished
units have already been handed to ``on_unit``). The UI passes one event as both; the CLI's first Ctrl-C
sets ``stop``.

Order: by default the units of the plan, in order. A caller that knows what matters first (the UI: what is
on screen) passes a :class:`UnitSource` as ``priority``; the loop then asks it, before each unit, for the
next unit out of the segments still waiting (see ``workbench.jobs.priority``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Protocol

from workbench import __version__
from workbench.errors import Cancelled, WorkbenchError
from workbench.mt.engine import Engine, ProgressFn
from workbench.records import Draft, Signature, TermConstraint

#: Segments per unit (engine call and commit) by default, in every mode.
DEFAULT_UNIT_SIZE = 64
#: Exit status of a run that finished but could not draft some segments (the others are kept).
EXIT_SEGMENTS_FAILED = 3
#: Failed segments named in a summary line; more are counted.
SUMMARY_NAMED = 3
#: ``on_unit(indices, drafts)``: indices into the sources, in source order, and their drafts.
OnUnit = Callable[[list[int], list[Draft]], None]
#: ``claim(indices)``: the indices of a unit this run may draft now (others are being drafted elsewhere).
Claim = Callable[[list[int]], list[int]]


class UnitSource(Protocol):
    """Chooses the next unit while drafting, out of the segments still waiting (e.g. what is on screen first)."""

    def next_unit(self, waiting: Sequence[int]) -> list[int]:
        """The next unit: some (at least one) of ``waiting``, indices into the sources in source order."""
        ...


def _ordered_units(todo: list[list[int]], priority: UnitSource | None) -> Iterator[list[int]]:
    """The units to draft, in order: the plan's, or asked of ``priority`` one at a time (lazily, so each
    choice sees what is on screen when the unit starts)."""
    if priority is None:
        yield from todo
        return
    waiting = sorted(i for unit in todo for i in unit)
    while waiting:
        left = set(waiting)
        unit = sorted({i for i in priority.next_unit(waiting) if i in left}) or waiting[:1]
        chosen = set(unit)
        waiting = [i for i in waiting if i not in chosen]
        yield unit


def plan_units(sources: Sequence[str], unit_size: int = DEFAULT_UNIT_SIZE) -> list[list[int]]:
    """Cut ``sources`` into units of similar length: longest first, ``unit_size`` at a time.

    Args:
        sources: The source segments.
        unit_size: Segments per unit (at least 1).

    Returns:
        Units as lists of indices into ``sources``, each in source order.
    """
    size = max(1, unit_size)
    order = sorted(range(len(sources)), key=lambda i: (-len(sources[i]), i))
    return [sorted(order[k : k + size]) for k in range(0, len(order), size)]


def draft_unit(
    engine: Engine,
    sources: Sequence[str],
    constraints: Sequence[Sequence[TermConstraint]] | None,
    *,
    beam: int,
    cancel: threading.Event | None = None,
    progress: ProgressFn | None = None,
) -> list[Draft]:
    """Draft one unit with the engine (constraints only where some segment has a term); when the engine
    fails on it, each segment is drafted alone once, and one that fails again gets ``Draft.failure``.

    Returns:
        One draft per source, in order; failed segments have ``error`` set.

    Raises:
        Cancelled: ``cancel`` was set while the engine worked.
    """
    cons = [list(c) for c in constraints] if constraints is not None else None
    try:
        return _translate(engine, list(sources), cons, beam, cancel, progress)
    except Cancelled:
        raise
    except Exception:  # one bad segment must not cost its unit: find it by drafting each alone
        pass
    drafts = []
    for k, source in enumerate(sources):
        try:
            drafts.extend(
                _translate(engine, [source], [cons[k]] if cons is not None else None, beam, cancel, None)
            )
        except Cancelled:
            raise
        except Exception as exc:
            drafts.append(Draft.failure(failure_reason(exc)))
    return drafts


def _translate(
    engine: Engine,
    sources: list[str],
    cons: list[list[TermConstraint]] | None,
    beam: int,
    cancel: threading.Event | None,
    progress: ProgressFn | None,
) -> list[Draft]:
    if cons is not None and not any(cons):
        cons = None
    drafts = engine.translate(sources, beam=beam, constraints=cons, cancel=cancel, progress=progress)
    if len(drafts) != len(sources):
        raise RuntimeError(f"the engine returned {len(drafts)} drafts for {len(sources)} segments")
    return drafts


def failure_reason(exc: BaseException) -> str:
    """One line saying why drafting failed: ``TypeName: first line of the message`` (at most 300 characters)."""
    if isinstance(exc, WorkbenchError):
        return (str(exc).strip().splitlines() or [""])[0][:300]
    text = (str(exc).strip().splitlines() or [""])[0][:300]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def failure_summary(drafted: int, failed: Sequence[tuple[str, str]]) -> str:
    """The run's closing line: ``135 drafted, 1 failed: report.txt segment 12: RuntimeError: …``.

    Args:
        drafted: Segments drafted by this run.
        failed: ``(where, reason)`` of each segment that could not be drafted (``where`` names it).
    """
    line = f"{drafted} drafted, {len(failed)} failed"
    if failed:
        named = "; ".join(f"{where}: {reason}" for where, reason in failed[:SUMMARY_NAMED])
        more = f" (and {len(failed) - SUMMARY_NAMED} more)" if len(failed) > SUMMARY_NAMED else ""
        line += f": {named}{more}; run the same command again to retry them"
    return line


def run_drafting(
    engine: Engine,
    sources: Sequence[str],
    *,
    beam: int = 4,
    constraints: Sequence[Sequence[TermConstraint]] | None = None,
    unit_size: int = DEFAULT_UNIT_SIZE,
    units: Sequence[Sequence[int]] | None = None,
    on_unit: OnUnit | None = None,
    claim: Claim | None = None,
    stop: threading.Event | None = None,
    cancel: threading.Event | None = None,
    progress: ProgressFn | None = None,
    priority: UnitSource | None = None,
) -> list[Draft | None]:
    """Draft ``sources`` unit by unit (see the module docstring), calling ``on_unit`` after each.

    Args:
        engine: A loaded engine (``workbench.jobs.engines.load``).
        sources: Source segments.
        beam: Beam size.
        constraints: Per source, the glossary constraints its draft must honour (or None).
        unit_size: Segments per unit: per engine call and per ``on_unit`` (a commit).
        units: The units to draft, from ``plan_units(sources, unit_size)`` (default: all of them); a run
            that resumes passes those not drafted yet.
        on_unit: Called with ``(indices, drafts)`` after every unit.
        claim: Called before each unit: the part of it to draft now (concurrent runs on one project).
        stop: When set, the loop stops after the unit in progress.
        cancel: Passed to the engine: when set, the unit in progress is given up.
        progress: ``progress(done, total)`` in segments of ``units``, also within a unit.
        priority: Chooses each next unit out of the segments of ``units`` still waiting, instead of the
            plan's order (the UI drafts what is on screen first).

    Returns:
        Drafts in source order; None for segments not drafted (not in ``units``, not reached because of
        ``stop``, or left to another run); a segment that failed has ``Draft.error`` set.

    Raises:
        Cancelled: ``cancel`` was set during a unit.
    """
    if constraints is not None and len(constraints) != len(sources):
        raise ValueError("constraints must have one entry per source")
    drafts: list[Draft | None] = [None] * len(sources)
    todo = [list(u) for u in units] if units is not None else plan_units(sources, unit_size)
    total = sum(len(u) for u in todo)
    done = 0
    if progress is not None:
        progress(0, total)
    for planned in _ordered_units(todo, priority):
        if stop is not None and stop.is_set():
            break
        unit = claim(planned) if claim is not None else planned
        if not unit:
            done += len(planned)
            if progress is not None:
                progress(done, total)
            continue

        def within(d: int, _t: int, base: int = done) -> None:
            if progress is not None:
                progress(base + d, total)

        batch = draft_unit(
            engine,
            [sources[i] for i in unit],
            [constraints[i] for i in unit] if constraints is not None else None,
            beam=beam,
            cancel=cancel,
            progress=within,
        )
        for i, draft in zip(unit, batch, strict=True):
            drafts[i] = draft
        done += len(planned)
        if on_unit is not None:
            on_unit(unit, batch)
        if progress is not None:
            progress(done, total)
    return drafts


def draft_signature(engine: Engine, beam: int, glossary_digest: str = "") -> Signature:
    """The :class:`~workbench.records.Signature` stamped on every draft this engine makes at ``beam``."""
    return signature_from(engine.signature(), beam, glossary_digest)


def signature_from(engine_signature: Mapping[str, object], beam: int, glossary_digest: str = "") -> Signature:
    """:func:`draft_signature` from an engine's ``signature()`` (e.g. as a worker of a cluster reports it)."""
    return Signature.from_dict(engine_signature).replace(
        beam=beam, glossary=glossary_digest, version=__version__
    )
