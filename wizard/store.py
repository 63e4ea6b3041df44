"""Stored profiles: metadata JSON in the user config folder, the token in the OS keyring.

Keyring: service = the app id (wizard.appconfig; "alegra-wizard" by default), username =
profile id, so programs in any language can read it. The config folder is named after the
app id too: two products that ship the wizard never see each other's connections. The
token is nowhere else: not in the JSON, not in an exception, not in a temp file.

The JSON is written atomically (temp file, fsync, replace) with mode 0600 in a 0700
folder (whatever the umask), under a file lock so two wizards saving at once keep both
profiles; neither the lock nor the data file is ever reached through a symlink. A save
writes the keyring first and the metadata second; if the second step fails the keyring
is put back as it was, so there is never a profile without its token nor a new token
without its profile. A keyring call that times out but completes later is undone when
it lands (see `_LateCalls`). A file we cannot read is set aside by a save, never overwritten,
and never rewritten by a read.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from wizard.private_files import private_folder, write_private
from wizard.timeouts import CallTimedOut, call_with_timeout

SERVICE = "alegra-wizard"
DEFAULT_TIMEOUT = 5.0
FORMAT_VERSION = 1
LOCK_TIMEOUT = 10.0
LATE_GRACE = 10.0  # at exit: how long a late keyring write may take to land, be undone
MAX_CONFIG_BYTES = 4 * 1024 * 1024  # a real file is a few KiB; more is not ours
# Backends that would keep the token in a plain file, or nowhere: never used, even if
# installed or named by PYTHON_KEYRING_BACKEND / keyringrc.cfg (modules, then classes).
UNSAFE_BACKEND_MODULES = ("keyrings.alt", "keyring.backends.null", "keyring.backends.fail")
UNSAFE_BACKENDS = ("keyrings.alt.file.PlaintextKeyring", "keyring.backends.null.Keyring")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class StorageReason(StrEnum):
    NO_BACKEND = "no_backend"  # no keyring we may use (none, null, plaintext)
    LOCKED = "locked"
    TIMEOUT = "timeout"
    FAILED = "failed"  # the keyring refused or broke
    DISK = "disk"  # the config folder can't be written: full, read-only, not a folder
    CORRUPT_CONFIG = "corrupt_config"
    NEWER_FORMAT = "newer_format"
    BUSY = "busy"
    MISSING_SECRET = "missing_secret"  # noqa: S105 (a reason, not a password)
    NOT_CONFIGURED = "not_configured"


class StorageError(Exception):
    """`reason` is a StorageReason (compares equal to its string). Never carries the token."""

    def __init__(self, reason: StorageReason | str, path: Path | None = None) -> None:
        reason = StorageReason(reason)
        super().__init__(reason.value)
        self.reason = reason
        self.path = path


class ProfileChoiceError(Exception):
    """The profile asked for (or implied) can't be chosen; `profiles` is what is stored."""

    def __init__(self, message: str, profiles: list[Profile]) -> None:
        super().__init__(message)
        self.profiles = profiles


class ProfileNotFound(ProfileChoiceError):
    """The named profile is not stored, or (profile_id None) no profile is."""

    def __init__(self, profile_id: str | None, profiles: list[Profile] | None = None) -> None:
        super().__init__(profile_id or "no profile stored", list(profiles or []))
        self.profile_id = profile_id


class AmbiguousProfile(ProfileChoiceError):
    """Several profiles and no default: the caller must name one."""

    def __init__(self, profiles: list[Profile]) -> None:
        super().__init__(", ".join(p.id for p in profiles), profiles)


class ProfileExists(ProfileChoiceError):
    """A rename would give a profile an id another one already has."""

    def __init__(self, profile_id: str, profiles: list[Profile]) -> None:
        super().__init__(profile_id, profiles)
        self.profile_id = profile_id


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
    # What the last check's answers said (doctor shows them: it sends no credentials itself):
    # who the token belongs to (/users/self), and the rate-limit budget as "remaining/limit"
    # with the UTC time it resets.
    last_user: str | None = None
    last_role: str | None = None
    last_rate_limit: str | None = None
    last_rate_reset_at: str | None = None
    # The app file's needed resources the account was missing when saved or last checked
    # (wizard.needs), as comma-separated keys ("bank_accounts"); None: none missing.
    needs_missing: str | None = None


# The type every stored field must have; anything else in the file is damage.
_REQUIRED_STR = {"id", "name", "email", "base_url", "token_hint"}


@dataclass
class Credentials:
    profile: Profile
    token: str

    def __repr__(self) -> str:
        from wizard.redact import mask_token

        return f"Credentials(profile={self.profile.id!r}, token={mask_token(self.token)!r})"

    __str__ = __repr__


@dataclass(frozen=True)
class SaveResult:
    profile: Profile  # as stored (its id, token hint)
    created: bool  # a new profile; False: an existing one was updated
    set_aside: Path | None = None  # where a damaged config file was moved, if it was

    @property
    def updated(self) -> bool:
        return not self.created


def profile_id_for(name: str) -> str:
    """A stable, shell- and keyring-friendly id from a profile name: "Café Núñez S.A.S."
    becomes "cafe-nunez-s-a-s"."""
    import re
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-")
    return slug or "alegra"


def merge_for_save(incoming: Profile, existing: Profile | None) -> Profile:
    """The profile a save should store when `incoming` updates `existing` (a duplicate the
    user chose to update, or the profile being renewed): existing's id, and the company
    facts this check didn't learn kept from before. With no `existing`: a new profile."""
    if existing is None:
        return replace(incoming, id="")
    return replace(
        incoming,
        id=existing.id,
        country=incoming.country or existing.country,
        company=incoming.company if incoming.company is not None else existing.company,
        identification=incoming.identification or existing.identification,
    )


def _config_dir(app_id: str) -> Path:
    from wizard.settings import config_dir  # one rule for the folder, settings.json's too

    return config_dir(app_id)


def now_iso() -> str:
    """Now, in UTC, as stored in last_check_at."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


# --- the config file: on disk, or in memory (test mode) ----------------------------------


class _DiskFiles:
    def __init__(self, folder: Path) -> None:
        self.config_file = folder / "profiles.json"
        self.lock_file = folder / "profiles.lock"

    def read(self) -> bytes | None:
        """The file's bytes, None if there is none. Never through a symlink, never a FIFO
        or device (open would block or read for ever)."""
        try:
            fd = os.open(self.config_file, os.O_RDONLY | _NOFOLLOW | _CLOEXEC | _NONBLOCK)
        except FileNotFoundError:
            return None
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise OSError(errno.EINVAL, "not a regular file")
            return handle.read(MAX_CONFIG_BYTES + 1)

    def write(self, payload: bytes) -> None:
        """Atomic and 0600 (private_files.write_private), in our 0700 folder."""
        private_folder(self.config_file.parent)
        write_private(self.config_file, payload)

    def set_aside(self) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.config_file.with_name(f"{self.config_file.name}.corrupt-{stamp}")
        os.replace(self.config_file, target)
        if os.name == "posix" and not target.is_symlink():  # chmod would follow a link
            with contextlib.suppress(OSError):
                os.chmod(target, 0o600)  # a hand-edited file may be 0644: it names clients
        return target

    @contextlib.contextmanager
    def lock(self, timeout: float) -> Iterator[None]:
        """An exclusive lock between processes (and threads) on the lock file."""
        try:
            private_folder(self.lock_file.parent)
            # O_NOFOLLOW: a planted profiles.lock symlink must not make us create its target.
            fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _CLOEXEC, 0o600)
        except OSError:  # read-only or full disk, a file where the folder should be, a link
            raise StorageError(StorageReason.DISK, self.lock_file) from None
        deadline = time.monotonic() + timeout
        with os.fdopen(fd, "r+b") as handle:
            if os.name == "posix":
                with contextlib.suppress(OSError):
                    os.fchmod(fd, 0o600)
            while True:
                try:
                    _try_lock(handle)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise StorageError(StorageReason.BUSY, self.lock_file) from None
                    time.sleep(0.02)
            try:
                yield
            finally:
                _unlock(handle)


class _MemoryFiles:
    """The config file for a test-mode store: a bytes value, a thread lock."""

    def __init__(self, folder: Path) -> None:
        self.config_file = folder / "profiles.json"
        self.lock_file = folder / "profiles.lock"
        self.data: bytes | None = None
        self.aside: list[bytes] = []
        self._lock = threading.Lock()

    def read(self) -> bytes | None:
        return self.data

    def write(self, payload: bytes) -> None:
        self.data = payload

    def set_aside(self) -> Path:
        self.aside.append(self.data or b"")
        self.data = None
        return self.config_file.with_name(f"profiles.json.corrupt-{len(self.aside)}")

    @contextlib.contextmanager
    def lock(self, timeout: float) -> Iterator[None]:
        if not self._lock.acquire(timeout=timeout):
            raise StorageError(StorageReason.BUSY)
        try:
            yield
        finally:
            self._lock.release()


class MemoryKeyring:
    """A keyring that keeps secrets in this process only (Store.in_memory: test mode)."""

    name = "memory (test mode)"

    def __init__(self) -> None:
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError("not stored")


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


@dataclass
class _Data:
    profiles: list[Profile]
    default: str | None = None

    def find(self, profile_id: str) -> Profile | None:
        return next((p for p in self.profiles if p.id == profile_id), None)


def _parse(raw: bytes, path: Path) -> _Data:
    """profiles.json's bytes as profiles; any damage (not JSON, too deep, a wrong type
    anywhere) is corrupt_config. A UTF-8 byte-order mark (Notepad) is not damage."""
    corrupt = StorageError(StorageReason.CORRUPT_CONFIG, path)
    if len(raw) > MAX_CONFIG_BYTES:
        raise corrupt
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, RecursionError):  # RecursionError: "[" * 100000
        raise corrupt from None
    if not isinstance(data, dict):
        raise corrupt
    version = data.get("format", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool):
        raise corrupt
    if version > FORMAT_VERSION:
        # Written by a newer alegra-wizard: read nothing rather than lose its fields.
        raise StorageError(StorageReason.NEWER_FORMAT, path)
    items = data.get("profiles", [])
    default = data.get("default")
    if not isinstance(items, list) or not (default is None or isinstance(default, str)):
        raise corrupt
    known = {f.name for f in fields(Profile)}
    profiles = []
    for item in items:
        if not isinstance(item, dict):
            raise corrupt
        values = {k: v for k, v in item.items() if k in known}
        for key, value in values.items():
            if not (isinstance(value, str) or (value is None and key not in _REQUIRED_STR)):
                raise corrupt
        if not values.get("id"):
            raise corrupt
        profiles.append(Profile(**values))
    ids = {p.id for p in profiles}
    return _Data(profiles, default if default in ids else None)


def _dump(data: _Data) -> bytes:
    ids = {p.id for p in data.profiles}
    payload = {
        "format": FORMAT_VERSION,
        "default": data.default if data.default in ids else None,
        "profiles": [asdict(p) for p in data.profiles],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False).encode("utf-8")


def _module_of(backend: Any) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _is_unsafe(backend: Any) -> bool:
    kind = _module_of(backend)
    return kind in UNSAFE_BACKENDS or any(
        kind.startswith(module + ".") for module in UNSAFE_BACKEND_MODULES
    )


def _chain_members(backend: Any) -> list[Any] | None:
    """A chainer's members in the order it tries them; None for a plain backend."""
    from keyring.backends.chainer import ChainerBackend

    if isinstance(backend, ChainerBackend):
        return list(backend.backends)
    return None


def effective_backend_of(backend: Any) -> Any:
    """The backend that will actually hold the secret: a chainer writes to its first
    member, so walk chainers down to that member (nested ones too). A chainer with no
    members keeps nothing: it is returned as is (and is refused as such)."""
    for _ in range(10):  # a chain of chainers is odd; a loop of them must not hang us
        members = _chain_members(backend)
        if not members:
            return backend
        backend = members[0]
    return backend


class _LateCalls:
    """Keyring writes that timed out but may still land, per (backend, username).

    When one lands after we reported the failure, its undo runs (on a thread of its own,
    under the file lock) so the stored state ends up as it was before the call. Until
    it has, another write to the same keyring waits for it (and reports `timeout` if it
    is still out): a retry must not race the late call it replaces. At exit the
    process waits a little for late calls to land and be undone (`settle`)."""

    def __init__(self) -> None:
        self._pending: dict[tuple[int, str], threading.Event] = {}
        self._guard = threading.Lock()
        self._atexit = False

    def track(self, key: tuple[int, str], late: Future[Any], undo: Callable[[], None]) -> None:
        settled = threading.Event()
        with self._guard:
            self._pending[key] = settled
            if not self._atexit:
                import atexit

                atexit.register(self.settle, LATE_GRACE)
                self._atexit = True

        def finish() -> None:
            try:
                if late.exception() is None:  # it did write after all: put things back
                    with contextlib.suppress(StorageError):
                        undo()
            finally:
                with self._guard:
                    if self._pending.get(key) is settled:
                        del self._pending[key]
                settled.set()

        # On its own thread: the callback may run at once, in a caller holding the lock.
        late.add_done_callback(
            lambda _f: threading.Thread(target=finish, name="keyring-undo", daemon=True).start()
        )

    def wait_clear(self, backend: Any, timeout: float) -> None:
        """Before a write (and outside the file lock, which an undo needs): wait for the
        late calls to `backend` to land and be undone; still out: the keyring is hung."""
        with self._guard:
            waiting = [e for (owner, _), e in self._pending.items() if owner == id(backend)]
        deadline = time.monotonic() + timeout
        for settled in waiting:
            if not settled.wait(max(0.0, deadline - time.monotonic())):
                raise StorageError(StorageReason.TIMEOUT)

    def settle(self, timeout: float) -> bool:
        """Wait up to `timeout` s for every late call to land and be undone; True if none
        is left."""
        deadline = time.monotonic() + timeout
        while True:
            with self._guard:
                waiting = list(self._pending.values())
            if not waiting:
                return True
            if not waiting[0].wait(max(0.0, deadline - time.monotonic())):
                return False


_LATE = _LateCalls()


def settle(timeout: float = LATE_GRACE) -> bool:
    """Wait for keyring calls that timed out to land and be undone (tests; exit)."""
    return _LATE.settle(timeout)


def _skip_macos_api_off_macos() -> None:
    """Off macOS, keyring's macOS backend can never be chosen (its priority refuses any
    other system), yet choosing a backend imports its ctypes wrapper, whose
    `find_library("Security")` (and CoreServices, Foundation) runs `ldconfig -p`, gcc and ld
    on Linux: 13 processes and ~50 ms of CPU (~70 ms wall) on every command that touches
    the keyring, plus a temp file from gcc. A None entry in sys.modules makes that one
    import fail, which keyring already catches (`try: from . import api`), so the backend
    reads as unavailable, as it is."""
    if sys.platform != "darwin":
        sys.modules.setdefault("keyring.backends.macOS.api", None)  # type: ignore[arg-type]


class Store:
    def __init__(
        self,
        config_dir: Path | None = None,
        backend: Any = None,
        timeout: float = DEFAULT_TIMEOUT,
        app_id: str = SERVICE,
    ) -> None:
        self.app_id = app_id  # the keyring service and the config folder's name
        self._files: _DiskFiles | _MemoryFiles = _DiskFiles(config_dir or _config_dir(app_id))
        self._backend = backend
        self._effective: Any = None
        self.timeout = timeout

    @classmethod
    def in_memory(cls) -> Store:
        """A store whose keyring and config live in this process only (test mode):
        nothing reaches the user's keyring or config folder."""
        store = cls(config_dir=Path("<memory>"), backend=MemoryKeyring())
        store._files = _MemoryFiles(Path("<memory>"))
        return store

    @property
    def config_file(self) -> Path:
        return self._files.config_file

    @property
    def lock_file(self) -> Path:
        return self._files.lock_file

    # --- metadata ---
    def _read(self) -> _Data:
        try:
            raw = self._files.read()
        except OSError as exc:  # unreadable, a symlink, not a regular file
            raise StorageError(StorageReason.CORRUPT_CONFIG, self.config_file) from exc
        return _Data([]) if raw is None else _parse(raw, self.config_file)

    def _read_for_update(self) -> tuple[_Data, bool]:
        """(data, damaged): a damaged file reads as empty, to be set aside by the write."""
        try:
            return self._read(), False
        except StorageError as exc:
            if exc.reason is not StorageReason.CORRUPT_CONFIG:
                raise
            return _Data([]), True

    def _write(self, data: _Data) -> None:
        """A full or read-only disk is a StorageError, the previous file left as it was."""
        try:
            self._files.write(_dump(data))
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
        if self._backend is None:
            _skip_macos_api_off_macos()
            import keyring

            self._backend = keyring.get_keyring()
        return self._backend

    def effective_backend(self) -> Any:
        """The backend that would hold the secret (a chainer's first member). Found once:
        a chainer lists its members by probing every backend (a D-Bus round trip each)."""
        if self._effective is None:
            self._effective = effective_backend_of(self.backend())
        return self._effective

    def effective_backend_name(self) -> str:
        """The name of the backend that would hold the secret, even one we refuse (for
        doctor and status: «SecretService Keyring», «PlaintextKeyring», …)."""
        try:
            backend = self.effective_backend()
        except Exception:
            return "—"
        return str(getattr(backend, "name", type(backend).__name__))

    backend_name = effective_backend_name

    def backend_kind(self) -> str:
        """windows | macos | secretservice | kwallet | other: for "saved in …" texts."""
        try:
            backend = self.effective_backend()
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
        """The backend the secret will go to, called directly (not through a chainer, so
        it can't fall through to another member). Plaintext, null, fail and an empty
        chainer are refused: no_backend."""
        try:
            backend = self.effective_backend()
        except Exception:
            raise StorageError(StorageReason.NO_BACKEND) from None
        if _is_unsafe(backend) or _chain_members(backend) is not None:
            raise StorageError(StorageReason.NO_BACKEND)
        return backend

    def _call(self, fn: Any, *args: Any) -> Any:
        """A keyring call with a timeout: a hung Secret Service must not freeze us."""
        try:
            return call_with_timeout(fn, *args, timeout=self.timeout, name="keyring-call")
        except CallTimedOut as late:
            raise _TimedOut(late.late) from None
        except BaseException as exc:
            raise _storage_error_for(exc) from None

    def _write_secret(
        self, backend: Any, fn: Any, username: str, *args: Any, undo: Callable[[], None]
    ) -> None:
        """A keyring write (set or delete of `username`) with a timeout. If it times out
        and lands later, `undo` runs then, under the lock (see _LateCalls)."""
        key = (id(backend), username)
        try:
            self._call(fn, self.app_id, username, *args)
        except _TimedOut as exc:
            _LATE.track(key, exc.late, lambda: self._undo_locked(undo))
            raise StorageError(StorageReason.TIMEOUT) from None

    def _settle_late(self) -> None:
        try:
            backend = self._usable_backend()
        except StorageError:  # no usable backend: the operation itself says so
            return
        _LATE.wait_clear(backend, self.timeout)

    def _undo_locked(self, undo: Callable[[], None]) -> None:
        with self._locked():
            undo()

    def _put_back(
        self,
        backend: Any,
        username: str,
        landed: str | None,
        before: str | None,
        record: Profile | None,
    ) -> Callable[[], None]:
        """The undo of a write that left `landed` (None: deleted) under `username`: put
        `before` back, unless something else has changed the entry or its metadata
        since (a later save or forget that worked: that state is the right one)."""

        def undo() -> None:
            if self._read_for_update()[0].find(username) != record:
                return
            if self._call(backend.get_password, self.app_id, username) != landed:
                return
            if before is None:
                with contextlib.suppress(StorageError):
                    self._call(backend.delete_password, self.app_id, username)
            else:
                self._call(backend.set_password, self.app_id, username, before)

        return undo

    # --- the public operations ---
    def check_backend(self) -> str:
        """The usable backend's name, after one harmless read under the timeout (doctor).
        Raises StorageError like any other keyring call."""
        backend = self._usable_backend()
        self._call(backend.get_password, self.app_id, "__alegra-wizard-doctor__")
        return self.effective_backend_name()

    def load(self, profile_id: str) -> Credentials:
        profile = self.find(profile_id)
        if profile is None:
            raise StorageError(StorageReason.NOT_CONFIGURED)
        token = self._call(self._usable_backend().get_password, self.app_id, profile_id)
        if not token:
            raise StorageError(StorageReason.MISSING_SECRET)
        from wizard.redact import register_secret

        register_secret(token)  # masked in whatever prints or stores server text from here on
        return Credentials(profile, token)

    def new_id(self, name: str) -> str:
        """A free id for a new profile called `name`."""
        return _free_id(profile_id_for(name), self._read_for_update()[0])

    def save(self, profile: Profile, token: str) -> SaveResult:
        """Store `token` for `profile` (added, or replacing the profile with its id).

        A damaged config file is set aside (SaveResult.set_aside) and a fresh one started;
        on any failure the previous state (file and keyring) is left as it was.
        """
        from wizard.redact import mask_token

        if not token:
            raise StorageError(StorageReason.FAILED)
        self._settle_late()
        with self._locked():
            data, damaged = self._read_for_update()
            if not profile.id:
                profile = replace(
                    profile, id=_free_id(profile_id_for(profile.name or profile.email), data)
                )
            profile = replace(profile, token_hint=mask_token(token))
            created = data.find(profile.id) is None
            backend = self._usable_backend()
            previous = self._call(backend.get_password, self.app_id, profile.id)
            undo = self._put_back(backend, profile.id, token, previous, data.find(profile.id))
            self._write_secret(backend, backend.set_password, profile.id, token, undo=undo)
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
                self._restore_secret(backend, profile.id, previous)
                if isinstance(exc, StorageError):
                    raise
                raise StorageError(StorageReason.DISK, self.config_file) from None
        return SaveResult(profile, created, set_aside)

    def _restore_secret(self, backend: Any, profile_id: str, previous: str | None) -> None:
        with contextlib.suppress(StorageError):
            if previous is None:
                self._call(backend.delete_password, self.app_id, profile_id)
            else:
                self._call(backend.set_password, self.app_id, profile_id, previous)

    def forget(self, profile_id: str) -> bool:
        """Remove the keyring entry and the metadata; idempotent."""
        self._settle_late()
        with self._locked():
            data = self._read()
            removed = False
            backend = self._usable_backend()
            # Read first: if the delete times out and lands later, the secret goes back.
            previous = self._call(backend.get_password, self.app_id, profile_id)
            undo = self._put_back(backend, profile_id, None, previous, data.find(profile_id))
            try:
                self._write_secret(backend, backend.delete_password, profile_id, undo=undo)
                removed = True
            except StorageError as exc:
                if exc.reason is not StorageReason.MISSING_SECRET:
                    raise
            kept = [p for p in data.profiles if p.id != profile_id]
            if len(kept) != len(data.profiles):
                self._write(_Data(kept, None if data.default == profile_id else data.default))
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
        self._settle_late()
        with self._locked():
            data = self._read()
            old = data.find(profile_id)
            if old is None:
                raise ProfileNotFound(profile_id, data.profiles)
            renamed = replace(old, id=new_id, name=new_name)
            default = new_id if data.default == profile_id else data.default
            moved = _Data([renamed if p.id == profile_id else p for p in data.profiles], default)
            if new_id == profile_id:
                self._write(moved)
                return renamed
            if data.find(new_id) is not None:
                raise ProfileExists(new_id, data.profiles)
            backend = self._usable_backend()
            token = self._call(backend.get_password, self.app_id, profile_id)
            if not token:
                raise StorageError(StorageReason.MISSING_SECRET)
            undo_new = self._put_back(backend, new_id, token, None, None)
            self._write_secret(backend, backend.set_password, new_id, token, undo=undo_new)
            try:
                self._write(moved)
            except BaseException:
                self._restore_secret(backend, new_id, None)
                raise
            undo_old = self._put_back(backend, profile_id, None, token, old)
            try:
                self._write_secret(backend, backend.delete_password, profile_id, undo=undo_old)
            except StorageError as exc:
                if exc.reason is not StorageReason.MISSING_SECRET:
                    with contextlib.suppress(StorageError):
                        self._write(data)
                    self._restore_secret(backend, new_id, None)
                    raise
        return renamed

    def update_last_check(
        self, profile_id: str, code: str, *, user: Any = None, rate_limit: Any = None
    ) -> None:
        """Record when a stored profile was last checked and how it went; `user` (name,
        role) and `rate_limit` (limit, remaining, reset_s) as that check saw them, if any
        (wizard.check's User and RateLimit)."""
        from datetime import timedelta

        budget, reset_at = None, None
        remaining = getattr(rate_limit, "remaining", None)
        limit = getattr(rate_limit, "limit", None)
        if isinstance(remaining, int) and isinstance(limit, int):
            budget = f"{remaining}/{limit}"
            reset_s = getattr(rate_limit, "reset_s", None)
            if isinstance(reset_s, int):
                at = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=reset_s)
                reset_at = at.isoformat()
        with self._locked():
            data = self._read()
            if data.find(profile_id) is None:
                return
            data.profiles = [
                replace(
                    p,
                    last_check_at=now_iso(),
                    last_check_code=code,
                    last_user=_text_or_none(getattr(user, "name", None)),
                    last_role=_text_or_none(getattr(user, "role", None)),
                    last_rate_limit=budget,
                    last_rate_reset_at=reset_at,
                )
                if p.id == profile_id
                else p
                for p in data.profiles
            ]
            self._write(data)


def _text_or_none(value: Any) -> str | None:
    """A server's text for the profile file: every registered secret masked."""
    from wizard.redact import redact

    return (redact(value.strip())[:200] or None) if isinstance(value, str) else None


class _TimedOut(StorageError):
    """StorageError(timeout) that also carries the late call's Future."""

    def __init__(self, late: Future[Any]) -> None:
        super().__init__(StorageReason.TIMEOUT)
        self.late = late


def _storage_error_for(exc: BaseException) -> StorageError:
    """A keyring exception as a StorageError: by kind only, never its text (a backend's
    message could quote what it was given)."""
    from keyring import errors

    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, errors.NoKeyringError):
        return StorageError(StorageReason.NO_BACKEND)
    if isinstance(exc, errors.PasswordDeleteError):
        return StorageError(StorageReason.MISSING_SECRET)
    if isinstance(exc, errors.KeyringLocked):
        return StorageError(StorageReason.LOCKED)
    return StorageError(StorageReason.FAILED)


def _free_id(base: str, data: _Data) -> str:
    taken = {p.id for p in data.profiles}
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


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
