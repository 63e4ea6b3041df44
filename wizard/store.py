"""Stored profiles: metadata JSON in the user config folder, the token in the OS keyring.

Keyring: service "alegra-wizard", username = profile id (programs in other
languages read it there). This is the read side the CLI needs; saving with
atomic writes, locking and rollback is issue 5's work.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

SERVICE = "alegra-wizard"
DEFAULT_TIMEOUT = 5.0


class StorageError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Profile:
    id: str
    name: str = ""
    email: str = ""
    base_url: str = ""
    country: str | None = None
    company: str | None = None
    identification: str | None = None
    token_hint: str = ""
    last_check_at: str | None = None
    last_check_code: str | None = None


@dataclass
class Credentials:
    profile: Profile
    token: str

    def __repr__(self) -> str:
        return f"Credentials(profile={self.profile.id!r}, token='…{self.token[-4:]}')"

    __str__ = __repr__


def profile_id_for(name: str) -> str:
    """A stable, shell- and keyring-friendly id from a profile name: "Café Núñez S.A.S."
    becomes "cafe-nunez-s-a-s"."""
    import re
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-")
    return slug or "alegra"


def _config_dir() -> Path:
    override = os.environ.get("ALEGRA_WIZARD_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("alegra-wizard"))


class Store:
    def __init__(
        self, config_dir: Path | None = None, backend: Any = None, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        self.config_file = (config_dir or _config_dir()) / "profiles.json"
        self._backend = backend
        self.timeout = timeout

    def list_profiles(self) -> list[Profile]:
        try:
            data = json.loads(self.config_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            raise StorageError("corrupt_config") from exc
        known = {f.name for f in fields(Profile)}
        items = data.get("profiles", []) if isinstance(data, dict) else []
        return [
            Profile(**{k: v for k, v in item.items() if k in known})
            for item in items
            if isinstance(item, dict) and isinstance(item.get("id"), str)
        ]

    def backend(self) -> Any:
        if self._backend is None:
            import keyring

            self._backend = keyring.get_keyring()
        return self._backend

    def backend_name(self) -> str:
        try:
            backend = self.backend()
        except Exception:
            return "—"
        return str(getattr(backend, "name", type(backend).__name__))

    def _call(self, fn: Any, *args: Any) -> Any:
        """A keyring call with a timeout: a hung Secret Service must not freeze us."""
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["value"] = fn(*args)
            except BaseException as exc:  # carried to the caller's thread
                box["error"] = exc

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            raise StorageError("timeout")
        if "error" in box:
            from keyring import errors

            exc = box["error"]
            if isinstance(exc, errors.NoKeyringError):
                raise StorageError("no_backend") from None
            if isinstance(exc, errors.PasswordDeleteError):
                raise StorageError("missing_secret") from None
            if isinstance(exc, errors.KeyringLocked):
                raise StorageError("locked") from None
            raise StorageError("failed") from None
        return box.get("value")

    def load(self, profile_id: str) -> Credentials:
        profile = next((p for p in self.list_profiles() if p.id == profile_id), None)
        if profile is None:
            raise StorageError("not_configured")
        token = self._call(self.backend().get_password, SERVICE, profile_id)
        if not token:
            raise StorageError("missing_secret")
        return Credentials(profile, token)

    def _write(self, profiles: list[Profile]) -> None:
        """Atomic: temp file in the same folder (mode 0600), fsync, replace."""
        import tempfile
        from dataclasses import asdict

        folder = self.config_file.parent
        folder.mkdir(parents=True, exist_ok=True)
        payload = json.dumps({"format": 1, "profiles": [asdict(p) for p in profiles]}, indent=2)
        fd, tmp = tempfile.mkstemp(prefix=".profiles-", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.config_file)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def forget(self, profile_id: str) -> bool:
        """Remove the keyring entry and the metadata; idempotent."""
        profiles = self.list_profiles()
        removed = False
        try:
            self._call(self.backend().delete_password, SERVICE, profile_id)
            removed = True
        except StorageError as exc:
            if exc.reason != "missing_secret":
                raise
        kept = [p for p in profiles if p.id != profile_id]
        if len(kept) != len(profiles):
            self._write(kept)
            removed = True
        return removed

    def update_last_check(self, profile_id: str, code: str) -> None:
        """Recording checks arrives with the full store (issue 5)."""


def load(profile: str) -> Credentials:
    return Store().load(profile)


def list_profiles() -> list[Profile]:
    return Store().list_profiles()
