"""`login`: clean, check, store when connected or --unverified (wizard/cli/login.py)."""

from __future__ import annotations

import os

import pytest

from tests.helpers.cli import (
    JSON_KEYS,
    NO_PROXY_ENV,
    SCRIPT,
    read_until,
    store_for,
)
from wizard.outcomes import Code
from wizard.sandbox import DEMO_TOKEN
from wizard.store import keyring_service

LOGIN_CASES = [
    # email, extra args, exit, code, saved
    ("demo@alegra.test", [], 0, Code.CONNECTED, True),
    ("mx@alegra.test", [], 0, Code.CONNECTED, True),
    ("basico@alegra.test", [], 0, Code.CONNECTED, True),
    ("sinpermiso@alegra.test", [], 5, Code.FORBIDDEN, False),
    ("sinpermiso@alegra.test", ["--unverified"], 5, Code.FORBIDDEN, False),
    ("suspendida@alegra.test", [], 6, Code.PAYMENT_REQUIRED, False),
    ("limite@alegra.test", ["--unverified"], 8, Code.RATE_LIMITED, False),
    ("caido@alegra.test", [], 9, Code.SERVER_ERROR, False),
    ("caido@alegra.test", ["--unverified"], 0, Code.SERVER_ERROR, True),
    ("lento@alegra.test", ["--timeout", "1"], 11, Code.TIMEOUT, False),
    ("lento@alegra.test", ["--timeout", "1", "--unverified"], 0, Code.TIMEOUT, True),
    ("nadie@alegra.test", [], 4, Code.UNAUTHORIZED, False),
    ("nadie@alegra.test", ["--unverified"], 4, Code.UNAUTHORIZED, False),
]


@pytest.mark.parametrize(("email", "extra", "exit", "code", "saved"), LOGIN_CASES)
def test_login_every_sandbox_scenario(  # type: ignore[no-untyped-def]
    script, sandbox, cli_env, keyring_cleanup, email, extra, exit, code, saved
) -> None:
    import keyring

    result = script(
        "login", "--json", "--email", email, "--token-stdin", "--base-url", sandbox.url, *extra,
        stdin=f"  {DEMO_TOKEN}\n",
    )  # fmt: skip
    assert result.returncode == exit, (result.stdout, result.stderr)
    data = result.json
    assert data.keys() >= JSON_KEYS | {"profile", "saved", "user"}
    assert data["code"] == code.value and data["saved"] is saved
    assert DEMO_TOKEN not in result.stdout + result.stderr
    profiles = store_for(cli_env).list_profiles()
    if saved:
        assert [p.id for p in profiles] == [data["profile"]]
        (profile,) = profiles
        assert profile.last_check_code == code.value and profile.email == email
        assert profile.base_url == sandbox.url
        assert keyring.get_password(keyring_service(profile.id), profile.id) == DEMO_TOKEN
        assert data["verified"] is (code is Code.CONNECTED)
    else:
        assert profiles == [] and data["profile"] is None
        assert keyring.get_password(keyring_service("caido"), "caido") is None


def test_login_human_output_and_names(script, sandbox, cli_env, keyring_cleanup) -> None:  # type: ignore[no-untyped-def]
    base = ["login", "--email", "demo@alegra.test", "--token-stdin", "--base-url", sandbox.url]
    first = script(*base, stdin=DEMO_TOKEN)
    assert first.returncode == 0, first.stderr
    assert "Conexión correcta con Alegra: Panadería La Espiga S.A.S" in first.stdout
    assert "Guardado en el llavero como el perfil «panaderia-la-espiga-s-a-s»" in first.stdout
    # The same user and company again updates that profile instead of making a second one.
    again = script(*base, stdin=DEMO_TOKEN)
    assert again.returncode == 0 and "se actualizó el perfil" in again.stdout
    named = script(*base, "--profile", "tienda", "--name", "Mi tienda", stdin=DEMO_TOKEN)
    assert named.returncode == 0, named.stderr
    ids = sorted(p.id for p in store_for(cli_env).list_profiles())
    assert ids == ["panaderia-la-espiga-s-a-s", "tienda"]
    tienda = store_for(cli_env).find("tienda")
    assert tienda is not None and tienda.name == "Mi tienda"
    # A new token for a stored profile: its email is used when none is given.
    rotated = script("login", "--profile", "tienda", "--token-stdin", "--base-url", sandbox.url,
                     stdin=DEMO_TOKEN)  # fmt: skip
    assert rotated.returncode == 0, rotated.stderr


def test_login_refuses_bad_input_and_saves_nothing(script, sandbox, cli_env) -> None:  # type: ignore[no-untyped-def]
    empty = script("login", "--json", "--email", "demo@alegra.test", "--token-stdin",
                   "--base-url", sandbox.url)  # fmt: skip
    assert empty.returncode == 3 and empty.json["code"] == "invalid_input"
    assert empty.json["saved"] is False
    insecure = script("login", "--json", "--email", "demo@alegra.test", "--token-stdin",
                      "--base-url", "http://api.alegra.com/api/v1", stdin=DEMO_TOKEN)  # fmt: skip
    assert insecure.returncode == 3 and insecure.json["saved"] is False
    assert store_for(cli_env).list_profiles() == []


def test_login_token_from_the_environment(script, sandbox, cli_env, keyring_cleanup) -> None:  # type: ignore[no-untyped-def]
    result = script("login", "--json", "--base-url", sandbox.url,
                    env={"ALEGRA_TOKEN": DEMO_TOKEN, "ALEGRA_EMAIL": "mx@alegra.test"})  # fmt: skip
    assert result.returncode == 0 and result.json["saved"] is True


def test_login_storage_failure_is_exit_16(script, sandbox, cli_env) -> None:  # type: ignore[no-untyped-def]
    env = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    result = script(
        "login", "--json", "--email", "demo@alegra.test", "--token-stdin", "--base-url",
        sandbox.url, stdin=DEMO_TOKEN, env=env, process=True,
    )  # fmt: skip
    assert result.returncode == 16, result.stderr
    assert result.json["code"] == "storage_error" and result.json["saved"] is False
    assert result.stderr.strip()


def test_login_on_a_terminal_asks_with_a_hidden_prompt(sandbox, cli_env, keyring_cleanup) -> None:  # type: ignore[no-untyped-def]
    import pty

    env = {**cli_env, **NO_PROXY_ENV}
    pid, fd = pty.fork()
    if pid == 0:  # the child: a real terminal as stdin, stdout and controlling tty
        os.execve(SCRIPT, [SCRIPT, "login", "--base-url", sandbox.url], env)
    try:
        shown = read_until(fd, b"Token de la API de Alegra")
        os.write(fd, DEMO_TOKEN.encode() + b"\r")
        shown += read_until(fd, b"Correo del usuario de Alegra")
        os.write(fd, b"demo@alegra.test\r")
        shown += read_until(fd, b"Guardado en el llavero")
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, shown
    assert DEMO_TOKEN.encode() not in shown  # not echoed
    assert [p.email for p in store_for(cli_env).list_profiles()] == ["demo@alegra.test"]
