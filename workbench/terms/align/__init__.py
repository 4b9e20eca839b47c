"""Sentence alignment of a Chinese document with its English translation (``workbench align``).

* :mod:`.model`: the beads (which Chinese sentences go with which English ones) and their scores.
* :mod:`.lengths`: the length model (English characters per Chinese character, fitted on FLORES-200).
* :mod:`.anchors`: lexical anchors shared by the two sides (CC-CEDICT, numbers, names, the glossary,
  Latin-script tokens, punctuation).
* :mod:`.dp`: the dynamic programme over beads 1-1, 1-2, 2-1, 2-2, 1-0 and 0-1 in a band that follows
  the best path (memory and time linear in the length of the documents).
* :mod:`.aligner`: paragraphs first where they correspond, then sentences.
"""

from workbench.terms.align.aligner import align_sentences, align_texts
from workbench.terms.align.model import Bead, BeadKind

__all__ = ["Bead", "BeadKind", "align_sentences", "align_texts"]
