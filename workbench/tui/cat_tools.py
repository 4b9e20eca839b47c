"""The editor's CAT tools: concordance (ctrl+k), counts in the status line and the analysis dialog (F10),
a comment per segment (F11), misspelled words marked in the final translation and added to the user's
word list (ctrl+d). Mixed into ``EditorScreen``; the dialogs are in ``workbench.tui.cat_screens``."""

from __future__ import annotations

import functools

from rich.text import Text
from textual.widgets import Static

from workbench.jobs.analysis import SegmentText, count_texts
from workbench.jobs.concordance import ConcordanceHit, concordance, searchable
from workbench.settings import user_name
from workbench.terms.checks.spelling import add_word
from workbench.text.counts import characters, han_characters
from workbench.tui.actions import EditorAction, reports_errors
from workbench.tui.editor_host import EditorMixin
from workbench.tui.palette import PaletteCommand
from workbench.tui.spell_area import SpellMarked
from workbench.tui.widgets import SourceArea

#: The CAT tools' keys (in the key bar after the editor's own).
CAT_ACTIONS: tuple[EditorAction, ...] = tuple(
    EditorAction(*a)
    for a in (
        ("ctrl+k", "concordance", "Concord", "Concordance: search the memory, project and glossary for a text", "cat.concordance"),
        ("f10", "analysis", "Analysis", "The document's counts: segments, Han characters, repetitions, TM match bands", "cat.analysis"),
        ("f11", "comment", "Comment", "Read or write the current segment's comment", "cat.comment"),
        ("ctrl+d", "add_word", "Add word", "Add the misspelled word at the cursor of the final to your word list", "cat.add_word"),
    )
)  # fmt: skip


class EditorCatTools(EditorMixin):
    """The ``action_*`` methods of the CAT tools (mixed into ``EditorScreen``)."""

    def cat_commands(self) -> list[PaletteCommand]:
        """The CAT tools' commands in the palette (after the editor's own: ``EditorActions.palette_commands``)."""
        return [
            (a.help, f"{a.label} · {a.key}", functools.partial(self.run_action, a.action))
            for a in CAT_ACTIONS
        ]

    # ----- concordance -------------------------------------------------------------------------------

    def concordance_hits(self, text: str) -> list[ConcordanceHit]:
        """Hits for ``text`` in the session's TM, the project and the glossary."""
        if not searchable(text):
            return []
        tm = getattr(self.session, "_tm", None)
        return concordance(
            text,
            tms=[tm] if tm is not None else [],
            project=self.session.project,
            glossary=self.session.glossary,
        )

    @reports_errors
    def action_concordance(self) -> None:
        from workbench.tui.cat_screens import ConcordanceScreen

        selected, _ = self.query_one("#source", SourceArea).selected_or_word_start
        self.app.push_screen(ConcordanceScreen(self.concordance_hits, selected))

    # ----- counts ------------------------------------------------------------------------------------

    def count_status(self) -> str:
        """The status line's counts: the document's Han characters and words, the selection's counts."""
        segs = self.session.record.segments()
        doc = count_texts(SegmentText(s.source, s.draft, s.final) for s in segs)
        part = f"{doc.han_characters} 字 · {doc.final_words} words final"
        try:
            source = self.query_one("#source", SourceArea)
            selected, _ = source.selected_or_word_start
        except Exception:  # the detail pane is not there yet
            selected = ""
        if selected:
            part += f" · selection {han_characters(selected)} 字 {characters(selected)} chars"
        return part

    @reports_errors
    def action_analysis(self) -> None:
        from workbench.jobs.analysis import analysis_table, analyze
        from workbench.tui.cat_screens import TextScreen

        segs = [SegmentText(s.source, s.draft, s.final) for s in self.session.record.segments()]
        result = analyze([(self.session.name, segs)], getattr(self.session, "_tm", None))
        self.app.push_screen(TextScreen(f"Analysis of {self.session.name}", analysis_table(result)))

    # ----- comments ----------------------------------------------------------------------------------

    def comment_text(self) -> Text:
        """The current segment's comment for the side panel."""
        seg = self.session.segment(self.par, self.seg)
        return Text(seg.comment) if seg.comment else Text("no comment (F11 adds one)", style="dim")

    def update_comment(self) -> None:
        """Show the current segment's comment in the side panel."""
        try:
            panel = self.query_one("#comment", Static)
        except Exception:  # the editor has no comment panel
            return
        panel.update(self.comment_text())

    @reports_errors
    def action_comment(self) -> None:
        from workbench.tui.cat_screens import CommentScreen

        seg = self.session.segment(self.par, self.seg)
        par, index = self.par, self.seg

        def save(text: str | None) -> None:
            if text is None:
                return
            row = self.session.project.set_comment(self.session.segment_id(par, index), text, who=user_name())
            self.session.segment(par, index).comment = row.comment
            self.update_comment()
            self.notify("comment saved" if row.comment else "comment removed")

        self.app.push_screen(CommentScreen(seg.source, seg.comment), save)

    # ----- spelling ----------------------------------------------------------------------------------

    @reports_errors
    def action_add_word(self) -> None:
        area = self.query_one("#final", SpellMarked)
        word = area.word_at_cursor
        if not word:
            self.notify("no misspelled word in the final translation")
            return
        add_word(word)
        area._build_highlight_map()
        area.refresh()
        self.notify(f"{word!r} added to your word list")
