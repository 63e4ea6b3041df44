"""The failing backends of tests/helpers/keyrings.py as real keyring backends, for CLI
subprocesses only: PYTHON_KEYRING_BACKEND=tests.helpers.subprocess_keyrings.<Name>.

Never import this module in the test process: every KeyringBackend subclass registers
itself, and keyring then chains all viable ones (ChainerBackend), failing ones included,
in place of the session's real Secret Service."""

from __future__ import annotations

import os
import time
from typing import ClassVar

from keyring.backend import KeyringBackend
from keyring.backends.SecretService import Keyring as SecretServiceKeyring

from tests.helpers import keyrings
from wizard.store import DEFAULT_TIMEOUT


class LockedKeyring(keyrings.LockedKeyring, KeyringBackend):
    pass


class BrokenKeyring(keyrings.BrokenKeyring, KeyringBackend):
    pass


class HangingKeyring(keyrings.HangingKeyring, KeyringBackend):
    """Where HANGING_KEYRING_LOG names a file, each call first appends when it began
    (time.monotonic(): one clock for every process on Linux), so a test can time the
    keyring deadline apart from the child's start-up."""

    def fail(self, service: str, username: str, secret: str | None = None) -> None:
        log = os.environ.get("HANGING_KEYRING_LOG")
        if log:
            with open(log, "a", encoding="utf-8") as began:
                began.write(f"{time.monotonic()}\n")
        super().fail(service, username, secret)


class SlowSecretService(SecretServiceKeyring):
    """The session's real Secret Service, whose first write (set or delete) is done at once
    but answered after the store's default timeout (a daemon that acts, then stalls before
    replying): if our process just exited, the write would stand. Later calls, such as
    the store's undo, are quick."""

    delay = DEFAULT_TIMEOUT + 1.5
    slow_calls: ClassVar[list[int]] = [1]  # per process: the first write only

    def _maybe_slow(self) -> None:
        if self.slow_calls[0] > 0:
            self.slow_calls[0] -= 1
            time.sleep(self.delay)

    def set_password(self, service: str, username: str, password: str) -> None:
        super().set_password(service, username, password)
        self._maybe_slow()

    def delete_password(self, service: str, username: str) -> None:
        super().delete_password(service, username)
        self._maybe_slow()
