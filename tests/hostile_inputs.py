"""Hostile inputs for the adversarial test of every command (issue 25): one shape, any size, any format.

A *shape* is what makes an input hostile: a long run of one character class, a repeated structure,
deep nesting or a huge attribute value; with ``lines`` the same content is spread over many short
lines (many units). :class:`Inputs` writes it, about ``n`` characters of it, as each format a command
reads (.txt, .md, .docx, .tmx, .tsv, .xliff, a glossary, a project, a TM, a model folder).
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import zipfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

#: Long runs of one character class.
RUNS = {
    "digits": "9",
    "han": "中",
    "sentence-ends": "。",
    "spaces": " ",
    "latin": "a",
    "quotes": "“",
    "open-brackets": "（",
    "full-width-digits": "１",
    "combining": "e\u0301",
    "zero-width": "\u200b中",
    "astral": "\U00020000",
}
#: Repeated structures.
REPEATS = {
    "numbered": "1.",
    "article": "第一条",
    "item": "（一）",
    "places": "江苏省宿迁市沭阳县",
    "markup": "<b>字</b>",
    "entity": "&amp;",
    "link": "[字](http://a.b/)",
    "table-cell": "| 字 |",
    "heading": "# 字",
    "decimal": "3.14，",
}
KINDS = ("run", "repeat", "nest", "attr")
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@dataclass(frozen=True)
class Shape:
    """What makes an input hostile.

    Attributes:
        kind: ``run``, ``repeat``, ``nest`` or ``attr``.
        unit: The run's character or the repeated structure (``run``/``repeat``).
        lines: Spread the content over many short lines.
    """

    kind: str
    unit: str = ""
    lines: bool = False

    def text(self, n: int) -> str:
        """About ``n`` characters of hostile text (for nesting: brackets ``n / 2`` deep)."""
        if self.kind == "nest":
            body = "（" * (n // 2) + "中" + "）" * (n // 2)
        elif self.kind == "attr":
            body = "http://a.b/" + "a" * n  # one huge token
        else:
            body = self.unit * max(1, n // len(self.unit))
        if not self.lines:
            return body
        step = 40 if self.kind in ("run", "nest", "attr") else len(self.unit)
        return "\n".join(body[i : i + step] for i in range(0, len(body), step))


def _docx(body: str) -> bytes:
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


def _p(text: str, attrs: str = "") -> str:
    return f'<w:p>{attrs}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


class Inputs:
    """Every input file of one shape at one size, written on first use under ``folder``.

    Attributes:
        base_model: A real model whose files (all but its config) the hostile model folder copies.
    """

    base_model: Path | None = None

    def __init__(self, folder: Path, shape: Shape, n: int) -> None:
        self.folder = folder
        self.shape = shape
        self.n = n
        folder.mkdir(parents=True, exist_ok=True)
        self._outputs = 0

    def out(self, suffix: str) -> str:
        """A fresh output path (nothing there yet, so no guard refuses it)."""
        self._outputs += 1
        return str(self.folder / f"out{self._outputs}{suffix}")

    def _write(self, name: str, data: str | bytes) -> str:
        path = self.folder / name
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
        return str(path)

    @cached_property
    def text(self) -> str:
        return self.shape.text(self.n)

    @cached_property
    def units(self) -> list[str]:
        """The text's lines that hold something (at least one)."""
        return [line for line in self.text.split("\n") if line.strip()] or ["中"]

    @cached_property
    def txt(self) -> str:
        return self._write("x.txt", self.text + "\n")

    @cached_property
    def md(self) -> str:
        if self.shape.kind == "nest":
            data = "> " * (self.n // 2) + "中文\n\n" + "- " * (self.n // 2) + "字\n"
        elif self.shape.kind == "attr":
            data = f'[链接](http://a.b/{"a" * self.n} "{"t" * self.n}")\n'
        else:
            data = "# 标题\n\n" + self.text + "\n"
        return self._write("x.md", data)

    @cached_property
    def docx(self) -> str:
        if self.shape.kind == "nest":
            body = _p("开始。")
            for _ in range(self.n // 50):
                body = f"<w:tbl><w:tr><w:tc>{body}</w:tc></w:tr></w:tbl>"
        elif self.shape.kind == "attr":
            body = _p("测试。", f"<w:pPr><w:pStyle w:val={quoteattr('x' * self.n)}/></w:pPr>")
        else:
            body = "".join(_p(u) for u in self.units)
        return self._write("x.docx", _docx(body))

    def _segs(self) -> list[tuple[str, str]]:
        """``(source, target)`` markup of each unit: nested inline tags or escaped text."""
        if self.shape.kind == "nest":
            depth = self.n // 10
            return [("<g id='1'>" * depth + "中文" + "</g>" * depth, "Chinese")]
        return [(escape(u), escape(u)) for u in self.units]

    def _huge(self, i: int, normal: str) -> str:
        """An attribute value: huge (``n`` characters) on the first unit of the ``attr`` shape."""
        return quoteattr("a" * self.n if self.shape.kind == "attr" and i == 1 else normal)

    @cached_property
    def tmx(self) -> str:
        tus = []
        for i, (s, t) in enumerate(self._segs(), 1):
            if self.shape.kind == "nest":
                s = s.replace("<g id='1'>", "<hi>").replace("</g>", "</hi>")
            note = escape(self._huge(i, "p")[1:-1])
            tus.append(
                f'<tu tuid={self._huge(i, str(i))}><prop type="x-note">{note}</prop>'
                f'<tuv xml:lang="zh-CN"><seg>{s}</seg></tuv><tuv xml:lang="en"><seg>{t}</seg></tuv></tu>'
            )
        data = (
            '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="t" creationtoolversion="1" '
            'segtype="sentence" o-tmf="t" adminlang="en" srclang="zh-CN" datatype="plaintext"/><body>'
            + "".join(tus)
            + "</body></tmx>"
        )
        return self._write("x.tmx", data)

    @cached_property
    def xliff(self) -> str:
        units = "".join(
            f"<trans-unit id={self._huge(i, str(i))}><source>{s}</source><target>{t}</target></trans-unit>"
            for i, (s, t) in enumerate(self._segs(), 1)
        )
        data = (
            '<?xml version="1.0" encoding="UTF-8"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
            f'<file original="x.txt" source-language="zh-CN" target-language="en" datatype="plaintext"><body>{units}</body></file></xliff>'
        )
        return self._write("x.xliff", data)

    @cached_property
    def tsv(self) -> str:
        return self._write("x.tsv", "".join(f"{u}\t{u}\n" for u in self.units))

    @cached_property
    def glossary(self) -> str:
        """A term base: each unit a term (a huge one for ``attr``), at most 5,000 entries."""
        sources = list(dict.fromkeys(u[:200].strip() for u in self.units[:5000]))
        rows = [f"{u}\tterm {i}" for i, u in enumerate(sources) if u]
        if self.shape.kind == "attr":
            rows.append(f"{'字' * self.n}\tx")
        return self._write("g.tsv", "source\ttarget\n" + "".join(r + "\n" for r in rows))

    @cached_property
    def tbx(self) -> str:
        entries = "".join(
            f'<termEntry id="e{i}"><langSet xml:lang="zh"><tig><term>{escape(u[:200])}</term></tig></langSet>'
            f'<langSet xml:lang="en"><tig><term>term {i}</term></tig></langSet></termEntry>'
            for i, u in enumerate(dict.fromkeys(u[:200] for u in self.units[:5000]))
        )
        if self.shape.kind in ("attr", "nest"):
            entries += (
                f"<termEntry id={quoteattr('e' * self.n)}>"
                + "<note>" * (self.n // 10)
                + "</note>" * (self.n // 10)
                + "</termEntry>"
            )
        data = (
            '<?xml version="1.0" encoding="UTF-8"?><martif type="TBX" xml:lang="en"><martifHeader><fileDesc>'
            f"<sourceDesc><p>x</p></sourceDesc></fileDesc></martifHeader><text><body>{entries}</body></text></martif>"
        )
        return self._write("g.tbx", data)

    @cached_property
    def project(self) -> str:
        """A real project of the text (read by the segmenter) with the glossary recorded, every segment's
        final its own source."""
        from workbench.errors import WorkbenchError
        from workbench.store.project import Project
        from workbench.text import load_document

        path = self.folder / "p.wbproj"
        with Project.open(path, create=True) as project:
            with contextlib.suppress(WorkbenchError):  # text of spaces only: a project with no document
                project.add_document(load_document(self.txt))
            project.set_glossary([self.glossary])
            for seg in project.segments():
                project.set_final(seg.id, seg.source)
        return str(path)

    @cached_property
    def tm(self) -> str:
        """A real TM holding the TSV's units."""
        from workbench.store.tm import TMUnit, TranslationMemory

        path = self.folder / "tm.sqlite"
        with TranslationMemory.open(path) as tm:
            tm.add_many([TMUnit(u, u) for u in self.units], creator="test")
        return str(path)

    @cached_property
    def model(self) -> str:
        """A model folder whose config is hostile JSON (deeply nested, a huge value, or the text)."""
        folder = self.folder / "model"
        if self.base_model is not None:
            shutil.copytree(self.base_model, folder)
        folder.mkdir(exist_ok=True)
        if self.shape.kind == "nest":
            config = '{"model_type": "marian", "x": ' + "[" * (self.n // 2) + "]" * (self.n // 2) + "}"
        else:
            config = json.dumps({"model_type": "marian", "architectures": ["MarianMTModel"], "x": self.text})
        (folder / "config.json").write_text(config, encoding="utf-8")
        return str(folder)

    @cached_property
    def query(self) -> str:
        """A search text from the input (bounded: it goes on the command line)."""
        return self.text[:5000].replace("\n", " ").strip() or "中"
