"""``workbench glossary``: show, convert and check term bases.

* ``workbench glossary show G...`` lists the entries of one or more term bases.
* ``workbench glossary convert IN OUT [--to FMT]`` converts between tsv, csv, tbx and omegat.
* ``workbench glossary check FILE --glossary G [--target T | --jsonl J] [--format text|jsonl]`` lists
  the term hits in a source file; with translations it checks them and exits 1 on any violation.
* ``workbench glossary mine SOURCE...`` mines term candidates from parallel text (``glossary_mine.py``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.commands import options
from workbench.errors import InputError, WorkbenchError
from workbench.terms.formats import FORMATS as TERMBASE_FORMATS

if TYPE_CHECKING:
    from workbench.terms.match import Matcher


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``glossary`` command and its sub-commands."""
    p = subparsers.add_parser(
        "glossary",
        help="show, convert and check glossaries (term bases)",
        description="Term bases in extended TSV/CSV, OmegaT TSV (.txt) or TBX-Basic (.tbx).",
    )
    sub = p.add_subparsers(dest="glossary_command", metavar="SUBCOMMAND")
    sub.required = True

    show = sub.add_parser("show", help="list the entries of term bases")
    show.add_argument("glossaries", nargs="+", metavar="G", help="term base file(s)")
    show.add_argument("--format", choices=("text", "jsonl"), default="text")
    show.set_defaults(func=cmd_show)

    conv = sub.add_parser("convert", help="convert a term base between formats")
    conv.add_argument("input", metavar="IN")
    conv.add_argument("output", metavar="OUT")
    conv.add_argument(
        "--to",
        choices=TERMBASE_FORMATS,
        default=None,
        help="output format (default: from OUT's extension; .txt means omegat)",
    )
    options.add_force(conv, "OUT")
    conv.set_defaults(func=cmd_convert)

    chk = sub.add_parser(
        "check",
        help="list term hits in a source file, or violations in its translation",
        description=(
            "Without --target/--jsonl: list every glossary hit in FILE (per paragraph, offsets into the "
            "paragraph). With --target (one translated line per source paragraph, or per segment) or "
            "--jsonl (translate output: objects with 'source' and 'draft'/'final'/'target'): check each "
            "translation and exit 1 when a term is missing or a forbidden rendering is used."
        ),
    )
    chk.add_argument("file", metavar="FILE", help="the source text")
    chk.add_argument(
        "--glossary", action="append", required=True, metavar="G", help="term base file (repeatable)"
    )
    grp = chk.add_mutually_exclusive_group()
    grp.add_argument(
        "--target",
        metavar="TRANSLATION_FILE",
        help="plain-text translation: one line per source paragraph (or per segment)",
    )
    grp.add_argument("--jsonl", metavar="JSONL", help="translate output (JSON lines)")
    chk.add_argument("--format", choices=("text", "jsonl"), default="text")
    chk.add_argument("--all", action="store_true", help="with translations: also print satisfied hits")
    chk.set_defaults(func=cmd_check)

    from workbench.commands import glossary_mine

    glossary_mine.register(sub)


def cmd_show(args: argparse.Namespace) -> int:
    """Print the entries of the given term bases."""
    from workbench.terms import load_termbase

    tb = load_termbase(args.glossaries)
    out = sys.stdout
    for e in tb:
        if args.format == "jsonl":
            d = e.to_dict()
            d["location"] = e.location
            d["traditional"] = list(e.traditional_forms())
            out.write(json.dumps(d, ensure_ascii=False) + "\n")
            continue
        line = f"{e.source}\t{e.target}"
        extra = []
        if e.variants:
            extra.append("variants: " + "; ".join(e.variants))
        if e.alternatives:
            extra.append("also: " + "; ".join(e.alternatives))
        if e.forbidden:
            extra.append("forbidden: " + "; ".join(e.forbidden))
        if e.case_sensitive:
            extra.append("case-sensitive")
        if e.priority:
            extra.append(f"priority {e.priority}")
        out.write(line + ("\t[" + " | ".join(extra) + "]" if extra else "") + "\n")
    if args.format == "text":
        out.write(f"# {tb.describe()}\n")
    return 0


def cmd_convert(args: argparse.Namespace) -> int:
    """Convert IN to OUT."""
    from workbench.terms import load_termbase, save_termbase
    from workbench.terms.formats import format_for_path

    src, dst = Path(args.input), Path(args.output)
    fmt = args.to or format_for_path(dst)
    if dst.exists() and src.resolve() == dst.resolve():
        raise WorkbenchError(f"{dst}: output would overwrite the input")
    tb = load_termbase([src])
    save_termbase(tb, dst, fmt)
    print(f"{dst}: {len(tb)} entries ({fmt}), sha256:{tb.digest()}", file=sys.stderr)
    return 0


@dataclass
class _Unit:
    """One source unit to check: a paragraph or a segment, and its translations."""

    paragraph: int
    segment: int | None
    source: str
    translations: dict[str, str]


def _paragraphs(path: Path) -> list[str]:
    """Rebuilt paragraphs of a source file."""
    from workbench.text import load_document

    return [p.text for p in load_document(path).paragraphs]


def _segments_of(paragraphs: list[str]) -> list[tuple[int, int, str]]:
    from workbench.text.segments import split_segments

    return [(i, j, s) for i, p in enumerate(paragraphs) for j, s in enumerate(split_segments(p))]


def _units_from_target(path: Path, target: Path) -> list[_Unit]:
    paragraphs = _paragraphs(path)
    from workbench.safe_read import read_input_bytes

    try:
        text = read_input_bytes(target).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{target}: not UTF-8") from None
    # Lines end at line ends only (not at the other characters str.splitlines breaks at).
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if ln.strip()]
    if len(lines) == len(paragraphs):
        return [
            _Unit(i, None, p, {"target": t}) for i, (p, t) in enumerate(zip(paragraphs, lines, strict=True))
        ]
    segments = _segments_of(paragraphs)
    if len(lines) == len(segments):
        return [_Unit(i, j, s, {"target": t}) for (i, j, s), t in zip(segments, lines, strict=True)]
    raise WorkbenchError(
        f"{target}: {len(lines)} non-empty lines, but {path} has {len(paragraphs)} paragraphs "
        f"and {len(segments)} segments; give one translated line per paragraph or per segment"
    )


def _units_from_jsonl(jsonl: Path) -> list[_Unit]:
    from workbench.formats.bilingual import jsonl_objects

    units: list[_Unit] = []
    keys = ("draft", "final", "target", "translation")
    for n, obj in jsonl_objects(jsonl):
        if not any(k in obj for k in keys):
            raise WorkbenchError(f"{jsonl}:{n}: no 'draft', 'final', 'target' or 'translation' field")
        tr = {k: obj[k] for k in keys if isinstance(obj.get(k), str)}
        if not tr:
            continue  # not translated yet (null draft)
        para = obj.get("paragraph", len(units))
        # `workbench translate` writes `index` (within the paragraph) and `segment` (running number).
        seg = obj.get("index", obj.get("segment"))
        units.append(_Unit(int(para), None if seg is None else int(seg), obj["source"], tr))
    return units


def _where(u: _Unit) -> str:
    return f"p{u.paragraph + 1}" + (f".s{u.segment + 1}" if u.segment is not None else "")


def _check_rows(
    units: list[_Unit], matcher: Matcher, show_all: bool
) -> Iterator[tuple[dict[str, Any], bool]]:
    from workbench.terms import check_target

    for u in units:
        hits = matcher.find(u.source)
        if not u.translations:
            for h in hits:
                yield (
                    {
                        "paragraph": u.paragraph,
                        "segment": u.segment,
                        "start": h.start,
                        "end": h.end,
                        "source": h.text,
                        "target": h.entry.target,
                        "where": _where(u),
                    },
                    False,
                )
            continue
        for field_name, text in u.translations.items():
            for note in check_target(hits, text):
                if note.ok and not show_all:
                    continue
                row = {
                    "paragraph": u.paragraph,
                    "segment": u.segment,
                    "field": field_name,
                    "start": note.span[0] if note.span else None,
                    "end": note.span[1] if note.span else None,
                    "source": note.source,
                    "target": note.target,
                    "ok": note.ok,
                    "problem": note.problem,
                    "target_start": note.target_span[0] if note.target_span else None,
                    "target_end": note.target_span[1] if note.target_span else None,
                    "where": _where(u),
                }
                yield row, not note.ok


def cmd_check(args: argparse.Namespace) -> int:
    """List hits, or check translations; exit 1 when there are violations."""
    from workbench.terms import Matcher, load_termbase

    tb = load_termbase(args.glossary)
    path = Path(args.file)
    if args.target:
        units = _units_from_target(path, Path(args.target))
    elif args.jsonl:
        units = _units_from_jsonl(Path(args.jsonl))
    else:
        units = [_Unit(i, None, p, {}) for i, p in enumerate(_paragraphs(path))]
    matcher = Matcher(tb)
    n_rows = n_bad = 0
    out = sys.stdout
    for row, bad in _check_rows(units, matcher, args.all):
        n_rows += 1
        n_bad += bad
        if args.format == "jsonl":
            out.write(json.dumps({k: v for k, v in row.items() if k != "where"}, ensure_ascii=False) + "\n")
            continue
        src = row["source"].replace("\n", "⏎")
        line = f"{path}:{row['where']}:{row['start']}-{row['end']}: {src} -> {row['target']}"
        if "field" in row:
            status = "ok" if row["ok"] else row["problem"]
            span = f" at {row['target_start']}-{row['target_end']}" if row["target_start"] is not None else ""
            line += f": {row['field']} {status}{span}"
        out.write(line + "\n")
    checking = bool(args.target or args.jsonl)
    summary = f"{n_bad} violation(s)" if checking else f"{n_rows} hit(s) in {len(units)} paragraph(s)"
    print(f"{path}: {summary}; glossary {tb.describe()}", file=sys.stderr)
    return 1 if n_bad else 0
