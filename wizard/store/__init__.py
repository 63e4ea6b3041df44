"""Stored profiles: metadata JSON in the user config folder, the token in the OS keyring.

Three parts, one `Store` over them:
- `model`: the profile, profiles.json's format, the merge of an update (pure data);
- `files`: profiles.json and its lock, on disk or in memory (test mode);
- `keyrings`: which keyring may hold a token, calls under a timeout, late-call undo.

Keyring: service = the app id (wizard.appconfig; "alegra-wizard" by default), username =
profile id. The config folder is named after the app id too: two products that ship the
wizard never see each other's connections. The token is nowhere but the keyring: not in
the JSON, not in an exception, not in a temp file. The JSON is written atomically with
mode 0600 in a 0700 folder (whatever the umask),
under a file lock so two wizards saving at once keep both profiles. A save writes the
keyring first and the metadata second; if the second step fails the keyring is put back as
it was, so there is never a profile without its token nor a new token without its profile.
A keyring call that times out but completes later is undone when it lands. A file we cannot
read is set aside by a save, never overwritten, and never rewritten by a read.

Other Python programs use this module's functions and names (README: "wizard.store from
Python"): `load`, `list_profiles`, `default_profile`, `set_default`, `rename`, `forget`,
`Store`, `Profile`, `StorageError`…
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from wizard.private_files import FileBusyError
from wizard.store.files import LOCK_TIMEOUT, DiskFiles, MemoryFiles, config_dir
from wizard.store.keyrings import (
    DEFAULT_TIMEOUT,
    LATE_GRACE,
    SERVICE,
    UNSAFE_BACKEND_MODULES,
    UNSAFE_BACKENDS,
    Keyring,
    MemoryKeyring,
    effective_backend_of,
    keyring_service,
    settle,
)
from wizard.store.model import (
    FORMAT_VERSION,
    MAX_CONFIG_BYTES,
    AmbiguousProfile,
    Credentials,
    Data,
    Profile,
    ProfileChoiceError,
    ProfileExists,
    ProfileNotFound,
    SaveResult,
    StorageError,
    StorageReason,
    dump,
    merge_for_save,
    now_iso,
    parse,
    profile_from_check,
    profile_id_for,
    with_last_check,
)

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_TIMEOUT",
    "FORMAT_VERSION",
    "LATE_GRACE",
    "LOCK_TIMEOUT",
    "MAX_CONFIG_BYTES",
    "SERVICE",
    "UNSAFE_BACKENDS",
    "UNSAFE_BACKEND_MODULES",
    "AmbiguousProfile",
    "Credentials",
    "MemoryKeyring",
    "Profile",
    "ProfileChoiceError",
    "ProfileExists",
    "ProfileNotFound",
    "SaveResult",
    "StorageError",
    "StorageReason",
    "Store",
    "default_profile",
    "effective_backend_of",
    "forget",
    "keyring_service",
    "list_profiles",
    "load",
    "merge_for_save",
    "now_iso",
    "profile_from_check",
    "profile_id_for",
    "rename",
    "set_default",
    "settle",
]


class Store:
    """The profile operations, each under the file lock and with its keyring half undone
    when the other half fails."""

    def __init__(
        self,
        config_dir: Path | None = None,
        backend: Any = None,
        timeout: float = DEFAULT_TIMEOUT,
        app_id: str = SERVICE,
    ) -> None:
        self.app_id = app_id  # the keyring service and the config folder's name
        self._files: DiskFiles | MemoryFiles = DiskFiles(config_dir or _config_dir(app_id))
        self._keyring = Keyring(backend, timeout, service=app_id)

    @classmethod
    def in_memory(cls) -> Store:
        """A store whose keyring and config live in this process only (test mode):
        nothing reaches the user's keyring or config folder."""
        store = cls(config_dir=Path("<memory>"), backend=MemoryKeyring())
        store._files = MemoryFiles(Path("<memory>"))
        return store

    @property
    def on_keyring_consent(self) -> Callable[[], None] | None:
        """Called when a macOS Keychain call waits for the user's permission (see
        keyrings.Keyring): the CLI says «Esperando el permiso del llavero de macOS…»."""
        return self._keyring.on_consent_wait

    @on_keyring_consent.setter
    def on_keyring_consent(self, notify: Callable[[], None] | None) -> None:
        self._keyring.on_consent_wait = notify

    @property
    def timeout(self) -> float:
        """How long one keyring call may take."""
        return self._keyring.timeout

    @timeout.setter
    def timeout(self, value: float) -> None:
        self._keyring.timeout = value

    @property
    def config_file(self) -> Path:
        return self._files.config_file

    @property
    def lock_file(self) -> Path:
        return self._files.lock_file

    # --- metadata ---
    def _read(self) -> Data:
        try:
            raw = self._files.read()
        except OSError as exc:  # unreadable, a symlink, not a regular file
            raise StorageError(StorageReason.CORRUPT_CONFIG, self.config_file) from exc
        return Data([]) if raw is None else parse(raw, self.config_file)

    def _read_for_update(self) -> tuple[Data, bool]:
        """(data, damaged): a damaged file reads as empty, to be set aside by the write."""
        try:
            return self._read(), False
        except StorageError as exc:
            if exc.reason is not StorageReason.CORRUPT_CONFIG:
                raise
            return Data([]), True

    def _write(self, data: Data) -> None:
        """A full or read-only disk is a StorageError, the previous file left as it was."""
        try:
            self._files.write(dump(data))
        except FileBusyError:  # another program holds it open (Windows): busy, not the disk
            raise StorageError(StorageReason.BUSY, self.config_file) from None
        except OSError:
            raise StorageError(StorageReason.DISK, self.config_file) from None

    def _locked(self) -> contextlib.AbstractContextManager[None]:
        return self._files.lock(LOCK_TIMEOUT)

    def list_profiles(self) -> list[Profile]:
        return self._read().profiles

    def find(self, profile_id: str) -> Profile | None:
        return self._read().find(profile_id)

    def default_id(self) -> str | None:
        """The default profile's id (used when a command names none), if one is set."""
        return self._read().default

    def resolve(self, profile_id: str | None) -> Profile:
        """The named profile, else the default, else the only one."""
        data = self._read()
        if profile_id is not None:
            found = data.find(profile_id)
            if found is None:
                raise ProfileNotFound(profile_id, data.profiles)
            return found
        if data.default is not None:
            return data.find(data.default) or data.profiles[0]
        if len(data.profiles) == 1:
            return data.profiles[0]
        if not data.profiles:
            raise ProfileNotFound(None, [])
        raise AmbiguousProfile(data.profiles)

    def find_duplicate(self, email: str, identification: str | None) -> Profile | None:
        """The stored profile for the same Alegra user and company, if any."""
        for profile in self.list_profiles():
            same_user = profile.email.casefold() == email.casefold()
            if same_user and (profile.identification or None) == (identification or None):
                return profile
        return None

    def set_default(self, profile_id: str) -> Profile:
        with self._locked():
            data = self._read()
            found = data.find(profile_id)
            if found is None:
                raise ProfileNotFound(profile_id, data.profiles)
            data.default = profile_id
            self._write(data)
        return found

    # --- keyring ---
    def backend(self) -> Any:
        return self._keyring.backend()

    def effective_backend(self) -> Any:
        return self._keyring.effective_backend()

    def effective_backend_name(self) -> str:
        return self._keyring.effective_backend_name()

    backend_name = effective_backend_name

    def backend_kind(self) -> str:
        return self._keyring.backend_kind()

    def _undo(
        self, backend: Any, username: str, landed: str | None, before: str | None,
        record: Profile | None,
    ) -> Callable[[], None]:  # fmt: skip
        """The undo of a keyring write that left `landed` (None: deleted) under `username`,
        should it land late: under the lock, put `before` back, unless something else has
        changed the entry or its metadata since (a later save or forget that worked: that
        state is the right one)."""
        keyring_undo = self._keyring.put_back(backend, username, landed, before)

        def undo() -> None:
            with self._locked():
                if self._read_for_update()[0].find(username) != record:
                    return
                keyring_undo()

        return undo

    # --- the public operations ---
    def check_backend(self) -> str:
        """The usable backend's name, after one harmless read under the timeout (doctor).
        Raises StorageError like any other keyring call."""
        self._keyring.get(self._keyring.usable(), "__alegra-wizard-doctor__")
        return self.effective_backend_name()

    def load(self, profile_id: str) -> Credentials:
        profile = self.find(profile_id)
        if profile is None:
            raise StorageError(StorageReason.NOT_CONFIGURED)
        keys = self._keyring
        backend = keys.usable()
        legacy = keys.call(backend.get_password, keys.service, profile_id)
        if legacy is not None:  # stored under the earlier naming: moved now
            try:
                with self._locked():
                    keys.move_legacy(backend, profile_id)
            except StorageError as exc:  # the next use finishes it; the token still serves
                log.warning("could not move a token to its own keyring entry: %s", exc.reason)
        token = keys.get(backend, profile_id) or legacy
        if not token:
            raise StorageError(StorageReason.MISSING_SECRET)
        from wizard.redact import register_secret

        register_secret(token)  # masked in whatever prints or stores server text from here on
        return Credentials(profile, token)

    def new_id(self, name: str) -> str:
        """A free id for a new profile called `name`."""
        return self._read_for_update()[0].free_id(profile_id_for(name))

    def save(self, profile: Profile, token: str) -> SaveResult:
        """Store `token` for `profile` (added, or replacing the profile with its id).

        A damaged config file is set aside (SaveResult.set_aside) and a fresh one started;
        on any failure the previous state (file and keyring) is left as it was.
        """
        from wizard.redact import mask_token

        if not token:
            raise StorageError(StorageReason.FAILED)
        keys = self._keyring
        keys.settle_late()
        with self._locked():
            data, damaged = self._read_for_update()
            if not profile.id:
                profile = replace(
                    profile, id=data.free_id(profile_id_for(profile.name or profile.email))
                )
            profile = replace(profile, token_hint=mask_token(token))
            created = data.find(profile.id) is None
            backend = keys.usable()
            keys.move_legacy(backend, profile.id)
            previous = keys.get(backend, profile.id)
            undo = self._undo(backend, profile.id, token, previous, data.find(profile.id))
            keys.write(backend, keys.setter(backend), profile.id, token, undo=undo)
            set_aside = None
            try:
                if damaged:
                    set_aside = self._files.set_aside()
                if created:
                    data.profiles.append(profile)
                else:
                    data.profiles = [profile if p.id == profile.id else p for p in data.profiles]
                self._write(data)
            except BaseException as exc:
                keys.restore(backend, profile.id, previous)
                if isinstance(exc, StorageError):
                    raise
                raise StorageError(StorageReason.DISK, self.config_file) from None
        return SaveResult(profile, created, set_aside)

    def forget(self, profile_id: str) -> bool:
        """Remove the keyring entry and the metadata; idempotent."""
        keys = self._keyring
        keys.settle_late()
        with self._locked():
            data = self._read()
            removed = False
            backend = keys.usable()
            keys.move_legacy(backend, profile_id)  # then one entry to remove
            # Read first: if the delete times out and lands later, the secret goes back.
            previous = keys.get(backend, profile_id)
            undo = self._undo(backend, profile_id, None, previous, data.find(profile_id))
            try:
                keys.write(backend, backend.delete_password, profile_id, undo=undo)
                removed = True
            except StorageError as exc:
                if exc.reason is not StorageReason.MISSING_SECRET:
                    raise
            kept = [p for p in data.profiles if p.id != profile_id]
            if len(kept) != len(data.profiles):
                self._write(Data(kept, None if data.default == profile_id else data.default))
                removed = True
        return removed

    def rename(self, profile_id: str, new_name: str) -> Profile:
        """The profile's name becomes `new_name` and its id profile_id_for(new_name); the
        secret moves to the new id (write new, metadata, delete old) and the default
        follows. On any failure everything stays as it was."""
        new_name = new_name.strip()
        if not new_name:
            raise ValueError("a profile name can't be empty")
        new_id = profile_id_for(new_name)
        keys = self._keyring
        keys.settle_late()
        with self._locked():
            data = self._read()
            old = data.find(profile_id)
            if old is None:
                raise ProfileNotFound(profile_id, data.profiles)
            renamed = replace(old, id=new_id, name=new_name)
            default = new_id if data.default == profile_id else data.default
            moved = Data([renamed if p.id == profile_id else p for p in data.profiles], default)
            if new_id == profile_id:
                self._write(moved)
                return renamed
            if data.find(new_id) is not None:
                raise ProfileExists(new_id, data.profiles)
            backend = keys.usable()
            keys.move_legacy(backend, profile_id)
            token = keys.get(backend, profile_id)
            if not token:
                raise StorageError(StorageReason.MISSING_SECRET)
            undo_new = self._undo(backend, new_id, token, None, None)
            keys.write(backend, keys.setter(backend), new_id, token, undo=undo_new)
            try:
                self._write(moved)
            except BaseException:
                keys.restore(backend, new_id, None)
                raise
            undo_old = self._undo(backend, profile_id, None, token, old)
            try:
                keys.write(backend, backend.delete_password, profile_id, undo=undo_old)
            except StorageError as exc:
                if exc.reason is not StorageReason.MISSING_SECRET:
                    with contextlib.suppress(StorageError):
                        self._write(data)
                    keys.restore(backend, new_id, None)
                    raise
        return renamed

    def update_last_check(
        self, profile_id: str, code: str, *, user: Any = None, rate_limit: Any = None
    ) -> None:
        """Record when a stored profile was last checked and how it went; `user` (name,
        role) and `rate_limit` (limit, remaining, reset_s) as that check saw them, if any
        (wizard.check's User and RateLimit)."""
        with self._locked():
            data = self._read()
            if data.find(profile_id) is None:
                return
            data.profiles = [
                with_last_check(p, code, user=user, rate_limit=rate_limit)
                if p.id == profile_id
                else p
                for p in data.profiles
            ]
            self._write(data)

    def mark_needs(self, profile_id: str, missing: str | None) -> None:
        """Record which of the app file's needed resources the account lacked at its last
        check (comma-separated keys; None: none), as a save does."""
        from dataclasses import replace

        with self._locked():
            data = self._read()
            if data.find(profile_id) is None:
                return
            data.profiles = [
                replace(p, needs_missing=missing) if p.id == profile_id else p
                for p in data.profiles
            ]
            self._write(data)


def _config_dir(app_id: str) -> Path:
    return config_dir(app_id)


# --- for other Python programs (README: "wizard.store from Python") ----------------------


def load(profile: str | None = None, *, app_id: str = SERVICE) -> Credentials:
    """The stored email, base URL and token of `profile`; without one, the default profile
    (or the only one). app_id: the app file's id of the product that saved it. Raises
    ProfileNotFound / AmbiguousProfile, or StorageError."""
    store = Store(app_id=app_id)
    return store.load(store.resolve(profile).id)


def list_profiles(*, app_id: str = SERVICE) -> list[Profile]:
    return Store(app_id=app_id).list_profiles()


def default_profile(*, app_id: str = SERVICE) -> Profile | None:
    store = Store(app_id=app_id)
    default = store.default_id()
    return store.find(default) if default else None


def set_default(profile: str, *, app_id: str = SERVICE) -> Profile:
    return Store(app_id=app_id).set_default(profile)


def rename(profile: str, new_name: str, *, app_id: str = SERVICE) -> Profile:
    return Store(app_id=app_id).rename(profile, new_name)


def forget(profile: str, *, app_id: str = SERVICE) -> bool:
    return Store(app_id=app_id).forget(profile)
