"""Aligned sentence pairs out and in: TMX 1.4b with alignment scores, and TSV ``source, target, score``.

TMX: one ``<tu>`` per bead that has both sides, with ``<prop type="x-align-score">`` (0-1, three
decimals) and, for a bead that is not 1-1, ``<prop type="x-align-bead">`` (``2-1`` ...); sentences
left without a counterpart are not written. TSV: a header row ``source\ttarget\tscore``, then one bead
a row (tabs and line breaks inside a text become spaces). Both are written atomically.

Reading (for ``workbench glossary mine``): :func:`read_pairs` takes a TMX or a TSV whose header starts
``source\ttarget``.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from lxml import etree

from workbench import __version__
from workbench.atomic import write_bytes_atomic
from workbench.errors import InputError
from workbench.formats.tmx import DOCTYPE, XML_LANG, read_tmx, tmx_date
from workbench.safe_read import read_input_bytes
from workbench.safexml import xml_clean
from workbench.terms.tsv_kinds import TsvKind, header_kind, wrong_kind

TSV_HEADER = ("source", "target", "score")


@dataclass(frozen=True)
class AlignedUnit:
    """One bead as a translation unit.

    Attributes:
        source: The Chinese sentences, joined with nothing between them.
        target: The English sentences, joined with a space.
        score: Alignment confidence 0-1.
        bead: The bead's shape (``1-1``, ``2-1`` ...).
    """

    source: str
    target: str
    score: float
    bead: str = "1-1"


def _flat(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def tsv_bytes(units: Iterable[AlignedUnit]) -> bytes:
    """The TSV file's content."""
    buf = io.StringIO()
    buf.write("\t".join(TSV_HEADER) + "\n")
    for u in units:
        buf.write(f"{_flat(u.source)}\t{_flat(u.target)}\t{u.score:.3f}\n")
    return buf.getvalue().encode("utf-8")


def tmx_bytes(units: Iterable[AlignedUnit], src_lang: str = "zh-CN", tgt_lang: str = "en-US") -> bytes:
    """The TMX file's content."""
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(
        root,
        "header",
        creationtool="workbench",
        creationtoolversion=__version__,
        segtype="sentence",
        datatype="plaintext",
        adminlang="en-US",
        srclang=src_lang,
    )
    header.set("o-tmf", "workbench")
    header.set("creationdate", tmx_date())
    body = etree.SubElement(root, "body")
    for u in units:
        tu = etree.SubElement(body, "tu")
        etree.SubElement(tu, "prop", type="x-align-score").text = f"{u.score:.3f}"
        if u.bead != "1-1":
            etree.SubElement(tu, "prop", type="x-align-bead").text = u.bead
        for lang, text in ((src_lang, u.source), (tgt_lang, u.target)):
            tuv = etree.SubElement(tu, "tuv")
            tuv.set(XML_LANG, lang)
            etree.SubElement(tuv, "seg").text = xml_clean(text)
    return cast(
        bytes,
        etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype=DOCTYPE),
    )


def write_aligned(units: Sequence[AlignedUnit], path: str | os.PathLike[str]) -> Path:
    """Write ``units`` as TMX (``.tmx``) or TSV (any other extension), atomically."""
    data = tmx_bytes(units) if str(path).lower().endswith(".tmx") else tsv_bytes(units)
    return write_bytes_atomic(path, data)


def read_pairs(path: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """Sentence pairs ``(source, target)`` of a TMX file or a TSV with a ``source\ttarget`` header.

    Raises:
        InputError: Not a TMX file and not such a TSV.
    """
    p = Path(path)
    if p.suffix.lower() == ".tmx":
        return [(u.source, u.target) for u in read_tmx(p) if u.target and u.source.strip()]
    data = read_input_bytes(p)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{p}: a TSV of pairs must be UTF-8") from None
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    if rows and header_kind(rows[0]) is TsvKind.GLOSSARY:
        raise wrong_kind(str(p), TsvKind.GLOSSARY, TsvKind.ALIGNED)
    if not rows or [c.strip().lower() for c in rows[0][:2]] != ["source", "target"]:
        raise InputError(f"{p}: a TSV of pairs needs a header row 'source<TAB>target'")
    return [(r[0], r[1]) for r in rows[1:] if len(r) >= 2 and r[0].strip() and r[1].strip()]
