"""The Textual application and the one factory the CLI and the tests share: :func:`create_app`."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import App
from textual.binding import Binding, BindingType

from workbench.errors import Cancelled, WorkbenchError
from workbench.store.project import Project
from workbench.tui.messages import DictionaryReady, EngineFailed, EngineReady
from workbench.tui.palette import ActionsProvider
from workbench.tui.session import Session

if TYPE_CHECKING:  # loaded lazily, in threads
    from workbench.mt.engine import Engine
    from workbench.tui.dictionary import Dictionary
    from workbench.tui.editor_host import WorkbenchHost


def alt_digits_as_keys() -> None:
    """Let alt+1…9 reach the app as ``alt+N`` keys from terminals that send ESC + digit for them.

    xterm, VTE terminals and tmux send alt+1 as ESC ``1``; Textual 8.2.8 turns that sequence into the
    character macOS types for Option+1 (``¡``, for WezTerm), so an ``alt+1`` binding never fires there.
    Without the table entry the parser reports ESC + digit as ``alt+N``, as it does for ESC + letter.
    """
    from textual import _ansi_sequences

    # Typed as a read-only Mapping; at runtime it is the dict the parser reads.
    table = cast("dict[str, object]", _ansi_sequences.ANSI_SEQUENCES_KEYS)
    for digit in "123456789":
        table.pop(f"\x1b{digit}", None)


class WorkbenchApp(App[None]):
    """zh→en post-editing workbench."""

    CSS_PATH = "app.tcss"
    TITLE = "workbench"
    COMMANDS = App.COMMANDS | {ActionsProvider}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("ctrl+p", "command_palette", "Commands", id="app.palette"),
    ]

    def __init__(
        self,
        session: Session | None = None,
        *,
        model: str | None = None,
        engine: str | Engine = "auto",
        beam: int = 4,
        preload: bool = True,
        glossary: Sequence[Path] = (),
        tm: Path | None = None,
        recent: list[str] | None = None,
    ) -> None:
        super().__init__()
        alt_digits_as_keys()  # the editor inserts glossary renderings with alt+1…9
        self.session = session
        self.model = model
        self.beam = beam
        self.glossary = [Path(g) for g in glossary]
        self.tm = tm
        self.recent = recent or []
        self.preload = preload
        self.dictionary: Dictionary | None = None
        self._dictionary_started = False
        self._engine_ready = threading.Event()
        self._engine_lock = threading.Lock()
        self._engine_started = False
        self.engine_error: str | None = None
        if isinstance(engine, str):
            from workbench.mt.registry import resolve_engine

            self.engine_name = resolve_engine(engine)  # "auto" shows as the backend it picks
            self.engine: Engine | None = None
        else:
            self.engine_name = engine.name
            self.engine = engine
            self._engine_ready.set()

    # ----- start-up ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        from workbench.tui.editor import EditorScreen
        from workbench.tui.screens import OpenScreen

        if self.session is not None:
            self.push_screen(EditorScreen(self.session))
        else:
            self.push_screen(OpenScreen(self.recent))
        if self.preload:
            # Let the first frame reach the terminal before torch's import competes for the GIL.
            self.call_after_refresh(self.start_engine)

    def open_path(self, path: Path) -> None:
        """Open a source file or project from the open screen (raises WorkbenchError)."""
        from workbench.tui.editor import EditorScreen
        from workbench.tui.recent import remember

        session = Session.open(path, glossary=self.glossary, tm=self.tm)
        remember(session.path)
        self.session = session
        self.switch_screen(EditorScreen(session))

    # ----- engine --------------------------------------------------------------------------------

    @property
    def engine_state(self) -> str:
        """A few words for the status bar."""
        if self.engine is not None:
            return f"MT: {self.engine_name} ready"
        if self.engine_error:
            return "[red]MT unavailable[/]"
        if self._engine_started:
            return "MT: loading…"
        return "MT: not loaded"

    def start_engine(self) -> None:
        """Load the MT engine in a worker thread (idempotent)."""
        with self._engine_lock:
            if self._engine_started or self._engine_ready.is_set():
                return
            self._engine_started = True
        self.engine_error = None
        # A daemon thread rather than a Textual worker: loading cannot be interrupted, and asyncio
        # would wait for an executor thread at exit, so quitting during the load would hang for seconds.
        threading.Thread(target=self.load_engine, name="workbench-engine-load", daemon=True).start()
        self._refresh_status()

    def load_engine(self) -> None:
        """Import torch/transformers and load the model (runs in a thread; posts EngineReady/EngineFailed)."""
        t0 = time.monotonic()
        try:
            from workbench.jobs.engines import EngineOptions, load

            engine = load(
                EngineOptions(self.engine_name, self.model or os.environ.get("WORKBENCH_MODEL") or None)
            )
        except WorkbenchError as exc:
            self.post_message(EngineFailed(str(exc)))
        except Exception as exc:
            self.post_message(EngineFailed(f"{type(exc).__name__}: {exc}"))
        else:
            self.post_message(EngineReady(engine, time.monotonic() - t0))

    def on_engine_ready(self, message: EngineReady) -> None:
        self.engine = message.engine
        self._engine_ready.set()
        self._refresh_status()

    def on_engine_failed(self, message: EngineFailed) -> None:
        self.engine_error = message.error
        self._engine_started = False
        self._engine_ready.set()  # wake a waiting drafting worker; it reports the error
        self._refresh_status()
        self.notify(f"Machine translation unavailable: {message.error}", severity="error", timeout=20)

    def wait_engine(self, cancel: threading.Event) -> Engine:
        """Block a worker thread until the engine is loaded (starting the load if needed).

        Raises:
            Cancelled: when ``cancel`` is set while waiting.
            WorkbenchError: when the engine failed to load.
        """
        if self.engine is None and not self._engine_started:
            self._engine_ready.clear()
            self.call_from_thread(self.start_engine)
        while not self._engine_ready.wait(0.1):
            if cancel.is_set():
                raise Cancelled()
        if self.engine is None:
            raise WorkbenchError(self.engine_error or "the MT engine did not load")
        return self.engine

    def _refresh_status(self) -> None:
        from workbench.tui.editor import EditorScreen

        for screen in self.screen_stack:
            if isinstance(screen, EditorScreen):
                screen.update_status()

    # ----- dictionary ----------------------------------------------------------------------------

    def start_dictionary(self) -> None:
        """Load CC-CEDICT in a daemon thread (once)."""
        if self.dictionary is None and not self._dictionary_started:
            self._dictionary_started = True
            threading.Thread(target=self.load_dictionary, name="workbench-cedict-load", daemon=True).start()

    def load_dictionary(self) -> None:
        """Build the CC-CEDICT index (runs in a thread; posts DictionaryReady)."""
        from workbench.tui.dictionary import Dictionary

        try:
            dictionary = Dictionary()
        except Exception as exc:  # a broken package must not take the editor down
            self.post_message(DictionaryReady(None, f"Dictionary unavailable: {exc}"))
            return
        self.post_message(DictionaryReady(dictionary))

    def on_dictionary_ready(self, message: DictionaryReady) -> None:
        if message.error:
            self.notify(message.error, severity="warning")
            return
        self.dictionary = message.dictionary
        from contextlib import suppress

        from textual.css.query import NoMatches

        from workbench.tui.editor import EditorScreen

        for screen in self.screen_stack:
            if isinstance(screen, EditorScreen):
                with suppress(NoMatches):  # the screen is being taken down (quitting)
                    screen.update_dictionary()

    # ----- quitting ------------------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Quit at once: every edit is already saved; a running draft is cancelled."""
        from workbench.tui.editor import EditorScreen

        for screen in self.screen_stack:
            if isinstance(screen, EditorScreen):
                screen.flush_edit()
                screen.cancel_drafting()
        self.exit()


if TYPE_CHECKING:

    def _is_the_editors_host(app: WorkbenchApp) -> WorkbenchHost:
        """The app is what the editor asks of it (checked by mypy only)."""
        return app


def create_app(
    path_or_project: str | os.PathLike[str] | Session | Project | None = None,
    *,
    model: str | None = None,
    engine: str | Engine = "auto",
    glossary: Sequence[str | os.PathLike[str]] = (),
    tm: str | os.PathLike[str] | None = None,
    beam: int = 4,
    preload: bool = True,
) -> WorkbenchApp:
    """Build the app for a source file, a ``.wbproj`` project, an open :class:`Session`, or nothing.

    Args:
        path_or_project: A source file or ``.wbproj`` path, an open ``Project`` or :class:`Session`;
            None shows recent projects and an open dialog.
        model: Model path or id for the MT engine (default: ``$WORKBENCH_MODEL``, then the engine's default).
        engine: ``"auto"``, ``"transformers"`` or ``"ctranslate2"``, or an already loaded engine object.
        glossary: Term-base files to check and enforce (the project's own glossary is always added).
        tm: A translation-memory file for fuzzy matches.
        beam: Beam size for drafting.
        preload: Start loading the MT engine as soon as the UI is up.

    Raises:
        WorkbenchError: the file cannot be read or the project cannot be opened.
    """
    from workbench.tui.recent import load_recent, remember

    glossary_paths = [Path(g) for g in glossary]
    tm_path = Path(tm) if tm is not None else None
    session: Session | None
    if isinstance(path_or_project, Session):
        session = path_or_project
    elif isinstance(path_or_project, Project):
        docs = path_or_project.documents()
        if not docs:
            raise WorkbenchError(f"{path_or_project.path}: the project holds no document")
        session = Session(path_or_project, docs[0].id, glossary=glossary_paths, tm=tm_path)
    elif path_or_project is None:
        session = None
    else:
        session = Session.open(Path(path_or_project), glossary=glossary_paths, tm=tm_path)
        remember(session.path)
    return WorkbenchApp(
        session,
        model=model,
        engine=engine,
        beam=beam,
        preload=preload,
        glossary=glossary_paths,
        tm=tm_path,
        recent=load_recent() if session is None else None,
    )
