"""Files with one segment per line (hypotheses, references, sources), read as sacrebleu reads them.

UTF-8, split at LF only, trailing whitespace (``\\r`` included) removed from each line, no line made
of the final newline; a ``.gz`` file is decompressed. So scores computed on what
:func:`read_lines` returns equal sacrebleu's own on the same file.
"""

from __future__ import annotations

import gzip
import io
import os
from pathlib import Path

from workbench.errors import InputError
from workbench.safe_read import MAX_INPUT_ENV, max_input_bytes, read_input_bytes


def read_input(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """The bytes of an input file (the first ``limit`` of them), a ``.gz`` one decompressed (within the
    input size limit, so a gzip bomb is refused).

    Raises:
        InputError: Missing, a directory or other special file, unreadable, too large or damaged.
    """
    p = Path(path)
    data = read_input_bytes(p)
    if p.suffix == ".gz":
        most = max_input_bytes()
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
                data = fh.read(most + 1)
        except (OSError, EOFError) as exc:
            raise InputError(f"{p}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
        if len(data) > most:
            raise InputError(
                f"{p}: decompresses to more than the input limit; set {MAX_INPUT_ENV} to raise it"
            )
    return data[:limit] if limit is not None else data


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
