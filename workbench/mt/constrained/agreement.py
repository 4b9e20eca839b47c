"""English agreement around a placed term: the indefinite article before it follows its first sound.

The fast path (:mod:`workbench.mt.constrained.fast`) replaces the model's rendering of a term with the
glossary's, so ``a council member`` becomes ``a executive committee member`` unless the article is
changed too. Only an article directly before a placed (locked) run is touched, and only when the
vocabulary has the other form as a single piece; the choice goes by the first letter (a vowel letter
takes ``an``), which is right for the glossary's terms and wrong for a few words (``a university``,
``an hour``), listed in :data:`EXCEPTIONS`.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Sequence

from workbench.mt.constrained.placement import SPIECE, Draftable

#: Word starts whose sound disagrees with their first letter.
EXCEPTIONS = {"uni": "a", "use": "a", "usu": "a", "euro": "a", "one": "a", "once": "a", "hour": "an", "honest": "an", "honour": "an", "honor": "an"}  # fmt: skip

_ARTICLES = {"a", "an"}


def article_for(word: str) -> str:
    """``a`` or ``an`` before ``word``."""
    low = word.lower()
    for start, article in EXCEPTIONS.items():
        if low.startswith(start):
            return article
    return "an" if low[:1] in "aeiou" and low[:1] != "" else "a"


def fix_articles(
    hyp: Draftable, pieces: Container[str], spell: Callable[[str], Sequence[str]] | None = None
) -> Draftable:
    """``hyp`` with every ``a``/``an`` piece directly before a placed run agreeing with the run's first word.

    Args:
        hyp: The edited hypothesis (placed pieces are ``locked``).
        pieces: The target vocabulary's pieces.
        spell: The target tokenizer (``TargetPieces.pieces``): an article that is not one piece of the
            vocabulary (``An`` at the start of a sentence) is written in the pieces it gives, when they
            are all in the vocabulary. Without it, a replacement article must be one piece.
    """
    out = Draftable(list(hyp.pieces), list(hyp.origin), list(hyp.locked))
    i = 1
    while i < len(out.pieces):
        if not out.locked[i] or out.locked[i - 1]:
            i += 1
            continue
        prev = out.pieces[i - 1]
        word = prev.lstrip(SPIECE)
        first = "".join(out.pieces[i:]).lstrip(SPIECE).split(SPIECE, 1)[0]
        want = article_for(first)
        if word.lower() not in _ARTICLES or word.lower() == want:
            i += 1
            continue
        spelled = want.capitalize() if word[:1].isupper() else want
        lead = prev[: len(prev) - len(word)]
        candidate = [lead + spelled]
        if candidate[0] not in pieces and spell is not None and lead == SPIECE:
            candidate = list(spell(spelled))
        if candidate and all(p in pieces for p in candidate):
            n = len(candidate)
            out.pieces[i - 1 : i] = candidate
            out.origin[i - 1 : i] = [out.origin[i - 1]] * n
            out.locked[i - 1 : i] = [False] * n
            i += n - 1
        i += 1
    return out
