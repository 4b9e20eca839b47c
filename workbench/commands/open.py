"""``workbench open FILE|PROJECT`` and the bare ``workbench``: the terminal UI."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from workbench.commands import options
from workbench.errors import WorkbenchError
from workbench.mt.registry import AUTO, engine_names


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``open`` sub-command."""
    parser = subparsers.add_parser(
        "open",
        help="open a source file or a project in the terminal UI",
        description=(
            "Open a source text file (its project FILE.wbproj is created beside it on first open) or a "
            ".wbproj project in the terminal UI. Every edit is saved at once; quitting never asks."
        ),
    )
    parser.add_argument(
        "path", nargs="?", help="source .txt file or .wbproj project (default: recent projects)"
    )
    add_options(parser)
    from workbench.commands.review import add_review_options

    add_review_options(parser)
    parser.set_defaults(func=open_tui)


def add_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by ``workbench open`` and the bare ``workbench``."""
    parser.add_argument(
        "--glossary",
        action="append",
        default=[],
        metavar="FILE",
        help="term base to check and enforce (repeatable; default: the one recorded in the project)",
    )
    parser.add_argument(
        "--tm",
        metavar="FILE",
        help="translation memory for fuzzy matches; approved segments are added to it "
        "(default: the user's memory, when it exists)",
    )
    parser.add_argument(
        "--model", help="MT model directory or id (default: $WORKBENCH_MODEL, then opus-mt-zh-en)"
    )
    parser.add_argument(
        "--engine",
        choices=engine_names(),
        default=AUTO,
        help="MT backend (default auto)",
    )
    parser.add_argument("--beam", type=options.beam_size, default=4, help="beam size for drafts (default 4)")


def open_tui(args: argparse.Namespace) -> int:
    """Run the UI on ``args.path`` (or the recent-projects screen) until the user quits."""
    path = getattr(args, "path", None)
    if getattr(args, "align", None) or getattr(args, "mine", None):
        if not sys.stdout.isatty() and not os.environ.get("WORKBENCH_FORCE_TUI"):
            raise WorkbenchError("the terminal UI needs a terminal (stdout is not a tty)")
        from workbench.commands.review import open_review

        return open_review(args)
    if path is not None and not Path(path).exists():
        raise WorkbenchError(f"{path}: no such file")
    if not sys.stdout.isatty() and not os.environ.get("WORKBENCH_FORCE_TUI"):
        raise WorkbenchError("the terminal UI needs a terminal (stdout is not a tty)")
    from workbench.store.tm import default_tm_path
    from workbench.tui.app import create_app

    tm = getattr(args, "tm", None)
    if tm is None and default_tm_path().is_file():
        tm = default_tm_path()  # the memory `workbench tm` builds, when there is one
    app = create_app(
        path,
        model=getattr(args, "model", None),
        engine=getattr(args, "engine", AUTO),
        glossary=getattr(args, "glossary", []) or [],
        tm=tm,
        beam=getattr(args, "beam", 4),
    )
    app.run()
    code = int(app.return_code or 0)
    if app.session is not None:
        app.session.close()
    if "torch" in sys.modules:
        # Interpreter teardown with torch loaded takes seconds; everything is saved and closed, so
        # leave at once (quitting must feel instant).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code
