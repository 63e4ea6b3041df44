"""The store's read side against the real Secret Service (issue 5 builds the rest)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CANARY_TOKEN
from wizard.store import SERVICE, Profile, StorageError, Store


def real_keyring():  # type: ignore[no-untyped-def]
    import keyring

    backend = keyring.get_keyring()
    if "SecretService" not in type(backend).__module__ + type(backend).__name__:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run inside scripts/with-keyring.sh, got {backend!r}")
        pytest.skip("needs the real Secret Service (run through scripts/with-keyring.sh)")
    return backend


def write_profiles(folder: Path, *profiles: Profile) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    payload = {"format": 1, "profiles": [vars(p) for p in profiles]}
    (folder / "profiles.json").write_text(json.dumps(payload))


def test_load_and_forget_through_the_real_secret_service(tmp_path: Path) -> None:
    backend = real_keyring()
    write_profiles(tmp_path, Profile(id="mi-empresa", email="ana@empresa.co", token_hint="…r9z7"))
    backend.set_password(SERVICE, "mi-empresa", CANARY_TOKEN)
    store = Store(config_dir=tmp_path)
    creds = store.load("mi-empresa")
    assert creds.token == CANARY_TOKEN and creds.profile.email == "ana@empresa.co"
    assert CANARY_TOKEN not in repr(creds) and CANARY_TOKEN not in str(creds)
    assert store.forget("mi-empresa") is True
    assert backend.get_password(SERVICE, "mi-empresa") is None
    assert store.list_profiles() == []
    assert store.forget("mi-empresa") is False
    assert CANARY_TOKEN not in (tmp_path / "profiles.json").read_text()


def test_cli_credential_get_status_and_forget(tmp_path: Path, cli_env, run_cli) -> None:  # type: ignore[no-untyped-def]
    backend = real_keyring()
    config = Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"])
    write_profiles(config, Profile(id="p1", email="ana@empresa.co", token_hint="…r9z7"))
    backend.set_password(SERVICE, "p1", CANARY_TOKEN)
    got = run_cli("credential", "get", "--profile", "p1")  # stdout is a pipe here
    assert got.returncode == 0 and f"token={CANARY_TOKEN}" in got.stdout
    status = run_cli("status", "--json")
    assert status.returncode == 0 and CANARY_TOKEN not in status.stdout
    assert status.json["profiles"][0]["token_hint"] == "…r9z7"
    check = run_cli(
        "check", "--offline", "--json", "--profile", "p1", "--token-stdin", stdin=CANARY_TOKEN
    )
    assert check.json["matches_stored"] is True and CANARY_TOKEN not in check.stdout
    assert run_cli("forget", "--profile", "p1").returncode == 0
    assert run_cli("credential", "get", "--profile", "p1").returncode == 17


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


def test_corrupt_config_is_reported(tmp_path: Path) -> None:
    (tmp_path / "profiles.json").write_text("{not json")
    with pytest.raises(StorageError) as err:
        Store(config_dir=tmp_path).list_profiles()
    assert err.value.reason == "corrupt_config"
    assert (tmp_path / "profiles.json").read_text() == "{not json"


def test_credential_get_refuses_a_terminal() -> None:
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.run(
        [sys.executable, "-m", "wizard", "credential", "get", "--profile", "x"],
        stdout=follower,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=30,
    )
    os.close(follower)
    os.close(leader)
    assert proc.returncode == 3 and "seguridad" in proc.stderr
