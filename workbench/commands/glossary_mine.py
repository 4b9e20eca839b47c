"""``workbench glossary mine SOURCE...``: term candidates from parallel text (registered by ``glossary``)."""

from __future__ import annotations

import argparse

from workbench.commands import options


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``mine`` to the ``glossary`` sub-commands."""
    p = sub.add_parser(
        "mine",
        help="mine term candidates from TMX, TSV pairs, projects or aligned document pairs",
        description="Recurring Chinese terms with their English renderings found by word alignment, counts, "
        "consistency, two examples, the glossary's verdict and names' pinyin check. SOURCE: a .tmx, a .tsv "
        "of pairs (header source<TAB>target), a .wbproj project, or two documents (Chinese, then English) "
        "that are aligned first. The output TSV loads as a glossary. See docs/how-to/align.md.",
    )
    p.add_argument("sources", nargs="+", metavar="SOURCE")
    p.add_argument(
        "--min-count",
        type=options.positive_int,
        default=3,
        metavar="N",
        help="fewest sentence pairs a term must occur in (default 3)",
    )
    p.add_argument("--glossary", action="append", metavar="G", help="term base to compare with (repeatable)")
    p.add_argument("--out", metavar="candidates.tsv", help="write the candidates as a glossary TSV")
    p.add_argument(
        "--top",
        type=options.non_negative_int,
        default=50,
        metavar="N",
        help="candidates printed (default 50; 0: none)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Mine, print the best candidates and write the TSV."""
    from workbench.atomic import writable_target
    from workbench.jobs.mine import run_mine

    if args.out:
        writable_target(args.out)
    glossary = None
    if args.glossary:
        from workbench.terms import load_termbase

        glossary = load_termbase(args.glossary)
    n_pairs, cands = run_mine(args.sources, min_count=args.min_count, glossary=glossary, out=args.out)
    print(f"{n_pairs} sentence pairs: {len(cands)} candidates")
    for c in cands[: args.top]:
        verdict = f"\tglossary {c.glossary}" + (f" ({c.glossary_target})" if c.glossary_target else "")
        pinyin = f"\tpinyin {c.pinyin}" if c.pinyin else ""
        print(f"{c.source}\t{c.target}\t{c.count}\t{c.consistency:.2f}{verdict}{pinyin}")
    if args.out:
        print(f"{args.out}: {len(cands)} candidates written (loads as a glossary)")
    return 0
