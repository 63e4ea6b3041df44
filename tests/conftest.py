"""Shared test fixtures: hypothesis profiles, a CLI runner, the sandbox, a canary token."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("dev", max_examples=500, deadline=None)
settings.register_profile("ci", max_examples=10_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

ROOT = Path(__file__).resolve().parent.parent

# Real widgets without a display (pytest-qt); screenshots use Xvfb instead.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# A token-shaped canary: if these characters show up anywhere they must not, a test fails.
CANARY_TOKEN = "c4n4ryt0k3n5ecr3t9z7"


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str

    @property
    def json(self) -> dict:  # type: ignore[type-arg]
        import json

        return json.loads(self.stdout)


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """Environment for a CLI subprocess: its own config dir, no inherited Alegra variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_")}
    env["ALEGRA_WIZARD_CONFIG_DIR"] = str(tmp_path / "config")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


@pytest.fixture
def run_cli(cli_env: dict[str, str]):  # type: ignore[no-untyped-def]
    def run(
        *args: str,
        stdin: str | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 60,
        netns: bool = False,
    ) -> CliResult:
        cmd = [sys.executable, "-m", "wizard", *args]
        if netns:
            cmd = isolated_network(cmd)
        proc = subprocess.run(
            cmd,
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            env={**cli_env, **(env or {})},
            timeout=timeout,
            cwd=ROOT,
            check=False,
        )
        return CliResult(proc.returncode, proc.stdout, proc.stderr)

    return run


def isolated_network(cmd: list[str]) -> list[str]:
    """Run `cmd` in a fresh network namespace: name resolution fails at once, nothing leaves
    the machine. Needs root (as CI and `make test` run here)."""
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-n", "true"], check=False).returncode != 0:
        if os.environ.get("CI"):
            pytest.fail("unshare -n is needed for the network-isolated tests in CI")
        pytest.skip("unshare -n (a private network namespace) is not available here")
    return [unshare, "-n", *cmd]


@pytest.fixture(scope="session")
def sandbox() -> Iterator[object]:
    from wizard.sandbox import Sandbox

    with Sandbox(slow_seconds=8.0) as server:
        yield server
