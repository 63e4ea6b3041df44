"""Start to first painted window, and RSS at first paint: the wizard vs a bare PySide6 window.

Goals: time ≤ 1.25×, RSS ≤ 1.3×. Both run as whole processes (python start, imports,
window shown, first paint, exit) under the same QT_QPA_PLATFORM (offscreen by default;
set QT_QPA_PLATFORM=xcb under xvfb-run for a real X server).
"""

from __future__ import annotations

import argparse
import json
import os

from common import PYTHON, ROOT, Series, alternate, table, timed_run


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

    def runner(name: str, cmd: list[str]):
        def run() -> float:
            ms, proc = timed_run(cmd, env=env)
            assert proc.returncode == 0, proc.stderr.decode()[-2000:]
            lines = [ln for ln in proc.stdout.decode().splitlines() if ln.startswith("{")]
            rss[name].append(json.loads(lines[-1])["rss_kb"] / 1024.0)
            return ms

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
        f"RSS at first paint ({platform})",
        [Series("alegra-wizard", rss["wizard"]), Series("bare window", rss["bare"])],
        unit="MiB",
        goal="≤ 1.3×",
    )
    return out


if __name__ == "__main__":
    print(main())
