"""``workbench segment`` on a generated Word file of many paragraphs: near-linear time and memory.

Writes ``.docx`` files of N and 10 N one-sentence paragraphs (default 30,000 and 300,000), runs
``python -m workbench segment`` on each as a separate process, and prints the CPU seconds and peak
resident memory of each (the kernel's ``wait4`` account) and their ratios: linear work gives a time
ratio near 10.

Usage: ``python bench/bench_docx_paragraphs.py [--paragraphs N]``
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
}


def write_docx(path: Path, n: int) -> None:
    """A Word file of ``n`` paragraphs of one sentence each."""
    body = "".join(f"<w:p><w:r><w:t>第{i}段的正文写在这里，内容完整。</w:t></w:r></w:p>" for i in range(n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _PARTS.items():
            zf.writestr(name, data)
        zf.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>',
        )
    path.write_bytes(out.getvalue())


def measure(path: Path) -> tuple[float, int]:
    """CPU seconds and peak resident KiB of ``workbench segment PATH`` (output discarded)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "workbench", "segment", str(path)], cwd=ROOT, stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"segment {path} exited {proc.returncode}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=30_000, help="the smaller file's paragraphs")
    n = parser.parse_args().paragraphs
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for count in (n, 10 * n):
            path = Path(tmp) / f"p{count}.docx"
            write_docx(path, count)
            cpu, peak = measure(path)
            results.append((cpu, peak))
            print(
                f"{count:>9,} paragraphs ({path.stat().st_size / 1e6:.1f} MB): {cpu:6.1f} s CPU, {peak / 1024:6.0f} MiB peak"
            )
    (t1, m1), (t2, m2) = results
    print(f"10x the paragraphs: {t2 / t1:.1f}x the CPU time, {m2 / m1:.1f}x the peak memory (linear: 10x)")


if __name__ == "__main__":
    main()
