"""``workbench translate FILE... --project P.wbproj``: the resumable batch run.

Order of work, each step committed before the next so a kill at any moment loses at most one unit:

1. import the documents (idempotent by path + content hash), record the glossary;
2. fill exact translation-memory matches (status ``tm-exact``) and store fuzzy matches, one transaction each;
3. draft every segment that is ``new`` or whose draft was made with other glossary term hits, through the
   one drafting loop (``workbench.jobs.drafting``): unit by unit, each unit one transaction.

The drafting loop's plan is prefix-stable, so a resumed run drafts exactly the units an uninterrupted run
would have drafted: the drafts are identical. That holds with the Ray executor too, whose units come back
(and are committed) in any order: taking whole units out of the plan leaves the others whole. Segments a person edited or approved, and TM exact matches,
are never re-drafted or overwritten.
"""

from __future__ import annotations

import shlex
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.jobs.drafting import DEFAULT_UNIT_SIZE, plan_units
from workbench.jobs.executors import Executor, ExecutorKind
from workbench.jobs.executors.local import LocalExecutor
from workbench.jobs.expand_paths import expand_inputs
from workbench.jobs.interrupt import stop_on_sigint
from workbench.jobs.outputs import check_writable, plan_outputs, write_outputs
from workbench.jobs.translate import (
    TranslateSettings,
    check_model_here,
    drafting_glossary,
    load_engine_timed,
    load_sources,
    open_executor_for,
)
from workbench.mt.engine import Engine, ProgressFn
from workbench.records import Draft, Status
from workbench.store.claims import run_owner
from workbench.store.project import FuzzyMatch, Project, SegmentRow
from workbench.store.segments import needs_draft
from workbench.store.tm import TMUnit, TranslationMemory
from workbench.terms.context import GlossaryContext
from workbench.text.model import Document


@dataclass
class BatchReport:
    """What a batch run did.

    Attributes:
        doc_ids: Project ids of the documents given.
        segments: Segments in those documents.
        tm_exact: Segments filled from the translation memory in this run.
        fuzzy: Segments that got fuzzy matches stored.
        drafted: Segments drafted in this run (new ones).
        redrafted: Drafted segments drafted again because their glossary term hits changed.
        kept_human: Segments left alone because a person edited or approved them.
        pending: Segments that still needed a draft when the run stopped (0 when finished).
        cancelled: True when stopped early.
        to_tm: Approved segments newly added to the translation memory.
        unmet: Glossary terms the engine could not place, ``(segment id, term)``.
        elsewhere: Segments left to another run on the same project that was drafting them.
        failed: Segments whose drafting failed, ``(segment id, reason)`` (recorded in the project; the next
            run drafts them again).
    """

    doc_ids: list[int] = field(default_factory=list)
    segments: int = 0
    tm_exact: int = 0
    fuzzy: int = 0
    drafted: int = 0
    redrafted: int = 0
    kept_human: int = 0
    pending: int = 0
    cancelled: bool = False
    to_tm: int = 0
    unmet: list[tuple[int, str]] = field(default_factory=list)
    elsewhere: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)


def _use_tm(
    project: Project, tm: TranslationMemory, segs: list[SegmentRow], report: BatchReport, fuzzy_min: float
) -> set[int]:
    """Approved work into the memory; exact matches in; fuzzy matches stored. Returns the exact-matched ids."""
    report.to_tm = tm.add_many(
        TMUnit(s.source, s.final, origin=str(project.path))
        for s in segs
        if s.status is Status.APPROVED and s.final
    )
    exact = [(s.id, u.target) for s in segs if s.status.is_open and (u := tm.exact(s.source)) is not None]
    if exact:
        project.apply_tm_many(exact)
    report.tm_exact = len(exact)
    exact_ids = {i for i, _ in exact}
    fuzzy = []
    for s in segs:
        if not s.status.is_open or s.id in exact_ids:
            continue
        found = tm.fuzzy(s.source, min_score=fuzzy_min)
        if found or project.fuzzy_matches(s.id):
            fuzzy.append((s.id, [FuzzyMatch(u.score, u.source, u.target, u.origin) for u in found]))
    if fuzzy:
        project.set_fuzzy_many(fuzzy)
    report.fuzzy = sum(1 for _, m in fuzzy if m)
    return exact_ids


def _import_and_select(
    project: Project,
    documents: Sequence[Document],
    tm: TranslationMemory | None,
    glossary: GlossaryContext,
    glossary_paths: Sequence[Path | str],
    fuzzy_min: float,
    report: BatchReport,
) -> list[SegmentRow]:
    """Import the documents, record the glossary, apply the TM; the segments that still need a draft."""
    report.doc_ids = [project.add_document(d) for d in documents]
    project.set_glossary(list(glossary_paths))
    segs = [s for doc_id in dict.fromkeys(report.doc_ids) for s in project.segments(doc_id)]
    report.segments = len(segs)
    report.kept_human = sum(1 for s in segs if s.status.is_human)
    exact_ids = _use_tm(project, tm, segs, report, fuzzy_min) if tm is not None else set()
    pending = [s for s in segs if s.id not in exact_ids and needs_draft(s, glossary.hit_hash(s.source))]
    report.pending = len(pending)
    return pending


def run_batch(
    project: Project,
    documents: Sequence[Document],
    *,
    load_engine: Callable[[], Engine] | None = None,
    executor: Executor | None = None,
    tm: TranslationMemory | None = None,
    glossary: GlossaryContext | None = None,
    glossary_paths: Sequence[Path | str] = (),
    beam: int = 4,
    unit_size: int = DEFAULT_UNIT_SIZE,
    fuzzy_min: float = 75,
    stop: threading.Event | None = None,
    progress: ProgressFn | None = None,
    log: Callable[[str], None] | None = None,
) -> BatchReport:
    """Import ``documents`` into ``project`` and draft what is not drafted yet, committing every unit.

    Args:
        project: The open project.
        documents: Ingested documents (``workbench.text.load_document``).
        load_engine: Called once, only when something needs a draft (the local executor).
        executor: Drafts instead of a local engine (``workbench.jobs.executors``; e.g. the Ray executor):
            units come back in any order and each is committed as it comes.
        tm: Translation memory for exact (used) and fuzzy (stored) matches; None to skip.
        glossary: The glossary enforced and hashed (None: none).
        glossary_paths: The glossary files, recorded in the project.
        beam: Beam size.
        unit_size: Segments per drafting unit (= per transaction).
        fuzzy_min: Lowest fuzzy score stored.
        stop: Set it (e.g. on Ctrl-C) to stop after the current unit.
        progress: ``progress(done, total)`` as drafting goes.
        log: Receives one-line notes for the user.
    """
    say = log or (lambda _msg: None)
    glossary = glossary or GlossaryContext()
    report = BatchReport()
    pending = _import_and_select(project, documents, tm, glossary, glossary_paths, fuzzy_min, report)
    if not pending:
        say("nothing to draft: every segment is drafted, edited, approved or filled from the TM")
        return report
    redraft = sum(1 for s in pending if s.status is Status.DRAFTED)
    if redraft:
        say(f"re-drafting {redraft} segment(s) whose glossary term hits changed")
    if executor is None:
        if load_engine is None:
            raise ValueError("run_batch needs load_engine or executor")
        executor = LocalExecutor(load_engine, beam)
    signature = executor.signature(glossary.digest)

    owner = run_owner()

    def still_needed(segment_id: int) -> bool:
        # Not drafted (with these hits) by another run meanwhile; a person's edit since the start does
        # not cancel the draft, which is stored beside the final text as always.
        now = project.segment(segment_id)
        return now.draft is None or now.hits_hash not in (None, glossary.hit_hash(now.source))

    def claim(indices: list[int]) -> list[int]:
        ids = set(project.claim([pending[i].id for i in indices], owner, still_needed))
        report.elsewhere += len(indices) - len(ids)
        report.pending -= len(indices) - len(ids)
        return [i for i in indices if pending[i].id in ids]

    def commit(indices: list[int], drafts: list[Draft]) -> None:
        batch = list(zip([pending[i] for i in indices], drafts, strict=True))
        ok = [(s, d) for s, d in batch if d.error is None]
        failed = [(s.id, d.error) for s, d in batch if d.error is not None]
        project.set_drafts([(s.id, d, glossary.hit_hash(s.source)) for s, d in ok], signature=signature)
        project.set_failures(failed)
        project.release(owner, [s.id for s, _ in batch])
        report.failed.extend(failed)
        for s, d in ok:
            report.unmet.extend((s.id, u) for u in d.unmet)
            if s.status is Status.DRAFTED:
                report.redrafted += 1
            else:
                report.drafted += 1
        report.pending -= len(batch)

    sources = [s.source for s in pending]
    try:
        executor.run_units(
            sources,
            [glossary.constraints(s) for s in sources] if glossary else None,
            plan_units(sources, unit_size),
            commit,
            stop,
            progress,
            claim=claim,
        )
    finally:
        project.release(owner)
    if report.elsewhere:
        say(f"{report.elsewhere} segment(s) were drafted by another run on this project meanwhile")
    report.cancelled = report.pending > 0
    return report


@dataclass(frozen=True)
class ProjectSettings:
    """The project mode's own options (beside :class:`TranslateSettings`).

    Attributes:
        project: The ``.wbproj`` file (created if missing).
        tm: Translation-memory file (None: the user's default memory).
        no_tm: Use no translation memory.
    """

    project: Path
    tm: str | None = None
    no_tm: bool = False


def resume_command(settings: TranslateSettings, project: ProjectSettings, options: Sequence[str] = ()) -> str:
    """The exact command line that continues this run."""
    e = settings.engine
    parts = ["workbench", "translate", *map(str, settings.files), "--project", str(project.project)]
    for flag, value in (
        ("--tm", project.tm), ("--engine", e.engine), ("--model", e.model), ("--device", e.device),
        ("--beam", settings.beam), ("--threads", e.threads), ("--unit-size", settings.unit_size),
        ("--batch-tokens", e.batch_tokens), ("--out", settings.out), ("--encoding", settings.encoding),
        ("--input-format", settings.input_format),
    ):  # fmt: skip
        if value not in (None, ""):
            parts += [flag, str(value)]
    for g in settings.glossary:
        parts += ["--glossary", str(g)]
    if project.no_tm:
        parts.append("--no-tm")
    if settings.to_simplified:
        parts.append("--to-simplified")
    if settings.names:
        parts += ["--names", "--names-min-confidence", str(settings.names_min_confidence)]
    if settings.executor is ExecutorKind.RAY:
        parts += ["--executor", "ray"]
        for flag, value in (("--ray-address", settings.ray.address), ("--workers", settings.ray.workers)):
            if value is not None:
                parts += [flag, str(value)]
        parts += ["--threads-per-worker", str(settings.ray.threads_per_worker)]
    return shlex.join([*parts, *options])


@dataclass(frozen=True)
class ProjectRun:
    """What ``translate --project`` did, for the command to report.

    Attributes:
        project: The project file.
        report: What the batch did (``report.cancelled``: stopped by Ctrl-C; ``report.failed``: segments
            that could not be drafted, recorded in the project for the next run).
        counts: Segments per status in the whole project after the run (empty when stopped).
        outputs: The files written, in order (none when stopped).
        resume: The command line that continues the run.
    """

    project: Path
    report: BatchReport
    counts: dict[str, int]
    outputs: list[Path]
    resume: str


def translate_project(
    settings: TranslateSettings,
    project_settings: ProjectSettings,
    progress: ProgressFn | None = None,
) -> ProjectRun:
    """Run ``workbench translate FILE... --project P`` (see the module docstring); ``progress(done, total)``
    as units are drafted.

    Ctrl-C stops after the current unit (everything drafted so far is saved). Segments that could not be
    drafted are recorded in the project; the next run drafts them again.
    """
    if not settings.files:
        raise WorkbenchError("give at least one FILE to translate into the project")
    files = expand_inputs(settings.files, skip=[settings.out])
    documents = load_sources(settings, files)
    rejected: set[str] = set()
    if settings.names and project_settings.project.exists():
        with Project.open(project_settings.project, readonly=True) as existing:
            rejected = existing.rejected_names()
    glossary, glossary_files = drafting_glossary(
        settings,
        documents,
        project_settings.project.with_suffix(".names.tsv") if settings.names else None,
        rejected,
    )
    out = settings.out
    plan = plan_outputs([d.path for d in documents], out)
    if project_settings.project.exists():
        Project.open(
            project_settings.project
        ).close()  # a damaged, foreign or read-only project: its line first
    check_model_here(settings)  # before anything is created: no project, no output folder
    check_writable(out)
    stop = threading.Event()
    project = Project.open(project_settings.project, create=True)
    tm = None
    executor = open_executor_for(settings) if settings.executor is ExecutorKind.RAY else None
    try:
        if not project_settings.no_tm:
            tm = TranslationMemory.open(project_settings.tm)
        with stop_on_sigint(stop):
            report = run_batch(
                project, documents, load_engine=lambda: load_engine_timed(settings), executor=executor, tm=tm, glossary=glossary,
                glossary_paths=glossary_files, beam=settings.beam, unit_size=settings.unit_size, stop=stop,
                progress=progress, log=settings.say,
            )  # fmt: skip
        run = ProjectRun(project_settings.project, report, {}, [], resume_command(settings, project_settings))
        if report.cancelled:
            return run
        outputs = [
            path
            for doc_id, document in zip(report.doc_ids, documents, strict=True)
            for path in write_outputs(project.document_record(doc_id), plan.base(document.path))
        ]
        return replace(run, counts=dict(project.counts()), outputs=outputs)
    finally:
        if executor is not None:
            executor.close()
        if tm is not None:
            tm.close()
        project.close()
