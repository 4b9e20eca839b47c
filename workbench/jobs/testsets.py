"""Named test sets ``workbench evaluate --test-set NAME`` reads: sources and references shipped
with the package (see ``data/*/README.md`` for their origin and licence).
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from enum import Enum
from importlib import resources

from workbench.errors import WorkbenchError


class TestSetName(str, Enum):
    """The test sets that ship with the workbench."""

    FLORES200_DEVTEST = "flores200-devtest"


@dataclass(frozen=True)
class TestSet:
    """Sources and one or more reference translations, line-aligned.

    Attributes:
        name: The name ``--test-set`` takes.
        description: One line: what it is and under which licence.
        sources: Chinese source sentences.
        references: Reference streams, each one English sentence per source.
    """

    name: str
    description: str
    sources: list[str]
    references: list[list[str]]


_FILES = {
    TestSetName.FLORES200_DEVTEST: (
        "flores200",
        "zho_Hans.devtest.gz",
        ("eng_Latn.devtest.gz",),
        "FLORES-200 devtest zho_Hans→eng_Latn, 1,012 sentences (NLLB Team, Meta AI; CC BY-SA 4.0)",
    )
}


def _lines(folder: str, name: str) -> list[str]:
    data = resources.files("workbench.jobs").joinpath("data").joinpath(folder).joinpath(name).read_bytes()
    return [line.rstrip() for line in gzip.decompress(data).decode("utf-8").split("\n")[:-1]]


def load_test_set(name: str) -> TestSet:
    """The shipped test set called ``name``.

    Raises:
        WorkbenchError: No such test set (the message lists the known ones).
    """
    try:
        key = TestSetName(name)
    except ValueError:
        known = ", ".join(t.value for t in TestSetName)
        raise WorkbenchError(f"unknown test set {name!r}; known: {known}") from None
    folder, source, references, description = _FILES[key]
    return TestSet(key.value, description, _lines(folder, source), [_lines(folder, r) for r in references])
