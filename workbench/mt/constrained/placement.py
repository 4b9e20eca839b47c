"""Placing glossary terms into a finished hypothesis, at the words the model aligned to the source term.

The CTranslate2 path (:mod:`workbench.mt.constrained.fast`) decodes once and then edits the best
hypothesis token by token. A hypothesis is cut into *units* at word boundaries: a unit starts with a
"▁" piece (a new word) or with a piece whose first character is not a word character (punctuation);
byte-fallback pieces and the pieces after a lone "▁" never start one. A term is always written in its
boundary form (leading "▁") and placed between units, so as the glossary check wants it, no word
character is glued onto either end.

Where: the target tokens whose strongest cross-attention falls on the source term's tokens are taken
as the model's own rendering of the term; the run of neighbouring units with the most attention on
it is replaced by the term (an article before it stays). When no token aligns there, the term is inserted at the unit boundary nearest
to the term's relative position in the source (a monotone alignment's guess). A forbidden rendering
is replaced by the approved one. Units already holding a term are never touched again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

SPIECE = "\u2581"


def _word_char(ch: str) -> bool:
    return bool(ch) and (ch.isalnum() or ch == "_")


def _is_byte(piece: str) -> bool:
    return piece.startswith("<0x") and piece.endswith(">")


def unit_starts(pieces: Sequence[str]) -> list[int]:
    """Token indices where a unit starts (always 0 when there are pieces), in order."""
    starts = []
    for i, piece in enumerate(pieces):
        if i == 0:
            starts.append(0)
            continue
        if _is_byte(piece) or pieces[i - 1] == SPIECE:
            continue
        if piece.startswith(SPIECE) or not _word_char(piece[:1]):
            starts.append(i)
    return starts


def is_word_unit(pieces: Sequence[str], start: int, end: int) -> bool:
    """True when the unit ``pieces[start:end]`` is a word (its first visible character is a word character)."""
    text = "".join(pieces[start:end]).lstrip(SPIECE)
    return _word_char(text[:1]) or _is_byte(pieces[start])


@dataclass
class Draftable:
    """A hypothesis being edited: its pieces and, per piece, the index it had in the decoder output.

    Attributes:
        pieces: Target pieces (no end token).
        origin: Per piece, its index in the original hypothesis, or -1 for a placed term's piece.
        locked: Per piece, True when it belongs to a placed term (never replaced again).
    """

    pieces: list[str]
    origin: list[int] = field(default_factory=list)
    locked: list[bool] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.origin:
            self.origin = list(range(len(self.pieces)))
        if not self.locked:
            self.locked = [False] * len(self.pieces)

    def units(self) -> list[tuple[int, int]]:
        """``(start, end)`` token spans of the units."""
        starts = unit_starts(self.pieces)
        return list(zip(starts, [*starts[1:], len(self.pieces)], strict=True))


@dataclass(frozen=True)
class Edit:
    """Replace units ``[lo, hi)`` (``lo == hi``: insert before unit ``lo``) with ``pieces``.

    Attributes:
        lo: First unit replaced (or the unit the insertion goes before; ``len(units)``: the end).
        hi: One past the last unit replaced.
        pieces: The term's pieces (boundary form).
        order: Tie-break between insertions at the same place (the term's source order).
    """

    lo: int
    hi: int
    pieces: tuple[str, ...]
    order: int = 0


def apply_edits(hyp: Draftable, edits: Sequence[Edit]) -> Draftable:
    """The hypothesis with non-overlapping ``edits`` applied (placed pieces are locked)."""
    units = hyp.units()
    inserts: dict[int, list[Edit]] = {}
    replace: dict[int, Edit] = {}
    for e in edits:
        if e.hi > e.lo:
            replace[e.lo] = e
        else:
            inserts.setdefault(e.lo, []).append(e)
    out = Draftable([], [], [])

    def put(edit: Edit) -> None:
        out.pieces += edit.pieces
        out.origin += [-1] * len(edit.pieces)
        out.locked += [True] * len(edit.pieces)

    k = 0
    while k <= len(units):
        for e in sorted(inserts.get(k, []), key=lambda e: e.order):
            put(e)
        if k == len(units):
            break
        if k in replace:
            put(replace[k])
            k = replace[k].hi
            continue
        s, t = units[k]
        out.pieces += hyp.pieces[s:t]
        out.origin += hyp.origin[s:t]
        out.locked += hyp.locked[s:t]
        k += 1
    return out


@dataclass(frozen=True)
class Alignment:
    """Cross-attention of the original hypothesis: per original target token, weights over source tokens.

    Attributes:
        weights: ``weights[t][s]`` for original target token ``t`` and source token ``s``.
    """

    weights: Sequence[Sequence[float]]

    def argmax(self, t: int) -> int:
        """The source token original target token ``t`` attends to most (-1 when unknown)."""
        if t < 0 or t >= len(self.weights) or not self.weights[t]:
            return -1
        row = self.weights[t]
        return max(range(len(row)), key=row.__getitem__)

    def mass(self, t: int, lo: int, hi: int) -> float:
        """Attention of original target token ``t`` on source tokens ``[lo, hi)``."""
        if t < 0 or t >= len(self.weights):
            return 0.0
        return float(sum(self.weights[t][lo:hi]))


def choose_edit(
    hyp: Draftable,
    align: Alignment | None,
    source_span: tuple[int, int],
    n_source: int,
    term_pieces: tuple[str, ...],
    claimed: set[int],
    order: int,
    known: frozenset[str] = frozenset(),
    own: Sequence[str] = (),
) -> Edit:
    """Where the term whose source tokens are ``source_span`` goes in ``hyp``.

    Args:
        hyp: The hypothesis (its units are what the edit refers to).
        align: The original hypothesis' cross-attention (None: position only).
        source_span: ``[lo, hi)`` source tokens of the term.
        n_source: Source tokens of the segment (end token included).
        term_pieces: The pieces to place.
        claimed: Units other edits of this round replace (never touched; insertions only around them).
        order: The term's rank in source order.
        known: Words of the model's own rendering of the term (:func:`known_words`): a run of them
            is preferred to aligned words that are not (attention can point at a neighbour).
        own: The model's own texts for the term (``known`` came from them): the last word of the run
            must follow the words before it at most places those texts have them.
    """
    units = hyp.units()
    lo, hi = source_span
    free = [
        k
        for k, (s, t) in enumerate(units)
        if k not in claimed and not any(hyp.locked[s:t]) and is_word_unit(hyp.pieces, s, t)
    ]
    if align is not None:
        run = _aligned_run(hyp, units, align, free, lo, hi, known, own)
        if run is not None:
            return Edit(run[0], run[1], term_pieces, order)
    at = _insertion_point(hyp, units, claimed, source_span[0] / max(1, n_source - 1))
    return Edit(at, at, term_pieces, order)


#: Words the model writes before a term that are not part of its rendering (kept when a term replaces it).
ARTICLES = frozenset({"the", "a", "an"})

#: Words that join a term to its neighbour: never the first word of the words a term replaces.
CONJUNCTIONS = frozenset({"and", "or"})


def _aligned_run(
    hyp: Draftable,
    units: list[tuple[int, int]],
    align: Alignment,
    free: list[int],
    lo: int,
    hi: int,
    known: frozenset[str] = frozenset(),
    own: Sequence[str] = (),
) -> tuple[int, int] | None:
    """Units ``[first, last + 1)`` that render source tokens ``[lo, hi)``, or None when none aligns.

    The units whose tokens attend most to the source span are grouped into runs of neighbouring units
    (a run may pass over glued punctuation such as the apostrophe of ``women's``); the run with the most
    attention on the span wins. A leading article is left out of the run (the term keeps the
    hypothesis' determiner; :mod:`workbench.mt.constrained.agreement` fixes a/an).
    """
    free_set = set(free)
    aligned = [k for k in free if any(lo <= align.argmax(hyp.origin[i]) < hi for i in range(*units[k]))]
    if not aligned:
        # Nothing attends to the term's source: the model's own words for it, where the draft has them.
        found = _known_runs(hyp, units, free_set, known) if known else []
        return (found[0][0], found[0][-1] + 1) if len(found) == 1 else None
    runs: list[list[int]] = []
    for k in aligned:
        if runs and all(
            j not in free_set
            and not any(hyp.locked[units[j][0] : units[j][1]])
            and not _is_stop(hyp, units[j])
            for j in range(runs[-1][-1] + 1, k)
        ):
            runs[-1].append(k)
        else:
            runs.append([k])

    def weight(run: list[int]) -> float:
        return sum(max(align.mass(hyp.origin[i], lo, hi) for i in range(*units[k])) for k in run)

    def evidence(run: list[int]) -> int:
        return sum(k in free_set and _is_known(hyp, units[k], known) for k in run)

    if known and not any(evidence(run) for run in runs):
        # Attention points at words that are not the model's own for the term (a neighbouring name):
        # runs of its own words (glued pieces such as -behind included) are candidates too.
        runs += _known_runs(hyp, units, free_set, known)
    best = max(runs, key=lambda run: (evidence(run), weight(run)))
    while len(best) > 1 and _word(hyp, units[best[0]]).lower() in ARTICLES:
        best = best[1:]
    if evidence(best):
        # The words at either end that are not the model's own for the term (``about``, ``together``,
        # the ``and`` before it) attend to it only as neighbours: they stay.
        while len(best) > 1 and (
            not _is_known(hyp, units[best[0]], known) or _word(hyp, units[best[0]]).lower() in CONJUNCTIONS
        ):
            best = best[1:]
        while len(best) > 1 and (
            not _is_known(hyp, units[best[-1]], known) or not _always_next(hyp, units, best, own)
        ):
            best = best[:-1]
    return best[0], best[-1] + 1


def _always_next(hyp: Draftable, units: list[tuple[int, int]], run: list[int], own: Sequence[str]) -> bool:
    """True when the run's last word follows the words before it (glued pieces such as ``'s`` included)
    at most of the places the model's own texts for the term have them (:func:`mostly_follows`):
    ``received`` after ``new expedition`` in ``The new expedition received the new expedition.`` does
    not (a model can repeat a rendering in a frame it invents), ``league`` after ``women's`` in ``The
    women's league received the women's house.`` does (the frame's second term is another one)."""
    head = _text(hyp, units[run[0] : run[-1]])
    whole = _text(hyp, units[run[0] : run[-1] + 1])
    return mostly_follows(head, whole, own)


def mostly_follows(head: str, whole: str, texts: Sequence[str]) -> bool:
    """True when ``whole`` starts at more than half of the occurrences of ``head`` in ``texts`` (whole
    words, any case), or when ``head`` occurs in none of them."""
    at_head = re.compile(rf"(?<!\w){re.escape(head.lower())}(?!\w)")
    at_whole = re.compile(rf"{re.escape(whole.lower())}(?!\w)")
    seen = hits = 0
    for text in (t.lower() for t in texts):
        for m in at_head.finditer(text):
            seen += 1
            hits += at_whole.match(text, m.start()) is not None
    return seen == 0 or 2 * hits > seen


def _text(hyp: Draftable, units: Sequence[tuple[int, int]]) -> str:
    """The text of ``units`` (a contiguous stretch), outer spaces stripped."""
    return "".join(p for s, e in units for p in hyp.pieces[s:e]).replace(SPIECE, " ").strip()


def known_words(texts: Sequence[str]) -> frozenset[str]:
    """The words (lower case) in every one of ``texts``: the model's own renderings of one term."""
    sets = [set(re.findall(r"\w+", t.lower())) for t in texts]
    return frozenset(set.intersection(*sets)) if sets else frozenset()


def _is_known(hyp: Draftable, unit: tuple[int, int], known: frozenset[str]) -> bool:
    """True when every word of the unit is one of ``known`` (an article never is)."""
    words = re.findall(r"\w+", _word(hyp, unit).lower())
    return bool(words) and all(w in known and w not in ARTICLES for w in words)


def _known_runs(
    hyp: Draftable, units: list[tuple[int, int]], free: set[int], known: frozenset[str]
) -> list[list[int]]:
    """Runs of neighbouring units made of ``known`` words that start with a free word unit."""
    runs: list[list[int]] = []
    current: list[int] = []
    for k, unit in enumerate(units):
        glued = k not in free and not any(hyp.locked[unit[0] : unit[1]]) and not _is_stop(hyp, unit)
        if _is_known(hyp, unit, known) and (k in free or (glued and current)):
            current.append(k)
            continue
        if current:
            runs.append(current)
        current = []
    if current:
        runs.append(current)
    return runs


def _word(hyp: Draftable, unit: tuple[int, int]) -> str:
    """A unit's text without its leading space."""
    return "".join(hyp.pieces[unit[0] : unit[1]]).replace(SPIECE, " ").strip()


def _is_stop(hyp: Draftable, unit: tuple[int, int]) -> bool:
    """True for a unit that ends a phrase (sentence or clause punctuation: ``. , ; : ! ?``)."""
    return _word(hyp, unit)[:1] in {".", ",", ";", ":", "!", "?"}


def _insertion_point(hyp: Draftable, units: list[tuple[int, int]], claimed: set[int], rel: float) -> int:
    """The unit boundary nearest ``rel`` (the term's start relative to the source's length), outside
    claimed or locked runs."""
    goal = rel * len(hyp.pieces)
    options = []
    for k in range(len(units) + 1):
        start = units[k][0] if k < len(units) else len(hyp.pieces)
        inside_claim = k in claimed and k - 1 in claimed
        inside_lock = 0 < start < len(hyp.pieces) and hyp.locked[start] and hyp.locked[start - 1]
        if not inside_claim and not inside_lock:
            options.append((abs(start - goal), k))
    return min(options)[1] if options else len(units)


def units_covering(
    hyp: Draftable, char_spans: Sequence[tuple[int, int]], unit_chars: Sequence[tuple[int, int]]
) -> list[int]:
    """Units whose characters overlap any of ``char_spans`` (``unit_chars``: each unit's character span)."""
    return [k for k, (a, b) in enumerate(unit_chars) if any(a < e and s < b for s, e in char_spans)]


def fit_length(hyp: Draftable, limit: int, keep: set[int]) -> Draftable:
    """``hyp`` cut to at most ``limit`` pieces, always at word boundaries, placed terms last.

    A hypothesis that ran to the length cap and then received its terms can be longer than the model
    has positions for (it could not be scored, let alone decoded). What goes, in this order, until it
    fits:

    1. Surplus bare spaces: a lone "▁" piece followed by another piece that starts a space (a runaway
       of a model that spells English in short pieces emits hundreds; only the width of a gap changes,
       which the glossary check ignores).
    2. Units that are neither placed terms (locked) nor in ``keep`` (units holding a term the model
       rendered itself), from the end: the unconstrained tail, in a runaway the repetition.
    3. ``keep`` units that are not locked, from the end: the caller's next round places their terms
       again, as locked edits of known length.
    4. Only when the placed terms alone do not fit: whole units from the end (the terms cut off are
       then reported unmet by the caller).

    Args:
        hyp: The edited hypothesis.
        limit: The most pieces the model can score (its positions, less the start token and one spare).
        keep: Units never dropped before step 3.
    """
    if len(hyp.pieces) <= limit:
        return hyp
    hyp, keep = _drop_surplus_spaces(hyp, keep, len(hyp.pieces) - limit)
    hyp = _drop_units(hyp, limit, lambda k: k not in keep)
    hyp = _drop_units(hyp, limit, lambda k: True)
    if len(hyp.pieces) > limit:
        ends = [t for _, t in hyp.units() if t <= limit]
        end = max(ends) if ends else limit
        hyp = Draftable(hyp.pieces[:end], hyp.origin[:end], hyp.locked[:end])
    return hyp


def _drop_surplus_spaces(hyp: Draftable, keep: set[int], excess: int) -> tuple[Draftable, set[int]]:
    """Up to ``excess`` unlocked bare "▁" pieces that a space follows, from the end; ``keep`` renumbered
    to the result's units (a unit keeps its number: only its surplus spaces go)."""
    drop: set[int] = set()
    for i in range(len(hyp.pieces) - 2, -1, -1):
        if len(drop) >= excess:
            break
        if hyp.pieces[i] == SPIECE and not hyp.locked[i] and hyp.pieces[i + 1].startswith(SPIECE):
            drop.add(i)
    if not drop:
        return hyp, keep
    unit_of = [k for k, (s, t) in enumerate(hyp.units()) for _ in range(s, t)]
    kept = [i for i in range(len(hyp.pieces)) if i not in drop]
    out = Draftable(
        [hyp.pieces[i] for i in kept], [hyp.origin[i] for i in kept], [hyp.locked[i] for i in kept]
    )
    new_of = {unit_of[i]: k for k, (s, _) in enumerate(out.units()) for i in [kept[s]]}
    return out, {new_of[k] for k in keep if k in new_of}


def _drop_units(hyp: Draftable, limit: int, droppable: Callable[[int], bool]) -> Draftable:
    """``hyp`` less unlocked units for which ``droppable(unit)`` holds, from the end, until it fits."""
    units = hyp.units()
    excess = len(hyp.pieces) - limit
    drop: set[int] = set()
    for k in range(len(units) - 1, -1, -1):
        if excess <= 0:
            break
        s, t = units[k]
        if not droppable(k) or any(hyp.locked[s:t]):
            continue
        drop.add(k)
        excess -= t - s
    if not drop:
        return hyp
    out = Draftable([], [], [])
    for k, (s, t) in enumerate(units):
        if k not in drop:
            out.pieces += hyp.pieces[s:t]
            out.origin += hyp.origin[s:t]
            out.locked += hyp.locked[s:t]
    return out


def words_after(hyp: Draftable, max_words: int) -> list[tuple[int, list[list[int]]]]:
    """Per placed run, the unit groups of up to ``max_words`` words that follow it (for trimming).

    A word is a unit and the units glued to it (no space before them: ``'s``, ``-style``); the count
    stops at a placed unit or at phrase punctuation (``. , ; : ! ?``). These are the words an edit may
    have left over from the model's own, longer rendering of the term (``women volunteers
    volunteers``); which of them really are left over is for the model's score to say.

    Returns:
        ``(unit after the run, [words])`` per placed run, each word a list of unit indices.
    """
    units = hyp.units()
    out = []
    k = 0
    while k < len(units):
        if not any(hyp.locked[units[k][0] : units[k][1]]):
            k += 1
            continue
        while k < len(units) and any(hyp.locked[units[k][0] : units[k][1]]):
            k += 1
        words: list[list[int]] = []
        j = k
        while j < len(units) and len(words) < max_words:
            if any(hyp.locked[units[j][0] : units[j][1]]) or _is_stop(hyp, units[j]):
                break
            word = [j]
            j += 1
            while (
                j < len(units)
                and not hyp.pieces[units[j][0]].startswith(SPIECE)
                and not _is_stop(hyp, units[j])
                and not any(hyp.locked[units[j][0] : units[j][1]])
            ):
                word.append(j)
                j += 1
            words.append(word)
        if words:
            out.append((k, words))
    return out


def drop_units(hyp: Draftable, drop: set[int]) -> Draftable:
    """``hyp`` without the units in ``drop``."""
    out = Draftable([], [], [])
    for k, (s, t) in enumerate(hyp.units()):
        if k not in drop:
            out.pieces += hyp.pieces[s:t]
            out.origin += hyp.origin[s:t]
            out.locked += hyp.locked[s:t]
    return out
