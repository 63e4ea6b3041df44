"""Keyrings for tests: the real Secret Service (or a skip), a dict, and backends that fail on
cue. The dict and the failing ones are duck-typed for in-process stores (the Store only calls
get/set/delete_password); subprocess_keyrings.py wraps the failing ones as real
KeyringBackend classes for CLI subprocesses."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from keyring import errors

from wizard.store import MemoryKeyring

if TYPE_CHECKING:
    from wizard.store import Profile


def real_keyring() -> Any:
    """The session's Secret Service backend; a skip (a failure in CI) when there is none."""
    import keyring
    import pytest

    backend = keyring.get_keyring()
    if "SecretService" not in type(backend).__module__ + type(backend).__name__:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run inside scripts/with-keyring.sh, got {backend!r}")
        pytest.skip("needs the real Secret Service (run through scripts/with-keyring.sh)")
    return backend


def secret_tool(*attributes: str) -> str | None:
    """`secret-tool lookup ATTR VALUE...`: what libsecret's reader (a C program, as another
    program would read our tokens) finds in the session's Secret Service; None: nothing."""
    tool = shutil.which("secret-tool")
    assert tool, "secret-tool is installed by scripts/install-system-deps.sh (libsecret-tools)"
    done = subprocess.run([tool, "lookup", *attributes], capture_output=True, timeout=30)
    return done.stdout.decode() if done.returncode == 0 else None


def write_profiles(folder: Path, *profiles: Profile) -> None:
    """profiles.json as the store writes it (format 1), without going through the store."""
    folder.mkdir(parents=True, exist_ok=True)
    payload = {"format": 1, "profiles": [vars(p) for p in profiles]}
    (folder / "profiles.json").write_text(json.dumps(payload))


# A keyring that keeps secrets in a dict (to make a *later* step fail on cue): the one the
# store itself uses for test mode.
MemoryBackend = MemoryKeyring


class _Failing:
    priority = 1  # keyring.core.load_keyring reads it

    def fail(self, service: str, username: str, secret: str | None = None) -> None:
        raise NotImplementedError

    def get_password(self, service: str, username: str) -> str | None:
        self.fail(service, username)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.fail(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        self.fail(service, username)


class LockedKeyring(_Failing):
    def fail(self, service: str, username: str, secret: str | None = None) -> None:
        raise errors.KeyringLocked("the collection is locked")


class BrokenKeyring(_Failing):
    """Raises with the secret in its message: the store must not pass that on."""

    def fail(self, service: str, username: str, secret: str | None = None) -> None:
        raise RuntimeError(f"D-Bus error while handling {username}: {secret}")


class HangingKeyring(_Failing):
    release = threading.Event()

    def fail(self, service: str, username: str, secret: str | None = None) -> None:
        self.release.wait(60)
        raise RuntimeError("too late")


class SlowKeyring:
    """A real backend whose first `slow_calls` writes (set or delete) land `delay` s late:
    after the store's timeout, as a Secret Service waiting on a prompt does."""

    def __init__(self, real: object, delay: float, slow: str, slow_calls: int = 1) -> None:
        self.real = real
        self.delay = delay
        self.slow = slow  # "set_password" or "delete_password"
        self.slow_calls = slow_calls
        self.landed = threading.Event()  # set once a slow call has done its work

    def _maybe_slow(self, method: str) -> bool:
        if method != self.slow or self.slow_calls <= 0:
            return False
        self.slow_calls -= 1
        time.sleep(self.delay)
        return True

    def get_password(self, service: str, username: str) -> str | None:
        return self.real.get_password(service, username)  # type: ignore[attr-defined,no-any-return]

    def set_password(self, service: str, username: str, password: str) -> None:
        slow = self._maybe_slow("set_password")
        self.real.set_password(service, username, password)  # type: ignore[attr-defined]
        if slow:
            self.landed.set()

    def delete_password(self, service: str, username: str) -> None:
        slow = self._maybe_slow("delete_password")
        try:
            self.real.delete_password(service, username)  # type: ignore[attr-defined]
        finally:
            if slow:
                self.landed.set()
