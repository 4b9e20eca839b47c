"""Paragraphs first where they correspond, then sentences.

:func:`align_texts` takes both documents as paragraphs of sentences. It first aligns the paragraphs
(the same programme, each paragraph one unit); where a run of paragraphs pairs off one to one with
good scores, the paragraph boundaries are fixed and the sentences are aligned within each pair of
paragraphs. Elsewhere (paragraphs joined or split differently on the two sides), the sentences of
the stretch between fixed boundaries are aligned as one sequence.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

import numpy as np

from workbench.terms.align.anchors import DocumentAnchors
from workbench.terms.align.dp import AlignParams, align_lengths
from workbench.terms.align.lengths import LengthModel, en_length, zh_length
from workbench.terms.align.model import Bead, BeadKind
from workbench.terms.model import TermBase

#: After a sentence end and its closing quote, a new sentence starts (OmegaT's rules keep ``。”此前`` as one
#: segment; its English has two sentences).
_QUOTED_END = re.compile(r"(?<=[。][”’」』])(?=[^\s”’」』。！？，、；：）)])")

#: A paragraph pair is a fixed boundary when its bead is 1-1 and scores at least this.
PARAGRAPH_CONFIDENCE = 0.99


def zh_sentences(segments: Sequence[str]) -> list[str]:
    """Chinese segments as aligned: OmegaT's segments, also cut after a quoted sentence end (``。”``)."""
    out = []
    for seg in segments:
        out += [p for p in _QUOTED_END.split(seg) if p.strip()]
    return out


def align_sentences(
    zh: Sequence[str],
    en: Sequence[str],
    glossary: TermBase | None = None,
    params: AlignParams | None = None,
    lexical: bool = True,
) -> list[Bead]:
    """Align two lists of sentences (beads index into them).

    Args:
        zh: Chinese sentences.
        en: English sentences.
        glossary: Term base whose terms count as anchors.
        params: Cost weights and band.
        lexical: False aligns on lengths alone (Gale-Church with our fitted length model).
    """
    anchors = DocumentAnchors.build(zh, en, glossary)[0] if lexical and zh and en else None
    return align_lengths(
        np.array([zh_length(s) for s in zh]),
        np.array([en_length(s) for s in en]),
        anchors,
        LengthModel(),
        params,
    )


def _shift(beads: list[Bead], dz: int, de: int) -> list[Bead]:
    return [Bead(tuple(k + dz for k in b.zh), tuple(k + de for k in b.en), b.score) for b in beads]


def fixed_paragraphs(
    zh_len: np.ndarray, en_len: np.ndarray, anchors: DocumentAnchors, params: AlignParams | None = None
) -> list[tuple[int, int]]:
    """Paragraph boundaries ``(zh paragraphs, en paragraphs)`` both sides agree on, in order.

    The boundaries of a 1-1 paragraph bead that scores at least :data:`PARAGRAPH_CONFIDENCE` are fixed
    when the beads before and after it are such beads too.
    """
    beads = align_lengths(zh_len, en_len, anchors, LengthModel(), params)
    good = [b.kind is BeadKind.ONE_ONE and b.score >= PARAGRAPH_CONFIDENCE for b in beads]
    fixed = []
    for k, b in enumerate(beads):
        # Inside a run of three confident 1-1 paragraph pairs, both ends of the middle one are fixed.
        if 0 < k < len(beads) - 1 and good[k - 1] and good[k] and good[k + 1]:
            fixed.append((b.zh[0], b.en[0]))
            fixed.append((b.zh[0] + 1, b.en[0] + 1))
    return sorted(set(fixed))


def align_texts(
    zh: Sequence[Sequence[str]],
    en: Sequence[Sequence[str]],
    glossary: TermBase | None = None,
    params: AlignParams | None = None,
    paragraphs: bool = True,
) -> list[Bead]:
    """Align two documents given as paragraphs of sentences; beads index the sentences in reading order.

    Args:
        zh: Chinese paragraphs, each a list of sentences.
        en: English paragraphs, each a list of sentences.
        glossary: Term base whose terms count as anchors.
        params: Cost weights and band.
        paragraphs: False skips the paragraph pass (all sentences in one sequence).
    """
    zs = [s for p in zh for s in p]
    es = [s for p in en for s in p]
    if not zs or not es:
        return align_lengths(np.array([zh_length(s) for s in zs]), np.array([en_length(s) for s in es]))
    anchors, feats, keys = DocumentAnchors.build(zs, es, glossary)
    zl = np.array([zh_length(s) for s in zs])
    el = np.array([en_length(s) for s in es])
    zsizes, esizes = [len(p) for p in zh], [len(p) for p in en]
    zstart = np.concatenate(([0], np.cumsum(zsizes))).astype(int)
    estart = np.concatenate(([0], np.cumsum(esizes))).astype(int)
    cuts = [(0, 0)]
    if paragraphs and len(zh) > 1 and len(en) > 1:
        par = DocumentAnchors.united(feats, keys, zsizes, esizes)
        pz = np.array([zl[a:b].sum() for a, b in itertools.pairwise(zstart)])
        pe = np.array([el[a:b].sum() for a, b in itertools.pairwise(estart)])
        cuts += fixed_paragraphs(pz, pe, par, params)
    cuts = sorted(set(cuts))
    if cuts[-1] != (len(zh), len(en)):
        cuts.append((len(zh), len(en)))
    beads: list[Bead] = []
    for (pa, qa), (pb, qb) in itertools.pairwise(cuts):
        z0, z1, e0, e1 = int(zstart[pa]), int(zstart[pb]), int(estart[qa]), int(estart[qb])
        part = anchors.slice(z0, z1, e0, e1)
        beads += _shift(align_lengths(zl[z0:z1], el[e0:e1], part, LengthModel(), params), z0, e0)
    return beads
