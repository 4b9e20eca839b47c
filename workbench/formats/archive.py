"""Opening untrusted ZIP packages (Word files) with bounded memory.

Before anything is decompressed, the central directory is checked: the number of members, each
member's declared size, the total, and the compression ratio of large members (a zip bomb
declares gigabytes behind kilobytes). Encrypted members are refused. XML parts (by name, or any
part that starts like XML) are then read with a hard cap on the bytes actually inflated (a lying
size field cannot get past it) and refused when they declare a DOCTYPE or entities, in UTF-8 or
UTF-16, which no Office part needs. A damaged deflate stream or CRC is one error line.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path

from workbench.errors import InputError
from workbench.safe_read import read_input_bytes

MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 128 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for members over RATIO_FLOOR bytes
RATIO_FLOOR = 1024 * 1024

_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.I)


def read_package(path: str | Path, kind: str = "Word document") -> dict[str, bytes]:
    """Read every member of a ZIP package after checking it is safe to inflate.

    Args:
        path: The file.
        kind: What the package should be, for messages (``Word document``).

    Returns:
        Member name -> content.

    Raises:
        InputError: Missing or unreadable, not a ZIP file, encrypted, too many or too large
            members, a suspicious compression ratio, or XML with a DOCTYPE or entities.
    """
    name = str(path)
    data = read_input_bytes(path, name)  # regular files only, within $WORKBENCH_MAX_INPUT_MB
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise InputError(f"{name}: not a {kind} (not a ZIP package)") from None
    with zf:
        infos = zf.infolist()
        _check_directory(infos, name)
        out: dict[str, bytes] = {}
        for info in infos:
            if info.is_dir():
                continue
            out[info.filename] = _inflate(zf, info, name)
    return out


def _check_directory(infos: list[zipfile.ZipInfo], name: str) -> None:
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"{name}: refused: {len(infos)} members in the package (the limit is {MAX_MEMBERS})")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputError(f"{name}: refused: the package is encrypted; save it without a password first")
        if info.file_size > MAX_MEMBER_BYTES:
            raise InputError(
                f"{name}: refused: member {info.filename} would inflate to {info.file_size // (1024 * 1024)} MiB "
                "(a zip bomb?)"
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise InputError(
                f"{name}: refused: member {info.filename} is compressed {info.file_size // max(1, info.compress_size)}:1 "
                "(a zip bomb?)"
            )
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise InputError(f"{name}: refused: the package would inflate to more than 512 MiB (a zip bomb?)")


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """Read one member, never more than its declared size (plus one byte to detect a lie)."""
    try:
        with zf.open(info) as fh:
            data = fh.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError) as exc:
        reason = " ".join(str(exc).split())[:160]
        raise InputError(f"{name}: damaged package member {info.filename} ({reason})") from None
    if len(data) > info.file_size:
        raise InputError(f"{name}: refused: member {info.filename} is larger than its declared size")
    if (info.filename.endswith((".xml", ".rels")) or _looks_like_xml(data)) and _declares_dtd(data):
        raise InputError(f"{name}: refused unsafe XML in {info.filename}: it declares a DOCTYPE or entities")
    return data


def _looks_like_xml(data: bytes) -> bool:
    """Whether a part of any name is XML (a parser may be handed it): after a byte order mark and
    white space, in UTF-8 or UTF-16, it starts with ``<``."""
    head = data[:256].replace(b"\x00", b"")
    return head.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").startswith(b"<")


def _declares_dtd(data: bytes) -> bool:
    """A DOCTYPE or entity declaration, spelled in UTF-8 or UTF-16 (NUL bytes between the letters)."""
    if _DTD.search(data):
        return True
    return b"\x00" in data[:4096] and _DTD.search(data.replace(b"\x00", b"")) is not None
