"""Drafting what the translator looks at first: a :class:`~workbench.jobs.drafting.UnitSource` for the UI.

The UI ranks the segments to draft (the selected paragraph, then the paragraphs visible in the table, then
onward in reading order, wrapping to the top) and hands the ranks over whenever the view changes; the
drafting loop asks for the next unit before each one. A unit is the first waiting segment by rank (the
*head*) plus the waiting segments of most similar length among the next few by rank (a *window* of
nearby paragraphs), so the engine still batches segments of similar length, as the command line's
longest-first plan does, and a page costs about as much as there. The first unit is one engine batch (the
first draft on screen comes soon) and units double up to their full size.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence

#: Segments per unit while drafting from the UI (once under way).
UNIT_SIZE = 32
#: Segments of the first unit; each next unit doubles it up to ``UNIT_SIZE``. Eight is one full batch of
#: the engine at beam 4 (``workbench.mt.batching.MAX_BEAM_HYPOTHESES`` // 4): the first draft on screen
#: comes after one batch, and no batch runs half empty (units of 2 and 4 cost the full page about 5% on
#: the seed page, by the batching cost model of ``workbench.mt.batching``).
FIRST_UNIT = 8
#: How many waiting segments, by rank, a unit is chosen from (nearby paragraphs).
WINDOW = 128


def reading_order(selected: int, visible: Sequence[int], count: int) -> list[int]:
    """Paragraph positions in drafting order: ``selected``, then ``visible`` (in order), then onward from
    the last of them to the end, then from the top.

    Args:
        selected: The selected paragraph (list position).
        visible: The paragraphs shown in the table, top to bottom.
        count: How many paragraphs the document has.

    Returns:
        Every position in ``range(count)`` once.
    """
    order: list[int] = []
    seen: set[int] = set()
    for p in (selected, *visible):
        if 0 <= p < count and p not in seen:
            order.append(p)
            seen.add(p)
    start = max(order) + 1 if order else 0
    for k in range(count):
        p = (start + k) % count
        if p not in seen:
            order.append(p)
            seen.add(p)
    return order


class ScreenFirst:
    """Next units by rank, grouped by length within a window (thread-safe: ranks come from the UI thread).

    Args:
        lengths: The length of each source (index = the drafting loop's source index).
        unit_size: Segments per unit.
        window: How many waiting segments (by rank) a unit is chosen from.
        first_unit: Segments of the first unit (each next one doubles, up to ``unit_size``).
    """

    def __init__(
        self,
        lengths: Sequence[int],
        unit_size: int = UNIT_SIZE,
        window: int = WINDOW,
        first_unit: int = FIRST_UNIT,
    ) -> None:
        self.lengths = list(lengths)
        self.unit_size = max(1, unit_size)
        self.window = max(self.unit_size, window)
        self._next_size = max(1, min(first_unit, self.unit_size))
        self._ranks: Mapping[int, int] = {}
        self._lock = threading.Lock()

    def set_ranks(self, ranks: Mapping[int, int]) -> None:
        """Replace the ranks (source index → rank, lower first); unranked sources come last, in order."""
        with self._lock:
            self._ranks = dict(ranks)

    def next_unit(self, waiting: Sequence[int]) -> list[int]:
        """The head (first waiting by rank) and the waiting segments of the window closest to its length."""
        with self._lock:
            ranks = self._ranks
        last = len(self.lengths)
        ranked = sorted(waiting, key=lambda i: (ranks.get(i, last + i), i))
        if not ranked:
            return []
        size, self._next_size = self._next_size, min(self.unit_size, self._next_size * 2)
        head, nearby = ranked[0], ranked[1 : self.window]
        length = self.lengths[head]
        nearby.sort(key=lambda i: (abs(self.lengths[i] - length), ranks.get(i, last + i)))
        return sorted([head, *nearby[: size - 1]])
