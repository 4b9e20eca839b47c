"""Command-line glue of the project mode: ``workbench translate FILE... --project P.wbproj``.

The ``translate`` command (owned by the MT area) calls :func:`add_project_arguments` when building its
parser and hands over to :func:`translate_project` when ``--project`` is given.
"""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.store.batch import DEFAULT_BATCH_SIZE, BatchReport, run_batch


def add_project_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--project`` and ``--tm``/``--no-tm`` (only those missing) to a ``translate`` parser."""
    have = {opt for action in parser._actions for opt in action.option_strings}
    if "--project" not in have:
        parser.add_argument(
            "--project",
            metavar="P.wbproj",
            help="keep the work in this project file (created if missing): resumable, drafts only what is "
            "not drafted yet, reuses translation-memory matches",
        )
    if "--tm" not in have:
        parser.add_argument(
            "--tm",
            metavar="PATH",
            help="translation memory file (default $XDG_DATA_HOME/workbench/tm.sqlite)",
        )
    if "--no-tm" not in have:
        parser.add_argument("--no-tm", action="store_true", help="with --project: use no translation memory")


def _opt(args: argparse.Namespace, name: str, default: Any = None) -> Any:
    return getattr(args, name, default)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for v in value:
            out.extend(_as_list(v))
        return out
    return [str(value)]


def resume_command(args: argparse.Namespace) -> str:
    """The exact command line that continues this run."""
    parts = [
        "workbench",
        "translate",
        *[str(f) for f in _as_list(_opt(args, "files"))],
        "--project",
        str(args.project),
    ]
    for name, flag in (
        ("tm", "--tm"),
        ("engine", "--engine"),
        ("model", "--model"),
        ("device", "--device"),
        ("beam", "--beam"),
        ("threads", "--threads"),
        ("batch_size", "--batch-size"),
        ("batch_tokens", "--batch-tokens"),
        ("out", "--out"),
        ("encoding", "--encoding"),
    ):
        value = _opt(args, name)
        if value is not None and value != "" and value is not False:
            parts += [flag, str(value)]
    for g in _as_list(_opt(args, "glossary")):
        parts += ["--glossary", g]
    if _opt(args, "no_tm"):
        parts.append("--no-tm")
    if _opt(args, "to_simplified"):
        parts.append("--to-simplified")
    return shlex.join(parts)


def _load_engine(args: argparse.Namespace):
    from workbench.mt.registry import load_engine

    kwargs: dict[str, Any] = {"model": _opt(args, "model")}
    if _opt(args, "device"):
        kwargs["device"] = args.device
    if _opt(args, "threads"):
        kwargs["threads"] = args.threads
    if _opt(args, "batch_tokens"):
        kwargs["batch_tokens"] = args.batch_tokens
    return load_engine(_opt(args, "engine") or "transformers", **kwargs)


def _write_outputs(project: Any, report: BatchReport, out_dir: Path) -> list[Path]:
    from workbench.atomic import write_text_atomic
    from workbench.formats.docx import word_outputs
    from workbench.formats.markdown import render_markdown
    from workbench.formats.tmx import write_tmx

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbenchError(f"{out_dir}: cannot create output folder: {exc.strerror}") from exc
    written = []
    for doc_id in dict.fromkeys(report.doc_ids):
        record = project.document_record(doc_id)
        stem = Path(record.name).stem or f"document-{doc_id}"
        md = out_dir / f"{stem}.md"
        write_text_atomic(md, render_markdown(record))
        tmx = out_dir / f"{stem}.tmx"
        write_tmx(record, tmx)
        written += [md, tmx, *word_outputs(record, out_dir, stem)]
    return written


def translate_project(args: argparse.Namespace) -> int:
    """Run ``workbench translate FILE... --project P`` (see ``workbench.store.batch``).

    Ctrl-C stops after the current batch (everything drafted so far is saved) and prints how to resume.
    """
    from workbench.formats.sources import load_source
    from workbench.store.project import Project
    from workbench.store.tm import TranslationMemory

    files = [Path(f) for f in _as_list(_opt(args, "files"))]
    if not files:
        raise WorkbenchError("give at least one FILE to translate into the project")
    documents = [
        load_source(
            f,
            input_format=_opt(args, "input_format"),
            encoding=_opt(args, "encoding"),
            to_simplified=bool(_opt(args, "to_simplified", False)),
        )
        for f in files
    ]
    glossary_paths = [Path(g) for g in _as_list(_opt(args, "glossary"))]
    termbase = None
    if glossary_paths:
        from workbench.terms import load_termbase

        termbase = load_termbase(glossary_paths)

    cancel = threading.Event()

    def on_sigint(_signum: int, _frame: Any) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        print(
            "workbench: stopping after the current batch (Ctrl-C again to abort now)",
            file=sys.stderr,
            flush=True,
        )

    quiet = bool(_opt(args, "quiet", False))

    def progress(done: int, total: int) -> None:
        if not quiet:
            print(f"drafted {done}/{total}", file=sys.stderr, flush=True)

    def log(msg: str) -> None:
        if not quiet:
            print(f"workbench: {msg}", file=sys.stderr, flush=True)

    previous = (
        signal.signal(signal.SIGINT, on_sigint)
        if threading.current_thread() is threading.main_thread()
        else None
    )
    project = Project.open(args.project, create=True)
    tm = None
    try:
        if not _opt(args, "no_tm"):
            tm = TranslationMemory.open(_opt(args, "tm"))
        report = run_batch(
            project,
            documents,
            load_engine=lambda: _load_engine(args),
            tm=tm,
            termbase=termbase,
            glossary_paths=glossary_paths,
            beam=int(_opt(args, "beam") or 4),
            batch_size=int(_opt(args, "batch_size") or DEFAULT_BATCH_SIZE),
            cancel=cancel,
            progress=progress,
            log=log,
        )
        if report.cancelled:
            print(
                f"workbench: interrupted; {report.segments - report.pending} of {report.segments} segments are "
                f"saved in {args.project}. Resume with:\n  {resume_command(args)}",
                file=sys.stderr,
            )
            return 130
        counts = project.counts()
        summary = ", ".join(f"{k} {v}" for k, v in counts.items() if v)
        print(
            f"{args.project}: {report.drafted} drafted, {report.redrafted} re-drafted, {report.tm_exact} from TM, "
            f"{report.fuzzy} with fuzzy matches, {report.kept_human} human kept; now {summary}"
        )
        for seg_id, term in report.unmet[:20]:
            print(f"workbench: warning: segment {seg_id}: glossary term {term!r} not placed", file=sys.stderr)
        out = _opt(args, "out")
        if out:
            for path in _write_outputs(project, report, Path(out)):
                print(path)
        return 0
    finally:
        if tm is not None:
            tm.close()
        project.close()
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
