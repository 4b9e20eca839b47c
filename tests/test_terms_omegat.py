"""The real OmegaT reads our shipped glossary (OmegaT TSV .txt and TBX) and finds the expected hits.

Runs ``../shared/tools/omegat_glossary_check.sh`` (OmegaT 3.6's own glossary readers, headless).
Skipped only where OmegaT, Java or the shared tools are missing; ``scripts/setup.sh`` installs OmegaT.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED
from workbench.terms import Matcher, load_termbase

TOOL = SHARED / "tools" / "omegat_glossary_check.sh"
JAR = Path(os.environ.get("OMEGAT_JAR", "/usr/share/omegat/OmegaT.jar"))

pytestmark = [
    pytest.mark.omegat,
    pytest.mark.slow,
    pytest.mark.skipif(
        not (JAR.is_file() and shutil.which("java")),
        reason="OmegaT is not installed (apt-get install omegat)",
    ),
    pytest.mark.skipif(not TOOL.is_file(), reason="../shared/tools missing"),
]

ENTRY_RE = re.compile(r"^  ENTRY src=\[(.*?)\] tgt=\[(.*?)\] comment=\[(.*)\]$")


@pytest.fixture(scope="module")
def omegat_run(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> tuple[str, list[str]]:
    from workbench.text import load_document

    work = tmp_path_factory.mktemp("omegat-gloss")
    paragraphs = [p.text for p in load_document(seed_path).paragraphs]
    src = work / "seed.txt"
    # One rebuilt paragraph per OmegaT paragraph (blank-line separated), as our export does.
    src.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    files = [str(ROOT / "glossary" / "womens-news.omegat.txt"), str(ROOT / "glossary" / "womens-news.tbx")]
    proc = subprocess.run(["bash", str(TOOL), str(src), *files], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return proc.stdout, paragraphs


def _section(out: str, name: str) -> tuple[int, list[tuple[str, str, str]]]:
    lines = out.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(f"GLOSSFILE {name}:"))
    count = int(re.search(r": (\d+) entries", lines[start]).group(1))
    entries = []
    for ln in lines[start + 1 :]:
        m = ENTRY_RE.match(ln)
        if not m:
            break
        entries.append(m.groups())
    return count, entries


def test_omegat_reads_every_entry_of_our_tsv_and_tbx(omegat_run: tuple[str, list[str]]) -> None:
    out, _ = omegat_run
    tb = load_termbase([ROOT / "glossary" / "womens-news.tsv"])
    # OmegaT TSV: one row per source form, approved rendering, note in the comment; '#' lines skipped.
    count, rows = _section(out, "womens-news.omegat.txt")
    expected = [(s, e.target) for e in tb for s in e.sources]
    assert count == len(expected) == len(rows)
    assert [(s, t) for s, t, _ in rows] == expected
    assert all("evidence:" in c for _, _, c in rows)
    # TBX: OmegaT 3.6 pairs every Chinese term with every English term of an entry (it ignores
    # administrativeStatus, so deprecated renderings appear too).
    count, rows = _section(out, "womens-news.tbx")
    expected_tbx = {(s, t) for e in tb for s in e.sources for t in (*e.allowed, *e.forbidden)}
    assert count == len(rows) == len(expected_tbx)
    assert {(s, t) for s, t, _ in rows} == expected_tbx


def test_omegat_finds_the_hits_our_matcher_finds(omegat_run: tuple[str, list[str]]) -> None:
    out, paragraphs = omegat_run
    m = Matcher(load_termbase([ROOT / "glossary" / "womens-news.tsv"]))
    seg_hits: list[tuple[str, set[str]]] = []
    for ln in out.splitlines():
        if ln.startswith("SEGMENT ["):
            seg, _, hits = ln[len("SEGMENT [") :].rpartition("] -> ")
            seg_hits.append((seg, {h.split("=", 1)[0] for h in hits.split("; ") if h}))
    assert seg_hits
    omegat_sources = set().union(*(h for _, h in seg_hits))
    ours = {h.entry for p in paragraphs for h in m.find(p)}
    # OmegaT's rule is plain substring containment (it also reports parts of longer terms), so
    # every entry our longest-leftmost matcher finds (by its source or a variant) is among OmegaT's.
    missed = [e.source for e in ours if not set(e.sources) & omegat_sources]
    assert missed == []
    for seg, hits in seg_hits:
        for h in m.find(seg):
            if "\n" not in h.text:
                assert h.entry.source in hits or any(v in hits for v in h.entry.variants), (
                    seg,
                    h.entry.source,
                )
    for expected in ("美丽庭院", "巾帼力量", "娘家人", "乡村振兴巾帼行动", "三八红旗手", "中国式现代化"):
        assert expected in omegat_sources
