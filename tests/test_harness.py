"""The test run's own plumbing: the Secret Service the tests use (scripts/with-keyring.sh,
tests/helpers/secret_service.py)."""

from __future__ import annotations

import subprocess


def _bus(method: str, *args: str) -> str:
    return subprocess.run(
        ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
         "/org/freedesktop/DBus", f"org.freedesktop.DBus.{method}", *args],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


def test_the_test_bus_can_start_no_locked_secret_service() -> None:
    # With the system's service files, a call made while our unlocked daemon was gone had
    # dbus-daemon start the stock gnome-keyring, whose login keyring has no password:
    # tests then failed as "locked", far from the cause (scripts/test-session-bus.conf).
    assert "boolean true" in _bus("NameHasOwner", "string:org.freedesktop.secrets")
    activatable = _bus("ListActivatableNames")
    assert "org.freedesktop.DBus" in activatable
    assert "org.freedesktop.secrets" not in activatable
    assert "org.gnome.keyring" not in activatable
