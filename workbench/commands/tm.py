"""``workbench tm import|export|stats|lookup|concordance``: the translation memory."""

from __future__ import annotations

import argparse

from workbench.commands import options


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``tm`` sub-command and its actions."""
    p = subparsers.add_parser(
        "tm",
        help="translation memory: import/export TMX, statistics, lookup, concordance",
        description="The translation memory holds approved segment pairs (default file "
        "$XDG_DATA_HOME/workbench/tm.sqlite, else ~/.local/share/workbench/tm.sqlite).",
    )
    sub = p.add_subparsers(dest="tm_action", metavar="ACTION", required=True)

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--tm", metavar="PATH", help="TM file (default: the per-user one)")

    imp = sub.add_parser("import", help="add the units of a TMX file (units already there are skipped)")
    imp.add_argument("file", metavar="FILE.tmx")
    imp.add_argument("--src-lang", help="source language in the TMX (default: the header's srclang)")
    imp.add_argument("--tgt-lang", help="target language in the TMX (default: the other <tuv>)")
    common(imp)
    imp.set_defaults(func=run_import)

    exp = sub.add_parser("export", help="write the whole TM as a TMX 1.4b file")
    exp.add_argument("file", metavar="FILE.tmx")
    options.add_force(exp, "FILE.tmx")
    common(exp)
    exp.set_defaults(func=run_export)

    st = sub.add_parser("stats", help="number of units per language pair and origin")
    common(st)
    st.set_defaults(func=run_stats)

    lk = sub.add_parser(
        "lookup", help="exact and fuzzy matches for a source sentence (score, source, target, origin)"
    )
    lk.add_argument("text", type=options.source_text)
    lk.add_argument(
        "--min-score",
        type=options.score,
        default=75.0,
        metavar="S",
        help="lowest fuzzy score, 0 to 100 (default 75)",
    )
    common(lk)
    lk.set_defaults(func=run_lookup)

    from workbench.commands.concordance import add_parser

    add_parser(sub)


def run_import(args: argparse.Namespace) -> int:
    """Import a TMX file into the TM (read and checked completely before the TM is opened or created)."""
    from pathlib import Path

    from workbench.formats.tm_exchange import import_units
    from workbench.formats.tmx import read_tmx
    from workbench.lang import normalize_lang
    from workbench.safe_read import check_input_file
    from workbench.store.tm import TranslationMemory

    for tag in (args.src_lang, args.tgt_lang):
        if tag:
            normalize_lang(tag)
    check_input_file(args.file)
    units = read_tmx(args.file, src_lang=args.src_lang, tgt_lang=args.tgt_lang)
    variants = sum(1 for u in units if u.extra_targets)
    with TranslationMemory.open(args.tm) as tm:
        added, skipped = import_units(tm, units, Path(args.file).name)
        print(
            f"{tm.path}: {added} units added, {skipped} skipped (already present or untranslated); {len(tm)} in all"
        )
    if variants:
        print(
            f"{args.file}: {variants} unit(s) hold more than one translation in the target language; "
            "each translation was imported as its own pair"
        )
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Export the TM as TMX."""
    from workbench.formats.tm_exchange import export_tmx
    from workbench.store.tm import TranslationMemory

    with TranslationMemory.open(args.tm, create=False, readonly=True) as tm:
        n = export_tmx(tm, args.file)
        print(f"{args.file}: {n} units written from {tm.path}")
    return 0


def run_stats(args: argparse.Namespace) -> int:
    """Print TM statistics."""
    from pathlib import Path

    from workbench.store.tm import TranslationMemory, default_tm_path

    path = Path(args.tm) if args.tm else default_tm_path()
    if not path.exists():
        print(f"{path}: no translation memory yet (0 units)")
        return 0
    with TranslationMemory.open(path, create=False, readonly=True) as tm:
        s = tm.stats()
    print(f"{s.path}: {s.units} units, {s.bytes / 1024:.0f} KiB, newest {s.newest or '-'}")
    for src, tgt, n in s.pairs:
        print(f"  {src} -> {tgt}: {n}")
    for origin, n in s.origins:
        print(f"  from {origin}: {n}")
    return 0


def run_lookup(args: argparse.Namespace) -> int:
    """Print exact and fuzzy matches; exit 1 when there is none."""
    from workbench.store.tm import TranslationMemory

    with TranslationMemory.open(args.tm, create=False, readonly=True) as tm:
        exact = tm.exact(args.text)
        fuzzy = tm.fuzzy(args.text, min_score=args.min_score)
    if exact:
        print(f"100  {exact.source}\t{exact.target}\t{exact.origin or '-'}")
    for u in fuzzy:
        print(f"{u.score:>4.0f} {u.source}\t{u.target}\t{u.origin or '-'}")
    return 0 if exact or fuzzy else 1
