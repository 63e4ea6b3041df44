"""The running window leaves no token behind (issue 24): no core dump (RLIMIT_CORE 0, not
dumpable), and the browser it starts inherits no ALEGRA_TOKEN. The real window in a child
process under Xvfb (Qt's offscreen platform opens no browser), read from /proc."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from tests.helpers import ROOT

FAKE_BROWSER = """#!/bin/sh
env > "$GUI_DRIVER_BROWSER_LOG.tmp"
echo "url=$1" >> "$GUI_DRIVER_BROWSER_LOG.tmp"
mv "$GUI_DRIVER_BROWSER_LOG.tmp" "$GUI_DRIVER_BROWSER_LOG"
"""


def _wait_for(path: Path, proc: subprocess.Popen[str], timeout: float = 60) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if path.exists() and path.read_text():
            return path.read_text()
        assert proc.poll() is None, proc.communicate()[1][-2000:]
        time.sleep(0.05)
    raise AssertionError(f"{path.name} never came")


def test_the_window_turns_core_dumps_off_and_its_browser_gets_no_token(tmp_path: Path) -> None:
    token = "env" + uuid.uuid4().hex[:17]
    browser = tmp_path / "browser.sh"
    browser.write_text(FAKE_BROWSER)
    browser.chmod(0o755)
    files = {name: tmp_path / name.lower() for name in ("BROWSER_LOG", "READY", "GO")}
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_")}
    env.update(
        QT_QPA_PLATFORM="xcb",
        BROWSER=str(browser),
        ALEGRA_TOKEN=token,
        ALEGRA_WIZARD_CONFIG_DIR=str(tmp_path / "config"),
        **{f"GUI_DRIVER_{name}": str(path) for name, path in files.items()},
    )
    proc = subprocess.Popen(
        ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", sys.executable, "-m",
         "tests.helpers.gui_driver", "open_alegra_then_hold", "--sandbox", "--lang", "es"],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        pid, dumpable = map(int, _wait_for(files["READY"], proc).split())
        limits = Path(f"/proc/{pid}/limits").read_text()
        seen = files["BROWSER_LOG"].read_text()
    finally:
        files["GO"].write_text("go")
        try:
            proc.communicate(timeout=60)
        finally:
            proc.kill()
    core = next(line for line in limits.splitlines() if line.startswith("Max core file size"))
    assert core.split()[4:6] == ["0", "0"], core  # soft and hard
    assert dumpable == 0  # PR_SET_DUMPABLE 0: no ptrace, no /proc/<pid>/mem for the user
    assert "url=https://" in seen, seen
    assert token not in seen
    assert "ALEGRA_TOKEN" not in seen
    assert proc.returncode == 19, proc.stderr[-2000:]


def test_a_shown_token_never_reaches_the_primary_selection(tmp_path: Path) -> None:
    # X11's PRIMARY selection takes whatever is selected, no Ctrl+C needed: Xvfb and xcb,
    # as a Linux desktop has it (Qt's offscreen platform has no selection).
    token = "sel" + uuid.uuid4().hex[:17]
    primary = tmp_path / "primary"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_")}
    env.update(
        QT_QPA_PLATFORM="xcb",
        GUI_DRIVER_TOKEN=token,
        GUI_DRIVER_PRIMARY=str(primary),
        ALEGRA_WIZARD_CONFIG_DIR=str(tmp_path / "config"),
    )
    proc = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", sys.executable, "-m",
         "tests.helpers.gui_driver", "show_then_select", "--sandbox", "--lang", "es"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 19, proc.stderr[-2000:]
    assert primary.read_text() == "before"  # nothing selected went there
