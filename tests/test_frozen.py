"""The frozen app (PyInstaller onedir, packaging/alegra-wizard.spec) starts, checks and
saves to the keyring: what a user who untars it and double-clicks gets.

The build runs once per test run (tests/helpers/frozen.py). So `make test` proves the
spec still works on a fresh clone. The keyring tests need the real Secret Service
(`make test` runs pytest inside scripts/with-keyring.sh). Marked `frozen` (a fast run skips it with
`-m "not frozen"`; `make test` runs it). tests/test_deb.py packages this same build.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import CANARY_TOKEN, ROOT
from tests.helpers.frozen import build_bundle, clean_env, run
from wizard.sandbox import DEMO_TOKEN, Sandbox
from wizard.store import keyring_service

sys.path.insert(0, str(ROOT / "packaging"))
import elf
import system_libs

pytestmark = [pytest.mark.frozen, pytest.mark.keyring, pytest.mark.timeout(900)]

VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
MiB = 2**20


@pytest.fixture(scope="session")
def bundle() -> Path:
    return build_bundle()


@pytest.fixture(scope="session")
def frozen(bundle: Path) -> Path:
    return bundle / "alegra-wizard"


def test_version_comes_from_pyproject(frozen: Path) -> None:
    out = run(frozen, "--version")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"alegra-wizard {VERSION}"


def test_smoke_test_offscreen_without_heavy_imports(frozen: Path) -> None:
    env = clean_env(QT_QPA_PLATFORM="offscreen", ALEGRA_WIZARD_SMOKE_REPORT="1")
    out = run(frozen, "--smoke-test", env=env)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["heavy_modules_loaded"] == []


def test_smoke_test_on_a_real_x_server(frozen: Path) -> None:
    """The xcb platform plugin and its libraries were bundled (the classic "could not load
    the Qt platform plugin xcb" of a frozen app)."""
    xvfb = shutil.which("xvfb-run")
    assert xvfb, "xvfb-run is installed by scripts/install-system-deps.sh"
    proc = subprocess.run(
        [xvfb, "-a", "-s", "-screen 0 1280x800x24", str(frozen), "--smoke-test", "--lang", "en"],
        capture_output=True, text=True, env=clean_env(QT_QPA_PLATFORM="xcb"), timeout=120,
        check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Could not load the Qt platform plugin" not in proc.stderr


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


def test_an_untrusted_certificate_names_its_issuer_from_the_bundle(frozen: Path) -> None:
    """requests, truststore and the real cryptography (reading the refused certificate's
    issuer) work from the bundle."""
    import trustme

    from tests.helpers.faultserver import (
        COMPANY,
        ISSUER,
        JSON,
        FaultServer,
        respond,
        tls_context,
    )

    server = FaultServer(
        respond(200, COMPANY, JSON), tls=tls_context(trustme.CA(organization_name=ISSUER))
    )
    try:
        out = run(
            frozen, "check", "--json", "--email", "demo@alegra.test", "--token-stdin",
            "--base-url", server.url, stdin=DEMO_TOKEN,
        )  # fmt: skip
    finally:
        server.close()
    data = json.loads(out.stdout)
    assert data["code"] == "tls_error", out.stdout + out.stderr
    assert ISSUER in json.dumps(data["hint"], ensure_ascii=False)
    assert server.requests == []


def test_the_frozen_sandbox_answers_the_frozen_check(frozen: Path) -> None:
    """`alegra-wizard sandbox` (the GUI's demo mode runs the same server) works frozen."""
    server = subprocess.Popen(
        [str(frozen), "sandbox", "--lang", "en"], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=clean_env(),
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert server.stdout is not None
        for line in server.stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+\S*", lines.get(timeout=30))
        assert url, "the sandbox prints its URL"
        out = run(
            frozen, "check", "--json", "--email", "mx@alegra.test", "--token-stdin",
            "--base-url", url.group(0), stdin=DEMO_TOKEN,
        )  # fmt: skip
        data = json.loads(out.stdout)
        assert data["code"] == "connected" and data["company"]["currency"] == "MXN", out.stderr
    finally:
        server.terminate()
        server.wait(timeout=10)


def keyring_check(bundle: Path, *args: str, stdin: str = "", **env: str) -> dict:  # type: ignore[type-arg]
    out = run(bundle / "alegra-wizard-keyring-check", *args, stdin=stdin, env=clean_env(**env))
    report = json.loads(out.stdout)
    report["exit"] = out.returncode
    assert CANARY_TOKEN not in out.stdout + out.stderr
    return report


def test_the_bundle_saves_reads_and_removes_a_secret(bundle: Path) -> None:
    report = keyring_check(bundle)
    assert report == {
        "backend": "SecretService Keyring",
        # Secrets went through AES-CBC: the real cryptography, bundled.
        "session": "encrypted",
        "profile": report["profile"],
        "stored": True,
        "read_back": True,
        "removed": True,
        "exit": 0,
    }
    import keyring

    assert keyring.get_password(keyring_service(report["profile"]), report["profile"]) is None


def test_a_secret_saved_by_the_bundle_is_in_the_secret_service(
    bundle: Path, frozen: Path, tmp_path: Path
) -> None:
    """Saved from the frozen app's folder, read by this (unfrozen) process through the
    Secret Service, read again and removed by the frozen app's own commands."""
    import keyring

    config = str(tmp_path / "config")
    report = keyring_check(
        bundle, "--token-stdin", "--keep", stdin=CANARY_TOKEN, ALEGRA_WIZARD_CONFIG_DIR=config
    )
    assert report["exit"] == 0 and report["stored"] and report["read_back"], report
    profile = report["profile"]
    assert keyring.get_password(keyring_service(profile), profile) == CANARY_TOKEN
    assert CANARY_TOKEN not in (tmp_path / "config" / "profiles.json").read_text()

    env = clean_env(ALEGRA_WIZARD_CONFIG_DIR=config)
    got = run(frozen, "credential", "get", "--profile", profile, env=env)
    assert got.returncode == 0, got.stderr
    assert CANARY_TOKEN in got.stdout  # to a pipe, as other programs read it
    doctor = run(frozen, "doctor", "--offline", "--json", env=env)
    keyring_item = next(i for i in json.loads(doctor.stdout)["items"] if i["id"] == "keyring")
    assert keyring_item["status"] == "ok", keyring_item
    gone = run(frozen, "forget", "--profile", profile, env=env)
    assert gone.returncode == 0, gone.stderr
    assert keyring.get_password(keyring_service(profile), profile) is None


def test_without_a_secret_service_nothing_is_saved(bundle: Path, tmp_path: Path) -> None:
    """No usable backend is storage_error (16), not a silent plaintext fallback."""
    report = keyring_check(
        bundle, DBUS_SESSION_BUS_ADDRESS=f"unix:path={tmp_path}/no-bus", HOME=str(tmp_path)
    )
    assert report["exit"] == 16 and report["error"] == "no_backend", report
    assert not report["stored"]


def test_both_entry_points_run(frozen: Path, sandbox_url: str) -> None:
    """`alegra-wizard-cli` (on Windows the console EXE; here a link to the same program)
    answers like `alegra-wizard`: output, stdin and exit codes."""
    cli = frozen.parent / "alegra-wizard-cli"
    assert cli.is_symlink() and os.readlink(cli) == "alegra-wizard"
    for binary in (frozen, cli):
        out = run(binary, "--version")
        assert (out.returncode, out.stdout.strip()) == (0, f"alegra-wizard {VERSION}")
        args = ("check", "--json", "--email", "demo@alegra.test", "--token-stdin")
        good = run(binary, *args, "--base-url", sandbox_url, stdin=DEMO_TOKEN)
        assert good.returncode == 0 and json.loads(good.stdout)["code"] == "connected"
        bad = run(binary, *args, "--base-url", sandbox_url, stdin="f" * 20)
        assert bad.returncode == 4 and json.loads(bad.stdout)["code"] == "unauthorized"
        env = clean_env(QT_QPA_PLATFORM="offscreen")
        assert run(binary, "--smoke-test", env=env).returncode == 0


def test_what_the_bundle_needs_from_the_system_is_declared(bundle: Path) -> None:
    """Every library an ELF file of the bundle needs is in the bundle, or one of
    packaging/system_libs.py's (what the .deb declares; every desktop has them), and
    this system has it."""
    inside = {p.name for p in bundle.rglob("*")}
    outside: dict[str, str] = {}
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            outside.update((name, path.name) for name in elf.needed(path) if name not in inside)
    undeclared = {n: by for n, by in outside.items() if not system_libs.SYSTEM_OR_GLIBC.match(n)}
    assert not undeclared, undeclared
    known = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    assert not {n for n in outside if f"{n} " not in known}
    # Taken from the system, no longer bundled (benchmarks/README.md: what each cut saved).
    assert {"libstdc++.so.6", "libglib-2.0.so.0", "libdbus-1.so.3", "libX11.so.6"} <= set(outside)


def test_the_bundle_stays_lean(bundle: Path) -> None:
    """benchmarks/README.md's goal (≤ 95 MiB with the real packages) and what gets it
    there."""
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    size = sum(p.stat().st_size for p in files)
    assert size <= 95 * MiB, f"{size / MiB:.1f} MiB"
    names = {p.name for p in files}
    assert not {n for n in names if n.startswith(("libQt6Network", "libQt6Qml", "libgtk"))}
    # The real cryptography (its Rust extension), no stand-in under its name.
    assert {n for n in names if n.startswith("_rust.")}
    assert not {n for n in names if system_libs.from_system(n)}
    icu = next(p for p in files if p.name.startswith("libicudata"))
    assert icu.stat().st_size < 8 * MiB  # shrunk by packaging/icu_data.py (31 MiB)
    assert {n for n in names if n.endswith(".qm")} == {"qtbase_es.qm", "qtbase_en.qm"}
    assert (bundle / "_internal" / "resources" / "icons" / "alegra-wizard-256.png").is_file()


def test_the_installer_script_names_what_the_build_makes(bundle: Path) -> None:
    """packaging/windows/alegra-wizard.iss packs `dist\\alegra-wizard\\*` and runs
    `{app}\\<name>.exe`: the folder and each name are what the spec builds (on Windows
    with .exe; here without)."""
    text = (ROOT / "packaging" / "windows" / "alegra-wizard.iss").read_text(encoding="utf-8")
    assert 'Source: "..\\..\\dist\\' + bundle.name + '\\*"' in text
    programs = set(re.findall(r"\{app\}\\([\w-]+)\.exe", text))
    assert programs == {"alegra-wizard", "alegra-wizard-cli"}
    for name in programs:
        assert os.access(bundle / name, os.X_OK), name


def test_the_release_workflows_smoke_test_passes_here(bundle: Path) -> None:
    """packaging/smoke_frozen.py, what the release workflow runs on Windows and macOS
    runners, run here on the Linux build (so the script itself is known to work)."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "smoke_frozen.py"), str(bundle)],
        capture_output=True, text=True, env=clean_env(), timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().endswith("all passed")
    assert proc.stdout.count("\nok   ") + proc.stdout.startswith("ok   ") == 8


def test_the_smoke_test_with_the_os_platform_plugin(bundle: Path) -> None:
    """--platform-plugin (the release workflow's: Qt's own windows or cocoa plugin there)
    starts the window once more without QT_QPA_PLATFORM: here xcb, on Xvfb."""
    xvfb = shutil.which("xvfb-run")
    assert xvfb, "xvfb-run is installed by scripts/install-system-deps.sh"
    env = {k: v for k, v in clean_env().items() if k != "QT_QPA_PLATFORM"}
    proc = subprocess.run(
        [xvfb, "-a", "-s", "-screen 0 1280x800x24", sys.executable,
         str(ROOT / "packaging" / "smoke_frozen.py"), "--platform-plugin", "--no-keyring",
         str(bundle)],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok   alegra-wizard --smoke-test (the OS's platform plugin)" in proc.stdout


def test_an_app_file_beside_the_frozen_executable_is_read(
    bundle: Path, sandbox_url: str, tmp_path: Path
) -> None:
    """What an installer does (packaging/README.md): the app file and its logo dropped into
    the executable's folder; started through a link elsewhere (/usr/bin), as the .deb does.
    A copy of the bundle: the shared one stays unbranded for the other tests."""
    copy = tmp_path / "alegra-wizard"
    shutil.copytree(bundle, copy, symlinks=True)
    sample = ROOT / "resources" / "samples" / "facturador-pos"
    for name in ("alegra-wizard.toml", "logo.png"):
        shutil.copy(sample / name, copy / name)
    link = tmp_path / "bin" / "facturador-pos-alegra"
    link.parent.mkdir()
    link.symlink_to(copy / "alegra-wizard")
    env = clean_env(ALEGRA_WIZARD_CONFIG_DIR=str(tmp_path / "cfg"))
    out = run(
        link, "check", "--json", "--email", "basico@alegra.test", "--token-stdin",
        "--base-url", sandbox_url, stdin=DEMO_TOKEN, env=env,
    )  # fmt: skip
    assert out.returncode == 20, out.stderr
    data = json.loads(out.stdout)
    assert data["code"] == "needs_unmet"
    assert [n["resource"] for n in data["needs_missing"]] == ["bank_accounts"]
    (copy / "alegra-wizard.toml").write_text('[app]\nname = "X"\nid = "X"\n')
    bad = run(link, "status", env=env)
    assert bad.returncode == 2 and "no se puede usar" in bad.stderr
