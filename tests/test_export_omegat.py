"""The real OmegaT (Debian package ``omegat``) fills every segment from our exports.

Skipped only where OmegaT (or Java) is not installed; ``scripts/setup.sh`` installs it.
"""

from __future__ import annotations

import re
import subprocess

import pytest
from export_fixtures import (
    OMEGAT_JAR,
    ROOT,
    SHARED,
    make_record,
    omegat_available,
    record_from_document,
    run_omegat_check,
)

from workbench.atomic import write_text_atomic
from workbench.formats.omegat import export_omegat_project, render_source_text
from workbench.formats.tmx import write_tmx

pytestmark = [
    pytest.mark.omegat,
    pytest.mark.slow,
    pytest.mark.skipif(not omegat_available(), reason="OmegaT is not installed (apt-get install omegat)"),
    pytest.mark.skipif(
        not (SHARED / "tools" / "omegat_check.sh").is_file(), reason="../shared/tools missing"
    ),
]


@pytest.fixture(scope="module")
def seed_record(seed_path):
    """The seed page with a stand-in translation of every segment, and the QA notes the exports carry
    (``EN: 原文`` leaves Chinese in every target: every unit gets a ``<note>``)."""
    from workbench.terms.checks import attach_qa
    from workbench.text import load_document

    return attach_qa(record_from_document(load_document(seed_path)))


def test_seed_tmx_fills_every_omegat_segment(tmp_path, seed_record):
    source = write_text_atomic(tmp_path / "seed.txt", render_source_text(seed_record), bom=True)
    tmx = tmp_path / "seed.tmx"
    report = write_tmx(seed_record, tmx)
    units = re.findall(r"<tu\b.*?</tu>", tmx.read_text(encoding="utf-8"), flags=re.S)
    assert len(units) == report.units and all("<note>qa cjk-in-target: " in u for u in units)
    rc, out, result = run_omegat_check(source, tmx)
    assert rc == 0, out[-3000:]
    assert result["log_problems"] == 0, out[-3000:]
    assert result["total"] > 50  # the seed page has well over a hundred sentences
    assert result["filled"] == result["total"], out[-6000:]
    assert result["tmx_units_unused"] == 0, out[-6000:]
    assert result["tmx_units"] == report.units


def test_wrong_language_label_fills_nothing(tmp_path, seed_record):
    """Control for the test above: the same memory labelled with another source language fills nothing."""
    source = write_text_atomic(tmp_path / "seed.txt", render_source_text(seed_record), bom=True)
    tmx = tmp_path / "seed.tmx"
    write_tmx(seed_record, tmx, src_lang="ja-JP")
    _rc, out, result = run_omegat_check(source, tmx)
    assert result and result["filled"] == 0, out[-2000:]


def _run_omegat(project_dir, log):
    return subprocess.run(
        [
            "java",
            "-Djava.awt.headless=true",
            "-jar",
            str(OMEGAT_JAR),
            str(project_dir),
            f"--config-dir={log.parent / 'omegat-config'}",
            "--disable-project-locking",
            "--no-team",
            "--mode=console-translate",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_exported_project_opens_with_every_segment_filled(tmp_path, seed_record):
    from workbench.terms import load_termbase, save_termbase

    tb = load_termbase([ROOT / "glossary" / "womens-news.tsv"])
    project = tmp_path / "omegat-project"
    result = export_omegat_project(
        seed_record, project, write_glossary=lambda p: save_termbase(tb, p, "omegat")
    )
    src = project / "source" / "000_4a826f62d946bd6d.txt"
    assert result.sources == [src]
    assert src.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    lines = src.read_text(encoding="utf-8-sig").split("\n")
    assert lines[1] == ""  # one paragraph per line, empty line between paragraphs
    assert (project / "tm" / "auto" / "000_4a826f62d946bd6d.tmx").is_file()
    assert (project / "glossary" / "glossary.txt").is_file()

    proc = _run_omegat(project, tmp_path / "log")
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    problems = [line for line in log.splitlines() if re.search(r"Error|Exception|TMXR_(ERROR|WARNING)", line)]
    assert problems == []
    stats = (project / "omegat" / "project_stats.txt").read_text(encoding="utf-8")
    total = int(re.search(r"^Total:\s+(\d+)", stats, re.M).group(1))
    remaining = int(re.search(r"^Remaining:\s+(\d+)", stats, re.M).group(1))
    assert total > 50 and remaining == 0, stats[:600]
    target = (project / "target" / src.name).read_text(encoding="utf-8-sig")
    assert target.count("EN: ") >= total - 5  # every segment replaced by our translation
    assert "妇联" in target  # sources are quoted inside our synthetic translations


def test_small_document_with_cjk_punctuation(tmp_path):
    doc = make_record(
        [
            (
                "heading",
                [("重庆开州区妇联全力抓好在外流动妇联组织建设", "Kaizhou builds women's federations")],
            ),
            (
                "body",
                [
                    ("第一句。", "One."),
                    ("第二句话很长，对吧？", "Long, right?"),
                    ("“引号里的话。”他说。", "Quoted."),
                ],
            ),
            ("body", [("第一句。", "One."), ("另一个段落。", "Another paragraph.")]),
        ],
        name="demo.txt",
    )
    source = write_text_atomic(tmp_path / "demo.txt", render_source_text(doc), bom=True)
    tmx = tmp_path / "demo.tmx"
    write_tmx(doc, tmx)
    rc, out, result = run_omegat_check(source, tmx)
    assert rc == 0 and result["log_problems"] == 0, out[-2000:]
    assert result["total"] == 6 and result["filled"] == 6, out[-3000:]
