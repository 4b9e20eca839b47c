"""Opening workbench SQLite files safely: identity and damage checks, schema migrations, error mapping.

Both the project file and the translation memory go through :func:`open_database`, so a truncated,
corrupted, foreign, newer or read-only file is refused with one clear line *before* anything is written
to it, and every write runs in :func:`write_transaction`, which turns SQLite failures (full disk, lock
timeouts, read-only media) into :class:`~workbench.errors.WorkbenchError`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from workbench.atomic import special_kind
from workbench.errors import WorkbenchError, one_line
from workbench.guard import protect, sqlite_held

SQLITE_HEADER = b"SQLite format 3\x00"
#: Seconds a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT_S = 30.0

Migration = Callable[[sqlite3.Connection], None]


@dataclass(frozen=True)
class FileKind:
    """What kind of workbench file is being opened.

    Attributes:
        label: Human name used in messages ("project", "translation memory").
        application_id: Value stored in ``PRAGMA application_id`` to recognise our files.
        version: The newest schema version this code knows.
        migrations: ``{n: fn}``; ``fn`` upgrades a schema at version ``n - 1`` to ``n`` (1 creates it).
    """

    label: str
    application_id: int
    version: int
    migrations: Mapping[int, Migration]


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The rowid of the row an ``INSERT`` on ``cursor`` just made."""
    if cursor.lastrowid is None:  # pragma: no cover - only after a statement that inserted nothing
        raise RuntimeError("no row was inserted")
    return cursor.lastrowid


def _is_sqlite_full(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code == getattr(sqlite3, "SQLITE_FULL", 13) or "disk is full" in str(exc)


def _disk_nearly_full(path: Path | str) -> bool:
    """True when the file system holding ``path`` has (almost) no room left."""
    try:
        vfs = os.statvfs(Path(path).resolve().parent)
    except OSError:
        return False
    return vfs.f_bavail * vfs.f_frsize < 256 * 1024


def translate_error(exc: sqlite3.Error, path: Path | str, label: str) -> WorkbenchError:
    """Map a SQLite exception to a one-line :class:`WorkbenchError`."""
    msg = one_line(str(exc))
    # Growing the WAL index (-shm) on a full disk surfaces as a generic I/O error.
    if _is_sqlite_full(exc) or ("disk I/O error" in msg and _disk_nearly_full(path)):
        return WorkbenchError(
            f"{path}: disk full while saving the {label}; the last change was not saved and the file is "
            "unchanged. Free some space and run the command again"
        )
    if "locked" in msg or "busy" in msg:
        return WorkbenchError(
            f"{path}: the {label} stayed locked by another program for {BUSY_TIMEOUT_S:.0f} s; "
            "close it there or try again"
        )
    if "readonly" in msg or "read-only" in msg:
        return WorkbenchError(f"{path}: the {label} is read-only; make it writable or work on a copy")
    if "malformed" in msg or "not a database" in msg or "corrupt" in msg:
        return WorkbenchError(f"{path}: the {label} file is damaged ({msg}); restore it from a backup")
    if "unable to open" in msg:
        return WorkbenchError(f"{path}: cannot open the {label} ({msg})")
    return WorkbenchError(f"{path}: {label} error: {msg}")


def _read_only_reason(path: Path) -> str | None:
    """Why ``path`` (existing) cannot be written, or None. Honours mode bits even for root."""
    st = path.stat()
    if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        return "the file is read-only"
    folder = path.parent
    if not os.access(folder, os.W_OK) or not folder.stat().st_mode & stat.S_IWUSR:
        return f"its folder {folder} is not writable (SQLite needs to create journal files there)"
    try:
        vfs = os.statvfs(path)
    except OSError:
        return None
    if vfs.f_flag & os.ST_RDONLY:
        return "it is on a read-only file system"
    return None


def _check_header(path: Path, label: str) -> None:
    """Refuse files that are not SQLite or whose size contradicts their header (truncated), and anything
    that is not a regular file (a FIFO, a socket, a device) before opening it."""
    st = path.stat()
    kind = special_kind(st.st_mode)
    if kind is not None:
        raise WorkbenchError(f"{path}: is {kind}, not a workbench {label}")
    size = st.st_size
    if sqlite_held(path):
        return  # open in this process already (checked then); reading it raw would drop SQLite's locks
    with path.open("rb") as fh:
        head = fh.read(100)
    if size == 0:
        raise WorkbenchError(f"{path}: not a workbench {label} (an empty file)")
    if not head.startswith(SQLITE_HEADER):
        raise WorkbenchError(f"{path}: not a workbench {label} (not an SQLite database)")
    if len(head) < 100:
        raise WorkbenchError(
            f"{path}: the {label} file is damaged (truncated header); restore it from a backup"
        )
    page_size = int.from_bytes(head[16:18], "big")
    if page_size == 1:
        page_size = 65536
    if page_size < 512 or page_size & (page_size - 1):
        raise WorkbenchError(f"{path}: the {label} file is damaged (bad page size); restore it from a backup")
    wal = Path(f"{path}-wal")
    if wal.is_file() and wal.stat().st_size:
        # A kill during a checkpoint leaves the file shorter than its header says while every page is
        # still in the -wal: SQLite recovers it from there, and the integrity check judges the result.
        return
    n_pages = int.from_bytes(head[28:32], "big")
    change_counter = int.from_bytes(head[24:28], "big")
    valid_for = int.from_bytes(head[92:96], "big")
    if size % page_size or (n_pages and valid_for == change_counter and n_pages * page_size > size):
        raise WorkbenchError(
            f"{path}: the {label} file is damaged (truncated: {size} bytes, expected "
            f"{max(n_pages * page_size, size)}); restore it from a backup"
        )


#: What SQLite answers when a WAL database cannot get its -shm index: the folder (or medium) is read-only.
_NO_SHM = (
    "SQLITE_READONLY_DIRECTORY",
    "SQLITE_READONLY_CANTINIT",
    "SQLITE_CANTOPEN",
    "SQLITE_READONLY_CANTLOCK",
)


def _inspection_connection(path: Path, label: str) -> sqlite3.Connection:
    """A connection to check a file that creates nothing beside it.

    Without a ``-wal`` file no other connection has the database open, so the file alone is complete
    and is read as immutable (no -wal/-shm files are made, even for a damaged or foreign file).
    """
    if not Path(f"{path}-wal").exists():
        return _connect(_uri(path, "ro") + "&immutable=1")
    return _connect_read_only(path, label)


def _connect_read_only(path: Path, label: str) -> sqlite3.Connection:
    """A read-only connection that has read the header; works in folders and on media one cannot write.

    A database in WAL mode needs its ``-shm`` index, which SQLite creates beside the file. Where that is
    impossible (a folder the user cannot write, read-only media) and no ``-wal`` file holds changes, the
    file alone is complete and is read as immutable. A ``-wal`` file that cannot be used is refused
    rather than silently ignored (its changes would be missing).

    Raises:
        sqlite3.Error: Other failures (damage, locks), for :func:`translate_error`.
        WorkbenchError: A ``-wal`` file holds changes that cannot be read here.
    """
    conn = _connect(_uri(path, "ro"))
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA application_id").fetchone()
        return conn
    except sqlite3.Error as exc:
        conn.close()
        if getattr(exc, "sqlite_errorname", "") not in _NO_SHM and "unable to open" not in str(exc):
            raise
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise WorkbenchError(
            f"{path}: its latest changes are in {wal.name}, which cannot be read without write access to "
            f"{path.parent}; copy the {label} together with {wal.name} to a folder you can write"
        )
    conn = _connect(_uri(path, "ro") + "&immutable=1")
    conn.execute("PRAGMA application_id").fetchone()
    return conn


def remove_unused_wal(path: Path) -> None:
    """Remove the empty ``-wal``/``-shm`` files a read-only connection had to create beside ``path``.

    A ``mode=ro`` connection cannot delete them when it closes. A read-write connection opened and closed
    here can: SQLite removes them only when it is the last connection, so a program still using the
    file keeps them. Nothing is done where the folder cannot be written or the ``-wal`` holds changes.
    """
    wal = Path(f"{path}-wal")
    try:
        if not wal.exists() or wal.stat().st_size or _read_only_reason(path) is not None:
            return
        conn = _connect(_uri(path, "rw"))
    except (OSError, sqlite3.Error):
        return
    with contextlib.suppress(sqlite3.Error):
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA application_id").fetchone()
    with contextlib.suppress(sqlite3.Error):
        conn.close()


def _connect(uri: str) -> sqlite3.Connection:
    conn = sqlite3.connect(
        uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )
    conn.row_factory = sqlite3.Row
    return conn


def _uri(path: Path, mode: str) -> str:
    from urllib.parse import quote

    return f"file:{quote(str(path.resolve()))}?mode={mode}"


def protect_database(path: Path, what: str) -> None:
    """Register a project or TM file, and the files SQLite keeps beside it, with the output guard."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        protect(f"{path}{suffix}", what if not suffix else f"{what}'s {suffix[1:]} file")


def open_database(
    path: Path | str, kind: FileKind, *, create: bool = False, readonly: bool = False
) -> sqlite3.Connection:
    """Open (and, if asked, create) a workbench SQLite file, checking it before writing anything.

    Args:
        path: The file.
        kind: What the file must be (label, application id, schema version, migrations).
        create: Create the file when it does not exist.
        readonly: Open for reading only (works on read-only files and media).

    Returns:
        An autocommit connection (``isolation_level=None``) with foreign keys on, WAL mode and a busy timeout.

    Raises:
        WorkbenchError: missing, foreign, damaged, newer-schema or read-only (for writing) files, full disk.
    """
    path = Path(path)
    label = kind.label
    exists = path.exists()
    if exists and path.is_dir():
        raise WorkbenchError(f"{path}: is a folder, not a workbench {label}")
    if not exists:
        if not create or readonly:
            raise WorkbenchError(f"{path}: no such {label}")
        if not path.parent.is_dir():
            raise WorkbenchError(f"{path}: folder {path.parent} does not exist")
        return _create(path, kind)

    _check_header(path, label)
    if not readonly:
        reason = _read_only_reason(path)
        if reason:
            raise WorkbenchError(f"{path}: cannot open the {label} for writing: {reason}")
    conn = None
    try:
        # Inspect read-only first so a damaged or foreign file is never modified (nor gets -wal/-shm files).
        conn = _inspection_connection(path, label)
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        blank = app_id == 0 and version == 0
        if (
            create
            and blank
            and not readonly
            and not conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
        ):
            conn.close()
            return _create(path, kind, replace=True)  # a blank SQLite file holds nothing to lose
        if app_id != kind.application_id:
            raise WorkbenchError(f"{path}: not a workbench {label} (an SQLite file of another program)")
        if version < 1:
            raise WorkbenchError(
                f"{path}: the {label} file is damaged (schema version {version}, which no workbench writes); "
                "restore it from a backup"
            )
        if version > kind.version:
            raise WorkbenchError(
                f"{path}: this {label} was written by a newer workbench (schema {version}, this version "
                f"reads up to {kind.version}); upgrade workbench"
            )
        problems = [r[0] for r in conn.execute("PRAGMA quick_check(3)")]
        if problems != ["ok"]:
            lines = [x.strip() for p in problems for x in p.splitlines() if x.strip() and "***" not in x]
            raise WorkbenchError(
                f"{path}: the {label} file is damaged ({one_line('; '.join(lines))[:160]}); restore it from a backup"
            )
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        raise translate_error(exc, path, label) from exc
    except WorkbenchError:
        if conn is not None:
            conn.close()
        raise
    if readonly:
        return _for_reading(conn, path, kind, version)
    conn.close()
    try:
        conn = _connect(_uri(path, "rw"))
        _configure(conn)
        if version < kind.version:
            _migrate(conn, kind, version)
        # Commits a crashed program left in the -wal go into the file itself now, not at the next write
        # (a failure, such as a full disk, loses nothing: they stay in the -wal).
        with contextlib.suppress(sqlite3.Error):
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    except sqlite3.Error as exc:
        raise translate_error(exc, path, label) from exc
    return conn


def _for_reading(
    inspection: sqlite3.Connection, path: Path, kind: FileKind, version: int
) -> sqlite3.Connection:
    """The connection ``open_database(readonly=True)`` returns, once ``inspection`` has checked the file."""
    if version < kind.version:
        # An older schema, opened for reading: upgrade a copy in memory, never the file.
        memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        memory.row_factory = sqlite3.Row
        try:
            inspection.backup(memory)
            memory.execute("PRAGMA journal_mode = MEMORY")
            _migrate(memory, kind, version)
        except sqlite3.Error as exc:
            raise translate_error(exc, path, kind.label) from exc
        finally:
            inspection.close()
        return memory
    inspection.close()
    try:
        # mode=ro: SQLite itself refuses writes to the file (temp tables still work).
        return _connect_read_only(path, kind.label)
    except sqlite3.Error as exc:
        raise translate_error(exc, path, kind.label) from exc


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    # NORMAL in WAL mode: a committed transaction survives a process kill; only a power cut may lose
    # the last commits, never corrupt the file.
    conn.execute("PRAGMA synchronous = NORMAL")


def _migrate(conn: sqlite3.Connection, kind: FileKind, current: int) -> None:
    for target in range(current + 1, kind.version + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read under the write lock: another process may have migrated meanwhile.
            now = conn.execute("PRAGMA user_version").fetchone()[0]
            if now >= target:
                conn.execute("ROLLBACK")
                continue
            kind.migrations[target](conn)
            conn.execute(f"PRAGMA user_version = {target}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _create(path: Path, kind: FileKind, *, replace: bool = False) -> sqlite3.Connection:
    """Create the file complete or not at all: the schema is written to a temporary file beside it,
    which is then linked into place (so a killed creation never leaves an empty or half-made file).

    Args:
        path: The file to create.
        kind: Its kind (application id, schema).
        replace: Replace an existing file at ``path`` (a blank SQLite file found there holds nothing).
    """
    tmp: Path | None = None
    conn = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a project gets the usual permissions
        conn = _connect(_uri(tmp, "rwc"))
        conn.execute(f"PRAGMA application_id = {kind.application_id}")
        _configure(conn)
        _migrate(conn, kind, 0)
        conn.close()  # the last connection: the WAL is checkpointed into the file and removed
        conn = None
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # never replaces a file another process created meanwhile
            except FileExistsError:
                pass  # it did: open that one
            except OSError:  # no hard links on this file system
                if not path.exists():
                    os.replace(tmp, path)
    except (sqlite3.Error, OSError) as exc:
        if conn is not None:
            conn.close()
        if isinstance(exc, sqlite3.Error):
            raise translate_error(exc, path, kind.label) from exc
        raise WorkbenchError(f"{path}: cannot create the {kind.label}: {exc.strerror or exc}") from exc
    finally:
        if tmp is not None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(OSError):
                    os.unlink(f"{tmp}{suffix}")
    return open_database(path, kind)
