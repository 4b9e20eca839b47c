"""Real source files of every input format, and hostile ones, built for the tests."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

from tests.conftest import ROOT

#: FLORES-200 devtest as the package ships it (gzip).
FLORES = ROOT / "workbench" / "jobs" / "data" / "flores200" / "zho_Hans.devtest.gz"

REPORT = [
    ("Title", "关于加强巾帼志愿服务工作的通知"),
    ("Normal", "各区妇联：为进一步做好巾帼志愿服务工作，现将有关事项通知如下。"),
    ("Heading 1", "一、总体要求"),
    ("Normal", "坚持以人民为中心，发挥妇联组织“娘家人”作用。深化“美丽庭院”创建。"),
    ("List Bullet", "开展家庭教育指导服务；"),
    ("List Bullet", "推动巾帼建功行动。"),
    ("Heading 2", "（一）工作目标"),
    ("Normal", "到2025年，志愿服务队伍不断壮大。"),
]
TABLE = [["项目", "负责单位"], ["美丽庭院", "区妇联"], ["三八红旗手评选", "市妇联宣传部"]]


def make_docx(path: Path, paragraphs=REPORT, table=TABLE) -> Path:
    """A Word file with styled paragraphs, a list, a table and an empty paragraph."""
    import docx

    d = docx.Document()
    for style, text in paragraphs[:4]:
        d.add_paragraph(text, style=style)
    d.add_paragraph("")
    t = d.add_table(rows=len(table), cols=len(table[0]))
    t.style = "Table Grid"
    for r, row in enumerate(table):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    for style, text in paragraphs[4:]:
        p = d.add_paragraph(style=style)
        run = p.add_run(text)
        run.bold = style == "Heading 2"
    d.save(str(path))
    return path


def zip_bomb(path: Path, megabytes: int = 16) -> Path:
    """A .docx whose document.xml inflates a thousandfold (zeros)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<" + b"\0" * (megabytes * 1024 * 1024))
    return path


def many_members(path: Path, n: int = 10_050) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for i in range(n):
            zf.writestr(f"word/m{i}.xml", "<a/>")
    return path


def entity_docx(path: Path, source: Path) -> Path:
    """A copy of ``source`` whose document.xml declares an entity-expansion bomb."""
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = bomb + data.split(b"?>", 1)[1]
            dst.writestr(info.filename, data)
    path.write_bytes(buf.getvalue())
    return path


def text_pdf(path: Path, lines: list[str], *, encrypt: str | None = None) -> Path:
    """A one-page PDF with ``lines`` in STSong-Light (optionally encrypted)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), encrypt=encrypt)
    c.setFont("STSong-Light", 12)
    for n, line in enumerate(lines):
        c.drawString(72, 760 - 18 * n, line)
    c.showPage()
    c.save()
    return path


def scan_pdf(path: Path) -> Path:
    """A PDF page with only shapes on it, as a scan without OCR has no text."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for i in range(20):
        c.rect(60 + i * 10, 500, 8, 200, fill=1)
    c.showPage()
    c.save()
    return path


def looping_pdf(path: Path) -> Path:
    """A PDF whose page tree contains itself (/Kids points back at its own node)."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length 4 0 R >>\nstream\nBT ET\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objs) + 1, xref, xref)
    )
    path.write_bytes(out.getvalue())
    return path


def reference_loop_pdf(path: Path) -> Path:
    """A PDF whose page contents are a reference that loops (object 4 is ``5 0 R``, object 5 is
    ``4 0 R``): pdfminer follows it forever, so only the timeout or a kill ends the parser."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources 5 0 R >>",
        b"5 0 R",
        b"4 0 R",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    path.write_bytes(out.getvalue())
    return path


def flores_pdf_pages(path: Path, seed: int, n_pages: int = 2):
    """Generated newspaper pages (``tests/pdf_fixtures.py``) written to ``path``; returns the pages."""
    from tests.paragraph_fixtures import load_sentences
    from tests.pdf_fixtures import fitting_pages

    return fitting_pages(random.Random(seed), load_sentences(FLORES), n_pages, path)
