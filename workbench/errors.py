"""Errors that reach the user as one line and a non-zero exit code."""

from __future__ import annotations


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
