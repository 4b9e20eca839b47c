"""Term base files: detection, reading and writing of every supported format.

Formats (``fmt`` names):

* ``tsv`` — extended TSV with a header row carrying every field (the master format of
  ``glossary/``). Canonical header::

      source  target  variants  alternatives  forbidden  note  case_sensitive  priority

  Multi-valued cells are separated by ``|``. Only ``source`` and ``target`` are required; other
  columns may be left out. Header aliases are accepted for exchange with other tools: the source
  column may be called ``zh``, ``zh-CN``, ``zh_CN``, ``zh-Hans``, ``Chinese``, ``Chinese_PRC``,
  ``Chinese (Simplified)``, ``term``; the target column ``en``, ``en-US``, ``en-GB``, ``English``,
  ``English_United_States``, ``translation`` (memoQ names its columns after languages);
  ``comment``/``notes``/``definition``/``usage`` for ``note``. Unknown columns are an error.
* ``csv`` — the same columns as comma-separated values (RFC 4180 quoting). Cells starting with
  ``=``, ``+``, ``-`` or ``@`` are written with a leading ``'`` so a spreadsheet never runs them as
  formulas; the reader removes it again.
* Header-less TSV/CSV: ``source, target[, comment]`` (OmegaT) or DeepL's glossary CSV
  ``source, target, source_lang, target_lang`` (the language columns are checked and dropped).
* ``omegat`` — OmegaT's glossary TSV (``.txt``/``.utf8``/``.tab``): ``source<TAB>target<TAB>comment``,
  no header, ``#`` comment lines. Written with one row per source form; alternatives and forbidden
  renderings are only summarised in the comment (the format has no place for them).
* ``tbx`` — TBX-Basic (see :mod:`workbench.terms.tbx`).

Every reader raises :class:`WorkbenchError` ``FILE:LINE: what is wrong`` for a bad row.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from workbench.atomic import write_bytes_atomic
from workbench.errors import InputError, WorkbenchError
from workbench.guard import Replace
from workbench.terms.model import Entry, TermBase
from workbench.terms.tsv_kinds import GLOSSARY_COLUMNS, TsvKind, header_kind, wrong_kind

FORMATS = ("tsv", "csv", "tbx", "omegat")
COLUMNS = ("source", "target", *GLOSSARY_COLUMNS)
MULTI = ("variants", "alternatives", "forbidden")
SEP = "|"

_ALIASES = {
    "source": (
        "source",
        "src",
        "term",
        "source_term",
        "zh",
        "zh-cn",
        "zh_cn",
        "zh-hans",
        "chinese",
        "chinese_prc",
        "chinese (simplified)",
        "chinese_simplified",
    ),
    "target": (
        "target",
        "tgt",
        "translation",
        "target_term",
        "en",
        "en-us",
        "en_us",
        "en-gb",
        "en_gb",
        "english",
        "english_united_states",
        "english_united_kingdom",
    ),
    "variants": ("variants", "source_variants"),
    "alternatives": ("alternatives", "allowed", "alternative"),
    "forbidden": ("forbidden", "deprecated", "do_not_use"),
    "note": ("note", "notes", "comment", "comments", "definition", "usage"),
    "case_sensitive": ("case_sensitive", "case-sensitive", "casesensitive", "matchcase", "match_case"),
    "priority": ("priority",),
}
_ALIAS_TO_COL = {alias: col for col, aliases in _ALIASES.items() for alias in aliases}
_LANG_RE = re.compile(r"^[a-z]{2,3}([-_][a-z0-9]{2,8})*$", re.IGNORECASE)
_LINE_END = re.compile(r"\r\n?|\n")
# Line breaks other than CR/LF inside a cell (OCR and word-processor leftovers): a space, as in sources.
_CELL_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
_FORMULA_START = ("=", "+", "-", "@")
_TRUE = ("yes", "true", "1", "y", "x")
_FALSE = ("no", "false", "0", "n", "")

# The first bytes of a zip package (.xlsx, .ods) and of an OLE2 compound file (.xls).
_SPREADSHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")

EXTENSIONS = {
    ".tsv": "tsv",
    ".csv": "csv",
    ".tbx": "tbx",
    ".xml": "tbx",
    ".txt": "omegat",
    ".utf8": "omegat",
    ".tab": "omegat",
}


def detect_format(path: Path, data: bytes | None = None) -> str:
    """Guess a term base file's format from its content, then its extension.

    XML content is TBX whatever the extension (a ``.tsv``/``.csv``/``.txt`` only when it really looks
    like XML: a header-less row may start with ``<``); ``.csv`` is CSV; ``.tsv`` and OmegaT's
    ``.txt``/``.utf8``/``.tab`` are tab-separated (a recognised header row makes any of them the
    extended format when read).
    """
    ext = path.suffix.lower()
    if data is not None:
        head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
        if head.startswith(b"<") and (EXTENSIONS.get(ext, "tbx") == "tbx" or _looks_like_xml(head)):
            return "tbx"
    if ext in EXTENSIONS:
        return EXTENSIONS[ext]
    if data is not None:
        first = data.decode("utf-8", "replace").lstrip("\ufeff").split("\n", 1)[0]
        return "tsv" if "\t" in first else "csv"
    return "tsv"


def _looks_like_xml(head: bytes) -> bool:
    """True when a tabular file's first bytes are XML, not a row whose first term starts with ``<``.

    An XML declaration, doctype, comment or a TBX root element is XML; a first line with a tab or a
    comma in it is a row of a header-less glossary.
    """
    if head[:5].lower() == b"<?xml" or head.startswith((b"<!", b"<martif", b"<tbx")):
        return True
    first = head.split(b"\n", 1)[0]
    return b"\t" not in first and b"," not in first


def _bool(value: str, where: str) -> bool:
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise WorkbenchError(f"{where}: case_sensitive must be yes or no, not {value!r}")


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(SEP) if v.strip())


def _header_map(cells: Sequence[str], where: str) -> list[str] | None:
    """Column names for a header row, or None when ``cells`` is not a header."""
    names = [c.strip().lstrip("\ufeff").lower() for c in cells]
    if header_kind(cells) is TsvKind.ALIGNED:
        raise wrong_kind(where, TsvKind.ALIGNED, TsvKind.GLOSSARY)
    if len(names) < 2 or names[0] not in _ALIAS_TO_COL or names[1] not in _ALIAS_TO_COL:
        return None
    cols: list[str] = []
    for raw, name in zip(cells, names, strict=True):
        col = _ALIAS_TO_COL.get(name)
        if col is None:
            if not name:
                col = ""
            else:
                raise WorkbenchError(f"{where}: unknown column {raw.strip()!r} (known: {', '.join(COLUMNS)})")
        if col and col in cols:
            raise WorkbenchError(f"{where}: column {col!r} given twice")
        cols.append(col)
    for req in ("source", "target"):
        if req not in cols:
            raise WorkbenchError(f"{where}: header has no {req!r} column")
    return cols


def _rows_from_cells(rows: Iterable[tuple[int, list[str]]], name: str, omegat: bool) -> list[Entry]:
    """Turn ``(line, cells)`` rows into entries; the first row may be a header."""
    entries: list[Entry] = []
    cols: list[str] | None = None
    first = True
    for line, cells in rows:
        where = f"{name}:{line}"
        cells = [_CELL_BREAKS.sub(" ", c) for c in cells]
        if first:
            first = False
            cols = None if omegat else _header_map(cells, where)
            if cols is not None:
                continue
        if cols is not None:
            if len(cells) > len(cols) and any(c.strip() for c in cells[len(cols) :]):
                raise WorkbenchError(f"{where}: {len(cells)} columns but the header has {len(cols)}")
            values = {col: (cells[i] if i < len(cells) else "") for i, col in enumerate(cols) if col}
        else:
            values = _headerless(cells, where, omegat)
        entries.append(_entry(values, where))
    return entries


def _headerless(cells: list[str], where: str, omegat: bool) -> dict[str, str]:
    n = len(cells)
    if n < 2:
        raise WorkbenchError(
            f"{where}: expected source and target separated by a "
            f"{'tab' if omegat or n == 1 else 'separator'}, got one column"
        )
    if n == 4 and not omegat and _LANG_RE.match(cells[2].strip()) and _LANG_RE.match(cells[3].strip()):
        src_lang, tgt_lang = cells[2].strip().lower(), cells[3].strip().lower()
        if not src_lang.startswith("zh") or not tgt_lang.startswith("en"):
            raise WorkbenchError(
                f"{where}: languages {cells[2]!r} -> {cells[3]!r}; this workbench is zh -> en"
            )
        return {"source": cells[0], "target": cells[1]}
    if n > 3 and any(c.strip() for c in cells[3:]):
        raise WorkbenchError(
            f"{where}: {n} columns; expected source, target[, comment] (add a header row to use more fields)"
        )
    return {"source": cells[0], "target": cells[1], "note": cells[2] if n > 2 else ""}


def _entry(values: dict[str, str], where: str) -> Entry:
    source = values.get("source", "").strip()
    target = values.get("target", "").strip()
    if not source:
        raise WorkbenchError(f"{where}: empty source term")
    if not target:
        raise WorkbenchError(f"{where}: empty target for {source!r}")
    prio_raw = values.get("priority", "").strip()
    try:
        priority = int(prio_raw) if prio_raw else 0
    except ValueError:
        raise WorkbenchError(f"{where}: priority must be an integer, not {prio_raw!r}") from None
    try:
        return Entry(
            source=source,
            target=target,
            variants=_split(values.get("variants", "")),
            alternatives=_split(values.get("alternatives", "")),
            forbidden=_split(values.get("forbidden", "")),
            note=values.get("note", ""),
            case_sensitive=_bool(values.get("case_sensitive", ""), where),
            priority=priority,
            location=where,
        )
    except ValueError as exc:
        raise WorkbenchError(f"{where}: {exc}") from None


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 (byte {exc.start}); save the glossary as UTF-8") from None


def read_tabbed(text: str, name: str, omegat: bool = False) -> list[Entry]:
    """Read TSV text (OmegaT rules: no quoting, ``#`` comment lines and blank lines skipped).

    Rows end at LF, CRLF or CR only, as OmegaT reads lines: ``str.splitlines`` would also cut at
    ``\\v``, ``\\f``, the information separators, NEL and the Unicode line/paragraph separators,
    splitting one row in two and shifting every line number after it.
    """
    rows = []
    for i, raw in enumerate(_LINE_END.split(text), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        rows.append((i, raw.split("\t")))
    return _rows_from_cells(rows, name, omegat)


def read_csv(text: str, name: str) -> list[Entry]:
    """Read CSV text (RFC 4180 quoting; blank rows skipped; no comment rows, as in DeepL and memoQ)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    try:
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            if not any(c.strip() for c in cells):
                continue
            rows.append((line, [_unguard(c) for c in cells]))
    except csv.Error as exc:
        raise WorkbenchError(f"{name}:{reader.line_num}: bad CSV: {exc}") from None
    return _rows_from_cells(rows, name, omegat=False)


def _guard(cell: str) -> str:
    """Neutralise a CSV cell a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``): prefix ``'``."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _unguard(cell: str) -> str:
    """Undo :func:`_guard` when reading CSV back."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_START) else cell


def read_entries(path: Path, fmt: str | None = None) -> list[Entry]:
    """Read the entries of one term base file.

    Args:
        path: The file.
        fmt: One of :data:`FORMATS`; detected from content and extension when None.

    Raises:
        InputError: The file is missing, unreadable, not a regular file or over the size limit.
        WorkbenchError: ``FILE:LINE: what is wrong`` for a bad row.
    """
    from workbench.safe_read import read_input_bytes

    name = str(path)
    if not os.path.lexists(path):
        raise InputError(f"{name}: no such glossary file")
    data = read_input_bytes(path, name)
    return parse_entries(data, name, fmt or detect_format(path, data))


def parse_entries(data: bytes, name: str, fmt: str) -> list[Entry]:
    """Parse the bytes of one term base file of format ``fmt`` (``name`` is used in messages).

    Raises:
        InputError: A spreadsheet (``.xlsx``, ``.xls``, ``.ods``) or other zip/OLE2 file.
        WorkbenchError: ``NAME:LINE: what is wrong`` for a bad row; an unknown format.
    """
    if fmt != "tbx" and data.startswith(_SPREADSHEET_MAGIC):
        raise InputError(
            f"{name}: looks like a spreadsheet (.xlsx/.xls/.ods), which is not read; "
            "save it as CSV or TSV (UTF-8) or TBX"
        )
    if fmt == "tbx":
        from workbench.terms.tbx import read_tbx

        return read_tbx(data, name)
    text = _decode(data, name)
    if fmt == "csv":
        return read_csv(text, name)
    if fmt in ("tsv", "omegat"):
        # An OmegaT file is header-less by definition, but a recognised header row in a .txt means
        # the extended format was saved under OmegaT's extension.
        return read_tabbed(text, name, omegat=False)
    raise WorkbenchError(f"unknown glossary format {fmt!r} (known: {', '.join(FORMATS)})")


def load_termbase(
    paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str], strict: bool = True
) -> TermBase:
    """Load and merge term base files (``--glossary`` may be repeated).

    Args:
        paths: One path or several, in priority of reading (earlier files are read first).
        strict: Raise on conflicts (the same source with different approved renderings); when
            False they are left in ``TermBase.conflicts`` and the first entry is kept.

    Returns:
        The merged term base.

    Raises:
        WorkbenchError: ``FILE:LINE: ...`` for a bad row or a conflict (naming both locations).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    tb = TermBase(sources=[Path(p).name for p in paths])
    for p in paths:
        for entry in read_entries(Path(p)):
            tb.add(entry)
    if strict:
        tb.check()
    return tb


def _cell(value: str, name: str, multi: bool = False) -> str:
    if "\t" in value or "\n" in value or "\r" in value:
        value = " ".join(value.split())
    if multi and SEP in value:
        raise WorkbenchError(f"cannot write {value!r}: '{SEP}' separates values in {name}")
    return value


def _check_tabbed_source(e: Entry, fmt: str) -> None:
    for src in e.sources:
        if src.startswith("#"):
            raise WorkbenchError(
                f"cannot write {src!r} as {fmt}: a line starting with '#' is a comment there; use csv or tbx"
            )


def _ext_rows(entries: Iterable[Entry], fmt: str) -> list[list[str]]:
    rows = [list(COLUMNS)]
    for e in entries:
        if fmt == "tsv":
            _check_tabbed_source(e, fmt)
        rows.append(
            [
                _cell(e.source, fmt, True),
                _cell(e.target, fmt, True),
                SEP.join(_cell(v, fmt, True) for v in e.variants),
                SEP.join(_cell(v, fmt, True) for v in e.alternatives),
                SEP.join(_cell(v, fmt, True) for v in e.forbidden),
                _cell(e.note, fmt),
                "yes" if e.case_sensitive else "no",
                str(e.priority),
            ]
        )
    return rows


def omegat_comment(e: Entry) -> str:
    """The OmegaT comment column for ``e``: note, then alternatives and forbidden renderings."""
    parts = [e.note] if e.note else []
    if e.alternatives:
        parts.append("also: " + "; ".join(e.alternatives))
    if e.forbidden:
        parts.append("avoid: " + "; ".join(e.forbidden))
    return " | ".join(parts)


def dumps(tb: TermBase | Iterable[Entry], fmt: str, title: str = "workbench term base") -> bytes:
    """Serialise entries in ``fmt`` (one of :data:`FORMATS`)."""
    entries = list(tb)
    if fmt == "tbx":
        from workbench.terms.tbx import tbx_bytes

        return tbx_bytes(entries, title)
    if fmt == "tsv":
        return "".join("\t".join(r) + "\n" for r in _ext_rows(entries, fmt)).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO(newline="")
        csv.writer(buf, lineterminator="\n").writerows(
            [_guard(c) for c in row] for row in _ext_rows(entries, fmt)
        )
        return buf.getvalue().encode("utf-8")
    if fmt == "omegat":
        lines = [
            f"# {title}: OmegaT glossary (source<TAB>target<TAB>comment), generated by "
            "`workbench glossary convert`; edit the master file instead.\n"
        ]
        for e in entries:
            _check_tabbed_source(e, fmt)
            comment = _cell(omegat_comment(e), fmt)
            for src in e.sources:
                lines.append(f"{_cell(src, fmt)}\t{_cell(e.target, fmt)}\t{comment}\n")
        return "".join(lines).encode("utf-8")
    raise WorkbenchError(f"unknown glossary format {fmt!r} (known: {', '.join(FORMATS)})")


def format_for_path(path: Path) -> str:
    """The output format implied by ``path``'s extension (``.tsv``, ``.csv``, ``.tbx``, ``.txt``...)."""
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise WorkbenchError(
            f"{path}: cannot tell the format from the extension; use --to ({', '.join(FORMATS)})"
        )
    return fmt


def save_termbase(
    tb: TermBase | Iterable[Entry],
    path: str | os.PathLike[str],
    fmt: str | None = None,
    *,
    replace: Replace = Replace.OURS,
) -> Path:
    """Write a term base atomically (temp file + ``os.replace``), through the output guard.

    Args:
        tb: The term base (or entries) to write.
        path: Destination file.
        fmt: ``tsv``, ``csv``, ``tbx`` or ``omegat``; from the extension when None.
        replace: :class:`workbench.guard.Replace`: ``EDIT`` for the user's own glossary edited on purpose.

    Returns:
        The path written.
    """
    path = Path(path)
    fmt = fmt or format_for_path(path)
    data = dumps(tb, fmt, title=path.stem)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(path, data, replace=replace)
    return path


def load_termbase_data(files: Sequence[tuple[str, bytes]], strict: bool = True) -> TermBase:
    """Like :func:`load_termbase`, from ``(name, content)`` pairs (glossaries kept inside a project)."""
    tb = TermBase(sources=[Path(name).name for name, _ in files])
    for name, data in files:
        for entry in parse_entries(data, name, detect_format(Path(name), data)):
            tb.add(entry)
    if strict:
        tb.check()
    return tb
