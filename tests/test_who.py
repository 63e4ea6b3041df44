"""Who the token belongs to (issue 17): GET /users/self after a successful check, in
`check --json` (`user`), in the CLI's human output, as a warning when its email differs from
the typed one, and in `doctor` (with the rate-limit budget) from the profile's last check.
Real sandbox, real CLI subprocess, the real Secret Service for the stored profile."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.helpers.keyrings import real_keyring
from wizard.sandbox import DEMO_TOKEN
from wizard.store import Profile, Store


def check(run_cli, url: str, email: str, *extra: str, token: str = DEMO_TOKEN):  # type: ignore[no-untyped-def]
    args = ["check", "--email", email, "--token-stdin", "--base-url", url, *extra]
    return run_cli(*args, stdin=token + "\n")


@pytest.mark.parametrize(
    ("email", "code", "user"),
    [
        ("demo@alegra.test", "connected",
         {"name": "Ana Pérez", "email": "demo@alegra.test", "role": "administrador"}),
        ("mx@alegra.test", "connected",
         {"name": "Luis Hernández", "email": "mx@alegra.test", "role": "administrador"}),
        # A role code we have no words for is not shown (never the raw code).
        ("sinpermiso@alegra.test", "forbidden",
         {"name": "Marta Ruiz", "email": "sinpermiso@alegra.test", "role": None}),
        ("suspendida@alegra.test", "payment_required", None),
        ("nadie@alegra.test", "unauthorized", None),
    ],
)  # fmt: skip
def test_check_json_has_the_user(run_cli, sandbox, email: str, code: str, user) -> None:  # type: ignore[no-untyped-def]
    got = check(run_cli, sandbox.url, email, "--json")
    assert got.json["code"] == code, got
    assert got.json["user"] == user
    assert not [w for w in got.json["warnings"] if w["warning"] == "user_email_differs"]


def test_the_human_output_says_who_and_where(run_cli, sandbox) -> None:  # type: ignore[no-untyped-def]
    es = check(run_cli, sandbox.url, "demo@alegra.test")
    assert es.returncode == 0, es
    assert "Conectado como Ana Pérez (administrador) en Panadería La Espiga S.A.S." in es.stdout
    assert "admin)" not in es.stdout
    en = check(run_cli, sandbox.url, "demo@alegra.test", "--lang", "en", "--json")
    assert en.json["user"]["role"] == "administrator"
    en = check(run_cli, sandbox.url, "demo@alegra.test", "--lang", "en")
    assert "Connected as Ana Pérez (administrator) at Panadería La Espiga S.A.S." in en.stdout


def test_a_token_of_someone_else_is_a_warning(run_cli, httpserver: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/api/v1/company").respond_with_json({"name": "Ferretería Sur"})
    httpserver.expect_request("/api/v1/users/self").respond_with_json(
        {"name": "Pedro Gil", "email": "pedro@empresa.co", "role": "contador"}
    )
    url = httpserver.url_for("/api/v1")
    got = check(run_cli, url, "Ana@empresa.co", "--json", token="a1b2c3d4e5f6a7b8c9d0")
    assert got.returncode == 0 and got.json["code"] == "connected", got
    assert {"field": "email", "warning": "user_email_differs"} in got.json["warnings"]
    human = check(run_cli, url, "Ana@empresa.co", token="a1b2c3d4e5f6a7b8c9d0")
    assert "Conectado como Pedro Gil en Ferretería Sur." in human.stdout  # "contador": no words
    assert "el token pertenece a otro usuario de Alegra" in human.stdout
    # The same email in another case is the same user: no warning.
    httpserver.clear()
    httpserver.expect_request("/api/v1/company").respond_with_json({"name": "Ferretería Sur"})
    httpserver.expect_request("/api/v1/users/self").respond_with_json({"email": "ANA@EMPRESA.CO"})
    same = check(run_cli, url, "ana@empresa.co", "--json", token="a1b2c3d4e5f6a7b8c9d0")
    assert not [w for w in same.json["warnings"] if w["warning"] == "user_email_differs"]


@pytest.mark.keyring
def test_doctor_shows_the_last_checks_user_and_budget(run_cli, sandbox, cli_env) -> None:  # type: ignore[no-untyped-def]
    real_keyring()
    store = Store(config_dir=Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"]))
    name = f"Espiga {uuid.uuid4().hex[:8]}"
    saved = store.save(
        Profile(id="", name=name, email="demo@alegra.test", base_url=sandbox.url), DEMO_TOKEN
    )
    profile_id = saved.profile.id
    try:
        got = run_cli("check", "--profile", profile_id, "--json", "--base-url", sandbox.url)
        assert got.json["code"] == "connected", got
        doctor = run_cli("doctor", "--offline", "--json")
        item = next(i for i in doctor.json["items"] if i["id"] == "profile")
        assert item["user"] == {"name": "Ana Pérez", "role": "administrador"}
        rate = item["rate_limit"]
        # The session's sandbox counts the budget down per account: spent, not full.
        assert rate["limit"] == 150 and 0 <= rate["remaining"] <= 148
        assert 0 < rate["reset_s"] <= 60
        human = run_cli("doctor", "--offline")
        assert "Token de Ana Pérez (administrador)." in human.stdout, human
        assert f"quedaban {rate['remaining']} de 150; se renueva en" in human.stdout
        config = Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"]) / "profiles.json"
        assert DEMO_TOKEN not in config.read_text()
    finally:
        store.forget(profile_id)


@pytest.mark.keyring
def test_an_echoed_token_is_stored_and_printed_masked(run_cli, httpserver, cli_env) -> None:  # type: ignore[no-untyped-def]
    # A server (or a proxy in between) that echoes the credentials back in /users/self.
    real_keyring()
    token = "echo" + uuid.uuid4().hex[:16]
    httpserver.expect_request("/api/v1/company").respond_with_json({"name": f"Eco {token}"})
    httpserver.expect_request("/api/v1/users/self").respond_with_json(
        {"name": f"Ana {token}", "email": "ana@empresa.co", "role": {"name": f"rol-{token}"}}
    )
    url = httpserver.url_for("/api/v1")
    config_dir = Path(cli_env["ALEGRA_WIZARD_CONFIG_DIR"])
    store = Store(config_dir=config_dir)
    saved = store.save(Profile(id="", name="Eco", email="ana@empresa.co", base_url=url), token)
    try:
        got = run_cli("check", "--profile", saved.profile.id, "--json", "--base-url", url)
        assert got.json["code"] == "connected", got
        assert token not in got.stdout + got.stderr
        assert got.json["user"]["name"] == "Ana …" + token[-4:]
        assert token not in (config_dir / "profiles.json").read_text()
        outputs = [
            run_cli("doctor", "--offline", "--json"),
            run_cli("doctor", "--offline"),
            run_cli("status", "--profile", saved.profile.id),
            run_cli("status", "--profile", saved.profile.id, "--json"),
            run_cli("profiles", "--json"),
        ]
        for out in outputs:
            assert token not in out.stdout + out.stderr, out
        assert "Ana …" + token[-4:] in outputs[1].stdout
    finally:
        store.forget(saved.profile.id)


def test_check_masks_an_echoed_token_in_every_field(httpserver: HTTPServer) -> None:
    from wizard.check import check_connection

    token = "fresh" + uuid.uuid4().hex[:15]  # never registered before this check
    httpserver.expect_request("/api/v1/company").respond_with_json(
        {"name": token, "identification": token, "currency": {"code": token}}
    )
    httpserver.expect_request("/api/v1/users/self").respond_with_json(
        {"firstName": token, "email": f"{token}@x.co", "role": token}
    )
    result = check_connection("ana@empresa.co", token, httpserver.url_for("/api/v1"))
    assert result.code.value == "connected"
    assert token not in repr(result.company) + repr(result.user)
