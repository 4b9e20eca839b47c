"""The editor a translator lives in, driven with Pilot while the tiny real model drafts: Esc only leaves a
widget, stopping keeps every drafted segment, what is on screen is drafted first, and ctrl+z/ctrl+y walk
the translator's own changes (edits, approvals, a merge, a term edit, an accepted name) while drafting."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_drafting import Recorder, drafts_in_store
from tui_fixtures import GLOSSARY, HeldEngine, make_project, wait_for

from workbench.store.project import Project
from workbench.tui.app import create_app
from workbench.tui.editor import EditorScreen
from workbench.tui.messages import DraftDone, DraftFailed, DraftProgress
from workbench.tui.term_editor import TermScreen
from workbench.tui.widgets import FinalArea, ParagraphTable

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
SIZE = (120, 40)


@pytest.fixture(scope="module")
def tiny_engine(tiny_model_dir: Path):
    import torch

    from workbench.mt.registry import load_engine

    torch.set_num_threads(1)
    return load_engine("transformers", model=tiny_model_dir, threads=1)


def status_line(ed: EditorScreen) -> str:
    return str(ed.query_one("#status").render())


def segment(proj: Path, index: int):
    with Project.open(proj) as p:
        return p.segments()[index]


def term(path: Path, source: str):
    from workbench.terms import load_termbase

    return next(e for e in load_termbase([path]).entries if e.source == source)


def tm_pairs(path: Path) -> set[tuple[str, str]]:
    """The (source, target) pairs of a translation-memory file (none when it does not exist)."""
    from workbench.store.tm import TranslationMemory

    if not path.exists():
        return set()
    with TranslationMemory.open(path, readonly=True) as tm:
        return {(u.source, u.target) for u in tm.units()}


def paragraph_count(proj: Path) -> int:
    with Project.open(proj) as p:
        return len(p.paragraphs(p.documents()[0].id))


async def test_escape_leaves_widgets_and_stopping_keeps_every_drafted_segment(
    tmp_path: Path, tiny_engine
) -> None:
    proj, gloss = make_project(tmp_path, copies=300)
    rec = Recorder()
    held = HeldEngine(tiny_engine, passes=2)  # drafting stays open for the steps on any machine
    app = create_app(proj, glossary=[gloss], engine=held, beam=4)
    async with app.run_test(size=SIZE, message_hook=rec) as pilot:
        await pilot.pause()
        ed = app.screen
        await pilot.press("f5")
        await wait_for(pilot, lambda: rec.of(DraftProgress), timeout=120)
        await pilot.press("down", "enter", *"typed", "escape")  # Enter → type → Esc: out of the editor
        assert ed.focused is ed.query_one(ParagraphTable)
        assert ed.drafting and not rec.of(DraftDone)
        await pilot.press("ctrl+f", *"妇联", "escape")  # Esc in the search box closes it
        assert not ed.query_one("#search").display and ed.focused is ed.query_one(ParagraphTable)
        assert ed.drafting and not rec.of(DraftDone), [getattr(m, "error", m) for m in rec.messages[-3:]]
        await pilot.press("shift+f5")  # asks first
        assert "Stop drafting?" in status_line(ed)
        await pilot.pause(0.3)
        assert ed.drafting and not rec.of(DraftDone)
        held.release.set()  # the unit in progress may now finish: stopping keeps it
        await pilot.press("shift+f5")
        await wait_for(pilot, lambda: rec.of(DraftDone) or rec.of(DraftFailed), timeout=120)
        done = rec.of(DraftDone)[0]
        assert done.cancelled and 0 < done.done < 1500
        n = sum(1 for d in drafts_in_store(proj) if d)
        assert n == done.done  # every unit drafted, the one in progress included, was saved
        assert segment(proj, 1).final.endswith("typed")  # after the draft, if it came first
        assert not ed.drafting


async def test_the_selected_paragraph_is_drafted_first(tmp_path: Path, tiny_engine) -> None:
    proj, gloss = make_project(tmp_path, copies=60)  # 240 paragraphs
    app = create_app(proj, glossary=[gloss], engine=tiny_engine, beam=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ed = app.screen
        ed.goto(201, 0, move_table=True)  # far down, off the first screen
        await pilot.pause()
        table = ed.query_one(ParagraphTable)
        top = int(table.scroll_y)
        visible = table.positions[top : top + table.size.height - 1]
        assert 201 in visible and 0 not in visible
        units: list[list[int]] = []  # the paragraphs of each unit, as the UI stores them
        store = ed.session.store_drafts

        def recording(items, signature=None):
            units.append(
                sorted({ed.session.position(sid)[0] for sid, _ in items if ed.session.position(sid)})
            )
            return store(items, signature)

        ed.session.store_drafts = recording
        await pilot.press("f5")
        await wait_for(pilot, lambda: units, timeout=120)
        assert 201 in units[0]  # the first unit holds the selected paragraph
        # and nearby ones (on screen or just after it), never the top of the document
        assert all(min(visible) <= p <= max(visible) + 40 for p in units[0]), (units[0], visible)
        # Moving the selection up to a paragraph still waiting re-prioritises what is left.
        target = next(p for p in range(120, 180) if ed.session.segment(p, 0).draft is None)
        ed.goto(target, 0, move_table=True)
        asked = len(units)
        await wait_for(pilot, lambda: ed.session.segment(target, 0).draft is not None, timeout=120)
        # the unit in progress when the view moved, at most one started before it was looked at, then it
        assert any(target in u for u in units[asked : asked + 3]), (target, units[asked:])
        ed.cancel_drafting()


async def test_undo_and_redo_walk_the_translators_changes_while_drafting(tmp_path: Path, tiny_engine) -> None:
    proj, gloss = make_project(tmp_path, copies=200)
    own = proj.with_suffix(".glossary.tsv")
    held = HeldEngine(tiny_engine, passes=2)  # drafting stays open for the whole walk on any machine
    project_tm, user_tm = proj.with_suffix(".tm.sqlite"), tmp_path / "user-tm.sqlite"
    app = create_app(proj, glossary=[gloss], engine=held, beam=4, tm=user_tm)
    async with app.run_test(size=SIZE) as pilot:
        ed = app.screen
        await wait_for(pilot, lambda: ed.names is not None, timeout=180)
        approved = (ed.session.segment(1, 0).source, "Edit one")  # segment 1: ¶2's first
        paragraphs = paragraph_count(proj)
        await pilot.press("f5")
        await wait_for(pilot, lambda: any(s.draft for s in ed.session.record.segments()), timeout=120)
        # 1. an edit (one visit, several keystrokes), 2. an approval (asks once: the edit breaks 妇联)
        await pilot.press("down", "f4", *"Edit one", "escape")
        try:
            await wait_for(pilot, lambda: segment(proj, 1).final == "Edit one", timeout=10)
        except AssertionError:
            raise AssertionError(
                (segment(proj, 1), ed.par, ed.seg, [n.message for n in app._notifications])
            ) from None
        await pilot.press("ctrl+o")
        assert "Approve with 1 ✗ glossary" in status_line(ed) and segment(proj, 1).status == "edited"
        await pilot.press("ctrl+o")
        assert segment(proj, 1).status == "approved"
        assert tm_pairs(project_tm) == tm_pairs(user_tm) == {approved}  # both memories got the unit
        # 3. a merge of ¶3 and ¶4
        ed.goto(2, 0, move_table=True)
        await pilot.press("f8")
        assert paragraph_count(proj) == paragraphs - 1
        # 4. a term edit (¶2 has 妇联): a second rendering
        ed.goto(1, 0, move_table=True)
        await pilot.press("alt+t")
        await wait_for(pilot, lambda: isinstance(app.screen, TermScreen))
        app.screen.query_one("#term-renderings").value = "women's federation; women's federations"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        assert term(gloss, "妇联").alternatives == ("women's federations",)
        # 5. an accepted name (¶1: 重庆)
        ed.goto(0, 0, move_table=True)
        await pilot.press("f3")
        await wait_for(pilot, lambda: own.exists() and "重庆" in own.read_text(encoding="utf-8"))
        assert ed.drafting
        # Undo, newest first, each state back in order, still while drafting.
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: not own.exists() or "重庆" not in own.read_text(encoding="utf-8"))
        await pilot.press("ctrl+z")
        assert gloss.read_text(encoding="utf-8") == GLOSSARY
        await pilot.press("ctrl+z")
        assert paragraph_count(proj) == paragraphs
        await pilot.press("ctrl+z")
        seg = segment(proj, 1)
        assert (seg.final, seg.status) == ("Edit one", "edited")
        assert tm_pairs(project_tm) == tm_pairs(user_tm) == set()  # the approval's unit is taken out again
        await pilot.press("ctrl+z")
        seg = segment(proj, 1)
        assert seg.final is None and seg.status in ("new", "drafted")
        assert ed.drafting
        # Redo walks forward again; a draft that arrived meanwhile is kept.
        await pilot.press("ctrl+y", "ctrl+y")
        seg = segment(proj, 1)
        assert (seg.final, seg.status) == ("Edit one", "approved")
        assert tm_pairs(project_tm) == tm_pairs(user_tm) == {approved}
        await pilot.press("ctrl+y")
        assert paragraph_count(proj) == paragraphs - 1
        assert ed.drafting
        ed.cancel_drafting()
        held.release.set()


async def test_segments_a_merge_makes_while_drafting_are_drafted_by_the_run(
    tmp_path: Path, tiny_engine
) -> None:
    proj, gloss = make_project(tmp_path, copies=4)  # 16 paragraphs, 20 segments
    held = HeldEngine(tiny_engine, passes=1)  # the first unit is drafted, the next waits for the merge
    app = create_app(proj, glossary=[gloss], engine=held, beam=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ed = app.screen
        session = ed.session
        known = {session.segment_id(p, s) for p, s in session.positions()}
        await pilot.press("f5")
        await wait_for(pilot, lambda: held.calls >= 2 and any(s.draft for s in session.record.segments()))
        # ¶1 is a heading without a full stop: merged with ¶2, its text joins ¶2's first sentence.
        ed.goto(0, 0, move_table=True)
        await pilot.press("f8")
        made = [s for s in range(len(session.paragraph(0).segments)) if session.segment_id(0, s) not in known]
        assert made and not any(session.segment(0, s).draft for s in made)  # new to the run, no draft
        assert ed.drafting
        held.release.set()
        await wait_for(pilot, lambda: all(s.draft for s in session.record.segments()), timeout=120)
        await wait_for(pilot, lambda: not ed.drafting)
        drafted = [n.message for n in app._notifications if n.message.startswith("Drafted")]
        assert drafted == [f"Drafted {len(known) + len(made)} segments."]  # one run, one message
    with Project.open(proj) as p:
        assert all(s.draft for s in p.segments())


async def test_ctrl_z_in_the_final_translation_is_the_text_areas_own(tmp_path: Path) -> None:
    proj, gloss = make_project(tmp_path)
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ed = app.screen
        await pilot.press("down", "enter", *"abc")
        await wait_for(pilot, lambda: segment(proj, 1).final == "abc")
        await pilot.press("ctrl+z")
        area = ed.query_one(FinalArea)
        assert area.has_focus and area.text != "abc"  # the text area undid its own typing
        await wait_for(pilot, lambda: segment(proj, 1).final == (area.text or None))
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: segment(proj, 1).final == "abc")
        assert area.text == "abc"
