"""The failing backends of tests/helpers/keyrings.py as real keyring backends, for CLI
subprocesses only: PYTHON_KEYRING_BACKEND=tests.helpers.subprocess_keyrings.<Name>.

Never import this module in the test process: every KeyringBackend subclass registers
itself, and keyring then chains all viable ones (ChainerBackend), failing ones included,
in place of the session's real Secret Service."""

from __future__ import annotations

from keyring.backend import KeyringBackend

from tests.helpers import keyrings


class LockedKeyring(keyrings.LockedKeyring, KeyringBackend):
    pass


class BrokenKeyring(keyrings.BrokenKeyring, KeyringBackend):
    pass


class HangingKeyring(keyrings.HangingKeyring, KeyringBackend):
    pass
