"""Progress on the terminal for long batch work: a rich bar on stderr."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from workbench.mt.engine import ProgressFn

if TYPE_CHECKING:
    from rich.progress import Progress

#: ``progress(documents_done, documents_total, segments_done, segments_total, drafted)``.
BatchProgressFn = Callable[[int, int, int, int, int], None]


def _bar(*counts: str) -> Progress:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("segments"),
        *(TextColumn(c) for c in counts),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
    )


@contextlib.contextmanager
def progress_bar(description: str, total: int, *, quiet: bool = False) -> Iterator[ProgressFn | None]:
    """A progress bar for ``total`` segments while the block runs; yields ``progress(done, total)`` (None when quiet)."""
    if quiet:
        yield None
        return
    bar = _bar()
    with bar:
        task = bar.add_task(description, total=total)
        yield lambda done, _total: bar.update(task, completed=done)


@contextlib.contextmanager
def checks_progress(description: str = "QA checks", *, at_least: int = 2_000) -> Iterator[ProgressFn]:
    """Progress of the QA checks a project's cache lacks (``Project.document_record``): a bar on stderr that
    appears only once a document turns out to need more than ``at_least`` segments checked (a first
    ``status`` or export of a large project), one bar line per such document; nothing otherwise.

    Yields:
        ``progress(done, total)`` for each document in turn.
    """
    state: dict[str, Any] = {"bar": None, "task": None, "last": None}

    def progress(done: int, total: int) -> None:
        if total <= at_least:
            return
        bar = state["bar"]
        if bar is None:
            bar = state["bar"] = _bar()
            bar.start()
        last = state["last"]
        if state["task"] is None or last is None or done < last[0] or total != last[1]:
            state["task"] = bar.add_task(description, total=total)
        bar.update(state["task"], completed=done)
        state["last"] = (done, total)

    try:
        yield progress
    finally:
        if state["bar"] is not None:
            state["bar"].stop()


@contextlib.contextmanager
def batch_progress(*, quiet: bool = False) -> Iterator[BatchProgressFn | None]:
    """The progress of a run over many documents: documents done, segments done, segments/s and ETA.

    Yields:
        ``progress(documents_done, documents_total, segments_done, segments_total, drafted)`` (None when
        quiet); the segment total grows as documents are read; the rate is ``drafted`` (by this run) over
        the time since its first segment.
    """
    if quiet:
        yield None
        return
    bar = _bar("[cyan]{task.fields[rate]}")
    first: list[float] = []
    with bar:
        task = bar.add_task("drafting", total=None, rate="")

        def update(docs_done: int, docs_total: int, done: int, total: int, drafted: int) -> None:
            now = time.monotonic()
            if drafted and not first:
                first.append(now)
            elapsed = now - first[0] if first else 0.0
            speed = drafted / elapsed if elapsed > 1.0 else 0.0
            bar.update(
                task,
                completed=done,
                total=total or None,
                description=f"documents {docs_done}/{docs_total}",
                rate=f"{speed:.1f} seg/s" if speed else "",
            )

        yield update
