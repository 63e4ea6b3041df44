"""The keyring policy: which backend may hold a token (never a plain file, never nowhere),
every call under a timeout (a hung Secret Service must not freeze us), keyring errors by
kind only (a backend's message could quote what it was given), and the undo of a write
that timed out but lands later (`LateCalls`), so the stored state ends up as we reported it.

Keyring: one entry per profile, service `<app id>:<profile id>` (wizard.appconfig's id,
"alegra-wizard" by default), username = the profile id, so each OS's own tools find it by
the service alone. Entries under the earlier naming (service = the app id) are moved on
first use (`Keyring.move_legacy`)."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from wizard.store import windows
from wizard.store.model import StorageError, StorageReason
from wizard.timeouts import CallTimedOut, call_with_timeout

log = logging.getLogger(__name__)

SERVICE = "alegra-wizard"  # the default app id


def keyring_service(profile_id: str, app_id: str = SERVICE) -> str:
    """The keyring service a profile's token is stored under: `<app id>:<profile id>`."""
    return f"{app_id}:{profile_id}"


DEFAULT_TIMEOUT = 5.0
# macOS asks the user before an app reads a Keychain item it did not create (after every
# update of an ad-hoc signed build): a call past DEFAULT_TIMEOUT there is a dialog waiting
# for an answer, not a hung service. How long the user may take to answer it.
CONSENT_WAIT_S = 300.0
# CredWrite's ERROR_NO_SUCH_LOGON_SESSION: the session has no credential store (a login
# over SSH or WinRM, a service).
ERROR_NO_SUCH_LOGON_SESSION = 1312
LATE_GRACE = 10.0  # at exit: how long a late keyring write may take to land, be undone
# Backends that would keep the token in a plain file, or nowhere: never used, even if
# installed or named by PYTHON_KEYRING_BACKEND / keyringrc.cfg (modules, then classes).
UNSAFE_BACKEND_MODULES = ("keyrings.alt", "keyring.backends.null", "keyring.backends.fail")
UNSAFE_BACKENDS = ("keyrings.alt.file.PlaintextKeyring", "keyring.backends.null.Keyring")


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


def _module_of(backend: Any) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def is_unsafe(backend: Any) -> bool:
    kind = _module_of(backend)
    return kind in UNSAFE_BACKENDS or any(
        kind.startswith(module + ".") for module in UNSAFE_BACKEND_MODULES
    )


def chain_members(backend: Any) -> list[Any] | None:
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
        members = chain_members(backend)
        if not members:
            return backend
        backend = members[0]
    return backend


def _skip_macos_api_off_macos() -> None:
    """Off macOS, keyring's macOS backend can never be chosen (its priority refuses any
    other system), yet choosing a backend imports its ctypes wrapper, whose
    `find_library("Security")` (and CoreServices, Foundation) runs `ldconfig -p`, gcc and ld
    on Linux: a dozen processes on every command that touches the keyring, plus a temp file
    from gcc. A None entry in sys.modules makes that one import fail, which keyring already
    catches (`try: from . import api`), so the backend reads as unavailable, as it is."""
    if sys.platform != "darwin":
        sys.modules.setdefault("keyring.backends.macOS.api", None)  # type: ignore[arg-type]


class LateCalls:
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


LATE = LateCalls()


def settle(timeout: float = LATE_GRACE) -> bool:
    """Wait for keyring calls that timed out to land and be undone (tests; exit)."""
    return LATE.settle(timeout)


class TimedOut(StorageError):
    """StorageError(timeout) that also carries the late call's Future."""

    def __init__(self, late: Future[Any]) -> None:
        super().__init__(StorageReason.TIMEOUT)
        self.late = late


def storage_error_for(exc: BaseException) -> StorageError:
    """A keyring exception as a StorageError: by kind only, never its text (a backend's
    message could quote what it was given)."""
    from keyring import errors

    if isinstance(exc, StorageError):
        return exc
    if getattr(exc, "winerror", None) == ERROR_NO_SUCH_LOGON_SESSION:
        return StorageError(StorageReason.NO_SESSION)
    if isinstance(exc, errors.NoKeyringError):
        return StorageError(StorageReason.NO_BACKEND)
    if isinstance(exc, errors.PasswordDeleteError):
        return StorageError(StorageReason.MISSING_SECRET)
    if isinstance(exc, errors.KeyringLocked):
        return StorageError(StorageReason.LOCKED)
    return StorageError(StorageReason.FAILED)


def running_as_windows_system() -> bool:
    """Windows' SYSTEM account (an installer or management tool running as a service): a
    token saved there lands in SYSTEM's Credential Manager, where the user's programs never
    find it."""
    if sys.platform != "win32":
        return False
    profile = os.environ.get("USERPROFILE", "").rstrip("\\").lower()
    return profile.endswith("\\systemprofile") or os.environ.get("USERNAME", "").endswith("$")


class Keyring:
    """One keyring backend (the system's, found when first needed, or the one given) under
    the policy above. Every method raises StorageError, never a keyring exception.
    `on_consent_wait`: called (once per wait) when a macOS Keychain call outlives the
    timeout, i.e. the system is asking the user (the CLI says «Esperando el permiso…»)."""

    def __init__(
        self, backend: Any = None, timeout: float = DEFAULT_TIMEOUT, service: str = SERVICE
    ) -> None:
        self.service = service  # the app id: each profile's service is `<service>:<id>`
        self._backend = backend
        self._effective: Any = None
        self.timeout = timeout
        self.consent_wait = CONSENT_WAIT_S
        self.on_consent_wait: Callable[[], None] | None = None

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

    def usable(self) -> Any:
        """The backend the secret will go to, called directly (not through a chainer, so
        it can't fall through to another member). Plaintext, null, fail and an empty
        chainer are refused: no_backend."""
        if running_as_windows_system():
            raise StorageError(StorageReason.NO_SESSION)
        try:
            backend = self.effective_backend()
        except Exception:
            raise StorageError(StorageReason.NO_BACKEND) from None
        if is_unsafe(backend) or chain_members(backend) is not None:
            raise StorageError(StorageReason.NO_BACKEND)
        windows.prepare(backend)  # on Windows: this computer only, not roamed
        return backend

    def asks_for_consent(self) -> bool:
        """Whether a slow call may be the system asking the user: keyring's macOS backend
        (or a subclass of it)."""
        try:
            backend = self.effective_backend()
        except Exception:
            return False
        _skip_macos_api_off_macos()
        from keyring.backends.macOS import Keyring as MacOSKeyring

        return isinstance(backend, MacOSKeyring)

    def call(self, fn: Any, *args: Any) -> Any:
        """A keyring call with a timeout: a hung Secret Service must not freeze us. On
        macOS a call past the timeout is waited for (up to `consent_wait`), the user told
        through `on_consent_wait`: the Keychain's permission dialog is up."""
        try:
            return call_with_timeout(fn, *args, timeout=self.timeout, name="keyring-call")
        except CallTimedOut as late:
            if not self.asks_for_consent():
                raise TimedOut(late.late) from None
            return self._wait_for_consent(late.late)
        except BaseException as exc:
            raise storage_error_for(exc) from None

    def _wait_for_consent(self, late: Future[Any]) -> Any:
        if self.on_consent_wait is not None:
            self.on_consent_wait()
        try:
            return late.result(self.consent_wait)
        except TimeoutError:
            raise TimedOut(late) from None
        except BaseException as exc:
            raise storage_error_for(exc) from None

    def service_of(self, username: str) -> str:
        return keyring_service(username, self.service)

    def get(self, backend: Any, username: str) -> str | None:
        return self.call(backend.get_password, self.service_of(username), username)  # type: ignore[no-any-return]

    def setter(self, backend: Any) -> Callable[[str, str, str], None]:
        """`backend.set_password`, then (Windows) the removal of the copy of the previous
        token keyring's Windows backend leaves at `<username>@<service>`. The save stands
        if that removal fails (logged by kind: the next save tries again)."""

        def set_password(service: str, username: str, password: str) -> None:
            backend.set_password(service, username, password)
            try:
                windows.drop_leftover_copy(backend, service, username)
            except Exception as exc:
                log.warning("could not remove the previous token's copy: %s", type(exc).__name__)

        return set_password

    def write(
        self,
        backend: Any,
        fn: Any,
        username: str,
        *args: Any,
        undo: Callable[[], None],
    ) -> None:
        """A keyring write (set or delete of `username`) with a timeout. If it times out
        and lands later, `undo` runs then (see LateCalls)."""
        key = (id(backend), username)
        try:
            self.call(fn, self.service_of(username), username, *args)
        except TimedOut as exc:
            LATE.track(key, exc.late, undo)
            raise StorageError(StorageReason.TIMEOUT) from None

    def delete(self, backend: Any, username: str) -> None:
        self.call(backend.delete_password, self.service_of(username), username)

    def put_back(
        self, backend: Any, username: str, landed: str | None, before: str | None
    ) -> Callable[[], None]:
        """The keyring half of an undo: if `username` still holds `landed` (None: deleted),
        put `before` back (None: delete it)."""

        def undo() -> None:
            if self.get(backend, username) != landed:
                return
            if before is None:
                with contextlib.suppress(StorageError):
                    self.delete(backend, username)
            else:
                self.call(self.setter(backend), self.service_of(username), username, before)

        return undo

    def restore(self, backend: Any, username: str, previous: str | None) -> None:
        """Best effort: `username` back to `previous` after the step that followed failed."""
        with contextlib.suppress(StorageError):
            if previous is None:
                self.delete(backend, username)
            else:
                self.call(self.setter(backend), self.service_of(username), username, previous)

    def move_legacy(self, backend: Any, username: str) -> bool:
        """Move a token stored under the earlier naming (service = the app id, username =
        the profile id) to the profile's own service: read, written under the new name,
        read back, the old entry removed. Nothing is lost at any step; a move cut short
        (written, not yet removed) is finished by the next call, and a token already under
        the new name wins over the old one. True when an old entry was found."""
        old = self.call(backend.get_password, self.service, username)
        if old is None:
            return False
        if self.get(backend, username) is None:
            self.call(self.setter(backend), self.service_of(username), username, old)
            if self.get(backend, username) != old:
                raise StorageError(StorageReason.FAILED)
        try:
            self.call(backend.delete_password, self.service, username)
        except StorageError as exc:
            if exc.reason is not StorageReason.MISSING_SECRET:
                raise
        return True

    def settle_late(self) -> None:
        """Before a write: wait for this backend's late calls (LateCalls.wait_clear)."""
        try:
            backend = self.usable()
        except StorageError:  # no usable backend: the operation itself says so
            return
        LATE.wait_clear(backend, self.timeout)
