"""``workbench translate FILE...``: segment, draft every segment, write Markdown, JSONL and TMX.

With ``--project P`` the project mode (``workbench.store.cli``) takes over: resumable, committed
per batch, translation memory. Without it the run is in memory and writes ``DIR/<stem>.md``,
``DIR/<stem>.jsonl`` and ``DIR/<stem>.tmx``.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError

ENGINES = ("auto", "transformers", "ctranslate2")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``translate`` sub-command."""
    p = subparsers.add_parser(
        "translate",
        help="machine-draft Chinese text files into English (Markdown, JSONL, TMX)",
        description="Rebuild paragraphs and segments of each FILE, draft every segment with MarianMT "
        "(opus-mt-zh-en by default) and write DIR/<stem>.md (bilingual), DIR/<stem>.jsonl (one object per "
        "segment) and DIR/<stem>.tmx. The model comes from --model, else $WORKBENCH_MODEL, else the "
        "Hugging Face cache (downloaded on first use when online).",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="source text file(s)")
    p.add_argument("--model", metavar="ID|DIR", help="hub id or local model directory (default $WORKBENCH_MODEL or Helsinki-NLP/opus-mt-zh-en)")
    p.add_argument("--engine", choices=ENGINES, default="auto", help="backend (default auto: ctranslate2 when installed, the fastest that keeps the glossary guarantee)")
    p.add_argument("--beam", type=int, default=4, metavar="N", help="beam size, 1 = greedy (default 4)")
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto", help="default auto: CUDA when present")
    p.add_argument("--threads", type=int, metavar="N", help="compute threads (default: all cores)")
    p.add_argument("--batch-tokens", type=int, metavar="N", help="padded source tokens × beam per engine batch (default 2000)")
    p.add_argument("--batch-size", type=int, metavar="N", help="segments per batch / per commit with --project")
    p.add_argument("--out", metavar="DIR", default="out", help="output folder (default out)")
    p.add_argument("--glossary", action="append", metavar="G", help="term base enforced while decoding (repeatable)")
    p.add_argument("--to-simplified", action="store_true", help="convert traditional characters to simplified first")
    p.add_argument("--encoding", metavar="E", help="force the input encoding")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    try:
        from workbench.store.cli import add_project_arguments
    except ImportError:
        pass
    else:
        add_project_arguments(p)
    p.set_defaults(func=run_translate)


def _install_sigint(cancel: threading.Event) -> Any:
    """First Ctrl-C: finish the current batch, then stop. Second: abort at once."""

    def on_sigint(_signum: int, _frame: Any) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        print("\nworkbench: stopping after the current batch (Ctrl-C again to abort now)", file=sys.stderr, flush=True)

    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGINT, on_sigint)


def _engine(args: argparse.Namespace):
    from workbench.mt.registry import load_engine

    options: dict[str, Any] = {}
    if args.batch_tokens:
        options["batch_tokens"] = args.batch_tokens
    options["notice"] = lambda message: print(f"workbench: {message}", file=sys.stderr, flush=True)
    return load_engine(args.engine, args.model, device=args.device, threads=args.threads, **options)


def _progress_bar(quiet: bool):
    """A rich progress bar on stderr (None when quiet)."""
    if quiet:
        return None
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("segments"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
    )


def _write_outputs(record: Any, rows: list[dict], out_dir: Path, stem: str) -> list[Path]:
    from workbench.atomic import write_text_atomic

    md = out_dir / f"{stem}.md"
    try:
        from workbench.formats.markdown import render_markdown
    except ImportError:  # the exports area not built: a minimal stacked rendering
        lines = [f"# {record.name}", ""]
        for par in record.paragraphs:
            lines += [par.text, "", " ".join(s.draft or "" for s in par.segments), ""]
        text = "\n".join(lines)
    else:
        text = render_markdown(record)
    write_text_atomic(md, text)
    jsonl = out_dir / f"{stem}.jsonl"
    write_text_atomic(jsonl, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    written = [md, jsonl]
    try:
        from workbench.formats.tmx import write_tmx
    except ImportError:
        return written
    tmx = out_dir / f"{stem}.tmx"
    write_tmx(record, tmx)
    return [*written, tmx]


def run_translate(args: argparse.Namespace) -> int:
    """Translate the files; returns the exit status (130 when stopped by Ctrl-C)."""
    if getattr(args, "project", None):
        from workbench.store.cli import translate_project

        return translate_project(args)
    from workbench.mt.base import signature_text
    from workbench.text import load_document
    from workbench.translate_job import (
        DEFAULT_BATCH_SIZE,
        GlossaryContext,
        build_record,
        document_segments,
        draft_in_batches,
        jsonl_rows,
    )

    if args.beam < 1:
        raise WorkbenchError(f"--beam must be at least 1, not {args.beam}")
    documents = [load_document(f, encoding=args.encoding, to_simplified=args.to_simplified) for f in args.files]
    glossary = GlossaryContext.load(args.glossary) if args.glossary else None
    out_dir = Path(args.out)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbenchError(f"{out_dir}: cannot create output folder: {exc.strerror}") from exc

    say = (lambda msg: None) if args.quiet else (lambda msg: print(f"workbench: {msg}", file=sys.stderr, flush=True))
    started = time.monotonic()
    from workbench.mt.models import resolve_model

    resolve_model(args.model)  # a missing model is one error line before anything else is printed
    say(f"loading the {args.engine} engine…")
    engine = _engine(args)
    sig = engine.signature()
    say(f"model {sig.get('model')} ({sig.get('model_hash')}) on {sig.get('device')}, loaded in {time.monotonic() - started:.1f} s")

    cancel = threading.Event()
    previous = _install_sigint(cancel)
    exit_code = 0
    try:
        for document in documents:
            segs = document_segments(document)
            sources = [s for _, _, s in segs]
            constraints = [glossary.constraints(s) for s in sources] if glossary is not None else None
            bar = _progress_bar(args.quiet)
            name = Path(document.path).name
            if bar is not None:
                with bar:
                    task = bar.add_task(f"drafting {name}", total=len(sources))
                    drafts = draft_in_batches(
                        engine,
                        sources,
                        beam=args.beam,
                        constraints=constraints,
                        batch_size=args.batch_size or DEFAULT_BATCH_SIZE,
                        cancel=cancel,
                        progress=lambda done, _total, task=task, bar=bar: bar.update(task, completed=done),
                    )
            else:
                drafts = draft_in_batches(
                    engine,
                    sources,
                    beam=args.beam,
                    constraints=constraints,
                    batch_size=args.batch_size or DEFAULT_BATCH_SIZE,
                    cancel=cancel,
                )
            engine_sig = dict(engine.signature())
            if glossary is not None:
                engine_sig["glossary"] = glossary.termbase.digest()
            record = build_record(document, drafts, signature=signature_text(engine_sig), glossary=glossary)
            stem = Path(document.path).stem or "document"
            for path in _write_outputs(record, jsonl_rows(record, drafts), out_dir, stem):
                print(path)
            unmet = [(i, u) for i, d in enumerate(drafts) if d is not None for u in d.unmet]
            for i, term in unmet[:20]:
                print(f"workbench: warning: {name} segment {i}: glossary term {term!r} not placed", file=sys.stderr)
            if cancel.is_set():
                missing = sum(1 for d in drafts if d is None)
                print(
                    f"workbench: interrupted: {len(drafts) - missing} of {len(drafts)} segments of {name} drafted and "
                    f"written (the rest have no draft); use --project P.wbproj to resume later",
                    file=sys.stderr,
                )
                exit_code = 130
                break
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    say(f"done in {time.monotonic() - started:.1f} s")
    return exit_code
