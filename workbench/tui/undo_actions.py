"""ctrl+z / ctrl+y in the editor (mixed into ``EditorScreen``): in the final translation, the text area's own
undo of the typing; anywhere else, the translator's changes to the project (``workbench.tui.undo``), also
while drafting."""

from __future__ import annotations

from workbench.errors import WorkbenchError
from workbench.tui.editor_host import EditorMixin
from workbench.tui.widgets import FinalArea, ParagraphTable


class EditorUndo(EditorMixin):
    """The undo and redo actions."""

    def action_undo(self) -> None:
        area = self.query_one(FinalArea)
        if self.focused is area:
            area.undo()  # the typing (saved as it changes, as any edit)
            return
        self._history(redo=False)

    def action_redo(self) -> None:
        area = self.query_one(FinalArea)
        if self.focused is area:
            area.redo()
            return
        self._history(redo=True)

    def _history(self, *, redo: bool) -> None:
        self.flush_edit()
        self.session.end_visit()
        history = self.session.history
        try:
            done = history.redo(self.session) if redo else history.undo(self.session)
        except WorkbenchError as exc:
            self._after_history()
            self.notify(str(exc), severity="error", timeout=10)
            return
        if done is None:
            self.notify("Nothing to redo." if redo else "Nothing to undo.")
            return
        step, where = done
        self._after_history(where)
        verb = "Redone" if redo else "Undone"
        at = f" (¶ {where[0] + 1})" if where is not None else ""
        self.update_status(f"{verb}: {step.label}{at}")

    def _after_history(self, where: tuple[int, int] | None = None) -> None:
        """Redraw everything a step may have changed: rows, glossary checks, the current segment."""
        self.query_one(ParagraphTable).marked.clear()
        names = getattr(self, "names", None)
        if names is not None:  # a rejected name may be proposed again, or rejected again
            names.set_rejected(self.session.project.rejected_names())
        self.fill_table()
        self.schedule_qa()
        if where is not None:
            self.goto(*where, move_table=True, flush=False)
        else:
            self.load_segment()
        self.update_status()
