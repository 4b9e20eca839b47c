"""Argument types every command shares, so a bad option value is refused at parse time.

Each function is an argparse ``type=``: it returns the converted value or raises
``argparse.ArgumentTypeError``, which argparse prints as one ``error: argument --x: ...`` line with
exit status 2, before any file is read or any model loaded.
"""

from __future__ import annotations

import argparse
import math

from workbench.mt.threads import usable_cores

#: Highest fuzzy-match score.
MAX_SCORE = 100.0


def _int(value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {value!r}") from None


def positive_int(value: str) -> int:
    """A whole number of at least 1 (``--batch-size``, ``--batch-tokens``, ``--beam``)."""
    n = _int(value)
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value!r}")
    return n


#: The widest beam accepted: wider beams cost memory and time and do not translate better.
MAX_BEAM = 32


def beam_size(value: str) -> int:
    """A beam size from 1 (greedy) to :data:`MAX_BEAM`."""
    n = positive_int(value)
    if n > MAX_BEAM:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_BEAM}, not {value!r}")
    return n


def non_negative_int(value: str) -> int:
    """A whole number of at least 0 (``--max-violations``)."""
    n = _int(value)
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value!r}")
    return n


def thread_count(value: str) -> int:
    """Compute threads: at least 1, capped at the usable cores (more only slows everything down)."""
    n = _int(value)
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value!r} (leave it out for the default)")
    return min(n, usable_cores())


def score(value: str) -> float:
    """A finite match score from 0 to 100 (``--min-score``)."""
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 100, not {value!r}") from None
    if not math.isfinite(x) or not 0.0 <= x <= MAX_SCORE:
        raise argparse.ArgumentTypeError(f"must be a number from 0 to 100, not {value!r}")
    return x


def fraction(value: str) -> float:
    """A finite number from 0 to 1 (``--names-min-confidence``)."""
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, not {value!r}") from None
    if not math.isfinite(x) or not 0.0 <= x <= 1.0:
        raise argparse.ArgumentTypeError(f"must be a number from 0 to 1, not {value!r}")
    return x


def text_encoding(value: str) -> str:
    """A codec that decodes a text file (``--encoding``): not rot13, base64, hex, zlib ..."""
    from workbench.errors import InputError
    from workbench.text.decode import text_codec

    try:
        text_codec(value)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def source_text(value: str) -> str:
    """Text given on the command line; bytes that are not valid in the locale's encoding are refused.

    Python turns such bytes into lone surrogates, which SQLite and the tokenizer cannot take.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise argparse.ArgumentTypeError(
            "contains bytes that are not valid text in this terminal's encoding (use UTF-8)"
        ) from None
    return value


def add_force(parser: argparse.ArgumentParser, what: str = "the output") -> None:
    """Add ``--force``: replace an existing file that is not a workbench output (see docs/how-to/outputs.md)."""
    parser.add_argument(
        "--force",
        action="store_true",
        help=f"replace {what} even when an existing file there is not a workbench output "
        "(the project, its sources, glossaries, the TM and the run's inputs are never replaced)",
    )
