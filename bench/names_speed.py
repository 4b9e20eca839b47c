"""Time and memory of ``propose_names`` as the input grows (used by ``bench_names.py --speed``).

Each measurement runs in a fresh process, after the dictionaries are loaded, so the peak resident
memory it reports (``ru_maxrss``) is that of the one input; times are the process's CPU seconds.
"""

from __future__ import annotations

import gzip
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPEATED = "江苏省宿迁市沭阳县"
FLORES = ROOT / "workbench" / "jobs" / "data" / "flores200" / "zho_Hans.devtest.gz"


def text_of(n: int, form: str) -> str:
    """``line``: the place chain n times on one line; ``lines``: n short lines; ``names``: n sentences with
    distinct made-up foreign names and places (one line); ``mb``: n bytes of FLORES text."""
    if form == "names":
        rng = random.Random(n)
        chars = "斯尔克特德娜拉夫基顿森布莉罗姆赫伊亚奥萨卡"
        out = []
        for _ in range(n):
            a, b = ("".join(rng.choice(chars) for _ in range(3)) for _ in range(2))
            out.append(f"{a}·{b}说，{b}来到{a}县。")
        return "".join(out) + "\n"
    if form == "line":
        return REPEATED * n + "\n"
    if form == "lines":
        return (REPEATED + "\n") * n
    with gzip.open(FLORES, "rt", encoding="utf-8") as f:
        sentences = f.read()
    out = sentences * (n // len(sentences.encode("utf-8")) + 1)
    return out.encode("utf-8")[:n].decode("utf-8", errors="ignore")


def speed_child(n: int, form: str) -> int:
    """Measure one input in this process and print ``cpu-seconds megabytes``."""
    sys.path.insert(0, str(ROOT))
    from workbench.terms.names import propose_names
    from workbench.terms.names.analyser import segment
    from workbench.terms.names.cedict import name_dictionary
    from workbench.text import document_from_text

    name_dictionary()
    segment("江苏")
    document = document_from_text(text_of(n, form))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.process_time()  # CPU time: other processes on a shared machine do not count
    propose_names(document)
    seconds = time.process_time() - start
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(f"{seconds:.3f} {grown:.1f}")
    return 0


def measure(n: int, form: str) -> tuple[float, float]:
    """Seconds and resident megabytes grown for one input, in a fresh process."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_names.py"), "--speed-child", str(n), form],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1])


def speed(n: int = 5000) -> None:
    """Print time and memory at n and 4n repetitions, their ratios, and the time of 1 MB of running text."""
    labels = {
        "line": f"{REPEATED} on one line",
        "lines": f"{REPEATED} as short lines",
        "names": "sentences with distinct foreign names and places",
    }
    for form, label in labels.items():
        size = n if form != "names" else n // 5
        t1, m1 = measure(size, form)
        t4, m4 = measure(4 * size, form)
        print(
            f"speed, {label}, x{size} vs x{4 * size}: {t1:.2f} / {t4:.2f} CPU s (ratio {t4 / t1:.2f} for 4x "
            f"the input), memory grown {m1:.0f} MB / {m4:.0f} MB"
        )
    t, m = measure(1_000_000, "mb")
    print(f"speed, 1 MB of running text (FLORES sentences repeated): {t:.2f} CPU s, memory grown {m:.0f} MB")
