"""Many documents in one run without ``--project``, whichever executor drafts them (local or Ray).

The pieces every executor shares, so that they draft the same units and write the same files:

- :class:`DocumentTask`: what the driver knows of an input before it is read (path, output name, content
  hash, units already drafted by an earlier run);
- :func:`plan_document`: read an input, rebuild its segments, find their glossary constraints and cut them
  into the drafting loop's units (``workbench.jobs.drafting.plan_units``); an executor may run it anywhere
  (the Ray executor runs it in a Ray task);
- :class:`BatchDriver`: on the driver, it decides what is to be done (the done-state,
  ``workbench.jobs.donestate``), keeps each drafted unit on disk as it arrives (in any order), writes a
  document's outputs as soon as its last unit is in, reports bad inputs with their one-line error, shows
  progress and ends with a summary.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from workbench.errors import error_line
from workbench.jobs.donestate import DoneState, content_hash
from workbench.jobs.drafting import plan_units
from workbench.jobs.outputs import (
    OutputPlan,
    build_record,
    jsonl_rows,
    output_suffixes,
    remove_stale_temps,
    write_outputs,
)
from workbench.records import Draft, TermConstraint
from workbench.terms.context import GlossaryContext
from workbench.text.model import is_translated

#: ``progress(documents_done, documents_total, segments_done, segments_total, drafted)``: documents done
#: counts those written, skipped and failed; ``drafted`` is the segments drafted by this run (for its rate).
BatchProgress = Callable[[int, int, int, int, int], None]


class Outcome(str, Enum):
    """What became of one input."""

    DONE = "done"
    SKIPPED = "skipped"
    FAILED = "failed"


def document_segments(document: Any) -> list[tuple[int, int, str]]:
    """``(paragraph index, segment index, source)`` for every non-blank segment of a Document.

    Paragraphs not sent to MT (running headers, footers: ``is_translated``) have none.
    """
    return [
        (p.index, k, seg)
        for p in document.paragraphs
        if is_translated(p.kind)
        for k, seg in enumerate(p.segments)
        if seg.strip()
    ]


@dataclass(frozen=True)
class ReadOptions:
    """How inputs are read and cut into units (the same on every worker).

    Attributes:
        encoding: Forced input encoding, or None to detect.
        to_simplified: Convert traditional input to simplified first.
        unit_size: Segments per drafting unit.
        input_format: Forced input format, or None: by extension (``workbench.formats.sources``).
    """

    encoding: str | None = None
    to_simplified: bool = False
    unit_size: int = 64
    input_format: str | None = None


@dataclass(frozen=True)
class DocumentTask:
    """An input to draft, as the driver knows it before reading it.

    Attributes:
        path: The input file.
        output: Its output name relative to the output folder (without suffix): the key of its done-state.
        digest: SHA-256 of its bytes.
        drafted: Segments already drafted by an earlier run (segment indices, grouped as they were drafted),
            not to be drafted again; a segment whose drafting failed is not among them.
    """

    path: str
    output: str
    digest: str
    drafted: tuple[tuple[int, ...], ...] = ()


@dataclass
class PlannedDocument:
    """An input read and cut into units, ready for drafting.

    Attributes:
        task: The task it was read for.
        document: The rebuilt ``workbench.text.model.Document``.
        segments: ``(paragraph, segment index, source)`` of each segment to draft.
        constraints: Per segment, its glossary constraints (None without a glossary).
        units: The drafting loop's plan of these segments (indices into ``segments``).
    """

    task: DocumentTask
    document: Any
    segments: list[tuple[int, int, str]]
    constraints: list[list[TermConstraint]] | None
    units: list[list[int]]

    @property
    def sources(self) -> list[str]:
        """The source text of each segment."""
        return [s for _, _, s in self.segments]

    def pending_units(self) -> list[list[int]]:
        """The units not drafted yet, without their segments drafted before (those failed before remain)."""
        drafted = {i for unit in self.task.drafted for i in unit}
        return [rest for u in self.units if (rest := [i for i in u if i not in drafted])]

    def unit_input(self, unit: Sequence[int]) -> tuple[list[str], list[list[TermConstraint]] | None]:
        """The sources of ``unit`` and their constraints, as ``draft_unit`` takes them."""
        sources = [self.segments[i][2] for i in unit]
        return sources, [self.constraints[i] for i in unit] if self.constraints is not None else None


def read_source(path: str | Path, options: ReadOptions) -> Any:
    """Read one input as its format (text, Markdown, Word, PDF).

    Raises:
        WorkbenchError: it cannot be read (one line naming the file).
    """
    from workbench.formats.sources import load_source

    return load_source(
        path,
        input_format=options.input_format,
        encoding=options.encoding,
        to_simplified=options.to_simplified,
    )


def plan_document(task: DocumentTask, options: ReadOptions, glossary: GlossaryContext) -> PlannedDocument:
    """Read ``task``'s input and plan its units.

    Raises:
        WorkbenchError: the input cannot be read (one line naming the file).
    """
    document = read_source(task.path, options)
    segments = document_segments(document)
    sources = [s for _, _, s in segments]
    constraints = [glossary.constraints(s) for s in sources] if glossary else None
    return PlannedDocument(task, document, segments, constraints, plan_units(sources, options.unit_size))


@dataclass
class _Open:
    """A document being drafted: its drafts so far and the segments still missing."""

    planned: PlannedDocument
    drafts: list[Draft | None]
    missing: set[int]


@dataclass
class BatchReport:
    """What a run did, document by document."""

    total: int = 0
    done: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    stopped: bool = False
    failed_segments: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        """One line: ``N documents: D done, S skipped (done before), F failed``."""
        return (
            f"{self.total} document{'s' if self.total != 1 else ''}: {self.done} done, {self.skipped} skipped "
            f"(done before), {len(self.failed)} failed"
        )


@dataclass(frozen=True)
class RunResult:
    """What a run over many documents did, for the command to report (:meth:`BatchDriver.finish`).

    Attributes:
        report: Documents done, skipped and failed, segments that failed, whether it was stopped.
        drafted: Segments drafted by this run.
        seconds: How long the run took.
        state_dir: Where what was drafted is kept for a resumed run.
    """

    report: BatchReport
    drafted: int
    seconds: float
    state_dir: Path


class BatchDriver:
    """The driver's side of a run (see the module docstring).

    Args:
        plan: Where each input's outputs go.
        state: The open done-state of the output folder.
        glossary: The glossary the drafts honour (for the outputs' term notes).
        progress: Called as work advances (None: no progress display).
        say: Notes for the user (stderr).
        emit: Receives each output file written (the CLI prints them on stdout).
    """

    def __init__(
        self,
        plan: OutputPlan,
        state: DoneState,
        glossary: GlossaryContext,
        *,
        progress: BatchProgress | None = None,
        say: Callable[[str], None] = lambda _m: None,
        emit: Callable[[Path], None] = lambda _p: None,
    ) -> None:
        self.plan = plan
        self.state = state
        self.glossary = glossary
        self.progress = progress
        self.say = say
        self.emit = emit
        self.report = BatchReport()
        self._open: dict[str, _Open] = {}
        self._early: dict[str, list[tuple[list[int], list[Draft]]]] = {}
        self._journal: dict[str, dict[tuple[int, ...], list[Draft]]] = {}
        self._gave_up: set[str] = set()
        self._segments_total = 0
        self._segments_done = 0
        self._in_flight = 0
        self._started = time.monotonic()
        self._drafted = 0

    # -- deciding what to do ----------------------------------------------------------------------------
    def output_name(self, path: str | Path) -> str:
        """The output name of an input (its done-state key)."""
        base = self.plan.base(path)
        return base.relative_to(self.plan.out_dir.resolve()).as_posix()

    def _outputs_exist(self, output: str, source: Path) -> bool:
        base = self.plan.out_dir.resolve() / output
        return all(base.with_name(base.name + s).is_file() for s in output_suffixes(source))

    def tasks(self, files: Iterable[Path]) -> Iterator[DocumentTask]:
        """The inputs still to draft, in order; those done before are counted as skipped."""
        files = list(files)
        self.report.total = len(files)
        for f in files:
            output = self.output_name(f)
            try:
                digest = content_hash(f)
            except OSError as exc:
                self.fail(str(f), f"{f}: cannot read ({exc.strerror or exc})")
                continue
            if self.state.is_done(output, digest) and self._outputs_exist(output, f):
                self.report.skipped += 1
                self._show()
                continue
            drafted = self.state.drafted_units(output, digest)
            self._journal[output] = drafted
            ok = (
                tuple(i for i, d in zip(u, ds, strict=True) if d.error is None) for u, ds in drafted.items()
            )
            yield DocumentTask(str(f), output, digest, tuple(u for u in ok if u))

    # -- results as they arrive -------------------------------------------------------------------------
    def begin(self, planned: PlannedDocument) -> None:
        """A document is read and planned: take in its units drafted before; write it if nothing is left."""
        output = planned.task.output
        n = len(planned.segments)
        doc = _Open(planned, [None] * n, {i for u in planned.pending_units() for i in u})
        for unit, drafts in self._journal.pop(output, {}).items():
            for i, d in zip(unit, drafts, strict=True):
                if i not in doc.missing and d.error is None and 0 <= i < n:
                    doc.drafts[i] = d
        self._open[output] = doc
        self._segments_total += n
        self._segments_done += n - len(doc.missing)
        for indices, drafts in self._early.pop(output, []):
            self.unit_done(output, indices, drafts)
        if output in self._open and not doc.missing:
            self._finish(output)
        self._show()

    def unit_done(self, output: str, indices: Sequence[int], drafts: Sequence[Draft]) -> None:
        """One unit of a document is drafted (in any order; a unit delivered twice is taken once)."""
        doc = self._open.get(output)
        if doc is None:
            if output in self._gave_up:
                return
            self._early.setdefault(output, []).append((list(indices), list(drafts)))
            return
        new = [(i, d) for i, d in zip(indices, drafts, strict=True) if i in doc.missing]
        if not new:
            return
        self.state.record_unit(output, doc.planned.task.digest, [i for i, _ in new], [d for _, d in new])
        name = Path(doc.planned.task.path).name
        for i, d in new:
            doc.drafts[i] = d
            doc.missing.discard(i)
            if d.error is not None:
                self.report.failed_segments.append((f"{name} segment {i}", d.error))
                print(f"workbench: warning: {name} segment {i}: drafting failed: {d.error}", file=sys.stderr)
        self._segments_done += len(new)
        self._drafted += sum(1 for _, d in new if d.error is None)
        self._in_flight = 0
        if not doc.missing:
            self._finish(output)
        self._show()

    def in_flight(self, segments: int) -> None:
        """Segments drafted within the unit in progress (local executor: a smoother progress bar)."""
        self._in_flight = segments
        self._show()

    def fail(self, path: str, message: str, output: str | None = None) -> None:
        """An input that cannot be drafted: reported now with its one-line error, skipped."""
        if output is not None:
            if output in self._gave_up:
                return
            self._gave_up.add(output)
            self._open.pop(output, None)
            self._early.pop(output, None)
        print(error_line(message), file=sys.stderr, flush=True)
        self.report.failed.append((path, message))
        self._show()

    def _finish(self, output: str) -> None:
        doc = self._open.pop(output)
        planned = doc.planned
        self._write(planned, doc.drafts)
        if not any(d is not None and d.error is not None for d in doc.drafts):
            # A document with failed segments is written but not done: the next run drafts them again.
            self.state.record_document(output, planned.task.digest, len(planned.segments))
        self.report.done += 1
        name = Path(planned.task.path).name
        unmet = [(i, u) for i, d in enumerate(doc.drafts) if d is not None for u in d.unmet]
        for i, term in unmet[:20]:
            print(
                f"workbench: warning: {name} segment {i}: glossary term {term!r} not placed", file=sys.stderr
            )

    def _write(self, planned: PlannedDocument, drafts: Sequence[Draft | None]) -> None:
        record = build_record(
            planned.document, planned.segments, drafts, signature=self.state.signature, glossary=self.glossary
        )
        base = self.plan.base(planned.task.path)
        remove_stale_temps(base)  # a run killed while writing these left its temporary files
        for path in write_outputs(record, base, jsonl_rows(record, drafts)):
            self.emit(path)

    def stopped(self) -> None:
        """The run was stopped: write what the open documents have (the rest ``"draft": null``)."""
        self.report.stopped = True
        for doc in self._open.values():
            done = sum(1 for d in doc.drafts if d is not None and d.error is None)
            self._write(doc.planned, doc.drafts)
            print(
                f"workbench: interrupted: {done} of {len(doc.drafts)} segments of {Path(doc.planned.task.path).name} "
                "drafted and written (the rest have no draft)",
                file=sys.stderr,
            )
        self._open.clear()

    # -- progress and the end ---------------------------------------------------------------------------
    def _show(self) -> None:
        if self.progress is not None:
            r = self.report
            self.progress(
                r.done + r.skipped + len(r.failed), r.total, self._segments_done + self._in_flight,
                self._segments_total, self._drafted + self._in_flight,
            )  # fmt: skip

    def finish(self) -> RunResult:
        """What the run did (the command prints it and picks the exit status)."""
        return RunResult(self.report, self._drafted, time.monotonic() - self._started, Path(self.state.dir))
