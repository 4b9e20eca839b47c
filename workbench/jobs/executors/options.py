"""What ``--executor`` and the Ray options say (no Ray here); the interface itself is ``executor.py``."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


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
