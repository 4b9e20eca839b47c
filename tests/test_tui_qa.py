"""The QA panel in a real Textual app (Pilot): ✗ as a wrong date is typed, ✓ once it is fixed; the table's
⚠ marker, the status-line count, ctrl+b and the filter; consistency found by the background pass.

Sentences are from the seed page (中国妇女报); translations are written as a translator would.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets.text_area import Selection
from tui_fixtures import GLOSSARY, wait_for

from workbench.records import DocumentRecord, ParagraphRecord, SegmentRecord
from workbench.store.project import Project
from workbench.text.model import Document, Paragraph
from workbench.tui.app import create_app
from workbench.tui.editor import EditorScreen
from workbench.tui.qa_state import DocumentQA, run_pass
from workbench.tui.widgets import FinalArea, ParagraphTable

SIZE = (120, 40)
pytestmark = pytest.mark.anyio

HEADING = "重庆开州区妇联全力抓好在外流动妇联组织建设"
DATE = "12月 8日，浙江省乐清市北白象镇纪委联合妇联对即将结婚和已婚的年轻干部进行了一场有针对性的法纪教育。"
MIGRANTS = "重庆市开州区是外出务工大区，长年外出人员达50余万人。"
AID = "联合广东、上海、河北流动妇联（妇工委）开展节日慰问和公益助学活动，发放助学金和物品共计100余万元。"
CONGRESS = "哈尔滨市妇女第二十一次代表大会胜利召开。"

WRONG_DATE = (
    "On December 9, the discipline commission and the women's federation of Beibaixiang Town, Yueqing, "
    "gave young cadres a lesson in law."
)


def make_project(
    tmp: Path, paragraphs: tuple[str, ...], finals: dict[int, str] | None = None
) -> tuple[Path, Path]:
    """A project of one-segment paragraphs (the first a heading) with some final translations."""
    source = tmp / "news.txt"
    source.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    doc = Document(
        str(source),
        "utf-8",
        "simplified",
        tuple(
            Paragraph(i, "heading" if i == 0 else "body", t, (i + 1, i + 1), (t,))
            for i, t in enumerate(paragraphs)
        ),
    )
    proj = tmp / "news.txt.wbproj"
    with Project.open(proj, create=True) as p:
        p.add_document(doc)
        segs = p.segments()
        for i, text in (finals or {}).items():
            p.set_final(segs[i].id, text)
    gloss = tmp / "terms.tsv"
    gloss.write_text(GLOSSARY, encoding="utf-8")
    return proj, gloss


def editor(app) -> EditorScreen:
    assert isinstance(app.screen, EditorScreen)
    return app.screen


def panel(ed: EditorScreen) -> str:
    return str(ed.query_one("#qa").render())


def marker(ed: EditorScreen, pos: int) -> str:
    return ed.query_one(ParagraphTable).get_cell(str(pos), "v").plain


def status(ed: EditorScreen) -> str:
    return str(ed.query_one("#status").render())


@pytest.mark.slow
async def test_a_wrong_date_typed_into_the_final_shows_x_and_fixing_it_shows_tick(tmp_path: Path) -> None:
    proj, gloss = make_project(tmp_path, (HEADING, DATE, MIGRANTS))
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        ed = editor(app)
        await wait_for(pilot, lambda: ed.session.qa.ready)
        assert "QA ✓" in status(ed)  # nothing translated yet: nothing found
        await pilot.press("down")  # ¶2 (the table's highlight message may be handled after the key)
        await wait_for(pilot, lambda: (ed.par, ed.seg) == (1, 0))
        await pilot.press("enter")  # its final translation
        await wait_for(pilot, lambda: app.focused is ed.query_one(FinalArea))
        assert "○ no translation to check yet" in panel(ed)
        await pilot.press(*WRONG_DATE)
        await pilot.pause()
        text = panel(ed)
        assert "✗ numbers: number 8 of the source is not in the target" in text
        assert "✗ numbers: number 9 in the target is not in the source" in text
        assert "✓" not in text
        assert marker(ed, 1) == "⚠" and marker(ed, 2) == " "
        assert "2 ⚠ QA" in status(ed) and "⚠ QA" in str(ed.query_one("#seg-label").render())
        with Project.open(proj) as p:
            assert p.segments()[1].final == WRONG_DATE  # saved as typed
        # The translator selects the 9 and types 8 over it.
        area = ed.query_one(FinalArea)
        start = WRONG_DATE.index("9")
        area.selection = Selection((0, start), (0, start + 1))
        await pilot.press("8")
        await pilot.pause()
        fixed = WRONG_DATE.replace("December 9", "December 8")
        assert area.text == fixed
        assert "✓ no QA findings" in panel(ed) and "✗" not in panel(ed)
        assert marker(ed, 1) == " "
        assert "QA ✓" in status(ed)
        # The next document pass agrees.
        passes = ed.session.qa.applied
        await wait_for(pilot, lambda: ed.session.qa.applied > passes)
        assert "✓ no QA findings" in panel(ed) and marker(ed, 1) == " "
    with Project.open(proj) as p:
        assert p.segments()[1].final == fixed


async def test_ctrl_b_walks_qa_findings_and_glossary_violations(tmp_path: Path) -> None:
    finals = {
        1: "On December 8, the discipline commission and the women's federation of Beibaixiang Town, Yueqing, "
        "gave young cadres a lesson in law.",
        # 50余万 is more than 500,000: a QA finding, no glossary term in this source.
        2: "Kaizhou District of Chongqing sends many workers away: more than 50,000 people work elsewhere all year.",
        # The figure is right, 妇联 is not rendered as the glossary says: a glossary violation.
        3: "With the mobile women's groups (women's work committees) of Guangdong, Shanghai and Hebei it held "
        "holiday visits and school-aid campaigns, handing out grants and goods worth more than 1 million yuan.",
    }
    proj, gloss = make_project(tmp_path, (HEADING, DATE, MIGRANTS, AID), finals)
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        ed = editor(app)
        await wait_for(pilot, lambda: ed.session.qa.ready)
        assert [marker(ed, i) for i in range(4)] == [" ", " ", "⚠", "✗"]
        assert "1 ✗" in status(ed) and "2 ⚠ QA" in status(ed)
        assert (ed.par, ed.seg) == (0, 0)  # the untranslated heading
        await pilot.press("ctrl+b")
        assert (ed.par, ed.seg) == (2, 0)
        assert "✗ numbers: number 50余万 (more than 500,000) of the source is not in the target" in panel(ed)
        await pilot.press("ctrl+b")
        assert (ed.par, ed.seg) == (3, 0)
        assert "✗ 妇联 → women's federation" in str(ed.query_one("#glossary").render())
        assert "✓ no QA findings" in panel(ed)
        await pilot.press("ctrl+b")
        assert (ed.par, ed.seg) == (2, 0)  # round again
        ed.set_filter("qa")
        assert ed.query_one(ParagraphTable).positions == [2]


@pytest.mark.slow
async def test_inconsistency_is_found_in_the_background_and_cleared_by_typing(tmp_path: Path) -> None:
    one = "The 21st Women's Congress of Harbin opened."
    other = "The twenty-first Harbin Women's Congress opened."
    proj, gloss = make_project(tmp_path, (HEADING, CONGRESS, MIGRANTS, CONGRESS), {1: one, 3: other})
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        ed = editor(app)
        await wait_for(pilot, lambda: ed.session.qa.ready)
        assert marker(ed, 1) == "⚠" and marker(ed, 3) == "⚠"
        await pilot.press("down")
        await wait_for(pilot, lambda: (ed.par, ed.seg) == (1, 0))
        assert "✗ inconsistent-target: the same source as unit ¶4.1 with a different translation" in panel(ed)
        passes = ed.session.qa.applied
        await pilot.press("f4", *other)  # F4 selects the final; typing replaces it
        await pilot.pause()
        assert "✓ no QA findings" in panel(ed)  # at once: the pass saw another text here
        # A pass after the typing clears the other unit's marker too (under load one may already have
        # run while the keys were typed, so wait for the result, not for one more pass).
        await wait_for(pilot, lambda: ed.session.qa.applied > passes and marker(ed, 3) == " ")
        assert marker(ed, 1) == " " and marker(ed, 3) == " "
        assert "QA ✓" in status(ed)


def test_a_document_pass_reuses_the_pairs_already_checked() -> None:
    """The thread's pass checks only texts not seen before; consistency comes from the whole document."""
    segs = [
        SegmentRecord(0, 0, CONGRESS, final="The 21st Women's Congress of Harbin opened."),
        SegmentRecord(1, 0, CONGRESS, final="The twenty-first Harbin Women's Congress opened."),
        SegmentRecord(2, 0, MIGRANTS, final="More than 50,000 people work away from home."),
    ]
    record = DocumentRecord(
        "news", paragraphs=[ParagraphRecord(i, "body", s.source, (i, i), [s]) for i, s in enumerate(segs)]
    )
    qa = DocumentQA()
    typed = qa.findings(segs[2], compute=True)  # what a keystroke checks
    assert [f.check.value for f in typed] == ["numbers", "numbers"]
    result = run_pass(qa.start(record))
    assert result.checked == 2  # the two congress pairs; the typed pair came from the cache
    assert qa.apply(result) and qa.ready
    assert [f.check.value for f in qa.findings(segs[0])] == ["inconsistent-target"]
    assert "unit ¶2.1" in qa.findings(segs[0])[0].message
    assert not qa.apply(result)  # an old answer is not applied twice
    again = run_pass(qa.start(record))
    assert again.checked == 0


async def test_a_key_pressed_just_before_the_tables_rebuild_after_a_resize_is_kept(tmp_path: Path) -> None:
    """A resize rebuilds the table; a move whose highlight message is still queued survives it."""
    proj, gloss = make_project(tmp_path, (HEADING, CONGRESS, MIGRANTS, CONGRESS), {})
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        ed = editor(app)
        await pilot.pause()
        assert (ed.par, ed.seg) == (0, 0)
        ed.query_one(ParagraphTable).action_cursor_down()  # the key; its message is still queued
        ed.refill_after_resize()  # the rebuild after a resize runs first
        await wait_for(pilot, lambda: (ed.par, ed.seg) == (1, 0), timeout=10)
