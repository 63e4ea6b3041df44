"""The stored profiles through the CLI against the real Secret Service."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import CANARY_TOKEN
from tests.helpers.keyrings import real_keyring, write_profiles
from wizard.store import Profile, keyring_service


def test_cli_credential_get_status_and_forget(tmp_path: Path, cli_env, run_cli) -> None:  # type: ignore[no-untyped-def]
    backend = real_keyring()
    config = Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"])
    write_profiles(config, Profile(id="p1", email="ana@empresa.co", token_hint="…r9z7"))
    backend.set_password(keyring_service("p1"), "p1", CANARY_TOKEN)
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
