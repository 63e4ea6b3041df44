"""alegra-wizard-keyring-check: does saving to this computer's keyring work?

A second, small executable in the frozen app's folder. It saves a profile with a
throwaway secret through alegra-wizard's own store (the same keyring backends,
timeout and refusal of plaintext or "fail" backends as the app), reads it back through
a fresh store and, unless --keep, removes both. Prints one JSON line:
`{"backend", "session", "profile", "stored", "read_back", "removed"}`, never the secret.
`session` is how secrets travel to a Secret Service (Linux): "encrypted" (AES over a
Diffie-Hellman key, through the cryptography package) or "plain",
null elsewhere or when it can't be told. Exit 0 when everything worked, 16
(storage_error) otherwise.

Why it exists: keyring finds its backends through entry points, which a frozen app
loses unless the spec collects them (then every save fails with NoKeyringError). CI
runs this from the built bundle against a real Secret Service; support staff can run it
on a user's computer.

--token-stdin stores the secret read from stdin instead of a random one, and --keep
leaves it (and its profile, in ALEGRA_WIZARD_CONFIG_DIR or the user's profiles) for
another program to check; `alegra-wizard forget --profile <profile>` removes it.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import tempfile
from pathlib import Path

from wizard.outcomes import EXIT_CODES, Code
from wizard.store import Profile, StorageError, Store


def secret_service_session() -> str | None:
    """Open a session the way keyring's SecretService backend does and say whether the
    Secret Service agreed to encrypt it (secrets then go through AES-CBC)."""
    try:
        import secretstorage
        from secretstorage.util import open_session
    except ImportError:
        return None
    try:
        connection = secretstorage.dbus_init()
        try:
            return "encrypted" if open_session(connection).encrypted else "plain"
        finally:
            connection.close()
    except Exception:  # no bus, no service: the save below reports why
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="alegra-wizard-keyring-check", description=__doc__)
    parser.add_argument("--token-stdin", action="store_true", help="store the secret on stdin")
    parser.add_argument("--keep", action="store_true", help="leave the profile and secret")
    args = parser.parse_args(argv)
    secret = sys.stdin.readline().strip() if args.token_stdin else secrets.token_hex(10)
    with tempfile.TemporaryDirectory(prefix="alegra-wizard-keyring-check-") as scratch:
        # Without --keep the throwaway profile lives in a scratch folder, not the user's.
        config = None if args.keep else Path(scratch)
        store = Store(config_dir=config)
        report: dict[str, object] = {
            "backend": store.backend_name(),
            "session": secret_service_session(),
            "stored": False,
            "read_back": False,
            "removed": False,
        }
        name = f"keyring-check-{secrets.token_hex(3)}"
        try:
            saved = store.save(Profile(id="", name=name, email="check@alegra.test"), secret)
            profile = saved.profile
            report.update(profile=profile.id, stored=True)
            report["read_back"] = Store(config_dir=config).load(profile.id).token == secret
            if not args.keep:
                report["removed"] = store.forget(profile.id)
        except StorageError as exc:
            report["error"] = exc.reason
    print(json.dumps(report), flush=True)
    ok = report["stored"] and report["read_back"] and (args.keep or report["removed"])
    return 0 if ok else EXIT_CODES[Code.STORAGE_ERROR]


if __name__ == "__main__":
    sys.exit(main())
