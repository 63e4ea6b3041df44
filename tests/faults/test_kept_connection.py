"""One check, one connection: GET /company and GET /users/self share the connection
wizard.transport.Client keeps (issue 14: the second request paid a new connection and
session). The rules still hold on the kept connection: the overall deadline (the watchdog)
covers the second request too, a connection the server closed is replaced by a new one, a
connection is reused only for the same host and port, and the CLI's check speaks HTTP
through requests.
"""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import trustme

from tests.helpers import CANARY_TOKEN, ROOT
from tests.helpers.faultserver import (
    COMPANY,
    EMAIL,
    JSON,
    Conn,
    Request,
    ServerFactory,
    _read_request,
    http_response,
    timed,
    tls_context,
)
from wizard import transport
from wizard.check import User, check_connection
from wizard.outcomes import Code

T = 1.5
BOUND = T + 1.0
USER = b'{"name": "Ana", "email": "ana@empresa.co", "role": "admin"}'
KEEP = {**JSON, "Connection": "keep-alive"}


def _next_request(conn: Conn, requests: list[Request]) -> Request | None:
    """The next request on the same connection (the server read the first one); None once
    the client (or the server's close) ended it."""
    try:
        request = _read_request(conn.sock)
    except OSError:
        return None
    if request is not None:
        requests.append(request)
    return request


def _answer(target: str) -> bytes:
    if target.endswith("/users/self"):
        return http_response(200, USER, KEEP)
    # Alegra sets a session cookie: no cookie jar, so it never comes back on the kept
    # connection's next request.
    return http_response(200, COMPANY, {**KEEP, "Set-Cookie": "PHPSESSID=abc; path=/"})


def test_company_and_users_self_share_one_connection(
    fault_server: ServerFactory, no_proxy_env: None
) -> None:
    def keep_alive(conn: Conn) -> None:
        request = conn.request
        while request is not None and conn.send(_answer(request.target)):
            request = _next_request(conn, server.requests)

    server = fault_server(keep_alive)
    result, elapsed = timed(lambda: check_connection(EMAIL, CANARY_TOKEN, server.url, timeout=T))
    assert result.code is Code.CONNECTED
    assert result.user == User("Ana", "ana@empresa.co", "admin")
    assert [r.target for r in server.requests] == ["/api/v1/company", "/api/v1/users/self"]
    assert server.connections == 1
    ours = transport.basic_header(EMAIL, CANARY_TOKEN)
    assert {r.headers["authorization"] for r in server.requests} == {ours}
    assert not any("cookie" in r.headers for r in server.requests)
    assert elapsed <= BOUND


def test_the_deadline_covers_the_second_request_on_the_kept_connection(
    fault_server: ServerFactory, no_proxy_env: None
) -> None:
    """/users/self drips its headers on the kept connection: the watchdog of that request
    still ends it (the check stays `connected`, without the user) within the bound."""

    def then_drip(conn: Conn) -> None:
        if not conn.send(_answer("/company")):
            return
        if _next_request(conn, server.requests) is None:
            return
        if conn.send(b"HTTP/1.1 200 OK\r\nX-Slow: "):
            while conn.wait(0.2) and conn.send(b"a"):
                pass

    server = fault_server(then_drip)
    result, elapsed = timed(lambda: check_connection(EMAIL, CANARY_TOKEN, server.url, timeout=T))
    assert (result.code, result.user) == (Code.CONNECTED, None)
    assert [r.target for r in server.requests] == ["/api/v1/company", "/api/v1/users/self"]
    assert server.connections == 1
    assert elapsed <= BOUND, f"{elapsed:.2f} s"


def test_a_kept_connection_the_server_closed_is_replaced(
    fault_server: ServerFactory, no_proxy_env: None
) -> None:
    """The server answers /company as keep-alive, then closes: /users/self goes on a new
    connection (not a failure on the dead one)."""

    closed = threading.Event()

    def answer_then_close(conn: Conn) -> None:
        if conn.request is not None:
            conn.send(_answer(conn.request.target))
            conn.sock.close()  # a FIN, on loopback in the client's socket at once
            closed.set()

    server = fault_server(answer_then_close)

    def check() -> object:
        with transport.Client() as client:
            first = transport.fetch(
                f"{server.url}/company", timeout=T, ca_bundle=None,
                deadline=_deadline(), client=client,
            )  # fmt: skip
            assert closed.wait(5)  # the server has closed its side
            second = transport.fetch(
                f"{server.url}/users/self", timeout=T, ca_bundle=None,
                deadline=_deadline(), client=client,
            )  # fmt: skip
        return first.status, second.status, second.body

    assert check() == (200, 200, USER)
    assert server.connections == 2


def test_a_connection_is_kept_only_for_its_own_host_and_port(
    fault_server: ServerFactory, no_proxy_env: None
) -> None:
    def keep_alive(conn: Conn) -> None:
        request = conn.request
        while request is not None and conn.send(_answer(request.target)):
            request = _next_request(conn, conn_requests)

    conn_requests: list[Request] = []
    one, two = fault_server(keep_alive), fault_server(keep_alive)
    with transport.Client() as client:
        for url in (one.url, two.url, one.url):
            answer = transport.fetch(
                f"{url}/company", headers={"Authorization": url}, timeout=T, ca_bundle=None,
                deadline=_deadline(), client=client,
            )  # fmt: skip
            assert answer.status == 200
    assert (one.connections, two.connections) == (1, 1)
    seen = [r.headers["authorization"] for r in one.requests + two.requests + conn_requests]
    assert sorted(seen) == sorted([one.url, two.url, one.url])


def _deadline() -> float:
    return time.monotonic() + T


def test_the_cli_check_speaks_http_through_requests(fault_server: ServerFactory) -> None:
    """requests (over urllib3) is the HTTP layer: the CLI's check loads it, and its
    answers still come back as the check's JSON."""

    def keep_alive(conn: Conn) -> None:
        request = conn.request
        while request is not None and conn.send(_answer(request.target)):
            request = _next_request(conn, server.requests)

    server = fault_server(keep_alive)
    code = (
        "import sys\n"
        "from wizard import launch\n"
        "try:\n"
        "    launch.main(sys.argv[1:])\n"
        "finally:\n"
        "    layer = ('requests', 'urllib3', 'truststore')\n"
        "    print(sorted(m for m in layer if m in sys.modules), file=sys.stderr)\n"
    )
    args = ["check", "--json", "--base-url", server.url, "--email", EMAIL, "--token-stdin"]
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], input=CANARY_TOKEN, capture_output=True,
        text=True, cwd=ROOT, timeout=30, check=False,
    )  # fmt: skip
    assert json.loads(proc.stdout)["code"] == "connected", proc.stdout + proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last == "['requests', 'truststore', 'urllib3']", proc.stderr
    assert [r.target for r in server.requests] == ["/api/v1/company", "/api/v1/users/self"]


def test_an_answer_sent_in_two_writes_is_not_held_by_a_delayed_ack(
    fault_server: ServerFactory, no_proxy_env: None
) -> None:
    """A server writing an answer's headers and body in two sends with Nagle on (as the
    sandbox's http.server does) holds the body until the headers are ACKed; Linux delays
    that ACK by at least 40 ms on a kept connection unless the client asks for a quick ACK.
    Five requests on one connection: the fastest of them must not have waited for it."""

    def two_writes(conn: Conn) -> None:
        request = conn.request
        while request is not None:
            head = http_response(200, headers={**KEEP, "Content-Length": str(len(USER))})
            if not (conn.send(head) and conn.send(USER)):
                return
            request = _next_request(conn, server.requests)

    server = fault_server(two_writes)
    times = []
    with transport.Client() as client:
        for _ in range(6):
            start = time.monotonic()
            answer = transport.fetch(
                f"{server.url}/users/self", timeout=T, ca_bundle=None, deadline=_deadline(),
                client=client,
            )  # fmt: skip
            times.append(time.monotonic() - start)
            assert answer.body == USER
    assert server.connections == 1
    assert min(times[1:]) < 0.030, [f"{t * 1000:.1f} ms" for t in times]


def test_a_kept_connection_closed_as_it_is_reused_is_retried_once_on_a_new_one(
    fault_server: ServerFactory, no_proxy_env: None
) -> None:
    """The server reads the second request on the kept connection and closes without an
    answer (its keep-alive ran out just then): one retry on a new connection answers."""
    served = {"connections": 0}

    def close_on_reuse(conn: Conn) -> None:
        served["connections"] += 1
        request = conn.request
        if request is None or not conn.send(_answer(request.target)):
            return
        if served["connections"] == 1:
            _next_request(conn, server.requests)  # read it, then close: no answer
            return
        while request is not None and conn.send(_answer(request.target)):
            request = _next_request(conn, server.requests)

    server = fault_server(close_on_reuse)
    result, elapsed = timed(lambda: check_connection(EMAIL, CANARY_TOKEN, server.url, timeout=T))
    assert (result.code, result.user) == (Code.CONNECTED, User("Ana", "ana@empresa.co", "admin"))
    targets = [r.target for r in server.requests]
    assert targets == ["/api/v1/company", "/api/v1/users/self", "/api/v1/users/self"]
    assert server.connections == 2
    assert elapsed <= BOUND


def _tunnel_proxy(seen: list[str]) -> socket.socket:
    """A CONNECT proxy on 127.0.0.1 that records each request head and pipes the tunnel."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)

    def pipe(src: socket.socket, dst: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)

    def serve() -> None:
        with contextlib.suppress(OSError):
            while True:
                client, _ = listener.accept()
                head = b""
                while b"\r\n\r\n" not in head:
                    head += client.recv(4096)
                text = head.decode("latin-1")
                seen.append(text)
                host, _, port = text.split(" ")[1].rpartition(":")
                upstream = socket.create_connection((host, int(port)), timeout=10)
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                for a, b in ((client, upstream), (upstream, client)):
                    threading.Thread(target=pipe, args=(a, b), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    return listener


@pytest.mark.parametrize("proxied", [False, True], ids=["direct", "through_a_proxy"])
def test_https_company_and_users_self_share_one_tls_connection(
    fault_server: ServerFactory, no_env_trust, no_proxy_env, monkeypatch, tmp_path: Path, proxied
) -> None:  # type: ignore[no-untyped-def]
    """Over TLS (the CA passed explicitly), directly and through an https proxy's CONNECT
    tunnel: one connection, one handshake, both requests on it; the proxy sees the CONNECT
    (with the proxy URL's own credentials) and never our Authorization header."""

    def keep_alive(conn: Conn) -> None:
        request = conn.request
        while request is not None and conn.send(_answer(request.target)):
            request = _next_request(conn, server.requests)

    ca = trustme.CA()
    server = fault_server(keep_alive, tls=tls_context(ca))
    pem = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    seen: list[str] = []
    if proxied:
        proxy = _tunnel_proxy(seen)
        port = proxy.getsockname()[1]
        monkeypatch.setenv("HTTPS_PROXY", f"http://ofi%40cina:cl%3Ave@127.0.0.1:{port}")
        for var in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(var, raising=False)
    try:
        result, elapsed = timed(
            lambda: check_connection(EMAIL, CANARY_TOKEN, server.url, timeout=T, ca_bundle=str(pem))
        )
    finally:
        if proxied:
            proxy.close()
    assert (result.code, result.user) == (Code.CONNECTED, User("Ana", "ana@empresa.co", "admin"))
    assert [r.target for r in server.requests] == ["/api/v1/company", "/api/v1/users/self"]
    assert server.connections == 1
    assert elapsed <= BOUND
    if proxied:
        # HTTP/1.0 from Python 3.11's http.client (which urllib3 tunnels with), 1.1 later.
        assert len(seen) == 1 and seen[0].startswith(f"CONNECT 127.0.0.1:{server.port} HTTP/1.")
        proxy_auth = "Basic " + base64.b64encode(b"ofi@cina:cl:ve").decode()
        assert f"Proxy-Authorization: {proxy_auth}" in seen[0]
        assert "authorization: basic" not in seen[0].lower().replace("proxy-authorization", "")
        assert CANARY_TOKEN not in seen[0]
    else:
        assert seen == []
