"""Use case: mine glossary candidates from parallel text (``workbench glossary mine``).

Sources: a TMX file, a TSV of pairs (header ``source<TAB>target``), a project (``.wbproj``: its
segments with a final translation), or a pair of documents in any readable format (Chinese, then
English), aligned first with ``workbench align``'s aligner (beads scoring at least 0.5).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from workbench.errors import InputError
from workbench.formats.aligned import read_pairs
from workbench.jobs.align import align_documents, load_pair
from workbench.store.project import Project
from workbench.terms.formats import save_termbase
from workbench.terms.mine import Candidate, mine
from workbench.terms.model import TermBase

PAIR_SUFFIXES = (".tmx", ".tsv")
#: Beads of an aligned document pair used for mining score at least this.
MIN_BEAD_SCORE = 0.5


def project_pairs(path: str | Path) -> list[tuple[str, str]]:
    """The segments of a project that have a final translation."""
    with Project.open(path, readonly=True) as project:
        return [(s.source, s.final) for s in project.segments() if s.final and s.final.strip()]


def document_pairs(zh: str | Path, en: str | Path, glossary: TermBase | None = None) -> list[tuple[str, str]]:
    """The aligned units of a Chinese document and its English translation."""
    pair = align_documents(load_pair(zh, en), glossary)
    return [(u.source, u.target) for u in pair.units(MIN_BEAD_SCORE)]


def collect_pairs(sources: Sequence[str], glossary: TermBase | None = None) -> list[tuple[str, str]]:
    """Sentence pairs of every source; documents that are not pair files must come two by two.

    Raises:
        InputError: An odd number of documents (a Chinese one without its English).
    """
    pairs: list[tuple[str, str]] = []
    documents: list[str] = []
    for s in sources:
        suffix = Path(s).suffix.lower()
        if suffix in PAIR_SUFFIXES:
            pairs += read_pairs(s)
        elif suffix == ".wbproj":
            pairs += project_pairs(s)
        else:
            documents.append(s)
    if len(documents) % 2:
        raise InputError(
            f"{documents[-1]}: documents are mined as pairs (Chinese, then its English); this one has no partner"
        )
    for zh, en in zip(documents[::2], documents[1::2], strict=True):
        pairs += document_pairs(zh, en, glossary)
    return pairs


def run_mine(
    sources: Sequence[str],
    *,
    min_count: int = 3,
    glossary: TermBase | None = None,
    out: str | Path | None = None,
) -> tuple[int, list[Candidate]]:
    """Mine candidates; write them as a glossary TSV to ``out`` when given. Returns (pairs read, candidates)."""
    pairs = collect_pairs(sources, glossary)
    if not pairs:
        raise InputError("no sentence pairs found in " + ", ".join(sources))
    cands = mine(pairs, min_count=min_count, glossary=glossary)
    if out is not None:
        save_termbase([c.entry() for c in cands], out, "tsv")
    return len(pairs), cands
