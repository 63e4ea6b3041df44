"""Stand-ins for the Windows and macOS keyring backends, built on keyring's own classes
(so the store sees them for what they are), for what only those systems do (issue 26):

- PromptingKeychain: keyring's macOS backend whose first call in a process waits
  FAKE_KEYCHAIN_PROMPT_S seconds (8 by default) before answering, as the Keychain does while
  its «alegra-wizard wants to use …» dialog waits for the user after an update of an ad-hoc
  signed app. Secrets in the JSON file FAKE_KEYCHAIN_FILE, so a CLI child shares them
  (PYTHON_KEYRING_BACKEND=tests.helpers.platform_keyrings.PromptingKeychain).
- CredentialManager: Windows' Credential Manager as pywin32-ctypes' win32cred gives it
  (CredRead, CredWrite, CredDelete, their constants, and `error` with winerror, funcname,
  strerror), under keyring's own WinVaultKeyring (`use_credential_manager`): its
  compound-target copy happens exactly as on a real computer, and a call can fail on cue
  (5: access denied; 1312, ERROR_NO_SUCH_LOGON_SESSION: a login over SSH or WinRM).
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from keyring.backends.macOS import Keyring as MacOSKeyring


class PromptingKeychain(MacOSKeyring):
    # Loadable by name (keyring's own macOS class refuses other systems), never chosen on
    # its own: keyring lists every subclass, and a chainer takes any priority above 0.
    priority = 0  # type: ignore[assignment]

    def __init__(self, prompt_s: float | None = None, path: Path | None = None) -> None:
        super().__init__()
        env_prompt = float(os.environ.get("FAKE_KEYCHAIN_PROMPT_S", "8"))
        self.prompt_s = env_prompt if prompt_s is None else prompt_s
        self.path = path or Path(os.environ.get("FAKE_KEYCHAIN_FILE", os.devnull))
        self.prompts = 0
        self.allow = threading.Event()  # the user clicks Allow now (else after prompt_s)
        self._asked = threading.Lock()
        self._answered = False

    def _wait_for_the_user(self) -> None:
        with self._asked:
            if not self._answered:
                self.prompts += 1
                self.allow.wait(self.prompt_s)  # the dialog is up; the user reads it
                self._answered = True

    def _load(self) -> dict[str, str]:
        return json.loads(self.path.read_text()) if self.path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        self._wait_for_the_user()
        return self._load().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        self._wait_for_the_user()
        data = self._load()
        data[f"{service}\n{username}"] = password
        self.path.write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        self._wait_for_the_user()
        data = self._load()
        data.pop(f"{service}\n{username}", None)
        self.path.write_text(json.dumps(data))


class error(Exception):  # pywin32-ctypes spells it so: win32ctypes.pywin32.pywintypes.error
    def __init__(self, winerror: int, funcname: str, strerror: str) -> None:
        super().__init__(winerror, funcname, strerror)
        self.winerror, self.funcname, self.strerror = winerror, funcname, strerror


class PyWinTypes:
    """pywin32-ctypes' pywintypes module, as far as keyring and we use it."""

    error = error


# What Windows says for the errors a test plays.
WINDOWS_ERRORS = {
    5: "Access is denied.",
    1168: "Element not found.",
    1312: "A specified logon session does not exist.",
}


class CredentialManager:
    """Generic credentials by target name, with win32cred's calls and constants."""

    CRED_TYPE_GENERIC = 1
    CRED_PERSIST_SESSION = 1
    CRED_PERSIST_LOCAL_MACHINE = 2
    CRED_PERSIST_ENTERPRISE = 3

    def __init__(self) -> None:
        self.targets: dict[str, dict[str, Any]] = {}
        self.fail_with: int | None = None  # a winerror every call raises (e.g. 5: denied)
        self.fail_only: str | None = None  # ... or only this call

    def _check(self, funcname: str) -> None:
        if self.fail_with is not None and self.fail_only in (None, funcname):
            raise error(self.fail_with, funcname, WINDOWS_ERRORS[self.fail_with])

    def CredRead(self, Type: int, TargetName: str, Flags: int = 0) -> dict[str, Any]:
        self._check("CredRead")
        if (Type, TargetName) not in {(self.CRED_TYPE_GENERIC, t) for t in self.targets}:
            raise error(1168, "CredRead", WINDOWS_ERRORS[1168])
        return dict(self.targets[TargetName])

    def CredWrite(self, Credential: dict[str, Any], Flags: int = 0) -> None:
        self._check("CredWrite")
        blob = Credential["CredentialBlob"].encode("utf-16-le")  # as Windows keeps it
        self.targets[Credential["TargetName"]] = {**Credential, "CredentialBlob": blob}

    def CredDelete(self, Type: int, TargetName: str, Flags: int = 0) -> None:
        self._check("CredDelete")
        if TargetName not in self.targets:
            raise error(1168, "CredDelete", WINDOWS_ERRORS[1168])
        del self.targets[TargetName]

    def secret(self, target: str) -> str:
        return bytes(self.targets[target]["CredentialBlob"]).decode("utf-16-le")


def use_credential_manager(monkeypatch: pytest.MonkeyPatch) -> CredentialManager:
    """keyring's Windows backend module bound to a new Credential Manager, and
    wizard.store.windows's win32cred too (what pywin32-ctypes would give on Windows)."""
    from keyring.backends import Windows

    from wizard.store import windows

    manager = CredentialManager()
    monkeypatch.setattr(Windows, "win32cred", manager, raising=False)
    monkeypatch.setattr(Windows, "pywintypes", PyWinTypes, raising=False)
    monkeypatch.setattr(windows, "credential_api", lambda: (manager, PyWinTypes))
    return manager
