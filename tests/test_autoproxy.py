"""wizard.autoproxy and doctor's proxy item: a PAC script or WPAD, which we don't follow,
is said instead of "no proxy" (issue 26). Each OS's source read from what it gives: the
registry's values (Windows), `scutil --proxy` and `gsettings` as real programs on PATH."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from tests.helpers.keyrings import MemoryBackend
from wizard import autoproxy
from wizard.autoproxy import AutoProxy
from wizard.doctor import OK, WARN, Doctor
from wizard.store import Store

PAC = "http://wpad.empresa.local/proxy.pac"
SCUTIL_PAC = f"""<dictionary> {{
  ExceptionsList : <array> {{
    0 : *.local
  }}
  HTTPEnable : 0
  ProxyAutoConfigEnable : 1
  ProxyAutoConfigURLString : {PAC}
  ProxyAutoDiscoveryEnable : 0
}}
"""
SCUTIL_NONE = "<dictionary> {\n  HTTPEnable : 0\n  HTTPSEnable : 0\n}\n"


def _blob(flags: int) -> bytes:
    """DefaultConnectionSettings: version, counter, then INTERNET_PER_CONN_FLAGS."""
    return (70).to_bytes(4, "little") + (3).to_bytes(4, "little") + flags.to_bytes(4, "little")


def test_windows_registry_values() -> None:
    assert autoproxy.from_windows({"AutoConfigURL": PAC}, _blob(0x05)) == AutoProxy(PAC, False)
    assert autoproxy.from_windows({}, _blob(0x09)) == AutoProxy(None, True)  # "detect"
    assert autoproxy.from_windows({"AutoDetect": 1}, None) == AutoProxy(None, True)
    assert autoproxy.from_windows({}, _blob(0x01)) is None  # direct
    assert autoproxy.from_windows({"AutoConfigURL": "  "}, _blob(0x03)) is None


def test_macos_scutil_and_gnome_gsettings() -> None:
    assert autoproxy.from_scutil(SCUTIL_PAC) == AutoProxy(PAC, False)
    assert autoproxy.from_scutil(SCUTIL_NONE) is None
    off = SCUTIL_PAC.replace("ProxyAutoConfigEnable : 1", "ProxyAutoConfigEnable : 0")
    assert autoproxy.from_scutil(off) is None
    wpad = SCUTIL_NONE.replace("}\n", "  ProxyAutoDiscoveryEnable : 1\n}\n")
    assert autoproxy.from_scutil(wpad) == AutoProxy(None, True)
    assert autoproxy.from_gsettings("'auto'\n", f"'{PAC}'\n") == AutoProxy(PAC, False)
    assert autoproxy.from_gsettings("'auto'\n", "''\n") == AutoProxy(None, True)
    assert autoproxy.from_gsettings("'none'\n", f"'{PAC}'\n") is None


@pytest.fixture
def programs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Put a program on PATH that prints `output` (for `scutil` or `gsettings`)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")

    def put(name: str, script: str) -> None:
        path = folder / name
        path.write_text(f"#!/bin/sh\n{script}\n")
        path.chmod(path.stat().st_mode | stat.S_IXUSR)

    return put


def _proxy_item(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str = "es"):  # type: ignore[no-untyped-def]
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    store = Store(config_dir=tmp_path / "config", backend=MemoryBackend())
    report = Doctor(
        base_url="https://api.alegra.com/api/v1", store=store, offline=True, lang=lang
    ).run()
    return next(item for item in report.items if item.id == "proxy")


def test_doctor_says_a_macos_pac_may_be_in_use(programs, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    programs("scutil", f"cat <<'EOF'\n{SCUTIL_PAC}EOF")
    monkeypatch.setattr(sys, "platform", "darwin")
    item = _proxy_item(tmp_path, monkeypatch)
    assert item.status == WARN and PAC in item.detail and "script automático" in item.detail
    assert item.fix is not None and "HTTPS_PROXY" in item.fix
    # A proxy named outright is the one used: that is what doctor shows then.
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.oficina.local:3128")
    store = Store(config_dir=tmp_path / "config", backend=MemoryBackend())
    report = Doctor(base_url="https://api.alegra.com/api/v1", store=store, offline=True).run()
    named = next(item for item in report.items if item.id == "proxy")
    assert named.status == OK and "proxy.oficina.local:3128" in named.detail


def test_doctor_says_gnome_wpad_and_direct_when_none(programs, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    programs("gsettings", 'case "$3" in mode) echo "\'auto\'";; *) echo "\'\'";; esac')
    monkeypatch.setattr(sys, "platform", "linux")
    item = _proxy_item(tmp_path, monkeypatch, lang="en")
    assert item.status == WARN and "automatically (WPAD)" in item.detail
    programs("gsettings", "echo \"'none'\"")
    item = _proxy_item(tmp_path, monkeypatch, lang="en")
    assert (item.status, item.detail) == (OK, "No proxy configured (direct connection).")
