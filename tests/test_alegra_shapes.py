"""Alegra's real answer shapes (issue 25): the check reads them right from the real sandbox
and from a server sending the odd ones: the full name, the role in words, a sane wait for any
X-Rate-Limit-Reset, and the server's own message (`server_message`) cleaned and short."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from wizard import present
from wizard.check import check_connection, parse_reset, parse_server_message
from wizard.outcomes import Code
from wizard.sandbox import DEMO_TOKEN, SCENARIOS

TOKEN = "a1b2c3d4e5f6a7b8c9d0"


def check(run_cli, url: str, email: str, *extra: str, token: str = DEMO_TOKEN):  # type: ignore[no-untyped-def]
    args = ["check", "--email", email, "--token-stdin", "--base-url", url, *extra]
    return run_cli(*args, stdin=token + "\n")


@pytest.mark.parametrize(
    ("raw", "seconds"),
    [
        ("30", 30), (" 42 ", 42), ("-2", 1), ("0", 1), ("2.5", 3), ("3600", 3600),
        ("99999999999999999999", 3600), ("1e400", 3600), ("inf", 3600), ("-inf", 1),
        ("nan", None), ("soon", None), ("", None), (None, None),
    ],
)  # fmt: skip
def test_a_reset_becomes_a_sane_wait(raw: str | None, seconds: int | None) -> None:
    assert parse_reset(raw) == seconds


@pytest.mark.parametrize(
    ("email", "code", "status", "message"),
    [
        ("demo@alegra.test", Code.CONNECTED, 200, None),
        ("mx@alegra.test", Code.CONNECTED, 200, None),
        ("basico@alegra.test", Code.CONNECTED, 200, None),
        ("sinpermiso@alegra.test", Code.FORBIDDEN, 403,
         "No tienes permiso para realizar esta acción"),
        ("suspendida@alegra.test", Code.PAYMENT_REQUIRED, 402,
         "La suscripción de la empresa está suspendida."),
        ("limite@alegra.test", Code.RATE_LIMITED, 429, "Too Many request"),
        ("reinicio@alegra.test", Code.RATE_LIMITED, 429, "Too Many request"),
        ("caido@alegra.test", Code.SERVER_ERROR, 503, None),  # an HTML page says nothing
        ("nadie@alegra.test", Code.UNAUTHORIZED, 401, "Error en autenticación"),
    ],
)  # fmt: skip
def test_every_sandbox_shape_is_classified(sandbox, email, code, status, message) -> None:  # type: ignore[no-untyped-def]
    result = check_connection(email, DEMO_TOKEN, sandbox.url, timeout=5)
    assert (result.code, result.http_status) == (code, status)
    assert present.server_message(result) == message
    if code is Code.RATE_LIMITED:
        assert result.rate_limit is not None and result.rate_limit.remaining == 0
        assert 1 <= result.rate_limit.reset_s <= 3600  # type: ignore[operator]


def test_every_sandbox_scenario_is_in_that_table() -> None:
    cases = test_every_sandbox_shape_is_classified.pytestmark[0].args[1]  # type: ignore[attr-defined]
    assert set(SCENARIOS) - {"lento@alegra.test"} <= {case[0] for case in cases}


def test_the_mexican_accounts_numeric_ids_and_address_do_not_matter(sandbox) -> None:  # type: ignore[no-untyped-def]
    result = check_connection("mx@alegra.test", DEMO_TOKEN, sandbox.url, timeout=5)
    assert result.company is not None
    assert (result.company.identification, result.company.currency) == ("TEG010101AB1", "MXN")
    assert result.user is not None and result.user.name == "Luis Hernández"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"message": "Error en autenticaci\\u00f3n", "code": "1001"}', "Error en autenticación"),
        (b'{"error": {"message": "Too Many request", "code": 429}}', "Too Many request"),
        (b'{"error": "Unauthorized"}', "Unauthorized"),
        (b'{"message": ["no"], "code": 1}', None),
        (b'{"code": "1001"}', None),
        (b"<html>503</html>", None),
        (b"[1, 2]", None),
        (b"", None),
        (None, None),
    ],
)  # fmt: skip
def test_server_message_in_both_shapes(body: bytes | None, message: str | None) -> None:
    assert parse_server_message(body) == message


def test_server_message_is_cleaned_and_at_most_200_characters(  # type: ignore[no-untyped-def]
    run_cli, httpserver: HTTPServer
) -> None:
    said = "\x1b[31mToken " + TOKEN + " inválido\x1b[0m\u202e. " + "x" * 400
    httpserver.expect_request("/api/v1/company").respond_with_json(
        {"message": said, "code": "1001"}, status=401
    )
    got = check(run_cli, httpserver.url_for("/api/v1"), "ana@empresa.co", "--json", token=TOKEN)
    assert got.json["code"] == "unauthorized", got
    message = got.json["server_message"]
    assert len(message) == 200 and message.endswith("…")
    assert message.startswith("Token …c9d0 inválido. xxx")
    assert TOKEN not in got.stdout and "\x1b" not in message and "\u202e" not in message


def test_connected_has_no_server_message(run_cli, sandbox) -> None:  # type: ignore[no-untyped-def]
    got = check(run_cli, sandbox.url, "demo@alegra.test", "--json")
    assert got.json["code"] == "connected" and got.json["server_message"] is None
    failed = check(run_cli, sandbox.url, "nadie@alegra.test", "--json")
    assert failed.json["server_message"] == "Error en autenticación"


@pytest.mark.parametrize(
    ("reset", "wait", "words"),
    [("99999999999999999999", 3600, "1 hora"), ("-2", 1, "1 segundo"),
     ("pronto", 60, "60 segundos"), ("12", 12, "12 segundos")],
)  # fmt: skip
def test_an_odd_reset_is_a_sane_wait_in_every_output(  # type: ignore[no-untyped-def]
    run_cli, httpserver: HTTPServer, reset: str, wait: int, words: str
) -> None:
    headers = {"X-Rate-Limit-Limit": "150", "X-Rate-Limit-Remaining": "0"}
    httpserver.expect_request("/api/v1/company").respond_with_json(
        {"error": {"message": "Too Many request", "code": 429}},
        status=429,
        headers={**headers, "X-Rate-Limit-Reset": reset},
    )
    url = httpserver.url_for("/api/v1")
    data = check(run_cli, url, "ana@empresa.co", "--json", token=TOKEN)
    assert data.json["code"] == "rate_limited", data
    assert data.json["server_message"] == "Too Many request"
    assert data.json["rate_limit"]["reset_s"] == (None if reset == "pronto" else wait)
    assert f"Espera {words}." in data.json["hint"]["steps"]
    human = check(run_cli, url, "ana@empresa.co", token=TOKEN)
    assert f"Espera {words}." in human.stdout, human
    if wait != 12:
        assert reset not in data.stdout + human.stdout + human.stderr


def test_the_window_waits_sanely_too() -> None:
    """The GUI's wait (present.wait_seconds, as the test page shows it) from a raw result."""
    from wizard.check import CheckResult, RateLimit

    def waited(reset: int | None) -> int | None:
        limited = CheckResult(Code.RATE_LIMITED, 429, None, RateLimit(150, 0, reset), 5)
        return present.wait_seconds(limited)

    assert [waited(r) for r in (-5, 0, 30, 10**20, None)] == [1, 1, 30, 3600, 60]
