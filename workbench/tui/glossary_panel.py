"""The editor's glossary panel: the current segment's glossary terms with ✓/✗ as you type and, from the term
ledger, how each got into the machine draft (``= natural``, ``~ nbest``, ``+ placed``, ``* searched``,
``! unmet``) with the draft's forcing cost; the document's proposed names (accept, reject, edit), and the
numbered renderings that alt+1…9 insert at the cursor.

The names are found once per editor screen in a daemon thread (CC-CEDICT is indexed the first time,
which takes seconds); the thread posts :class:`NamesProposed` and the panel fills in when it arrives.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual.widgets import Static

from workbench.errors import WorkbenchError
from workbench.records import TermNote
from workbench.terms.ledger import draft_notes, is_forced, marker
from workbench.terms.names import DEFAULT_MIN_CONFIDENCE, NameProposal
from workbench.tui.actions import reports_errors
from workbench.tui.editor_host import EditorMixin
from workbench.tui.messages import NamesProposed
from workbench.tui.names import (
    DocumentText,
    NameReview,
    SegmentName,
    accepted_note,
    document_text,
    find_names,
)
from workbench.tui.screens import AddTermScreen, ChoiceScreen
from workbench.tui.undo import RejectNameStep
from workbench.tui.widgets import VIOLATION_MARK, FinalArea

#: How many renderings of the panel get an alt+N key.
INSERT_KEYS = 9
#: The panel's marker of a proposed name (glossary terms get ○, ✓ or ✗).
PROPOSAL_MARK = "?"
NAME_KEYS_HINT = "F3 accept · ^R reject · F12 edit"


class EditorGlossary(EditorMixin):
    """Glossary panel and name review of the editor screen (mixed into ``EditorScreen``)."""

    #: The document's name proposals, None until the thread has found them.
    names: NameReview | None = None
    names_error: str = ""
    _names_generation: int = 0
    #: What alt+1…9 insert: the renderings numbered in the panel, in order.
    renderings: tuple[str, ...] = ()

    # ----- finding names -------------------------------------------------------------------------

    def start_names(self) -> None:
        """Find the document's names in a daemon thread (posts :class:`NamesProposed` to this screen)."""
        self._names_generation += 1
        document = document_text(self.session.record)  # copied here: the thread never reads the session
        generation = self._names_generation
        # A daemon thread, like the dictionary load: quitting must not wait for it.
        threading.Thread(
            target=self._find_names, args=(document, generation), name="workbench-names", daemon=True
        ).start()

    def _find_names(self, document: DocumentText, generation: int) -> None:
        try:
            proposals = find_names(document)
        except Exception as exc:  # a broken dictionary must not take the editor down
            self.post_message(
                NamesProposed([], generation, f"Names unavailable: {type(exc).__name__}: {exc}")
            )
            return
        self.post_message(NamesProposed(proposals, generation))

    def on_names_proposed(self, message: NamesProposed) -> None:
        if message.generation != self._names_generation:
            return  # an answer to an older request
        if message.error:
            self.names_error = message.error
            self.notify(message.error, severity="warning", timeout=10)
        self.names = NameReview(message.proposals, self.session.project.rejected_names())
        self.update_glossary(self.query_one(FinalArea).text)

    # ----- the panel -----------------------------------------------------------------------------

    def segment_names(self) -> list[SegmentName]:
        """The open name proposals of the current segment (none while they are being found)."""
        if self.names is None or not self.session.positions():
            return []
        seen: set[str] = set()
        out = []
        for found in self.names.in_segment(self.session.glossary, self.current().source):
            if found.proposal.source not in seen:
                seen.add(found.proposal.source)
                out.append(found)
        return out

    def update_glossary(self, target: str) -> None:
        """Term → approved rendering with ✓/✗ for the text being typed and the machine draft's ledger marker
        (how the term got into the draft, its forcing cost), then the proposed names."""
        seg = self.current()
        notes = self.session.glossary.check(seg.source, target)
        drafted = {(n.source, n.target): n for n in draft_notes(seg, self.session.glossary.check)}
        names = self.segment_names()
        renderings: list[str] = []
        out = Text()
        seen = set()
        for n in notes:
            if (n.source, n.target, n.ok) in seen:
                continue
            seen.add((n.source, n.target, n.ok))
            _number(out, renderings, n.target)
            if not target.strip():
                out.append("○ ", style="dim")
            elif n.ok:
                out.append("✓ ", style="bold green")
            else:
                out.append(f"{VIOLATION_MARK} ", style="bold red")
            out.append(n.source, style="bold")
            out.append(f" → {n.target}")
            if not n.ok and n.problem and target.strip():
                out.append(f"  ({n.problem})", style="red")
            _ledger_mark(out, drafted.get((n.source, n.target)), in_draft=target == seg.draft)
            out.append("\n")
        for found in names:
            _number(out, renderings, found.proposal.target)
            _proposal_line(out, found.proposal)
        if names:
            out.append(f"  {NAME_KEYS_HINT}\n", style="dim")
        if not notes and not names:
            out = Text("no glossary terms in this segment", style="dim")
        if self.names is None and not self.names_error:
            out.append("\nfinding names…", style="dim")
        self.renderings = tuple(renderings[:INSERT_KEYS])
        out.rstrip()
        self.query_one("#glossary", Static).update(out)

    # ----- inserting a rendering -----------------------------------------------------------------

    @reports_errors
    def action_insert_rendering(self, number: int) -> None:
        """Insert rendering ``number`` (1-based, as numbered in the panel) at the final editor's cursor."""
        if not 1 <= number <= len(self.renderings):
            self.notify(f"The glossary panel has no rendering {number}.", severity="warning")
            return
        text = self.renderings[number - 1]
        area = self.query_one(FinalArea)
        start, end = sorted((area.selection.start, area.selection.end))
        # Like typing or a paste: TextArea.Changed saves it (one history entry, one undo step).
        area.replace(text, start, end, maintain_selection_offset=False)
        area.focus()

    # ----- reviewing names -----------------------------------------------------------------------

    def _with_name(self, verb: str, then: Callable[[NameProposal], object]) -> None:
        """Run ``then`` on the current segment's proposed name (asking which when there are several)."""
        if self.names is None:
            self.notify(self.names_error or "Still finding the document's names…", severity="warning")
            return
        found = [f.proposal for f in self.segment_names()]
        if not found:
            self.notify("No proposed name in this segment.", severity="warning")
            return
        if len(found) == 1:
            then(found[0])
            return

        def chosen(index: int | None) -> None:
            if index is not None:
                then(found[index])

        choices = [f"{p.source} → {p.target}  ({p.kind.value}, {p.confidence:.2f})" for p in found]
        self.app.push_screen(ChoiceScreen(f"{verb} which proposed name?", choices), chosen)

    @reports_errors
    def action_accept_name(self) -> None:
        self._with_name("Accept", self.accept_name)

    @reports_errors
    def action_reject_name(self) -> None:
        self._with_name("Reject", self.reject_name)

    @reports_errors
    def action_edit_name(self) -> None:
        def edit(proposal: NameProposal) -> None:
            def done(result: tuple[str, str] | None) -> None:
                if result is not None:
                    self.accept_name(proposal, *result)

            title = f"Edit the proposed {proposal.kind.value} name, then add it to the project glossary"
            self.app.push_screen(AddTermScreen(proposal.source, proposal.target, title=title), done)

        self._with_name("Edit", edit)

    def accept_name(
        self, proposal: NameProposal, source: str | None = None, target: str | None = None
    ) -> bool:
        """Add a proposal (as edited) to the project's glossary file and re-check everything.

        An edited source means the proposal itself was wrong (a misjudged name boundary): it is also
        rejected, so it is not proposed again.
        """
        self.flush_edit()
        source = " ".join((source or proposal.source).split())
        target = " ".join((target or proposal.target).split())
        same = (source, target) == (proposal.source, proposal.target)
        try:
            path = self.session.add_term(
                source,
                target,
                alternatives=proposal.rendering.alternatives if same else (),
                note=accepted_note(proposal),
            )
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return False
        if source != proposal.source:  # the term added and the proposal rejected: one undo step
            self._forget(proposal.source, label=f"name {source} accepted as edited")
        self._recheck()
        self.notify(f"Accepted {source} → {target} into {Path(path).name}; everything re-checked.")
        return True

    def reject_name(self, proposal: NameProposal) -> None:
        """Drop a proposal and remember that in the project."""
        self.flush_edit()
        self._forget(proposal.source)
        self.update_glossary(self.query_one(FinalArea).text)
        self.notify(
            f"Rejected {proposal.source} → {proposal.target}; it is not proposed again in this project."
        )

    def _forget(self, source: str, label: str = "") -> None:
        """Reject a proposal in the project, as an undo step (with ``label``: joined to the newest one)."""
        step = RejectNameStep(source, f"rejected name {source}")
        step.redo(self.session)
        if label:
            self.session.history.join(step, label)
        else:
            self.session.push(step)
        if self.names is not None:
            self.names.reject(source)

    def _recheck(self) -> None:
        """Redraw table, segment and status after a glossary change, keeping the final editor's cursor."""
        area = self.query_one(FinalArea)
        text, selection = area.text, area.selection
        self.fill_table()
        self.load_segment()
        self.update_status()
        if area.text == text:
            area.selection = selection


def _number(out: Text, renderings: list[str], rendering: str) -> None:
    """Start a panel line with its alt+N number (lines past the ninth get none)."""
    renderings.append(rendering)
    n = len(renderings)
    out.append(f"{n} " if n <= INSERT_KEYS else "  ", style="bold cyan")


def _proposal_line(out: Text, proposal: NameProposal) -> None:
    """A proposed name: marker, source → rendering, and what it is with its confidence."""
    sure = proposal.confidence >= DEFAULT_MIN_CONFIDENCE
    out.append(f"{PROPOSAL_MARK} ", style="bold cyan" if sure else "bold yellow")
    out.append(proposal.source, style="italic")
    out.append(f" → {proposal.target}", style="italic")
    out.append(
        f"\n    proposed {proposal.kind.value} · {proposal.confidence:.2f}",
        style="cyan" if sure else "yellow",
    )
    if proposal.reasons:
        out.append(f" · {proposal.reasons[0]}", style="dim")
    out.append("\n")


def _ledger_mark(out: Text, note: TermNote | None, *, in_draft: bool) -> None:
    """The term ledger's marker after a term: ``  + placed · cost 0.42`` (how the term got into the machine
    draft and the draft's forcing cost, and the model's doubt where the hit is flagged ``forced-term``;
    ``in the draft`` once the text shown is no longer that draft)."""
    if note is None or not note.how:
        return
    style = "yellow" if is_forced(note) else "red" if note.how.startswith("unmet") else "dim"
    text = f"  {marker(note.how)} {note.how}"
    if note.cost is not None:
        text += f" · cost {note.cost:.2f}"
    if is_forced(note) and note.doubt is not None:
        text += f" · doubt {note.doubt:.2f}"
    out.append(text if in_draft else text + " in the draft", style=style)
