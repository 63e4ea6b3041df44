"""wizard/store/keyrings.py: which keyring may hold a token, calls under a timeout, errors
by kind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import CANARY_TOKEN
from tests.helpers.keyrings import MemoryBackend, real_keyring, write_profiles
from wizard.store import Profile, StorageError, Store, keyring_service


def test_a_loaded_token_is_masked_in_server_text_at_once(tmp_path: Path) -> None:
    # The window's «Revisar» and the CLI's --profile load the token, then show what the
    # server said: the token is registered with the redaction filter as it is loaded.
    import uuid

    from wizard.redact import redact

    token = "loaded" + uuid.uuid4().hex[:14]
    backend = real_keyring()
    write_profiles(tmp_path, Profile(id="eco", email="ana@empresa.co"))
    backend.set_password(keyring_service("eco"), "eco", token)
    store = Store(config_dir=tmp_path)
    try:
        assert redact(f"Ana {token}") == f"Ana {token}"
        store.load("eco")
        assert redact(f"Ana {token}") == "Ana …" + token[-4:]
    finally:
        store.forget("eco")


def test_a_missing_keyring_is_storage_error(tmp_path: Path, cli_env, run_cli) -> None:  # type: ignore[no-untyped-def]
    write_profiles(Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"]), Profile(id="p1", email="a@b.co"))
    result = run_cli(
        "check",
        "--json",
        "--profile",
        "p1",
        env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
    )
    assert result.returncode == 16 and result.json["code"] == "storage_error"


def test_a_hung_keyring_times_out(tmp_path: Path) -> None:
    import threading
    import time

    release = threading.Event()

    class Hanging:
        def get_password(self, service: str, user: str) -> str:
            release.wait(30)
            return "x"

    write_profiles(tmp_path, Profile(id="p1"))
    store = Store(config_dir=tmp_path, backend=Hanging(), timeout=0.5)
    start = time.monotonic()
    with pytest.raises(StorageError) as err:
        store.load("p1")
    release.set()
    assert err.value.reason == "timeout" and time.monotonic() - start < 1.5


def test_a_failing_keyring_leaves_the_file_untouched(tmp_path: Path) -> None:
    class Broken(MemoryBackend):
        def set_password(self, service: str, user: str, secret: str) -> None:
            raise RuntimeError(f"backend exploded with {secret}")

    store = Store(config_dir=tmp_path, backend=MemoryBackend())
    store.save(Profile(id="p", name="Uno"), "t" * 20)
    before = store.config_file.read_bytes()
    broken = Store(config_dir=tmp_path, backend=Broken())
    with pytest.raises(StorageError) as err:
        broken.save(Profile(id="q", name="Dos"), CANARY_TOKEN)
    assert err.value.reason == "failed"
    assert CANARY_TOKEN not in repr(err.value) and err.value.__cause__ is None
    assert store.config_file.read_bytes() == before


def test_no_keyring_at_all_is_no_backend_and_plaintext_is_refused(tmp_path: Path) -> None:
    from keyring.backends import fail

    with pytest.raises(StorageError) as err:
        Store(config_dir=tmp_path, backend=fail.Keyring()).save(Profile(id="p"), "t" * 20)
    assert err.value.reason == "no_backend"

    class PlaintextKeyring(MemoryBackend):
        pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    with pytest.raises(StorageError) as err:
        Store(config_dir=tmp_path, backend=PlaintextKeyring()).save(Profile(id="p"), "t" * 20)
    assert err.value.reason == "no_backend"
    assert not (tmp_path / "profiles.json").exists()


def test_a_hung_keyring_times_out_on_save(tmp_path: Path) -> None:
    import threading
    import time

    release = threading.Event()

    class Hanging(MemoryBackend):
        def get_password(self, service: str, user: str) -> str | None:
            release.wait(30)
            return None

    store = Store(config_dir=tmp_path, backend=Hanging(), timeout=0.3)
    start = time.monotonic()
    with pytest.raises(StorageError) as err:
        store.save(Profile(id="p"), "t" * 20)
    release.set()
    assert err.value.reason == "timeout" and time.monotonic() - start < 1.5


def test_call_with_timeout() -> None:
    import threading
    import time

    from wizard.timeouts import CallTimedOut, call_with_timeout

    assert call_with_timeout(lambda a, b: a + b, 1, 2, timeout=1, name="add") == 3
    with pytest.raises(KeyError):
        call_with_timeout({}.__getitem__, "x", timeout=1, name="get")
    release = threading.Event()
    start = time.monotonic()
    with pytest.raises(CallTimedOut) as err:
        call_with_timeout(lambda: release.wait(10) and "late", timeout=0.2, name="slow")
    assert time.monotonic() - start < 1 and "slow" in str(err.value)
    release.set()
    assert err.value.late.result(5) == "late"  # the Future: what the call did, in the end


def test_choosing_the_keyring_backend_starts_no_process(tmp_path: Path) -> None:
    """keyring's macOS backend ran ldconfig, gcc and ld (ctypes' find_library) on Linux
    every time a backend was chosen: ~70 ms of every command that touches the keyring. A
    fresh interpreter, as a command is; the real Secret Service must still be the one chosen."""
    probe = (
        "import json, subprocess, sys\n"
        "spawned = []\n"
        "real = subprocess.Popen.__init__\n"
        "def spy(self, args, *a, **k):\n"
        "    spawned.append(args if isinstance(args, str) else list(map(str, args)))\n"
        "    real(self, args, *a, **k)\n"
        "subprocess.Popen.__init__ = spy\n"
        "from pathlib import Path\n"
        "from wizard.store import Store\n"
        "store = Store(config_dir=Path(sys.argv[1]))\n"
        "store.backend()\n"
        "print(json.dumps({'spawned': spawned, 'backend': store.effective_backend_name()}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
    out = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True,
        timeout=60, check=True, env=env,
    )  # fmt: skip
    report = json.loads(out.stdout)
    assert report["spawned"] == []
    assert "SecretService" in report["backend"] or "secretservice" in report["backend"].lower()
