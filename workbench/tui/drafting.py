"""Drafting from the editor: a thread worker runs the one drafting loop (``workbench.jobs.drafting``) and
the UI thread stores each unit as it arrives, so the table fills in and typing never waits (nor does the
engine: each unit is posted to the UI thread, not handed over and waited for).

What is on screen is drafted first (``workbench.jobs.priority``): the ranks are refreshed whenever the
selection or the table's scroll position changes. Stopping is its own action, confirmed by a second press;
it lets the unit in progress finish, so nothing drafted is thrown away. Only quitting gives up a unit.

A merge or split while drafting re-cuts paragraphs: segments whose source changed are new ones (the old
ones are gone, and their drafts are not stored). When the run ends, it drafts the new segments that have
no draft yet (of every paragraph for "draft all", else of the paragraphs it drafted), until none is left.
"""

from __future__ import annotations

import threading
import time

from rich.text import Text
from textual import work
from textual.widgets import OptionList, ProgressBar, Static

from workbench.errors import Cancelled, WorkbenchError
from workbench.jobs.drafting import draft_signature, failure_summary, run_drafting
from workbench.jobs.priority import ScreenFirst, reading_order
from workbench.records import Draft, Signature
from workbench.tui.editor_host import EditorMixin
from workbench.tui.messages import DraftDone, DraftFailed, DraftProgress, DraftsArrived
from workbench.tui.widgets import FinalArea

#: Seconds between two progress messages from the drafting worker.
PROGRESS_INTERVAL = 0.2
#: Seconds between two looks at what the table shows, while drafting.
VIEW_INTERVAL = 0.3
#: Seconds within which a second press of the stop key confirms it.
CONFIRM_S = 8.0


#: The key that stops drafting (also in the key bar and the palette).
STOP_KEY = "shift+F5"


class EditorDrafting(EditorMixin):
    """The drafting worker and its messages (mixed into ``EditorScreen``)."""

    drafting: bool
    _loaded: tuple[int, str] | None
    _cancel: threading.Event
    _stop: threading.Event
    _order: ScreenFirst | None = None
    _jobs: list[tuple[int, str]]
    _view: tuple[int, int, int] | None = None
    _stop_asked: float = 0.0
    #: The segments that existed when the run started, and whether it drafts every paragraph.
    _known: frozenset[int] = frozenset()
    _everywhere: bool = False
    _carried: int = 0

    def _start_draft(self, targets: list[tuple[int, int]], what: str, carried: int = 0) -> None:
        """Draft ``targets`` (``what`` names them in the status line; ``carried``: segments the run
        drafted before it went on with these)."""
        if self.drafting:
            self.notify(f"Already drafting; {STOP_KEY} stops.", severity="warning")
            return
        if not targets:
            self.notify("Nothing to draft.")
            return
        self.flush_edit()
        jobs = [(self.session.segment_id(p, s), self.session.segment(p, s).source) for p, s in targets]
        self._cancel = threading.Event()
        self._stop = threading.Event()
        self._stop_asked = 0.0
        self.drafting = True
        self._jobs = jobs
        self._carried = carried
        self._known = frozenset(self.session.segment_id(p, s) for p, s in self.session.positions())
        self._everywhere = what == "all"
        self._order = ScreenFirst([len(source) for _, source in jobs])
        self._view = None
        self.follow_view()
        self._view_timer = self.set_interval(VIEW_INTERVAL, self.follow_view)
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=len(jobs), progress=0)
        bar.display = True
        self.update_status(f"drafting {what}… ({STOP_KEY} stops)")
        self.draft_worker(jobs, self._stop, self._cancel, self._order)

    def follow_view(self) -> None:
        """Rank what is still to draft by what the table shows now: the selected paragraph, the visible
        rows, then onward (cheap when nothing moved)."""
        from workbench.tui.widgets import ParagraphTable

        order = self._order
        if order is None or not self.drafting:
            return
        table = self.query_one(ParagraphTable)
        top = int(table.scroll_y)
        view = (self.par, top, len(self.session.record.paragraphs))
        if view == self._view:
            return
        self._view = view
        rows = table.positions[top : top + max(1, table.size.height - 1)]
        ranking = reading_order(self.par, rows, view[2])
        par_rank = {p: r for r, p in enumerate(ranking)}
        ranks = {}
        for i, (sid, _source) in enumerate(self._jobs):
            pos = self.session.position(sid)
            if pos is not None:
                ranks[i] = par_rank.get(pos[0], len(ranking)) * 10_000 + pos[1]
        order.set_ranks(ranks)

    @work(thread=True, exclusive=True, group="draft", exit_on_error=False)
    def draft_worker(
        self, jobs: list[tuple[int, str]], stop: threading.Event, cancel: threading.Event, order: ScreenFirst
    ) -> None:
        """Draft ``jobs`` ``(segment id, source)`` unit by unit; each unit is stored from the UI thread."""
        total = len(jobs)
        done = 0
        failed: list[tuple[int, str]] = []
        try:
            engine = self.wb.wait_engine(cancel)
            glossary = self.session.glossary
            signature = draft_signature(engine, self.wb.beam, glossary.digest)
            last = 0.0

            def progress(n: int, _total: int) -> None:
                nonlocal last
                now = time.monotonic()
                if n >= total or now - last >= PROGRESS_INTERVAL:
                    last = now
                    self.post_message(DraftProgress(n, total))

            def on_unit(indices: list[int], drafts: list[Draft]) -> None:
                nonlocal done
                items = [(jobs[i][0], d) for i, d in zip(indices, drafts, strict=True)]
                failed.extend((sid, d.error) for sid, d in items if d.error is not None)
                self.post_message(DraftsArrived(items, signature))  # the engine does not wait for the UI
                done += len(items)

            sources = [source for _, source in jobs]
            run_drafting(
                engine,
                sources,
                beam=self.wb.beam,
                constraints=[glossary.constraints(s) for s in sources] if glossary else None,
                unit_size=order.unit_size,
                on_unit=on_unit,
                stop=stop,
                cancel=cancel,
                progress=progress,
                priority=order,
            )
        except Cancelled:
            self.post_message(DraftDone(done, total, cancelled=True))
        except WorkbenchError as exc:
            self.post_message(DraftFailed(str(exc)))
        except Exception as exc:
            self.post_message(DraftFailed(f"{type(exc).__name__}: {exc}"))
        else:
            # The loop returns early (units not reached) when cancelled between units.
            self.post_message(
                DraftDone(done, total, cancelled=stop.is_set() and done < total, failed=tuple(failed))
            )

    def on_drafts_arrived(self, message: DraftsArrived) -> None:
        self._store_drafts(message.items, message.signature)

    def _store_drafts(self, items: list[tuple[int, Draft]], signature: Signature) -> None:
        self.flush_edit()
        self.session.store_drafts([(sid, d) for sid, d in items if d.error is None], signature)
        self.session.store_failures([(sid, d.error) for sid, d in items if d.error is not None])
        touched = set()
        for sid, _draft in items:
            pos = self.session.position(sid)
            if pos:
                touched.add(pos[0])
                if pos == (self.par, self.seg):
                    self._show_new_draft()
        for p in sorted(touched):
            self.refresh_row(p)
        self.schedule_qa()

    def _show_new_draft(self) -> None:
        """A draft arrived for the current segment: show it without disturbing the translator's text."""
        seg = self.current()
        self.query_one("#draft", Static).update(Text(seg.draft or ""))
        self.update_label()
        self.query_one("#segments", OptionList).replace_option_prompt_at_index(
            self.seg, self._segment_line(seg)
        )
        area = self.query_one(FinalArea)
        if not seg.final and not area.has_focus:  # nothing typed, nobody in the editor: it follows the draft
            text = seg.draft or ""
            self._loaded = (self.session.segment_id(self.par, self.seg), text)
            area.load_text(text)
            self.update_glossary(text)
            self.update_qa(text)

    def on_draft_progress(self, message: DraftProgress) -> None:
        self.query_one("#progress", ProgressBar).update(total=message.total, progress=message.done)

    def on_draft_done(self, message: DraftDone) -> None:
        self._end_draft()
        late = [] if message.cancelled or self._stop.is_set() else self._made_meanwhile()
        drafted = self._carried + message.total
        if message.cancelled:
            self.notify(f"Drafting stopped; {message.done} of {message.total} segments drafted and kept.")
        elif message.failed:
            where = [(self._segment_name(sid), reason) for sid, reason in message.failed]
            self.notify(failure_summary(message.total - len(where), where), severity="warning", timeout=20)
        elif not late:
            self.notify(f"Drafted {drafted} segments.")
        if late:  # the run goes on with what a merge or split made meanwhile
            what = "all" if self._everywhere else f"{len(late)} new segments"
            self._start_draft(late, what, carried=drafted)
            return
        self.load_segment()

    def _made_meanwhile(self) -> list[tuple[int, int]]:
        """Segments a merge or split made during the run that have no draft (and did not fail): of every
        paragraph for "draft all", else of the paragraphs the run drafted."""
        session = self.session
        paragraphs = {pos[0] for sid, _ in self._jobs if (pos := session.position(sid)) is not None}
        return [
            (p, s)
            for p, s in session.positions()
            if (self._everywhere or p in paragraphs)
            and (sid := session.segment_id(p, s)) not in self._known
            and sid not in session.failures
            and not session.segment(p, s).draft
        ]

    def _segment_name(self, segment_id: int) -> str:
        pos = self.session.position(segment_id)
        return f"paragraph {pos[0] + 1} segment {pos[1] + 1}" if pos else f"segment {segment_id}"

    def on_draft_failed(self, message: DraftFailed) -> None:
        self._end_draft()
        self.notify(f"Drafting failed: {message.error}", severity="error", timeout=15)

    def _end_draft(self) -> None:
        self.drafting = False
        self._note = ("", 0.0)
        self._order = None
        timer = getattr(self, "_view_timer", None)
        if timer is not None:
            timer.stop()
        self.query_one("#progress", ProgressBar).display = False
        self.update_status()

    def action_stop_drafting(self) -> None:
        """Stop drafting, after a second press to confirm; the unit in progress finishes and is kept."""
        if not self.drafting:
            self.notify("Not drafting.")
            return
        now = time.monotonic()
        if now - self._stop_asked > CONFIRM_S:
            self._stop_asked = now
            self.hold_status(
                f"[b]Stop drafting?[/] {STOP_KEY} again stops (everything drafted is kept)", CONFIRM_S
            )
            return
        self._stop_asked = 0.0
        self._stop.set()
        self.hold_status("stopping after the segments in progress…", CONFIRM_S)

    def cancel_drafting(self) -> None:
        """Give up drafting at once (quitting): the unit in progress is dropped; finished ones are kept."""
        self._cancel.set()
        stop = getattr(self, "_stop", None)
        if stop is not None:
            stop.set()
