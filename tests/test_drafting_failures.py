"""One bad segment never costs a run: the drafting loop retries it alone, records it as failed and goes on,
in plain ``translate``, the project mode and the UI; the next run drafts it again.

The failure is injected with ``workbench.jobs.engines.FailingEngine`` around the tiny real model: in this
process directly, in a ``workbench`` subprocess through its documented test hook
(``WORKBENCH_TEST_FAIL_SOURCE``, docs/how-to/drafting-failures.md). The Ray executor's case is in
``test_ray_executor.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import run_workbench
from workbench.jobs.drafting import EXIT_SEGMENTS_FAILED, plan_units, run_drafting
from workbench.jobs.engines import FAIL_HOOK_VAR, FailingEngine
from workbench.store.project import Project

#: The marker of the one segment whose drafting fails.
BAD = "故障标记"
TEXT = (
    "全国妇联召开会议。会议研究了乡村振兴工作。\n\n"
    f"妇联主席讲话。这一句带有{BAD}的内容。巾帼志愿者参加活动。\n\n"
    "中国妇女报记者报道。各地妇联积极响应号召。\n"
)
SUMMARY = re.compile(r"workbench: (\d+) drafted, (\d+) failed: (.*)")


@pytest.fixture(scope="module")
def engine(tiny_model_dir):
    from workbench.mt.registry import load_engine

    return load_engine("transformers", tiny_model_dir, device="cpu", threads=1)


def _sources() -> list[str]:
    from workbench.text import document_from_text

    return [s for p in document_from_text(TEXT).paragraphs for s in p.segments]


def test_the_loop_retries_alone_then_records_the_failure_and_goes_on(engine) -> None:
    sources = _sources()
    bad = next(i for i, s in enumerate(sources) if BAD in s)
    calls: list[int] = []

    class Counting(FailingEngine):
        def translate(self, batch, **kwargs):
            calls.append(len(batch))
            return super().translate(batch, **kwargs)

    reference = run_drafting(engine, sources, beam=1, unit_size=4)
    committed: dict[int, object] = {}
    drafts = run_drafting(Counting(engine, BAD), sources, beam=1, unit_size=4,
                          on_unit=lambda idx, ds: committed.update(zip(idx, ds, strict=True)))  # fmt: skip
    assert drafts[bad] is not None and drafts[bad].error.startswith("RuntimeError: injected failure")
    assert drafts[bad].text == ""
    assert len(committed) == len(sources)  # the unit with the bad segment was committed too
    # Outside the bad segment's unit, the drafts are the uninterrupted run's; inside it, each segment was
    # drafted alone.
    unit = next(u for u in plan_units(sources, 4) if bad in u)
    for i, (d, r) in enumerate(zip(drafts, reference, strict=True)):
        if i == bad:
            continue
        alone = engine.translate([sources[i]], beam=1)[0] if i in unit else r
        assert d.error is None and d.text == alone.text
    # The unit failed once; its segments were then drafted one by one (the bad one alone, once).
    assert 1 in calls and calls.count(1) == sum(1 for u in calls if u == 1)
    assert sum(1 for n in calls if n > 1) == len(range(0, len(sources), 4))


def _translate(model: Path, src: Path, out: Path, *extra: str, fail: bool) -> object:
    env = {FAIL_HOOK_VAR: BAD} if fail else {}
    return run_workbench("translate", str(src), "--model", str(model), "--engine", "transformers", "--beam", "1",
                         "--batch-size", "4", "--out", str(out), *extra, env=env, timeout=300)  # fmt: skip


def _check_summary(stderr: str, drafted: int) -> None:
    assert "Traceback" not in stderr
    m = SUMMARY.search(stderr)
    assert m, stderr
    assert (int(m.group(1)), int(m.group(2))) == (drafted, 1)
    assert "RuntimeError: injected failure" in m.group(3)


def test_plain_translate_writes_everything_else_records_the_error_and_a_rerun_retries(
    tiny_model_dir, tmp_path
) -> None:
    src = tmp_path / "page.txt"
    src.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    n = len(_sources())
    first = _translate(tiny_model_dir, src, out, fail=True)
    assert first.returncode == EXIT_SEGMENTS_FAILED, first.stderr
    _check_summary(first.stderr, n - 1)
    rows = [json.loads(line) for line in (out / "page.jsonl").read_text(encoding="utf-8").splitlines()]
    failed = [r for r in rows if "error" in r]
    assert len(failed) == 1 and BAD in failed[0]["source"] and failed[0]["draft"] is None
    assert failed[0]["error"].startswith("RuntimeError: injected failure")
    assert all(r["draft"] for r in rows if "error" not in r) and len(rows) == n
    assert (out / "page.md").is_file() and (out / "page.tmx").is_file()

    again = _translate(tiny_model_dir, src, out, fail=False)
    assert again.returncode == 0, again.stderr
    assert "1 segments drafted" in again.stderr  # only the failed one was drafted again
    rows2 = [json.loads(line) for line in (out / "page.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(r["draft"] and "error" not in r for r in rows2)
    assert [r["draft"] for r in rows2 if BAD not in r["source"]] == [
        r["draft"] for r in rows if BAD not in r["source"]
    ]
    third = _translate(tiny_model_dir, src, out, fail=True)  # done: nothing drafted, nothing fails
    assert third.returncode == 0 and "1 skipped" in third.stderr, third.stderr


def test_project_mode_records_the_failure_and_a_resumed_run_drafts_it(tiny_model_dir, tmp_path) -> None:
    src = tmp_path / "page.txt"
    src.write_text(TEXT, encoding="utf-8")
    project = tmp_path / "p.wbproj"
    n = len(_sources())
    first = _translate(tiny_model_dir, src, tmp_path / "out", "--project", str(project), "--no-tm", fail=True)
    assert first.returncode == EXIT_SEGMENTS_FAILED, first.stderr
    _check_summary(first.stderr, n - 1)
    with Project.open(project, readonly=True) as p:
        segs = p.segments()
        failures = p.failures()
        assert [s.source for s in segs if s.id in failures] == [next(s for s in _sources() if BAD in s)]
        assert next(iter(failures.values())).startswith("RuntimeError: injected failure")
        assert all(s.draft for s in segs if s.id not in failures)
        assert all(s.draft is None and s.status == "new" for s in segs if s.id in failures)
    status = run_workbench("status", str(project))
    assert "drafting failed: 1 " in status.stdout and "RuntimeError: injected failure" in status.stdout

    again = _translate(
        tiny_model_dir, src, tmp_path / "out", "--project", str(project), "--no-tm", fail=False
    )
    assert again.returncode == 0, again.stderr
    assert "1 drafted" in again.stdout
    with Project.open(project, readonly=True) as p:
        assert not p.failures() and all(s.draft for s in p.segments())


@pytest.mark.anyio
async def test_the_ui_drafts_the_others_marks_the_failed_row_and_retries_it(tmp_path, engine) -> None:
    from tests.tui_fixtures import make_project, wait_for
    from workbench.tui.app import create_app
    from workbench.tui.messages import DraftDone, DraftFailed
    from workbench.tui.widgets import FAILED_MARK, ParagraphTable

    proj, gloss = make_project(tmp_path)
    with Project.open(proj) as p:
        segs = p.segments()
    bad = segs[len(segs) // 2]
    messages: list = []
    hook = lambda m: messages.append(m) if isinstance(m, (DraftDone, DraftFailed)) else None  # noqa: E731
    app = create_app(proj, glossary=[gloss], engine=FailingEngine(engine, re.escape(bad.source)), beam=1)
    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await pilot.pause()
        ed = app.screen
        await pilot.press("f5")
        await wait_for(pilot, lambda: messages, timeout=300)
        assert not [m for m in messages if isinstance(m, DraftFailed)]
        done = messages[0]
        assert done.total == len(segs) and [sid for sid, _ in done.failed] == [bad.id]
        assert not ed.drafting
        # The failed segment's row shows the failure mark in the status column; the status line counts it.
        pos = ed.session.position(bad.id)[0]
        table = ed.query_one(ParagraphTable)
        assert str(table.get_row(str(pos))[1]) == FAILED_MARK
        assert f"1 {FAILED_MARK} draft failed" in str(ed.query_one("#status").render())
        with Project.open(proj, readonly=True) as p:
            assert list(p.failures()) == [bad.id]
            assert all(s.draft for s in p.segments() if s.id != bad.id)
        # Drafting again with a working engine retries it.
        app.engine = engine
        messages.clear()
        await pilot.press("f5")
        await wait_for(pilot, lambda: messages, timeout=300)
        assert not messages[0].failed
        await wait_for(pilot, lambda: str(table.get_row(str(pos))[1]) != FAILED_MARK)
        with Project.open(proj, readonly=True) as p:
            assert not p.failures() and all(s.draft for s in p.segments())
