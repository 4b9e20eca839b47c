"""``translate --names`` with the tiny model: every accepted name is placed in the drafts, plain and project mode."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SEED
from workbench.cli import main
from workbench.terms import Matcher, load_termbase
from workbench.terms.names import propose_names, with_names
from workbench.text import load_document

pytestmark = pytest.mark.slow


def _name_notes(rows: list[dict], names: set[str]) -> list[dict]:
    return [t for r in rows for t in r.get("terms", []) if t["source"] in names]


def test_translate_names_places_every_accepted_name(tmp_path, tiny_model_dir, capsys):
    out = tmp_path / "out"
    code = main(
        [
            "translate",
            str(SEED),
            "--model",
            str(tiny_model_dir),
            "--out",
            str(out),
            "--beam",
            "2",
            "--threads",
            "1",
            "--names",
        ]
    )
    assert code == 0
    assert "names: " in capsys.readouterr().err
    document = load_document(SEED)
    accepted = with_names(None, propose_names(document)).added
    assert len(accepted) >= 40
    termbase = with_names(None, propose_names(document)).termbase
    by_source = {p.source: p for p in accepted}
    rows = [
        json.loads(line) for line in (out / f"{SEED.stem}.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    notes = _name_notes(rows, set(by_source))
    placed_sources = {n["source"] for n in notes}
    # Every accepted name that the matcher finds in a segment is checked there ...
    expected = {h.entry.source for r in rows for h in Matcher(termbase).find(r["source"])}
    assert placed_sources == expected and len(expected) >= 40
    # ... and every one of those hits is satisfied: 100 %.
    assert notes and all(n["ok"] for n in notes), [n for n in notes if not n["ok"]][:5]
    for r in rows:
        for n in r.get("terms", []):
            if n["source"] in by_source:
                allowed = (by_source[n["source"]].target, *by_source[n["source"]].rendering.alternatives)
                assert any(a.lower() in r["draft"].lower() for a in allowed), (n, r["draft"])
    assert "glossary=" in rows[0]["signature"]


def test_translate_names_never_overrides_the_glossary(tmp_path, tiny_model_dir):
    src = tmp_path / "short.txt"
    src.write_text("沭阳县妇联主席单迎庆说，要做好妇联工作。\n", encoding="utf-8")
    g = tmp_path / "g.tsv"
    g.write_text("source\ttarget\n妇联\twomen's federation\n单迎庆\tMs Shan Yingqing\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(
        [
            "translate",
            str(src),
            "--model",
            str(tiny_model_dir),
            "--out",
            str(out),
            "--beam",
            "2",
            "--threads",
            "1",
            "--quiet",
            "--names",
            "--glossary",
            str(g),
        ]
    )
    assert code == 0
    row = json.loads((out / "short.jsonl").read_text(encoding="utf-8").splitlines()[0])
    targets = {t["source"]: (t["target"], t["ok"]) for t in row["terms"]}
    assert targets == {
        "沭阳县": ("Shuyang County", True),
        "妇联": ("women's federation", True),
        "单迎庆": ("Ms Shan Yingqing", True),
    }
    assert "Ms Shan Yingqing" in row["draft"] and "Shuyang County" in row["draft"]


def test_translate_project_names_are_kept_and_checked(tmp_path, tiny_model_dir, capsys):
    src = tmp_path / "short.txt"
    src.write_text("□ 司小艺\n\n江苏省宿迁市沭阳县妇联主席单迎庆说，要做好工作。\n", encoding="utf-8")
    project = tmp_path / "p.wbproj"
    code = main(
        [
            "translate",
            str(src),
            "--model",
            str(tiny_model_dir),
            "--project",
            str(project),
            "--no-tm",
            "--beam",
            "2",
            "--threads",
            "1",
            "--names",
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 0
    names_file = tmp_path / "p.names.tsv"
    tb = load_termbase([names_file])
    assert tb.lookup("单迎庆").target == "Shan Yingqing" and tb.lookup("沭阳县").target == "Shuyang County"
    from workbench.store.project import Project

    with Project.open(project) as p:
        assert [path for path, _ in p.glossary_files()][-1] == str(names_file.resolve())
        record = p.document_record(p.documents()[0].id)
    notes = [t for s in record.segments() for t in s.terms]
    assert {"司小艺", "江苏省", "宿迁市", "沭阳县妇联", "单迎庆"} <= {n.source for n in notes}
    assert all(n.ok for n in notes), [n for n in notes if not n.ok]
    capsys.readouterr()


def test_a_name_rejected_in_the_project_is_not_enforced_again(tmp_path, tiny_model_dir, capsys):
    src = tmp_path / "short.txt"
    src.write_text("江苏省宿迁市沭阳县妇联主席单迎庆说，要做好工作。\n", encoding="utf-8")
    project = tmp_path / "p.wbproj"
    args = ["translate", str(src), "--model", str(tiny_model_dir), "--project", str(project), "--no-tm",
            "--beam", "1", "--threads", "1", "--names", "--out", str(tmp_path / "out")]  # fmt: skip
    assert main(args) == 0
    names_file = tmp_path / "p.names.tsv"
    assert load_termbase([names_file]).lookup("单迎庆") is not None
    from workbench.store.project import Project

    with Project.open(project) as p:
        p.reject_name("单迎庆")  # as the UI's "reject" does
    assert main(args) == 0
    tb = load_termbase([names_file])
    assert tb.lookup("单迎庆") is None and tb.lookup("沭阳县") is not None
    capsys.readouterr()
