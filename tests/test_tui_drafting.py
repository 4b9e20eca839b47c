"""Drafting from the UI with the tiny real Marian model: worker thread, progress, cancel, engine loading."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_fixtures import make_project, wait_for

from workbench.store.project import Project
from workbench.tui.app import create_app
from workbench.tui.editor import EditorScreen
from workbench.tui.messages import DraftDone, DraftFailed, DraftProgress, EngineFailed, EngineReady

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
SIZE = (120, 40)


@pytest.fixture(scope="module")
def tiny_engine(tiny_model_dir: Path):
    import torch

    from workbench.mt.registry import load_engine

    torch.set_num_threads(1)
    return load_engine("transformers", model=tiny_model_dir, threads=1)


def drafts_in_store(proj: Path) -> list[str | None]:
    with Project.open(proj) as p:
        return [s.draft for s in p.segments()]


class Recorder:
    """``message_hook`` that keeps the worker messages."""

    KINDS = (DraftProgress, DraftDone, DraftFailed, EngineReady, EngineFailed)

    def __init__(self) -> None:
        self.messages: list = []
        self.on_progress = lambda: None

    def __call__(self, message) -> None:
        if isinstance(message, self.KINDS):
            self.messages.append(message)
        if isinstance(message, DraftProgress):
            self.on_progress()

    def of(self, kind) -> list:
        return [m for m in self.messages if isinstance(m, kind)]


async def test_engine_loads_in_a_worker_after_the_ui_is_up(tmp_path: Path, tiny_model_dir: Path) -> None:
    from textual import events

    proj, gloss = make_project(tmp_path)
    order: list[str] = []

    def hook(message) -> None:
        if isinstance(message, events.ScreenResume) and isinstance(app.screen, EditorScreen):
            if "editor on screen" not in order:
                order.append("editor on screen")
        elif isinstance(message, (EngineReady, EngineFailed)):
            order.append(type(message).__name__)

    app = create_app(proj, glossary=[gloss], model=str(tiny_model_dir), beam=1)
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("down")  # responsive while loading
        assert app.screen.par == 1
        await wait_for(pilot, lambda: len(order) >= 2, timeout=120)
        assert order == ["editor on screen", "EngineReady"]
        assert "MT: ctranslate2 ready" in str(app.screen.query_one("#status").render())


async def test_bad_model_is_reported_not_raised(tmp_path: Path) -> None:
    proj, gloss = make_project(tmp_path)
    rec = Recorder()
    app = create_app(proj, glossary=[gloss], model=str(tmp_path / "no-such-model"), beam=1)
    async with app.run_test(size=SIZE, message_hook=rec) as pilot:
        await wait_for(pilot, lambda: rec.of(EngineFailed), timeout=60)
        await pilot.press("f5")  # drafting without an engine: a message, not a crash
        await wait_for(pilot, lambda: rec.of(DraftFailed) or rec.of(DraftDone), timeout=60)
        assert rec.of(DraftFailed)
        assert "MT unavailable" in str(app.screen.query_one("#status").render())


async def test_draft_all_fills_every_segment_and_keeps_the_ui_live(tmp_path: Path, tiny_engine) -> None:
    proj, gloss = make_project(tmp_path, copies=3)
    rec = Recorder()
    app = create_app(proj, glossary=[gloss], engine=tiny_engine, beam=1)
    async with app.run_test(size=SIZE, message_hook=rec) as pilot:
        await pilot.pause()
        ed = app.screen
        seen: list[tuple[bool, bool]] = []
        rec.on_progress = lambda: seen.append((ed.drafting, ed.query_one("#progress").display))
        await pilot.press("f5")
        await wait_for(pilot, lambda: rec.of(DraftDone) or rec.of(DraftFailed), timeout=300)
        assert not rec.of(DraftFailed), rec.of(DraftFailed)[0].error
        done = rec.of(DraftDone)[0]
        assert (done.done, done.total, done.cancelled) == (15, 15, False)
        # Coalesced progress: at most one message per batch, never one per token.
        assert 1 <= len(rec.of(DraftProgress)) <= 15
        assert seen and all(s == (True, True) for s in seen)  # progress bar shown while drafting
        assert all(d for d in drafts_in_store(proj))
        assert not ed.drafting and not ed.query_one("#progress").display
        assert all(s.status == "drafted" for s in ed.session.record.segments())
        with Project.open(proj) as p:
            assert "backend" in (p.segments()[0].signature or "")
        # The QA pass in the background checks the drafts (the status line counts what it found).
        segs = ed.session.record.segments()
        qa = ed.session.qa
        await wait_for(
            pilot, lambda: qa.last is not None and all((s.source, s.target) in qa.last.pairs for s in segs)
        )
        n = sum(len(ed.qa_findings(s)) for s in segs)
        assert (f"{n} ⚠ QA" if n else "QA ✓") in str(ed.query_one("#status").render())


async def test_draft_selection_and_redraft_one_segment(tmp_path: Path, tiny_engine) -> None:
    proj, gloss = make_project(tmp_path)
    rec = Recorder()
    app = create_app(proj, glossary=[gloss], engine=tiny_engine, beam=1)
    async with app.run_test(size=SIZE, message_hook=rec) as pilot:
        await pilot.pause()
        await pilot.press("down", "f6")  # ¶2 has two segments
        await wait_for(pilot, lambda: rec.of(DraftDone), timeout=120)
        assert [d is not None for d in drafts_in_store(proj)] == [False, True, True, False, False]
        await pilot.press("down", "enter", "f7")  # re-draft ¶3's one segment, typing in its final text
        await wait_for(pilot, lambda: len(rec.of(DraftDone)) == 2, timeout=120)
        assert [d is not None for d in drafts_in_store(proj)] == [False, True, True, True, False]
        assert app.screen.query_one("#draft").render() is not None
        assert rec.of(DraftDone)[1].total == 1
        # Space marks paragraphs (¶1 and ¶4); F6 then drafts just those.
        await pilot.press("escape", "up", "up", "space", "down", "down", "space")
        table = app.screen.query_one("#paragraphs")
        assert table.marked == {0, 3} and table.get_cell("3", "n").plain == "●4"
        await pilot.press("f6")
        await wait_for(pilot, lambda: len(rec.of(DraftDone)) == 3, timeout=120)
        assert rec.of(DraftDone)[2].total == 2
        assert all(d is not None for d in drafts_in_store(proj))
        assert table.marked == set() and table.get_cell("3", "n").plain == "4"


async def test_a_draft_arriving_never_overwrites_what_is_being_typed(tmp_path: Path, tiny_engine) -> None:
    proj, gloss = make_project(tmp_path)
    rec = Recorder()
    app = create_app(proj, glossary=[gloss], engine=tiny_engine, beam=1)
    async with app.run_test(size=SIZE, message_hook=rec) as pilot:
        await pilot.pause()
        ed = app.screen
        await pilot.press("f7")  # no final yet: the editor follows the new draft
        await wait_for(pilot, lambda: rec.of(DraftDone), timeout=120)
        draft = ed.session.segment(0, 0).draft
        assert draft and ed.query_one("#final").text == draft
        await pilot.press("f4", *"my own words", "f7")  # typed, then re-drafted
        await wait_for(pilot, lambda: len(rec.of(DraftDone)) == 2, timeout=120)
        assert ed.query_one("#final").text == "my own words"
        with Project.open(proj) as p:
            seg = p.segments()[0]
        assert (seg.final, seg.status, seg.draft) == ("my own words", "edited", draft)


async def test_ui_drafts_carry_their_hits_so_a_new_glossary_redrafts_only_changed_ones(
    tmp_path: Path, tiny_engine, tiny_model_dir: Path
) -> None:
    """Draft in the UI, edit and approve there, change the glossary, run ``translate --project``: exactly
    the segments whose glossary hits changed are drafted again, and the human work stays."""
    import sqlite3
    import subprocess
    import sys

    from conftest import ROOT

    proj, gloss = make_project(tmp_path)
    rec = Recorder()
    app = create_app(proj, glossary=[gloss], engine=tiny_engine, beam=1)
    async with app.run_test(size=SIZE, message_hook=rec) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await wait_for(pilot, lambda: rec.of(DraftDone) or rec.of(DraftFailed), timeout=300)
        assert not rec.of(DraftFailed)
        session = app.screen.session
        session.set_final(1, 0, "Women's federations at all levels should study the congress.")
        session.approve(1, 1)
    with Project.open(proj) as p:
        before = {s.source: s for s in p.segments()}
    assert all(s.hits_hash for s in before.values())  # UI drafts say which glossary hits they honour
    assert all("glossary=" in (s.signature or "") for s in before.values())

    changed = tmp_path / "changed.tsv"  # 妇联 gets another rendering; 巾帼志愿者 stays as it was
    changed.write_text(
        "source\ttarget\tforbidden\n妇联\tWomen's Federation\t\n巾帼志愿者\twomen volunteers\tfemale volunteers\n",
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-m", "workbench", "translate", str(tmp_path / "news.txt"), "--project", str(proj),
         "--glossary", str(changed), "--model", str(tiny_model_dir), "--beam", "1", "--threads", "1", "--no-tm",
         "--out", str(tmp_path / "out")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    # Only the heading: it has 妇联 and no human work (¶2's 妇联 segment was edited by hand).
    assert "re-drafting 1 segment(s)" in run.stderr
    with sqlite3.connect(proj) as c:
        drafts = dict(c.execute("SELECT segment_id, COUNT(*) FROM history WHERE action = 'draft' GROUP BY 1"))
    with Project.open(proj) as p:
        after = {s.source: s for s in p.segments()}
    heading = "重庆开州区妇联全力抓好在外流动妇联组织建设"
    assert drafts[after[heading].id] == 2
    assert after[heading].hits_hash != before[heading].hits_hash
    for source, seg in after.items():
        if source != heading:
            assert drafts[seg.id] == 1, source
            assert (seg.final, seg.status) == (before[source].final, before[source].status), source
    assert (
        after["各级妇联要深入学习贯彻大会精神。"].final
        == "Women's federations at all levels should study the congress."
    )
    assert after["巾帼志愿者积极参与乡村振兴。"].status == "approved"


async def test_a_name_accepted_in_the_ui_is_enforced_when_drafting_there(tmp_path: Path, tiny_engine) -> None:
    """Accepted names are in the project glossary file, so the session's glossary makes the drafting loop
    place them; a name only proposed is not enforced."""
    proj, gloss = make_project(tmp_path)
    rec = Recorder()
    app = create_app(proj, glossary=[gloss], engine=tiny_engine, beam=2)
    async with app.run_test(size=SIZE, message_hook=rec) as pilot:
        ed = app.screen
        await wait_for(pilot, lambda: ed.names is not None, timeout=120)
        await pilot.press("down", "down")  # ¶3: 哈尔滨市妇女第二十一次代表大会胜利召开。
        await pilot.pause()
        harbin, later = ed.current().source, ed.session.segment(3, 0).source
        assert "? 哈尔滨市 → Harbin City" in str(ed.query_one("#glossary").render())
        assert not ed.session.glossary.constraints(harbin)  # proposed only: not enforced
        await pilot.press("f3", "f7")
        await wait_for(pilot, lambda: rec.of(DraftDone) or rec.of(DraftFailed), timeout=120)
        assert not rec.of(DraftFailed)
        assert [c.allowed for c in ed.session.glossary.constraints(harbin)] == [("Harbin City", "Harbin")]
        # 哈尔滨 of ¶4 is still only a proposal: no constraint for it.
        assert all("Harbin" not in a for c in ed.session.glossary.constraints(later) for a in c.allowed)
        draft = ed.current().draft or ""
        # The glossary check the panel shows (case-insensitive, the approved rendering or its alternative).
        notes = ed.session.glossary.check(harbin, draft)
        assert [(n.source, n.ok) for n in notes] == [("哈尔滨市", True)], draft
        assert (
            "harbin" in ed.query_one("#final").text.casefold()
        )  # nothing typed: the editor follows the draft
    with Project.open(proj) as p:
        seg = next(s for s in p.segments() if s.source == harbin)
    assert seg.draft == draft and not seg.unmet and "glossary=" in (seg.signature or "")
