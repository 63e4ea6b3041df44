"""`credential get`: only into a pipe or a private file (wizard/cli/credential.py)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.cli import (
    FILE_TOKEN,
    NO_PROXY_ENV,
    SCRIPT,
)


def test_credential_get_only_into_a_pipe_or_a_named_file(stored, cli_env, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Not the canary: this test writes its token into a file under /tmp on purpose, and
    # the canary scan (tests/faults/test_canary.py) reads every new file there.
    stored("archivo", FILE_TOKEN)
    env = {**cli_env, **NO_PROXY_ENV}
    target = tmp_path / "salida.txt"
    with target.open("w") as handle:  # `credential get > file`
        proc = subprocess.run(
            [SCRIPT, "credential", "get", "--profile", "archivo"],
            stdout=handle, stderr=subprocess.PIPE, env=env, check=False,
        )  # fmt: skip
    assert proc.returncode == 3
    assert target.read_text() == "" and b"--output" in proc.stderr
    private = tmp_path / "privado.env"
    proc = subprocess.run(
        [SCRIPT, "credential", "get", "--profile", "archivo", "--output", str(private)],
        capture_output=True, env=env, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert f"token={FILE_TOKEN}\n" in private.read_text()
    assert FILE_TOKEN.encode() not in proc.stdout + proc.stderr
    with Path(os.devnull).open("w") as devnull:
        proc = subprocess.run(
            [SCRIPT, "credential", "get", "--profile", "archivo"],
            stdout=devnull, stderr=subprocess.PIPE, env=env, check=False,
        )  # fmt: skip
    assert proc.returncode == 3


def test_credential_get_ends_with_lf_on_a_windows_style_stdout(  # type: ignore[no-untyped-def]
    stored, cli_env, monkeypatch
) -> None:
    """Issue 26: Windows' stdout is a text stream that writes "\\n" as CRLF, so `credential
    get | program` handed the program the token plus "\\r". Here stdout is a pipe with
    that translation (newline="\\r\\n", what Python sets up on Windows); the bytes the
    reader gets have no CR."""
    from wizard import launch

    stored("tuberia", FILE_TOKEN)
    monkeypatch.setenv("ALEGRA_WIZARD_CONFIG_DIR", cli_env["ALEGRA_WIZARD_CONFIG_DIR"])
    read_end, write_end = os.pipe()
    windows_stdout = open(write_end, "w", encoding="utf-8", newline="\r\n")  # noqa: SIM115
    monkeypatch.setattr(sys, "stdout", windows_stdout)
    code = launch.run_cli(["credential", "get", "--profile", "tuberia"])
    windows_stdout.close()
    with open(read_end, "rb") as reader:
        written = reader.read()
    assert code == 0
    assert f"token={FILE_TOKEN}\n".encode() in written
    assert b"\r" not in written and written.endswith(b"\n")


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_output_says_what_the_file_s_permissions_really_promise(  # type: ignore[no-untyped-def]
    stored, cli_env, monkeypatch, tmp_path, capsys, platform
) -> None:
    """Issue 26: «solo tú puedes leerlo» is true of a 0600 file (Linux, macOS), not on
    Windows, where the folder's access rules apply: there it says who can read it."""
    from wizard import launch

    stored("salida", FILE_TOKEN)
    monkeypatch.setenv("ALEGRA_WIZARD_CONFIG_DIR", cli_env["ALEGRA_WIZARD_CONFIG_DIR"])
    monkeypatch.setattr(sys, "platform", platform)
    target = tmp_path / "perfil.env"
    code = launch.run_cli(["credential", "get", "--profile", "salida", "--output", str(target)])
    err = " ".join(capsys.readouterr().err.split())  # as one line, however it was wrapped
    assert code == 0 and f"token={FILE_TOKEN}" in target.read_text()
    if platform == "win32":
        assert "solo tú puedes leerlo" not in err
        assert "quien pueda abrir esa carpeta puede leerlo" in err and "Bórralo" in err
    else:
        assert f"Se escribió el perfil en «{target}» (solo tú puedes leerlo)." in err
