"""wizard.crashlog: the log support gets, redacted at the formatter (tracebacks included),
0600, and faulthandler's stack on a hard crash. Each in a child process: the log and the
hooks are once per process."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import CANARY_TOKEN

CHILD = r"""
import json, logging, os, sys
from wizard import crashlog, redact

token = sys.argv[1]
redact.register_secret(token)  # as check and the cleaner do once a token is known


def fetch(secret):
    raise ValueError(f"the server echoed {secret}")


try:
    try:
        fetch(token)
    except ValueError as exc:
        header = "Authorization: Basic " + "QUJDREVGR0hJSktMTU5PUA=="
        raise RuntimeError("saving failed: " + header) from exc
except RuntimeError:
    path = crashlog.record(sys.exc_info())
print(json.dumps({"path": str(path)}))
if sys.argv[2] == "segfault":
    import ctypes, resource
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    ctypes.string_at(0)
"""


def _child(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    return subprocess.run(
        [sys.executable, "-c", CHILD, CANARY_TOKEN, *args],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip


def test_a_crash_with_the_token_in_its_traceback_is_logged_redacted(tmp_path: Path) -> None:
    proc = _child(tmp_path, "no")
    assert proc.returncode == 0, proc.stderr
    log = Path(json.loads(proc.stdout)["path"])
    assert log == tmp_path / "state" / "alegra-wizard" / "log" / "alegra-wizard.log"
    text = log.read_text(encoding="utf-8")
    assert "CRITICAL wizard.crash: unexpected error" in text
    assert "Traceback (most recent call last)" in text and "in fetch" in text
    assert "ValueError: the server echoed …" + CANARY_TOKEN[-4:] in text
    assert "RuntimeError: saving failed: Authorization: Basic [redacted]" in text
    assert CANARY_TOKEN not in text and "QUJDREVGR0hJSktMTU5PUA" not in text
    assert CANARY_TOKEN not in proc.stdout + proc.stderr
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700


def test_a_hard_crash_leaves_its_python_stack_in_the_log(tmp_path: Path) -> None:
    """faulthandler on the same file: a segfault (a C library's bug) is not lost."""
    proc = _child(tmp_path, "segfault")
    assert proc.returncode != 0
    log = Path(json.loads(proc.stdout.splitlines()[0])["path"])
    text = log.read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in text
    assert 'File "<string>"' in text  # the stack: where, never a value
    assert CANARY_TOKEN not in text


def test_the_stderr_log_redacts_tracebacks_too(capsys: pytest.CaptureFixture[str]) -> None:
    """redact.install_redaction puts every handler behind RedactingFormatter: a filter
    alone cleaned the message, not the traceback under it."""
    import logging

    from wizard import redact

    redact.register_secret(CANARY_TOKEN)
    logger = logging.getLogger("test_crashlog.stderr")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    logger.addHandler(handler)
    logger.propagate = False
    try:
        redact.install_redaction(logger)
        try:
            raise OSError(f"keyring said {CANARY_TOKEN}")
        except OSError:
            logger.exception("save failed")
    finally:
        logger.removeHandler(handler)
    err = capsys.readouterr().err
    assert err.startswith("ERROR: save failed") and "OSError: keyring said …" in err
    assert CANARY_TOKEN not in err
