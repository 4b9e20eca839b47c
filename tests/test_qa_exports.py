"""QA findings leave the workbench with the translation: Markdown ⚠ lines, TMX and XLIFF notes, the
``translate`` outputs, the UI's export, and ``workbench status --check``.

A project holds four seed-page sentences (中国妇女报) translated as a translator would, one with a
wrong figure (50余万 is more than 500,000, not 50,000) and one with a glossary violation.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from export_fixtures import SHARED, TMX_DTD, dtd_errors, run_cli, xliff_schema
from lxml import etree

from workbench.formats.xliff import NS
from workbench.jobs.outputs import build_record, jsonl_rows, write_outputs
from workbench.records import Draft
from workbench.store.project import Project
from workbench.text.model import Document, Paragraph

HEADING = "重庆开州区妇联全力抓好在外流动妇联组织建设"
MIGRANTS = "重庆市开州区是外出务工大区，长年外出人员达50余万人。"
AID = "联合广东、上海、河北流动妇联（妇工委）开展节日慰问和公益助学活动，发放助学金和物品共计100余万元。"
DATE = "12月 8日，浙江省乐清市北白象镇纪委联合妇联对即将结婚和已婚的年轻干部进行了一场有针对性的法纪教育。"
SOURCES = (HEADING, MIGRANTS, AID, DATE)
GOOD = {
    0: "Kaizhou District women's federation in Chongqing builds women's federations for migrant women",
    2: "With the mobile women's federations (women's work committees) of Guangdong, Shanghai and Hebei it "
    "held holiday visits and school-aid campaigns, handing out grants and goods worth more than 1 million yuan.",
    3: "On December 8, the discipline commission and the women's federation of Beibaixiang Town, Yueqing, "
    "gave young cadres a lesson in law.",
}
MISSED_TERM = "Kaizhou District league in Chongqing builds organisations for migrant women"  # 妇联 → league
WRONG_FIGURE = (
    "Kaizhou District of Chongqing sends many workers away: more than 50,000 people work elsewhere all year."
)
RIGHT_FIGURE = WRONG_FIGURE.replace("50,000", "500,000")
FINDINGS = (
    "numbers: number 50余万 (more than 500,000) of the source is not in the target",
    "numbers: number 50,000 in the target is not in the source",
)
GLOSSARY = "source\ttarget\n妇联\twomen's federation\n"
Q = f"{{{NS}}}"


def document(path: Path) -> Document:
    paras = tuple(
        Paragraph(i, "heading" if i == 0 else "body", t, (i + 1, i + 1), (t,)) for i, t in enumerate(SOURCES)
    )
    return Document(str(path), "utf-8", "simplified", paras)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Every segment translated and approved; ¶1 misses the glossary's 妇联, ¶2 has the wrong figure."""
    gloss = tmp_path / "terms.tsv"
    gloss.write_text(GLOSSARY, encoding="utf-8")
    proj = tmp_path / "news.wbproj"
    with Project.open(proj, create=True) as p:
        p.add_document(document(tmp_path / "news.txt"))
        p.set_glossary([gloss])
        for i, seg in enumerate(p.segments()):
            p.set_final(seg.id, {**GOOD, 0: MISSED_TERM, 1: WRONG_FIGURE}[i])
            p.approve(seg.id)
    return proj


def test_markdown_export_marks_the_finding_under_its_paragraph(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "news.md"
    assert run_cli("export", str(project), "--out", str(out)).returncode == 0
    text = out.read_text(encoding="utf-8")
    for finding in FINDINGS:
        assert text.count(f"> ⚠ {finding}") == 1
    # Under ¶2's translation, before ¶3.
    assert text.index("50,000 people") < text.index(f"> ⚠ {FINDINGS[0]}") < text.index(AID)
    marks = [line for line in text.splitlines() if line.startswith("> ⚠")]
    glossary = "> ⚠ 妇联 → women's federation: missing"  # once per hit: the heading has 妇联 twice
    assert marks == [glossary, glossary, *(f"> ⚠ {f}" for f in FINDINGS)]
    table = tmp_path / "table.md"
    assert run_cli("export", str(project), "--out", str(table), "--layout", "table").returncode == 0
    assert f"<br>⚠ {FINDINGS[0]}" in table.read_text(encoding="utf-8")


@pytest.mark.skipif(not TMX_DTD.is_file(), reason="../shared/data/tmx14.dtd not available")
def test_tmx_carries_the_findings_as_notes_and_still_validates(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "news.tmx"
    assert run_cli("export", str(project), "--out", str(out)).returncode == 0
    assert dtd_errors(out) == []
    check = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "validate_tmx.py"), str(out)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    units = {tu.find("tuv/seg").text: tu for tu in etree.parse(str(out)).iter("tu")}
    notes = [n.text for n in units[MIGRANTS].findall("note")]
    assert notes == [f"qa {f}" for f in FINDINGS]
    assert not [n.text for n in units[AID].findall("note") if n.text.startswith("qa ")]
    # The glossary violation is still a term note, not a QA note.
    assert [n.text for n in units[HEADING].findall("note")] == ["term: 妇联 = women's federation [missing]"]


def test_xliff_carries_the_findings_as_notes_and_stays_schema_valid(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "news.xlf"
    assert run_cli("export", str(project), "--out", str(out)).returncode == 0
    tree = etree.parse(str(out))
    assert xliff_schema().validate(tree)
    unit = next(tu for tu in tree.iter(Q + "trans-unit") if tu.find(Q + "source").text == MIGRANTS)
    assert [(n.get("from"), n.text) for n in unit.findall(Q + "note")] == [("qa", f) for f in FINDINGS]
    others = [n for tu in tree.iter(Q + "trans-unit") if tu is not unit for n in tu.findall(Q + "note")]
    assert all(n.get("from") == "glossary" for n in others)


def test_the_ui_export_carries_them_too(project: Path, tmp_path: Path) -> None:
    from workbench.formats.exporters import ExportKind
    from workbench.tui.session import Session

    session = Session.open(project)
    try:
        md = session.export(ExportKind.MARKDOWN, tmp_path / "ui.md")
        tmx = session.export(ExportKind.TMX, tmp_path / "ui.tmx")
    finally:
        session.close()
    assert f"> ⚠ {FINDINGS[0]}" in md.read_text(encoding="utf-8")
    assert f"<note>qa {FINDINGS[1]}</note>" in tmx.read_text(encoding="utf-8")


def test_translate_outputs_carry_the_findings_of_the_drafts(tmp_path: Path) -> None:
    doc = document(tmp_path / "news.txt")
    sources = [(i, 0, s) for i, s in enumerate(SOURCES)]
    drafts = [Draft(GOOD.get(i, WRONG_FIGURE), -0.5, 20) for i in range(len(SOURCES))]
    record = build_record(doc, sources, drafts, signature="model=tiny")
    rows = jsonl_rows(record, drafts)
    assert rows[1]["qa"] == [{"check": "numbers", "message": f.removeprefix("numbers: ")} for f in FINDINGS]
    assert all("qa" not in r for i, r in enumerate(rows) if i != 1)
    md, _jsonl, tmx = write_outputs(record, tmp_path / "out" / "news", rows)
    assert f"> ⚠ {FINDINGS[0]}" in md.read_text(encoding="utf-8")
    assert f"<note>qa {FINDINGS[0]}</note>" in tmx.read_text(encoding="utf-8")


def test_status_check_counts_qa_findings_and_fails_on_them(project: Path) -> None:
    before = run_cli("status", str(project), "--check")
    assert before.returncode == 1 and "glossary violations: 1" in before.stdout
    with Project.open(project) as p:  # fix the glossary violation: only the QA finding is left
        seg = p.segments()[0]
        p.set_final(seg.id, GOOD[0])
        p.approve(seg.id)
    proc = run_cli("status", str(project), "--check")
    assert proc.returncode == 1, proc.stdout
    assert "glossary violations: 0" in proc.stdout
    assert "remaining: 0 to draft, 0 to approve" in proc.stdout
    assert "QA findings: 2 (numbers 2)" in proc.stdout
    assert f"  news.txt ¶2.1 [approved] {FINDINGS[0]}" in proc.stdout
    listed = run_cli("status", str(project), "--max-violations", "1")
    assert listed.returncode == 0 and "  ... and 1 more" in listed.stdout  # without --check: a report
    with Project.open(project) as p:
        seg = p.segments()[1]
        p.set_final(seg.id, RIGHT_FIGURE)
        p.approve(seg.id)
    fixed = run_cli("status", str(project), "--check")
    assert fixed.returncode == 0, fixed.stdout
    assert "QA findings: 0" in fixed.stdout
