"""Windows Credential Manager, as keyring's WinVaultKeyring uses it, made tidy for us.

keyring's `set_password(service, username, ...)` first copies whatever is already at the
target `service` to the target `<username>@<service>` (its way of keeping several users
under one service), even when that is the same username. With one service per profile
(`<app id>:<profile id>`), every re-save of a profile, a rotation included, would leave the
previous token behind in Credential Manager. `drop_leftover_copy` removes it after a
successful save, through the public API of keyring's Windows dependency (pywin32-ctypes'
`win32cred`). `prepare` keeps credentials on this computer (keyring's `persist` setting:
local machine), not roamed to the other machines of a domain.
"""

from __future__ import annotations

from typing import Any

PERSIST = "local machine"  # keyring's name for CRED_PERSIST_LOCAL_MACHINE
ERROR_NOT_FOUND = 1168  # Windows' ERROR_NOT_FOUND, as pywintypes.error.winerror


def is_windows_vault(backend: Any) -> bool:
    """True for keyring's Windows Credential Manager backend (or a subclass of it)."""
    from keyring.backends.Windows import WinVaultKeyring  # importable on every system

    return isinstance(backend, WinVaultKeyring)


def compound_target(service: str, username: str) -> str:
    """Where keyring's Windows backend puts the copy it makes: `<username>@<service>`."""
    return f"{username}@{service}"


def prepare(backend: Any) -> None:
    """Before a write: Windows credentials stay on this computer (not roamed)."""
    if is_windows_vault(backend):
        backend.persist = PERSIST


def credential_api() -> tuple[Any, Any]:
    """pywin32-ctypes' (win32cred, pywintypes): what keyring's Windows backend uses."""
    from win32ctypes.pywin32 import pywintypes, win32cred

    return win32cred, pywintypes


def drop_leftover_copy(
    backend: Any, service: str, username: str, api: tuple[Any, Any] | None = None
) -> bool:
    """After a successful `backend.set_password(service, username, ...)`: remove the copy
    keyring's Windows backend made of the previous credential at `<username>@<service>`.
    Only a copy of this same user is removed. True when one was. Other backends: no-op.
    `api`: (win32cred, pywintypes), pywin32-ctypes' unless given."""
    if not is_windows_vault(backend):
        return False
    win32cred, pywintypes = api or credential_api()
    target = compound_target(service, username)
    try:
        found = win32cred.CredRead(Type=win32cred.CRED_TYPE_GENERIC, TargetName=target)
        if found.get("UserName") != username:
            return False
        win32cred.CredDelete(Type=win32cred.CRED_TYPE_GENERIC, TargetName=target)
    except pywintypes.error as exc:
        if getattr(exc, "winerror", None) == ERROR_NOT_FOUND:
            return False
        raise
    return True
