"""Keystroke cost of the editor's QA panel on the seed page, as a ratio measured in one run.

Opens the seed page (every segment with an English draft, the shipped glossary) in the real Textual app
driven by Pilot, waits for the first whole-document QA pass, then types the same sentence into a final
translation twice: once as shipped, once with the QA panel's per-keystroke work switched off (panel update
and pass scheduling replaced by no-ops). Each key is timed from ``pilot.press`` to the app being idle
again (the handlers, the SQLite save, the table row and status refresh; the terminal's own drawing is
not included), after the CC-CEDICT and names threads of the start have finished. A cursor move in the
same text (no edit, no handler of ours) gives the cost of the harness and the redraw alone. Also prints the per-keystroke ``check_pair`` of the typed text alone and the
whole-document pass (every pair and the consistency checks, run in a thread).

Usage: python -m bench.bench_tui_typing [--keys N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED = ROOT / "seeds" / "000_4a826f62d946bd6d.txt"
GLOSSARY = ROOT / "glossary" / "womens-news.tsv"
TEXT = "On December 12, 2023, more than 500,000 women of the 21st congress met the women's federation. "


def make_project(work: Path) -> Path:
    """The seed page as a project, every segment with a draft that carries numbers and a term."""
    from workbench.store.project import Project
    from workbench.text import load_document

    work.mkdir(parents=True)
    proj = work / "seed.txt.wbproj"
    with Project.open(proj, create=True) as p:
        p.add_document(load_document(SEED))
        for i, seg in enumerate(p.segments()):
            p.set_draft(
                seg.id, f"Segment {i + 1}: the women's federation met on December {i % 28 + 1}, 2023."
            )
    return proj


def _timed(cls: type, name: str, spent: dict[str, float]) -> None:
    """Make ``cls.name`` add the seconds of each call to ``spent[name]``."""
    inner = getattr(cls, name)

    def timed(self, *args, **kwargs):
        t0 = time.perf_counter()
        try:
            return inner(self, *args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - t0

    setattr(cls, name, timed)


async def type_keys(
    proj: Path, keys: str, qa_on: bool
) -> tuple[list[float], list[dict[str, float]], float, int]:
    """Per-key seconds, per-key seconds in the editor's handlers, the first pass's seconds, the segments."""
    from workbench.tui import qa_panel
    from workbench.tui.app import create_app
    from workbench.tui.editor import EditorScreen
    from workbench.tui.glossary_panel import EditorGlossary

    methods = [(qa_panel.EditorQA, "update_qa"), (qa_panel.EditorQA, "schedule_qa"),
               (EditorGlossary, "update_glossary"), (EditorScreen, "flush_edit")]  # fmt: skip
    saved = [(cls, name, cls.__dict__[name]) for cls, name in methods]
    if not qa_on:
        qa_panel.EditorQA.update_qa = lambda self, target: None  # type: ignore[method-assign]
        qa_panel.EditorQA.schedule_qa = lambda self, delay=0: None  # type: ignore[method-assign]
    spent: dict[str, float] = {}
    for cls, name in methods:
        _timed(cls, name, spent)
    try:
        app = create_app(proj, glossary=[GLOSSARY], preload=False)
        async with app.run_test(size=(140, 45)) as pilot:
            ed = app.screen
            deadline = time.monotonic() + 300
            # The dictionary and the names load in threads at start: typing is timed after them.
            while not (ed.session.qa.ready and app.dictionary is not None and ed.names is not None):
                if time.monotonic() > deadline:
                    raise SystemExit("the editor did not settle in 300 s")
                await pilot.pause(0.05)
            first = ed.session.qa.last.seconds if ed.session.qa.last else float("nan")
            ed.goto(4, 0, move_table=True)  # the paragraph with 2023年12月12日
            await pilot.press("f4")
            times, handlers = [], []
            for ch in keys:
                spent.clear()
                t0 = time.perf_counter()
                await pilot.press("space" if ch == " " else ch)
                times.append(time.perf_counter() - t0)
                handlers.append(dict(spent))
            moves = []  # the harness and the redraw alone: the cursor moves, nothing is edited
            for _ in keys:
                t0 = time.perf_counter()
                await pilot.press("left")
                moves.append(time.perf_counter() - t0)
            handlers[0]["moves"] = statistics.median(moves)
            return times, handlers, first, len(ed.session.record.segments())
    finally:
        for cls, name, method in saved:
            setattr(cls, name, method)


def pair_cost(n: int) -> float:
    """Median seconds of one uncached ``check_pair`` of the growing typed text (what a keystroke adds)."""
    from workbench.terms.checks import RECORD_CHECKS, check_pair
    from workbench.text import load_document

    source = next(s for p in load_document(SEED).paragraphs for s in p.segments if "2023年12月12日" in s)
    text = (TEXT * 3)[:n]
    times = []
    for k in range(1, n + 1):
        t0 = time.perf_counter()
        check_pair(source, text[:k], checks=RECORD_CHECKS)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keys", type=int, default=60, help="keys typed per run (default 60)")
    args = ap.parse_args(argv)
    keys = (TEXT * 3)[: args.keys]
    with tempfile.TemporaryDirectory(prefix="bench-typing-") as tmp:
        os.environ["WORKBENCH_CONFIG_DIR"] = str(Path(tmp) / "config")
        medians: dict[bool, list[float]] = {}
        for run, qa_on in enumerate((False, True, False, True)):  # interleaved: the load hits both alike
            proj = make_project(Path(tmp) / f"run-{run}")
            times, handlers, first, n = asyncio.run(type_keys(proj, keys, qa_on))
            label = "QA panel on " if qa_on else "QA panel off"
            med, worst = statistics.median(times) * 1000, max(times) * 1000
            medians.setdefault(qa_on, []).append(med)

            def ms(*names: str) -> float:
                return statistics.median(sum(h.get(k, 0.0) for k in names) for h in handlers) * 1000  # noqa: B023

            print(
                f"{label}: {len(times)} keys, median {med:.1f} ms, max {worst:.1f} ms per key "
                f"({n} segments; first document pass {first * 1000:.1f} ms in its thread); in the editor's "
                f"handlers {ms('update_glossary', 'update_qa', 'flush_edit'):.1f} ms, of it QA panel "
                f"{ms('update_qa', 'schedule_qa'):.2f} ms; a cursor move (no edit) {handlers[0]['moves'] * 1000:.1f} ms"
            )
        print(f"check_pair of the typed text alone: median {pair_cost(args.keys) * 1000:.2f} ms per key")
        on, off = min(medians[True]), min(medians[False])
        print(
            f"ratio keystroke_qa_on_over_off {on / off:.2f} (best median of two runs each: {on:.1f} / {off:.1f} ms)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
