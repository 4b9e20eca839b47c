"""Shared helpers for the TUI tests: a small real project on disk and a glossary for it.

A hand-made document keeps the screens (and snapshots) independent of how the ingest rebuilds the
seed page; the tmux test uses the real seed page.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from workbench.errors import Cancelled
from workbench.text.model import Document, Paragraph

PARAGRAPHS = (
    (
        "heading",
        "重庆开州区妇联全力抓好在外流动妇联组织建设",
        ("重庆开州区妇联全力抓好在外流动妇联组织建设",),
    ),
    (
        "body",
        "各级妇联要深入学习贯彻大会精神。巾帼志愿者积极参与乡村振兴。",
        ("各级妇联要深入学习贯彻大会精神。", "巾帼志愿者积极参与乡村振兴。"),
    ),
    ("body", "哈尔滨市妇女第二十一次代表大会胜利召开。", ("哈尔滨市妇女第二十一次代表大会胜利召开。",)),
    (
        "body",
        "为奋力谱写中国式现代化哈尔滨篇章贡献巾帼智慧和力量。",
        ("为奋力谱写中国式现代化哈尔滨篇章贡献巾帼智慧和力量。",),
    ),
)

GLOSSARY = (
    "source\ttarget\tforbidden\n妇联\twomen's federation\t\n巾帼志愿者\twomen volunteers\tfemale volunteers\n"
)


def make_document(path: Path, copies: int = 1) -> Document:
    """The small test document, ``copies`` times over (``path`` is only recorded, nothing is read)."""
    paras = tuple(
        Paragraph(i, kind, text, (i * 2 + 1, i * 2 + 1), segs)
        for i, (kind, text, segs) in enumerate(PARAGRAPHS * copies)
    )
    return Document(str(path), "utf-8", "simplified", paras)


def make_project(tmp: Path, *, glossary: bool = True, copies: int = 1) -> tuple[Path, Path | None]:
    """Create ``tmp/news.txt.wbproj`` holding the test document; returns (project, glossary file)."""
    from workbench.store.project import Project

    source = tmp / "news.txt"
    source.write_text("\n\n".join(t for _k, t, _s in PARAGRAPHS) + "\n", encoding="utf-8")
    proj = tmp / "news.txt.wbproj"
    with Project.open(proj, create=True) as project:
        project.add_document(make_document(source, copies))
    gloss = None
    if glossary:
        gloss = tmp / "terms.tsv"
        gloss.write_text(GLOSSARY, encoding="utf-8")
    return proj, gloss


async def wait_for(pilot, condition, timeout: float = 60.0) -> None:
    """Let the app run until ``condition()`` holds (fails the test after ``timeout`` seconds)."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the UI")
        await pilot.pause(0.05)


def still_screen(app) -> None:
    """Make a screen deterministic for snapshots: no animation, no blinking cursors."""
    from textual.widgets import Input, TextArea

    app.animation_level = "none"
    for area in app.screen.query(TextArea):
        area.cursor_blink = False
    for box in app.screen.query(Input):
        box.cursor_blink = False


class HeldEngine:
    """A real engine whose drafting pauses after its first ``passes`` calls until ``release`` is set.

    Tests that act "while drafting" hold the run open this way instead of betting that a long document
    outlasts the test on whatever machine runs it. A held call still answers ``cancel`` at once.
    """

    def __init__(self, engine: Any, passes: int = 1) -> None:
        self.engine = engine
        self.name = engine.name
        self.passes = passes
        self.calls = 0
        self.release = threading.Event()

    def translate(self, sources, **kwargs):
        self.calls += 1
        if self.calls > self.passes:
            cancel = kwargs.get("cancel")
            while not self.release.wait(0.05):
                if cancel is not None and cancel.is_set():
                    raise Cancelled()
        return self.engine.translate(sources, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.engine, name)
