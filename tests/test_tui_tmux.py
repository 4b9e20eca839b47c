"""End to end in a real terminal (tmux): open the seed page, draft it with the tiny model, edit, quit,
SIGKILL, reopen and find the edits. The last screen is saved to /tmp/tui-capture.txt."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench.store.project import Project

pytestmark = [pytest.mark.tmux, pytest.mark.slow]
CAPTURE = Path("/tmp/tui-capture.txt")
#: The code under test, whatever folder the terminal starts in (not an installed copy of the package).
CODE = {"PYTHONPATH": str(Path(__file__).resolve().parents[1])}


class Tmux:
    """One tmux server on a private socket, so nothing else is touched."""

    def __init__(self, name: str, env: dict[str, str]) -> None:
        self.name = name
        self.starts = 0
        self.socket = ""
        self.session = name
        self.env = env

    def run(self, *args: str) -> str:
        out = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30)
        return out.stdout

    def start(self, command: str, cwd: Path) -> None:
        # A fresh server each time: a killed one may still be going away on its socket.
        self.starts += 1
        self.socket = f"wbtest-{os.getpid()}-{self.name}-{self.starts}"
        env_args = [arg for k, v in self.env.items() for arg in ("-e", f"{k}={v}")]
        subprocess.run(
            [
                "tmux",
                "-L",
                self.socket,
                "new-session",
                "-d",
                "-s",
                self.session,
                "-x",
                "140",
                "-y",
                "45",
                "-c",
                str(cwd),
                *env_args,
                command,
            ],
            check=True,
            timeout=30,
        )

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.session, *keys)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", self.session, "-l", text)

    def pane_pid(self) -> int:
        return int(self.run("display-message", "-p", "-t", self.session, "#{pane_pid}").strip())

    def wait(self, predicate, timeout: float, what: str) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if predicate(screen):
                return screen
            if time.monotonic() > deadline:
                CAPTURE.write_text(screen, encoding="utf-8")
                raise AssertionError(f"timed out waiting for {what}; screen:\n{screen}")
            time.sleep(0.3)

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=30)


def status_line(screen: str) -> str:
    return next((line for line in screen.splitlines() if re.search(r"\d+ segments ·", line)), "")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_seed_draft_edit_quit_kill_reopen(tmp_path: Path, seed_path: Path, tiny_model_dir: Path) -> None:
    seed = tmp_path / "seed.txt"
    shutil.copyfile(seed_path, seed)
    env = {
        "WORKBENCH_MODEL": str(tiny_model_dir),
        "WORKBENCH_CONFIG_DIR": str(tmp_path / "config"),
        "TOKENIZERS_PARALLELISM": "false",
        "OMP_NUM_THREADS": "1",
        "XDG_DATA_HOME": str(tmp_path / "data"),  # no personal translation memory
        **CODE,
    }
    done = tmp_path / "exit-status"
    # Textual draws on stderr: it must stay the terminal (never redirect it).
    command = (
        f"env -u COLUMNS -u LINES {sys.executable} -m workbench open seed.txt --beam 1; echo $? > {done}"
    )
    tmux = Tmux("wb", env)
    try:
        # 1. Open: the UI is there before the model has loaded.
        tmux.start(command, tmp_path)
        screen = tmux.wait(lambda s: "segments ·" in s, 30, "the editor")
        assert "seed.txt.wbproj" in screen
        assert (tmp_path / "seed.txt.wbproj").is_file()  # created beside the source
        tmux.wait(lambda s: "MT: ctranslate2 ready" in s, 180, "the model")
        # 2. Draft everything with the tiny model.
        tmux.keys("F5")
        screen = tmux.wait(
            lambda s: (
                " new" not in status_line(s)
                and "drafting" not in status_line(s)
                and "drafted" in status_line(s)
            ),
            600,
            "drafting to finish",
        )
        total = int(re.search(r"(\d+) segments", status_line(screen)).group(1))
        assert f"{total} drafted" in status_line(screen)
        # 3. Edit the first segment, quit (never asked to save).
        tmux.keys("C-Home")
        time.sleep(0.5)
        tmux.keys("F4")
        time.sleep(0.7)
        tmux.type("EDITED IN TMUX")
        tmux.wait(lambda s: "EDITED IN TMUX" in s.splitlines()[2], 20, "the edit in the table")
        tmux.keys("C-q")
        deadline = time.monotonic() + 30
        while not done.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert done.read_text().strip() == "0"
        done.unlink()
        # 4. Reopen: the edit is there. Edit another segment and SIGKILL the process.
        tmux.kill()
        tmux.start(command, tmp_path)
        screen = tmux.wait(lambda s: "segments ·" in s, 30, "the reopened editor")
        assert "EDITED IN TMUX" in screen.splitlines()[2]
        assert f"{total - 1} drafted · 1 edited" in status_line(screen)
        tmux.wait(lambda s: "MT: ctranslate2 ready" in s, 180, "the model")
        tmux.keys("Down")
        tmux.wait(lambda s: "¶ 3/" in s, 20, "the third paragraph")
        tmux.keys("F4")
        time.sleep(0.7)
        tmux.type("SURVIVES SIGKILL")
        tmux.wait(lambda s: "SURVIVES SIGKILL" in s.splitlines()[4], 20, "the second edit")
        os.kill(tmux.pane_pid(), signal.SIGKILL)
        tmux.kill()
        # 5. Reopen once more: both edits survived.
        tmux.start(command, tmp_path)
        screen = tmux.wait(
            lambda s: "segments ·" in s and "SURVIVES SIGKILL" in s, 30, "the edits after SIGKILL"
        )
        assert "EDITED IN TMUX" in screen.splitlines()[2]
        assert f"{total - 2} drafted · 2 edited" in status_line(screen)
        CAPTURE.write_text(screen, encoding="utf-8")
        tmux.keys("C-q")
        deadline = time.monotonic() + 30
        while not done.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        tmux.kill()
    with Project.open(tmp_path / "seed.txt.wbproj") as project:
        finals = [s.final for s in project.segments() if s.final]
    assert finals == ["EDITED IN TMUX", "SURVIVES SIGKILL"]


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_accept_a_name_and_insert_it_with_alt_1_in_a_real_terminal(tmp_path: Path) -> None:
    """tmux sends alt+1 as ESC 1, as xterm and VTE terminals do: it must reach the editor as alt+1."""
    from tui_fixtures import make_project

    proj, gloss = make_project(tmp_path)
    env = {
        "WORKBENCH_MODEL": str(tmp_path / "no-model"),  # no drafting here: the engine fails fast, offline
        "HF_HUB_OFFLINE": "1",
        "WORKBENCH_CONFIG_DIR": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        **CODE,
    }
    done = tmp_path / "exit-status"
    command = f"env -u COLUMNS -u LINES {sys.executable} -m workbench open {proj.name} --glossary {gloss}; echo $? > {done}"
    tmux = Tmux("names", env)
    try:
        tmux.start(command, tmp_path)
        tmux.wait(lambda s: "? 重庆 → Chongqing" in s, 120, "the proposed name")
        tmux.keys("F3")
        tmux.wait(lambda s: "○ 重庆 → Chongqing" in s, 20, "the accepted name")
        tmux.keys("Enter")
        time.sleep(0.5)
        tmux.keys("M-1")
        screen = tmux.wait(lambda s: "✓ 重庆 → Chongqing" in s, 20, "the inserted rendering")
        assert "Chongqing" in screen.splitlines()[2]  # the table's first row, Final column
        assert "¡" not in screen
        tmux.keys("C-q")
        deadline = time.monotonic() + 30
        while not done.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert done.read_text().strip() == "0"
    finally:
        tmux.kill()
    with Project.open(proj) as project:
        assert project.segments()[0].final == "Chongqing"
    assert "重庆\tChongqing" in proj.with_suffix(".glossary.tsv").read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_escape_keeps_drafting_and_undo_is_the_translators_in_a_real_terminal(
    tmp_path: Path, tiny_model_dir: Path
) -> None:
    """While the default engine drafts: Enter → type → Esc leaves the editor and drafting goes on; ctrl+z
    undoes the typing (not a draft), ctrl+y redoes it; shift+F5 twice stops and keeps what was drafted."""
    from tui_fixtures import make_project

    proj, gloss = make_project(tmp_path, copies=1000)  # 5000 segments: a subprocess cannot be held
    env = {
        "WORKBENCH_MODEL": str(tiny_model_dir),
        "WORKBENCH_CONFIG_DIR": str(tmp_path / "config"),
        "TOKENIZERS_PARALLELISM": "false",
        "OMP_NUM_THREADS": "1",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        **CODE,
    }
    done = tmp_path / "exit-status"
    command = f"env -u COLUMNS -u LINES {sys.executable} -m workbench open {proj.name} --glossary {gloss}; echo $? > {done}"
    tmux = Tmux("undo", env)

    def drafted(screen: str) -> int:
        found = re.search(r"(\d+) drafted", status_line(screen))
        return int(found.group(1)) if found else 0

    try:
        tmux.start(command, tmp_path)
        tmux.wait(lambda s: "MT: ctranslate2 ready" in s, 180, "the model")
        tmux.keys("F5")
        tmux.wait(lambda s: drafted(s) > 0, 120, "the first drafts")
        tmux.keys("Down")
        time.sleep(0.5)
        tmux.wait(lambda s: "¶ 2/" in s, 20, "the second paragraph")
        tmux.keys("F4")  # into the final translation, all selected: typing replaces it
        time.sleep(0.7)
        tmux.type("TYPED IN TMUX")
        tmux.wait(lambda s: "TYPED IN TMUX" in s, 20, "the edit")
        tmux.keys("Escape")
        before = drafted(tmux.screen())
        screen = tmux.wait(lambda s: drafted(s) > before, 60, "drafting to go on after Esc")
        assert "stopped" not in screen and "cancelled" not in screen
        tmux.keys("C-z")  # the table has the focus: the translator's undo
        tmux.wait(lambda s: "TYPED IN TMUX" not in s, 60, "the edit undone")
        tmux.keys("C-y")
        tmux.wait(lambda s: "TYPED IN TMUX" in s, 60, "the edit redone")
        tmux.keys("S-F5")
        tmux.wait(lambda s: "Stop drafting?" in s, 20, "the question")
        tmux.keys("S-F5")
        screen = tmux.wait(lambda s: "Drafting stopped" in s, 60, "drafting to stop")
        CAPTURE.write_text(screen, encoding="utf-8")
        tmux.keys("C-q")
        deadline = time.monotonic() + 30
        while not done.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert done.read_text().strip() == "0"
    finally:
        tmux.kill()
    with Project.open(proj) as project:
        segs = project.segments()
    assert segs[1].final == "TYPED IN TMUX"
    assert 0 < sum(1 for s in segs if s.draft) < len(segs)
