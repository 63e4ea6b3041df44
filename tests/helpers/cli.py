"""Running the CLI: in this process through the launcher with in-memory streams (the way gh
and httpie test theirs), or in a child process where a process is the point (pipes,
signals, encodings, a terminal, exit codes at shutdown, the console script itself)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT

SCRIPT = str(Path(sys.executable).with_name("alegra-wizard"))  # the console script

# What only a fresh interpreter reads (its streams' encoding, the locale, the keyring it
# picks once): a run that sets one of these must be a child process.
PROCESS_ONLY = frozenset(
    {"PYTHONIOENCODING", "PYTHONUTF8", "PYTHON_KEYRING_BACKEND", "LANG", "LC_ALL", "LC_CTYPE"}
)


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str

    @property
    def json(self) -> Any:
        return json.loads(self.stdout)


def isolated_network(cmd: list[str]) -> list[str]:
    """Run `cmd` in a fresh network namespace: name resolution fails at once, nothing leaves
    the machine. Needs root (as CI and `make test` run here)."""
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-n", "true"], check=False).returncode != 0:
        if os.environ.get("CI"):
            pytest.fail("unshare -n is needed for the network-isolated tests in CI")
        pytest.skip("unshare -n (a private network namespace) is not available here")
    return [unshare, "-n", *cmd]


def needs_process(args: Sequence[str], env: Mapping[str, str]) -> bool:
    """Whether only a child process can run this: `env` sets what a fresh interpreter reads
    (PROCESS_ONLY), or `credential get` writes to its stdout, which must be a pipe."""
    if any(env.get(k) != os.environ.get(k) for k in PROCESS_ONLY):
        return True
    return "credential" in args and "--output" not in args


@contextlib.contextmanager
def environment(env: Mapping[str, str]) -> Iterator[None]:
    """os.environ is exactly `env` inside, as it was after."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def in_process(
    args: Sequence[str], *, stdin: str | bytes = b"", env: Mapping[str, str]
) -> CliResult:
    """`alegra-wizard ARGS` run by `wizard.launch.main` in this process: stdin, stdout and
    stderr are in-memory UTF-8 streams, the environment is `env`."""
    from wizard import launch

    changed = sorted(k for k in PROCESS_ONLY if env.get(k) != os.environ.get(k))
    assert not changed, f"{changed}: only a fresh interpreter reads these; run a child process"
    data = stdin.encode() if isinstance(stdin, str) else stdin
    streams = [
        io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"),
        io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True),
        io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True),
    ]
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = streams
    try:
        with environment(env):
            try:
                code = launch.main(list(args))
            except SystemExit as done:
                code = done.code if isinstance(done.code, int) else 1
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
    out, err = (s.buffer.getvalue().decode("utf-8", "replace") for s in streams[1:])  # type: ignore[attr-defined]
    return CliResult(code, out, err)


def run(
    cmd: list[str],
    *,
    input: str | bytes,
    env: Mapping[str, str],
    timeout: float,
    cwd: str | os.PathLike[str] = ROOT,
    text: bool = True,
) -> subprocess.CompletedProcess[Any]:
    """A child process: subprocess.run with the output captured, never raising for its
    exit code."""
    return subprocess.run(
        cmd, input=input, capture_output=True, text=text, env=dict(env), cwd=cwd,
        timeout=timeout, check=False,
    )  # fmt: skip
