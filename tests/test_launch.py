"""wizard.launch: the one dispatcher, and the window's ending where there is no display
(where --result-json is written from, as after a window)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT
from tests.helpers.cli import in_process
from wizard.launch import wants_gui


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
