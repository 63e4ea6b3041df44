"""The frozen app for tests/test_frozen.py and tests/test_deb.py: built once per test run.

The build goes into build/frozen-test/dist, with PyInstaller's work folder (its cache) in
build/pyinstaller, shared with `make dist`: about 25 s with the cache, one to two
minutes without. Memoized here rather than in a fixture so both modules share one build.
"""

from __future__ import annotations

import fcntl
import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT


@functools.cache
def build_bundle() -> Path:
    """The onedir folder, freshly built from the committed spec."""
    if sys.platform.startswith("linux"):
        for tool in ("objdump", "as", "ld"):
            assert shutil.which(tool), f"{tool} (binutils): scripts/install-system-deps.sh"
    dist = ROOT / "build" / "frozen-test" / "dist"
    dist.mkdir(parents=True, exist_ok=True)
    # pytest-xdist workers (or two runs in one checkout) build one at a time.
    with (dist.parent / "build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        proc = _pyinstaller(dist)
    assert proc.returncode == 0, proc.stderr[-3000:]
    folder = dist / "alegra-wizard"
    assert (folder / "alegra-wizard").is_file()
    return folder


def _pyinstaller(dist: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(ROOT / "build" / "pyinstaller"),
         str(ROOT / "packaging" / "alegra-wizard.spec")],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_")}
    env.update(extra)
    return env


def run(
    binary: Path | str,
    *args: str,
    stdin: str = "",
    env: dict[str, str] | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(binary), *args], input=stdin, capture_output=True, text=True,
        env=env or clean_env(), timeout=timeout, check=False,
    )  # fmt: skip
