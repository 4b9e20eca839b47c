"""The interface every executor implements: :class:`Executor` (``LocalExecutor``, ``RayExecutor``)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from workbench.jobs.batch import BatchDriver, DocumentTask, ReadOptions
    from workbench.jobs.drafting import Claim, OnUnit
    from workbench.mt.engine import ProgressFn
    from workbench.records import Signature, TermConstraint
    from workbench.terms.context import GlossaryContext


class Executor(Protocol):
    """What every executor offers (see the package docstring); ``LocalExecutor`` and ``RayExecutor``."""

    def signature(self, glossary_digest: str = "") -> Signature:
        """The signature of the drafts this executor makes."""
        ...

    def run_documents(
        self,
        driver: BatchDriver,
        tasks: Iterable[DocumentTask],
        options: ReadOptions,
        glossary: GlossaryContext,
        stop: threading.Event,
    ) -> None:
        """Read, plan and draft ``tasks``, handing each drafted unit to ``driver``."""
        ...

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
        """Draft ``units`` of ``sources``, ``on_unit`` as each is done (in any order); ``claim`` (concurrent
        runs on one project) gives the part of a unit to draft."""
        ...

    def close(self) -> None:
        """Release what the executor holds (a Ray instance, …)."""
        ...
