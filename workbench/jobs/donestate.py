"""The done-state of a run without ``--project``: what is drafted and written, kept beside the outputs.

``OUT/.workbench-state/`` holds:

- ``done.jsonl``: one line per document whose outputs are written: its output name (relative to ``OUT``),
  the content hash of its input and the draft signature. A document with the same name, hash and signature,
  whose outputs are still there, is not drafted again.
- ``units/<key>.jsonl``: for a document being drafted, one line per finished unit (its segment indices and
  drafts), so a run killed in the middle of a large document resumes with its next unit. A segment whose
  drafting failed is kept with its error and drafted again by the next run (a line of those segments
  alone follows). The file is removed once the document's outputs are written with every segment drafted.
- ``lock``: held (``flock``) by the run writing here; a second run on the same folder is refused.

Every line is appended and flushed to disk before the run goes on; a line cut short by a kill is ignored
(its unit is drafted again), so the state survives ``kill -9`` at any moment. Both executors (local and
Ray) keep it the same way; the driver is the only writer.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from workbench.atomic import special_kind
from workbench.errors import WorkbenchError
from workbench.records import Draft
from workbench.terms.ledger import ledger_from_rows

#: The state folder inside the output folder.
STATE_DIR = ".workbench-state"


def content_hash(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file's bytes (read in blocks: memory stays bounded)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _draft_row(indices: Sequence[int], drafts: Sequence[Draft]) -> dict[str, Any]:
    return {
        "unit": list(indices),
        "drafts": [[d.text, d.score, d.n_tokens, list(d.unmet), d.error, _extras(d)] for d in drafts],
    }


def _extras(draft: Draft) -> dict[str, Any]:
    """What a resumed run needs besides the text: the term ledger, the forcing cost, why terms are unmet."""
    extras: dict[str, Any] = {}
    if draft.ledger:
        extras["ledger"] = [[line.source, str(line.how), line.reason] for line in draft.ledger]
    if draft.cost is not None:
        extras["cost"] = draft.cost
    if draft.reasons:
        extras["reasons"] = dict(draft.reasons)
    return extras


def _draft(cells: Sequence[Any]) -> Draft:
    """A draft of a journal line: ``[text, score, n_tokens, unmet, error, extras]`` (older lines stop after
    ``unmet`` or ``error``); ``extras`` holds the ledger, the forcing cost and the reasons of unmet terms."""
    text, score, n, unmet, *rest = cells
    error = rest[0] if rest else None
    extras = rest[1] if len(rest) > 1 and isinstance(rest[1], dict) else {}
    ledger = ledger_from_rows(extras.get("ledger", []))
    cost = extras.get("cost")
    return Draft(
        str(text),
        float(score),
        int(n),
        [str(u) for u in unmet],
        ledger=ledger,
        cost=float(cost) if cost is not None else None,
        error=str(error) if error else None,
        reasons={str(k): str(v) for k, v in extras.get("reasons", {}).items()},
    )


def _open_state(path: Path, append: bool = False) -> IO[str]:
    """Open a state file, refusing anything but a regular file: a link to ``/dev/full`` or ``/dev/zero``
    would be read forever, a FIFO would wait for a writer forever.

    Raises:
        FileNotFoundError: Reading a file that is not there.
        WorkbenchError: Not a regular file, or it cannot be opened.
    """
    flags = (os.O_RDWR | os.O_CREAT | os.O_APPEND) if append else os.O_RDONLY
    try:
        fd = os.open(path, flags | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0), 0o666)
    except FileNotFoundError:
        if not append:
            raise
        raise _write_error(path, FileNotFoundError(errno.ENOENT, "no such folder")) from None
    except OSError as exc:
        raise _write_error(path, exc) from None
    kind = special_kind(os.fstat(fd).st_mode)
    if kind is not None:
        os.close(fd)
        raise WorkbenchError(
            f"{path}: is {kind}, not a regular file; remove it (the run's state is kept there)"
        )
    os.set_blocking(fd, True)
    return os.fdopen(fd, "a+" if append else "r", encoding="utf-8")


def _read_lines(path: Path) -> Iterator[dict[str, Any]]:
    """The JSON objects of a state file; a damaged line (a kill in mid-write) is skipped."""
    try:
        fh = _open_state(path)
    except FileNotFoundError:
        return
    with fh:
        for line in fh:
            with contextlib.suppress(ValueError, RecursionError):
                row = json.loads(line)
                if isinstance(row, dict):
                    yield row


def _write_error(name: object, exc: OSError) -> WorkbenchError:
    return WorkbenchError(f"{name}: cannot keep the run's state there: {exc.strerror or exc}")


def _append(fh: IO[str], row: dict[str, Any]) -> None:
    try:
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    except OSError as exc:  # a full disk: one line, and the unit is drafted again next time
        raise _write_error(fh.name, exc) from None


def _open_append(path: Path) -> IO[str]:
    """Open for appending, first ending a line cut short by a kill (so the next line is whole)."""
    fh = _open_state(path, append=True)
    try:
        fh.seek(0, os.SEEK_END)
        if fh.tell() > 0:
            fh.seek(fh.tell() - 1)
            last = fh.read(1)
            fh.seek(0, os.SEEK_END)
            if last != "\n":
                fh.write("\n")
                fh.flush()
    except OSError as exc:
        raise _write_error(path, exc) from None
    return fh


def _close(fh: IO[str]) -> None:
    """Close a state file; what a full disk kept in its buffer is lost (its unit is drafted again)."""
    with contextlib.suppress(OSError):
        fh.close()


class DoneState:
    """The done-state of one output folder for one draft signature (see the module docstring).

    Args:
        out_dir: The output folder.
        signature: Text form of the drafts' signature.
        unit_size: Segments per unit (a unit journal is valid only for the same plan).
    """

    def __init__(self, out_dir: Path, signature: str, unit_size: int) -> None:
        self.dir = Path(out_dir) / STATE_DIR
        self.signature = signature
        self.unit_size = unit_size
        self._lock: IO[str] | None = None
        self._done: set[tuple[str, str]] = set()
        self._done_fh: IO[str] | None = None
        self._units_fh: dict[str, IO[str]] = {}

    def __enter__(self) -> DoneState:
        self.open()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def open(self) -> None:
        """Take the lock and read what is done.

        Raises:
            WorkbenchError: another run holds the folder, or it cannot be written.
        """
        try:
            (self.dir / "units").mkdir(parents=True, exist_ok=True)
            self._lock = _open_state(self.dir / "lock", append=True)
        except OSError as exc:
            raise WorkbenchError(
                f"{self.dir}: cannot keep the run's state there: {exc.strerror or exc}"
            ) from exc
        try:
            fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._lock.close()
            self._lock = None
            raise WorkbenchError(
                f"{self.dir.parent}: another translate run is writing there; wait for it or choose another --out"
            ) from None
        for row in _read_lines(self.dir / "done.jsonl"):
            if row.get("signature") == self.signature:
                self._done.add((str(row.get("output")), str(row.get("hash"))))
        self._done_fh = _open_append(self.dir / "done.jsonl")

    def close(self) -> None:
        """Flush and release everything (the lock last)."""
        for fh in self._units_fh.values():
            _close(fh)
        self._units_fh.clear()
        if self._done_fh is not None:
            _close(self._done_fh)
            self._done_fh = None
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def is_done(self, output: str, digest: str) -> bool:
        """True when this output was written from this content with this signature."""
        return (output, digest) in self._done

    def _units_path(self, output: str, digest: str) -> Path:
        key = "\0".join((output, digest, self.signature, str(self.unit_size)))
        return self.dir / "units" / (hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + ".jsonl")

    def drafted_units(self, output: str, digest: str) -> dict[tuple[int, ...], list[Draft]]:
        """The units of this document already drafted (by a run that was stopped or killed), the last line of
        each unit winning; failed segments are there with ``Draft.error`` set."""
        found: dict[tuple[int, ...], list[Draft]] = {}
        for row in _read_lines(self._units_path(output, digest)):
            with contextlib.suppress(KeyError, TypeError, ValueError):
                unit = tuple(int(i) for i in row["unit"])
                drafts = [_draft(cells) for cells in row["drafts"]]
                if len(drafts) == len(unit):
                    found[unit] = drafts
        return found

    def record_unit(self, output: str, digest: str, indices: Sequence[int], drafts: Sequence[Draft]) -> None:
        """Keep one drafted unit (on disk before this returns)."""
        fh = self._units_fh.get(output)
        if fh is None:
            fh = self._units_fh[output] = _open_append(self._units_path(output, digest))
        _append(fh, _draft_row(indices, drafts))

    def record_document(self, output: str, digest: str, segments: int) -> None:
        """Mark a document done (its outputs are written) and drop its unit journal."""
        if self._done_fh is None:
            raise RuntimeError("the done-state is not open")
        _append(
            self._done_fh,
            {"output": output, "hash": digest, "signature": self.signature, "segments": segments},
        )
        self._done.add((output, digest))
        fh = self._units_fh.pop(output, None)
        if fh is not None:
            _close(fh)
        with contextlib.suppress(FileNotFoundError):
            self._units_path(output, digest).unlink()
