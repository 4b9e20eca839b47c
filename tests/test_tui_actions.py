"""Pilot tests: every editor action, driven through its key binding, checked in the project file."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_fixtures import make_project, still_screen, wait_for

from workbench.store.project import Project
from workbench.tui.actions import ACTIONS
from workbench.tui.app import create_app
from workbench.tui.editor import EditorScreen
from workbench.tui.widgets import FinalArea, KeyBar, ParagraphTable, SourceArea, key_label

SIZE = (120, 40)
pytestmark = pytest.mark.anyio


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path]:
    proj, gloss = make_project(tmp_path)
    assert gloss is not None
    return proj, gloss


def stored(proj: Path) -> list:
    """Segments as a second connection sees them (what survives a crash)."""
    with Project.open(proj) as p:
        return p.segments()


def with_drafts(proj: Path, drafts: dict[int, str]) -> None:
    """Give segments (by document order) machine drafts through the store."""
    with Project.open(proj) as p:
        segs = p.segments()
        for i, text in drafts.items():
            p.set_draft(segs[i].id, text)


def editor(app) -> EditorScreen:
    screen = app.screen
    assert isinstance(screen, EditorScreen)
    return screen


async def test_opens_on_the_first_untranslated_segment_with_aligned_rows(project) -> None:
    proj, gloss = project
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ed = editor(app)
        table = ed.query_one(ParagraphTable)
        assert table.row_count == 4
        assert [str(c.label) for c in table.columns.values()][3:] == ["Source", "Draft", "Final"]
        assert (ed.par, ed.seg) == (0, 0)
        source = ed.query_one(SourceArea)
        assert "重庆开州区妇联" in source.text
        # Glossary terms are highlighted in the source (both 妇联, as UTF-8 byte ranges of line 0).
        text = source.text
        starts = [i for i in range(len(text)) if text.startswith("妇联", i)]
        expected = [(len(text[:i].encode()), len(text[: i + 2].encode()), "wb.term") for i in starts]
        assert sorted(source._highlights[0]) == expected and len(expected) == 2
        assert "4 ·" not in str(ed.query_one("#status").render())
        assert "5 segments" in str(ed.query_one("#status").render())


@pytest.mark.slow
async def test_typing_is_saved_at_once_and_glossary_marks_update(project) -> None:
    proj, gloss = project
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ed = editor(app)
        await pilot.press("down", "enter")  # paragraph 2: 各级妇联要深入学习贯彻大会精神。
        assert app.focused is ed.query_one(FinalArea)
        await pilot.press(*"All levels of the league")
        await pilot.pause()
        panel = str(ed.query_one("#glossary").render())
        assert "✗ 妇联 → women's federation" in panel
        # Saved already: another connection sees it while the app is still running.
        assert stored(proj)[1].final == "All levels of the league"
        assert stored(proj)[1].status == "edited"
        await pilot.press(*[" women's federation"])
        await pilot.press(*" women's federation")
        await pilot.pause()
        assert "✓ 妇联 → women's federation" in str(ed.query_one("#glossary").render())
        assert stored(proj)[1].final.endswith("women's federation")


@pytest.mark.slow
async def test_accept_draft_and_approve(project) -> None:
    proj, gloss = project
    with_drafts(
        proj, {0: "Kaizhou women's federation builds organisations", 1: "All women's federations study."}
    )
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ed = editor(app)
        assert (ed.par, ed.seg) == (0, 0)
        assert ed.query_one(FinalArea).text.startswith("Kaizhou")  # prefilled from the draft
        assert stored(proj)[0].final is None  # prefilling is not an edit
        await pilot.press("ctrl+g")
        assert stored(proj)[0].final == "Kaizhou women's federation builds organisations"
        assert stored(proj)[0].status == "edited"
        await pilot.press("ctrl+o")
        assert stored(proj)[0].status == "approved"
        assert (ed.par, ed.seg) == (1, 0)  # approve moves on
        await pilot.press("f4", *"Study hard.")  # F4 selects the whole final: typing replaces it
        await pilot.pause()
        assert stored(proj)[1].final == "Study hard."
        await pilot.press("escape", "ctrl+z")  # outside the editor: the whole visit's typing is one step
        await pilot.pause()
        assert stored(proj)[1].final is None
        assert ed.query_one(FinalArea).text == "All women's federations study."
        await pilot.press("ctrl+o")  # approving a draft as is
        seg = stored(proj)[1]
        assert (seg.status, seg.final) == ("approved", "All women's federations study.")
        assert ed.query_one(ParagraphTable).get_cell("0", "st").plain == "✔"


@pytest.mark.slow
async def test_next_untranslated_and_next_violation(project) -> None:
    proj, gloss = project
    # Real translations (ctrl+b also stops at QA findings: see test_tui_qa.py); the heading misses 妇联.
    with_drafts(proj, {
        0: "Kaizhou federation in Chongqing builds up its organisations for members working away",
        1: "x",
        2: "Women volunteers help.",
        3: "The 21st Women's Congress of Harbin opened successfully.",
        4: "Contribute women's wisdom and strength to writing the Harbin chapter of Chinese-style modernisation.",
    })  # fmt: skip
    with Project.open(proj) as p:
        segs = p.segments()
        p.set_final(segs[1].id, "Women's federations at all levels study.")
        p.approve(segs[1].id)
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ed = editor(app)
        await wait_for(pilot, lambda: ed.session.qa.ready)  # the document's QA pass is in
        assert (ed.par, ed.seg) == (0, 0)
        await pilot.press("ctrl+n")
        assert (ed.par, ed.seg) == (1, 1)  # segment 2 of ¶2; segment 1 is approved
        await pilot.press("ctrl+b")
        assert (ed.par, ed.seg) == (0, 0)  # wraps to the draft missing 妇联 → women's federation
        assert ed.query_one(ParagraphTable).get_cell("0", "v").plain == "✗"
        await pilot.press("ctrl+b")
        assert (ed.par, ed.seg) == (0, 0)  # only one violation: 巾帼志愿者 draft is right
        await pilot.press("alt+down")
        assert (ed.par, ed.seg) == (1, 0)
        await pilot.press("alt+up")
        assert (ed.par, ed.seg) == (0, 0)


async def test_merge_and_split_paragraphs(project) -> None:
    proj, gloss = project
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ed = editor(app)
        await pilot.press("down", "down")  # ¶3
        await pilot.press("f8")  # merge ¶3 with ¶4
        assert len(ed.session.record.paragraphs) == 3
        assert ed.query_one(ParagraphTable).row_count == 3
        with Project.open(proj) as p:
            paras = p.paragraphs(p.documents()[0].id)
        assert len(paras) == 3 and paras[2].text.startswith("哈尔滨") and paras[2].text.endswith("力量。")
        assert len(ed.session.paragraph(2).segments) == 2
        await pilot.press("alt+down")  # second segment of the merged paragraph
        assert (ed.par, ed.seg) == (2, 1)
        await pilot.press("f9")  # split it off again
        with Project.open(proj) as p:
            paras = p.paragraphs(p.documents()[0].id)
        assert [q.text for q in paras[2:]] == [
            "哈尔滨市妇女第二十一次代表大会胜利召开。",
            "为奋力谱写中国式现代化哈尔滨篇章贡献巾帼智慧和力量。",
        ]
        assert (ed.par, ed.seg) == (3, 0)
        await pilot.press("ctrl+home")
        await pilot.press("f9")  # first segment: nothing to split, a message instead of a crash
        assert len(ed.session.record.paragraphs) == 4


@pytest.mark.slow
async def test_add_term_from_selected_source_rechecks_everything(project) -> None:
    proj, gloss = project
    with_drafts(proj, {
        3: "The 21st Women's Congress of the city opened successfully.",
        4: "Contribute women's wisdom and strength to writing the Harbin chapter of Chinese-style modernisation.",
    })  # fmt: skip
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ed = editor(app)
        await wait_for(pilot, lambda: ed.session.qa.ready)  # no QA marker either: the drafts are sound
        await pilot.press("down", "down")  # ¶3: 哈尔滨市妇女第二十一次代表大会胜利召开。
        assert ed.query_one(ParagraphTable).get_cell("2", "v").plain == " "
        source = ed.query_one(SourceArea)
        source.focus()
        await pilot.press("home", "shift+right", "shift+right", "shift+right")
        assert source.selected_text == "哈尔滨"
        await pilot.pause()
        assert "Harbin" in str(ed.query_one("#dict").render()) or app.dictionary is None
        await pilot.press("ctrl+t")
        await pilot.press(*"Harbin", "enter")
        await pilot.pause()
        own = proj.with_suffix(".glossary.tsv")
        assert "哈尔滨\tHarbin" in own.read_text(encoding="utf-8")
        # Re-checked: ¶3's draft lacks Harbin, ¶4's has it.
        assert ed.query_one(ParagraphTable).get_cell("2", "v").plain == "✗"
        assert ed.query_one(ParagraphTable).get_cell("3", "v").plain == " "
        assert "哈尔滨 → Harbin" in str(ed.query_one("#glossary").render())
        with Project.open(proj) as p:
            assert any(Path(path).name == own.name for path, _ in p.glossary_files())
        # Adding the same source again is refused with a message, the file is unchanged.
        before = own.read_text(encoding="utf-8")
        source.focus()
        await pilot.press(
            "home", "shift+right", "shift+right", "shift+right", "ctrl+t", *"Harbin City", "enter"
        )
        await pilot.pause()
        assert own.read_text(encoding="utf-8") == before


@pytest.mark.slow
async def test_search_filter_and_undo(project) -> None:
    proj, gloss = project
    with_drafts(proj, {0: "Kaizhou", 1: "a", 2: "Women volunteers join rural revitalization."})
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ed = editor(app)
        await pilot.press("ctrl+f", *"REVITALIZATION", "enter")
        assert (ed.par, ed.seg) == (1, 1)
        await pilot.press("escape")
        assert not ed.query_one("#search").display
        # Filter: only paragraphs with a new segment (¶3, ¶4).
        await pilot.press("ctrl+l")
        await pilot.pause()
        await pilot.press("down", "enter")  # "new"
        await pilot.pause()
        table = ed.query_one(ParagraphTable)
        assert table.positions == [2, 3]
        assert ed.par == 2
        await pilot.press("ctrl+l")
        await pilot.pause()
        await pilot.press("home", "enter")  # all
        await pilot.pause()
        assert table.positions == [0, 1, 2, 3]
        # Undo: a burst of typing comes back in one step, then the change before it.
        await pilot.press("up", "up")
        assert (ed.par, ed.seg) == (0, 0)
        sid = ed.session.segment_id(0, 0)
        await pilot.press("enter", "end", *" ok")
        await pilot.pause()
        with Project.open(proj) as p:
            assert p.segment(sid).final == "Kaizhou ok"
        await pilot.press("escape", "ctrl+z")
        with Project.open(proj) as p:
            seg = p.segment(sid)
        assert (seg.final, seg.status, seg.draft) == (None, "drafted", "Kaizhou")
        assert ed.query_one(FinalArea).text == "Kaizhou"
        await pilot.press("ctrl+z")  # machine drafts are not undo steps: nothing more to undo
        await pilot.pause()
        with Project.open(proj) as p:
            seg = p.segment(ed.session.segment_id(1, 1))
        assert (seg.draft, seg.status) == ("Women volunteers join rural revitalization.", "drafted")
        assert any("Nothing to undo" in n.message for n in app._notifications)


@pytest.mark.slow
async def test_command_palette_lists_every_action_and_runs_one(project) -> None:
    proj, gloss = project
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ed = editor(app)
        from workbench.tui.palette import ActionsProvider

        provider = ActionsProvider(ed, None)
        names = [name for name, _help, _cb in provider._commands()]
        for a in ACTIONS:
            if a.action != "escape":
                assert a.help in names, a.help
        assert "Export: OmegaT project (folder)" in names
        # The key bar shows every action with its key; alt+1…9 share one item.
        bar = str(ed.query_one(KeyBar).render())
        for a in ACTIONS:
            assert f"{key_label(a.bar_key or a.key)} {a.label}" in bar
        assert "M-1…9 Insert" in bar and bar.count("Insert") == 1
        assert {b.id for b in ed.BINDINGS} >= {
            "draft.all", "edit.approve", "export.dialog", "terms.add", "names.accept", "names.reject", "names.edit",
            "glossary.insert.1", "glossary.insert.9",
        }  # fmt: skip
        # No two editor actions share a key, and none takes a key of the final translation's editor.
        keys = [k for a in ACTIONS for k in a.key.split(",")]
        assert len(keys) == len(set(keys))
        text_area_keys = {k for b in FinalArea.BINDINGS for k in b.key.split(",")} - {
            "f6",
            "f7",
            "ctrl+z",
            "ctrl+y",
        }
        assert not set(keys) & text_area_keys
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Jump to the next segment without")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert (ed.par, ed.seg) == (1, 0)


@pytest.mark.slow
async def test_quit_never_asks_and_loses_nothing(project) -> None:
    proj, gloss = project
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", *"Kaizhou", "ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    assert stored(proj)[0].final == "Kaizhou"


async def test_snapshot_helper_is_harmless(project) -> None:
    proj, gloss = project
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        still_screen(app)
        assert app.screen.query_one(FinalArea).cursor_blink is False


@pytest.mark.slow
async def test_a_store_error_is_a_message_not_a_crash(project) -> None:
    proj, gloss = project
    with_drafts(proj, {0: "Kaizhou federation"})
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ed = editor(app)
        ed.session.project.close()  # the project file is gone from under the UI
        await pilot.press("ctrl+o", "ctrl+o")  # (the second confirms: the draft breaks 妇联)
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)  # still running
        assert any(n.severity == "error" for n in app._notifications)


async def test_undo_inverts_merges_and_splits_in_order(project) -> None:
    proj, gloss = project
    with_drafts(proj, {3: "The congress opened."})
    app = create_app(proj, glossary=[gloss], preload=False)
    original = [p.text for p in make_paragraph_texts(proj)]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ed = editor(app)
        await pilot.press("down", "down", "f8")  # merge ¶3 + ¶4
        await pilot.press("up", "alt+down", "f9")  # split ¶2 before its second segment
        await pilot.pause()
        after_ops = [p.text for p in make_paragraph_texts(proj)]
        assert after_ops == [
            original[0],
            "各级妇联要深入学习贯彻大会精神。",
            "巾帼志愿者积极参与乡村振兴。",
            original[2] + original[3],
        ]
        await pilot.press("ctrl+z")  # undo the last structural change
        await pilot.press("ctrl+z")  # and the one before
        await pilot.pause()
        assert [p.text for p in make_paragraph_texts(proj)] == original
        assert ed.query_one(ParagraphTable).row_count == 4
        with Project.open(proj) as p:
            assert p.segments()[3].draft == "The congress opened."  # the work survived the round trip
        await pilot.press("ctrl+z")  # the draft is the machine's, not an undo step
        await pilot.pause()
        assert any("Nothing to undo" in n.message for n in app._notifications)
        assert [p.text for p in make_paragraph_texts(proj)] == original


def make_paragraph_texts(proj: Path) -> list:
    with Project.open(proj) as p:
        return p.paragraphs(p.documents()[0].id)
