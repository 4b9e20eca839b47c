"""``workbench translate --project``: killed at random points, interrupted, re-run with a new glossary.

Every run here is a real ``python -m workbench translate ... --project`` process drafting with the tiny
(random but real) MarianMT model from the ``tiny_model_dir`` fixture.
"""

from __future__ import annotations

import os
import queue
import random
import re
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from workbench.store.project import Project
from workbench.store.tm import TMUnit, TranslationMemory

ROOT_DIR = Path(__file__).resolve().parent.parent
SEED_TEXT = (ROOT_DIR / "seeds" / "000_4a826f62d946bd6d.txt").read_text(encoding="utf-8")
PROGRESS = re.compile(r"drafted (\d+)/(\d+)")


def short_text(n_paras: int, seed: int) -> str:
    """Deterministic Chinese-looking text of short sentences (short drafts keep the tiny model fast)."""
    rnd = random.Random(seed)
    chars = [c for c in SEED_TEXT if "\u4e00" <= c <= "\u9fff"]
    paras = [
        "".join("".join(rnd.choice(chars) for _ in range(rnd.randint(4, 8))) + "。" for _ in range(3))
        for _ in range(n_paras)
    ]
    return "\n\n".join(paras) + "\n"


def translate_cmd(model: Path, src: Path, project: Path, *extra: str) -> list[str]:
    # The transformers engine: the kill tests are sized for its pace (with CTranslate2, the default, the
    # work runs out before 20 kills land); project mode on CTranslate2 is tested on Ray.
    return [
        sys.executable, "-m", "workbench", "translate", str(src), "--project", str(project),
        "--model", str(model), "--engine", "transformers", "--beam", "1", "--threads", "1", "--batch-size", "1",
        "--out", str(project.parent / "out"), *extra,
    ]  # fmt: skip


def run(cmd: list[str], timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT_DIR, capture_output=True, text=True, timeout=timeout)


def dump(path: Path) -> list[tuple]:
    """Everything a user would compare, segment by segment (timestamps left out)."""
    with Project.open(path, readonly=True) as p:
        docs = [(d.path, d.source_hash, d.n_segments) for d in p.documents()]
        rows = []
        for s in p.segments():
            rows.append(
                (s.doc_id, s.paragraph, s.index, s.source, s.draft, s.score, s.final, s.status, s.origin,
                 s.signature, s.hits_hash, tuple((m.score, m.source, m.target) for m in p.fuzzy_matches(s.id)))
            )  # fmt: skip
        paras = [(q.index, q.kind, q.text, q.lines) for d in p.documents() for q in p.paragraphs(d.id)]
    return [("docs", tuple(docs)), ("paras", tuple(paras)), *rows]


def draft_history_counts(path: Path) -> dict[int, int]:
    c = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return dict(
            c.execute("SELECT segment_id, COUNT(*) FROM history WHERE action = 'draft' GROUP BY segment_id")
        )
    finally:
        c.close()


def _drafts(path: Path, flags: str = "") -> dict[int, str] | None:
    """Drafted segments of a project file, read directly with SQLite; None when no project is there yet."""
    if not path.exists():
        return None
    c = sqlite3.connect(f"file:{path}?mode=ro{flags}", uri=True)
    try:
        if not c.execute("SELECT 1 FROM sqlite_master WHERE name = 'segments'").fetchone():
            return None
        return dict(c.execute("SELECT id, draft FROM segments WHERE draft IS NOT NULL"))
    finally:
        c.close()


def committed_in_file_alone(project: Path, folder: Path) -> dict[int, str] | None:
    """What a copy of the project file without its -wal/-shm files holds."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    if not project.exists():
        return None
    shutil.copyfile(project, folder / project.name)
    return _drafts(folder / project.name, "&immutable=1")


def committed_with_wal(project: Path, folder: Path) -> dict[int, str] | None:
    """Everything committed: the file with its -wal (copied, so the killed project is left as it is)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for suffix in ("", "-wal", "-shm"):
        side = Path(f"{project}{suffix}")
        if side.exists():
            shutil.copyfile(side, folder / side.name)
    return _drafts(folder / project.name)


class Watched:
    """A running CLI process whose stderr lines are collected by a thread."""

    def __init__(self, cmd: list[str]) -> None:
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.err: list[str] = []
        self._t = threading.Thread(target=self._read, daemon=True)
        self._t.start()

    def _read(self) -> None:
        for line in self.proc.stderr:  # type: ignore[union-attr]
            self.err.append(line)
            self.lines.put(line)

    def wait_progress(self, at_least: int, deadline: float) -> bool:
        """Wait until the run reports ``at_least`` drafted segments; False if it ended first."""
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.05)
            except queue.Empty:
                if self.proc.poll() is not None and self.lines.empty():
                    return False
                continue
            m = PROGRESS.search(line)
            if m and int(m.group(1)) >= at_least:
                return True
        return False

    def finish(self, timeout: float = 300) -> int:
        rc = self.proc.wait(timeout=timeout)
        self._t.join(timeout=5)
        return rc


@pytest.fixture(scope="module")
def kill_inputs(tmp_path_factory, tiny_model_dir):
    base = tmp_path_factory.mktemp("kill")
    src = base / "news.txt"
    src.write_text(short_text(24, seed=5), encoding="utf-8")
    from workbench.text import load_document

    sources = [s for p in load_document(src).paragraphs for s in p.segments]
    tm_path = base / "tm.sqlite"
    with TranslationMemory.open(tm_path) as tm:
        # Two exact matches and two near ones, so the TM steps are inside the killed window too.
        tm.add_many([TMUnit(sources[1], "From the TM one."), TMUnit(sources[7], "From the TM two.")])
        tm.add_many(
            [TMUnit(sources[3][:-2] + "们。", "Near one."), TMUnit("某" + sources[10][1:], "Near two.")]
        )
    return base, src, tm_path, tiny_model_dir, len(sources)


@pytest.mark.slow
def test_sigkill_at_random_points_then_resume_equals_uninterrupted(kill_inputs):
    base, src, tm_path, model, n_segments = kill_inputs
    reference = base / "reference" / "p.wbproj"
    reference.parent.mkdir()
    done = run(translate_cmd(model, src, reference, "--tm", str(tm_path)))
    assert done.returncode == 0, done.stderr
    expected = dump(reference)
    statuses = [row[7] for row in expected[2:]]
    assert statuses.count("tm-exact") == 2 and statuses.count("drafted") == n_segments - 2
    assert sum(1 for row in expected[2:] if row[11]) >= 2  # fuzzy matches stored

    killed = base / "killed" / "p.wbproj"
    killed.parent.mkdir()
    rnd = random.Random(20240531)
    kills = 0
    points = []
    while kills < 22:
        w = Watched(translate_cmd(model, src, killed, "--tm", str(tm_path)))
        if rnd.random() < 0.5:
            # Early: while importing the document / applying the TM / loading the model.
            delay = rnd.uniform(0.05, 1.5)
            time.sleep(delay)
            where = f"t+{delay:.2f}s"
        else:
            # While drafting: after a random number of committed batches, at a random moment in the next.
            k = rnd.randint(1, 2)
            if not w.wait_progress(k, time.monotonic() + 120):
                w.finish()
                break  # nothing left to draft: the run ended on its own
            delay = rnd.uniform(0, 0.08)
            time.sleep(delay)
            where = f"after {k} batches +{delay:.2f}s"
        if w.proc.poll() is None:
            os.kill(w.proc.pid, signal.SIGKILL)
            rc = w.finish()
            assert rc == -signal.SIGKILL
            kills += 1
            points.append(where)
            # The .wbproj alone (a backup, a mail attachment) holds every committed draft: each commit is
            # checkpointed into the file right after it. Only the one unit (one segment here) whose
            # commit the kill interrupted may still be in the -wal alone (the project itself has it).
            alone = committed_in_file_alone(killed, base / "alone") or {}
            whole = committed_with_wal(killed, base / "whole") or {}
            assert alone.items() <= whole.items(), f"kill at {where}"
            assert len(whole) - len(alone) <= 1, (
                f"kill at {where}: {len(whole) - len(alone)} drafts only in the -wal"
            )
        else:
            w.finish()
    assert kills >= 20, f"only {kills} kills landed before the work ran out: {points}"
    final = run(translate_cmd(model, src, killed, "--tm", str(tm_path)))
    assert final.returncode == 0, final.stderr
    assert dump(killed) == expected, f"kill points: {points}"
    # Nothing duplicated: each segment was drafted (committed) exactly once across all the runs.
    counts = draft_history_counts(killed)
    assert sorted(counts.values()) == [1] * (n_segments - 2)
    # And a further run has nothing to do.
    again = run(translate_cmd(model, src, killed, "--tm", str(tm_path)))
    assert again.returncode == 0 and "0 drafted" in again.stdout
    assert dump(killed) == expected


@pytest.mark.slow
def test_ctrl_c_stops_after_the_batch_and_says_how_to_resume(kill_inputs):
    base, src, _tm, model, n_segments = kill_inputs
    project = base / "ctrlc" / "p.wbproj"
    project.parent.mkdir()
    w = Watched(translate_cmd(model, src, project, "--no-tm"))
    assert w.wait_progress(3, time.monotonic() + 120)
    w.proc.send_signal(signal.SIGINT)
    rc = w.finish()
    err = "".join(w.err)
    assert rc == 130, err
    assert "Traceback" not in err
    assert "stopping after the current batch" in err
    m = re.search(r"Resume with:\n\s+(workbench translate .+)", err)
    assert m, err
    with Project.open(project, readonly=True) as p:
        drafted = p.counts()["drafted"]
    assert 3 <= drafted < n_segments
    assert f"{drafted} of {n_segments} segments are saved" in err
    # The printed command resumes the run (run here through this interpreter).
    resume = shlex.split(m.group(1))
    assert resume[:2] == ["workbench", "translate"] and "--project" in resume
    done = run([sys.executable, "-m", "workbench", *resume[1:]])
    assert done.returncode == 0, done.stderr
    assert f"{n_segments - drafted} drafted" in done.stdout
    with Project.open(project, readonly=True) as p:
        assert p.counts()["drafted"] == n_segments
    assert sorted(draft_history_counts(project).values()) == [1] * n_segments


@pytest.mark.slow
def test_changed_glossary_redrafts_only_changed_hits_and_keeps_human_work(tmp_path, tiny_model_dir):
    src = tmp_path / "doc.txt"
    src.write_text(
        "全市妇联召开会议。会议听取了报告。\n\n巾帼建功活动开展。大家一起学习。\n\n妇联干部参加培训。天气很好。\n",
        encoding="utf-8",
    )
    g1 = tmp_path / "g1.tsv"
    g1.write_text("source\ttarget\n妇联\twomen's federation\n巾帼\twomen\n", encoding="utf-8")
    project = tmp_path / "p.wbproj"
    first = run(translate_cmd(tiny_model_dir, src, project, "--no-tm", "--glossary", str(g1)))
    assert first.returncode == 0, first.stderr
    with Project.open(project) as p:
        segs = {s.source: s for s in p.segments()}
        assert len(segs) == 6
        # A translator edits one segment with a term and approves another.
        p.set_final(segs["全市妇联召开会议。"].id, "The city's women's federations met.")
        p.approve(segs["会议听取了报告。"].id)
        before = {s.source: s for s in p.segments()}

    # New glossary: 妇联 gets a different rendering, 巾帼 is unchanged, 会议 is new.
    g2 = tmp_path / "g2.tsv"
    g2.write_text("source\ttarget\n妇联\tWomen's Federation\n巾帼\twomen\n会议\tmeeting\n", encoding="utf-8")
    second = run(translate_cmd(tiny_model_dir, src, project, "--no-tm", "--glossary", str(g2)))
    assert second.returncode == 0, second.stderr
    assert "re-drafting 1 segment(s)" in second.stderr  # only 妇联干部参加培训。 (the others are human)
    with Project.open(project) as p:
        after = {s.source: s for s in p.segments()}
        hist = draft_history_counts(project)
        assert after["全市妇联召开会议。"].final == "The city's women's federations met."
        assert after["全市妇联召开会议。"].status == "edited"
        assert after["会议听取了报告。"].status == "approved"
        assert after["会议听取了报告。"].final == before["会议听取了报告。"].final
        assert hist[after["妇联干部参加培训。"].id] == 2  # its term's rendering changed
        for unchanged in ("巾帼建功活动开展。", "大家一起学习。", "天气很好。"):
            assert hist[after[unchanged].id] == 1, unchanged
            assert after[unchanged].hits_hash == before[unchanged].hits_hash
        assert after["妇联干部参加培训。"].hits_hash != before["妇联干部参加培训。"].hits_hash
        assert "glossary=" in after["妇联干部参加培训。"].signature
        assert [Path(x).name for x, _ in p.glossary_files()] == ["g2.tsv"]

    # status checks the targets against the recorded glossary.
    status = run([sys.executable, "-m", "workbench", "status", str(project), "--check"])
    assert status.returncode == 1
    assert "glossary violations:" in status.stdout
    assert "remaining: 0 to draft, 5 to approve" in status.stdout


@pytest.mark.slow
def test_ui_edits_while_a_batch_run_drafts(kill_inputs):
    """A translator edits segments (and reads the document) while the batch run drafts the same project."""
    base, src, _tm, model, n_segments = kill_inputs
    project = base / "shared" / "p.wbproj"
    project.parent.mkdir()
    w = Watched(translate_cmd(model, src, project, "--no-tm"))
    assert w.wait_progress(1, time.monotonic() + 120)
    edited: dict[int, str] = {}
    reads = 0
    rnd = random.Random(11)
    with Project.open(project) as ui:
        while w.proc.poll() is None:
            segs = ui.segments()
            assert len(segs) == n_segments
            seg = rnd.choice(segs)
            text = f"Human {seg.id} v{reads}"
            ui.set_final(seg.id, text)  # drafted or not yet drafted: both must keep the edit
            edited[seg.id] = text
            rec = ui.document_record(segs[0].doc_id)
            assert len(rec.segments()) == n_segments
            reads += 1
            time.sleep(0.02)
    assert w.finish() == 0, "".join(w.err)
    assert reads >= 5 and edited
    with Project.open(project, readonly=True) as p:
        for s in p.segments():
            if s.id in edited:
                assert (s.status, s.final, s.origin) == ("edited", edited[s.id], "human")
            else:
                assert s.status == "drafted" and s.draft
        assert sum(1 for s in p.segments() if s.draft) == n_segments  # human-edited ones got their draft too


@pytest.mark.slow
def test_concurrent_runs_share_the_work(kill_inputs):
    """Several ``translate --project`` runs on one project at once draft each segment once between them,
    and the project ends as one uninterrupted run leaves it."""
    base, src, _tm_path, model, n_segments = kill_inputs
    reference = base / "concurrent-reference" / "p.wbproj"
    reference.parent.mkdir()
    assert run(translate_cmd(model, src, reference, "--no-tm")).returncode == 0
    shared = base / "concurrent" / "p.wbproj"
    shared.parent.mkdir()
    runs = [Watched(translate_cmd(model, src, shared, "--no-tm")) for _ in range(4)]
    codes = [w.finish() for w in runs]
    assert codes == [0] * 4, "".join(e for w in runs for e in w.err)
    drafted = [int(re.search(r"(\d+) drafted", w.proc.stdout.read()).group(1)) for w in runs]  # type: ignore[union-attr]
    assert sum(drafted) == n_segments and sum(1 for d in drafted if d) >= 2, drafted  # the runs did overlap
    assert sorted(draft_history_counts(shared).values()) == [1] * n_segments
    assert dump(shared)[2:] == dump(reference)[2:]
    with sqlite3.connect(shared) as c:
        assert c.execute("SELECT COUNT(*) FROM claims").fetchone()[0] == 0  # every claim released
