"""Time and memory of ``propose_names`` as the input grows (used by ``bench_names.py --speed``).

Each measurement runs in a fresh process, after the dictionaries are loaded, so the peak resident
memory it reports (``ru_maxrss``) is that of the one input.
"""

from __future__ import annotations

import gzip
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPEATED = "江苏省宿迁市沭阳县"
FLORES = ROOT / "workbench" / "jobs" / "data" / "flores200" / "zho_Hans.devtest.gz"


def text_of(n: int, form: str) -> str:
    """``line``: the place chain n times on one line; ``lines``: n short lines; ``mb``: n bytes of FLORES text."""
    if form == "line":
        return REPEATED * n + "\n"
    if form == "lines":
        return (REPEATED + "\n") * n
    with gzip.open(FLORES, "rt", encoding="utf-8") as f:
        sentences = f.read()
    out = sentences * (n // len(sentences.encode("utf-8")) + 1)
    return out.encode("utf-8")[:n].decode("utf-8", errors="ignore")


def speed_child(n: int, form: str) -> int:
    """Measure one input in this process and print ``seconds megabytes``."""
    sys.path.insert(0, str(ROOT))
    from workbench.terms.names import propose_names
    from workbench.terms.names.analyser import segment
    from workbench.terms.names.cedict import name_dictionary
    from workbench.text import document_from_text

    name_dictionary()
    segment("江苏")
    document = document_from_text(text_of(n, form))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    propose_names(document)
    seconds = time.perf_counter() - start
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(f"{seconds:.3f} {grown:.1f}")
    return 0


def measure(n: int, form: str) -> tuple[float, float]:
    """Seconds and resident megabytes grown for one input, in a fresh process."""
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_names.py"), "--speed-child", str(n), form],
                         capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1])


def speed(n: int = 5000) -> None:
    """Print time and memory at n and 4n repetitions, their ratios, and the time of 1 MB of running text."""
    for form in ("line", "lines"):
        t1, m1 = measure(n, form)
        t4, m4 = measure(4 * n, form)
        print(f"speed, {REPEATED} x{n} vs x{4 * n} ({'one line' if form == 'line' else 'short lines'}): "
              f"{t1:.2f} s / {t4:.2f} s (ratio {t4 / t1:.2f} for 4x the input), "
              f"memory grown {m1:.0f} MB / {m4:.0f} MB")
    t, m = measure(1_000_000, "mb")
    print(f"speed, 1 MB of running text (FLORES sentences repeated): {t:.2f} s, memory grown {m:.0f} MB")
