"""Concordance over a real TM (a 10,000-unit TMX imported), a project and the shipped glossary."""

from __future__ import annotations

import json
import random
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from conftest import run_workbench as cli

from workbench.jobs.concordance import HitKind, concordance
from workbench.store.concordance import Side
from workbench.store.project import Project
from workbench.store.tm import TranslationMemory
from workbench.terms.context import GlossaryContext
from workbench.text import document_from_text
from workbench.text.search import fold_for_search

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "glossary" / "womens-news.tsv"
FILLER = "会议强调要深入学习贯彻全市各级组织工作部署推进发展建设服务群众基层"
N_UNITS = 10_000


def _tmx(pairs: list[tuple[str, str]]) -> str:
    body = "".join(
        f'<tu><tuv xml:lang="zh-CN"><seg>{escape(s)}</seg></tuv><tuv xml:lang="en-US"><seg>{escape(t)}</seg></tuv></tu>'
        for s, t in pairs
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="zh-CN" segtype="sentence" '
        'datatype="plaintext" adminlang="en-US" creationtool="test" creationtoolversion="1" o-tmf="test"/>'
        f"<body>{body}</body></tmx>"
    )


@pytest.fixture(scope="module")
def big_tm(tmp_path_factory) -> Path:
    """A TM made by `workbench tm import` of a 10,000-unit TMX; five units hold 巾帼 (one traditional,
    one in full-width context), the last one added is unit 9,990."""
    rnd = random.Random(7)
    pairs = [
        (
            "".join(rnd.choice(FILLER) for _ in range(rnd.randint(8, 30))) + f"第{i}条。",
            f"Filler sentence {i}.",
        )
        for i in range(N_UNITS)
    ]
    planted = {
        100: ("巾帼志愿者走进社区。", "Women volunteers went into the community."),
        2000: ("发挥巾帼力量。", "Bring women's strength into play."),
        5000: ("巾幗建功活動啟動。", "The Women Making Achievements campaign started."),  # traditional
        7000: ("ＡＣＷＦ号召巾帼建功。", "The ACWF called for achievements."),
        9990: ("巾帼不让须眉。", "Women are a match for men."),
    }
    for i, pair in planted.items():
        pairs[i] = pair
    folder = tmp_path_factory.mktemp("tm")
    tmx = folder / "memory.tmx"
    tmx.write_text(_tmx(pairs), encoding="utf-8")
    tm_path = folder / "tm.sqlite"
    r = cli("tm", "import", str(tmx), "--tm", str(tm_path), timeout=300)
    assert r.returncode == 0, r.stderr
    assert f"{N_UNITS} units added" in r.stdout
    return tm_path


@pytest.fixture
def project(tmp_path) -> Path:
    path = tmp_path / "p.wbproj"
    src = tmp_path / "news.txt"
    src.write_text("妇联组织巾帼志愿服务。\n\n会议召开。\n", encoding="utf-8")
    with Project.open(path, create=True) as p:
        doc_id = p.add_document(document_from_text(src.read_text(encoding="utf-8"), str(src)))
        first = p.segments(doc_id)[0]
        p.set_final(first.id, "The women's federation organised women's volunteer services.")
        p.set_glossary([GLOSSARY])
    return path


def test_fold_keeps_length_and_folds_script_width_and_case():
    text = "巾幗ＡＢＣ　Women"
    folded = fold_for_search(text)
    assert folded == "巾帼abc women"
    assert len(folded) == len(text)


def test_tm_concordance_finds_every_planted_unit_newest_first(big_tm):
    with TranslationMemory.open(big_tm, create=False, readonly=True) as tm:
        hits = tm.concordance("巾帼")
        assert [h.id for h in hits] == [9991, 7001, 5001, 2001, 101]  # rowids are 1-based, newest first
        trad = next(h for h in hits if h.source.startswith("巾幗"))
        assert [trad.source[a:b] for a, b in trad.source_spans] == ["巾幗"]
        # Traditional query, full-width query, English side.
        assert len(tm.concordance("巾幗")) == 5
        assert [h.source for h in tm.concordance("acwf")] == ["ＡＣＷＦ号召巾帼建功。"]
        en = tm.concordance("WOMEN", side=Side.TARGET)
        assert {h.target for h in en} == {
            "Women volunteers went into the community.",
            "The Women Making Achievements campaign started.",
            "Women are a match for men.",
            "Bring women's strength into play.",
        }
        assert tm.concordance("巾帼", limit=2)[-1].id == 7001
        assert tm.concordance("鳄鱼") == []


def test_concordance_merges_tm_project_and_glossary(big_tm, project):
    with (
        TranslationMemory.open(big_tm, create=False, readonly=True) as tm,
        Project.open(project, readonly=True) as p,
    ):
        hits = concordance("巾帼", tms=[tm], project=p, glossary=GlossaryContext.load([GLOSSARY]))
    kinds = [h.kind for h in hits]
    assert kinds[0] is HitKind.PROJECT  # edited just now: the newest
    assert kinds.count(HitKind.TM) == 5
    assert kinds[-1] is HitKind.GLOSSARY and kinds.count(HitKind.GLOSSARY) >= 5
    assert kinds.index(HitKind.GLOSSARY) > max(i for i, k in enumerate(kinds) if k is not HitKind.GLOSSARY)
    proj = hits[0]
    assert proj.origin == "news.txt" and proj.target.startswith("The women's federation")
    # The target side marks the glossary's renderings of 巾帼 (women's, women), whole words.
    volunteers = next(h for h in hits if h.source == "巾帼志愿者走进社区。")
    assert [volunteers.target[a:b] for a, b in volunteers.target_spans] == ["Women"]
    assert [proj.target[a:b] for a, b in proj.target_spans] == ["women's", "women's"]
    gl = [h for h in hits if h.kind is HitKind.GLOSSARY]
    assert ("巾帼", "women's") in {(h.source, h.target) for h in gl}
    assert all(h.origin == "womens-news.tsv" for h in gl)


def test_cli_concordance_jsonl_and_text(big_tm, project):
    r = cli("tm", "concordance", "巾帼", "--tm", str(big_tm), "--project", str(project), "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert {"source", "target", "origin"} <= set(rows[0])
    assert sum(1 for x in rows if x["origin"] == "tm.sqlite: memory.tmx") == 5
    assert any(x["origin"] == "news.txt" for x in rows)
    assert any(x["kind"] == "glossary" for x in rows)  # the project's own glossary
    r = cli("tm", "concordance", "women", "--tm", str(big_tm), "--glossary", str(GLOSSARY), "--limit", "3")
    assert r.returncode == 0, r.stderr
    assert "«Women» are a match for men." in r.stdout
    assert r.stdout.count("\n[") + r.stdout.startswith("[") == 3
    r = cli("tm", "concordance", "鳄鱼", "--tm", str(big_tm))
    assert r.returncode == 1 and r.stdout == ""
    r = cli("tm", "concordance", "。，", "--tm", str(big_tm))
    assert r.returncode == 2 and r.stderr.startswith("workbench: error:") and len(r.stderr.splitlines()) == 1


def test_a_schema_1_tm_is_indexed_when_first_opened_for_writing(tmp_path):
    from workbench.store import schema
    from workbench.store.db import FileKind, open_database

    path = tmp_path / "old.sqlite"
    v1 = FileKind("translation memory", schema.TM_APP_ID, 1, {1: schema.TM.migrations[1]})
    conn = open_database(path, v1, create=True)
    conn.executemany(
        "INSERT INTO units (src_lang, tgt_lang, source, target, key, length, created) VALUES ('zh-cn', 'en-us', ?, ?, ?, ?, 't')",
        [(s, t, s, len(s)) for s, t in (("巾幗英雄。", "Heroines."), ("会议召开。", "The meeting opened."))],
    )
    conn.close()
    before = path.read_bytes()
    # Read-only: an upgraded copy in memory, not indexed: found by reading every unit; the file untouched.
    with TranslationMemory.open(path, create=False, readonly=True) as tm:
        assert [h.source for h in tm.concordance("巾帼")] == ["巾幗英雄。"]
    assert path.read_bytes() == before
    # Opened for writing: upgraded and indexed once.
    with TranslationMemory.open(path) as tm:
        tm.add("巾帼志愿者。", "Women volunteers.")
        with tm._db.read() as c:
            assert c.execute("SELECT COUNT(*) FROM meta WHERE key = 'concordance_pending'").fetchone()[0] == 0
            assert (
                c.execute(
                    "SELECT COUNT(*) FROM unit_concordance WHERE unit_concordance MATCH '巾帼'"
                ).fetchone()[0]
                == 2
            )
        assert [h.source for h in tm.concordance("巾帼")] == ["巾帼志愿者。", "巾幗英雄。"]
