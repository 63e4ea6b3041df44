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
_zygotes: dict[str, Zygote] = {}  # "cli": the CLI's; "qt": children making a QApplication


def start_zygote(folder: Path) -> None:
    """Called once per test process (tests/conftest.py), with the environment final: the
    zygotes' start-up environment is cli_env's without a test's own variables. Each starts
    at its first run."""
    baseline = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_")}
    baseline["PYTHONDONTWRITEBYTECODE"] = "1"
    for preload in ("cli", "qt"):
        _zygotes[preload] = Zygote(baseline, folder, preload)


def stop_zygote() -> None:
    """Ends the zygotes; with ZYGOTE_STATS=FILE, appends how many runs they served and why
    the others started a fresh interpreter (to see what still pays for a start-up)."""
    stats = os.environ.get("ZYGOTE_STATS")
    for name, zygote in _zygotes.items():
        zygote.stop()
        if stats:
            with open(stats, "a", encoding="utf-8") as out:
                out.write(f"served {name} {zygote.served}\n")
                out.writelines(f"declined {name} {line}\n" for line in zygote.declined)


def _entry(cmd: Sequence[str], gui: bool) -> tuple[str | None, str | None, list[str]] | None:
    """(module, script, args): the wizard's CLI started the usual way, or with `gui` a
    test's own Qt program (`python -m MODULE` or `python FILE.py`)."""
    if gui:
        if cmd[:2] == [sys.executable, "-m"]:
            return cmd[2], None, list(cmd[3:])
        if cmd[:1] == [sys.executable] and cmd[1].endswith(".py"):
            return None, cmd[1], list(cmd[2:])
        return None
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
    gui: bool = False,
) -> subprocess.CompletedProcess[Any]:
    """subprocess.run(cmd, input=..., capture_output=True, text=..., env=..., cwd=...,
    timeout=..., check=False), through a zygote when that is the same thing (see
    tests/helpers/zygote.py); `real=True` always starts a fresh interpreter (tests of the
    interpreter's own start-up). `gui=True`: a test's Qt program, through the Qt zygote."""
    zygote = _zygotes.get("qt" if gui else "cli")
    entry = None if real or zygote is None else _entry(cmd, gui)
    why = "real" if entry is None else zygote.why_not(env, cwd)  # type: ignore[union-attr]
    if why is not None:
        if zygote is not None:
            zygote.declined.append(f"{why}: {' '.join(cmd[1:5])}")
        return subprocess.run(
            cmd, input=input, capture_output=True, text=text, env=dict(env), cwd=cwd,
            timeout=timeout, check=False,
        )  # fmt: skip
    module, script, args = entry  # type: ignore[misc]
    encoding = locale.getpreferredencoding(False)
    data = input.encode(encoding) if isinstance(input, str) else input
    code, out, err = zygote.run(  # type: ignore[union-attr]
        module=module, script=script, args=args, stdin=data, env=env, cwd=cwd,
        timeout=timeout, cmd=cmd,
    )  # fmt: skip
    if not text:
        return subprocess.CompletedProcess(cmd, code, out, err)
    # what subprocess's text mode makes of the bytes: the locale's codec, universal newlines
    return subprocess.CompletedProcess(cmd, code, _text(out, encoding), _text(err, encoding))


def _text(data: bytes, encoding: str) -> str:
    return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
