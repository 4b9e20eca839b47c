"""Drafting what is on screen first: the ranking, the units (property tests) and the one drafting loop
with a priority source (the tiny real model)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.jobs.drafting import run_drafting
from workbench.jobs.priority import ScreenFirst, reading_order


@given(st.integers(1, 60), st.data())
def test_reading_order_is_selected_then_visible_then_onward_wrapping(count: int, data) -> None:
    selected = data.draw(st.integers(0, count - 1))
    top = data.draw(st.integers(0, count - 1))
    visible = list(range(top, min(count, top + data.draw(st.integers(0, 20)))))
    order = reading_order(selected, visible, count)
    assert sorted(order) == list(range(count))  # every paragraph once
    assert order[0] == selected
    head = [selected, *[p for p in visible if p != selected]]
    assert order[: len(head)] == head
    start = max(head) + 1
    rest = [(start + k) % count for k in range(count)]
    assert order[len(head) :] == [p for p in rest if p not in head]


@given(
    st.lists(st.integers(1, 300), min_size=1, max_size=200),
    st.integers(1, 40),
    st.integers(1, 100),
    st.integers(1, 8),
    st.randoms(use_true_random=False),
)
def test_units_cover_everything_once_head_first_within_size(lengths, unit_size, window, first, rnd) -> None:
    order = ScreenFirst(lengths, unit_size=unit_size, window=window, first_unit=first)
    ranks = list(range(len(lengths)))
    rnd.shuffle(ranks)
    order.set_ranks(dict(enumerate(ranks)))
    waiting = list(range(len(lengths)))
    seen: list[int] = []
    size = min(first, unit_size)
    while waiting:
        unit = order.next_unit(waiting)
        head = min(waiting, key=lambda i: ranks[i])
        assert head in unit  # the best-ranked waiting segment is always drafted next
        assert unit == sorted(unit) and set(unit) <= set(waiting)
        assert 1 <= len(unit) <= size  # small first, doubling up to unit_size
        by_rank = sorted(waiting, key=lambda i: ranks[i])[: max(unit_size, window)]
        assert set(unit) <= set(by_rank)  # only from the window of nearby ones
        size = min(unit_size, size * 2)
        seen += unit
        waiting = [i for i in waiting if i not in unit]
    assert sorted(seen) == list(range(len(lengths)))


def test_new_ranks_reprioritise_what_is_still_waiting() -> None:
    order = ScreenFirst([10] * 10, unit_size=2, window=2, first_unit=2)
    order.set_ranks({i: i for i in range(10)})
    assert order.next_unit(list(range(10))) == [0, 1]
    order.set_ranks({i: 9 - i for i in range(10)})  # the view moved to the end
    assert order.next_unit(list(range(2, 10))) == [8, 9]


@pytest.mark.slow
def test_the_one_drafting_loop_follows_a_priority_source(tiny_model_dir: Path) -> None:
    from workbench.mt.registry import load_engine

    engine = load_engine("transformers", model=tiny_model_dir, threads=1)
    sources = ["今天天气很好。", "我们去学校。", "妇联开会。", "他说了一句话。", "中国式现代化。", "哈尔滨。"]
    order = ScreenFirst([len(s) for s in sources], unit_size=2, window=2, first_unit=1)
    order.set_ranks({5: 0, 4: 1, 3: 2, 2: 3, 1: 4, 0: 5})  # the end is on screen
    units: list[list[int]] = []
    drafts = run_drafting(
        engine, sources, beam=1, unit_size=2, priority=order, on_unit=lambda i, _d: units.append(i)
    )
    assert units[0] == [5] and units[1] == [3, 4]  # first the top-ranked one, then units of the next by rank
    assert sorted(i for u in units for i in u) == list(range(6))
    assert all(d is not None and d.text for d in drafts)  # every source drafted, returned in source order
