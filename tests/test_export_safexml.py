"""Untrusted XML: XXE, entity-expansion bombs and network DTDs are refused by every importer (TMX into
the translation memory, XLIFF into a project, TBX glossaries), with a clear error and nothing written."""

from __future__ import annotations

import pytest
from export_fixtures import make_record, run_cli

from workbench.errors import WorkbenchError
from workbench.formats.tm_exchange import import_tmx
from workbench.formats.tmx import read_tmx, write_tmx
from workbench.formats.xliff import import_xliff, read_xliff
from workbench.safexml import UnsafeXMLError, parse_untrusted, parse_untrusted_bytes

BODIES = {
    "tmx": (
        '<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" '
        'adminlang="en-US" srclang="zh-CN" datatype="plaintext"/><body><tu><tuv xml:lang="zh-CN"><seg>第一句。</seg>'
        '</tuv><tuv xml:lang="en-US"><seg>{payload}</seg></tuv></tu></body></tmx>'
    ),
    "xliff": (
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file original="doc.txt" '
        'source-language="zh-CN" target-language="en-US" datatype="plaintext"><body><trans-unit id="p1-s1">'
        '<source>第一句。</source><target state="translated">{payload}</target></trans-unit></body></file></xliff>'
    ),
    "tbx": (
        '<martif type="TBX" xml:lang="en"><martifHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc>'
        '</martifHeader><text><body><termEntry id="t1"><langSet xml:lang="zh"><tig><term>妇联</term></tig></langSet>'
        '<langSet xml:lang="en"><tig><term>{payload}</term></tig></langSet></termEntry></body></text></martif>'
    ),
}
ROOTS = {"tmx": "tmx", "xliff": "xliff", "tbx": "martif"}
LAUGHS = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
ATTACKS = {
    "billion-laughs": ('<!DOCTYPE {root} [<!ENTITY l0 "lol">' + LAUGHS + "]>", "&l9;"),
    "xxe-file": ('<!DOCTYPE {root} [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;"),
    "xxe-parameter-network": (
        '<!DOCTYPE {root} [<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;]>',
        "ok",
    ),
    "network-dtd": ('<!DOCTYPE {root} SYSTEM "http://127.0.0.1:9/evil.dtd">', "ok"),
}


def attack_file(tmp_path, kind: str, attack: str, encoding: str = "utf-8"):
    doctype, payload = ATTACKS[attack]
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        + doctype.replace("{root}", ROOTS[kind])
        + "\n"
        + BODIES[kind].replace("{payload}", payload)
    )
    path = tmp_path / f"{attack}.{kind}"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_tmx_reader_refuses(tmp_path, attack):
    with pytest.raises(UnsafeXMLError, match="refused unsafe XML"):
        read_tmx(attack_file(tmp_path, "tmx", attack))


@pytest.mark.parametrize("attack", ["billion-laughs", "xxe-file"])
def test_utf16_payloads_are_refused_too(tmp_path, attack):
    with pytest.raises(UnsafeXMLError):
        read_tmx(attack_file(tmp_path, "tmx", attack, encoding="utf-16"))


def test_local_doctype_as_cat_tools_write_it_is_accepted(tmp_path):
    out = tmp_path / "ok.tmx"
    write_tmx(make_record([("body", [("第一句。", "One.")])]), out)
    assert b'<!DOCTYPE tmx SYSTEM "tmx14.dtd">' in out.read_bytes()
    assert [(u.source, u.target) for u in read_tmx(out)] == [("第一句。", "One.")]


def test_malformed_xml_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx><body><tu>", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="not well-formed XML"):
        parse_untrusted(bad)
    with pytest.raises(WorkbenchError, match="cannot read"):
        parse_untrusted(tmp_path / "missing.tmx")
    with pytest.raises(WorkbenchError, match="not a TMX"):
        read_tmx(_write(tmp_path / "x.tmx", "<html/>"))


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_translation_memory_import_refuses_and_writes_nothing(tmp_path, attack):
    from workbench.store import tm as tm_mod

    with tm_mod.TranslationMemory.open(tmp_path / "tm.wbtm", create=True) as tm:
        with pytest.raises(WorkbenchError, match="refused unsafe XML"):
            import_tmx(tm, attack_file(tmp_path, "tmx", attack))
        assert len(tm) == 0


@pytest.mark.parametrize("attack", ["billion-laughs", "xxe-file", "network-dtd"])
def test_tm_import_command_refuses_with_one_line(tmp_path, attack):
    tm_path = tmp_path / "tm.sqlite"
    proc = run_cli("tm", "import", str(attack_file(tmp_path, "tmx", attack)), "--tm", str(tm_path))
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("workbench: error: ") and "refused unsafe XML" in lines[0]
    if tm_path.exists():  # nothing written into it
        from workbench.store.tm import TranslationMemory

        with TranslationMemory.open(tm_path) as tm:
            assert len(tm) == 0


@pytest.fixture
def project(tmp_path):
    from workbench.store import project as store
    from workbench.text.model import Document, Paragraph

    doc = Document(
        "doc.txt", "utf-8", "simplified", (Paragraph(0, "body", "第一句。", (1, 1), ("第一句。",)),)
    )
    path = tmp_path / "p.wbproj"
    with store.Project.open(path, create=True) as p:
        doc_id = p.add_document(doc)
        p.set_draft(p.segments(doc_id)[0].id, "First sentence.")
    return path


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_xliff_import_refuses_and_leaves_the_project_alone(tmp_path, project, attack):
    from workbench.store.project import Project

    bad = attack_file(tmp_path, "xliff", attack)
    with pytest.raises(UnsafeXMLError):
        read_xliff(bad)
    with Project.open(project) as p:
        with pytest.raises(UnsafeXMLError):
            import_xliff(bad, p)
        (seg,) = p.segments()
        assert (seg.final, seg.status) == (None, "drafted")
        assert [h.action for h in p.history()] == ["draft"]

    proc = run_cli("import", str(bad), "--project", str(project))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("workbench: error: ") and "refused unsafe XML" in lines[0]
    assert "Traceback" not in proc.stderr
    with Project.open(project) as p:
        assert p.segments()[0].final is None


@pytest.mark.parametrize("attack", ["billion-laughs", "xxe-file", "xxe-parameter-network"])
def test_tbx_glossary_loader_refuses(tmp_path, attack):
    from workbench import terms

    with pytest.raises(WorkbenchError, match="refused"):
        terms.load_termbase([attack_file(tmp_path, "tbx", attack)])


def test_bytes_api():
    with pytest.raises(UnsafeXMLError):
        parse_untrusted_bytes(b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', "mem")
    assert parse_untrusted_bytes(b"<a>1</a>").getroot().text == "1"
