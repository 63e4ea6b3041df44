"""Running the real console entry point in a child process."""

from __future__ import annotations

import json
import locale
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT
from tests.helpers.zygote import Zygote


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


# --- CLI children: the zygote where it gives what a fresh interpreter would ---------------

SCRIPT = str(Path(sys.executable).with_name("alegra-wizard"))  # the console script
_zygote: Zygote | None = None


def start_zygote(folder: Path) -> None:
    """Called once per test process (tests/conftest.py), with the environment final: the
    zygote's start-up environment is cli_env's without a test's own variables."""
    global _zygote
    baseline = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_")}
    baseline["PYTHONDONTWRITEBYTECODE"] = "1"
    _zygote = Zygote(baseline, folder)


def stop_zygote() -> None:
    """Ends the zygote; with ZYGOTE_STATS=FILE, appends how many runs it served and why the
    others started a fresh interpreter (to see what still pays for a start-up)."""
    if _zygote is None:
        return
    _zygote.stop()
    stats = os.environ.get("ZYGOTE_STATS")
    if stats:
        with open(stats, "a", encoding="utf-8") as out:
            out.write(f"served {_zygote.served}\n")
            out.writelines(f"declined {line}\n" for line in _zygote.declined)


def _entry(cmd: Sequence[str]) -> tuple[str | None, str | None, list[str]] | None:
    """(module, script, args) when `cmd` starts the wizard's CLI the usual way."""
    if cmd[:3] == [sys.executable, "-m", "wizard"]:
        module, script, args = "wizard", None, list(cmd[3:])
    elif cmd[:1] == [SCRIPT]:
        module, script, args = None, SCRIPT, list(cmd[1:])
    else:
        return None
    from wizard.launch import wants_gui

    return None if wants_gui(args) else (module, script, args)


def run(
    cmd: list[str],
    *,
    input: str | bytes,
    env: Mapping[str, str],
    timeout: float,
    cwd: str | os.PathLike[str] = ROOT,
    text: bool = True,
    real: bool = False,
) -> subprocess.CompletedProcess[Any]:
    """subprocess.run(cmd, input=..., capture_output=True, text=..., env=..., cwd=...,
    timeout=..., check=False), through the zygote when that is the same thing (see
    tests/helpers/zygote.py); `real=True` always starts a fresh interpreter (tests of the
    interpreter's own start-up)."""
    entry = None if real or _zygote is None else _entry(cmd)
    why = "real" if entry is None else _zygote.why_not(env, cwd)  # type: ignore[union-attr]
    if why is not None:
        if _zygote is not None:
            _zygote.declined.append(f"{why}: {' '.join(cmd[1:5])}")
        return subprocess.run(
            cmd, input=input, capture_output=True, text=text, env=dict(env), cwd=cwd,
            timeout=timeout, check=False,
        )  # fmt: skip
    module, script, args = entry
    encoding = locale.getpreferredencoding(False)
    data = input.encode(encoding) if isinstance(input, str) else input
    code, out, err = _zygote.run(  # type: ignore[union-attr]
        module=module, script=script, args=args, stdin=data, env=env, cwd=cwd,
        timeout=timeout, cmd=cmd,
    )  # fmt: skip
    if not text:
        return subprocess.CompletedProcess(cmd, code, out, err)
    # what subprocess's text mode makes of the bytes: the locale's codec, universal newlines
    return subprocess.CompletedProcess(cmd, code, _text(out, encoding), _text(err, encoding))


def _text(data: bytes, encoding: str) -> str:
    return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
