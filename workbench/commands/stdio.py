"""One error path for every write to standard output: a full disk (``> /dev/full``), a closed stream
(``>&-``), a broken pipe or an I/O error ends the command with one line and exit status 2.

:func:`guarded_stdout` wraps the command: writes and the final flush that fail raise
:class:`StdoutError` (a :class:`~workbench.errors.WorkbenchError`), and what is left in the buffer is
sent to ``/dev/null`` so the interpreter's own flush at exit adds no second message.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterator
from typing import Any

from workbench.errors import WorkbenchError


class StdoutError(WorkbenchError):
    """Standard output could not be written."""


def _reason(exc: OSError) -> str:
    if exc.errno == errno.EPIPE:
        return "the program reading it closed the pipe"
    if exc.errno == errno.EBADF:
        return "it is closed"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "no space left on the device"
    return exc.strerror or str(exc)


class _Checked:
    """A text stream whose write errors become :class:`StdoutError`."""

    def __init__(self, stream: Any, name: str) -> None:
        self._stream = stream
        self._name = name

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text) if self._stream is not None else _closed()
        except OSError as exc:
            raise StdoutError(f"cannot write {self._name}: {_reason(exc)}") from None

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except OSError as exc:
            raise StdoutError(f"cannot write {self._name}: {_reason(exc)}") from None

    def __getattr__(self, name: str) -> Any:
        if self._stream is None:
            raise AttributeError(name)
        return getattr(self._stream, name)


def _closed() -> int:
    raise OSError(errno.EBADF, os.strerror(errno.EBADF))


def _reserve_standard_fds() -> None:
    """Put ``/dev/null`` on a closed descriptor 0, 1 or 2, so no file opened later (a project, an
    output) gets that number and receives what is meant for the terminal."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            with contextlib.suppress(OSError):
                os.open(os.devnull, os.O_RDWR)  # the lowest free number: this one


def _discard_pending(stream: Any) -> None:
    """Point the stream's descriptor at /dev/null so its buffer flushes nowhere at exit."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)


@contextlib.contextmanager
def guarded_stdout() -> Iterator[None]:
    """Run a command with checked standard output (see the module docstring)."""
    closed = sys.stdout is None
    _reserve_standard_fds()
    original = sys.stdout
    sys.stdout = _Checked(original, "standard output")
    try:
        yield
        sys.stdout.flush()
    except StdoutError:
        _discard_pending(original)
        raise
    finally:
        sys.stdout = original
        if closed:
            sys.stdout = None
