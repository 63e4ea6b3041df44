"""The CLI through the real console script where a process is the point (wizard/launch.py):
the entry point itself, a closed pipe, Ctrl+C."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.helpers import CANARY_TOKEN
from tests.helpers.cli import (
    NO_PROXY_ENV,
    SCRIPT,
    closed_pipe,
)
from tests.helpers.waiting import wait_until
from wizard.sandbox import DEMO_TOKEN


def test_console_script_is_the_entry_point(script) -> None:  # type: ignore[no-untyped-def]
    assert Path(SCRIPT).is_file() and os.access(SCRIPT, os.X_OK)
    # The script itself, started fresh, answers as the launcher does in-process.
    for args in (["--version"], ["status", "--json"], ["chek"]):
        runs = [script(*args, process=process) for process in (True, False)]
        assert runs[0].returncode == runs[1].returncode and runs[0].stdout == runs[1].stdout
        assert runs[0].stderr == runs[1].stderr


def test_a_closed_pipe_ends_quietly(cli_env, stored) -> None:  # type: ignore[no-untyped-def]
    from wizard.launch import EXIT_BROKEN_PIPE

    stored("tubo", CANARY_TOKEN)
    for args in (
        ["status", "--json"],
        ["--help"],
        ["doctor", "--offline"],
        ["credential", "get", "--profile", "tubo"],
        ["check", "--offline", "--email", "a@b.co", "--token-stdin"],
    ):
        code, err = closed_pipe(cli_env, *args, stdin=CANARY_TOKEN.encode())
        assert "Exception ignored" not in err and "BrokenPipeError" not in err, (args, err)
        assert "Error interno" not in err and "Traceback" not in err, (args, err)
        # argparse itself ignores a failed write of its help (exit 0).
        assert code in ((0,) if args == ["--help"] else (EXIT_BROKEN_PIPE,)), (args, code, err)


def test_a_closed_pipe_in_a_real_shell_pipeline(cli_env) -> None:  # type: ignore[no-untyped-def]
    for args in ("--help", "status --json", "doctor --offline"):
        proc = subprocess.run(
            ["bash", "-c", f"{SCRIPT} {args} | head -c1 >/dev/null; exit ${{PIPESTATUS[0]}}"],
            capture_output=True,
            text=True,
            env={**cli_env, **NO_PROXY_ENV},
            check=False,
        )
        assert "Exception ignored" not in proc.stderr and "Error interno" not in proc.stderr
        assert proc.returncode in (0, 17, 18, 141), (args, proc.returncode, proc.stderr)


def test_ctrl_c_under_json_still_prints_one_json_object(sandbox, cli_env) -> None:  # type: ignore[no-untyped-def]
    import signal

    def slow_requests() -> int:
        return sum(1 for _m, path, email in sandbox.requests_seen
                   if path.endswith("/company") and email == "lento@alegra.test")  # fmt: skip

    def as_in_a_terminal() -> None:
        # A runner started in the background (`cmd &` in a script) has SIGINT ignored, and
        # a child inherits that: Python then keeps ignoring it, rightly, and the check ran to
        # its end (exit 0). Ctrl+C in a terminal reaches a command with the default action.
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    before = slow_requests()
    proc = subprocess.Popen(
        [SCRIPT, "check", "--json", "--base-url", sandbox.url, "--email", "lento@alegra.test",
         "--token-stdin", "--timeout", "30"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**cli_env, **NO_PROXY_ENV}, preexec_fn=as_in_a_terminal,
    )  # fmt: skip
    assert proc.stdin is not None
    proc.stdin.write(DEMO_TOKEN.encode())
    proc.stdin.close()
    proc.stdin = None  # communicate() must not flush it again
    # Interrupted while it waits for the answer (the slow account takes 8 s), not sooner.
    wait_until(lambda: slow_requests() > before, timeout=20)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert json.loads(out) == {"ok": False, "code": "interrupted"}
    assert b"Traceback" not in err
