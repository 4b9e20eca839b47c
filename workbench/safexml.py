"""Parsing of untrusted XML (TMX, XLIFF, TBX from elsewhere) without the classic XML attacks.

Policy: entity declarations of any kind (internal, external, parameter) are refused, so neither XXE nor
entity-expansion bombs ("billion laughs") can work; a DOCTYPE that points at a network DTD is refused; a
plain local DOCTYPE (``<!DOCTYPE tmx SYSTEM "tmx14.dtd">``, as many CAT tools write) is accepted but never
loaded. The parser itself runs with ``resolve_entities=False, no_network=True, load_dtd=False`` and
libxml2's default size limits, so even a file that slipped past the checks expands nothing.

Writing: :func:`xml_clean` is the one place where text of any origin (a model's draft, a user's edit, a
glossary cell) is made writable as XML 1.0; every writer (Word, TMX, XLIFF, TBX, Markdown, JSONL) passes
its text through it, so a character XML cannot carry becomes the same space in every output.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from lxml import etree

from workbench.errors import InputError, WorkbenchError

_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": False,
}
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://|^(file|ftp|https?):", re.I)
_ENTITY_DECL = re.compile(rb"<\x00?!\x00?E\x00?N\x00?T\x00?I\x00?T\x00?Y", re.I)


# Characters XML 1.0 forbids (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/U+FFFF).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_clean(text: str) -> str:
    """Replace every character XML 1.0 cannot carry by a space.

    Used by every writer, XML or not, so that one draft reads the same in every output (and one control
    character in a draft never costs a Word file, nor a whole TMX in OmegaT).

    Args:
        text: Any text.

    Returns:
        ``text`` with each forbidden character replaced by a space (same length).
    """
    return _XML_INVALID.sub(" ", text)


class UnsafeXMLError(WorkbenchError):
    """The file uses a DTD feature that could read local files, reach the network or exhaust memory."""


def _refuse(name: str, what: str) -> UnsafeXMLError:
    return UnsafeXMLError(f"{name}: refused unsafe XML: {what}; remove the DOCTYPE declaration and try again")


def parse_untrusted_bytes(data: bytes, name: str = "<input>") -> etree._ElementTree:
    """Parse XML bytes from an untrusted source.

    Args:
        data: The raw file content.
        name: What to call the input in error messages (usually its path).

    Returns:
        The parsed tree.

    Raises:
        UnsafeXMLError: Entity declarations (XXE, entity bombs) or a network DTD.
        WorkbenchError: The file is not well-formed XML.
    """
    # Cheap check first, so a bomb is refused before the parser ever sees it (UTF-8 and UTF-16 spellings).
    if _ENTITY_DECL.search(data):
        raise _refuse(name, "it declares entities (external entities or entity expansion)")
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as exc:
        raise WorkbenchError(f"{name}:{exc.lineno}: not well-formed XML: {exc.msg}") from exc
    except ValueError as exc:  # e.g. an encoding declaration lxml cannot use
        raise WorkbenchError(f"{name}: cannot parse XML: {exc}") from exc
    info = tree.docinfo
    dtd = info.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise _refuse(name, "it declares entities (external entities or entity expansion)")
    for url in (info.system_url, info.public_id):
        if url and _URL.match(url.strip()):
            raise _refuse(name, f"its DOCTYPE points at a network or file DTD ({url})")
    return tree


def parse_untrusted(path: str | os.PathLike[str]) -> etree._ElementTree:
    """Read and parse an XML file from an untrusted source (see the module docstring for the policy).

    Args:
        path: The file to read.

    Returns:
        The parsed tree.

    Raises:
        InputError: The file cannot be read.
        UnsafeXMLError: XXE, entity bombs or a network DTD.
        WorkbenchError: Not well-formed XML.
    """
    from workbench.safe_read import read_input_bytes

    p = Path(path)
    try:
        data = read_input_bytes(p)
    except InputError as exc:
        raise InputError(f"cannot read {exc}") from None
    return parse_untrusted_bytes(data, str(p))
