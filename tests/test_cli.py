"""The CLI as a subprocess: every outcome code reached, exit codes and JSON per DESIGN, no leaks."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from tests.helpers import CANARY_TOKEN
from wizard.outcomes import EXIT_CODES, Code
from wizard.sandbox import DEMO_TOKEN

JSON_KEYS = {
    "ok",
    "code",
    "http_status",
    "email",
    "token_hint",
    "company",
    "fixes",
    "warnings",
    "hint",
    "elapsed_ms",
    "rate_limit",
}


def check(run_cli, base_url: str, email: str, token: str, *extra: str, **kw):  # type: ignore[no-untyped-def]
    return run_cli(
        "check",
        "--json",
        "--base-url",
        base_url,
        "--email",
        email,
        "--token-stdin",
        *extra,
        stdin=token,
        **kw,
    )


def assert_outcome(result, code: Code, token: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert result.returncode == EXIT_CODES[code], (result.stdout, result.stderr)
    data = result.json
    assert data["code"] == code.value
    assert data.keys() >= JSON_KEYS
    assert data["ok"] is (code in (Code.CONNECTED, Code.FORMAT_OK))
    if token:
        assert token not in result.stdout and token not in result.stderr
        assert data["token_hint"] == "…" + token[-4:]
    if code is Code.CONNECTED:
        assert data["hint"] is None
    else:
        assert data["hint"]["title"] and data["hint"]["steps"]
    return data


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


@pytest.fixture
def closed_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    yield port


def test_refused_connection(run_cli, closed_port: int) -> None:  # type: ignore[no-untyped-def]
    url = f"http://127.0.0.1:{closed_port}/api/v1"
    assert_outcome(
        check(run_cli, url, "a@b.co", CANARY_TOKEN), Code.CONNECTION_FAILED, CANARY_TOKEN
    )


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


def test_usage_error_is_exit_2(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("check", "--timeout", "abc").returncode == 2


def test_version(run_cli) -> None:  # type: ignore[no-untyped-def]
    from wizard.version import __version__

    result = run_cli("--version")
    assert result.returncode == 0 and __version__ in result.stdout


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
