"""The translator's undo: the changes a person made to the project in this session, undone and redone in
reverse order. No Textual import: domain glue tested like the core.

Steps are what the translator did: a final translation edited during one visit of a segment (however many
keystrokes), an approval, a merge or split, a glossary file changed (a term added, edited or deleted, a
name accepted). Machine drafts are never steps: undo does not take a draft away, and a draft that arrives
meanwhile survives the undo of an edit of the same segment. A new change clears what could be redone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from workbench.atomic import write_bytes_atomic
from workbench.errors import WorkbenchError
from workbench.records import Status

#: Where a step took place: ``(paragraph, segment)`` list positions, or None.
Where = tuple[int, int] | None


class Step(Protocol):
    """One undoable change."""

    label: str

    def undo(self, session: Any) -> Where:
        """Put the project back as it was before the change."""
        ...

    def redo(self, session: Any) -> Where:
        """Make the change again."""
        ...


@dataclass(frozen=True)
class SegmentState:
    """What a person changes of a segment: the final text and the status."""

    final: str | None
    status: str
    origin: str | None = None


def state_of(seg: Any) -> SegmentState:
    """The :class:`SegmentState` of a segment record or row."""
    return SegmentState(seg.final, str(seg.status), str(seg.origin) if seg.origin else None)


@dataclass
class SegmentStep:
    """A segment's final text and status changed (an edit during one visit, an accepted draft, an approval)."""

    segment_id: int
    before: SegmentState
    after: SegmentState
    label: str = "edit"

    def _put(self, session: Any, state: SegmentState) -> Where:
        where = session.position(self.segment_id)
        if where is None:
            raise WorkbenchError(f"cannot undo the {self.label}: its segment was merged or split away")
        session.restore(*where, state)
        return where

    def undo(self, session: Any) -> Where:
        return self._put(session, self.before)

    def redo(self, session: Any) -> Where:
        return self._put(session, self.after)


@dataclass
class StructureStep:
    """Paragraph ``index`` merged with the next one (``merge``) or split in two (not ``merge``).

    ``whole`` is the one paragraph's text (after a merge, before a split), ``parts`` the two paragraphs'
    texts (before a merge, after a split), ``offset`` where ``whole`` is cut into them.
    """

    merge: bool
    index: int
    whole: str
    parts: tuple[str, str]
    offset: int
    label: str = field(default="")

    def __post_init__(self) -> None:
        self.label = self.label or ("merge" if self.merge else "split")

    def _join(self, session: Any) -> Where:
        paras = session.record.paragraphs
        if self.index + 1 >= len(paras) or (paras[self.index].text, paras[self.index + 1].text) != self.parts:
            raise WorkbenchError(
                f"¶ {self.index + 1} and ¶ {self.index + 2} changed since; merge them by hand (F8)"
            )
        session.merge(self.index)
        return self.index, 0

    def _cut(self, session: Any) -> Where:
        paras = session.record.paragraphs
        if self.index >= len(paras) or paras[self.index].text != self.whole:
            raise WorkbenchError(f"¶ {self.index + 1} changed since; split it by hand (F9)")
        session.split_at(self.index, self.offset)
        return self.index, 0

    def undo(self, session: Any) -> Where:
        return self._cut(session) if self.merge else self._join(session)

    def redo(self, session: Any) -> Where:
        return self._join(session) if self.merge else self._cut(session)


@dataclass
class FileStep:
    """A glossary file rewritten (a term added, edited or deleted, a name accepted): its bytes before
    and after (None: the file did not exist)."""

    path: Path
    before: bytes | None
    after: bytes | None
    label: str = "glossary change"

    def _put(self, session: Any, data: bytes | None) -> Where:
        if data is None:
            self.path.unlink(missing_ok=True)
        else:
            write_bytes_atomic(self.path, data)
        session.reload_glossary(record=True)
        return None

    def undo(self, session: Any) -> Where:
        return self._put(session, self.before)

    def redo(self, session: Any) -> Where:
        return self._put(session, self.after)


def read_file(path: Path) -> bytes | None:
    """A file's bytes, None when it does not exist (what :class:`FileStep` records)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


class UndoStack:
    """The translator's steps of this session: undo walks back, redo forward; a new step clears redo."""

    def __init__(self) -> None:
        self.done: list[Step] = []
        self.undone: list[Step] = []

    def push(self, step: Step) -> Step:
        """Record a change just made."""
        self.done.append(step)
        self.undone.clear()
        return step

    def undo(self, session: Any) -> tuple[Step, Where] | None:
        """Undo the newest step; None when there is nothing to undo.

        Raises:
            WorkbenchError: the step cannot be undone any more (it is dropped).
        """
        if not self.done:
            return None
        step = self.done.pop()
        where = step.undo(session)
        self.undone.append(step)
        return step, where

    def redo(self, session: Any) -> tuple[Step, Where] | None:
        """Redo the step undone last; None when there is nothing to redo.

        Raises:
            WorkbenchError: the step cannot be made again (it is dropped).
        """
        if not self.undone:
            return None
        step = self.undone.pop()
        where = step.redo(session)
        self.done.append(step)
        return step, where


def restored_status(state: SegmentState, has_draft: bool) -> Status:
    """The status to put back: a segment without a final is ``drafted`` when it has a draft now (one may
    have arrived since), else ``new``."""
    if state.final:
        return Status(state.status)
    return Status.DRAFTED if has_draft else Status.NEW
