"""wizard.launch: the one dispatcher; the console script in a child process where a process
is the point (the entry point itself, a closed pipe, Ctrl+C); and the window's ending where
there is no display (where --result-json is written from, as after a window)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import CANARY_TOKEN, ROOT
from tests.helpers.cli import NO_PROXY_ENV, SCRIPT, closed_pipe, in_process
from tests.helpers.waiting import wait_until
from wizard.launch import wants_gui
from wizard.sandbox import DEMO_TOKEN


@pytest.mark.parametrize(
    ("argv", "gui"),
    [
        ([], True),
        (["--lang", "en"], True),
        (["--sandbox", "--result-json", "out.json"], True),
        (["check"], False),
        (["chek"], False),
        (["--help"], False),
        (["--version"], False),
        (["--lang", "en", "status"], False),
    ],
)
def test_a_word_or_a_cli_flag_means_the_cli(argv: list[str], gui: bool) -> None:
    assert wants_gui(argv) is gui


def test_the_launcher_runs_a_command_in_process(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_")}
    env["ALEGRA_WIZARD_CONFIG_DIR"] = str(tmp_path)
    result = in_process(["profiles", "--json"], env=env)
    assert result.returncode == 0, result.stderr
    assert result.json == {"ok": True, "default": None, "profiles": []}


def test_without_a_display_the_window_writes_its_result_and_exits_cancelled(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    out = tmp_path / "result.json"
    proc = subprocess.run(
        [sys.executable, "-m", "wizard", "--lang", "es", "--result-json", str(out)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 19, proc.stderr
    assert json.loads(out.read_text("utf-8")) == {
        "ok": False, "code": "cancelled", "saved": False, "verified": False, "profile": None,
        "company": None, "email": None, "token_hint": None, "test_mode": False,
    }  # fmt: skip
    assert out.stat().st_mode & 0o777 == 0o600


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
