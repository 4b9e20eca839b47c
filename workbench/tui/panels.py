"""The editor's side panels: translation-memory matches and the CC-CEDICT entry of the selected source
text (the glossary panel is ``workbench.tui.glossary_panel``)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from workbench.errors import WorkbenchError
from workbench.tui.editor_host import EditorMixin
from workbench.tui.widgets import SourceArea


class EditorPanels(EditorMixin):
    """Panel updates of the editor screen (mixed into ``EditorScreen``)."""

    def update_tm(self) -> None:
        panel = self.query_one("#tm", Static)
        try:
            matches = self.session.tm_matches(self.par, self.seg)
        except WorkbenchError as exc:
            panel.update(Text(str(exc), style="red"))
            return
        if not matches:
            panel.update(Text("no fuzzy matches", style="dim"))
            return
        out = Text()
        for m in matches:
            out.append(f"{m.score:3.0f}% ", style="bold cyan")
            out.append(m.source + "\n")
            out.append("     " + m.target + "\n", style="italic")
        panel.update(out)

    def update_dictionary(self) -> None:
        """CC-CEDICT entry for the selected source text, else for the word at the cursor."""
        panel = self.query_one("#dict", Static)
        dictionary = self.wb.dictionary
        if dictionary is None:
            panel.update(Text("loading CC-CEDICT…", style="dim"))
            return
        area = self.query_one(SourceArea)
        selected, start = area.selected_or_word_start
        entry = dictionary.lookup(selected) if selected else dictionary.longest_at(area.text, start)
        if entry is None:
            word = selected or area.text[start : start + 1]
            panel.update(Text(f"{word}: not in CC-CEDICT", style="dim"))
            return
        out = Text()
        out.append(entry.simplified, style="bold")
        if entry.traditional != entry.simplified:
            out.append(f" ({entry.traditional})")
        out.append(f"  {entry.pinyin}\n", style="cyan")
        out.append("; ".join(entry.definitions))
        panel.update(out)
