"""The CLI leaves no token behind (issue 24): core dumps off, ALEGRA_TOKEN gone from its
environment once read (what it starts later inherits none). A child process: these change
the process itself."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

from tests.helpers import ROOT

# The real entry point, then what the process looks like afterwards.
PROBE = """
import contextlib, ctypes, io, json, os, sys
from wizard.launch import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(["check", "--offline", "--email", "ana@empresa.co", "--json"])
limits = open("/proc/self/limits").read().splitlines()
core = next(line for line in limits if line.startswith("Max core file size")).split()[4:6]
print(json.dumps({
    "code": code,
    "checked": json.loads(out.getvalue())["token_hint"],
    "env": "ALEGRA_TOKEN" in os.environ,
    "core": core,
    "dumpable": ctypes.CDLL(None).prctl(3, 0, 0, 0, 0),
}))
"""


def test_the_cli_reads_alegra_token_then_drops_it_and_dumps_no_core(cli_env) -> None:  # type: ignore[no-untyped-def]
    token = "cli" + uuid.uuid4().hex[:17]
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], env={**cli_env, "ALEGRA_TOKEN": token},
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = json.loads(proc.stdout.splitlines()[-1])
    assert got["code"] == 0 and got["checked"] == "…" + token[-4:]  # it was read
    assert got["env"] is False
    assert got["core"] == ["0", "0"]
    assert got["dumpable"] == 0


# A command that never reads the token: what it starts inherits none either.
DOCTOR_PROBE = """
import contextlib, io, json, os
from wizard.launch import main
with contextlib.redirect_stdout(io.StringIO()):
    main(["doctor", "--offline", "--json"])
print(json.dumps({"env": "ALEGRA_TOKEN" in os.environ}))
"""


def test_a_command_that_never_reads_the_token_holds_it_out_of_the_environment(cli_env) -> None:  # type: ignore[no-untyped-def]
    proc = subprocess.run(
        [sys.executable, "-c", DOCTOR_PROBE], env={**cli_env, "ALEGRA_TOKEN": "a" * 20},
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout.splitlines()[-1]) == {"env": False}


def test_the_window_drops_the_secret_variables_at_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import os

    from wizard import hardening

    monkeypatch.setenv("ALEGRA_TOKEN", "a" * 20)
    monkeypatch.setenv("ALEGRA_EMAIL", "ana@empresa.co")
    hardening.drop_secret_environment()
    assert "ALEGRA_TOKEN" not in os.environ
    assert os.environ["ALEGRA_EMAIL"] == "ana@empresa.co"  # not a secret
