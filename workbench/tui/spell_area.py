"""The final translation's spelling marks: unknown words underlined as the translator types."""

from __future__ import annotations

from textual.widgets import TextArea
from textual.widgets.text_area import TextAreaTheme

from workbench.terms.checks.spelling import misspelled

SPELL_THEME = TextAreaTheme("workbench-final", syntax_styles={"wb.misspelled": "underline red"})


class SpellMarked(TextArea):
    """A TextArea that underlines the words the spelling check does not know (the final translation)."""

    def on_mount(self) -> None:
        self.register_theme(SPELL_THEME)
        self.theme = "workbench-final"

    def _build_highlight_map(self) -> None:
        self._line_cache.clear()
        highlights = self._highlights
        highlights.clear()
        for row, line in enumerate(self.text.split("\n")):
            for start, end in misspelled(line):
                b0 = len(line[:start].encode("utf-8"))
                b1 = len(line[:end].encode("utf-8"))
                highlights[row].append((b0, b1, "wb.misspelled"))

    @property
    def word_at_cursor(self) -> str:
        """The misspelled word at (or just before) the cursor, else the first one of the text ("" if none)."""
        row, col = self.cursor_location
        line = self.text.split("\n")[row] if self.text else ""
        spans = misspelled(line)
        for start, end in spans:
            if start <= col <= end:
                return line[start:end]
        every = misspelled(self.text)
        return self.text[every[0][0] : every[0][1]] if every else ""
