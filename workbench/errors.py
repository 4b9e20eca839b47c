"""Errors that reach the user as one line and a non-zero exit code."""

from __future__ import annotations

import unicodedata

#: What every error line starts with.
ERROR_PREFIX = "workbench: error: "


class WorkbenchError(Exception):
    """A problem the user can fix; printed as ``workbench: error: <message>``.

    Args:
        message: One line saying what is wrong and, where possible, what to do.
        exit_code: Process exit status (2 for bad input or usage, 1 for failed checks).
    """

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class InputError(WorkbenchError):
    """Unreadable, missing or undecodable input file."""


class Cancelled(Exception):
    """Raised by long-running work when its ``threading.Event`` is set."""


def one_line(message: str) -> str:
    """``message`` with control characters and line or paragraph separators written as escapes, so an
    error that quotes the user's input (an option value, a file name) stays one line on the terminal."""
    return "".join(
        c.encode("unicode_escape").decode("ascii") if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c
        for c in message
    )


def error_line(message: str) -> str:
    """The line the user sees for an error: ``workbench: error: <message>``, kept to one line."""
    return one_line(ERROR_PREFIX + message)


def exception_line(exc: BaseException, where: str = "") -> str:
    """An exception as one line of an error message: a :class:`WorkbenchError`'s own message, else
    ``<where><type>: <first line of its text>`` (at most 300 characters of it), for a library's failure."""
    if isinstance(exc, WorkbenchError):
        return one_line(str(exc))
    text = (str(exc).strip().splitlines() or [""])[0][:300]
    return one_line(f"{where}{type(exc).__name__}: {text}")
