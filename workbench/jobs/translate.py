"""Plain ``workbench translate FILE...``: draft every segment of each file and write its outputs.

The run is in memory (``--project`` keeps the work in a project file instead: ``workbench.jobs.project``).
It shares with the project mode its settings, its engine loader, the drafting loop, the output writer
and the Ctrl-C handling.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.jobs import engines
from workbench.jobs.drafting import DEFAULT_UNIT_SIZE, draft_signature, run_drafting
from workbench.jobs.interrupt import stop_on_sigint
from workbench.jobs.outputs import build_record, check_writable, jsonl_rows, plan_outputs, write_outputs
from workbench.mt.engine import Engine
from workbench.terms.context import GlossaryContext

#: ``progress_for(name, total)`` returns a context manager yielding a ``progress(done, total)`` callback.
ProgressFactory = Callable[[str, int], Any]


@dataclass(frozen=True)
class TranslateSettings:
    """Everything a ``translate`` run is asked to do (from the command line, or built by a caller).

    Attributes:
        files: The source files.
        out: Output folder.
        beam: Beam size.
        unit_size: Segments per drafting unit (``--batch-size``; per commit with a project).
        glossary: Term-base files enforced while decoding.
        encoding: Forced input encoding, or None to detect.
        to_simplified: Convert traditional input to simplified first.
        engine: How to load the engine.
        quiet: No progress or notes on stderr.
        names: Also enforce the names the documents give (``workbench.terms.names``), under the glossary.
        names_min_confidence: Lowest confidence of a name enforced.
    """

    files: Sequence[str]
    out: Path = Path("out")
    beam: int = 4
    unit_size: int = DEFAULT_UNIT_SIZE
    glossary: Sequence[str] = ()
    encoding: str | None = None
    to_simplified: bool = False
    engine: engines.EngineOptions = field(default_factory=engines.EngineOptions)
    quiet: bool = False
    names: bool = False
    names_min_confidence: float = 0.8

    def say(self, message: str) -> None:
        """A note for the user on stderr (unless quiet)."""
        if not self.quiet:
            print(f"workbench: {message}", file=sys.stderr, flush=True)


def document_segments(document: Any) -> list[tuple[int, int, str]]:
    """``(paragraph index, segment index, source)`` for every non-blank segment of a Document."""
    return [(p.index, k, seg) for p in document.paragraphs for k, seg in enumerate(p.segments) if seg.strip()]


def drafting_glossary(
    settings: TranslateSettings,
    documents: Sequence[Any],
    names_file: Path | None = None,
    rejected: set[str] | frozenset[str] = frozenset(),
) -> tuple[GlossaryContext, list[Path]]:
    """The glossary the drafts must honour: the ``--glossary`` files, plus with ``--names`` the names the
    documents give (a name never overrides a glossary entry).

    Args:
        settings: The run's settings.
        documents: The documents to draft (their names are proposed).
        names_file: Where to keep the accepted names (the project mode records this file).
        rejected: Name sources a translator rejected (in the project): never enforced.

    Returns:
        The glossary context and the files that hold it (``names_file`` included when written).
    """
    glossary = GlossaryContext.load(settings.glossary)
    paths = [Path(g) for g in settings.glossary]
    if not settings.names:
        return glossary, paths
    from workbench.terms import save_termbase
    from workbench.terms.names import merge_proposals, propose_names, with_names

    proposals = [p for p in merge_proposals([propose_names(d) for d in documents]) if p.source not in rejected]
    added = with_names(glossary.termbase, proposals, settings.names_min_confidence)
    kept = ""
    if names_file is not None:
        save_termbase([p.to_entry() for p in added.added], names_file, "tsv")
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


def translate_files(settings: TranslateSettings, progress_for: ProgressFactory) -> int:
    """Draft every file of ``settings`` and write its outputs.

    Args:
        settings: What to do.
        progress_for: Makes the progress display of one document.

    Returns:
        The exit status: 0, or 130 when stopped by Ctrl-C (what was drafted is written).
    """
    from workbench.text import load_document

    if settings.beam < 1:
        raise WorkbenchError(f"--beam must be at least 1, not {settings.beam}")
    documents = [load_document(f, encoding=settings.encoding, to_simplified=settings.to_simplified) for f in settings.files]
    glossary, _files = drafting_glossary(settings, documents)
    plan = plan_outputs([d.path for d in documents], settings.out)
    check_writable(settings.out)
    started = time.monotonic()
    engines.check_model(settings.engine)
    engine = load_engine_timed(settings)
    signature = str(draft_signature(engine, settings.beam, glossary.digest))
    stop = threading.Event()
    with stop_on_sigint(stop):
        for document in documents:
            segs = document_segments(document)
            sources = [s for _, _, s in segs]
            name = Path(document.path).name
            with progress_for(f"drafting {name}", len(sources)) as progress:
                drafts = run_drafting(
                    engine,
                    sources,
                    beam=settings.beam,
                    constraints=[glossary.constraints(s) for s in sources] if glossary else None,
                    unit_size=settings.unit_size,
                    stop=stop,
                    progress=progress,
                )
            record = build_record(document, segs, drafts, signature=signature, glossary=glossary)
            for path in write_outputs(record, plan.base(document.path), jsonl_rows(record, drafts)):
                print(path)
            unmet = [(i, u) for i, d in enumerate(drafts) if d is not None for u in d.unmet]
            for i, term in unmet[:20]:
                print(f"workbench: warning: {name} segment {i}: glossary term {term!r} not placed", file=sys.stderr)
            if stop.is_set():
                missing = sum(1 for d in drafts if d is None)
                print(
                    f"workbench: interrupted: {len(drafts) - missing} of {len(drafts)} segments of {name} drafted and "
                    "written (the rest have no draft); use --project P.wbproj to resume later",
                    file=sys.stderr,
                )
                return 130
    settings.say(f"done in {time.monotonic() - started:.1f} s")
    return 0

