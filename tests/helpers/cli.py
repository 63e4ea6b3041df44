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
from wizard.outcomes import EXIT_CODES, Code

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


# --- what the CLI tests share (tests/cli/) ---------------------------------------------

JSON_KEYS = {
    "ok",
    "code",
    "http_status",
    "email",
    "token_hint",
    "company",
    "fixes",
    "warnings",
    "hint",
    "elapsed_ms",
    "rate_limit",
}


def check(run_cli, base_url: str, email: str, token: str, *extra: str, **kw):  # type: ignore[no-untyped-def]
    return run_cli(
        "check",
        "--json",
        "--base-url",
        base_url,
        "--email",
        email,
        "--token-stdin",
        *extra,
        stdin=token,
        **kw,
    )


def assert_outcome(result, code: Code, token: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert result.returncode == EXIT_CODES[code], (result.stdout, result.stderr)
    data = result.json
    assert data["code"] == code.value
    assert data.keys() >= JSON_KEYS
    assert data["ok"] is (code in (Code.CONNECTED, Code.FORMAT_OK))
    if token:
        assert token not in result.stdout and token not in result.stderr
        assert data["token_hint"] == "…" + token[-4:]
    if code is Code.CONNECTED:
        assert data["hint"] is None
    else:
        assert data["hint"]["title"] and data["hint"]["steps"]
    return data


FILE_TOKEN = "f1l3t0k3nw4nt3d0ut9q"


NO_PROXY_ENV = {
    var: ""
    for var in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
}


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def json(self) -> dict:  # type: ignore[type-arg]
        return json.loads(self.stdout)


def write_profile(config: Path, profile_id: str, **fields: object) -> None:
    config.mkdir(parents=True, exist_ok=True)
    entry = {"id": profile_id, "name": profile_id, "email": "demo@alegra.test", **fields}
    (config / "profiles.json").write_text(json.dumps({"format": 1, "profiles": [entry]}))


def closed_pipe(cli_env: dict[str, str], *args: str, stdin: bytes = b"") -> tuple[int, str]:
    """Run with stdout a pipe whose reader has already gone (`… | head -c0`)."""
    proc = subprocess.Popen(
        [SCRIPT, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**cli_env, **NO_PROXY_ENV},
    )
    assert proc.stdout is not None and proc.stdin is not None and proc.stderr is not None
    proc.stdout.close()
    proc.stdin.write(stdin)
    proc.stdin.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    return proc.wait(timeout=60), err


def store_for(cli_env):  # type: ignore[no-untyped-def]
    from wizard.store import Store

    return Store(config_dir=Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"]))


def read_until(fd: int, needle: bytes, timeout: float = 30) -> bytes:
    import select
    import time

    seen = b""
    end = time.monotonic() + timeout
    while needle not in seen:
        ready, _, _ = select.select([fd], [], [], max(0.0, end - time.monotonic()))
        if not ready:
            raise AssertionError(f"no {needle!r} in {seen!r}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    return seen
