"""What ``--executor`` and the Ray options say, and the interface every executor offers (no Ray here)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from workbench.jobs.batch import BatchDriver, DocumentTask, ReadOptions
    from workbench.jobs.drafting import Claim, OnUnit
    from workbench.mt.engine import ProgressFn
    from workbench.records import Signature, TermConstraint
    from workbench.terms.context import GlossaryContext


class ExecutorKind(str, Enum):
    """``--executor``."""

    LOCAL = "local"
    RAY = "ray"


@dataclass(frozen=True)
class RayOptions:
    """Where and how wide the Ray executor runs.

    Attributes:
        address: None to start a local instance; ``auto`` or ``HOST:PORT`` to join a running cluster.
        workers: Actors, each with its own engine (None: the cluster's CPUs / ``threads_per_worker``).
        threads_per_worker: Compute threads (and Ray CPUs) of each actor.
    """

    address: str | None = None
    workers: int | None = None
    threads_per_worker: int = 1


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
