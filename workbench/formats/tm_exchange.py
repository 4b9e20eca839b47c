"""A translation memory in and out of TMX 1.4b: ``workbench tm import`` and ``workbench tm export``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from workbench.formats.tmx import TmxUnit, read_tmx, write_tmx
from workbench.records import DocumentRecord, ParagraphRecord, SegmentRecord, Status
from workbench.store.tm import DEFAULT_SRC, DEFAULT_TGT, TMUnit, TranslationMemory


def import_tmx(
    tm: TranslationMemory, path: Path | str, src_lang: str | None = None, tgt_lang: str | None = None
) -> tuple[int, int]:
    """Import a TMX file into ``tm`` (parsed safely: XXE and entity bombs refused) in one transaction.

    Returns:
        ``(added, skipped)``: new units, and units already present or without a target.
    """
    return import_units(tm, read_tmx(path, src_lang=src_lang, tgt_lang=tgt_lang), Path(path).name)


def import_units(tm: TranslationMemory, units: Sequence[TmxUnit], origin: str) -> tuple[int, int]:
    """Add units read from a TMX file (``read_tmx``) to ``tm`` in one transaction; ``origin`` names the file.

    Every translation of a unit in the target language is added (a TMX unit may hold several).

    Returns:
        ``(added, skipped)``: new pairs, and pairs already present or without a target.
    """
    todo = [
        TMUnit(
            u.source,
            target,
            u.src_lang or DEFAULT_SRC,
            u.tgt_lang or DEFAULT_TGT,
            origin,
            _tmx_date_iso(u.changedate),
        )
        for u in units
        for target in (u.target, *u.extra_targets)
        if target and target.strip() and u.source.strip()
    ]
    added = tm.add_many(todo, creator="tmx-import")
    return added, sum(1 + len(u.extra_targets) for u in units) - added


def export_tmx(tm: TranslationMemory, path: Path | str) -> int:
    """Write every unit of ``tm`` to a TMX 1.4b file (atomically); returns the units written."""
    by_pair: dict[tuple[str, str], list[TMUnit]] = {}
    for u in tm.units():
        by_pair.setdefault((u.src_lang, u.tgt_lang), []).append(u)
    docs = []
    for (sl, tl), units in by_pair.items():
        segs = [
            SegmentRecord(
                paragraph=i,
                index=0,
                source=u.source,
                final=u.target,
                status=Status.APPROVED,
                updated=u.created,
            )
            for i, u in enumerate(units)
        ]
        paras = [ParagraphRecord(i, "body", s.source, (i + 1, i + 1), [s]) for i, s in enumerate(segs)]
        docs.append(DocumentRecord(name=tm.path.name, src_lang=sl, tgt_lang=tl, paragraphs=paras))
    return write_tmx(docs, path).units


def _tmx_date_iso(value: str | None) -> str:
    """``20240131T120000Z`` -> ``2024-01-31T12:00:00.000Z``; empty when missing or malformed."""
    if not value:
        return ""
    m = re.fullmatch(r"(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z", value.strip())
    if not m:
        return ""
    y, mo, d, h, mi, s = m.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}.000Z"
