"""Proposed names in the editor's glossary panel (accept, reject, edit) and alt+1…9 insertion, driven
through the real app with Pilot and checked in the project and its glossary file."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from tui_fixtures import make_project, wait_for

from workbench.store.glossary import REJECTED_NAMES_KEY as REJECTED_KEY
from workbench.store.project import Project
from workbench.terms.context import GlossaryContext
from workbench.text.model import Document, Paragraph
from workbench.tui import glossary_panel
from workbench.tui.app import create_app
from workbench.tui.editor import EditorScreen
from workbench.tui.messages import NamesProposed
from workbench.tui.names import NameReview, document_text, find_names
from workbench.tui.screens import AddTermScreen, ChoiceScreen
from workbench.tui.widgets import FinalArea

SIZE = (120, 40)
HARBIN = "哈尔滨市妇女第二十一次代表大会胜利召开。"  # ¶3 of the test document, one segment
pytestmark = pytest.mark.anyio


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path]:
    proj, gloss = make_project(tmp_path)
    assert gloss is not None
    return proj, gloss


def panel(ed: EditorScreen) -> str:
    return str(ed.query_one("#glossary").render())


def glossary_rows(proj: Path) -> list[list[str]]:
    """The project's own glossary file (where accepted names go), without its header."""
    path = proj.with_suffix(".glossary.tsv")
    if not path.exists():
        return []
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:]]


def final_of(proj: Path, source: str) -> str | None:
    with Project.open(proj) as p:
        return next(s.final for s in p.segments() if s.source == source)


async def names_ready(pilot) -> EditorScreen:
    ed = pilot.app.screen
    assert isinstance(ed, EditorScreen)
    await wait_for(pilot, lambda: ed.names is not None, timeout=120)
    await pilot.pause()
    return ed


async def goto_harbin(pilot) -> EditorScreen:
    ed = await names_ready(pilot)
    await pilot.press("down", "down")
    await pilot.pause()
    assert ed.current().source == HARBIN
    return ed


@pytest.mark.slow
async def test_accept_a_proposed_name_insert_it_with_alt_1_and_see_the_glossary_tick(project) -> None:
    proj, gloss = project
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        ed = await goto_harbin(pilot)
        # Proposed, marked as such, with its kind and confidence; not yet a glossary term.
        assert "1 ? 哈尔滨市 → Harbin City" in panel(ed)
        assert "proposed place · 0.95" in panel(ed)
        assert not ed.session.glossary.hits(HARBIN)
        await pilot.press("f3")
        await pilot.pause()
        # Accepted into the project's own glossary file and now checked as a glossary term.
        assert glossary_rows(proj)[0][:4] == ["哈尔滨市", "Harbin City", "", "Harbin"]
        assert "name accepted in the workbench UI" in glossary_rows(proj)[0][5]
        assert "1 ○ 哈尔滨市 → Harbin City" in panel(ed)
        assert "proposed" not in panel(ed)
        await pilot.press("enter")  # into the final translation (empty: no draft)
        assert app.focused is ed.query_one(FinalArea)
        await pilot.press("alt+1")
        await pilot.pause()
        assert ed.query_one(FinalArea).text == "Harbin City"
        assert "1 ✓ 哈尔滨市 → Harbin City" in panel(ed)
        assert final_of(proj, HARBIN) == "Harbin City"  # saved like typing
        await pilot.press(*" congress opens", "home", "alt+1", *" ")  # at the cursor, not at the end
        await pilot.pause()
        assert ed.query_one(FinalArea).text == "Harbin City Harbin City congress opens"
    # The project records the glossary file, so `translate --project` and QA see the name too.
    with Project.open(proj) as p:
        assert [h.entry.target for h in p.glossary().hits(HARBIN)] == ["Harbin City"]


async def test_an_inserted_rendering_is_one_undo_step(project) -> None:
    proj, gloss = project
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        ed = await names_ready(pilot)
        await pilot.press("down", "enter")  # 各级妇联要深入学习贯彻大会精神。: 妇联 is rendering 1
        assert ed.renderings == ("women's federation",)
        await pilot.press("alt+1")
        await pilot.pause()
        assert final_of(proj, "各级妇联要深入学习贯彻大会精神。") == "women's federation"
        assert "✓ 妇联" in panel(ed)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert final_of(proj, "各级妇联要深入学习贯彻大会精神。") is None
        await pilot.press("alt+2")  # nothing numbered 2: a warning, no change
        await pilot.pause()
        assert final_of(proj, "各级妇联要深入学习贯彻大会精神。") is None
        assert any("no rendering 2" in n.message for n in app._notifications)


@pytest.mark.slow
async def test_a_rejected_name_is_not_proposed_again_in_the_project(project) -> None:
    proj, gloss = project
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        ed = await names_ready(pilot)
        assert (ed.par, ed.seg) == (0, 0)  # 重庆开州区妇联…: the glossary's 妇联, then the proposal 重庆
        assert "1 ○ 妇联 → women's federation" in panel(ed)
        assert "2 ? 重庆 → Chongqing" in panel(ed)
        assert ed.renderings == ("women's federation", "Chongqing")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "重庆" not in panel(ed) and ed.renderings == ("women's federation",)
        assert glossary_rows(proj) == []  # rejecting writes no term
    with Project.open(proj) as p:
        assert p.rejected_names() == {"重庆"} and p.meta(REJECTED_KEY)
    app = create_app(proj, glossary=[gloss], preload=False)  # reopened: still not proposed
    async with app.run_test(size=SIZE) as pilot:
        ed = await names_ready(pilot)
        assert ed.names is not None and "重庆" in {p.source for p in ed.names.proposals}
        assert "重庆" not in panel(ed) and "proposed" not in panel(ed)


async def test_rejecting_a_name_is_an_undo_step(project) -> None:
    proj, gloss = project
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        ed = await names_ready(pilot)
        await pilot.press("ctrl+r")  # 重庆 → Chongqing, proposed in ¶1
        await wait_for(pilot, lambda: "重庆" not in panel(ed))
        await pilot.press("ctrl+z")  # the rejection undone: proposed again, forgotten by the project
        await wait_for(pilot, lambda: "2 ? 重庆 → Chongqing" in panel(ed))
        assert ed.renderings == ("women's federation", "Chongqing")
        with Project.open(proj) as p:
            assert p.rejected_names() == set()
        await pilot.press("ctrl+y")  # and rejected again
        await wait_for(pilot, lambda: "重庆" not in panel(ed))
        with Project.open(proj) as p:
            assert p.rejected_names() == {"重庆"}
        assert glossary_rows(proj) == []


@pytest.mark.slow
async def test_edit_a_proposed_name_before_accepting_it(project) -> None:
    from textual.widgets import Input

    proj, gloss = project
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        ed = await names_ready(pilot)  # ¶1: 重庆开州区妇联… proposes 重庆 → Chongqing
        await pilot.press("f12")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AddTermScreen)
        assert (dialog.source, dialog.target) == ("重庆", "Chongqing")
        assert "Edit the proposed place name" in dialog.heading
        await pilot.press("escape")  # cancelled: nothing changes
        await pilot.pause()
        assert app.screen is ed and glossary_rows(proj) == [] and "2 ? 重庆 → Chongqing" in panel(ed)
        await pilot.press("f12")
        await pilot.pause()
        await pilot.press(
            "ctrl+a", "ctrl+k", *"Chongqing Municipality", "enter"
        )  # the rendering has the focus
        await pilot.pause()
        assert app.screen is ed
        assert glossary_rows(proj)[0][:4] == ["重庆", "Chongqing Municipality", "", ""]
        assert "1 ○ 重庆 → Chongqing Municipality" in panel(ed) and "proposed" not in panel(
            ed
        )  # in text order
        # The source edited too (the name is 哈尔滨, not 哈尔滨市): the proposal itself is rejected.
        await pilot.press("down", "down")
        await pilot.pause()
        assert "1 ? 哈尔滨市 → Harbin City" in panel(ed)
        await pilot.press("f12")
        await pilot.pause()
        app.screen.query_one("#term-source", Input).value = "哈尔滨"  # as an input method would type it
        await pilot.press("ctrl+a", "ctrl+k", *"Harbin", "enter")
        await pilot.pause()
        assert [r[:2] for r in glossary_rows(proj)] == [
            ["重庆", "Chongqing Municipality"],
            ["哈尔滨", "Harbin"],
        ]
        with Project.open(proj) as p:
            assert p.rejected_names() == {"哈尔滨市"}
        assert "1 ○ 哈尔滨 → Harbin" in panel(ed) and "哈尔滨市" not in panel(ed)
        await pilot.press("down")  # ¶4: …哈尔滨篇章… now a glossary term there too, no longer proposed
        await pilot.pause()
        assert "1 ○ 哈尔滨 → Harbin" in panel(ed) and "proposed" not in panel(ed)
        # One ctrl+z takes back the whole edited acceptance: the term and the rejection of 哈尔滨市.
        await pilot.press("up", "ctrl+z")
        await wait_for(pilot, lambda: "1 ? 哈尔滨市 → Harbin City" in panel(ed))
        assert [r[:2] for r in glossary_rows(proj)] == [["重庆", "Chongqing Municipality"]]
        with Project.open(proj) as p:
            assert p.rejected_names() == set()


@pytest.mark.slow
async def test_several_names_in_a_segment_ask_which(tmp_path: Path) -> None:
    source = tmp_path / "talk.txt"
    text = "主席单迎庆和主任邹云燕在南昌市调研。"
    source.write_text(text + "\n", encoding="utf-8")
    proj = tmp_path / "talk.txt.wbproj"
    with Project.open(proj, create=True) as p:
        p.add_document(
            Document(str(source), "utf-8", "simplified", (Paragraph(0, "body", text, (1, 1), (text,)),))
        )
    app = create_app(proj, preload=False)
    async with app.run_test(size=SIZE) as pilot:
        ed = await names_ready(pilot)
        assert ed.renderings == ("Shan Yingqing", "Zou Yunyan", "Nanchang City")  # 单 as a surname: Shan
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("down", "enter")  # the second: 邹云燕
        await pilot.pause()
        assert [r[:2] for r in glossary_rows(proj)] == [["邹云燕", "Zou Yunyan"]]
        assert "1 ○ 邹云燕 → Zou Yunyan" in panel(ed)  # glossary terms first, then the proposals
        assert ed.renderings == ("Zou Yunyan", "Shan Yingqing", "Nanchang City")
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("escape")  # cancelled: both proposals stay
        await pilot.pause()
        assert ed.renderings == ("Zou Yunyan", "Shan Yingqing", "Nanchang City")


@pytest.mark.slow
async def test_names_are_found_in_a_thread_while_the_ui_keeps_working(
    project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The proposal worker is held until the test has typed and moved: the UI answers meanwhile."""
    release = threading.Event()
    threads: list[str] = []

    def held(document):
        threads.append(threading.current_thread().name)
        assert release.wait(60)
        return find_names(document)

    monkeypatch.setattr(glossary_panel, "find_names", held)
    proj, gloss = project
    order: list[str] = []

    def hook(message) -> None:
        if isinstance(message, NamesProposed):
            order.append("NamesProposed")

    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await wait_for(pilot, lambda: threads)
        ed = app.screen
        assert "finding names…" in panel(ed)
        await pilot.press("f3")  # nothing to accept yet: said so, no freeze
        await wait_for(
            pilot, lambda: any("Still finding" in n.message for n in app._notifications), timeout=20
        )
        await pilot.press("down", "enter", *"typed while names are found")
        await pilot.pause()
        assert final_of(proj, "各级妇联要深入学习贯彻大会精神。") == "typed while names are found"
        assert order == [] and ed.names is None
        order.append("typed")
        release.set()
        await wait_for(pilot, lambda: ed.names is not None, timeout=120)
        assert order == ["typed", "NamesProposed"]
        assert threads == ["workbench-names"] and threading.current_thread().name != "workbench-names"
        assert "finding names…" not in panel(ed)
        await pilot.press("escape", "up")
        await pilot.pause()
        assert "? 重庆 → Chongqing" in panel(ed)


async def test_a_glossary_term_wins_over_a_proposed_name(tmp_path: Path) -> None:
    """with_names rules in the panel: a name the glossary has is not proposed, and on an overlap in a
    segment the glossary term is shown."""
    proj, _ = make_project(tmp_path, glossary=False)
    gloss = tmp_path / "harbin.tsv"
    gloss.write_text("source\ttarget\n哈尔滨\tHarbin\n", encoding="utf-8")
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        ed = await goto_harbin(pilot)
        assert "1 ○ 哈尔滨 → Harbin" in panel(ed)
        assert "哈尔滨市" not in panel(ed) and ed.renderings == ("Harbin",)
        await pilot.press("f3")
        await pilot.pause()
        assert glossary_rows(proj) == [] and any("No proposed name" in n.message for n in app._notifications)


def test_name_review_follows_the_glossary_and_the_rejections(tmp_path: Path) -> None:
    from tui_fixtures import make_document

    proposals = find_names(document_text(make_document(tmp_path / "news.txt")))
    assert {p.source: p.target for p in proposals} == {
        "重庆": "Chongqing",
        "哈尔滨市": "Harbin City",
        "哈尔滨": "Harbin",
    }
    review = NameReview(proposals, {"哈尔滨"})
    empty = GlossaryContext()
    assert [p.source for p in review.open_proposals(empty)] == ["重庆", "哈尔滨市"]
    assert [(f.proposal.source, f.start, f.end) for f in review.in_segment(empty, HARBIN)] == [
        ("哈尔滨市", 0, 4)
    ]
    gloss = tmp_path / "g.tsv"
    gloss.write_text(
        "source\ttarget\n哈尔滨市\tHarbin\n重庆开州区\tKaizhou District, Chongqing\n", encoding="utf-8"
    )
    loaded = GlossaryContext.load([gloss])
    assert [p.source for p in review.open_proposals(loaded)] == ["重庆"]  # 哈尔滨市 is a glossary source
    assert [p.source for p in review.open_proposals(empty)] == ["重庆", "哈尔滨市"]
    assert review.in_segment(loaded, "重庆开州区妇联") == []  # inside a glossary term
    assert [f.proposal.source for f in review.in_segment(loaded, "重庆是直辖市")] == ["重庆"]
    review.reject("重庆")
    assert review.in_segment(loaded, "重庆是直辖市") == []
