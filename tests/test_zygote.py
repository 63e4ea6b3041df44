"""The CLI zygote (tests/helpers/zygote.py) gives a child what a fresh interpreter gives a
process: the same view from inside (a probe run both ways), the same exit paths, and a real
start-up whenever the environment asks for one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, cli, zygote
from tests.helpers.zygote import Zygote

PROBE = "tests.helpers.zygote_probe"


@pytest.fixture(scope="module")
def zyg(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    # buffered stdout (this machine exports PYTHONUNBUFFERED), so the final flush is real
    baseline = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    z = Zygote(baseline, tmp_path_factory.mktemp("zygote"))
    yield z
    z.stop()


def both(zyg: Zygote, mode: str, stdin: bytes = b"", **env: str) -> list[tuple[int, str, str]]:
    full = {**zyg.baseline, **env}
    cmd = [sys.executable, "-m", PROBE, mode]
    real = subprocess.run(cmd, input=stdin, capture_output=True, env=full, cwd=ROOT, timeout=60)
    forked = zyg.run(
        module=PROBE, script=None, args=[mode], stdin=stdin, env=full, cwd=ROOT, timeout=60,
        cmd=cmd,
    )  # fmt: skip
    return [
        (real.returncode, real.stdout.decode(), real.stderr.decode()),
        (forked[0], forked[1].decode(), forked[2].decode()),
    ]


def test_a_child_sees_what_a_fresh_interpreter_sees(zyg: Zygote, tmp_path: Path) -> None:
    old = os.umask(0o077)  # the test process's umask at the time of the run is the child's
    try:
        real, forked = both(
            zyg, "exit:7", "ñandú\n".encode(), ZYGOTE_PROBE="sí", HOME=str(tmp_path)
        )
    finally:
        os.umask(old)
    assert real[0] == forked[0] == 7
    views = [json.loads(run[1].splitlines()[0]) for run in (real, forked)]
    assert views[0] == views[1]
    assert views[1]["env"] == {"ZYGOTE_PROBE": "sí", "HOME": str(tmp_path)}
    assert views[1]["umask"] == 0o077 and views[1]["fds"] == ["0", "1", "2", "3"]
    assert views[1]["stdin_text"] == "ñandú\n" and views[1]["threads"] == 1
    assert real[1].splitlines()[1:] == forked[1].splitlines()[1:] == ["atexit ran"]
    assert real[2] == forked[2] == "to stderr\n"


def test_the_same_exit_paths(zyg: Zygote) -> None:
    real, forked = both(zyg, "unflushable")  # the final flush fails: exit 120
    assert real[0] == forked[0] == 120
    assert real[2] == forked[2] and "Exception ignored" in forked[2]
    real, forked = both(zyg, "signal")
    assert real[0] == forked[0] == -15


def test_a_run_past_its_timeout_is_killed(zyg: Zygote) -> None:
    cmd = [sys.executable, "-m", PROBE, "sleep"]
    with pytest.raises(subprocess.TimeoutExpired):
        zyg.run(module=PROBE, script=None, args=["sleep"], stdin=b"", env=zyg.baseline,
                cwd=ROOT, timeout=1, cmd=cmd)  # fmt: skip
    assert zyg.run(module=PROBE, script=None, args=["exit:0"], stdin=b"", env=zyg.baseline,
                   cwd=ROOT, timeout=30, cmd=cmd)[0] == 0  # fmt: skip


def test_start_up_variables_get_a_real_interpreter(cli_env: dict[str, str]) -> None:
    z = Zygote(cli_env, Path("/nonexistent"))
    assert z.why_not(cli_env, ROOT) is None
    assert z.why_not({**cli_env, "ALEGRA_EMAIL": "a@b.co", "HTTPS_PROXY": "x"}, ROOT) is None
    for name in ("LANG", "LC_ALL", "PYTHONIOENCODING", "PYTHONUTF8", "TZ", "PATH"):
        assert z.why_not({**cli_env, name: "x"}, ROOT) is not None, name
    assert z.why_not(cli_env, "/tmp") is not None
    # and the window (Qt's start-up is the window's own benchmark) never goes there
    assert cli._entry([sys.executable, "-m", "wizard", "--sandbox"], gui=False) is None
    status = cli._entry([sys.executable, "-m", "wizard", "status"], gui=False)
    assert status == ("wizard", None, ["status"])


def test_a_variable_read_while_importing_is_noticed() -> None:
    plain = type(os.environ)
    os.environ.__class__ = zygote._RecordingEnviron
    try:
        os.environ.get("ZYGOTE_PROBE_READ")
    finally:
        os.environ.__class__ = plain
    assert "ZYGOTE_PROBE_READ" in zygote._RecordingEnviron.read
