"""``workbench open --align ZH EN`` and ``workbench open --mine CANDIDATES``: the review screens."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.errors import WorkbenchError


def add_review_options(parser: argparse.ArgumentParser) -> None:
    """The review options of ``workbench open``."""
    parser.add_argument(
        "--align",
        nargs=2,
        metavar=("ZH", "EN"),
        help="align ZH with its translation EN and review the beads before they go into the TM",
    )
    parser.add_argument(
        "--mine", metavar="CANDIDATES.tsv", help="review mined term candidates (accept, edit, reject)"
    )
    parser.add_argument(
        "--accept-into",
        metavar="G.tsv",
        help="with --mine: glossary file the accepted candidates go to (default CANDIDATES.accepted.tsv)",
    )


def open_review(args: argparse.Namespace) -> int:
    """Run the alignment or candidate review until the user quits."""
    if args.align:
        from workbench.jobs.align import align_documents, load_pair
        from workbench.tui.align_review import AlignReviewApp

        glossary = None
        if args.glossary:
            from workbench.terms import load_termbase

            glossary = load_termbase(args.glossary)
        pair = align_documents(load_pair(*args.align), glossary)
        app: object = AlignReviewApp(pair, args.tm)
    else:
        from workbench.terms.formats import read_entries
        from workbench.tui.mine_review import MineReviewApp

        path = Path(args.mine)
        if not path.is_file():
            raise WorkbenchError(f"{path}: no such file")
        out = Path(args.accept_into) if args.accept_into else path.with_suffix(".accepted.tsv")
        app = MineReviewApp(read_entries(path), out)
    app.run()  # type: ignore[attr-defined]
    return 0
