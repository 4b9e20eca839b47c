"""Reading the user's input files safely: regular files only, of bounded size, never a hang; and the
one segment-length cap every command that reads text applies (:data:`MAX_SEGMENT_CHARS`).

Every reader of user files (texts, glossaries, TMX, XLIFF, Word, PDF, one-segment-per-line files) goes
through :func:`read_input_bytes` or :func:`check_input_file`, so a FIFO without a writer never hangs,
``/dev/zero`` never fills the memory, and an oversized file gets one line naming the limit and how to
raise it (``$WORKBENCH_MAX_INPUT_MB``).
"""

from __future__ import annotations

import errno
import math
import os

from workbench.atomic import special_kind
from workbench.errors import InputError, WorkbenchError
from workbench.guard import protect

#: Inputs larger than this many MiB are refused with a clear message rather than exhausting memory;
#: the environment variable ``MAX_INPUT_ENV`` overrides it.
DEFAULT_MAX_INPUT_MB = 512
MAX_INPUT_ENV = "WORKBENCH_MAX_INPUT_MB"
MIB = 1024 * 1024

#: The segment-length cap shared by every command that reads text: no real sentence comes near it
#: (the seed page's longest is 240 characters), so only a runaway line or a hostile file meets it.
#: Its consumers, each bounded in time and memory by it and each saying on standard error what it cut:
#:
#: * the segmenter (``text.segments``) cuts a longer segment at clause punctuation, else at spaces,
#:   else between characters, and the MT drafts what the segmenter made (its own cut is in tokens,
#:   ``mt.batching.MAX_SOURCE_TOKENS``, for segments that come whole from a TMX, XLIFF or project);
#: * ``qa`` leaves a unit out of its checks when its source or target is longer;
#: * ``names`` reads a longer paragraph in pieces cut the same way (offsets and paragraph numbers
#:   stay those of the document);
#: * ``evaluate`` skips TER when a line is longer (BLEU and chrF are linear and see every line);
#: * ``align`` cuts a longer English sentence the same way before aligning.
MAX_SEGMENT_CHARS = 2000

#: The cap on a translation (an English target) of one capped segment: English runs to about three
#: characters per Chinese character (3.04 on FLORES-200 devtest), so a paragraph-length unit of a TMX
#: whose source is under the cap is still checked.
MAX_TARGET_CHARS = 4 * MAX_SEGMENT_CHARS


def over_cap(source: str, target: str | None) -> tuple[str, int] | None:
    """The side of a pair past its cap and its length (``("source", n)`` or ``("target", n)``), or None.

    A source is capped at :data:`MAX_SEGMENT_CHARS`, a target at :data:`MAX_TARGET_CHARS`.
    """
    if len(source) > MAX_SEGMENT_CHARS:
        return ("source", len(source))
    if target is not None and len(target) > MAX_TARGET_CHARS:
        return ("target", len(target))
    return None


def cap_note(what: str, length: int, action: str, *, cap: int = MAX_SEGMENT_CHARS) -> str:
    """One line for standard error about text past the segment cap.

    Args:
        what: Which text (``"x.tsv:3: the target"``).
        length: Its length in characters.
        action: What was done about it (``"not checked"``).
        cap: The cap it is past (:data:`MAX_TARGET_CHARS` for a target).
    """
    return f"{what} has {length:,} characters, over the {cap:,}-character segment cap: {action}"


def max_input_bytes() -> int:
    """The largest input file read, in bytes: ``$WORKBENCH_MAX_INPUT_MB`` MiB (default 512).

    Raises:
        WorkbenchError: The variable is set but is not a positive number.
    """
    raw = os.environ.get(MAX_INPUT_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_INPUT_MB * MIB
    try:
        mib = float(raw)
    except ValueError:
        mib = float("nan")
    if not math.isfinite(mib) or mib <= 0:
        raise WorkbenchError(f"{MAX_INPUT_ENV} must be a positive number of MiB, not {raw!r}")
    return max(1, int(mib * MIB))


def _mib(n: int) -> str:
    if n < MIB:
        return f"{n} bytes"
    return f"{n / MIB:.1f}".removesuffix(".0") + " MiB"


def _open_error(exc: OSError, name: str) -> InputError:
    if isinstance(exc, FileNotFoundError):
        return InputError(f"{name}: no such file")
    if isinstance(exc, PermissionError):
        return InputError(f"{name}: permission denied")
    if isinstance(exc, NotADirectoryError):
        return InputError(f"{name}: no such file (a part of the path is not a folder)")
    if exc.errno == errno.ENXIO:  # a socket cannot be opened like a file
        return InputError(f"{name}: is a socket, not a regular file")
    return InputError(f"{name}: cannot read ({exc.strerror or exc})")


def _check_kind_and_size(st: os.stat_result, name: str, limit: int) -> None:
    kind = special_kind(st.st_mode)
    if kind is not None:
        raise InputError(f"{name}: is {kind}, not a regular file")
    if st.st_size > limit:
        raise InputError(
            f"{name}: too large ({_mib(st.st_size)}; the limit is {_mib(limit)}, set {MAX_INPUT_ENV} to raise it)"
        )


def check_input_file(path: str | os.PathLike[str], name: str | None = None) -> int:
    """Refuse an input that is not a regular file or is over the size limit, before reading it.

    For readers that hand the path to a parser of their own (TMX, XLIFF, DOCX, PDF);
    :func:`read_input_bytes` makes the same checks on the file it opens.

    Args:
        path: The file (symbolic links are followed).
        name: How to call it in messages (default: the path as given).

    Returns:
        The file's size in bytes.

    Raises:
        InputError: Missing, a directory, a FIFO, device, socket or other special file, or over the limit.
    """
    name = str(path) if name is None else name
    try:
        st = os.stat(path)
    except OSError as exc:
        raise _open_error(exc, name) from None
    _check_kind_and_size(st, name, max_input_bytes())
    protect(path, "an input of this run")
    return st.st_size


def read_input_bytes(path: str | os.PathLike[str], name: str | None = None) -> bytes:
    """Read an input file completely, refusing what is not a regular file or is over the size limit.

    Every reader of user files (text, glossaries, documents) goes through here or through
    :func:`check_input_file`, so a FIFO without a writer never hangs, ``/dev/zero`` never fills the
    memory, and an oversized file gets one line naming the limit and how to raise it
    (``$WORKBENCH_MAX_INPUT_MB``).

    Args:
        path: The file (symbolic links are followed).
        name: How to call it in messages (default: the path as given).

    Returns:
        The file's bytes.

    Raises:
        InputError: Missing, a directory, a FIFO, device, socket or other special file, unreadable,
            over the limit, or too large for the memory left.
    """
    name = str(path) if name is None else name
    limit = max_input_bytes()
    try:
        # O_NONBLOCK: opening a FIFO that has no writer returns at once instead of waiting forever.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _open_error(exc, name) from None
    size = 0
    try:
        st = os.fstat(fd)
        size = st.st_size
        _check_kind_and_size(st, name, limit)
        os.set_blocking(fd, True)
        chunks = []
        left = limit + 1  # a file growing while it is read is still bounded
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 24))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
    except MemoryError:
        raise InputError(f"{name}: not enough memory to read {_mib(size)}") from None
    except OSError as exc:
        raise _open_error(exc, name) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise InputError(f"{name}: grew past the limit of {_mib(limit)} while being read")
    protect(path, "an input of this run")
    return data
