"""``workbench translate PATH...``: segment, draft every segment, write Markdown, JSONL and TMX.

With ``--project P`` the work is kept in a project file (``workbench.jobs.project``): resumable,
committed unit by unit, with a translation memory. Without it (``workbench.jobs.translate``) each input
gets ``DIR/<name>.md``, ``.jsonl`` and ``.tmx``, with a done-state in ``DIR`` that makes the run resumable.
``--executor ray`` drafts on a Ray cluster (``workbench.jobs.executors``).
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.commands import options
from workbench.errors import WorkbenchError
from workbench.jobs.drafting import DEFAULT_UNIT_SIZE
from workbench.jobs.executors import ExecutorKind
from workbench.mt.registry import AUTO, DEVICES, engine_names

if TYPE_CHECKING:
    from workbench.jobs.batch import RunResult
    from workbench.jobs.project import ProjectRun
    from workbench.jobs.translate import TranslateSettings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``translate`` sub-command."""
    p = subparsers.add_parser(
        "translate",
        help="machine-draft Chinese text files into English (Markdown, JSONL, TMX)",
        description="Rebuild paragraphs and segments of each FILE, draft every segment with MarianMT "
        "(opus-mt-zh-en by default) and write DIR/<stem>.md (bilingual), DIR/<stem>.jsonl (one object per "
        "segment) and DIR/<stem>.tmx. The model comes from --model, else $WORKBENCH_MODEL, else the "
        "Hugging Face cache (downloaded on first use when online).",
    )
    p.add_argument(
        "files",
        nargs="+",
        metavar="PATH",
        help="source files (text, Markdown, Word .docx, PDF), folders (every such file below them) or "
        "@list.txt (one path per line)",
    )
    p.add_argument(
        "--model",
        metavar="ID|DIR",
        help="hub id or local model directory (default $WORKBENCH_MODEL or Helsinki-NLP/opus-mt-zh-en)",
    )
    p.add_argument(
        "--engine",
        choices=engine_names(),
        default=AUTO,
        help="backend (default auto: ctranslate2 when installed, the fastest that keeps the glossary guarantee)",
    )
    p.add_argument(
        "--beam", type=options.beam_size, default=4, metavar="N", help="beam size, 1 = greedy (default 4)"
    )
    p.add_argument("--device", choices=DEVICES, default="auto", help="default auto: CUDA when present")
    p.add_argument(
        "--threads",
        type=options.thread_count,
        metavar="N",
        help="compute threads, capped at the cores (default: all cores but one)",
    )
    p.add_argument(
        "--batch-tokens",
        type=options.positive_int,
        metavar="N",
        help="padded source tokens × beam per engine batch (default 2000)",
    )
    p.add_argument(
        "--unit-size",
        "--batch-size",  # its name before 0.2: it always set the drafting unit
        dest="unit_size",
        type=options.positive_int,
        metavar="N",
        help=f"segments per drafting unit: drafted together, committed together with --project, retried "
        f"together (default {DEFAULT_UNIT_SIZE}; --batch-size is the old name)",
    )
    p.add_argument("--out", metavar="DIR", default="out", help="output folder (default out)")
    options.add_force(p, "files in --out")
    p.add_argument(
        "--glossary", action="append", metavar="G", help="term base enforced while decoding (repeatable)"
    )
    p.add_argument(
        "--to-simplified", action="store_true", help="convert traditional characters to simplified first"
    )
    p.add_argument("--encoding", type=options.text_encoding, metavar="E", help="force the input encoding")
    from workbench.commands.segment import add_input_format

    add_input_format(p)
    p.add_argument(
        "--names",
        action="store_true",
        help="also enforce the names of people, places and organisations the document gives "
        "(see `workbench names`); the glossary wins any conflict",
    )
    p.add_argument(
        "--names-min-confidence",
        type=options.fraction,
        default=0.8,
        metavar="X",
        help="with --names: lowest confidence of a name enforced (default 0.8)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_lines_and_project(p)
    _add_scale_out(p)
    p.set_defaults(func=run_translate)


def _add_lines_and_project(p: argparse.ArgumentParser) -> None:
    """The per-line mode and the project options."""
    p.add_argument(
        "--lines",
        action="store_true",
        help="every line of the one FILE is one segment (no paragraph rebuilding or SRX cutting); writes "
        "DIR/<stem>.jsonl, one object per line, segment = 0-based line number",
    )
    p.add_argument(
        "--terms",
        metavar="TERMS.jsonl",
        help="with --lines: line i's own term list (WMT23 format: a JSON list of objects with zh/en or src/tgt), "
        "enforced like glossary hits",
    )
    p.add_argument(
        "--project",
        metavar="P.wbproj",
        help="keep the work in this project file (created if missing): resumable, drafts only what is "
        "not drafted yet, reuses translation-memory matches",
    )
    p.add_argument(
        "--tm", metavar="PATH", help="translation memory file (default $XDG_DATA_HOME/workbench/tm.sqlite)"
    )
    p.add_argument("--no-tm", action="store_true", help="with --project: use no translation memory")


def _add_scale_out(p: argparse.ArgumentParser) -> None:
    """The Ray executor's options."""
    scale = p.add_argument_group("scale-out (Ray)")
    scale.add_argument(
        "--executor",
        choices=[k.value for k in ExecutorKind],
        default=ExecutorKind.LOCAL.value,
        help="draft in this process (local, the default) or on a Ray cluster (ray)",
    )
    scale.add_argument(
        "--ray-address",
        metavar="ADDR|auto",
        help="with --executor ray: join this running cluster (default: start a local Ray instance)",
    )
    scale.add_argument(
        "--workers",
        type=options.positive_int,
        metavar="N",
        help="with --executor ray: engine replicas (default: CPUs / threads per worker)",
    )
    scale.add_argument(
        "--threads-per-worker",
        type=options.positive_int,
        default=1,
        metavar="T",
        help="with --executor ray: threads of each worker (default 1)",
    )


def settings_from(args: argparse.Namespace) -> TranslateSettings:
    """The run's :class:`~workbench.jobs.translate.TranslateSettings` from the parsed arguments."""
    from workbench.jobs.engines import EngineOptions
    from workbench.jobs.executors import RayOptions
    from workbench.jobs.translate import TranslateSettings

    return TranslateSettings(
        files=list(args.files),
        out=Path(args.out),
        beam=args.beam,
        unit_size=args.unit_size or DEFAULT_UNIT_SIZE,
        glossary=list(args.glossary or []),
        encoding=args.encoding,
        input_format=args.input_format,
        to_simplified=args.to_simplified,
        engine=EngineOptions(args.engine, args.model, args.device, args.threads, args.batch_tokens),
        quiet=args.quiet,
        names=args.names,
        names_min_confidence=args.names_min_confidence,
        executor=ExecutorKind(args.executor),
        ray=RayOptions(args.ray_address, args.workers, args.threads_per_worker),
    )


def run_translate(args: argparse.Namespace) -> int:
    """Translate the files; returns the exit status (130 when stopped by Ctrl-C)."""
    settings = settings_from(args)
    if args.terms and not args.lines:
        raise WorkbenchError("--terms gives one term list per line: use it with --lines")
    if args.lines:
        if args.project or args.executor != ExecutorKind.LOCAL.value or args.names:
            raise WorkbenchError(
                "--lines drafts one file here: leave out --project, --executor ray and --names"
            )
        from workbench.commands.progress import progress_bar
        from workbench.jobs.lines import translate_lines

        return translate_lines(settings, args.terms, partial(progress_bar, quiet=args.quiet))
    if args.project:
        from workbench.jobs.project import ProjectSettings, translate_project

        def progress(done: int, total: int) -> None:
            print(f"drafted {done}/{total}", file=sys.stderr, flush=True)

        run = translate_project(
            settings,
            ProjectSettings(Path(args.project), args.tm, args.no_tm),
            None if args.quiet else progress,
        )
        return report_project_run(run)
    from workbench.commands.progress import batch_progress
    from workbench.jobs.translate import translate_files

    return report_files_run(translate_files(settings, partial(batch_progress, quiet=args.quiet)))


#: Exit status when any input failed (the others are written); when only segments failed, the run exits
#: ``workbench.jobs.drafting.EXIT_SEGMENTS_FAILED``.
EXIT_FAILED = 1
#: Exit status when stopped by Ctrl-C.
EXIT_STOPPED = 130


def report_files_run(run: RunResult) -> int:
    """Print the closing lines of a run over many documents; the exit status: ``EXIT_STOPPED`` when stopped
    (what was drafted is kept), ``EXIT_FAILED`` when an input failed, ``EXIT_SEGMENTS_FAILED`` when only
    segments failed, else 0."""
    from workbench.jobs.drafting import EXIT_SEGMENTS_FAILED, failure_summary

    r = run.report
    rate = f", {run.drafted / run.seconds:.1f} segments/s" if run.drafted and run.seconds > 0 else ""
    print(
        f"workbench: {r.summary()}; {run.drafted} segments drafted in {run.seconds:.1f} s{rate}",
        file=sys.stderr,
    )
    if r.failed_segments:
        print(f"workbench: {failure_summary(run.drafted, r.failed_segments)}", file=sys.stderr)
    if r.stopped:
        print(
            f"workbench: run the same command again to resume: what was drafted is kept in {run.state_dir}",
            file=sys.stderr,
        )
        return EXIT_STOPPED
    if r.failed:
        return EXIT_FAILED
    return EXIT_SEGMENTS_FAILED if r.failed_segments else 0


def report_project_run(run: ProjectRun) -> int:
    """Print what ``translate --project`` did; the exit status: 130 when stopped (with the command that
    resumes), ``EXIT_SEGMENTS_FAILED`` when segments could not be drafted, else 0."""
    from workbench.jobs.drafting import EXIT_SEGMENTS_FAILED, failure_summary

    r = run.report
    if r.cancelled:
        print(
            f"workbench: interrupted; {r.segments - r.pending} of {r.segments} segments are saved in "
            f"{run.project}. Resume with:\n  {run.resume}",
            file=sys.stderr,
        )
        return EXIT_STOPPED
    summary = ", ".join(f"{k} {v}" for k, v in run.counts.items() if v)
    print(
        f"{run.project}: {r.drafted} drafted, {r.redrafted} re-drafted, {r.tm_exact} from TM, {r.fuzzy} with "
        f"fuzzy matches, {r.kept_human} human kept; now {summary}"
    )
    for seg_id, term in r.unmet[:20]:
        print(f"workbench: warning: segment {seg_id}: glossary term {term!r} not placed", file=sys.stderr)
    for seg_id, reason in r.failed[:20]:
        print(f"workbench: warning: segment {seg_id}: drafting failed: {reason}", file=sys.stderr)
    for path in run.outputs:
        print(path)
    if r.failed:
        failed = [(f"segment {seg_id}", reason) for seg_id, reason in r.failed]
        print(f"workbench: {failure_summary(r.drafted + r.redrafted, failed)}", file=sys.stderr)
        return EXIT_SEGMENTS_FAILED
    return 0
