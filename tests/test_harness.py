"""The test run's own plumbing: the Secret Service the tests use (scripts/with-keyring.sh,
tests/helpers/secret_service.py, scripts/test-session-bus.conf)."""

from __future__ import annotations

import subprocess

from tests.helpers import ROOT
from tests.helpers.secret_service import BUS_CONFIG

START = (
    "dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus "
    "org.freedesktop.DBus.StartServiceByName string:{} uint32:0"
)


def _on_a_test_bus(command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["dbus-run-session", f"--config-file={BUS_CONFIG}", "--", "sh", "-c", command],
        capture_output=True, text=True, timeout=60, check=False, cwd=ROOT,
    )  # fmt: skip


def test_the_test_bus_never_starts_a_keyring_of_its_own() -> None:
    # With the system's service files, a call made while our unlocked daemon was gone had
    # dbus-daemon start the stock gnome-keyring, whose login keyring has no password: the
    # tests then failed as "locked", far from the cause.
    for name in ("org.freedesktop.secrets", "org.gnome.keyring"):
        started = _on_a_test_bus(START.format(name))
        assert started.returncode != 0, started.stdout
        assert "ChildExited" in started.stderr, started.stderr


def test_the_test_bus_starts_the_accessibility_bus() -> None:
    # The screen-reader tests need it started on demand, as on a desktop.
    started = _on_a_test_bus(START.format("org.a11y.Bus"))
    assert started.returncode == 0, started.stderr
    assert "uint32 1" in started.stdout


def test_the_run_uses_the_test_bus_and_our_unlocked_keyring() -> None:
    owner = subprocess.run(
        ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
         "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner",
         "string:org.freedesktop.secrets"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "boolean true" in owner.stdout
    import keyring

    from wizard.store import effective_backend_of

    backend = effective_backend_of(keyring.get_keyring())
    backend.set_password("alegra-wizard-harness", "probe", "x" * 20)  # raises when locked
    backend.delete_password("alegra-wizard-harness", "probe")
