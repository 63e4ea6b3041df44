"""Whether the OS is set to find its proxy automatically (PAC file or WPAD), which we don't
follow (Qt-free). urllib.request.getproxies() reads the proxies an OS names outright, not
a proxy auto-config script: on an office network that uses one, "no proxy" would be untrue,
so doctor says the OS may be using one.

Windows: the user's Internet Settings in the registry (AutoConfigURL; the connection's
flags for "Automatically detect settings"). macOS: `scutil --proxy` (the System
Configuration's current proxies). Linux: GNOME's proxy mode, when gsettings is there.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import sys
from typing import NamedTuple

INTERNET_SETTINGS = r"Software\Microsoft\Windows\CurrentVersion\Internet Settings"
# INTERNET_PER_CONN_FLAGS in the first bytes after the header of
# Connections\DefaultConnectionSettings: PROXY_TYPE_AUTO_DETECT ("Automatically detect
# settings").
AUTO_DETECT_FLAG = 0x08


class AutoProxy(NamedTuple):
    pac_url: str | None  # the PAC script's address, when the OS names one
    detect: bool  # WPAD: "automatically detect settings"


def from_windows(values: dict[str, object], connection: bytes | None) -> AutoProxy | None:
    """Internet Settings' values (AutoConfigURL, AutoDetect) and the DefaultConnectionSettings
    blob (its flags are the 4 bytes at offset 8)."""
    pac = values.get("AutoConfigURL")
    pac_url = pac.strip() if isinstance(pac, str) and pac.strip() else None
    detect = values.get("AutoDetect") == 1
    if connection is not None and len(connection) >= 12:
        detect = detect or bool(int.from_bytes(connection[8:12], "little") & AUTO_DETECT_FLAG)
    return AutoProxy(pac_url, detect) if pac_url or detect else None


def from_scutil(text: str) -> AutoProxy | None:
    """`scutil --proxy`'s dictionary: ProxyAutoConfigEnable / ProxyAutoConfigURLString,
    ProxyAutoDiscoveryEnable."""
    fields = dict(re.findall(r"^\s*(\w+)\s*:\s*(.*?)\s*$", text, re.MULTILINE))
    pac_url = fields.get("ProxyAutoConfigURLString") or None
    if fields.get("ProxyAutoConfigEnable") != "1":
        pac_url = None
    detect = fields.get("ProxyAutoDiscoveryEnable") == "1"
    return AutoProxy(pac_url, detect) if pac_url or detect else None


def from_gsettings(mode: str, url: str) -> AutoProxy | None:
    """GNOME's org.gnome.system.proxy mode ('auto') and autoconfig-url, as gsettings prints
    them (quoted)."""
    if mode.strip().strip("'") != "auto":
        return None
    pac_url = url.strip().strip("'") or None
    return AutoProxy(pac_url, pac_url is None)


def _run(*command: str) -> str | None:
    if shutil.which(command[0]) is None:
        return None
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _windows() -> AutoProxy | None:
    if sys.platform != "win32":  # (mypy then checks winreg only where it exists)
        return None
    import winreg

    values: dict[str, object] = {}
    connection = None
    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, INTERNET_SETTINGS) as key:
            for name in ("AutoConfigURL", "AutoDetect"):
                with contextlib.suppress(OSError):
                    values[name] = winreg.QueryValueEx(key, name)[0]
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, INTERNET_SETTINGS + r"\Connections") as key:
            blob = winreg.QueryValueEx(key, "DefaultConnectionSettings")[0]
            connection = bytes(blob) if isinstance(blob, bytes | bytearray) else None
    except OSError:
        pass
    return from_windows(values, connection)


def detect() -> AutoProxy | None:
    """What this computer says about an automatic proxy, or None (none, or can't tell)."""
    if sys.platform == "win32":
        return _windows()
    if sys.platform == "darwin":
        text = _run("scutil", "--proxy")
        return from_scutil(text) if text else None
    mode = _run("gsettings", "get", "org.gnome.system.proxy", "mode")
    if not mode:
        return None
    url = _run("gsettings", "get", "org.gnome.system.proxy", "autoconfig-url") or ""
    return from_gsettings(mode, url)
