"""How many compute threads an engine uses when the user does not say (``--threads``).

Intra-op parallelism splits every matrix product evenly over the threads and waits for the slowest,
so one thread that shares its core with another busy process holds all the others back: on two
cores, one long segment with every core in use ran several times slower as soon as anything else
ran beside it (see ``bench/bench_threads.py``). The default therefore leaves one core free.
"""

from __future__ import annotations

import os


def usable_cores() -> int:
    """The number of cores this process may run on (its CPU affinity, else the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


def default_threads() -> int:
    """All usable cores but one (at least one thread)."""
    return max(1, usable_cores() - 1)


def resolve_threads(threads: int | None) -> int:
    """``threads`` when given (capped at the usable cores), else :func:`default_threads`."""
    if not threads:
        return default_threads()
    return max(1, min(int(threads), usable_cores()))
