"""`alegra-wizard check --json` against the sandbox vs a raw requests script (goal ≤ 1.10×).

Two requests floors: the historical one (GET /company only) and one doing the same two
requests check now makes (GET /company, then GET /users/self for who the token belongs to).
A third, stricter floor uses the standard library alone (http.client, one connection for
both requests): no goal, it shows what an HTTP library costs at all.

Both are whole process runs (start, import, GET /company, print, exit) against the same
in-process sandbox on 127.0.0.1, alternating, after a warm-up round.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
from collections.abc import Callable

from common import PYTHON, ROOT, Series, alternate, table, timed_run

from wizard.sandbox import DEMO_TOKEN, Sandbox


def main() -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument(
        "--instructions",
        type=int,
        default=0,
        metavar="N",
        help="also count each command's CPU instructions under valgrind's callgrind, N runs"
        " each (deterministic: the figure for a shared, loaded machine)",
    )
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

        stdlib_cmd = [PYTHON, str(ROOT / "benchmarks" / "floor_httpclient.py"), *floor_cmd[2:]]

        def floor_stdlib() -> float:
            ms, proc = timed_run(stdlib_cmd, stdin=DEMO_TOKEN.encode())
            assert json.loads(proc.stdout)["user"], proc.stderr
            return ms

        runners = {
            "alegra-wizard check --json": ours,
            "raw requests script, /company": floor,
            "raw requests script, /company + /users/self": floor_both,
            "raw http.client script, /company + /users/self": floor_stdlib,
        }
        cpu: dict[str, list[float]] = {name: [] for name in runners}

        def with_cpu(name: str, run: Callable[[], float]) -> Callable[[], float]:
            def measured() -> float:
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                ms = run()
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
                cpu[name].append(used * 1000.0)
                return ms

            return measured

        series = alternate(args.rounds, {n: with_cpu(n, r) for n, r in runners.items()})
        cpu = {name: samples[-args.rounds :] for name, samples in cpu.items()}  # no warm-up
        commands = {
            "alegra-wizard check --json": ours_cmd,
            "raw requests script, /company": floor_cmd,
            "raw requests script, /company + /users/self": [*floor_cmd, "--users-self"],
            "raw http.client script, /company + /users/self": stdlib_cmd,
        }
        counted = {n: _instructions(c, args.instructions) for n, c in commands.items()}
    cpu_series = [Series(s.name, cpu[s.name]) for s in series]
    text = table("check --json vs raw requests (process start to exit)", series)
    text += _ratios(series)
    text += "\n\n" + table("the same runs, CPU time (user + sys of the child)", cpu_series)
    text += _ratios(cpu_series)
    if args.instructions:
        mega = [Series(n, [i / 1e6 for i in c]) for n, c in counted.items()]
        text += "\n\n" + table("the same commands, instructions (valgrind callgrind)", mega, "M")
        text += _ratios(mega)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return text + f"\n\nload average at the end: {load}\n"


def _instructions(cmd: list[str], runs: int) -> list[float]:
    """Instructions one run of `cmd` executes (all its threads), under callgrind: the same
    count whatever else the machine is doing."""
    counts = []
    for _ in range(runs):
        _, proc = timed_run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
            stdin=DEMO_TOKEN.encode(),
            timeout=300,
        )
        found = re.search(rb"Collected : (\d+)", proc.stderr)
        assert proc.returncode == 0 and found, proc.stderr[-2000:]
        counts.append(float(found.group(1)))
    return counts


def _ratios(series: list[Series]) -> str:
    text = ""
    for other in series[1:]:
        ratio = series[0].median / other.median
        goal = "goal ≤ 1.10×" if "requests" in other.name else "no goal: the stricter floor"
        text += f"\nratio of medians (ours / {other.name}): **{ratio:.2f}×** ({goal})"
    return text


if __name__ == "__main__":
    print(main())
