"""The term ledger in the project: ``translate --project`` stores it, project exports, ``qa`` and ``status``
carry it exactly as a plain-file run's outputs do, a translator's edit is not described by it, and a
schema-5 project migrates."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_workbench
from workbench.records import Draft, Status, TermHow, TermLedger
from workbench.store.project import Project

pytestmark = pytest.mark.slow

TEXT = "重庆开州区妇联全力抓好在外流动妇联组织建设\n\n各级妇联要深入学习贯彻大会精神。巾帼志愿者积极参与乡村振兴。\n"
#: Renderings no random model writes on its own: the engines must force them in.
GLOSSARY = "source\ttarget\n妇联\tzebra quantum\n巾帼志愿者\twomen volunteers\n"
ENGINES = ("ctranslate2", "transformers")
#: How each engine forces a term in (the CTranslate2 fast path edits, transformers searches).
FORCED = {"ctranslate2": TermHow.PLACED, "transformers": TermHow.SEARCHED}
ZERO = {"WORKBENCH_FORCED_COST": "0"}  # every forced term is flagged


def _translate(tiny_model_dir: Path, folder: Path, engine: str, *extra: str) -> None:
    r = run_workbench(
        "translate", str(folder / "news.txt"), "--glossary", str(folder / "g.tsv"), "--model", str(tiny_model_dir),
        "--engine", engine, "--threads", "1", "--out", str(folder / "out"), "--quiet", *extra, env=ZERO, timeout=300,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr


@pytest.fixture(scope="module")
def runs(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Per engine a folder with a plain-file run (``plain/out``) and a project run (``project/p.wbproj``)."""
    out = {}
    for engine in ENGINES:
        base = tmp_path_factory.mktemp(engine)
        for mode in ("plain", "project"):
            folder = base / mode
            folder.mkdir()
            (folder / "news.txt").write_text(TEXT, encoding="utf-8")
            (folder / "g.tsv").write_text(GLOSSARY, encoding="utf-8")
        _translate(tiny_model_dir, base / "plain", engine)
        _translate(
            tiny_model_dir,
            base / "project",
            engine,
            "--project",
            str(base / "project" / "p.wbproj"),
            "--no-tm",
        )
        out[engine] = base
    return out


def _project_copy(runs: dict[str, Path], engine: str, tmp_path: Path) -> Path:
    path = tmp_path / "p.wbproj"
    shutil.copyfile(runs[engine] / "project" / "p.wbproj", path)
    return path


def _term_notes(text: str) -> list[str]:
    """The glossary notes of a TMX or XLIFF export, in order."""
    return re.findall(r"term: [^<]*", text)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_project_run_stores_the_ledger_the_plain_run_writes(runs, engine):
    rows = [
        json.loads(x) for x in (runs[engine] / "plain" / "out" / "news.jsonl").read_text("utf-8").splitlines()
    ]
    with Project.open(runs[engine] / "project" / "p.wbproj", readonly=True) as p:
        segs = p.segments()
        (doc,) = p.documents()
        record = p.document_record(doc.id)
    assert [s.draft for s in segs] == [r["draft"] for r in rows]  # the same drafts ...
    stored = [{line.source: line.how for line in s.ledger} for s in segs]
    assert stored == [
        {t["source"]: TermHow(t["how"].split(":")[0]) for t in r.get("terms", [])} for r in rows
    ]
    assert [s.cost for s in segs] == [r["terms"][0]["cost"] if r.get("terms") else None for r in rows]
    # ... and the record the exports read has each hit's how and cost exactly as the JSONL has them
    for seg, row in zip(record.segments(), rows, strict=True):
        assert [(n.source, n.target, n.how, n.cost) for n in seg.terms] == [
            (t["source"], t["target"], t["how"], t["cost"]) for t in row.get("terms", [])
        ]
    assert FORCED[engine] in {line.how for s in segs for line in s.ledger}


@pytest.mark.parametrize("engine", ENGINES)
def test_project_exports_carry_the_ledger_like_the_plain_run(runs, engine, tmp_path):
    project = runs[engine] / "project" / "p.wbproj"
    plain = runs[engine] / "plain" / "out"
    for fmt, suffix in (("tmx", ".tmx"), ("xliff", ".xlf"), ("md", ".md")):
        r = run_workbench(
            "export", str(project), "--format", fmt, "--out", str(tmp_path / f"e{suffix}"), env=ZERO
        )
        assert r.returncode == 0, r.stderr
    tmx = (tmp_path / "e.tmx").read_text("utf-8")
    xliff = (tmp_path / "e.xlf").read_text("utf-8")
    md = (tmp_path / "e.md").read_text("utf-8")
    assert _term_notes(tmx) == _term_notes((plain / "news.tmx").read_text("utf-8"))
    assert f"({FORCED[engine].value}, cost " in tmx
    assert _term_notes(xliff) == _term_notes(tmx)  # one note per hit in both formats
    plain_md = (plain / "news.md").read_text("utf-8")
    ledger_line = next(line for line in plain_md.splitlines() if "(term ledger)" in line)
    assert ledger_line in md
    forced = [line for line in plain_md.splitlines() if "forced-term" in line]
    assert forced and forced == [line for line in md.splitlines() if "forced-term" in line]
    assert "forced-term" in tmx and "forced-term" in xliff
    # What translate --project wrote beside the project carries it too.
    assert _term_notes((runs[engine] / "project" / "out" / "news.tmx").read_text("utf-8")) == _term_notes(tmx)


def test_qa_and_status_on_a_project_show_forced_terms(runs, tmp_path):
    project = _project_copy(runs, "ctranslate2", tmp_path)
    r = run_workbench("qa", str(project), "--checks", "forced-term", "--format", "jsonl", env=ZERO)
    assert r.returncode == 1, r.stderr
    found = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    assert found and all(f["check"] == "forced-term" for f in found)
    assert any("zebra quantum was placed at a cost of" in f["message"] for f in found)
    r = run_workbench("qa", str(project), "--checks", "forced-term", env={"WORKBENCH_FORCED_COST": "1000"})
    assert r.returncode == 0 and "forced-term" not in r.stdout  # above every cost: nothing to read first
    r = run_workbench("status", str(project), env=ZERO)
    assert r.returncode == 0, r.stderr
    assert f"forced-term {len(found)}" in r.stdout


def test_a_translators_final_is_not_described_by_the_machine_ledger(runs, tmp_path):
    project = _project_copy(runs, "ctranslate2", tmp_path)
    with Project.open(project) as p:
        first, second, third = p.segments()
        assert first.ledger and second.ledger and third.ledger
        p.set_final(first.id, "The women's federation of Kaizhou builds its organisations.")
        p.approve(second.id)  # the machine draft approved as it is: still the draft the ledger describes
        assert p.segment(first.id).ledger == first.ledger  # kept with the draft it describes
        (doc,) = p.documents()
        segs = p.document_record(doc.id).segments()
    assert [n.how for n in segs[0].terms] == ["", ""]  # the terms of the final are the translator's
    assert {n.how for n in segs[1].terms} == {"placed"} and segs[1].status is Status.APPROVED
    r = run_workbench("export", str(project), "--format", "xliff", "--out", str(tmp_path / "e.xlf"), env=ZERO)
    assert r.returncode == 0, r.stderr
    units = re.findall(r"<trans-unit.*?</trans-unit>", (tmp_path / "e.xlf").read_text("utf-8"), re.S)
    assert "cost" not in units[0] and "forced-term" not in units[0]
    assert "(placed, cost" in units[1] and "forced-term" in units[1]
    with Project.open(project) as p:
        p.undo_last(first.id)  # the translator's text undone: the draft and its ledger count again
        (doc,) = p.documents()
        assert {n.how for n in p.document_record(doc.id).segments()[0].terms} == {"placed"}


def _v5_project(path: Path) -> None:
    """A project as schema 5 wrote it (the current code's migrations 1-5), with a draft and its history."""
    from workbench.store import schema
    from workbench.store.db import FileKind, open_database

    v5 = FileKind("project", schema.PROJECT_APP_ID, 5, {n: schema.PROJECT.migrations[n] for n in range(1, 6)})
    conn = open_database(path, v5, create=True)
    conn.execute("INSERT INTO documents (id, path, name, encoding, script, source_hash, added) "
                 "VALUES (1, '/x/a.txt', 'a.txt', 'utf-8', 'simplified', 'h', 't')")  # fmt: skip
    conn.execute("INSERT INTO paragraphs VALUES (1, 1, 0, 'body', '妇联召开会议。', 1, 1)")
    conn.execute(
        "INSERT INTO segments (id, paragraph_id, position, source, draft, status, origin, updated, comment) "
        "VALUES (1, 1, 0, '妇联召开会议。', 'The federation met.', 'drafted', 'mt', 't', 'old note')"
    )
    before = '{"draft": null, "final": null, "status": "new", "origin": null, "comment": null}'
    after = '{"draft": "The federation met.", "final": null, "status": "drafted", "origin": "mt", "comment": null}'
    conn.execute("INSERT INTO history (segment_id, at, action, before, after) VALUES (1, 't', 'draft', ?, ?)",
                 (before, after))  # fmt: skip
    conn.execute("PRAGMA user_version")
    conn.close()


def test_a_schema_5_project_migrates_and_keeps_ledgers_from_then_on(tmp_path):
    from workbench.store import schema

    path = tmp_path / "old.wbproj"
    _v5_project(path)
    (tmp_path / "g.tsv").write_text("source\ttarget\n妇联\twomen's federation\n", encoding="utf-8")
    # Read-only commands read an upgraded copy and leave the file as it is.
    r = run_workbench("export", str(path), "--format", "xliff", "--out", str(tmp_path / "old.xlf"))
    assert r.returncode == 0, r.stderr
    assert "The federation met." in (tmp_path / "old.xlf").read_text("utf-8")
    with Project.open(path) as p:
        assert p._db.conn.execute("PRAGMA user_version").fetchone()[0] == schema.PROJECT.version
        old = p.segment(1)
        assert (old.draft, old.ledger, old.cost, old.comment) == ("The federation met.", (), None, "old note")
        p.set_glossary([tmp_path / "g.tsv"])
        (doc,) = p.documents()
        assert [n.how for n in p.document_record(doc.id).segments()[0].terms] == [""]  # nothing guessed
        ledger = [TermLedger("妇联", TermHow.PLACED)]
        p.set_draft(1, Draft("The women's federation met.", -1.2, 5, ledger=ledger, cost=0.75), hits_hash="h")
        new = p.segment(1)
        assert (new.ledger, new.cost, new.doubt) == (tuple(ledger), 0.75, 0.45)  # the model's best: -0.45
        terms = p.document_record(doc.id).segments()[0].terms
        assert [(n.how, n.cost, n.doubt) for n in terms] == [("placed", 0.75, 0.45)]
        back = p.undo_last(1)  # the new draft undone: the old draft comes back without a ledger
        assert (back.draft, back.ledger, back.cost) == ("The federation met.", (), None)
        assert p.undo_last(1).draft is None  # the entry schema 5 wrote still undoes
