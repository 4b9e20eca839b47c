"""PDF input with a text layer (pdfminer.six, MIT licensed).

The layout is read in a child process (``pdf_layout``) under a 2 GiB memory limit and a timeout
(20 s plus 2 s per MB, at most 10 minutes; ``WORKBENCH_PDF_TIMEOUT`` overrides it in seconds), so
a file that makes the parser loop or swell costs a bounded amount and ends in one error line.
An encrypted PDF is refused; a PDF without text (a scan) gets an error that says OCR comes
first. The page text, in reading order with its font hints, then goes through the same
paragraph reconstruction as any extracted text (``workbench.text.paragraphs``).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from workbench.errors import InputError, WorkbenchError
from workbench.safe_read import check_input_file
from workbench.text import document_from_lines
from workbench.text.model import Document, ParagraphKind

MAGIC = b"%PDF-"


#: The longest ``WORKBENCH_PDF_TIMEOUT`` taken: one day.
MAX_TIMEOUT_S = 86400.0


def _timeout(size: int) -> float:
    """Seconds the layout child may run: ``$WORKBENCH_PDF_TIMEOUT``, else 20 s plus 2 s per MB.

    Raises:
        WorkbenchError: The variable is set but is not a positive number of seconds up to one day.
    """
    override = os.environ.get("WORKBENCH_PDF_TIMEOUT", "").strip()
    if override:
        try:
            seconds = float(override)
        except ValueError:
            seconds = math.nan
        if not math.isfinite(seconds) or seconds <= 0 or seconds > MAX_TIMEOUT_S:
            raise WorkbenchError(
                f"WORKBENCH_PDF_TIMEOUT must be a number of seconds above 0 and at most {MAX_TIMEOUT_S:.0f}, "
                f"not {override!r}"
            )
        return max(1.0, seconds)
    return min(600.0, 20.0 + 2.0 * size / 1e6)


def extract_layout(path: str | Path) -> dict[str, Any]:
    """The child process's result for ``path``: lines, hints and page count.

    Raises:
        InputError: Missing, not a regular file, not a PDF, over ``$WORKBENCH_MAX_INPUT_MB``,
            encrypted, damaged, or the parser ran out of time or memory.
    """
    p = Path(path)
    name = str(path)
    size = check_input_file(p, name)  # regular files only, within $WORKBENCH_MAX_INPUT_MB
    try:
        with p.open("rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if MAGIC not in head:
        raise InputError(f"{name}: not a PDF file (no %PDF- header)")
    limit = _timeout(size)
    cmd = [sys.executable, "-m", "workbench.formats.pdf_layout", str(p.resolve()), str(os.getpid())]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=limit, check=False)
    except subprocess.TimeoutExpired:
        raise InputError(
            f"{name}: refused: reading the PDF took more than {limit:.0f} s (a damaged or looping file?)"
        ) from None
    try:
        result = json.loads(proc.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise InputError(f"{name}: cannot read this PDF ({tail[0][:200]})") from None
    if "error" in result:
        raise InputError(f"{name}: {result['error']}")
    layout: dict[str, Any] = result
    return layout


def read_pdf(path: str | Path, *, to_simplified: bool = False) -> Document:
    """Read the text layer of a PDF into a ``Document``.

    Raises:
        InputError: See ``extract_layout``; also a PDF with no text layer.
    """
    result = extract_layout(path)
    lines = result["lines"]
    if not any(line.strip() for line in lines):
        raise InputError(
            f"{path}: the PDF has no text layer ({result.get('pages', 0)} page(s) of images, a scan?); "
            "run OCR on it first (for example ocrmypdf) and open the result"
        )
    hints = {int(no): ParagraphKind(kind) for no, kind in result["hints"].items()}
    return document_from_lines(
        "\n".join(lines) + "\n",
        path=str(path),
        encoding="pdf",
        source_format="pdf",
        hints=hints,
        to_simplified=to_simplified,
    )
