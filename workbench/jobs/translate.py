"""Plain ``workbench translate PATH...``: draft every segment of each input and write its outputs.

Without ``--project`` the drafts go straight to the output files, with a done-state beside them that makes
the run resumable (``workbench.jobs.donestate``); ``--project`` keeps the work in a project file instead
(``workbench.jobs.project``). Both share their settings, the engine loader, the drafting loop, the output
writer, the Ctrl-C handling and the executors (``workbench.jobs.executors``: this process, or Ray).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.jobs import engines
from workbench.jobs.batch import BatchDriver, ReadOptions, RunResult, document_segments, read_source
from workbench.jobs.donestate import DoneState
from workbench.jobs.drafting import DEFAULT_UNIT_SIZE
from workbench.jobs.executors import Executor, ExecutorKind, RayOptions, open_executor
from workbench.jobs.expand_paths import expand_inputs
from workbench.jobs.interrupt import stop_on_sigint
from workbench.jobs.outputs import check_writable, plan_outputs
from workbench.mt.engine import Engine
from workbench.terms.context import GlossaryContext

__all__ = ["TranslateSettings", "document_segments", "drafting_glossary", "translate_files"]

#: ``progress()`` returns a context manager yielding a :data:`~workbench.jobs.batch.BatchProgress` or None.
BatchProgressFactory = Callable[[], Any]


@dataclass(frozen=True)
class TranslateSettings:
    """Everything a ``translate`` run is asked to do (from the command line, or built by a caller).

    Attributes:
        files: The inputs: files, folders (read recursively) and ``@list.txt`` manifests.
        out: Output folder.
        beam: Beam size.
        unit_size: Segments per drafting unit (``--batch-size``; per commit with a project).
        glossary: Term-base files enforced while decoding.
        encoding: Forced input encoding, or None to detect.
        input_format: Forced input format (``text``, ``markdown``, ``docx``, ``pdf``), or None: by extension.
        to_simplified: Convert traditional input to simplified first.
        engine: How to load the engine.
        quiet: No progress or notes on stderr.
        names: Also enforce the names the documents give (``workbench.terms.names``), under the glossary.
        names_min_confidence: Lowest confidence of a name enforced.
        executor: What drafts: this process (``local``) or a Ray cluster (``ray``).
        ray: With the Ray executor: where, how many workers, threads per worker.
    """

    files: Sequence[str]
    out: Path = Path("out")
    beam: int = 4
    unit_size: int = DEFAULT_UNIT_SIZE
    glossary: Sequence[str] = ()
    encoding: str | None = None
    input_format: str | None = None
    to_simplified: bool = False
    engine: engines.EngineOptions = field(default_factory=engines.EngineOptions)
    quiet: bool = False
    names: bool = False
    names_min_confidence: float = 0.8
    executor: ExecutorKind = ExecutorKind.LOCAL
    ray: RayOptions = field(default_factory=RayOptions)

    def say(self, message: str) -> None:
        """A note for the user on stderr (unless quiet)."""
        if not self.quiet:
            print(f"workbench: {message}", file=sys.stderr, flush=True)


def drafting_glossary(
    settings: TranslateSettings,
    documents: Iterable[Any],
    names_file: Path | None = None,
    rejected: set[str] | frozenset[str] = frozenset(),
) -> tuple[GlossaryContext, list[Path]]:
    """The glossary the drafts must honour: the ``--glossary`` files, plus with ``--names`` the names the
    documents give (a name never overrides a glossary entry).

    Args:
        settings: The run's settings.
        documents: The documents to draft (their names are proposed; read only with ``--names``).
        names_file: Where to keep the accepted names (the project mode records this file).
        rejected: Name sources a translator rejected (in the project): never enforced.

    Returns:
        The glossary context and the files that hold it (``names_file`` included when written).
    """
    glossary = GlossaryContext.load(settings.glossary)
    paths = [Path(g) for g in settings.glossary]
    if not settings.names:
        return glossary, paths
    from workbench.guard import Replace
    from workbench.terms import save_termbase
    from workbench.terms.names import merge_proposals, propose_names, with_names

    proposals = [
        p for p in merge_proposals([propose_names(d) for d in documents]) if p.source not in rejected
    ]
    added = with_names(glossary.termbase, proposals, settings.names_min_confidence)
    kept = ""
    if names_file is not None:
        # The project's own names file, rewritten every run (and recorded as one of its glossaries).
        save_termbase([p.to_entry() for p in added.added], names_file, "tsv", replace=Replace.EDIT)
        paths.append(names_file)
        kept = f" (kept in {names_file})"
    settings.say(f"{added.summary()}{kept}")
    base = f"{glossary.description} + " if glossary else ""
    return GlossaryContext(added.termbase, f"{base}names ({added.termbase.digest()})"), paths


def load_engine_timed(settings: TranslateSettings) -> Engine:
    """Load the engine, saying what was loaded and how long it took."""
    started = time.monotonic()
    from workbench.mt.registry import resolve_engine

    settings.say(f"loading the {resolve_engine(settings.engine.engine)} engine…")
    engine = engines.load(settings.engine, notice=settings.say)
    sig = engine.signature()
    settings.say(
        f"model {sig.get('model')} ({sig.get('model_hash')}) on {sig.get('device')}, "
        f"loaded in {time.monotonic() - started:.1f} s"
    )
    return engine


def read_options(settings: TranslateSettings) -> ReadOptions:
    """How every input of the run is read and cut into units (the same on every worker)."""
    return ReadOptions(settings.encoding, settings.to_simplified, settings.unit_size, settings.input_format)


def load_sources(settings: TranslateSettings, files: Sequence[Path]) -> list[Any]:
    """The documents of ``files``, each read as its format (``workbench.formats.sources``).

    Raises:
        WorkbenchError: an input cannot be read (one line naming it).
    """
    return [read_source(f, read_options(settings)) for f in files]


def readable_documents(
    settings: TranslateSettings, files: Sequence[Path], *, strict: bool = False
) -> Iterator[Any]:
    """Each input read in turn; those that cannot be read are left to the drafting pass to report, unless
    ``strict`` (then the first raises its ``InputError``)."""
    for f in files:
        try:
            yield read_source(f, read_options(settings))
        except WorkbenchError:
            if strict:
                raise


def check_model_here(settings: TranslateSettings) -> None:
    """Find the model when this machine loads it (local runs, a local Ray instance), before anything is
    created: a missing model is the run's one line, with no output folder or project left behind."""
    if settings.executor is not ExecutorKind.RAY or settings.ray.address is None:
        engines.check_model(settings.engine)


def open_executor_for(settings: TranslateSettings) -> Executor:
    """The executor ``settings`` ask for (``--executor``), not yet loaded."""
    check_model_here(settings)
    if settings.executor is ExecutorKind.RAY:
        return open_executor(
            ExecutorKind.RAY, engine=settings.engine, beam=settings.beam, ray=settings.ray, say=settings.say
        )
    return open_executor(
        ExecutorKind.LOCAL, load_engine=lambda: load_engine_timed(settings), beam=settings.beam
    )


def translate_files(settings: TranslateSettings, progress: BatchProgressFactory) -> RunResult:
    """Draft every input of ``settings`` (files, folders, ``@manifests``) and write its outputs.

    Inputs already written by an earlier run with the same signature are skipped, and a document a killed
    run left half-drafted resumes with its next unit (``workbench.jobs.donestate``); a bad input among
    others is reported with its one-line error and skipped (a single input that is bad is the run's error).

    Args:
        settings: What to do.
        progress: Makes the run's progress display: a context manager yielding a
            :data:`~workbench.jobs.batch.BatchProgress` (or None).

    Returns:
        What the run did: inputs that failed (the others are written), segments that could not be drafted
        (the rest is written, the next run retries them), whether Ctrl-C stopped it (what was drafted is
        written and kept for the next run).
    """
    if settings.beam < 1:
        raise WorkbenchError(f"--beam must be at least 1, not {settings.beam}")
    files = expand_inputs(settings.files, skip=[settings.out])
    if len(files) == 1:
        # One input: a bad one is the run's one-line error (exit 2), before any output folder or engine.
        next(readable_documents(settings, files, strict=True))
    plan = plan_outputs(files, settings.out)
    check_model_here(settings)
    check_writable(settings.out)
    glossary, _files = drafting_glossary(
        settings, readable_documents(settings, files) if settings.names else ()
    )
    options = read_options(settings)
    stop = threading.Event()
    executor = open_executor_for(settings)
    try:
        signature = str(executor.signature(glossary.digest))
        with DoneState(settings.out, signature, settings.unit_size) as state, progress() as show:
            driver = BatchDriver(plan, state, glossary, progress=show, say=settings.say, emit=print)
            with stop_on_sigint(stop):
                executor.run_documents(driver, driver.tasks(files), options, glossary, stop)
            if stop.is_set():
                driver.stopped()
    finally:
        executor.close()
    return driver.finish()
