"""A crash in the window (issue 26): an exception in a Qt slot, or before the window, is
written to the crash log (redacted), said in a message box in Spanish then English naming
that log, and the app ends with exit 1 instead of hanging with nothing recorded. The real
app.main / launch.run_gui in a child process (the hooks are the process's)."""

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
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from wizard import app, launch, redact

token, when = sys.argv[1], sys.argv[2]
qapp = QApplication([sys.argv[0]])


def broken_slot():
    redact.register_secret(token)  # as the credentials page does once a token is pasted
    raise RuntimeError(f"a slot failed holding {token}")


def answer():
    box = qapp.activeModalWidget()
    if not isinstance(box, QMessageBox):
        QTimer.singleShot(20, answer)
        return
    print(json.dumps({"name": box.objectName(), "title": box.windowTitle(), "text": box.text(),
                      "info": box.informativeText()}), flush=True)
    box.accept()


if when == "startup":
    def create_wizard(*args, **kw):
        redact.register_secret(token)
        raise OSError(f"no resources for {token}")
    app.create_wizard = create_wizard
else:
    QTimer.singleShot(200, broken_slot)
QTimer.singleShot(200, answer)
sys.exit(launch.run_gui(["--lang", "es"]))
"""


@pytest.mark.parametrize("when", ["slot", "startup"])
def test_a_crash_shows_a_box_naming_the_log_and_the_app_exits(tmp_path: Path, when: str) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, CANARY_TOKEN, when],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr
    box = json.loads(proc.stdout.strip().splitlines()[-1])
    log = tmp_path / "state" / "alegra-wizard" / "log" / "alegra-wizard.log"
    assert box["name"] == "crashBox"
    assert box["title"] == "Algo salió mal y el asistente tiene que cerrarse."
    assert box["text"].splitlines() == [
        "Algo salió mal y el asistente tiene que cerrarse.",
        "Something went wrong and the wizard has to close.",
    ]
    spanish, english = box["info"].splitlines()
    assert spanish.startswith("Tu token sigue a salvo") and spanish.endswith(str(log))
    assert english.startswith("Your token is still safe") and english.endswith(str(log))
    text = log.read_text(encoding="utf-8")
    failure = (
        "RuntimeError: a slot failed holding …" if when == "slot" else "OSError: no resources for …"
    )
    assert "Traceback (most recent call last)" in text and failure + CANARY_TOKEN[-4:] in text
    assert CANARY_TOKEN not in text + proc.stdout + proc.stderr
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert str(log) in proc.stderr  # a line for whoever started it from a terminal
