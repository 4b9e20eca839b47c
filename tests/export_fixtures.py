"""Helpers for the export tests: DocumentRecords built from real documents or from plain lists."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

from conftest import run_workbench as run_cli  # noqa: F401  (re-exported for the export tests)
from lxml import etree

from workbench.records import DocumentRecord, ParagraphRecord, SegmentRecord, TermNote

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TMX_DTD = SHARED / "data" / "tmx14.dtd"
XLIFF_XSD_DIR = Path(__file__).resolve().parent / "data" / "xliff"
OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")


def synthetic_translation(source: str) -> str:
    """A non-empty, recognisable stand-in translation."""
    return "EN: " + source


def record_from_document(
    doc, translate: Callable[[str], str | None] = synthetic_translation, status: str = "drafted"
) -> DocumentRecord:
    """Turn a ``workbench.text.model.Document`` into a record with a translation for every segment."""
    pars = []
    for p in doc.paragraphs:
        segs = [
            SegmentRecord(
                p.index, i, s, draft=translate(s), status=status, origin="mt", signature="test-engine"
            )
            for i, s in enumerate(p.segments)
        ]
        pars.append(ParagraphRecord(p.index, p.kind, p.text, p.lines, segs))
    name = Path(doc.path).name if doc.path else "document.txt"
    return DocumentRecord(
        name=name, source_path=doc.path, script=doc.script, paragraphs=pars, signature="test-engine"
    )


def make_record(
    paragraphs: Sequence[tuple[str, Sequence[tuple[str, str | None]]]],
    name: str = "doc.txt",
    terms: dict[str, list[TermNote]] | None = None,
    **kwargs,
) -> DocumentRecord:
    """Build a record from ``[(kind, [(source, target_or_None), ...]), ...]``."""
    pars = []
    for pi, (kind, segs) in enumerate(paragraphs):
        records = [
            SegmentRecord(
                pi,
                si,
                src,
                draft=tgt,
                status="drafted" if tgt else "new",
                origin="mt" if tgt else None,
                terms=list((terms or {}).get(src, [])),
            )
            for si, (src, tgt) in enumerate(segs)
        ]
        pars.append(ParagraphRecord(pi, kind, "".join(s for s, _ in segs), (pi + 1, pi + 1), records))
    return DocumentRecord(name=name, paragraphs=pars, **kwargs)


def dtd_errors(path: Path) -> list[str]:
    """Validate a TMX file against the official TMX 1.4b DTD; return the errors (empty when valid)."""
    dtd = etree.DTD(str(TMX_DTD))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    tree = etree.parse(str(path), parser)
    if dtd.validate(tree):
        return []
    return [str(e) for e in dtd.error_log.filter_from_errors()]


def xliff_schema() -> etree.XMLSchema:
    """The OASIS XLIFF 1.2 strict schema, with its xml.xsd import pointed at the local copy."""
    doc = etree.parse(str(XLIFF_XSD_DIR / "xliff-core-1.2-strict.xsd"))
    for imp in doc.getroot().iter("{http://www.w3.org/2001/XMLSchema}import"):
        imp.set("schemaLocation", (XLIFF_XSD_DIR / "xml.xsd").as_uri())
    return etree.XMLSchema(doc)


def omegat_available() -> bool:
    return OMEGAT_JAR.is_file() and shutil.which("java") is not None


def run_omegat_check(source: Path, tmx: Path, *langs: str) -> tuple[int, str, dict[str, int]]:
    """Run ../shared/tools/omegat_check.sh; return (exit code, output, parsed RESULT fields)."""
    proc = subprocess.run(
        ["bash", str(SHARED / "tools" / "omegat_check.sh"), str(source), str(tmx), *langs],
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = proc.stdout + proc.stderr
    result: dict[str, int] = {}
    for line in out.splitlines():
        if line.startswith("RESULT "):
            result = {k: int(v) for k, v in (kv.split("=") for kv in line.split()[1:])}
    return proc.returncode, out, result
