"""Shared helpers for the side-by-side benchmarks: timing rounds and printing a table."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass
class Series:
    name: str
    samples: list[float]

    @property
    def min(self) -> float:
        return min(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def max(self) -> float:
        return max(self.samples)


def timed_run(
    cmd: Sequence[str],
    *,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60.0,
) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    start = time.perf_counter()
    proc = subprocess.run(
        list(cmd), input=stdin, capture_output=True, env=env, timeout=timeout, cwd=ROOT, check=False
    )
    return (time.perf_counter() - start) * 1000.0, proc


def alternate(
    rounds: int, runners: dict[str, Callable[[], float]], warmup: int = 1
) -> list[Series]:
    """Run each runner once per round, alternating order, after `warmup` untimed rounds."""
    for _ in range(warmup):
        for run in runners.values():
            run()
    series = {name: Series(name, []) for name in runners}
    names = list(runners)
    for i in range(rounds):
        order = names if i % 2 == 0 else list(reversed(names))
        for name in order:
            series[name].samples.append(runners[name]())
    return list(series.values())


def table(title: str, series: list[Series], unit: str = "ms", goal: str = "") -> str:
    lines = [
        f"## {title}",
        "",
        f"| run | min {unit} | median {unit} | max {unit} | n |",
        "|---|---|---|---|---|",
    ]
    for s in series:
        lines.append(
            f"| {s.name} | {s.min:.1f} | {s.median:.1f} | {s.max:.1f} | {len(s.samples)} |"
        )
    if len(series) == 2:
        ratio = series[0].median / series[1].median
        lines.append("")
        lines.append(
            f"ratio of medians ({series[0].name} / {series[1].name}): **{ratio:.2f}×**"
            + (f" (goal {goal})" if goal else "")
        )
    return "\n".join(lines) + "\n"


def env_without_display() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env
