"""Reading a user's text file: encoding detection, decoding and cleaning.

Order of decisions (each explainable to the user):

1. Byte-order marks win (UTF-32, UTF-8, UTF-16).
2. NUL bytes without a BOM mean binary, unless charset-normalizer recognises
   BOM-less UTF-16 and the result is clean text.
3. Strict UTF-8 (most files; charset-normalizer can mis-guess short UTF-8).
4. charset-normalizer proposes legacy encodings. Short Chinese inputs are
   ambiguous between GB18030 and Big5 (both decode almost any byte pair), so
   the Chinese candidates that decode strictly are ranked by the share of
   common characters (GB2312 level 1 / Big5 frequently-used range); a wrong
   decoding yields rare characters.

Cleaning: CRLF/CR (and U+2028/U+2029/NEL) become LF; XML-invalid control
characters (OCR form feeds, vertical tabs, ESC, other C0 except tab and LF,
U+FFFE/U+FFFF) become a space, as CAT tools do; text is NFC-normalised as
OmegaT does with source text, so segments match later. Full-width
punctuation is kept as it is. A forced ``--encoding`` must be a text codec
(not rot13, base64, hex ...) and must not produce lone surrogates (escape
codecs can), which SQLite and the tokenizer cannot take.

Reading: :func:`read_input_bytes` is the one way to read a user's file: regular
files only (a FIFO, device or socket is refused at once, never waited on) and at
most ``$WORKBENCH_MAX_INPUT_MB`` MiB (default 512).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from itertools import islice
from pathlib import Path

from workbench.errors import InputError
from workbench.safe_read import read_input_bytes

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Encoding candidates are ranked on this much of a large file.
_SAMPLE_BYTES = 256 * 1024
_NON_ASCII = re.compile(rb"[\x80-\xff]")

# Chinese legacy encodings tried for every non-UTF input (superset codecs first).
_CHINESE = ("gb18030", "big5", "big5hkscs")

_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
# XML 1.0 forbids C0 controls except TAB, LF, CR; and U+FFFE/U+FFFF.
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Codecs Python calls text encodings that are not encodings of a text file.
_NOT_TEXT_CODECS = frozenset({"undefined", "idna", "punycode"})
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def text_codec(encoding: str) -> str:
    """The canonical name of a codec that decodes bytes to text (``--encoding``).

    Args:
        encoding: A Python codec name or alias (``gb18030``, ``big5``, ``utf_16`` ...).

    Returns:
        The codec's canonical name.

    Raises:
        InputError: Unknown, or not a text encoding (``rot13``, ``base64``, ``hex``, ``zlib`` ...
            transform bytes or strings, they do not decode a text file).
    """
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_TEXT_CODECS:
        raise InputError(
            f"{encoding!r} is not a text encoding (give one such as utf-8, gb18030, big5, utf-16)"
        )
    return info.name


def clean_text(text: str) -> str:
    """Normalise line ends, XML-invalid control characters and Unicode form.

    Args:
        text: Decoded text.

    Returns:
        Text with only LF line ends, control characters replaced by spaces, NFC.
    """
    text = _NEWLINES.sub("\n", text)
    text = _XML_INVALID.sub(" ", text)
    text = _SURROGATE.sub("\ufffd", text)  # SQLite and the tokenizer need encodable text
    return unicodedata.normalize("NFC", text)


def _common_share(text: str) -> float:
    """Share of CJK characters that are frequent ones (GB2312 level 1 or Big5 level 1).

    A wrong legacy decoding of Chinese bytes produces mostly rare characters.
    """
    total = common = 0
    for m in islice(_CJK.finditer(text), 20_000):
        ch = m.group()
        total += 1
        try:
            b = ch.encode("gb2312")
            if 0xB0 <= b[0] <= 0xD7:
                common += 1
                continue
        except UnicodeEncodeError:
            pass
        try:
            b = ch.encode("big5")
            if 0xA440 <= int.from_bytes(b, "big") <= 0xC67E:
                common += 1
        except UnicodeEncodeError:
            pass
    return common / total if total else 0.0


def _plausible(text: str) -> bool:
    """True when decoded text looks like real text (CJK, ASCII, common punctuation)."""
    sample = text[:200_000]
    visible = [c for c in sample if not c.isspace()]
    if not visible:
        return True
    good = 0
    for c in visible:
        o = ord(c)
        if (
            0x21 <= o <= 0x7E
            or 0x2000 <= o <= 0x206F
            or 0x3000 <= o <= 0x303F
            or 0xFF00 <= o <= 0xFFEF
            or _CJK.match(c)
            or c in "·—…‘’“”□■○●◎▲△"
        ):
            good += 1
    return good / len(visible) >= 0.8


def _controls_share(text: str) -> float:
    """Share of XML-invalid control characters; a handful (OCR form feeds) count as none."""
    sample = text[:200_000]
    n = len(_XML_INVALID.findall(sample))
    if n <= 8:
        return 0.0
    return n / len(sample)


def _detect(data: bytes, name: str, sample_bytes: int | None = None) -> tuple[str, str]:
    """Detect the encoding of BOM-less, non-UTF-8 bytes; return (text, encoding).

    Candidates are ranked on a sample (the first 256 KiB, cut at a line end);
    the whole file is then decoded strictly with the best one that works.
    The sample starts at the line of the first non-ASCII byte.
    """
    import charset_normalizer

    limit = _SAMPLE_BYTES if sample_bytes is None else sample_bytes
    sample = data
    if limit and len(data) > limit:
        # An ASCII preamble tells nothing: sample from the line of the first non-ASCII byte.
        m = _NON_ASCII.search(data)
        begin = data.rfind(b"\n", 0, m.start()) + 1 if m else 0
        cut = data.rfind(b"\n", begin, begin + limit)
        if cut > begin:
            sample = data[begin : cut + 1]
    proposals = [m.encoding for m in charset_normalizer.from_bytes(sample)]
    decoded: dict[str, str] = {}
    for enc in dict.fromkeys([*_CHINESE, *proposals]):
        try:
            decoded[enc] = sample.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    shares = {e: _common_share(t) for e, t in decoded.items() if e in _CHINESE and _CJK.search(t)}
    # Stable sort: equal shares keep the superset-first order (gb18030 before big5).
    order = [
        e for e in sorted(shares, key=lambda e: -shares[e]) if shares[e] >= 0.5 and _plausible(decoded[e])
    ]
    order += [
        e
        for e, t in decoded.items()
        if e in proposals and e not in order and _plausible(t) and _controls_share(t) < 0.01
    ]
    for enc in order:
        if sample is data:
            return decoded[enc], enc
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    if sample is not data:  # the sample misled (say, a long ASCII preamble): look at everything
        return _detect(data, name, sample_bytes=0)
    raise InputError(
        f"{name}: cannot tell the text encoding (not UTF-8, GB18030 or Big5; binary?); "
        "pass --encoding if it is text"
    )


def decode_bytes(data: bytes, encoding: str | None = None, name: str = "input") -> tuple[str, str]:
    """Decode and clean the bytes of a text file.

    Args:
        data: The raw file content.
        encoding: A Python codec name to force (``--encoding``); detected when None.
        name: How to call the input in error messages (usually the path).

    Returns:
        ``(text, encoding)``: the cleaned text and the codec name used.

    Raises:
        InputError: Empty, binary or undecodable input, or an unknown encoding.
    """
    if not data:
        raise InputError(f"{name}: file is empty")
    if encoding:
        try:
            codec = text_codec(encoding)
        except InputError as exc:
            raise InputError(f"{name}: {exc}") from None
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{name}: not valid {codec} (byte offset {exc.start}); check --encoding"
            ) from None
        except UnicodeError as exc:  # idna, undefined ...: codecs that fail without a position
            raise InputError(f"{name}: cannot be decoded as {codec} ({exc}); check --encoding") from None
        if text.startswith("\ufeff"):
            text = text[1:]
        if "\x00" in text:
            raise InputError(f"{name}: contains NUL characters; not a text file in {codec}")
        m = _SURROGATE.search(text)
        if m:
            raise InputError(
                f"{name}: decoding as {codec} gives a lone surrogate (U+{ord(m.group()):04X}) at character "
                f"{m.start()}, which is not text; check --encoding"
            )
        return clean_text(text), codec
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name}: starts with a {enc} byte-order mark but is not valid {enc} "
                    f"(byte offset {exc.start})"
                ) from None
            if "\x00" in text or _controls_share(text) > 0.01:
                raise InputError(f"{name}: binary data after a {enc} byte-order mark")
            return clean_text(text), enc
    if b"\x00" in data:
        return clean_text(_bomless_utf16(data, name)), "utf-16"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text, enc = _detect(data, name)
    else:
        enc = "utf-8"
    if _controls_share(text) > 0.01:
        raise InputError(f"{name}: contains control bytes; looks like a binary file, not text")
    return clean_text(text), enc


def _bomless_utf16(data: bytes, name: str) -> str:
    """Accept BOM-less UTF-16 only when it decodes to clean, plausible text."""
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding in ("utf_16_le", "utf_16_be", "utf_16"):
        text = str(best)
        if "\x00" not in text and _controls_share(text) < 0.001 and _plausible(text):
            return text
    raise InputError(f"{name}: contains NUL bytes; looks like a binary file, not text")


def read_text(path: str | Path, encoding: str | None = None) -> tuple[str, str]:
    """Read, decode and clean a text file.

    Args:
        path: The file to read.
        encoding: Force this codec instead of detecting it.

    Returns:
        ``(text, encoding)``.

    Raises:
        InputError: Missing path, directory, special file, unreadable, too large, empty,
            whitespace only, binary or undecodable, or too large for the memory left.
    """
    name = str(path)
    data = read_input_bytes(path, name)
    try:
        text, enc = decode_bytes(data, encoding, name)
    except MemoryError:
        del data
        raise InputError(
            f"{name}: not enough memory to decode this file; split it into smaller files"
        ) from None
    if not text.strip():
        raise InputError(f"{name}: contains only whitespace, no text to segment")
    return text, enc
