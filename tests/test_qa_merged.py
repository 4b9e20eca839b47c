"""QA findings of the same check and message in one segment are one finding with a count, everywhere:
``workbench qa``, ``workbench status``, the exports and the UI's QA panel and status line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_workbench
from workbench.store.project import Project
from workbench.terms.checks import check_pair
from workbench.text import document_from_text

SOURCE = "2024年有12人，2024年有12人，2024年有12人。"
TARGET = "In 2023 there were 13 people."


def _project(tmp_path: Path) -> Path:
    path = tmp_path / "p.wbproj"
    with Project.open(path, create=True) as p:
        doc_id = p.add_document(document_from_text(SOURCE + "\n"))
        p.set_final(p.segments(doc_id)[0].id, TARGET)
    return path


def test_the_same_finding_three_times_is_one_finding_counted_three() -> None:
    found = check_pair(SOURCE, TARGET)
    messages = [(f.check.value, f.message) for f in found]
    assert len(messages) == len(set(messages))
    repeated = [f for f in found if "2024" in f.message]
    assert len(repeated) == 1 and repeated[0].count == 3 and repeated[0].text.endswith("(×3)")
    assert repeated[0].to_dict()["count"] == 3


def test_status_qa_and_exports_show_one_line_with_its_count(tmp_path: Path) -> None:
    project = _project(tmp_path)
    status = run_workbench("status", str(project), "--check")
    assert status.returncode == 1
    lines = [line for line in status.stdout.splitlines() if "2024" in line]
    assert len(lines) == 1 and "(×3)" in lines[0], status.stdout
    assert "QA findings: 4 " in status.stdout, status.stdout  # 2024, 12, 2023, 13: four findings

    tsv = tmp_path / "pairs.tsv"
    tsv.write_text(f"{SOURCE}\t{TARGET}\n", encoding="utf-8")
    qa = run_workbench("qa", str(tsv), "--format", "jsonl")
    rows = [json.loads(line) for line in qa.stdout.splitlines()]
    assert sorted(r["count"] for r in rows if r["check"] == "numbers") == [1, 1, 3, 3]

    for fmt, name in (("md", "t.md"), ("xliff", "t.xlf"), ("tmx", "t.tmx")):
        done = run_workbench("export", str(project), "--format", fmt, "--out", str(tmp_path / name))
        assert done.returncode == 0, done.stderr
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert text.count("number 2024 of the source is not in the target") == 1, (fmt, text)
        assert "number 2024 of the source is not in the target (×3)" in text, fmt


@pytest.mark.anyio
async def test_the_qa_panel_and_status_line_count_a_repeated_finding_once(tmp_path: Path) -> None:
    from tests.tui_fixtures import wait_for
    from workbench.tui.app import create_app

    project = _project(tmp_path)
    app = create_app(project, preload=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        ed = app.screen
        seg = ed.session.record.segments()[0]
        await wait_for(
            pilot,
            lambda: ed.session.qa.last is not None and (seg.source, seg.target) in ed.session.qa.last.pairs,
        )
        found = ed.qa_findings(seg)
        assert len(found) == 4 and sorted(f.count for f in found) == [1, 1, 3, 3]
        await wait_for(pilot, lambda: "4 ⚠ QA" in str(ed.query_one("#status").render()))
