"""The translator's undo: the changes a person made to the project in this session, undone and redone in
reverse order. No Textual import: domain glue tested like the core.

Steps are what the translator did: a final translation edited during one visit of a segment (however many
keystrokes), an approval (with the translation-memory unit it added), a merge or split, a glossary file
changed (a term added, edited or deleted, a name accepted), a proposed name rejected. Machine drafts are
never steps: undo does not take a draft away, and a draft that arrives meanwhile survives the undo of an
edit of the same segment. A new change clears what could be redone.
"""

from __future__ import annotations

from collections.abc import Sequence
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
class ApprovalStep(SegmentStep):
    """An approval: the segment's change plus the unit it put in the translation memories (the project's
    own, the user's). Undo takes the unit out of each memory it was new in (unless another approved
    segment of the document holds the same pair); redo puts it back.

    ``pair`` is ``(source, target, origin)`` of the unit; ``added`` the memories it was new in.
    """

    label: str = "approval"
    pair: tuple[str, str, str] = ("", "", "")
    added: list[Any] = field(default_factory=list)

    def file(self, memories: Sequence[Any]) -> ApprovalStep:
        """Add the unit to ``memories`` (None entries skipped); remember those it was new in."""
        source, target, origin = self.pair
        self.added = [tm for tm in memories if tm is not None and tm.add(source, target, origin=origin)]
        return self

    def undo(self, session: Any) -> Where:
        where = super().undo(session)
        source, target, _origin = self.pair
        held = any(
            s.status == Status.APPROVED and s.source == source and s.final == target
            for s in session.record.segments()
        )
        if not held:
            for tm in self.added:
                tm.remove(source, target)
        return where

    def redo(self, session: Any) -> Where:
        where = super().redo(session)
        self.file(self.added)
        return where


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


@dataclass
class RejectNameStep:
    """A proposed name rejected: remembered in the project so it is not proposed again; undo forgets that."""

    source: str
    label: str = "rejected name"

    def undo(self, session: Any) -> Where:
        session.project.unreject_name(self.source)
        return None

    def redo(self, session: Any) -> Where:
        session.project.reject_name(self.source)
        return None


@dataclass
class StepGroup:
    """Steps made by one action (a name accepted with its source edited: the term added and the proposal
    rejected), undone in reverse order and redone in order, as one."""

    steps: list[Step]
    label: str

    def undo(self, session: Any) -> Where:
        wheres = [step.undo(session) for step in reversed(self.steps)]
        return wheres[-1]

    def redo(self, session: Any) -> Where:
        wheres = [step.redo(session) for step in self.steps]
        return wheres[-1]


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

    def join(self, step: Step, label: str) -> Step:
        """Record a change made by the same action as the newest step: both become one step."""
        if not self.done:
            return self.push(step)
        return self.push(StepGroup([self.done.pop(), step], label))

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
