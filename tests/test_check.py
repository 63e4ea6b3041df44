"""wizard.check, the client against real loopback servers: classification, redirects, cookies,
deadlines, TLS; and a body no parser can read is the server's answer, never our failure."""

from __future__ import annotations

import base64
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import trustme
from pytest_httpserver import HTTPServer

from wizard.check import check_connection, parse_company
from wizard.outcomes import Code
from wizard.transport import validate_base_url

EMAIL, TOKEN = "ana@empresa.co", "c4n4ryt0k3n5ecr3t9z7"


def base(server: HTTPServer) -> str:
    return server.url_for("/api/v1")


@pytest.mark.parametrize(
    ("status", "code"),
    [(401, Code.UNAUTHORIZED), (402, Code.PAYMENT_REQUIRED), (404, Code.NOT_FOUND),
     (405, Code.UNEXPECTED_RESPONSE), (429, Code.RATE_LIMITED), (500, Code.SERVER_ERROR),
     (502, Code.SERVER_ERROR), (503, Code.SERVER_ERROR), (407, Code.PROXY_ERROR)],
)  # fmt: skip
def test_status_codes(httpserver: HTTPServer, status: int, code: Code) -> None:
    httpserver.expect_request("/api/v1/company").respond_with_data("", status=status)
    result = check_connection(EMAIL, TOKEN, base(httpserver), timeout=5)
    assert result.code is code and result.http_status == status


@pytest.mark.parametrize("body", ["[]", "null", '{"name": "trunc', "<html>portal</html>", ""])
def test_a_200_that_is_not_a_json_object(httpserver: HTTPServer, body: str) -> None:
    httpserver.expect_request("/api/v1/company").respond_with_data(body, status=200)
    assert (
        check_connection(EMAIL, TOKEN, base(httpserver), timeout=5).code is Code.UNEXPECTED_RESPONSE
    )


def test_header_is_utf8_basic_and_user_agent_set(httpserver: HTTPServer) -> None:
    email = "josé@empresa.co"
    expected = "Basic " + base64.b64encode(f"{email}:{TOKEN}".encode()).decode()
    httpserver.expect_request(
        "/api/v1/company", headers={"Authorization": expected}
    ).respond_with_json({"name": "X", "decimalPrecision": 2})
    result = check_connection(email, TOKEN, base(httpserver), timeout=5)
    assert result.code is Code.CONNECTED
    assert httpserver.log[0][0].headers["User-Agent"].startswith("alegra-wizard/")


def test_rate_limit_reset_is_clamped(httpserver: HTTPServer) -> None:
    headers = {"X-Rate-Limit-Limit": "150", "X-Rate-Limit-Remaining": "0"}
    headers["X-Rate-Limit-Reset"] = "-2"
    httpserver.expect_request("/api/v1/company").respond_with_data("", status=429, headers=headers)
    rl = check_connection(EMAIL, TOKEN, base(httpserver), timeout=5).rate_limit
    assert rl is not None and (rl.limit, rl.remaining, rl.reset_s) == (150, 0, 1)


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirect_never_carries_credentials(status: int) -> None:
    with HTTPServer() as first, HTTPServer() as target:
        target.expect_request("/api/v1/company").respond_with_json({"name": "evil"})
        first.expect_request("/api/v1/company").respond_with_data(
            "", status=status, headers={"Location": target.url_for("/api/v1/company")}
        )
        result = check_connection(EMAIL, TOKEN, base(first), timeout=5)
        assert result.code is Code.UNEXPECTED_RESPONSE and result.http_status == status
        assert target.log == []  # the redirect target never heard from us


def test_cookies_are_not_kept(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/company").respond_with_data(
        "", status=403, headers={"Set-Cookie": "PHPSESSID=abc; path=/"}
    )
    httpserver.expect_request("/api/v1/users/self").respond_with_json({"email": EMAIL})
    result = check_connection(EMAIL, TOKEN, base(httpserver), timeout=5)
    assert result.code is Code.FORBIDDEN and result.can_read_company is False
    assert "Cookie" not in httpserver.log[1][0].headers


def test_company_parsing_is_defensive() -> None:
    odd = parse_company(
        {
            "name": 5,
            "identificationObject": {"number": "123"},
            "currency": "COP",
            "applicationVersion": None,
            "decimalPrecision": "2",
        }
    )
    assert (odd.name, odd.identification, odd.currency, odd.country) == ("5", "123", "COP", None)
    assert parse_company({}).name is None


def test_base_url_rules() -> None:
    assert validate_base_url("https://api.alegra.com/api/v1") is None
    assert validate_base_url("http://127.0.0.1:8000/api/v1") is None
    assert validate_base_url("http://[::1]:8000/api/v1") is None
    assert validate_base_url("http://api.alegra.com/api/v1") == "insecure_url"
    assert validate_base_url("ftp://x") == "bad_url"
    assert validate_base_url("https://user:pw@api.alegra.com") == "bad_url"


# --- raw socket faults ---------------------------------------------------------------


@pytest.fixture
def raw_server() -> Iterator[Callable[[Callable[[socket.socket], None]], str]]:
    sockets: list[socket.socket] = []
    stop = threading.Event()

    def start(behaviour: Callable[[socket.socket], None]) -> str:
        srv = socket.socket()
        srv.bind(("127.0.0.1", 0))
        srv.listen()
        srv.settimeout(0.2)
        sockets.append(srv)

        def loop() -> None:
            while not stop.is_set():
                try:
                    conn, _ = srv.accept()
                except OSError:
                    continue
                threading.Thread(target=behaviour, args=(conn,), daemon=True).start()

        threading.Thread(target=loop, daemon=True).start()
        return f"http://127.0.0.1:{srv.getsockname()[1]}/api/v1"

    yield start
    stop.set()
    for srv in sockets:
        srv.close()


def _read_request(conn: socket.socket) -> None:
    conn.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return
        data += chunk


def test_slow_drip_hits_the_overall_deadline(raw_server) -> None:  # type: ignore[no-untyped-def]
    def drip(conn: socket.socket) -> None:
        _read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{")
        try:
            for _ in range(60):
                time.sleep(0.3)
                conn.sendall(b" ")
        except OSError:
            pass
        conn.close()

    start = time.monotonic()
    result = check_connection(EMAIL, TOKEN, raw_server(drip), timeout=1.5)
    assert result.code is Code.TIMEOUT and time.monotonic() - start < 2.5


def test_silence_after_accept_times_out(raw_server) -> None:  # type: ignore[no-untyped-def]
    def silent(conn: socket.socket) -> None:
        time.sleep(5)
        conn.close()

    start = time.monotonic()
    assert check_connection(EMAIL, TOKEN, raw_server(silent), timeout=1).code is Code.TIMEOUT
    assert time.monotonic() - start < 2


@pytest.mark.parametrize("mid", [False, True])
def test_reset_is_connection_failed(raw_server, mid: bool) -> None:  # type: ignore[no-untyped-def]
    def reset(conn: socket.socket) -> None:
        _read_request(conn)
        if mid:
            conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{"na')
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        conn.close()

    result = check_connection(EMAIL, TOKEN, raw_server(reset), timeout=3)
    assert result.code == Code.CONNECTION_FAILED


def test_huge_body_is_capped(raw_server) -> None:  # type: ignore[no-untyped-def]
    def huge(conn: socket.socket) -> None:
        _read_request(conn)
        try:
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 52428800\r\n\r\n")
            block = b"a" * 65536
            for _ in range(800):
                conn.sendall(block)
        except OSError:
            pass
        conn.close()

    result = check_connection(EMAIL, TOKEN, raw_server(huge), timeout=10)
    assert result.code is Code.UNEXPECTED_RESPONSE and result.detail == "body too large"


# --- TLS -----------------------------------------------------------------------------


@pytest.fixture
def no_env_trust(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(var, raising=False)


def tls_server(cert_host: str, **kw: object) -> tuple[HTTPServer, trustme.CA]:
    ca = trustme.CA(organization_name="Oficina Proxy Inspección")
    cert = ca.issue_cert(cert_host, **kw)  # type: ignore[arg-type]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(context)
    server = HTTPServer(ssl_context=context)
    server.expect_request("/api/v1/company").respond_with_json({"name": "Segura"})
    server.start()
    return server, ca


def test_untrusted_ca_names_the_issuer(no_env_trust: None) -> None:
    server, _ca = tls_server("127.0.0.1")
    try:
        url = f"https://127.0.0.1:{server.port}/api/v1"
        result = check_connection(EMAIL, TOKEN, url, timeout=5)
        assert result.code is Code.TLS_ERROR
        assert result.tls_issuer == "Oficina Proxy Inspección"
        assert server.log == []  # nothing with credentials got through
    finally:
        server.stop()


def check_with_ca(tmp_path, cert_host: str, **cert: object) -> Code:  # type: ignore[no-untyped-def]
    """Check against a trustme server whose CA we pass explicitly as --ca-bundle."""
    server, ca = tls_server(cert_host, **cert)
    try:
        pem = tmp_path / "ca.pem"
        ca.cert_pem.write_to_path(str(pem))
        url = f"https://127.0.0.1:{server.port}/api/v1"
        return check_connection(EMAIL, TOKEN, url, timeout=5, ca_bundle=str(pem)).code
    finally:
        server.stop()


def test_trusted_with_a_ca_bundle(no_env_trust: None, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert check_with_ca(tmp_path, "127.0.0.1") is Code.CONNECTED


def test_wrong_host_name_is_tls_error(no_env_trust: None, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert check_with_ca(tmp_path, "other.example") is Code.TLS_ERROR


def test_expired_certificate_is_tls_error(no_env_trust: None, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import datetime

    past = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    expired = check_with_ca(
        tmp_path, "127.0.0.1", not_after=past, not_before=past - datetime.timedelta(days=2)
    )
    assert expired is Code.TLS_ERROR


def test_cancel_stops_reading(raw_server) -> None:  # type: ignore[no-untyped-def]
    def drip(conn: socket.socket) -> None:
        _read_request(conn)
        try:
            conn.sendall(b"HTTP/1.1 200 OK\r\n\r\n")
            for _ in range(50):
                time.sleep(0.1)
                conn.sendall(b" ")
        except OSError:
            pass
        conn.close()

    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    result = check_connection(EMAIL, TOKEN, raw_server(drip), timeout=10, cancel=cancel)
    assert result.code is Code.CANCELLED and result.elapsed_ms < 1500


def test_the_402_hint_names_the_plan_first_then_the_suspension_with_a_step_for_each() -> None:
    """Alegra's 402: the plan lacks API access, or the account is suspended/unpaid."""
    from wizard.hints import hint_for

    words = {"es": ("plan", "suspendida"), "en": ("plan", "suspended")}
    for lang, (plan, suspended) in words.items():
        hint = hint_for(Code.PAYMENT_REQUIRED, lang)
        for text in (hint.title, " ".join(hint.causes)):
            assert 0 <= text.index(plan) < text.index(suspended), text
        assert plan in hint.steps[0] and "API" in hint.steps[0]
        assert suspended in hint.steps[1]


# --- issue 17: who the token belongs to (GET /users/self after a 200 on /company) ---------
def test_a_successful_check_says_who_the_token_belongs_to(sandbox) -> None:  # type: ignore[no-untyped-def]
    from wizard.check import User
    from wizard.sandbox import DEMO_TOKEN

    before = len(sandbox.requests_seen)
    result = check_connection("demo@alegra.test", DEMO_TOKEN, sandbox.url, timeout=5)
    assert result.code is Code.CONNECTED and result.warnings == ()
    # Alegra's name + lastName; the role as its code (present says it in words).
    assert result.user == User("Ana Pérez", "demo@alegra.test", "admin")
    paths = [path for _, path, _ in sandbox.requests_seen[before:]]
    assert paths == ["/api/v1/company", "/api/v1/users/self"], "exactly once"


def test_a_403_whose_users_self_answers_names_the_user(sandbox) -> None:  # type: ignore[no-untyped-def]
    from wizard.sandbox import DEMO_TOKEN

    result = check_connection("sinpermiso@alegra.test", DEMO_TOKEN, sandbox.url, timeout=5)
    assert result.code is Code.FORBIDDEN and result.can_read_company is False
    assert result.user is not None and result.user.name == "Marta Ruiz"


@pytest.mark.parametrize(
    ("body", "name", "email", "role"),
    [
        ({"name": "Ana", "email": "ANA@Empresa.co", "role": "admin"}, "Ana", "ANA@Empresa.co",
         "admin"),
        ({"firstName": "Ana", "lastName": "Pérez"}, "Ana Pérez", None, None),
        ({"name": "Ana", "lastName": "Pérez", "role": "admin"}, "Ana Pérez", None, "admin"),
        ({"name": "Ana Pérez", "lastName": "Pérez"}, "Ana Pérez", None, None),
        ({"lastName": "Pérez", "id": 5}, "Pérez", None, None),
        ({"name": 7, "email": ["x"], "role": {"name": "contador"}}, "7", None, "contador"),
        ({"email": "ana@empresa.co", "role": None}, None, "ana@empresa.co", None),
    ],
)  # fmt: skip
def test_users_self_is_read_tolerantly(
    httpserver: HTTPServer,
    body: dict,
    name: str | None,
    email: str | None,
    role: str | None,  # type: ignore[type-arg]
) -> None:
    httpserver.expect_request("/api/v1/company").respond_with_json({"name": "X"})
    httpserver.expect_request("/api/v1/users/self").respond_with_json(body)
    result = check_connection(EMAIL, TOKEN, base(httpserver), timeout=5)
    assert result.code is Code.CONNECTED
    assert result.user is not None
    assert (result.user.name, result.user.email, result.user.role) == (name, email, role)
    assert result.warnings == (), "the same email, case aside, is no warning"


@pytest.mark.parametrize("answer", ["500", "[]", "not json", "{}", "401"])
def test_a_failed_users_self_leaves_the_check_connected(
    httpserver: HTTPServer, answer: str
) -> None:
    httpserver.expect_request("/api/v1/company").respond_with_json({"name": "X"})
    if answer.isdigit():
        httpserver.expect_request("/api/v1/users/self").respond_with_data("", status=int(answer))
    else:
        httpserver.expect_request("/api/v1/users/self").respond_with_data(answer)
    result = check_connection(EMAIL, TOKEN, base(httpserver), timeout=5)
    assert result.code is Code.CONNECTED and result.user is None and result.warnings == ()


def test_a_users_self_email_that_differs_is_a_warning(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/company").respond_with_json({"name": "X"})
    httpserver.expect_request("/api/v1/users/self").respond_with_json(
        {"name": "Pedro", "email": "pedro@empresa.co"}
    )
    result = check_connection(EMAIL, TOKEN, base(httpserver), timeout=5)
    assert result.code is Code.CONNECTED and result.warnings == ("user_email_differs",)


def test_the_rate_limit_is_the_latest_answers(httpserver: HTTPServer) -> None:
    first = {
        "X-Rate-Limit-Limit": "150",
        "X-Rate-Limit-Remaining": "120",
        "X-Rate-Limit-Reset": "40",
    }
    later = {**first, "X-Rate-Limit-Remaining": "119"}
    httpserver.expect_request("/api/v1/company").respond_with_json({"name": "X"}, headers=first)
    httpserver.expect_request("/api/v1/users/self").respond_with_json({}, headers=later)
    rl = check_connection(EMAIL, TOKEN, base(httpserver), timeout=5).rate_limit
    assert rl is not None and (rl.limit, rl.remaining, rl.reset_s) == (150, 119, 40)


# --- a body no parser can read -------------------------------------------------------------
NESTED = b"[" * 100_000  # deeper than the JSON parser recurses: RecursionError


def test_a_deeply_nested_company_body_is_an_unexpected_response(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/company").respond_with_data(
        NESTED, content_type="application/json"
    )
    result = check_connection(EMAIL, TOKEN, base(httpserver), timeout=5)
    assert (result.code, result.http_status, result.detail) == (
        Code.UNEXPECTED_RESPONSE, 200, "not JSON"
    )  # fmt: skip


def test_a_deeply_nested_users_self_body_leaves_the_check_connected(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request("/api/v1/company").respond_with_json({"name": "Ferreteria Sur"})
    httpserver.expect_request("/api/v1/users/self").respond_with_data(
        NESTED, content_type="application/json"
    )
    result = check_connection(EMAIL, TOKEN, base(httpserver), timeout=5)
    assert (result.code, result.user) == (Code.CONNECTED, None)


def test_cli_a_deeply_nested_body_is_exit_10_not_an_internal_error(
    httpserver: HTTPServer, run_cli
) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/api/v1/company").respond_with_data(
        NESTED, content_type="application/json"
    )
    args = ["check", "--json", "--email", EMAIL, "--token-stdin", "--base-url", base(httpserver)]
    got = run_cli(*args, stdin=TOKEN + "\n")
    assert got.returncode == 10, got
    assert got.json["code"] == "unexpected_response"
    assert "RecursionError" not in got.stdout + got.stderr
