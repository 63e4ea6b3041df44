"""The failing backends of tests/faults/backends.py as real keyring backends, for CLI
subprocesses only: PYTHON_KEYRING_BACKEND=tests.faults.keyrings_for_subprocesses.<Name>.

Never import this module in the test process: every KeyringBackend subclass registers
itself, and keyring then chains all viable ones (ChainerBackend), failing ones included,
in place of the session's real Secret Service."""

from __future__ import annotations

from keyring.backend import KeyringBackend

from tests.faults import backends


class LockedKeyring(backends.LockedKeyring, KeyringBackend):
    pass


class BrokenKeyring(backends.BrokenKeyring, KeyringBackend):
    pass


class HangingKeyring(backends.HangingKeyring, KeyringBackend):
    pass
