"""Reading a source document of any supported format: one dispatcher over one small reader interface.

The format comes from the file name's extension (``.txt`` and anything unknown: text; ``.md``:
Markdown; ``.docx``: Word; ``.pdf``: PDF), or is forced with ``input_format`` (the CLI's
``--input-format``). A file read as text whose first bytes say it is a PDF or a Word package
is read as that instead (a PDF saved as ``.txt`` would otherwise become "paragraphs" of PDF
syntax). Every reader returns a ``workbench.text.model.Document``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from workbench.errors import InputError, WorkbenchError
from workbench.text.model import Document


class SourceFormat(str, Enum):
    """The input formats."""

    TEXT = "text"
    MARKDOWN = "markdown"
    DOCX = "docx"
    PDF = "pdf"

    def __str__(self) -> str:
        return self.value


#: ``read(path, encoding, to_simplified) -> Document``
ReadFn = Callable[[Path, str | None, bool], Document]


@dataclass(frozen=True)
class SourceReader:
    """One input format: its extensions and how to read it (the module is imported on use)."""

    format: SourceFormat
    extensions: tuple[str, ...]
    read: ReadFn
    takes_encoding: bool = True


def _text(path: Path, encoding: str | None, to_simplified: bool) -> Document:
    from workbench.text import load_document

    return load_document(path, encoding=encoding, to_simplified=to_simplified)


def _markdown(path: Path, encoding: str | None, to_simplified: bool) -> Document:
    from workbench.formats.markdown_reader import read_markdown

    return read_markdown(path, encoding=encoding, to_simplified=to_simplified)


def _docx(path: Path, encoding: str | None, to_simplified: bool) -> Document:
    from workbench.formats.docx_reader import read_docx

    return read_docx(path, to_simplified=to_simplified)


def _pdf(path: Path, encoding: str | None, to_simplified: bool) -> Document:
    from workbench.formats.pdf import read_pdf

    return read_pdf(path, to_simplified=to_simplified)


READERS: dict[SourceFormat, SourceReader] = {
    r.format: r
    for r in (
        SourceReader(SourceFormat.TEXT, (".txt", ".text"), _text),
        SourceReader(SourceFormat.MARKDOWN, (".md", ".markdown", ".mdown", ".mkd"), _markdown),
        SourceReader(SourceFormat.DOCX, (".docx",), _docx, takes_encoding=False),
        SourceReader(SourceFormat.PDF, (".pdf",), _pdf, takes_encoding=False),
    )
}
FORMAT_NAMES = tuple(f.value for f in SourceFormat)


#: The first bytes of an OLE2 compound file: Word 97-2003 ``.doc`` (and other old Office files).
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _refuse_old_office(path: Path) -> None:
    """An old binary Office file (``.doc``) is named as such, not read as (binary) text.

    Raises:
        InputError: ``path`` is a Word 97-2003 ``.doc`` (or another OLE2 compound file).
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(len(OLE2_MAGIC))
    except OSError:
        return  # the reader says what is wrong
    if head == OLE2_MAGIC:
        raise InputError(
            f"{path}: Word 97-2003 .doc is not read; save it as .docx (File > Save As > Word Document)"
        )


def _sniff(path: Path) -> SourceFormat | None:
    """PDF or Word by the first bytes, else None."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError:
        return None  # the text reader says what is wrong
    if head.startswith(b"%PDF-"):
        return SourceFormat.PDF
    if head.startswith(b"PK\x03\x04"):
        return SourceFormat.DOCX
    return None


def detect_format(path: str | Path) -> SourceFormat:
    """The format ``load_source`` reads ``path`` as when none is forced."""
    p = Path(path)
    suffix = p.suffix.lower()
    for reader in READERS.values():
        if suffix in reader.extensions and reader.format is not SourceFormat.TEXT:
            return reader.format
    return (_sniff(p) if p.is_file() else None) or SourceFormat.TEXT


def load_source(
    path: str | Path,
    *,
    input_format: str | None = None,
    encoding: str | None = None,
    to_simplified: bool = False,
) -> Document:
    """Read a source document (text, Markdown, Word or PDF) into a ``Document``.

    Args:
        path: The file.
        input_format: Force a format (``text``, ``markdown``, ``docx``, ``pdf``); from the
            extension (and, for text, the first bytes) when None.
        encoding: Force the codec of a text or Markdown file.
        to_simplified: Convert traditional text to simplified characters.

    Returns:
        The document, its ``format`` recorded.

    Raises:
        InputError: Unreadable, unsafe or empty input; a Word 97-2003 ``.doc``.
        WorkbenchError: An unknown format, or ``encoding`` given for a binary format.
    """
    p = Path(path)
    if input_format is not None:
        try:
            fmt = SourceFormat(input_format)
        except ValueError:
            raise WorkbenchError(
                f"unknown input format {input_format!r} (choose {', '.join(FORMAT_NAMES)})"
            ) from None
    else:
        if not p.exists():
            raise InputError(f"{p}: no such file")
        fmt = detect_format(p)
    if fmt in (SourceFormat.TEXT, SourceFormat.MARKDOWN) and p.is_file():
        _refuse_old_office(p)
    reader = READERS[fmt]
    if encoding and not reader.takes_encoding:
        raise WorkbenchError(f"--encoding does not apply to {fmt} input ({p.name})")
    return reader.read(p, encoding, to_simplified)
