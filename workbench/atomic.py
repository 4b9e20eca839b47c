"""Atomic file writes: a temporary file in the target's directory, fsync, then ``os.replace``.

A reader (or a crash) never sees a half-written export: either the old file or the new one is there.
Only regular files are written: a symbolic link is followed and its target is replaced (so the link
keeps pointing at the new content), and a FIFO, device, socket or other special file is refused,
never replaced by a regular file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.guard import Replace, check_output, signature

BOM = "\ufeff"


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes, *, replace: Replace = Replace.OURS) -> Path:
    """Write ``data`` to ``path`` atomically, through the output guard (:mod:`workbench.guard`).

    Args:
        path: Destination file; its directory must exist.
        data: The complete new content.
        replace: Which existing file may be replaced: by default only our own output of the same kind
            (or any with ``--force``), never a protected one (the project, an input of the run).

    Returns:
        The destination as a ``Path`` (as given, even when it is a link whose target was written).

    Raises:
        WorkbenchError: The directory is missing or not writable, the destination is a special file
            (FIFO, device, socket) or a directory, the disk is full, or the guard refuses the
            destination.
    """
    given = Path(path)
    dest = writable_target(given)
    if replace is not Replace.EDIT:
        sig = signature(data)
        check_output(given, dest, kinds={sig} if sig else set(), replace=replace)
    directory = dest.parent
    tmp_name = ""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if dest.exists():
            # Keep the permissions of the file being replaced (mkstemp creates 0600).
            with contextlib.suppress(OSError):
                os.chmod(tmp_name, dest.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp_name, 0o666 & ~umask)
        os.replace(tmp_name, dest)
        tmp_name = ""
        _fsync_dir(directory)
    except OSError as exc:
        raise WorkbenchError(f"cannot write {given}: {exc.strerror or exc}") from exc
    finally:
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return given


_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def special_kind(mode: int) -> str | None:
    """What a non-regular file is, in words (``"a FIFO (named pipe)"``), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    for test, words in _KINDS:
        if test(mode):
            return words
    return "a special file"


def writable_target(path: str | os.PathLike[str]) -> Path:
    """The regular file an atomic write of ``path`` replaces: symbolic links followed, specials refused.

    Args:
        path: The destination the user named (a file, a link to one, or a new name).

    Returns:
        The path to replace: ``path`` itself, or the final target of its chain of links (which may not
        exist yet: a dangling link is written through, creating its target).

    Raises:
        WorkbenchError: The destination (or the link's target) is a FIFO, device, socket, directory or
            other special file, its folder does not exist, or the links loop.
    """
    given = Path(path)
    dest = given
    if given.is_symlink():
        try:
            dest = Path(os.path.realpath(given, strict=False))
        except OSError as exc:  # a loop of links (Python 3.13+ raises; older ones return the path)
            raise WorkbenchError(f"cannot write {given}: {exc.strerror or exc}") from exc
        if dest.is_symlink():
            raise WorkbenchError(f"cannot write {given}: its symbolic links form a loop")
    directory = dest.parent if str(dest.parent) else Path(".")
    try:
        mode = dest.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise WorkbenchError(f"cannot write {given}: {exc.strerror or exc}") from exc
    if mode is not None:
        kind = special_kind(mode)
        if kind is not None:
            via = f" (the target of the link, {dest})" if dest != given else ""
            raise WorkbenchError(f"cannot write {given}: it is {kind}{via}, not a regular file")
    if not directory.is_dir():
        raise WorkbenchError(f"cannot write {given}: directory {directory} does not exist")
    return dest


def write_text_atomic(
    path: str | os.PathLike[str],
    text: str,
    encoding: str = "utf-8",
    bom: bool = False,
    *,
    replace: Replace = Replace.OURS,
) -> Path:
    """Write ``text`` to ``path`` atomically, newlines kept exactly as given.

    Args:
        path: Destination file; its directory must exist.
        text: The complete new content.
        encoding: Text encoding (``utf-8`` by default).
        bom: Prefix a byte order mark (OmegaT wants UTF-8 sources with one).
        replace: As for :func:`write_bytes_atomic`.

    Returns:
        The destination as a ``Path``.

    Raises:
        WorkbenchError: The text cannot be encoded, or the file cannot be written.
    """
    if bom and not text.startswith(BOM):
        text = BOM + text
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise WorkbenchError(
            f"cannot write {path}: text is not encodable as {encoding} ({exc.reason})"
        ) from exc
    except LookupError as exc:
        raise WorkbenchError(f"cannot write {path}: unknown encoding {encoding!r}") from exc
    return write_bytes_atomic(path, data, replace=replace)


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable (best effort: not every platform allows it)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
