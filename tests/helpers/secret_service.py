"""A private, unlocked Secret Service (gnome-keyring on its own D-Bus session bus) and HOME for
one pytest-xdist worker, so parallel workers never see each other's secrets or files. Its own
temp folder too.

scripts/with-keyring.sh gives the whole run one throwaway HOME and one Secret Service; tests
store fixed profile ids ("p1") there and scan HOME and the temp folder for leaked tokens, so
two workers sharing them would trip over each other. Each worker gets TEST_HOME/<worker>
(removed with TEST_HOME) and its own bus; both daemons end with the worker."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from tests.helpers import ROOT

# A session bus that starts no service (the file says why): a Secret Service call while our
# daemon is gone fails at once instead of starting a locked stock one.
BUS_CONFIG = ROOT / "scripts" / "test-session-bus.conf"
PASSWORD = "test-keyring-password"  # the throwaway keyring's, as in scripts/with-keyring.sh


def _has_secret_service() -> bool:
    probe = subprocess.run(
        [
            "dbus-send",
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            "string:org.freedesktop.secrets",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return "boolean true" in probe.stdout


class PrivateSecretService:
    def __init__(self, worker: str) -> None:
        self.worker = worker
        self.pids: list[int] = []
        self.keyring: subprocess.Popen[bytes] | None = None
        self.log: Path | None = None

    def start(self) -> None:
        home = Path(os.environ["TEST_HOME"]) / f"worker-{self.worker}"
        for sub in (".config", ".local/share", ".cache", "run", "tmp"):
            (home / sub).mkdir(parents=True, exist_ok=True)
        home.chmod(0o700)
        (home / "run").chmod(0o700)
        os.environ.update(
            TEST_HOME=str(home),
            HOME=str(home),
            XDG_CONFIG_HOME=str(home / ".config"),
            XDG_DATA_HOME=str(home / ".local/share"),
            XDG_CACHE_HOME=str(home / ".cache"),
            XDG_RUNTIME_DIR=str(home / "run"),
            # The leak scans read the temp folder: each worker (and its children) its own.
            TMPDIR=str(home / "tmp"),
        )
        tempfile.tempdir = None  # gettempdir() caches its first answer
        bus = subprocess.run(
            [
                "dbus-daemon",
                f"--config-file={BUS_CONFIG}",
                f"--address=unix:dir={home / 'run'}",
                "--fork",
                "--print-address=1",
                "--print-pid=1",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        address, pid = bus.stdout.split()
        self.pids.append(int(pid))
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = address
        # --foreground keeps the daemon our child, so we end exactly the one we started.
        self.log = home / "keyring.log"
        with self.log.open("wb") as log:
            self.keyring = subprocess.Popen(
                ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        assert self.keyring.stdin is not None
        self.keyring.stdin.write(PASSWORD.encode())
        self.keyring.stdin.close()
        deadline = time.monotonic() + 10
        while not _has_secret_service():
            if time.monotonic() > deadline or self.keyring.poll() is not None:
                raise RuntimeError(f"worker {self.worker}: gnome-keyring did not come up")
            time.sleep(0.05)

    def check_alive(self) -> None:
        """Raise, with how it ended and its last messages, if the daemon is gone: every
        keyring call would fail from here on, and the test should say why."""
        if self.keyring is None or self.keyring.poll() is None:
            return
        tail = self.log.read_text(errors="replace")[-2000:] if self.log else ""
        raise RuntimeError(
            f"worker {self.worker}: the test Secret Service ended (exit {self.keyring.returncode})"
            f"\n{tail}"
        )

    def stop(self) -> None:
        if self.keyring is not None and self.keyring.poll() is None:
            self.keyring.terminate()
            self.keyring.wait(5)
        for pid in self.pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)


def wanted() -> bool:
    """Under xdist inside scripts/with-keyring.sh, with the daemons at hand."""
    return bool(
        os.environ.get("PYTEST_XDIST_WORKER")
        and os.environ.get("TEST_HOME")
        and shutil.which("dbus-daemon")
        and shutil.which("gnome-keyring-daemon")
    )
