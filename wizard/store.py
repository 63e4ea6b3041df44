"""Stored profiles: metadata JSON in the user config folder, the token in the OS keyring.

Keyring: service "alegra-wizard", username = profile id, so programs in any
language can read it. The token is nowhere else: not in the JSON, not in an
exception, not in a temp file.

The JSON is written atomically (temp file, fsync, replace) with mode 0600, under
a file lock so two wizards saving at once keep both profiles. A save writes the
keyring first and the metadata second; if the second step fails the keyring is
put back as it was, so there is never a profile without its token nor a new token
without its profile. A file we cannot read is set aside, never overwritten.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SERVICE = "alegra-wizard"
DEFAULT_TIMEOUT = 5.0
FORMAT_VERSION = 1
LOCK_TIMEOUT = 10.0
# Backends that would keep the token in a plain file: never used, even if installed.
UNSAFE_BACKENDS = ("keyrings.alt.file.PlaintextKeyring", "keyring.backends.null.Keyring")


class StorageError(Exception):
    """reason: no_backend, locked, timeout, failed, corrupt_config, newer_format, busy,
    missing_secret, not_configured. Never carries the token."""

    def __init__(self, reason: str, path: Path | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path


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


def now_iso() -> str:
    """Now, in UTC, as stored in last_check_at."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@contextlib.contextmanager
def _file_lock(path: Path, timeout: float) -> Iterator[None]:
    """An exclusive lock between processes (and threads) on `path`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+b")  # noqa: SIM115 (closed by the with below)
    except OSError:  # read-only or full disk, a file where the folder should be
        raise StorageError("failed", path) from None
    deadline = time.monotonic() + timeout
    with handle:
        while True:
            try:
                _try_lock(handle)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise StorageError("busy", path) from None
                time.sleep(0.02)
        try:
            yield
        finally:
            _unlock(handle)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: Any) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: Any) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: Any) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: Any) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class Store:
    def __init__(
        self, config_dir: Path | None = None, backend: Any = None, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        folder = config_dir or _config_dir()
        self.config_file = folder / "profiles.json"
        self.lock_file = folder / "profiles.lock"
        self._backend = backend
        self.timeout = timeout
        self.set_aside: Path | None = None  # where the last save put a damaged config file

    # --- metadata ---
    def list_profiles(self) -> list[Profile]:
        try:
            raw = self.config_file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise StorageError("corrupt_config", self.config_file) from exc
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise StorageError("corrupt_config", self.config_file) from exc
        if not isinstance(data, dict) or not isinstance(data.get("profiles", []), list):
            raise StorageError("corrupt_config", self.config_file)
        version = data.get("format", FORMAT_VERSION)
        if not isinstance(version, int) or version > FORMAT_VERSION:
            # Written by a newer alegra-wizard: read nothing rather than lose its fields.
            raise StorageError("newer_format", self.config_file)
        known = {f.name for f in fields(Profile)}
        return [
            Profile(**{k: v for k, v in item.items() if k in known})
            for item in data.get("profiles", [])
            if isinstance(item, dict) and isinstance(item.get("id"), str)
        ]

    def find(self, profile_id: str) -> Profile | None:
        return next((p for p in self.list_profiles() if p.id == profile_id), None)

    def find_duplicate(self, email: str, identification: str | None) -> Profile | None:
        """The stored profile for the same Alegra user and company, if any."""
        for profile in self.list_profiles():
            same_user = profile.email.casefold() == email.casefold()
            if same_user and (profile.identification or None) == (identification or None):
                return profile
        return None

    def _set_aside_damaged(self) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.config_file.with_name(f"{self.config_file.name}.corrupt-{stamp}")
        os.replace(self.config_file, target)
        self.set_aside = target
        return target

    def _write(self, profiles: list[Profile]) -> None:
        """Atomic: temp file in the same folder (mode 0600), fsync, replace, fsync folder.
        A full or read-only disk is a StorageError, the previous file left as it was."""
        try:
            self._write_atomically(profiles)
        except OSError:
            raise StorageError("failed", self.config_file) from None

    def _write_atomically(self, profiles: list[Profile]) -> None:
        import tempfile

        folder = self.config_file.parent
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        payload = json.dumps(
            {"format": FORMAT_VERSION, "profiles": [asdict(p) for p in profiles]},
            indent=2,
            ensure_ascii=False,
        )
        fd, tmp = tempfile.mkstemp(prefix=".profiles-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            if os.name == "posix":
                os.chmod(tmp, 0o600)
            os.replace(tmp, self.config_file)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        if os.name == "posix":
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def _locked(self) -> contextlib.AbstractContextManager[None]:
        return _file_lock(self.lock_file, LOCK_TIMEOUT)

    # --- keyring ---
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

    def backend_kind(self) -> str:
        """windows | macos | secretservice | kwallet | other: for "saved in …" texts."""
        try:
            backend = self.backend()
        except Exception:
            return "other"
        module = type(backend).__module__.lower()
        for needle, kind in (
            ("windows", "windows"),
            ("macos", "macos"),
            ("secretservice", "secretservice"),
            ("libsecret", "secretservice"),
            ("kwallet", "kwallet"),
        ):
            if needle in module:
                return kind
        return "other"

    def _usable_backend(self) -> Any:
        backend = self.backend()
        kind = f"{type(backend).__module__}.{type(backend).__name__}"
        if kind in UNSAFE_BACKENDS or type(backend).__module__ == "keyring.backends.fail":
            raise StorageError("no_backend")
        return backend

    def _call(self, fn: Any, *args: Any) -> Any:
        """A keyring call with a timeout: a hung Secret Service must not freeze us."""
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["value"] = fn(*args)
            except BaseException as exc:  # carried to the caller's thread
                box["error"] = exc

        worker = threading.Thread(target=run, name="keyring-call", daemon=True)
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
            # `from None`: a backend's exception text could quote what it was given.
            raise StorageError("failed") from None
        return box.get("value")

    # --- the public operations ---
    def check_backend(self) -> str:
        """The usable backend's name, after one harmless read under the timeout (doctor).
        Raises StorageError like any other keyring call."""
        backend = self._usable_backend()
        self._call(backend.get_password, SERVICE, "__alegra-wizard-doctor__")
        return self.backend_name()

    def load(self, profile_id: str) -> Credentials:
        profile = self.find(profile_id)
        if profile is None:
            raise StorageError("not_configured")
        token = self._call(self._usable_backend().get_password, SERVICE, profile_id)
        if not token:
            raise StorageError("missing_secret")
        return Credentials(profile, token)

    def new_id(self, name: str) -> str:
        """A free id for a new profile called `name`."""
        taken = {p.id for p in self._profiles_or_empty()}
        base = profile_id_for(name)
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def _profiles_or_empty(self) -> list[Profile]:
        try:
            return self.list_profiles()
        except StorageError as exc:
            if exc.reason == "corrupt_config":
                return []
            raise

    def save(self, profile: Profile, token: str) -> Profile:
        """Store `token` for `profile` (added, or replacing the profile with its id).

        A damaged config file is set aside (`self.set_aside`) and a fresh one started;
        on any failure the previous state (file and keyring) is left as it was.
        """
        from wizard.credentials import token_hint

        if not token:
            raise StorageError("failed")
        with self._locked():
            try:
                profiles = self.list_profiles()
            except StorageError as exc:
                if exc.reason != "corrupt_config":
                    raise
                profiles = None
            if not profile.id:
                profile = replace(profile, id=self.new_id(profile.name or profile.email))
            profile = replace(profile, token_hint=token_hint(token))
            backend = self._usable_backend()
            previous = self._call(backend.get_password, SERVICE, profile.id)
            self._call(backend.set_password, SERVICE, profile.id, token)
            try:
                if profiles is None:
                    self._set_aside_damaged()
                    profiles = []
                if any(p.id == profile.id for p in profiles):
                    updated = [profile if p.id == profile.id else p for p in profiles]
                else:
                    updated = [*profiles, profile]
                self._write(updated)
            except BaseException as exc:
                self._restore_secret(backend, profile.id, previous)
                if isinstance(exc, StorageError):
                    raise
                raise StorageError("failed", self.config_file) from None
        return profile

    def _restore_secret(self, backend: Any, profile_id: str, previous: str | None) -> None:
        with contextlib.suppress(StorageError):
            if previous is None:
                self._call(backend.delete_password, SERVICE, profile_id)
            else:
                self._call(backend.set_password, SERVICE, profile_id, previous)

    def forget(self, profile_id: str) -> bool:
        """Remove the keyring entry and the metadata; idempotent."""
        with self._locked():
            profiles = self.list_profiles()
            removed = False
            try:
                self._call(self._usable_backend().delete_password, SERVICE, profile_id)
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
        """Record when a stored profile was last checked and how it went."""
        with self._locked():
            profiles = self.list_profiles()
            if not any(p.id == profile_id for p in profiles):
                return
            self._write(
                [
                    replace(p, last_check_at=now_iso(), last_check_code=code)
                    if p.id == profile_id
                    else p
                    for p in profiles
                ]
            )


def load(profile: str) -> Credentials:
    """For other Python programs: the stored email, base URL and token of `profile`."""
    return Store().load(profile)


def list_profiles() -> list[Profile]:
    return Store().list_profiles()
