"""Start to first painted window, and RSS at first paint: the wizard vs a bare PySide6 window.

Goals: time ≤ 1.25×, RSS ≤ 1.3×. Both run as whole processes (python start, imports,
window shown, first frame painted, exit) under the same QT_QPA_PLATFORM (offscreen by
default; set QT_QPA_PLATFORM=xcb under xvfb-run for a real X server). Two times per
run: start to first paint (the goal's figure: from just before the process is started to
the CLOCK_MONOTONIC time each program reports once its first frame is drawn) and the
whole process (first paint plus the interpreter's exit, which the goal does not cover).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time

from common import PYTHON, ROOT, Series, alternate, table


def main() -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    import compileall  # as a pip install would (see bench_check.py)

    compileall.compile_dir(str(ROOT / "wizard"), quiet=1)
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["ALEGRA_WIZARD_SMOKE_REPORT"] = "1"
    rss: dict[str, list[float]] = {"wizard": [], "bare": []}
    whole: dict[str, list[float]] = {"wizard": [], "bare": []}

    def runner(name: str, cmd: list[str]):
        def run() -> float:
            start = time.monotonic()
            proc = subprocess.run(cmd, capture_output=True, env=env, timeout=60, cwd=ROOT)
            end = time.monotonic()
            assert proc.returncode == 0, proc.stderr.decode()[-2000:]
            lines = [ln for ln in proc.stdout.decode().splitlines() if ln.startswith("{")]
            report = json.loads(lines[-1])
            rss[name].append(report["rss_kb"] / 1024.0)
            whole[name].append((end - start) * 1000.0)
            return (report["painted_monotonic_s"] - start) * 1000.0

        return run

    series = alternate(
        args.rounds,
        {
            "alegra-wizard --smoke-test": runner(
                "wizard", [PYTHON, "-m", "wizard", "--smoke-test"]
            ),
            "bare PySide6 window": runner(
                "bare", [PYTHON, str(ROOT / "benchmarks/floor_window.py")]
            ),
        },
    )
    platform = env["QT_QPA_PLATFORM"]
    out = table(f"start to first paint ({platform})", series, goal="≤ 1.25×")
    out += "\n" + table(
        f"whole process: first paint and exit ({platform})",
        [Series(s.name, whole[key][1:]) for s, key in zip(series, ("wizard", "bare"), strict=True)],
    )  # [1:]: without the warm-up round
    out += "\n" + table(
        f"RSS at first paint ({platform})",
        [Series("alegra-wizard", rss["wizard"][1:]), Series("bare window", rss["bare"][1:])],
        unit="MiB",
        goal="≤ 1.3×",
    )
    return out


if __name__ == "__main__":
    print(main())
