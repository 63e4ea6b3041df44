"""`check`: every outcome code reached, exit codes and JSON per DESIGN, no leaks
(wizard/cli/check.py)."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from tests.helpers import CANARY_TOKEN
from tests.helpers.cli import (
    assert_outcome,
    check,
    store_for,
)
from wizard.outcomes import EXIT_CODES, Code
from wizard.sandbox import DEMO_TOKEN


@pytest.mark.parametrize(
    ("email", "code", "status"),
    [
        ("demo@alegra.test", Code.CONNECTED, 200),
        ("mx@alegra.test", Code.CONNECTED, 200),
        ("basico@alegra.test", Code.CONNECTED, 200),
        ("sinpermiso@alegra.test", Code.FORBIDDEN, 403),
        ("suspendida@alegra.test", Code.PAYMENT_REQUIRED, 402),
        ("limite@alegra.test", Code.RATE_LIMITED, 429),
        ("caido@alegra.test", Code.SERVER_ERROR, 503),
        ("nadie@alegra.test", Code.UNAUTHORIZED, 401),
    ],
)
def test_every_sandbox_scenario_yields_its_code(run_cli, sandbox, email, code, status) -> None:  # type: ignore[no-untyped-def]
    data = assert_outcome(check(run_cli, sandbox.url, email, DEMO_TOKEN), code, DEMO_TOKEN)
    assert data["http_status"] == status
    assert data["email"] == email


def test_demo_company_is_printed(run_cli, sandbox) -> None:  # type: ignore[no-untyped-def]
    data = check(run_cli, sandbox.url, "demo@alegra.test", DEMO_TOKEN).json
    company = data["company"]
    assert company["name"] and company["identification"]
    assert company["country"] == "colombia" and company["currency"] == "COP"
    mx = check(run_cli, sandbox.url, "mx@alegra.test", DEMO_TOKEN).json["company"]
    assert mx["country"] == "mexico" and mx["currency"] == "MXN"


def test_human_output_is_spanish_by_default_and_english_on_request(run_cli, sandbox) -> None:  # type: ignore[no-untyped-def]
    args = ["check", "--base-url", sandbox.url, "--email", "demo@alegra.test", "--token-stdin"]
    es = run_cli(*args, stdin=DEMO_TOKEN)
    assert es.returncode == 0 and "Conexión correcta con Alegra" in es.stdout
    en = run_cli(*args, "--lang", "en", stdin=DEMO_TOKEN)
    assert en.returncode == 0 and "Connected to Alegra" in en.stdout
    assert DEMO_TOKEN not in es.stdout + es.stderr + en.stdout + en.stderr


def test_wrong_token_is_unauthorized_with_the_three_causes(run_cli, sandbox) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(
        "check",
        "--base-url",
        sandbox.url,
        "--email",
        "demo@alegra.test",
        "--token-stdin",
        stdin=CANARY_TOKEN,
    )
    assert result.returncode == 4
    assert "Renovar token" in result.stdout and "Datos de usuario" in result.stdout
    assert CANARY_TOKEN not in result.stdout + result.stderr


def test_forbidden_user_gets_the_permission_hint(run_cli, sandbox) -> None:  # type: ignore[no-untyped-def]
    data = check(run_cli, sandbox.url, "sinpermiso@alegra.test", DEMO_TOKEN).json
    assert "no puede ver la información de la empresa" in data["hint"]["title"]


def test_rate_limit_reports_reset_and_wait(run_cli, sandbox) -> None:  # type: ignore[no-untyped-def]
    data = check(run_cli, sandbox.url, "limite@alegra.test", DEMO_TOKEN).json
    assert data["rate_limit"]["reset_s"] == 30
    assert "Espera 30 segundos." in data["hint"]["steps"]


def test_slow_server_times_out_within_bound(run_cli, sandbox) -> None:  # type: ignore[no-untyped-def]
    result = check(run_cli, sandbox.url, "lento@alegra.test", DEMO_TOKEN, "--timeout", "1")
    data = assert_outcome(result, Code.TIMEOUT, DEMO_TOKEN)
    assert data["elapsed_ms"] < 2000


def test_unknown_path_is_not_found(run_cli, sandbox) -> None:  # type: ignore[no-untyped-def]
    result = check(run_cli, sandbox.url + "/nope", "demo@alegra.test", DEMO_TOKEN)
    assert_outcome(result, Code.NOT_FOUND, DEMO_TOKEN)


def test_captive_portal_html_is_unexpected_response(run_cli, httpserver: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/api/v1/company").respond_with_data(
        "<html><body>Inicia sesión en la red WiFi</body></html>", content_type="text/html"
    )
    result = check(run_cli, httpserver.url_for("/api/v1"), "a@b.co", CANARY_TOKEN)
    assert_outcome(result, Code.UNEXPECTED_RESPONSE, CANARY_TOKEN)


def test_refused_connection(run_cli, closed_port: int) -> None:  # type: ignore[no-untyped-def]
    url = f"http://127.0.0.1:{closed_port}/api/v1"
    data = assert_outcome(
        check(run_cli, url, "a@b.co", CANARY_TOKEN), Code.CONNECTION_FAILED, CANARY_TOKEN
    )
    # The hint names the server that was checked, not Alegra's (issue 22.6).
    steps = " ".join(data["hint"]["steps"])
    assert "127.0.0.1" in steps and "api.alegra.com" not in steps


def test_no_internet_is_dns_failure(run_cli) -> None:  # type: ignore[no-untyped-def]
    # In a private network namespace nothing resolves and no packet leaves the machine.
    result = check(
        run_cli,
        "https://api.alegra.com/api/v1",
        "a@b.co",
        CANARY_TOKEN,
        "--timeout",
        "3",
        netns=True,
    )
    data = assert_outcome(result, Code.DNS_FAILURE, CANARY_TOKEN)
    assert "internet" in data["hint"]["title"]


def test_untrusted_certificate_is_tls_error_and_ca_bundle_fixes_it(run_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from wizard.sandbox import Sandbox

    env = {"REQUESTS_CA_BUNDLE": "", "CURL_CA_BUNDLE": "", "SSL_CERT_FILE": ""}
    with Sandbox(https=True) as secure:
        result = check(run_cli, secure.url, "demo@alegra.test", DEMO_TOKEN, env=env)
        assert_outcome(result, Code.TLS_ERROR, DEMO_TOKEN)
        ok = check(
            run_cli,
            secure.url,
            "demo@alegra.test",
            DEMO_TOKEN,
            "--ca-bundle",
            str(secure.ca_file),
            env=env,
        )
        assert_outcome(ok, Code.CONNECTED, DEMO_TOKEN)


def test_dead_proxy_is_proxy_error(run_cli, closed_port: int) -> None:  # type: ignore[no-untyped-def]
    env = {
        "HTTPS_PROXY": f"http://127.0.0.1:{closed_port}",
        "https_proxy": f"http://127.0.0.1:{closed_port}",
        "NO_PROXY": "",
        "no_proxy": "",
    }
    result = check(
        run_cli, "https://api.alegra.com/api/v1", "a@b.co", CANARY_TOKEN, "--timeout", "3", env=env
    )
    assert_outcome(result, Code.PROXY_ERROR, CANARY_TOKEN)


def test_offline_format_ok_and_invalid_input(run_cli) -> None:  # type: ignore[no-untyped-def]
    ok = run_cli(
        "check",
        "--offline",
        "--json",
        "--email",
        " Ana@Empresa.CO ",
        "--token-stdin",
        stdin=f' "{CANARY_TOKEN}" \n',
    )
    data = assert_outcome(ok, Code.FORMAT_OK, CANARY_TOKEN)
    assert data["email"] == "Ana@empresa.co"
    assert {"field": "token", "fix": "removed_quotes"} in data["fixes"]
    empty = run_cli("check", "--offline", "--json", "--email", "ana@empresa.co", "--token-stdin")
    data = assert_outcome(empty, Code.INVALID_INPUT, "")
    assert data["problems"]


def test_plain_http_to_a_remote_host_is_refused(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = check(run_cli, "http://api.alegra.com/api/v1", "a@b.co", CANARY_TOKEN)
    assert_outcome(result, Code.INVALID_INPUT, CANARY_TOKEN)


def test_unknown_profile_is_not_configured(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("check", "--json", "--profile", "nadie")
    assert result.returncode == EXIT_CODES[Code.NOT_CONFIGURED]
    assert result.json["code"] == "not_configured"


def test_token_comes_from_the_environment_too(run_cli, sandbox) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(
        "check",
        "--json",
        "--base-url",
        sandbox.url,
        env={"ALEGRA_TOKEN": DEMO_TOKEN, "ALEGRA_EMAIL": "demo@alegra.test"},
    )
    assert_outcome(result, Code.CONNECTED, DEMO_TOKEN)


@pytest.mark.parametrize(
    "email", [*sorted(__import__("wizard.sandbox").sandbox.SCENARIOS), "x@y.co"]
)
def test_human_output_never_contains_the_token(run_cli, sandbox, email: str) -> None:  # type: ignore[no-untyped-def]
    for token in (DEMO_TOKEN, CANARY_TOKEN):
        result = run_cli(
            "check",
            "--base-url",
            sandbox.url,
            "--email",
            email,
            "--token-stdin",
            "--timeout",
            "1",
            stdin=f"  {token}\n",
        )
        assert result.returncode in EXIT_CODES.values()
        assert token not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "encoding", ["utf-16", "utf-16-be-bom", "utf-32", "utf-32-be-bom", "utf-8-sig"]
)
def test_a_token_file_with_a_byte_order_mark(script, sandbox, encoding: str) -> None:  # type: ignore[no-untyped-def]
    """Issue 26: `--token-stdin < token.txt` (and Setup's /TOKENFILE=, which runs exactly
    that) with the file PowerShell 5.1's `>` or Notepad's "Unicode" writes: UTF-16 with a
    byte-order mark and a CRLF. It used to say «tiene letras con acentos», exit 3."""
    text = DEMO_TOKEN + "\r\n"
    if encoding.endswith("-be-bom"):
        codec = encoding.removesuffix("-bom")
        data = "\ufeff".encode(codec) + text.encode(codec)
    else:
        data = text.encode(encoding)  # utf-16/utf-32 write the machine's BOM; utf-8-sig EF BB BF
    result = script(
        "check", "--json", "--base-url", sandbox.url, "--email", "demo@alegra.test",
        "--token-stdin", stdin=data,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.json["code"] == "connected" and result.json["token_hint"] == "…" + DEMO_TOKEN[-4:]


def test_server_text_is_stripped_of_escapes_and_the_token_masked(script, httpserver) -> None:  # type: ignore[no-untyped-def]
    import base64

    email = "ana@empresa.co"
    basic = base64.b64encode(f"{email}:{CANARY_TOKEN}".encode()).decode()
    httpserver.expect_request("/api/v1/company").respond_with_json(
        {
            "name": "\x1b[2J\x1b]0;pwned\x07Empresa \x1b[31mRoja\x1b[0m \u202eS.A.S\u202c",
            "identification": f"{CANARY_TOKEN}",
            "applicationVersion": f"Basic {basic}",
            "currency": {"code": basic},
        }
    )
    url = httpserver.url_for("/api/v1")
    base = ["check", "--base-url", url, "--email", email, "--token-stdin"]
    for extra in ([], ["--json"]):
        result = script(*base, *extra, stdin=CANARY_TOKEN)
        assert result.returncode == 0, result.stderr
        everything = result.stdout + result.stderr
        assert "\x1b" not in everything and "\x07" not in everything and "\u202e" not in everything
        assert CANARY_TOKEN not in everything and basic not in everything
        assert "Empresa Roja S.A.S" in (result.json["company"]["name"] if extra else result.stdout)


def test_token_stdin_reads_at_most_a_few_kib(script) -> None:  # type: ignore[no-untyped-def]
    import time

    from wizard.cli.options import STDIN_CAP_BYTES

    start = time.monotonic()
    big = b"x" * (5 * 1024 * 1024)
    result = script("check", "--offline", "--json", "--email", "a@b.co", "--token-stdin", stdin=big)
    assert time.monotonic() - start < 10
    assert result.returncode == 3 and result.json["code"] == "invalid_input"
    assert f"{STDIN_CAP_BYTES // 1024} KiB" in result.stderr
    fits = script("check", "--offline", "--json", "--email", "a@b.co", "--token-stdin",
                  stdin=CANARY_TOKEN + "\n" * 100)  # fmt: skip
    assert fits.returncode == 0
    helptext = script("check", "--help").stdout
    assert f"{STDIN_CAP_BYTES // 1024} KiB" in helptext


def test_the_only_profile_is_used_without_profile(script, stored, sandbox) -> None:  # type: ignore[no-untyped-def]
    stored("solo", DEMO_TOKEN, base_url=sandbox.url)
    check_result = script("check", "--json")
    assert check_result.returncode == 0, check_result.stderr
    assert check_result.json["email"] == "demo@alegra.test"
    assert script("status", "--json").json["profiles"][0]["id"] == "solo"


def test_check_records_only_the_profiles_own_credentials(script, stored, sandbox, cli_env) -> None:  # type: ignore[no-untyped-def]
    stored("propio", CANARY_TOKEN, base_url=sandbox.url)  # the stored token is wrong
    st = store_for(cli_env)
    base = ["check", "--json", "--profile", "propio"]
    overrides = [
        ({"stdin": DEMO_TOKEN}, ["--token-stdin"]),
        ({"env": {"ALEGRA_TOKEN": DEMO_TOKEN}}, []),
        ({}, ["--email", "mx@alegra.test"]),
    ]
    for kw, extra in overrides:
        result = script(*base, *extra, **kw)  # type: ignore[arg-type]
        assert result.returncode in (0, 4), result.stderr
        profile = st.find("propio")
        assert profile is not None and profile.last_check_code is None, extra
    own = script(*base)
    assert own.returncode == 4 and own.json["code"] == "unauthorized"
    profile = st.find("propio")
    assert profile is not None and profile.last_check_code == "unauthorized"


def test_check_says_who_the_token_belongs_to_and_warns_on_another_user(script, httpserver) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/api/v1/company").respond_with_json(
        {"name": "Panadería La Espiga S.A.S.", "applicationVersion": "colombia"}
    )
    httpserver.expect_request("/api/v1/users/self").respond_with_json(
        {"name": "Ana", "lastName": "Pérez", "email": "otra@empresa.co", "role": "admin"}
    )
    url = httpserver.url_for("/api/v1")
    base = ["check", "--base-url", url, "--email", "ana@empresa.co", "--token-stdin"]
    human = script(*base, stdin=CANARY_TOKEN)
    assert human.returncode == 0, human.stderr
    assert "Conectado como Ana Pérez (administrador) en Panadería La Espiga S.A.S." in human.stdout
    assert "el token pertenece a otro usuario" in human.stdout
    data = script(*base, "--json", stdin=CANARY_TOKEN).json
    assert data["user"] == {
        "name": "Ana Pérez",
        "email": "otra@empresa.co",
        "role": "administrador",
    }
    assert {"field": "email", "warning": "user_email_differs"} in data["warnings"]


def test_one_default_timeout_for_every_front_end(script) -> None:  # type: ignore[no-untyped-def]
    import inspect

    from wizard import present
    from wizard.check import check_connection

    default = inspect.signature(check_connection).parameters["timeout"].default
    assert default == present.DEFAULT_TIMEOUT_S
    text = script("check", "--help").stdout
    assert f"predeterminado {int(present.DEFAULT_TIMEOUT_S)}" in text
