"""Typed messages that background workers post to the UI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # the engine, the dictionary and the names are loaded lazily, in threads
    from workbench.mt.engine import Engine
    from workbench.records import Draft, Signature
    from workbench.terms.names import NameProposal
    from workbench.tui.dictionary import Dictionary
    from workbench.tui.qa_state import QAResult


class EngineReady(Message, bubble=False):
    """The MT engine finished loading in its worker."""

    def __init__(self, engine: Engine, seconds: float) -> None:
        super().__init__()
        self.engine = engine
        self.seconds = seconds


class EngineFailed(Message, bubble=False):
    """The MT engine could not be loaded; ``error`` is one line for the user."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class DraftProgress(Message, bubble=False):
    """Drafting progress; posted at most a few times a second."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class DraftDone(Message, bubble=False):
    """A drafting job ended; ``cancelled`` tells whether it was stopped early (shift+F5, quitting); ``failed``
    holds ``(segment id, reason)`` of the segments that could not be drafted (the others were)."""

    def __init__(
        self, done: int, total: int, cancelled: bool = False, failed: tuple[tuple[int, str], ...] = ()
    ) -> None:
        super().__init__()
        self.done = done
        self.total = total
        self.cancelled = cancelled
        self.failed = failed


class DraftFailed(Message, bubble=False):
    """A drafting job failed; ``error`` is one line for the user."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class DictionaryReady(Message, bubble=False):
    """CC-CEDICT finished loading in its thread (``dictionary`` None and ``error`` set if it failed)."""

    def __init__(self, dictionary: Dictionary | None, error: str = "") -> None:
        super().__init__()
        self.dictionary = dictionary
        self.error = error


class NamesProposed(Message, bubble=False):
    """The document's names were found in their thread (``proposals`` empty and ``error`` set if it failed).

    ``generation`` tells which request this answers, so a late answer to an older one is dropped.
    """

    def __init__(self, proposals: list[NameProposal], generation: int, error: str = "") -> None:
        super().__init__()
        self.proposals = proposals
        self.generation = generation
        self.error = error


class DocumentChecked(Message, bubble=False):
    """A whole-document QA pass ended in its thread (``result`` None and ``error`` set if it failed)."""

    def __init__(self, result: QAResult | None, error: str = "") -> None:
        super().__init__()
        self.result = result
        self.error = error


class DraftsArrived(Message, bubble=False):
    """A unit of drafts ``(segment id, Draft)`` to store; posted, so the engine goes on at once instead of
    waiting for the UI thread to store it (messages keep their order: every unit is stored before the
    run's :class:`DraftDone` is handled)."""

    def __init__(self, items: list[tuple[int, Draft]], signature: Signature) -> None:
        super().__init__()
        self.items = items
        self.signature = signature
