"""The local executor: the engine in this process, the drafting loop run unit by unit."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence

from workbench.errors import WorkbenchError
from workbench.jobs.batch import BatchDriver, DocumentTask, PlannedDocument, ReadOptions, plan_document
from workbench.jobs.drafting import Claim, OnUnit, draft_signature, run_drafting
from workbench.mt.engine import Engine, ProgressFn
from workbench.records import Draft, Signature, TermConstraint
from workbench.terms.context import GlossaryContext


class LocalExecutor:
    """Drafts in this process with one engine, loaded on first use.

    Args:
        load_engine: Loads the engine (called at most once).
        beam: Beam size.
    """

    def __init__(self, load_engine: Callable[[], Engine], beam: int) -> None:
        self._load = load_engine
        self.beam = beam
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        """The engine (loaded now if it was not)."""
        if self._engine is None:
            self._engine = self._load()
        return self._engine

    def signature(self, glossary_digest: str = "") -> Signature:
        """The signature of the drafts this executor makes."""
        return draft_signature(self.engine, self.beam, glossary_digest)

    def run_units(
        self,
        sources: Sequence[str],
        constraints: Sequence[Sequence[TermConstraint]] | None,
        units: Sequence[Sequence[int]],
        on_unit: OnUnit,
        stop: threading.Event | None = None,
        progress: ProgressFn | None = None,
        claim: Claim | None = None,
    ) -> None:
        """Draft ``units`` of ``sources`` in order, ``on_unit`` after each (see ``run_drafting``)."""
        run_drafting(
            self.engine, sources, beam=self.beam, constraints=constraints, units=units, on_unit=on_unit,
            claim=claim, stop=stop, progress=progress,
        )  # fmt: skip

    def run_documents(
        self,
        driver: BatchDriver,
        tasks: Iterable[DocumentTask],
        options: ReadOptions,
        glossary: GlossaryContext,
        stop: threading.Event,
    ) -> None:
        """Read, plan and draft each task in turn, handing every unit to ``driver``."""
        for task in tasks:
            if stop.is_set():
                return
            try:
                planned = plan_document(task, options, glossary)
            except WorkbenchError as exc:
                driver.fail(task.path, str(exc), task.output)
                continue
            driver.begin(planned)
            self._draft_document(driver, planned, stop)

    def _draft_document(self, driver: BatchDriver, planned: PlannedDocument, stop: threading.Event) -> None:
        pending = planned.pending_units()
        if not pending:
            return
        output = planned.task.output
        committed = 0

        def commit(indices: list[int], drafts: list[Draft]) -> None:
            nonlocal committed
            driver.unit_done(output, indices, drafts)
            committed += len(indices)

        def within(done: int, _total: int) -> None:
            driver.in_flight(done - committed)

        self.run_units(planned.sources, planned.constraints, pending, commit, stop, within)
        driver.in_flight(0)

    def close(self) -> None:
        """Nothing to release (the engine goes with the process)."""
