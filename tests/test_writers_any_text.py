"""Every writer takes any draft text: a model that emits control characters still gets every output written
and valid (Word, TMX, XLIFF, Markdown, JSONL, TBX), the characters replaced the same way everywhere."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.conftest import run_workbench
from tests.export_fixtures import dtd_errors, xliff_schema
from tests.source_fixtures import make_docx
from workbench.safexml import xml_clean

#: Target pieces (sentencepiece byte fallback) the stand-in is biased towards: NUL and other C0 controls.
CONTROL_PIECES = ("<0x00>", "<0x01>", "<0x0B>", "<0x1F>")
#: The bias at which the seed-0 tiny stand-in mixes them into ordinary drafts (much lower: never; higher:
#: nothing else).
CONTROL_BIAS = 18.0
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


@pytest.fixture(scope="module")
def control_model(tmp_path_factory) -> Path:
    """The tiny stand-in (``bench/proxy_model.py``) with its output biased towards control characters."""
    import json as _json

    from transformers import MarianMTModel

    from tests.model_fixtures import build_model

    out = build_model("tiny", tmp_path_factory.mktemp("control-model") / "model")
    vocab = _json.loads((out / "vocab.json").read_text(encoding="utf-8"))
    model = MarianMTModel.from_pretrained(out)
    model.final_logits_bias[0, [vocab[p] for p in CONTROL_PIECES]] = CONTROL_BIAS
    model.save_pretrained(out)
    return out


def _source(tmp_path: Path) -> Path:
    return make_docx(tmp_path / "report.docx")


def _xml_members(path: Path) -> None:
    """Every XML part of a Word package parses."""
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                etree.fromstring(z.read(name))
    import docx

    docx.Document(str(path))


def _glossary(tmp_path: Path) -> Path:
    g = tmp_path / "g.tsv"
    g.write_text("妇联\twomen's\x01federation\tnote\x1f\n巾帼\twomen\n", encoding="utf-8")
    return g


def test_the_stand_in_really_emits_control_characters(control_model, tmp_path) -> None:
    from workbench.formats.sources import load_source
    from workbench.mt.registry import load_engine

    engine = load_engine("transformers", control_model, device="cpu", threads=1)
    sources = [s for p in load_source(_source(tmp_path)).paragraphs for s in p.segments]
    drafts = engine.translate(sources, beam=4)
    assert any(XML_INVALID.search(d.text) for d in drafts), [d.text for d in drafts]
    assert any(d.text and not XML_INVALID.search(d.text) for d in drafts)


def test_every_output_format_is_written_and_valid(control_model, tmp_path) -> None:
    src = _source(tmp_path)
    glossary = _glossary(tmp_path)
    common = ("--model", str(control_model), "--engine", "transformers", "--beam", "4", "--quiet")
    out = tmp_path / "out"
    done = run_workbench("translate", str(src), "--out", str(out), "--glossary", str(glossary), *common)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    files = {p.name for p in out.iterdir() if p.is_file()}
    assert {"report.md", "report.jsonl", "report.tmx", "report.en.docx", "report.review.docx"} <= files
    rows = [json.loads(line) for line in (out / "report.jsonl").read_text(encoding="utf-8").splitlines()]
    drafts = [r["draft"] for r in rows if r["draft"]]
    assert drafts and not any(XML_INVALID.search(d) for d in drafts)
    assert any(" " in d for d in drafts)
    assert not XML_INVALID.search((out / "report.md").read_text(encoding="utf-8"))
    assert dtd_errors(out / "report.tmx") == []
    _xml_members(out / "report.en.docx")
    _xml_members(out / "report.review.docx")
    # The same draft text in every output: the TMX's targets are the JSONL's drafts.
    tmx = etree.parse(str(out / "report.tmx"))
    targets = {seg.text for tuv in tmx.iter("tuv") if tuv.get("{http://www.w3.org/XML/1998/namespace}lang", "").startswith("en")
               for seg in tuv.iter("seg")}  # fmt: skip
    assert {d.strip() for d in drafts if d.strip()} <= targets

    project = tmp_path / "p.wbproj"
    done = run_workbench("translate", str(src), "--project", str(project), "--out", str(tmp_path / "pout"),
                         "--glossary", str(glossary), *common)  # fmt: skip
    assert done.returncode == 0, done.stderr
    exports = {
        "xliff": "x.xlf",
        "tbx": "g.tbx",
        "docx": "t.docx",
        "tmx": "t.tmx",
        "md": "t.md",
        "txt": "t.txt",
    }
    for fmt, name in exports.items():
        done = run_workbench("export", str(project), "--format", fmt, "--out", str(tmp_path / name))
        assert done.returncode == 0, (fmt, done.stderr)
    assert xliff_schema().validate(etree.parse(str(tmp_path / "x.xlf")))
    tbx = etree.parse(str(tmp_path / "g.tbx"))
    assert {"妇联", "巾帼"} <= {t.text for t in tbx.iter("term")}
    _xml_members(tmp_path / "t.docx")
    assert dtd_errors(tmp_path / "t.tmx") == []
    for name in ("t.md", "t.txt"):
        assert not XML_INVALID.search((tmp_path / name).read_text(encoding="utf-8"))


def test_a_glossary_entry_with_control_characters_is_written_as_valid_tbx(tmp_path) -> None:
    from workbench.terms import Entry, save_termbase
    from workbench.terms.tbx import validate_file

    out = tmp_path / "g.tbx"
    save_termbase([Entry(source="妇联", target="women's\x01federation", note="from\x0bOCR")], out, "tbx")
    assert validate_file(out) == []
    tree = etree.parse(str(out))
    assert "women's federation" in [t.text for t in tree.iter("term")]
    assert "from OCR" in [n.text for n in tree.iter("note")]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_xml_clean_makes_any_text_writable_as_xml(text: str) -> None:
    clean = xml_clean(text)
    assert len(clean) == len(text)
    el = etree.Element("seg")
    el.text = clean  # lxml refuses any character XML 1.0 cannot carry
    assert etree.fromstring(etree.tostring(el)).text in (clean, None) or clean == ""
