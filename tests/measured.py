"""Run a command and write its exit status, CPU time and peak memory (the kernel's ``wait4`` account).

``python tests/measured.py REPORT.json COMMAND...``. A small process of its own, so the peak it reports
is the command's: Linux hands a child the high-water mark of the process that forked it, and the test
process that builds the inputs is large.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

if __name__ == "__main__":
    report, command = sys.argv[1], sys.argv[2:]
    child = subprocess.Popen(command)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = code = os.waitstatus_to_exitcode(status)
    with open(report, "w", encoding="utf-8") as fh:
        json.dump({"code": code, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_kb": usage.ru_maxrss}, fh)
    sys.exit(0)
