"""The frozen app (PyInstaller onedir, packaging/alegra-wizard.spec) starts, checks and
reaches the keyring: what a user who untars it and double-clicks gets.

The build runs once per session (about 20 s with PyInstaller's cache, a minute without)
into build/frozen-test/, so `make test` proves the spec still works on a fresh clone.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CANARY_TOKEN, ROOT
from wizard.sandbox import DEMO_TOKEN, Sandbox
from wizard.version import __version__

pytestmark = pytest.mark.keyring


@pytest.fixture(scope="session")
def frozen() -> Path:
    if shutil.which("objdump") is None and sys.platform.startswith("linux"):
        pytest.fail(
            "PyInstaller needs objdump (binutils); scripts/install-system-deps.sh installs it"
        )
    dist = ROOT / "build" / "frozen-test" / "dist"
    proc = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(ROOT / "build" / "pyinstaller"),
         str(ROOT / "packaging" / "alegra-wizard.spec")],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    binary = dist / "alegra-wizard" / "alegra-wizard"
    assert binary.is_file()
    return binary


def run(
    binary: Path,
    *args: str,
    stdin: str = "",
    env: dict[str, str] | None = None,
    timeout: float = 60,
):  # type: ignore[no-untyped-def]
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_")}
    full_env.update(env or {})
    return subprocess.run(
        [str(binary), *args], input=stdin, capture_output=True, text=True,
        env=full_env, timeout=timeout, check=False,
    )  # fmt: skip


def test_version(frozen: Path) -> None:
    out = run(frozen, "--version")
    assert out.returncode == 0 and out.stdout.strip() == f"alegra-wizard {__version__}"


def test_smoke_test_offscreen(frozen: Path) -> None:
    out = run(
        frozen,
        "--smoke-test",
        env={"QT_QPA_PLATFORM": "offscreen", "ALEGRA_WIZARD_SMOKE_REPORT": "1"},
    )
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["heavy_modules_loaded"] == []


def test_smoke_test_on_a_real_x_server(frozen: Path) -> None:
    xvfb = shutil.which("xvfb-run")
    assert xvfb, "xvfb-run is installed by scripts/install-system-deps.sh"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_")}
    env["QT_QPA_PLATFORM"] = "xcb"
    proc = subprocess.run(
        [xvfb, "-a", str(frozen), "--smoke-test", "--lang", "en"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]


@pytest.fixture
def sandbox_url() -> Iterator[str]:
    with Sandbox() as server:
        yield server.url


def test_check_against_the_sandbox(frozen: Path, sandbox_url: str) -> None:
    out = run(
        frozen, "check", "--json", "--probe", "--email", "demo@alegra.test", "--token-stdin",
        "--base-url", sandbox_url, stdin=DEMO_TOKEN,
    )  # fmt: skip
    data = json.loads(out.stdout)
    assert out.returncode == 0 and data["code"] == "connected", out.stderr
    assert data["company"]["name"] == "Panadería La Espiga S.A.S."
    assert DEMO_TOKEN not in out.stdout + out.stderr


def test_the_frozen_app_reaches_the_real_keyring(frozen: Path, tmp_path: Path) -> None:
    """Reads a secret back and deletes it through the Secret Service: proves keyring's
    backends (found through entry points) were bundled."""
    from wizard.store import Profile, Store

    config = tmp_path / "config"
    store = Store(config_dir=config)
    store.save(Profile(id="", name="Congelada", email="a@b.co"), CANARY_TOKEN)
    env = {"ALEGRA_WIZARD_CONFIG_DIR": str(config)}
    got = run(frozen, "credential", "get", "--profile", "congelada", env=env)
    assert got.returncode == 0, got.stderr
    assert CANARY_TOKEN in got.stdout  # to a pipe, as other programs read it
    doctor = run(frozen, "doctor", "--offline", "--json", env=env)
    keyring_item = next(i for i in json.loads(doctor.stdout)["items"] if i["id"] == "keyring")
    assert keyring_item["status"] == "ok", keyring_item
    gone = run(frozen, "forget", "--profile", "congelada", env=env)
    assert gone.returncode == 0, gone.stderr
    import keyring

    assert keyring.get_password("alegra-wizard", "congelada") is None
