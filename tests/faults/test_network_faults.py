"""The network half of the fault matrix, in-process: check_connection against the
adversarial server. Each case asserts the exact outcome code, that its hint is a real
catalog entry (title and steps, both languages), and the time bound: never longer than
the timeout + 1 s. The CLI and GUI files drive a subset of the same servers end to end.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme

from tests.helpers import CANARY_TOKEN
from tests.helpers.faultserver import (
    COMPANY,
    EMAIL,
    HTML,
    HTML_ERROR,
    ISSUER,
    JSON,
    PORTAL,
    Behaviour,
    Conn,
    ServerFactory,
    assert_hint,
    closed_port,
    drip,
    expected_hint,
    flood,
    http_response,
    ipv6_loopback,
    past_validity,
    reset_before,
    reset_mid,
    respond,
    silence,
    timed,
    tls_context,
)
from wizard.check import MAX_BODY, CheckResult, check_connection
from wizard.outcomes import Code

T = 1.5  # the client's timeout in this file: every case must end within T + 1 s
BOUND = T + 1.0


def check(url: str, **kw: object) -> tuple[CheckResult, float]:
    kw.setdefault("timeout", T)
    return timed(lambda: check_connection(EMAIL, CANARY_TOKEN, url, **kw))  # type: ignore[arg-type]


def assert_case(result: CheckResult, elapsed: float, code: Code, status: int | None) -> None:
    assert (result.code, result.http_status) == (code, status), result
    assert elapsed <= BOUND, f"{elapsed:.2f} s > {BOUND} s"
    assert result.elapsed_ms <= BOUND * 1000
    assert_hint(result)
    assert CANARY_TOKEN not in repr(result)


@dataclass(frozen=True)
class Case:
    id: str
    behaviour: Callable[[], Behaviour]
    code: Code
    status: int | None = None
    read_request: bool = True


def _partial_200(length: int, part: bytes) -> bytes:
    return http_response(200, headers={**JSON, "Content-Length": str(length)}) + part


def _cut_short(conn: Conn) -> None:
    """A promised 500-byte body that ends (FIN, no reset) after 12 bytes."""
    conn.send(http_response(200, headers={**JSON, "Content-Length": "500"}) + b'{"name": "Fe')


TRANSPORT = [
    Case("reset_before_response", reset_before, Code.CONNECTION_FAILED),
    Case("reset_mid_status_line", lambda: reset_mid(b"HTTP/1.1 20"), Code.CONNECTION_FAILED),
    Case(
        "reset_mid_headers",
        lambda: reset_mid(b"HTTP/1.1 200 OK\r\nContent-Type: appl"),
        Code.CONNECTION_FAILED,
    ),
    Case(
        "reset_mid_body",
        lambda: reset_mid(_partial_200(1000, b'{"name": "Fer')),
        Code.CONNECTION_FAILED,
    ),
    Case("body_cut_short", lambda: _cut_short, Code.CONNECTION_FAILED),
    Case("silence_without_reading", silence, Code.TIMEOUT, read_request=False),
    Case("silence_after_request", silence, Code.TIMEOUT),
    Case("drip_status_line", lambda: drip(b"HTTP/1.1 200 OK", b" "), Code.TIMEOUT),
    Case("drip_headers", lambda: drip(b"HTTP/1.1 200 OK\r\nX-Slow: ", b"a"), Code.TIMEOUT),
    Case(
        "drip_body",
        lambda: drip(http_response(200, headers={**JSON, "Content-Length": "100000"}) + b"{"),
        Code.TIMEOUT,
    ),
    Case(
        "drip_chunked_body",
        lambda: drip(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n", b"1\r\n \r\n"
        ),
        Code.TIMEOUT,
    ),
    Case(
        "drip_redirect_body",
        lambda: drip(http_response(302, headers={"Location": "/x", "Content-Length": "9999"})),
        Code.TIMEOUT,
    ),
]

ANSWERS = [
    Case("captive_portal_html", lambda: respond(200, PORTAL, HTML), Code.UNEXPECTED_RESPONSE, 200),
    Case("json_list", lambda: respond(200, b"[]", JSON), Code.UNEXPECTED_RESPONSE, 200),
    Case("json_null", lambda: respond(200, b"null", JSON), Code.UNEXPECTED_RESPONSE, 200),
    Case("json_string", lambda: respond(200, b'"ok"', JSON), Code.UNEXPECTED_RESPONSE, 200),
    Case(
        "truncated_json",
        lambda: respond(200, b'{"name": "Ferreter', JSON),
        Code.UNEXPECTED_RESPONSE,
        200,
    ),
    Case("empty_200", lambda: respond(200, b"", JSON), Code.UNEXPECTED_RESPONSE, 200),
    Case(
        "not_utf8",
        lambda: respond(200, b'{"name": "\xff\xfe"}', JSON),
        Code.UNEXPECTED_RESPONSE,
        200,
    ),
    Case("company", lambda: respond(200, COMPANY, JSON), Code.CONNECTED, 200),
    Case("company_204", lambda: respond(204), Code.UNEXPECTED_RESPONSE, 204),
]

STATUS_CODES = {
    401: Code.UNAUTHORIZED,
    402: Code.PAYMENT_REQUIRED,
    403: Code.FORBIDDEN,
    404: Code.NOT_FOUND,
    405: Code.UNEXPECTED_RESPONSE,
    429: Code.RATE_LIMITED,
    500: Code.SERVER_ERROR,
    502: Code.SERVER_ERROR,
    503: Code.SERVER_ERROR,
}
STATUSES = [
    Case(f"{status}_{kind}", (lambda s=status, b=body, h=headers: respond(s, b, h)), code, status)
    for status, code in STATUS_CODES.items()
    for kind, body, headers in (("html", HTML_ERROR, HTML), ("empty", b"", {}))
]


@pytest.mark.parametrize("case", TRANSPORT + ANSWERS + STATUSES, ids=lambda c: c.id)
def test_fault(fault_server: ServerFactory, no_proxy_env: None, case: Case) -> None:
    server = fault_server(case.behaviour(), read_request=case.read_request)
    result, elapsed = check(server.url)
    assert_case(result, elapsed, case.code, case.status)
    if case.code is Code.CONNECTED:
        assert result.company is not None and result.company.name == "Ferreteria Sur"


def test_connection_refused(no_proxy_env: None) -> None:
    result, elapsed = check(f"http://127.0.0.1:{closed_port()}/api/v1")
    assert_case(result, elapsed, Code.CONNECTION_FAILED, None)


def test_a_50_mb_body_is_not_read_past_the_cap(fault_server: ServerFactory, no_proxy_env) -> None:  # type: ignore[no-untyped-def]
    size = 50 * 1024 * 1024
    server = fault_server(flood(size))
    result, elapsed = check(server.url)
    assert_case(result, elapsed, Code.UNEXPECTED_RESPONSE, 200)
    assert result.detail == "body too large"
    server.close()  # the sender stops once the client has hung up
    # What left the server: the cap plus what the kernel's buffers swallowed, not 50 MB.
    assert server.sent[0] < MAX_BODY + 16 * 1024 * 1024 < size


@pytest.mark.parametrize(
    ("headers", "reset_s"),
    [
        ({"X-Rate-Limit-Limit": "150", "X-Rate-Limit-Remaining": "0",
          "X-Rate-Limit-Reset": "30"}, 30),
        ({}, None),
        ({"X-Rate-Limit-Reset": "-2"}, 1),
        ({"X-Rate-Limit-Reset": "soon"}, None),
    ],
    ids=["reset_30", "no_headers", "reset_minus_2", "reset_garbage"],
)  # fmt: skip
def test_rate_limited(fault_server: ServerFactory, no_proxy_env, headers, reset_s) -> None:  # type: ignore[no-untyped-def]
    server = fault_server(respond(429, b'{"code": 429}', {**JSON, **headers}))
    result, elapsed = check(server.url)
    assert_case(result, elapsed, Code.RATE_LIMITED, 429)
    got = result.rate_limit.reset_s if result.rate_limit else None
    assert got == reset_s
    wait = 60 if reset_s is None else reset_s  # hints.DEFAULT_WAIT_SECONDS when unknown
    words = "1 segundo" if wait == 1 else f"{wait} segundos"
    assert f"Espera {words}." in expected_hint(result, "es").steps


def test_forbidden_asks_users_self_on_the_same_server(
    fault_server: ServerFactory, no_proxy_env
) -> None:  # type: ignore[no-untyped-def]
    def behaviour(conn: Conn) -> None:
        ok = conn.request is not None and conn.request.target.endswith("/users/self")
        conn.send(http_response(200, b'{"email": "x"}', JSON) if ok else http_response(403))

    server = fault_server(behaviour)
    result, elapsed = check(server.url)
    assert_case(result, elapsed, Code.FORBIDDEN, 403)
    assert result.can_read_company is False
    assert (
        expected_hint(result, "es").title
        != expected_hint(CheckResult(Code.FORBIDDEN, 403, None, None, 0), "es").title
    )  # the sharper "this user may not read company info" entry


# --- redirects: the Authorization header never follows ---------------------------------


def _other_host() -> str:
    """Another loopback address when the kernel has one (Linux routes all of 127/8)."""
    import socket

    try:
        with socket.socket() as sock:
            sock.bind(("127.0.0.2", 0))
        return "127.0.0.2"
    except OSError:
        return "127.0.0.1"


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("where", ["same_host", "other_host"])
def test_redirect_is_never_followed(
    fault_server: ServerFactory, no_proxy_env, status, where
) -> None:  # type: ignore[no-untyped-def]
    target = fault_server(respond(200, COMPANY, JSON), host=_other_host())

    def redirect(conn: Conn) -> None:
        if conn.request is not None and conn.request.target.startswith("/moved"):
            conn.send(http_response(200, COMPANY, JSON))  # would "connect", if followed
            return
        location = "/moved/company" if where == "same_host" else f"{target.url}/company"
        conn.send(http_response(status, b"<html>moved</html>", {**HTML, "Location": location}))

    first = fault_server(redirect)
    result, elapsed = check(first.url)
    assert_case(result, elapsed, Code.UNEXPECTED_RESPONSE, status)
    assert result.detail.startswith("redirect to ")
    assert [r.target for r in first.requests] == ["/api/v1/company"]
    assert "authorization" in first.requests[0].headers  # the asked server got it...
    assert target.requests == [] and target.connections == 0  # ...the target nothing


@pytest.mark.parametrize("location", ["http://[broken", "", "//evil.example/x", "mailto:x"])
def test_a_malformed_location_is_still_an_unexpected_redirect(
    fault_server: ServerFactory, no_proxy_env, location
) -> None:  # type: ignore[no-untyped-def]
    server = fault_server(respond(302, b"", {"Location": location}))
    result, elapsed = check(server.url)
    assert_case(result, elapsed, Code.UNEXPECTED_RESPONSE, 302)
    assert server.connections == 1


# --- TLS ---------------------------------------------------------------------------------


TLS_CASES = {
    "untrusted_ca": ({}, False),
    "wrong_host_name": ({"host": "api.alegra.test"}, True),
    "expired": (past_validity(), True),
    "tls_1_0_only": ({"tls10": True}, True),
}


@pytest.mark.parametrize("case", list(TLS_CASES))
def test_tls_faults(
    fault_server: ServerFactory, no_env_trust, no_proxy_env, tmp_path: Path, case: str
) -> None:  # type: ignore[no-untyped-def]
    """The CA is handed over explicitly (ca_bundle) except in the untrusted case, so each
    failure is for the stated reason and not for an unknown CA."""
    kwargs, pass_ca = TLS_CASES[case]
    ca = trustme.CA(organization_name=ISSUER)
    server = fault_server(respond(200, COMPANY, JSON), tls=tls_context(ca, **kwargs))
    pem = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    result, elapsed = check(server.url, ca_bundle=str(pem) if pass_ca else None)
    assert_case(result, elapsed, Code.TLS_ERROR, None)
    assert server.requests == []  # the handshake failed: no request, no credentials
    if case == "untrusted_ca":
        assert result.tls_issuer == ISSUER
        assert ISSUER in expected_hint(result, "es").title + " ".join(
            expected_hint(result, "es").steps + expected_hint(result, "es").causes
        )


def test_tls_control_case_connects(
    fault_server: ServerFactory, no_env_trust, no_proxy_env, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """The same server with a valid certificate and its CA passed: the faults above are
    the certificate's doing, not the harness's."""
    ca = trustme.CA(organization_name=ISSUER)
    server = fault_server(respond(200, COMPANY, JSON), tls=tls_context(ca))
    pem = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    result, elapsed = check(server.url, ca_bundle=str(pem))
    assert_case(result, elapsed, Code.CONNECTED, 200)
    assert server.requests[0].headers["authorization"].startswith("Basic ")


# --- proxies -----------------------------------------------------------------------------


def _through_proxy(monkeypatch: pytest.MonkeyPatch, proxy: str) -> str:
    """HTTPS_PROXY for a loopback https target (NO_PROXY emptied so loopback is proxied too);
    the target port is closed: if the proxy were bypassed the code would differ."""
    for var in ("HTTPS_PROXY", "https_proxy"):
        monkeypatch.setenv(var, proxy)
    for var in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(var, "")
    return f"https://127.0.0.1:{closed_port()}/api/v1"


def test_proxy_answering_407(fault_server: ServerFactory, no_env_trust, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    proxy = fault_server(
        respond(407, b"auth please", {"Proxy-Authenticate": 'Basic realm="oficina"'})
    )
    url = _through_proxy(monkeypatch, proxy.origin)
    result, elapsed = check(url)
    assert_case(result, elapsed, Code.PROXY_ERROR, None)
    assert [r.method for r in proxy.requests] == ["CONNECT"]
    assert "authorization" not in proxy.requests[0].headers  # credentials only in the tunnel


def test_proxy_that_is_down(no_env_trust, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    url = _through_proxy(monkeypatch, f"http://127.0.0.1:{closed_port()}")
    result, elapsed = check(url)
    assert_case(result, elapsed, Code.PROXY_ERROR, None)


def test_proxy_that_falls_silent(fault_server: ServerFactory, no_env_trust, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    proxy = fault_server(silence())
    result, elapsed = check(_through_proxy(monkeypatch, proxy.origin))
    assert result.code in (Code.PROXY_ERROR, Code.TIMEOUT)  # either names the right place
    assert elapsed <= BOUND


# --- IPv6-only loopback ------------------------------------------------------------------

needs_ipv6 = pytest.mark.skipif(not ipv6_loopback(), reason="this machine has no ::1")


@needs_ipv6
@pytest.mark.parametrize(
    ("behaviour", "code", "status"),
    [
        (lambda: respond(200, COMPANY, JSON), Code.CONNECTED, 200),
        (lambda: respond(401, b"", JSON), Code.UNAUTHORIZED, 401),
        (silence, Code.TIMEOUT, None),
        (lambda: drip(b"HTTP/1.1 200 OK\r\nX-Slow: ", b"a"), Code.TIMEOUT, None),
        (reset_before, Code.CONNECTION_FAILED, None),
    ],
    ids=["connected", "unauthorized", "silence", "drip_headers", "reset"],
)
def test_ipv6_only_loopback(
    fault_server: ServerFactory, no_proxy_env, behaviour, code, status
) -> None:  # type: ignore[no-untyped-def]
    server = fault_server(behaviour(), host="::1")
    assert server.url.startswith("http://[::1]:")
    result, elapsed = check(server.url)
    assert_case(result, elapsed, code, status)


@needs_ipv6
def test_ipv6_refused(no_proxy_env) -> None:  # type: ignore[no-untyped-def]
    result, elapsed = check(f"http://[::1]:{closed_port('::1')}/api/v1")
    assert_case(result, elapsed, Code.CONNECTION_FAILED, None)


# --- a non-Latin-1 character in the email ------------------------------------------------


@pytest.mark.parametrize("email", ["łukasz@empresa.pl", "张伟@empresa.cn", "ana@empresá.co"])
def test_non_latin1_email_is_sent_as_utf8(fault_server: ServerFactory, no_proxy_env, email) -> None:  # type: ignore[no-untyped-def]
    server = fault_server(respond(401, b'{"code": 401, "message": "Error en autenticacion"}', JSON))
    result, elapsed = timed(lambda: check_connection(email, CANARY_TOKEN, server.url, timeout=T))
    assert_case(result, elapsed, Code.UNAUTHORIZED, 401)
    sent = server.requests[0].headers["authorization"]
    assert sent == "Basic " + base64.b64encode(f"{email}:{CANARY_TOKEN}".encode()).decode()
