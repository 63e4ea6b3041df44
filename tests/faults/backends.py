"""Keyring backends that fail on cue, for in-process stores (duck-typed: the Store only
calls get/set/delete_password). Each keeps nothing. keyrings_for_subprocesses.py wraps
them as real KeyringBackend classes for CLI subprocesses."""

from __future__ import annotations

import threading

from keyring import errors


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
