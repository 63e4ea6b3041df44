"""The .deb (packaging/linux/build-deb.sh) built from the frozen app: well formed, then
installed with apt-get, run from the installed copy, purged, and nothing left behind.

Marked `frozen` and `deb` (`-m "not frozen"` skips it; `make test` runs it). The install
cycle needs root (CI runs as root) and changes this machine's /opt and /usr: it holds a
lock so two test runs on one machine take turns, and refuses to touch an alegra-wizard
package it did not install.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import subprocess
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import ROOT
from tests.helpers.frozen import build_bundle, clean_env, run
from wizard.sandbox import DEMO_TOKEN, Sandbox

pytestmark = [pytest.mark.frozen, pytest.mark.deb, pytest.mark.timeout(1200)]

VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
MiB = 2**20
APPSTREAM_ID = "com.alegra_wizard.AlegraWizard"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# Where the package puts files; checked for leftovers after purge.
SYSTEM_DIRS = [
    Path("/opt"), Path("/usr/bin"), Path("/usr/share/applications"),
    Path("/usr/share/metainfo"), Path("/usr/share/icons/hicolor"),
    Path("/usr/share/doc/alegra-wizard"),
]  # fmt: skip


@pytest.fixture(scope="module")
def deb() -> Path:
    out = ROOT / "build" / "frozen-test" / "deb"
    shutil.rmtree(out, ignore_errors=True)
    proc = subprocess.run(
        ["bash", str(ROOT / "packaging" / "linux" / "build-deb.sh"), str(build_bundle()), str(out)],
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    path = Path(proc.stdout.strip().splitlines()[-1])
    assert path.name == f"alegra-wizard_{VERSION}_{dpkg_arch()}.deb" and path.is_file()
    return path


def dpkg_arch() -> str:
    return subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()


def field(deb: Path, name: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.fixture(scope="module")
def unpacked(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("deb-root")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True, timeout=300)
    return root


def test_the_package_names_itself_and_what_it_needs(deb: Path) -> None:
    assert field(deb, "Package") == "alegra-wizard"
    assert field(deb, "Version") == VERSION
    assert field(deb, "Architecture") == dpkg_arch()
    depends = [d.strip() for d in field(deb, "Depends").split(",")]
    names = {d.split()[0] for d in depends if "|" not in d}
    # The libraries the bundle leaves to the system (packaging/system_libs.py) and
    # OpenGL/Wayland's, through dpkg-shlibdeps; a Secret Service for the token.
    assert {"libc6", "libstdc++6", "libglib2.0-0", "libdbus-1-3", "libx11-6", "libfontconfig1",
            "libfreetype6", "libegl1", "libwayland-client0", "libxkbcommon0"} <= names  # fmt: skip
    assert "gnome-keyring | libkf5wallet-bin (>= 5.97) | kwalletd6 | keepassxc" in depends
    # Not what it carries itself (Ubuntu 22.04's libssl3 is older than Debian 12's).
    assert not names & {"libssl3", "libffi8", "libxcb-cursor0", "libicu72"}
    assert int(field(deb, "Installed-Size")) * 1024 > 50 * MiB


def test_the_package_lays_out_the_app_menu_entry_icons_and_metainfo(
    deb: Path, unpacked: Path
) -> None:
    listing = subprocess.run(
        ["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert all(" root/root " in line for line in listing)
    usr_bin = "./usr/bin/alegra-wizard -> /opt/alegra-wizard/alegra-wizard"
    link = next(line for line in listing if line.endswith(usr_bin))
    assert link.startswith("lrwxrwxrwx")
    app = unpacked / "opt" / "alegra-wizard"
    assert os.access(app / "alegra-wizard", os.X_OK) and (app / "_internal").is_dir()
    assert os.access(app / "alegra-wizard-keyring-check", os.X_OK)
    desktop = unpacked / "usr" / "share" / "applications" / "alegra-wizard.desktop"
    validate = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True,
                              text=True, check=False)  # fmt: skip
    assert validate.returncode == 0 and not validate.stdout.strip(), validate.stdout
    entry = desktop.read_text(encoding="utf-8").splitlines()
    wanted = {
        "Exec=alegra-wizard",
        "Icon=alegra-wizard",
        "Name[es]=Asistente de conexión con Alegra",
    }
    assert wanted <= set(entry)
    hicolor = unpacked / "usr" / "share" / "icons" / "hicolor"
    for size in ICON_SIZES:
        png = hicolor / f"{size}x{size}" / "apps" / "alegra-wizard.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(png.read_bytes()[16:20], "big") == size  # IHDR width
    assert (hicolor / "scalable" / "apps" / "alegra-wizard.svg").is_file()
    metainfo = unpacked / "usr" / "share" / "metainfo" / f"{APPSTREAM_ID}.metainfo.xml"
    check = subprocess.run(["appstreamcli", "validate", "--no-net", str(metainfo)],
                           capture_output=True, text=True, check=False)  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    text = metainfo.read_text(encoding="utf-8")
    assert f'<release version="{VERSION}"' in text  # bump it with pyproject.toml's
    assert '<launchable type="desktop-id">alegra-wizard.desktop</launchable>' in text
    assert (unpacked / "usr" / "share" / "doc" / "alegra-wizard" / "copyright").is_file()


def test_the_package_stays_small(deb: Path) -> None:
    """benchmarks/README.md's goal: ≤ 28 MiB."""
    assert deb.stat().st_size <= 28 * MiB, f"{deb.stat().st_size / MiB:.1f} MiB"


# --- install, run, purge ------------------------------------------------------------------


def snapshot() -> set[str]:
    """Every path under the directories the package writes to (caches that dpkg's
    triggers for other packages rebuild, like icon-theme.cache, are theirs)."""
    found = set()
    for top in SYSTEM_DIRS:
        if top.exists():
            found.update(str(p) for p in top.rglob("*") if not p.name.endswith(".cache"))
    return found


def installed() -> bool:
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Status}", "alegra-wizard"],
                         capture_output=True, text=True, check=False)  # fmt: skip
    return "installed" in out.stdout and "not-installed" not in out.stdout


def apt_get(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    return subprocess.run(
        ["apt-get", "-y", "-q", "--no-install-recommends", "-o", "DPkg::Lock::Timeout=600",
         *args], capture_output=True, text=True, env=env, timeout=900, check=False,
    )  # fmt: skip


@contextlib.contextmanager
def machine_lock() -> Iterator[None]:
    """One install/purge cycle at a time on this machine (helpers share it)."""
    path = Path(tempfile.gettempdir()) / "alegra-wizard-deb-test.lock"
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture
def sandbox_url() -> Iterator[str]:
    with Sandbox() as server:
        yield server.url


@pytest.mark.keyring
def test_apt_installs_runs_and_purges_it_leaving_nothing(deb: Path, sandbox_url: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("installing a .deb needs root (CI runs make test as root)")
    with machine_lock():
        assert not installed(), "alegra-wizard is installed already: apt-get purge alegra-wizard"
        before = snapshot()
        try:
            # "./name.deb": apt installs the file and whatever it Depends on.
            got = apt_get("install", str(deb))
            assert got.returncode == 0, got.stdout[-2000:] + got.stderr[-2000:]
            assert installed()
            assert shutil.which("alegra-wizard") == "/usr/bin/alegra-wizard"
            binary = "alegra-wizard"  # as a user types it: found on PATH, a link into /opt
            version = run(binary, "--version")
            assert (version.returncode, version.stdout.strip()) == (0, f"alegra-wizard {VERSION}")
            smoke = run(binary, "--smoke-test", env=clean_env(QT_QPA_PLATFORM="offscreen"))
            assert smoke.returncode == 0, smoke.stderr[-2000:]
            xvfb = subprocess.run(
                ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", binary, "--smoke-test"],
                capture_output=True, text=True, env=clean_env(QT_QPA_PLATFORM="xcb"),
                timeout=120, check=False,
            )  # fmt: skip
            assert xvfb.returncode == 0, xvfb.stderr[-2000:]
            check = run(
                binary, "check", "--json", "--email", "demo@alegra.test", "--token-stdin",
                "--base-url", sandbox_url, stdin=DEMO_TOKEN,
            )  # fmt: skip
            data = json.loads(check.stdout)
            assert check.returncode == 0 and data["code"] == "connected", check.stderr
            assert DEMO_TOKEN not in check.stdout + check.stderr
            keyring = run("/opt/alegra-wizard/alegra-wizard-keyring-check")
            assert keyring.returncode == 0, keyring.stdout + keyring.stderr
            assert json.loads(keyring.stdout)["removed"] is True
            # Running it wrote nothing next to the program (no bytecode, no logs).
            files = set(subprocess.run(["dpkg", "-L", "alegra-wizard"], capture_output=True,
                                       text=True, check=True).stdout.split())  # fmt: skip
            written = {str(p) for p in Path("/opt/alegra-wizard").rglob("*")} - files
            assert not written, sorted(written)[:10]
        finally:
            gone = apt_get("purge", "alegra-wizard")
        assert gone.returncode == 0, gone.stdout[-2000:] + gone.stderr[-2000:]
        assert not installed()
        left = snapshot() - before
        assert not left, sorted(left)[:20]
        assert not Path("/opt/alegra-wizard").exists()
        assert not re.search(r"^(ii|rc)\s+alegra-wizard\s", subprocess.run(
            ["dpkg", "-l"], capture_output=True, text=True, check=True).stdout, re.M)  # fmt: skip
