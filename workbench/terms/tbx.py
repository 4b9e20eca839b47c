"""TBX-Basic (TBX 2, ISO 30042:2008 ``martif``) reading, writing and validation.

Mapping (``administrativeStatus`` on each ``tig``):

* Chinese ``langSet``: ``preferredTerm-admn-sts`` = the source term, ``admittedTerm-admn-sts`` = variants.
* English ``langSet``: preferred = approved rendering, admitted = allowed alternatives,
  ``deprecatedTerm-admn-sts`` (or superseded) = forbidden renderings.
* ``termEntry/note``: usage and evidence. TBX-Basic has no data category for case sensitivity or
  match priority, so they travel as two reserved entry notes, ``workbench:case-sensitive=yes`` and
  ``workbench:priority=N`` (written only when not the default).

No TBX-Basic schema ships in any package we can install, so :data:`TBX_BASIC_RNG` is our own
RELAX NG grammar of the TBX-Basic core structure (the elements and data categories of the TBX-Basic
XCS, in the order the core structure DTD allows); :func:`validate` checks a document against it.

Untrusted XML is parsed safely: entity declarations (XXE, billion laughs) are refused before lxml
sees the document, and lxml runs with ``resolve_entities=False, no_network=True, load_dtd=False``.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from workbench.errors import WorkbenchError
from workbench.safexml import parse_untrusted_bytes, xml_clean
from workbench.terms.model import Entry

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SRC_LANG = "zh-CN"
TGT_LANG = "en-US"
STATUS = {
    "approved": "preferredTerm-admn-sts",
    "alternative": "admittedTerm-admn-sts",
    "forbidden": "deprecatedTerm-admn-sts",
}
_PREFIX = "workbench:"

TBX_BASIC_RNG = """<?xml version="1.0" encoding="UTF-8"?>
<grammar xmlns="http://relaxng.org/ns/structure/1.0"
         datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <start><ref name="martif"/></start>
  <define name="lang">
    <attribute><name ns="http://www.w3.org/XML/1998/namespace">lang</name><data type="language"/></attribute>
  </define>
  <define name="optId"><optional><attribute name="id"><data type="ID"/></attribute></optional></define>
  <define name="martif">
    <element name="martif">
      <attribute name="type"><value>TBX-Basic</value></attribute>
      <ref name="lang"/>
      <element name="martifHeader">
        <element name="fileDesc">
          <optional><element name="titleStmt"><element name="title"><text/></element>
            <zeroOrMore><element name="note"><text/></element></zeroOrMore></element></optional>
          <optional><element name="publicationStmt"><oneOrMore><ref name="p"/></oneOrMore></element></optional>
          <zeroOrMore><element name="sourceDesc"><oneOrMore><ref name="p"/></oneOrMore></element></zeroOrMore>
        </element>
        <optional><element name="encodingDesc"><oneOrMore><ref name="p"/></oneOrMore></element></optional>
        <optional><element name="revisionDesc"><oneOrMore><ref name="p"/></oneOrMore></element></optional>
      </element>
      <element name="text">
        <element name="body"><zeroOrMore><ref name="termEntry"/></zeroOrMore></element>
        <optional><element name="back"><zeroOrMore><ref name="anyElement"/></zeroOrMore></element></optional>
      </element>
    </element>
  </define>
  <define name="p">
    <element name="p"><optional><attribute name="type"/></optional><text/></element>
  </define>
  <define name="anyElement">
    <element><anyName/><zeroOrMore><choice><attribute><anyName/></attribute><text/><ref name="anyElement"/></choice></zeroOrMore></element>
  </define>
  <define name="auxInfo">
    <zeroOrMore>
      <choice>
        <element name="descrip">
          <attribute name="type"><choice><value>definition</value><value>subjectField</value><value>context</value></choice></attribute>
          <text/>
        </element>
        <element name="descripGrp">
          <element name="descrip">
            <attribute name="type"><choice><value>definition</value><value>context</value></choice></attribute><text/>
          </element>
          <zeroOrMore><choice><ref name="admin"/><element name="note"><text/></element></choice></zeroOrMore>
        </element>
        <ref name="admin"/>
        <element name="transacGrp">
          <element name="transac"><attribute name="type"><value>transactionType</value></attribute><text/></element>
          <optional><element name="transacNote"><attribute name="type"/><text/></element></optional>
          <optional><element name="date"><text/></element></optional>
        </element>
        <element name="note"><text/></element>
        <element name="ref"><attribute name="type"><value>crossReference</value></attribute>
          <attribute name="target"/><text/></element>
        <element name="xref"><attribute name="type"><choice><value>externalCrossReference</value><value>xGraphic</value></choice></attribute>
          <attribute name="target"/><text/></element>
      </choice>
    </zeroOrMore>
  </define>
  <define name="admin">
    <element name="admin">
      <attribute name="type"><choice><value>customerSubset</value><value>projectSubset</value><value>source</value></choice></attribute>
      <text/>
    </element>
  </define>
  <define name="termEntry">
    <element name="termEntry">
      <ref name="optId"/>
      <ref name="auxInfo"/>
      <oneOrMore><ref name="langSet"/></oneOrMore>
    </element>
  </define>
  <define name="langSet">
    <element name="langSet">
      <ref name="lang"/>
      <ref name="auxInfo"/>
      <oneOrMore><choice><ref name="tig"/><ref name="ntig"/></choice></oneOrMore>
    </element>
  </define>
  <define name="term"><element name="term"><ref name="optId"/><data type="string"><param name="minLength">1</param></data></element></define>
  <define name="termNote">
    <element name="termNote">
      <choice>
        <group>
          <attribute name="type"><value>administrativeStatus</value></attribute>
          <choice>
            <value>preferredTerm-admn-sts</value><value>admittedTerm-admn-sts</value>
            <value>deprecatedTerm-admn-sts</value><value>supersededTerm-admn-sts</value>
          </choice>
        </group>
        <group>
          <attribute name="type"><choice>
            <value>partOfSpeech</value><value>grammaticalGender</value><value>geographicalUsage</value>
            <value>termLocation</value><value>termType</value>
          </choice></attribute>
          <text/>
        </group>
      </choice>
    </element>
  </define>
  <define name="tig">
    <element name="tig">
      <ref name="optId"/>
      <ref name="term"/>
      <zeroOrMore><ref name="termNote"/></zeroOrMore>
      <ref name="auxInfo"/>
    </element>
  </define>
  <define name="ntig">
    <element name="ntig">
      <ref name="optId"/>
      <element name="termGrp"><ref name="term"/><zeroOrMore><ref name="termNote"/></zeroOrMore></element>
      <ref name="auxInfo"/>
    </element>
  </define>
</grammar>
"""

_schema: etree.RelaxNG | None = None


def schema() -> etree.RelaxNG:
    """The compiled TBX-Basic core-structure RELAX NG grammar."""
    global _schema
    if _schema is None:
        _schema = etree.RelaxNG(etree.fromstring(TBX_BASIC_RNG.encode("utf-8")))
    return _schema


def validate(root: etree._Element) -> list[str]:
    """Validate a parsed TBX document; returns problems as ``LINE: message`` (empty when valid)."""
    s = schema()
    if s.validate(root):
        return []
    return [f"{e.line}: {e.message}" for e in s.error_log]


def parse_xml_safely(data: bytes, name: str) -> etree._Element:
    """Parse an untrusted glossary with the project's one safe XML policy (``workbench.safexml``).

    Raises:
        WorkbenchError: ``NAME: refused unsafe XML ...`` for DTD entities (XXE, billion laughs) or a
            network DTD, or ``NAME:LINE: not well-formed XML: ...``.
    """
    return parse_untrusted_bytes(data, name).getroot()


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _text(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def _terms(lang_set: etree._Element) -> list[tuple[str, str, int]]:
    """``(term, status, line)`` for every tig/ntig of a langSet; status '' when not given."""
    out = []
    for t in lang_set:
        kind = _local(t.tag)
        if kind == "tig":
            holder = t
        elif kind == "ntig":
            holder = next((c for c in t if _local(c.tag) == "termGrp"), None)
            if holder is None:
                continue
        else:
            continue
        term_el = next((c for c in holder if _local(c.tag) == "term"), None)
        if term_el is None:
            continue
        status = ""
        for c in holder:
            if _local(c.tag) == "termNote" and c.get("type") == "administrativeStatus":
                status = _text(c).removesuffix("-admn-sts")
        out.append((_text(term_el), status, term_el.sourceline or t.sourceline or 0))
    return out


def read_tbx(data: bytes, name: str) -> list[Entry]:
    """Read the entries of a TBX 2 (martif) document.

    Args:
        data: The file's bytes.
        name: File name for messages.

    Raises:
        WorkbenchError: ``NAME:LINE: what is wrong`` for unsafe or malformed XML, a TBX v3 file, or a
            termEntry without a Chinese or English term.
    """
    root = parse_xml_safely(data, name)
    if _local(root.tag) != "martif":
        hint = (
            " (TBX v3 is not supported; save as TBX 2 / TBX-Basic martif)"
            if _local(root.tag) == "tbx"
            else ""
        )
        raise WorkbenchError(
            f"{name}:{root.sourceline}: root element is <{_local(root.tag)}>, expected <martif>{hint}"
        )
    entries: list[Entry] = []
    for te in root.iter("{*}termEntry", "termEntry"):
        line = te.sourceline or 0
        src_terms: list[tuple[str, str, int]] = []
        tgt_terms: list[tuple[str, str, int]] = []
        notes: list[str] = []
        case_sensitive = False
        priority = 0
        for el in te.iter():
            tag = _local(el.tag)
            if tag == "descrip" and el.get("type") in ("definition", "context"):
                notes.append(f"{el.get('type')}: {_text(el)}")
                continue
            if tag != "note":
                continue
            text = _text(el)
            if text.startswith(_PREFIX + "case-sensitive="):
                case_sensitive = text.split("=", 1)[1].strip().lower() in ("yes", "true", "1")
            elif text.startswith(_PREFIX + "priority="):
                try:
                    priority = int(text.split("=", 1)[1])
                except ValueError:
                    raise WorkbenchError(f"{name}:{el.sourceline}: bad priority {text!r}") from None
            elif text:
                notes.append(text)
        for ls in te:
            if _local(ls.tag) != "langSet":
                continue
            lang = (ls.get(XML_LANG) or ls.get("lang") or "").lower()
            if lang.startswith("zh"):
                src_terms.extend(_terms(ls))
            elif lang.startswith("en"):
                tgt_terms.extend(_terms(ls))
        if not src_terms:
            raise WorkbenchError(f"{name}:{line}: termEntry has no Chinese (zh) term")
        if not tgt_terms:
            raise WorkbenchError(f"{name}:{line}: termEntry has no English (en) term")
        bad = ("deprecatedTerm", "supersededTerm")
        src_sorted = sorted(src_terms, key=lambda t: t[1] != "preferredTerm")
        usable = [t for t in tgt_terms if t[1] not in bad]
        if not usable:
            raise WorkbenchError(f"{name}:{line}: termEntry has only deprecated English terms")
        usable.sort(key=lambda t: t[1] != "preferredTerm")
        try:
            entries.append(
                Entry(
                    source=src_sorted[0][0],
                    target=usable[0][0],
                    variants=tuple(t[0] for t in src_sorted[1:]),
                    alternatives=tuple(t[0] for t in usable[1:]),
                    forbidden=tuple(t[0] for t in tgt_terms if t[1] in bad),
                    note=" | ".join(notes),
                    case_sensitive=case_sensitive,
                    priority=priority,
                    location=f"{name}:{line}",
                )
            )
        except ValueError as exc:
            raise WorkbenchError(f"{name}:{line}: {exc}") from None
    return entries


def build_tbx(entries: list[Entry], title: str = "workbench term base") -> etree._Element:
    """Build a TBX-Basic document for ``entries`` (see the module docstring for the mapping)."""
    martif = etree.Element("martif", {"type": "TBX-Basic", XML_LANG: TGT_LANG})
    header = etree.SubElement(martif, "martifHeader")
    fd = etree.SubElement(header, "fileDesc")
    ts = etree.SubElement(fd, "titleStmt")
    etree.SubElement(ts, "title").text = xml_clean(title)
    sd = etree.SubElement(fd, "sourceDesc")
    etree.SubElement(sd, "p").text = "Written by the zh-en workbench (workbench glossary convert)."
    ed = etree.SubElement(header, "encodingDesc")
    etree.SubElement(ed, "p", {"type": "XCSURI"}).text = "TBXBasicXCSV02.xcs"
    body = etree.SubElement(etree.SubElement(martif, "text"), "body")
    for i, e in enumerate(entries, 1):
        te = etree.SubElement(body, "termEntry", {"id": f"t{i}"})
        if e.note:
            etree.SubElement(te, "note").text = xml_clean(e.note)
        if e.case_sensitive:
            etree.SubElement(te, "note").text = _PREFIX + "case-sensitive=yes"
        if e.priority:
            etree.SubElement(te, "note").text = f"{_PREFIX}priority={e.priority}"
        zh = etree.SubElement(te, "langSet", {XML_LANG: SRC_LANG})
        _tig(zh, e.source, "approved")
        for v in e.variants:
            _tig(zh, v, "alternative")
        en = etree.SubElement(te, "langSet", {XML_LANG: TGT_LANG})
        _tig(en, e.target, "approved")
        for a in e.alternatives:
            _tig(en, a, "alternative")
        for f in e.forbidden:
            _tig(en, f, "forbidden")
    return martif


def _tig(lang_set: etree._Element, term: str, role: str) -> None:
    tig = etree.SubElement(lang_set, "tig")
    etree.SubElement(tig, "term").text = xml_clean(term)
    etree.SubElement(tig, "termNote", {"type": "administrativeStatus"}).text = STATUS[role]


def tbx_bytes(entries: list[Entry], title: str = "workbench term base") -> bytes:
    """Serialised, pretty-printed TBX-Basic document (UTF-8, with XML declaration)."""
    root = build_tbx(entries, title)
    problems = validate(root)
    if problems:  # pragma: no cover - our own writer must produce valid TBX-Basic
        raise WorkbenchError(f"internal error: generated TBX is invalid: {problems[0]}")
    data: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)
    return data


def validate_file(path: Path) -> list[str]:
    """Parse ``path`` safely and validate it; problems as ``FILE:LINE: message``."""
    root = parse_xml_safely(path.read_bytes(), str(path))
    return [f"{path}:{p}" for p in validate(root)]
