"""Files with one segment per line (hypotheses, references, sources), read as sacrebleu reads them.

UTF-8, split at LF only, trailing whitespace (``\\r`` included) removed from each line, no line made
of the final newline; a ``.gz`` file is decompressed. So scores computed on what
:func:`read_lines` returns equal sacrebleu's own on the same file.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

from workbench.errors import InputError


def read_input(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """The bytes of an input file (the first ``limit`` of them), a ``.gz`` one decompressed.

    Raises:
        InputError: Missing, a directory, unreadable or damaged (one line naming the file).
    """
    p = Path(path)
    try:
        if limit is not None:
            with p.open("rb") as fh:
                return fh.read(limit)
        data = p.read_bytes()
        return gzip.decompress(data) if p.suffix == ".gz" else data
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{p}: is a directory, not a text file") from None
    except (OSError, EOFError) as exc:
        raise InputError(f"{p}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None


def read_lines(path: str | os.PathLike[str]) -> list[str]:
    """The lines of a one-segment-per-line file (module docstring).

    Raises:
        InputError: Missing, unreadable, not UTF-8 or empty file.
    """
    p = Path(path)
    data = read_input(p)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{p}: not UTF-8 (byte offset {exc.start})") from None
    if not text:
        raise InputError(f"{p}: file is empty")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line.rstrip() for line in lines]
