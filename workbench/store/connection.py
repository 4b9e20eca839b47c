"""One open workbench SQLite file shared by the threads of a program: transactions, checkpoints, backups.

Every write transaction is followed by a WAL checkpoint, so the database file alone holds every commit;
:meth:`Database.backup` gives a consistent copy at any moment, even while another process writes.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.guard import Replace, check_output, hold_sqlite, release_sqlite
from workbench.store.db import remove_unused_wal, translate_error
from workbench.store.rows import DamagedRow


class Database:
    """A connection plus a lock, so several threads of one program (a UI) can share it.

    Args:
        conn: An autocommit connection from :func:`open_database`.
        path: The file, for messages.
        label: "project" or "translation memory", for messages.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, label: str) -> None:
        self.conn = conn
        self.path = path
        self.label = label
        self.lock = threading.RLock()
        self._depth = 0
        self._held = hold_sqlite(path)

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``); nested uses join the outer one.

        Raises:
            WorkbenchError: full disk, lock timeout, read-only media; the transaction is rolled back.
        """
        with self.lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise translate_error(exc, self.path, self.label) from exc
            self._depth = 1
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                raise translate_error(exc, self.path, self.label) from exc
            except DamagedRow as exc:
                self._rollback()
                raise WorkbenchError(f"{self.path}: {exc}; restore the {self.label} from a backup") from None
            except BaseException:
                self._rollback()
                raise
            finally:
                self._depth = 0
            self.checkpoint()

    def checkpoint(self, mode: str = "PASSIVE") -> None:
        """Copy committed pages from the ``-wal`` file into the database file itself.

        Run after every write transaction so the file alone holds every commit (a copy of just the
        ``.wbproj``, a sync tool, an e-mail attachment). PASSIVE never waits: pages a reader of another
        process still needs stay in the WAL until the next checkpoint. A checkpoint that fails (full
        disk) loses nothing: the commit is in the WAL and the next one retries.
        """
        with self.lock, contextlib.suppress(sqlite3.Error):
            self.conn.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()

    def _rollback(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent read snapshot (one deferred transaction) unless inside a write."""
        with self.lock:
            if self._depth:
                yield self.conn
                return
            try:
                self.conn.execute("BEGIN")
                try:
                    yield self.conn
                finally:
                    with contextlib.suppress(sqlite3.Error):
                        self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise translate_error(exc, self.path, self.label) from exc
            except DamagedRow as exc:
                raise WorkbenchError(f"{self.path}: {exc}; restore the {self.label} from a backup") from None

    def backup(self, target: Path) -> None:
        """Write a consistent copy of the database to ``target`` (SQLite's online backup API).

        The copy is one complete file (no ``-wal``) taken from a single snapshot, so it is consistent
        even while another thread or process writes. It is written beside ``target`` and renamed into
        place, so a failed or interrupted backup never leaves a half-written file.

        Raises:
            WorkbenchError: ``target`` cannot be written (its folder, a full disk).
        """
        target = Path(target)
        # The caller decided whether an existing copy may be replaced; the project itself, its
        # sources and the run's inputs never are.
        check_output(target, replace=Replace.CONSENTED)
        tmp: Path | None = None
        try:
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".new", dir=target.parent)
            os.close(fd)
            tmp = Path(name)
            out = sqlite3.connect(str(tmp), isolation_level=None)
            try:
                with self.lock:
                    self.conn.backup(out)
                out.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            finally:
                out.close()
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, target)
            tmp = None
        except sqlite3.Error as exc:
            raise translate_error(exc, target, f"backup of the {self.label}") from exc
        except OSError as exc:
            raise WorkbenchError(f"{target}: cannot write the backup: {exc.strerror or exc}") from exc
        finally:
            if tmp is not None:
                for suffix in ("", "-journal"):
                    with contextlib.suppress(OSError):
                        os.unlink(f"{tmp}{suffix}")

    def close(self) -> None:
        """Checkpoint everything into the file and close it (SQLite removes the ``-wal`` file when this
        is the last connection)."""
        with self.lock, contextlib.suppress(sqlite3.Error):
            if not self.conn.in_transaction:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        with self.lock, contextlib.suppress(sqlite3.Error):
            self.conn.close()
        release_sqlite(self._held)
        self._held = None
        remove_unused_wal(self.path)
