"""Atomic file writes: a temporary file in the target's directory, fsync, then ``os.replace``.

A reader (or a crash) never sees a half-written export: either the old file or the new one is there.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from workbench.errors import WorkbenchError

BOM = "\ufeff"


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically.

    Args:
        path: Destination file; its directory must exist.
        data: The complete new content.

    Returns:
        The destination as a ``Path``.

    Raises:
        WorkbenchError: The directory is missing or not writable, or the disk is full.
    """
    dest = Path(path)
    directory = dest.parent if str(dest.parent) else Path(".")
    if not directory.is_dir():
        raise WorkbenchError(f"cannot write {dest}: directory {directory} does not exist")
    if dest.is_dir():
        raise WorkbenchError(f"cannot write {dest}: it is a directory")
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
        raise WorkbenchError(f"cannot write {dest}: {exc.strerror or exc}") from exc
    finally:
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return dest


def write_text_atomic(
    path: str | os.PathLike[str], text: str, encoding: str = "utf-8", bom: bool = False
) -> Path:
    """Write ``text`` to ``path`` atomically, newlines kept exactly as given.

    Args:
        path: Destination file; its directory must exist.
        text: The complete new content.
        encoding: Text encoding (``utf-8`` by default).
        bom: Prefix a byte order mark (OmegaT wants UTF-8 sources with one).

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
        raise WorkbenchError(f"cannot write {path}: text is not encodable as {encoding} ({exc.reason})") from exc
    except LookupError as exc:
        raise WorkbenchError(f"cannot write {path}: unknown encoding {encoding!r}") from exc
    return write_bytes_atomic(path, data)


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
