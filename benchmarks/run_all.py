"""`make bench`: run every benchmark side by side and print one Markdown report.

Each script runs ours and its floor alternately in one run; this collects their tables.
The report goes to stdout and to benchmarks/out/latest.md.
"""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    ["bench_check.py"],
    ["bench_startup.py"],
    ["bench_gui.py"],
    ["bench_frozen.py"],
]


def main() -> int:
    parts = [
        f"# Benchmark run\n\nPython {platform.python_version()}, {platform.platform()}, "
        f"{subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores\n"
    ]
    failed = 0
    for script in SCRIPTS:
        path = HERE / script[0]
        if not path.exists():
            parts.append(f"## {script[0]}\n\n(not present)\n")
            continue
        proc = subprocess.run(
            [sys.executable, str(path), *script[1:]],
            capture_output=True,
            text=True,
            cwd=HERE,
            check=False,
        )
        if proc.returncode != 0:
            failed += 1
            parts.append(f"## {script[0]} FAILED\n\n```\n{proc.stderr[-3000:]}\n```\n")
        else:
            parts.append(proc.stdout)
    report = "\n".join(parts)
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / "latest.md").write_text(report, encoding="utf-8")
    print(report)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
