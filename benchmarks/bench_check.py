"""`alegra-wizard check --json` against the sandbox vs a raw requests script (goal ≤ 1.15×).

Two floors: the historical one (GET /company only) and one doing the same two requests
check now makes (GET /company, then GET /users/self for who the token belongs to).

Both are whole process runs (start, import, GET /company, print, exit) against the same
in-process sandbox on 127.0.0.1, alternating, after a warm-up round.
"""

from __future__ import annotations

import argparse
import json

from common import PYTHON, ROOT, alternate, table, timed_run

from wizard.sandbox import DEMO_TOKEN, Sandbox


def main() -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    # A pip install byte-compiles the package; this checkout may not be (the machine sets
    # PYTHONDONTWRITEBYTECODE=1), which would charge our side with recompiling every run.
    import compileall

    compileall.compile_dir(str(ROOT / "wizard"), quiet=1)
    with Sandbox() as sandbox:
        ours_cmd = [
            PYTHON,
            "-m",
            "wizard",
            "check",
            "--json",
            "--base-url",
            sandbox.url,
            "--email",
            "demo@alegra.test",
            "--token-stdin",
        ]
        floor_cmd = [
            PYTHON,
            str(ROOT / "benchmarks" / "floor_requests.py"),
            sandbox.url,
            "demo@alegra.test",
        ]

        def ours() -> float:
            ms, proc = timed_run(ours_cmd, stdin=DEMO_TOKEN.encode())
            assert proc.returncode == 0, proc.stdout + proc.stderr
            assert json.loads(proc.stdout)["code"] == "connected"
            return ms

        def floor() -> float:
            ms, proc = timed_run(floor_cmd, stdin=DEMO_TOKEN.encode())
            assert json.loads(proc.stdout)["status"] == 200, proc.stderr
            return ms

        def floor_both() -> float:
            ms, proc = timed_run([*floor_cmd, "--users-self"], stdin=DEMO_TOKEN.encode())
            assert json.loads(proc.stdout)["user"], proc.stderr
            return ms

        series = alternate(
            args.rounds,
            {
                "alegra-wizard check --json": ours,
                "raw requests script, /company": floor,
                "raw requests script, /company + /users/self": floor_both,
            },
        )
    text = table("check --json vs raw requests (process start to exit)", series)
    for other in series[1:]:
        ratio = series[0].median / other.median
        text += f"\nratio of medians (ours / {other.name}): **{ratio:.2f}×** (goal ≤ 1.15×)"
    return text + "\n"


if __name__ == "__main__":
    print(main())
