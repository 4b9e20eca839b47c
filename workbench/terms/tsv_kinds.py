"""The three kinds of ``.tsv`` file the workbench reads, told apart by their header row.

- a **glossary** (term base): ``source, target`` and any of ``variants, alternatives, forbidden, note,
  case_sensitive, priority`` (``workbench.terms.formats``); what ``--glossary`` and ``glossary show|convert|check``
  read and what ``workbench names`` writes;
- an **aligned** file: the header ``source, target, score``; what ``workbench align`` writes and
  ``workbench glossary mine`` reads;
- a **bilingual** file: ``source<TAB>target`` lines, with or without that header row; what ``workbench qa``
  and ``workbench evaluate`` read (an aligned file is also one: its score is ignored).

Each reader asks :func:`header_kind` about the first row and, handed a kind it does not read, stops with
one line saying what the file is and which command reads it (:func:`wrong_kind`).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from workbench.errors import InputError


class TsvKind(str, Enum):
    """What a ``.tsv`` file holds."""

    GLOSSARY = "glossary"
    ALIGNED = "aligned"
    BILINGUAL = "bilingual"

    def __str__(self) -> str:
        return self.value


#: The header row of an aligned file (``workbench.formats.aligned``).
ALIGNED_HEADER = ("source", "target", "score")
#: A glossary's columns beyond source and target (``workbench.terms.formats.COLUMNS``).
GLOSSARY_COLUMNS = ("variants", "alternatives", "forbidden", "note", "case_sensitive", "priority")

_WHAT = {
    TsvKind.GLOSSARY: "a glossary TSV (header: source, target, variants, alternatives, …)",
    TsvKind.ALIGNED: "an aligned TSV (header: source, target, score)",
    TsvKind.BILINGUAL: "a bilingual TSV (source<TAB>target lines)",
}
_NAME = {
    TsvKind.GLOSSARY: "a glossary",
    TsvKind.ALIGNED: "an aligned TSV",
    TsvKind.BILINGUAL: "a bilingual TSV",
}
_READ_BY = {
    TsvKind.GLOSSARY: "pass it with --glossary, or read it with `workbench glossary show`",
    TsvKind.ALIGNED: "mine it with `workbench glossary mine`, or check it with `workbench qa`",
    TsvKind.BILINGUAL: "check it with `workbench qa` or score it with `workbench evaluate`",
}


def _cells(row: Sequence[str]) -> list[str]:
    return [c.strip().lstrip("\ufeff").lower() for c in row]


def header_kind(row: Sequence[str]) -> TsvKind | None:
    """The kind a first row declares: ``ALIGNED`` for ``source, target, score``; ``GLOSSARY`` when it
    names a glossary column beyond source and target; None for ``source, target`` alone or no header."""
    cells = _cells(row)
    if [c for c in cells if c] == list(ALIGNED_HEADER):
        return TsvKind.ALIGNED
    if len(cells) > 2 and cells[:2] == ["source", "target"] and set(cells[2:]) & set(GLOSSARY_COLUMNS):
        return TsvKind.GLOSSARY
    return None


def wrong_kind(where: str, found: TsvKind, wanted: TsvKind) -> InputError:
    """The one-line error for a file of kind ``found`` handed to a reader of ``wanted`` (``where``: the
    file, or ``FILE:LINE``)."""
    return InputError(f"{where}: this is {_WHAT[found]}, not {_NAME[wanted]}; {_READ_BY[found]}")
