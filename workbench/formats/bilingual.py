"""Bilingual files read as ``(source, target)`` units: what ``workbench qa`` and ``evaluate`` read.

One small reader per format behind :func:`read_bilingual`:

=========  ======================================  =============================================
format     unit                                    target
=========  ======================================  =============================================
project    ``d<doc>-p<par>-s<seg>`` (as in XLIFF)  the final translation, else the draft
TMX        the ``tuid``, else the 1-based ``<tu>``  the first ``<tuv>`` in another language
XLIFF      the ``trans-unit`` ``id``               ``<target>`` (None when absent)
TSV        the 1-based line                        the second column (``source TAB target``)
JSONL      the 1-based line                        ``final`` when non-empty, else ``draft``
=========  ======================================  =============================================

The format comes from the file name (``.wbproj``, ``.tmx``, ``.xlf``/``.xliff``, ``.tsv``/``.tab``,
``.jsonl``/``.ndjson``), else from the content. A TSV whose first line is ``source TAB target``
skips it as a header; blank lines are skipped. JSONL lines are the objects ``workbench translate``
writes (``source``, ``draft``, ``final`` …); a line without ``source`` is an error.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.errors import InputError, WorkbenchError
from workbench.formats.lines import read_input
from workbench.guard import sqlite_held
from workbench.records import TermNote
from workbench.terms.ledger import segment_terms
from workbench.terms.tsv_kinds import TsvKind, header_kind, wrong_kind

if TYPE_CHECKING:
    from workbench.store.rows import SegmentRow
    from workbench.terms.context import GlossaryContext


class BilingualFormat(str, Enum):
    """The bilingual file formats :func:`read_bilingual` reads."""

    PROJECT = "project"
    TMX = "tmx"
    XLIFF = "xliff"
    TSV = "tsv"
    JSONL = "jsonl"


@dataclass(frozen=True)
class BilingualUnit:
    """One source segment and its translation, with where it came from.

    Attributes:
        source: The source segment.
        target: The translation; None when the unit has none.
        file: The file as the user named it.
        unit: The 1-based line (TSV, JSONL) or the unit id (project, TMX, XLIFF).
        signature: How the target was made, where the file records it (the engine signature of a
            project draft, a JSONL ``signature``, a TMX ``x-engine`` prop).
    """

    source: str
    target: str | None
    file: str
    unit: int | str
    signature: str | None = None
    terms: tuple[TermNote, ...] = ()  # the glossary hits with their ledger (JSONL ``terms``), when recorded


_SUFFIXES = {
    ".wbproj": BilingualFormat.PROJECT,
    ".tmx": BilingualFormat.TMX,
    ".xlf": BilingualFormat.XLIFF,
    ".xliff": BilingualFormat.XLIFF,
    ".tsv": BilingualFormat.TSV,
    ".tab": BilingualFormat.TSV,
    ".jsonl": BilingualFormat.JSONL,
    ".ndjson": BilingualFormat.JSONL,
}


def detect_format(path: str | os.PathLike[str]) -> BilingualFormat | None:
    """The format of ``path`` from its name, else its first bytes; None when it is none of them."""
    p = Path(path)
    if sqlite_held(p):  # a project this process has open: reading it raw would drop SQLite's locks
        return BilingualFormat.PROJECT
    head = read_input(p, 512)
    by_name = _SUFFIXES.get(p.suffix.lower())
    if by_name is not None:
        return by_name
    if head.startswith(b"SQLite format 3\x00"):
        return BilingualFormat.PROJECT
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if text.startswith("<"):
        low = text.lower()
        if "<tmx" in low:
            return BilingualFormat.TMX
        if "<xliff" in low:
            return BilingualFormat.XLIFF
        return None
    if text.startswith("{"):
        return BilingualFormat.JSONL
    if "\t" in text:
        return BilingualFormat.TSV
    return None


def _read_project(path: Path) -> list[BilingualUnit]:
    from workbench.formats.xliff import unit_id
    from workbench.store.project import Project

    with Project.open(path, readonly=True) as project:
        rows = project.segments()
        glossary = project.glossary() if any(s.ledger for s in rows) else None
        return [
            BilingualUnit(
                s.source, s.target, str(path), unit_id(s.doc_id, s.paragraph, s.index), s.signature,
                _stored_ledger_terms(s, glossary),
            )
            for s in rows
        ]  # fmt: skip


def _stored_ledger_terms(seg: SegmentRow, glossary: GlossaryContext | None) -> tuple[TermNote, ...]:
    """A project segment's glossary hits with its machine draft's ledger, while its target is that draft
    (what the ``forced-term`` check reads); none otherwise."""
    if glossary is None or not seg.ledger or not seg.target:
        return ()
    return tuple(segment_terms(glossary.check(seg.source, seg.target), seg))


def _read_tmx(path: Path) -> list[BilingualUnit]:
    from workbench.formats.tmx import read_tmx

    return [
        BilingualUnit(
            u.source, u.target, str(path), u.tuid or str(i), (u.props.get("x-engine") or [""])[0] or None
        )
        for i, u in enumerate(read_tmx(path), start=1)
    ]


def _read_xliff(path: Path) -> list[BilingualUnit]:
    from workbench.formats.xliff import read_xliff

    return [BilingualUnit(u.source, u.target, str(path), u.id) for u in read_xliff(path)]


def _lines(path: Path) -> list[str]:
    data = read_input(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 (byte offset {exc.start})") from None
    lines = text.split("\n")
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def _read_tsv(path: Path) -> list[BilingualUnit]:
    units: list[BilingualUnit] = []
    for n, line in enumerate(_lines(path), start=1):
        if not line.strip():
            continue
        if "\t" not in line:
            raise WorkbenchError(f"{path}:{n}: expected source TAB target, found no tab")
        source, target = line.split("\t")[:2]
        if n == 1 and header_kind(line.split("\t")) is TsvKind.GLOSSARY:
            raise wrong_kind(str(path), TsvKind.GLOSSARY, TsvKind.BILINGUAL)
        if n == 1 and source.strip().lower() == "source" and target.strip().lower() == "target":
            continue
        units.append(BilingualUnit(source, target, str(path), n))
    return units


def jsonl_objects(path: str | os.PathLike[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """The objects of a JSONL file as ``workbench translate`` writes it, with their 1-based line numbers.

    Blank lines are skipped; every other line must be a JSON object with a ``source`` string.

    Raises:
        InputError: Missing, special, too large or not UTF-8 file.
        WorkbenchError: A line that is not such an object (``FILE:LINE: …``).
    """
    p = Path(path)
    for n, line in enumerate(_lines(p), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise WorkbenchError(f"{p}:{n}: not a JSON object ({exc.msg})") from None
        except RecursionError:
            raise WorkbenchError(f"{p}:{n}: not a JSON object (nested too deeply)") from None
        if not isinstance(row, dict) or not isinstance(row.get("source"), str):
            raise WorkbenchError(f'{p}:{n}: a JSON object with a "source" string expected')
        yield n, row


def _read_jsonl(path: Path) -> list[BilingualUnit]:
    units: list[BilingualUnit] = []
    for n, row in jsonl_objects(path):
        target = next(
            (row[k] for k in ("final", "draft") if isinstance(row.get(k), str) and row[k].strip()), None
        )
        if target is None:
            target = next((row[k] for k in ("final", "draft") if isinstance(row.get(k), str)), None)
        signature = row.get("signature") if isinstance(row.get("signature"), str) else None
        units.append(BilingualUnit(row["source"], target, str(path), n, signature, _ledger_terms(row)))
    return units


def _ledger_terms(row: dict[str, Any]) -> tuple[TermNote, ...]:
    """The ``terms`` of a translate JSONL row that carry a ledger (``how``), as notes."""
    out = []
    for t in row.get("terms") or ():
        if isinstance(t, dict) and isinstance(t.get("how"), str) and isinstance(t.get("source"), str):
            cost, doubt = t.get("cost"), t.get("doubt")
            out.append(
                TermNote(
                    source=t["source"],
                    target=str(t.get("target", "")),
                    ok=bool(t.get("ok", True)),
                    how=t["how"],
                    cost=float(cost) if isinstance(cost, (int, float)) else None,
                    doubt=float(doubt) if isinstance(doubt, (int, float)) else None,
                )
            )
    return tuple(out)


READERS: dict[BilingualFormat, Callable[[Path], list[BilingualUnit]]] = {
    BilingualFormat.PROJECT: _read_project,
    BilingualFormat.TMX: _read_tmx,
    BilingualFormat.XLIFF: _read_xliff,
    BilingualFormat.TSV: _read_tsv,
    BilingualFormat.JSONL: _read_jsonl,
}


def read_bilingual(path: str | os.PathLike[str], fmt: BilingualFormat | None = None) -> list[BilingualUnit]:
    """Read the units of a bilingual file (module docstring: formats and unit ids).

    Args:
        path: A project, TMX, XLIFF, TSV or JSONL file.
        fmt: Force the format instead of detecting it.

    Raises:
        WorkbenchError: Missing or unreadable file, unknown format, malformed content (one line,
            naming the file and, for TSV and JSONL, the line).
    """
    p = Path(path)
    fmt = fmt or detect_format(p)
    if fmt is None:
        raise InputError(
            f"{p}: not a bilingual file this command reads (a .wbproj project, .tmx, .xlf, "
            "source TAB target .tsv, or translate .jsonl)"
        )
    return READERS[fmt](p)
