"""Stand-ins for the Windows and macOS keyring backends, built on keyring's own classes
(so the store sees them for what they are), for what only those systems do (issue 26):

- PromptingKeychain: keyring's macOS backend whose first call in a process waits
  FAKE_KEYCHAIN_PROMPT_S seconds (8 by default) before answering, as the Keychain does while
  its «alegra-wizard wants to use …» dialog waits for the user after an update of an ad-hoc
  signed app. Secrets in the JSON file FAKE_KEYCHAIN_FILE, so a CLI child shares them
  (PYTHON_KEYRING_BACKEND=tests.helpers.platform_keyrings.PromptingKeychain).
- NoLogonSessionVault: keyring's Windows backend in a session with no credential store (a
  login over SSH or WinRM): CredWrite fails with ERROR_NO_SUCH_LOGON_SESSION (1312), raised
  as pywin32-ctypes raises it (an `error` with winerror, funcname, strerror).
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

from keyring.backends.macOS import Keyring as MacOSKeyring
from keyring.backends.Windows import WinVaultKeyring


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
        self._asked = threading.Lock()
        self._answered = False

    def _wait_for_the_user(self) -> None:
        with self._asked:
            if not self._answered:
                self.prompts += 1
                time.sleep(self.prompt_s)  # the dialog is up; the user reads it, clicks Allow
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


class NoLogonSessionVault(WinVaultKeyring):
    priority = 0  # type: ignore[assignment]  # as PromptingKeychain's
    persist: Any = None  # keyring's setter needs win32cred's constants; the store sets it

    def _read_credential(self, target: str) -> Any:
        return None  # nothing stored under this target yet

    def _set_password(self, target: str, username: str, password: str) -> None:
        raise error(1312, "CredWrite", "A specified logon session does not exist.")
