"""``workbench glossary mine``: candidates from pairs, their checks, and the TSV loading as a glossary."""

from __future__ import annotations

import gzip
from pathlib import Path

from conftest import run_workbench as cli

from workbench.terms import load_termbase
from workbench.terms.mine import GlossaryVerdict, chinese_candidates, mine
from workbench.terms.model import Entry, TermBase

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "workbench" / "jobs" / "data" / "flores200"


def flores_pairs(n: int = 200) -> list[tuple[str, str]]:
    zh = gzip.decompress((DATA / "zho_Hans.devtest.gz").read_bytes()).decode("utf-8").splitlines()
    en = gzip.decompress((DATA / "eng_Latn.devtest.gz").read_bytes()).decode("utf-8").splitlines()
    return list(zip(zh[:n], en[:n], strict=True))


def planted() -> list[tuple[str, str]]:
    """FLORES pairs with 妇联/women's federation in 4 of them and 张伟/Zhang Wei in 3."""
    pairs = flores_pairs()
    for k in (3, 40, 90, 150):
        z, e = pairs[k]
        pairs[k] = ("妇联" + z, "The women's federation said: " + e)
    for k, (zh, en) in zip(
        (10, 60, 120),
        (
            ("张伟说，", "Zhang Wei said "),
            ("据张伟介绍，", "According to Zhang Wei, "),
            ("张伟表示，", "Zhang Wei stated that "),
        ),
        strict=True,
    ):
        z, e = pairs[k]
        pairs[k] = (zh + z, en + e)
    return pairs


def test_planted_terms_are_found_with_their_english_and_checks():
    glossary = TermBase([Entry("妇联", "Women's League")])
    cands = {c.source: c for c in mine(planted(), min_count=3, glossary=glossary)}
    fed = cands["妇联"]
    assert fed.target.lower() == "women's federation" and fed.count == 4 and fed.consistency == 1.0
    assert fed.glossary is GlossaryVerdict.DIFFERS and fed.glossary_target == "Women's League"
    assert len(fed.examples) == 2 and all("妇联" in z for z, _ in fed.examples)
    zhang = cands["张伟"]
    assert zhang.target == "Zhang Wei" and zhang.pinyin == "ok"


def test_boundaries_rule_out_fragments():
    texts = [
        "联合国大会今天开会。",
        "他说联合国大会很重要。",
        "联合国大会的决议通过了。",
        "我们支持联合国大会。",
    ]
    cands = chinese_candidates(texts, min_count=3)
    assert "联合国大会" in cands
    assert "合国大" not in cands and "联合国大" not in cands


def test_mined_tsv_loads_as_a_glossary(tmp_path):
    pairs_tsv = tmp_path / "pairs.tsv"
    pairs_tsv.write_text("source\ttarget\n" + "".join(f"{z}\t{e}\n" for z, e in planted()), encoding="utf-8")
    out = tmp_path / "candidates.tsv"
    proc = cli("glossary", "mine", str(pairs_tsv), "--out", str(out), "--top", "3")
    assert proc.returncode == 0, proc.stderr
    assert "candidates written" in proc.stdout
    tb = load_termbase(out)
    entry = tb.lookup("妇联")
    assert entry is not None and entry.target.lower() == "women's federation"
    assert "count=4" in entry.note and "consistency=1.00" in entry.note


def test_odd_documents_and_bad_tsv_are_one_line_errors(tmp_path):
    doc = tmp_path / "zh.txt"
    doc.write_text("中文。\n", encoding="utf-8")
    proc = cli("glossary", "mine", str(doc))
    assert proc.returncode == 2 and proc.stderr.startswith("workbench: error:") and "partner" in proc.stderr
    bad = tmp_path / "bad.tsv"
    bad.write_text("zh\ten\n中文\tChinese\n", encoding="utf-8")
    proc = cli("glossary", "mine", str(bad))
    assert proc.returncode == 2 and "source<TAB>target" in proc.stderr
