"""wizard.transport: the hardened requests Session, against real servers on loopback (raw
sockets, trustme certificates, a real CONNECT proxy behind TLS). The fault matrix
(tests/faults/test_network_faults.py, test_trust_faults.py, test_kept_connection.py) holds
the guarantees end to end; this file holds what only the transport itself can show.
"""

from __future__ import annotations

import contextlib
import select
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import trustme
import urllib3

from tests.helpers import CANARY_TOKEN
from tests.helpers.faultserver import (
    COMPANY,
    EMAIL,
    ISSUER,
    JSON,
    Conn,
    FaultServer,
    ServerFactory,
    closed_port,
    http_response,
    respond,
    timed,
    tls_context,
)
from wizard import transport
from wizard.check import check_connection
from wizard.outcomes import Code
from wizard.request import BadRequest, Request
from wizard.tls import certificate_issuer

T = 1.5
BOUND = T + 1.0


@pytest.fixture
def fault_server() -> Iterator[ServerFactory]:
    made: list[FaultServer] = []

    def make(behaviour, **kw):  # type: ignore[no-untyped-def]
        made.append(FaultServer(behaviour, **kw))
        return made[-1]

    yield make
    for server in made:
        server.close()


@pytest.fixture
def ca(tmp_path: Path) -> tuple[trustme.CA, str]:
    authority = trustme.CA(organization_name=ISSUER)
    pem = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(pem))
    return authority, str(pem)


def _clear_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY",
                "all_proxy", "NO_PROXY", "no_proxy"):  # fmt: skip
        monkeypatch.delenv(var, raising=False)


# --- the wire -----------------------------------------------------------------------------
def test_exactly_our_headers_go_on_the_wire(fault_server, no_proxy_env) -> None:  # type: ignore[no-untyped-def]
    server = fault_server(respond(200, COMPANY, JSON))
    result = check_connection(EMAIL, CANARY_TOKEN, server.url, timeout=T)
    assert result.code is Code.CONNECTED
    first = server.requests[0]
    assert set(first.headers) == {"host", "user-agent", "accept", "accept-encoding",
                                  "authorization"}  # fmt: skip
    assert first.headers["accept-encoding"] == "identity"
    assert first.headers["accept"] == "application/json"
    assert first.headers["host"] == f"127.0.0.1:{server.port}"


def test_localhost_is_sent_to_a_checked_address_with_its_own_name_as_host(
    fault_server, no_proxy_env
) -> None:  # type: ignore[no-untyped-def]
    server = fault_server(respond(401, b"{}", JSON))
    url = f"http://localhost:{server.port}/api/v1"
    assert check_connection(EMAIL, CANARY_TOKEN, url, timeout=T).code is Code.UNAUTHORIZED
    assert server.requests[0].headers["host"] == f"localhost:{server.port}"


def test_a_request_is_checked_once_when_built() -> None:
    """The URL, timeout and email rules hold when a Request is made: a holder may send it."""
    for url, timeout, email, problem in [
        ("http://example.com/api/v1", 5, "a@b.co", "insecure_url"),
        ("https://api.alegra.com/api/v1?x=1", 5, "a@b.co", "bad_url"),
        ("https://api.alegra.com/api/v1", float("inf"), "a@b.co", "bad_timeout"),
        ("https://api.alegra.com/api/v1", 5, "a:b@c.co", "colon_in_email"),
    ]:
        with pytest.raises(BadRequest) as refused:
            Request(url, email, CANARY_TOKEN, timeout)
        assert refused.value.problem == problem
    request = Request("https://api.alegra.com/api/v1/", EMAIL, CANARY_TOKEN, 5)
    assert request.url("/company") == "https://api.alegra.com/api/v1/company"
    assert CANARY_TOKEN not in repr(request)
    assert request.credentials() == transport.auth_headers(EMAIL, CANARY_TOKEN)
    assert Request("https://api.alegra.com/api/v1").credentials() == {}


# --- the deadline -------------------------------------------------------------------------
def test_a_tls_handshake_that_drips_ends_at_the_deadline(
    fault_server, no_env_trust, no_proxy_env, ca
) -> None:  # type: ignore[no-untyped-def]
    """A server that answers the ClientHello with a record header announcing 16 KiB, then
    a byte every 0.2 s: no socket read ever times out, the watchdog still ends it."""

    def drip_handshake(conn: Conn) -> None:
        if conn.send(b"\x16\x03\x03\x40\x00"):
            while conn.wait(0.2) and conn.send(b"\x02"):
                pass

    server = fault_server(drip_handshake, read_request=False)
    url = f"https://127.0.0.1:{server.port}/api/v1"
    result, elapsed = timed(lambda: check_connection(EMAIL, CANARY_TOKEN, url, timeout=T,
                                                     ca_bundle=ca[1]))  # fmt: skip
    assert result.code is Code.TIMEOUT, result
    assert elapsed <= BOUND


def test_cancel_stops_a_body_between_reads(fault_server, no_proxy_env) -> None:  # type: ignore[no-untyped-def]
    cancel = threading.Event()

    def slow_body(conn: Conn) -> None:
        if conn.send(http_response(200, headers={**JSON, "Content-Length": "1000"}) + b"{"):
            cancel.set()
            while conn.wait(0.1) and conn.send(b" "):
                pass

    server = fault_server(slow_body)
    request = Request(server.url, EMAIL, CANARY_TOKEN, 10, cancel=cancel)
    start = time.monotonic()
    with pytest.raises(transport.Cancelled), transport.Client() as client:
        client.send(request, "/company")
    assert time.monotonic() - start < 2


# --- trust --------------------------------------------------------------------------------
def test_a_given_ca_bundle_is_the_only_trust(fault_server, no_env_trust, no_proxy_env, ca) -> None:  # type: ignore[no-untyped-def]
    """requests' own verify step would load certifi's bundle into our context: only the
    given CA may be in it, before and after a request."""
    authority, pem = ca
    server = fault_server(respond(200, COMPANY, JSON), tls=tls_context(authority))
    with transport.Client() as client:
        answer = client.send(Request(server.url, timeout=T, ca_bundle=pem), "/company")
        context = client.session(pem).get_adapter(server.url).tls  # type: ignore[attr-defined]
    assert answer.status == 200
    assert len(context.get_ca_certs()) == 1
    assert context.minimum_version == ssl.TLSVersion.TLSv1_2


def test_the_issuer_is_read_from_the_certificate(fault_server, no_env_trust, ca) -> None:  # type: ignore[no-untyped-def]
    authority, _ = ca
    server = fault_server(respond(200, COMPANY, JSON), tls=tls_context(authority))
    assert certificate_issuer("127.0.0.1", server.port) == ISSUER
    assert certificate_issuer("127.0.0.1", closed_port()) is None


# --- proxies ------------------------------------------------------------------------------
def _connect_proxy(tls: ssl.SSLContext | None, seen: list[str]) -> socket.socket:
    """A CONNECT proxy on 127.0.0.1 (behind TLS when `tls` is given) that records each
    request head and pipes the tunnel."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)

    def pipe(a: socket.socket, b: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while True:
                ready, _, _ = select.select([a, b], [], [], 10)
                if not ready:
                    return
                for src in ready:
                    dst = b if src is a else a
                    data = src.recv(65536)
                    if not data:
                        return
                    dst.sendall(data)
                    while isinstance(src, ssl.SSLSocket) and src.pending():
                        dst.sendall(src.recv(src.pending()))

    def serve() -> None:
        with contextlib.suppress(OSError):
            while True:
                client, _ = listener.accept()
                if tls is not None:
                    client = tls.wrap_socket(client, server_side=True)
                head = b""
                while b"\r\n\r\n" not in head:
                    head += client.recv(4096)
                seen.append(head.decode("latin-1"))
                host, _, port = head.decode("latin-1").split(" ")[1].rpartition(":")
                upstream = socket.create_connection((host, int(port)), timeout=10)
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    return listener


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_https_goes_through_an_http_or_https_proxy(
    fault_server, no_env_trust, monkeypatch, ca, scheme
) -> None:  # type: ignore[no-untyped-def]
    """An https:// proxy (TLS to the proxy, then TLS to the server inside the tunnel)
    works as an http:// one does; the proxy sees the CONNECT and never our credentials."""
    authority, pem = ca
    server = fault_server(respond(200, COMPANY, JSON), tls=tls_context(authority))
    seen: list[str] = []
    proxy = _connect_proxy(tls_context(authority) if scheme == "https" else None, seen)
    _clear_proxies(monkeypatch)
    monkeypatch.setenv("HTTPS_PROXY", f"{scheme}://127.0.0.1:{proxy.getsockname()[1]}")
    try:
        result, elapsed = timed(
            lambda: check_connection(EMAIL, CANARY_TOKEN, server.url, timeout=T, ca_bundle=pem)
        )
    finally:
        proxy.close()
    assert result.code is Code.CONNECTED, result
    assert elapsed <= BOUND
    # One tunnel per connection (this server closes after each answer).
    assert len(seen) == server.connections
    assert all(head.startswith(f"CONNECT 127.0.0.1:{server.port} ") for head in seen)
    assert CANARY_TOKEN not in "".join(seen) and "\nauthorization" not in "".join(seen).lower()
    assert server.requests[0].headers["authorization"] == transport.basic_header(
        EMAIL, CANARY_TOKEN
    )


@pytest.mark.parametrize("proxy", ["socks5://127.0.0.1:{port}", "socks4://127.0.0.1:{port}",
                                   "socks5h://127.0.0.1:{port}"])  # fmt: skip
def test_a_socks_proxy_is_a_clear_proxy_error(
    fault_server, no_env_trust, monkeypatch, proxy
) -> None:  # type: ignore[no-untyped-def]
    listener = fault_server(respond(200, COMPANY, JSON))
    _clear_proxies(monkeypatch)
    monkeypatch.setenv("HTTPS_PROXY", proxy.format(port=listener.port))
    result = check_connection(EMAIL, CANARY_TOKEN, "https://api.alegra.test/api/v1", timeout=T)
    assert result.code is Code.PROXY_ERROR, result
    assert listener.connections == 0


def test_no_proxy_wins_for_https(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _clear_proxies(monkeypatch)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.oficina:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.0/8,.alegra.test")
    assert transport.proxies_for("https://127.0.0.1:8443/api/v1") == {}
    assert transport.proxies_for("https://api.alegra.test/api/v1") == {}
    assert transport.proxies_for("https://api.alegra.com/api/v1") == {
        "https": "http://proxy.oficina:3128"
    }


def test_proxy_errors_are_told_by_their_types_not_their_texts() -> None:
    """A proxy's refusal is known from requests' and urllib3's exception types; a text
    that merely mentions "407" and "Proxy" is no proxy error."""
    tunnel = urllib3.exceptions.ProxyError("Unable to connect to proxy", OSError("refused"))
    wrapped = requests.exceptions.ProxyError(urllib3.exceptions.MaxRetryError(None, "/", tunnel))
    assert transport.classify(wrapped) is Code.PROXY_ERROR
    assert transport.classify(transport.ProxyError("socks")) is Code.PROXY_ERROR
    lookalike = requests.exceptions.ConnectionError("HTTP 407 Proxy Authentication Required")
    assert transport.classify(lookalike) is Code.CONNECTION_FAILED
    refused = urllib3.exceptions.NewConnectionError(None, "refused")  # type: ignore[arg-type]
    assert transport.classify(requests.exceptions.ConnectionError(refused)) is (
        Code.CONNECTION_FAILED
    )
    assert transport.classify(requests.exceptions.ReadTimeout()) is Code.TIMEOUT
    assert transport.classify(requests.exceptions.SSLError()) is Code.TLS_ERROR
    dns = urllib3.exceptions.NameResolutionError("x", None, socket.gaierror())  # type: ignore[arg-type]
    assert transport.classify(requests.exceptions.ConnectionError(dns)) is Code.DNS_FAILURE


# --- SSL_CERT_FILE / SSL_CERT_DIR: the OS's configuration on Linux -------------------------
def _doctor_trust(url: str, **kw: object) -> dict[str, object]:
    from wizard.doctor import Doctor

    doctor = Doctor(base_url=url, store=None, offline=True, **kw)  # type: ignore[arg-type]
    (item,) = doctor.check_trust()
    assert item.facts is not None
    return {**item.facts["trust"], "detail": item.detail}


def test_ssl_cert_file_is_honoured_as_the_systems_trust(
    fault_server, no_env_trust, no_proxy_env, monkeypatch, ca
) -> None:  # type: ignore[no-untyped-def]
    """Without a CA bundle the check trusts the OS store, which on Linux SSL_CERT_FILE
    replaces for every program (an office's inspecting proxy's CA is installed that way);
    the doctor names it."""
    authority, pem = ca
    server = fault_server(respond(200, COMPANY, JSON), tls=tls_context(authority))
    assert check_connection(EMAIL, CANARY_TOKEN, server.url, timeout=T).code is Code.TLS_ERROR
    assert _doctor_trust(server.url)["store"] == "system"
    monkeypatch.setenv("SSL_CERT_FILE", pem)
    assert check_connection(EMAIL, CANARY_TOKEN, server.url, timeout=T).code is Code.CONNECTED
    trust = _doctor_trust(server.url, lang="en")
    assert (trust["store"], trust["variable"], trust["path"]) == (
        "environment",
        "SSL_CERT_FILE",
        pem,
    )
    assert (
        trust["detail"]
        == f"We trust the certificates SSL_CERT_FILE names ({pem}), as the rest of the system does."
    )


def test_ssl_cert_dir_is_honoured_too(
    fault_server, no_env_trust, no_proxy_env, monkeypatch, ca, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    import shutil
    import subprocess

    authority, pem = ca
    server = fault_server(respond(200, COMPANY, JSON), tls=tls_context(authority))
    folder = tmp_path / "certs"
    folder.mkdir()
    shutil.copy(pem, folder / "office.pem")
    subprocess.run(["openssl", "rehash", str(folder)], check=True, capture_output=True)
    monkeypatch.setenv("SSL_CERT_DIR", str(folder))
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "none.pem"))  # no file: the folder
    assert check_connection(EMAIL, CANARY_TOKEN, server.url, timeout=T).code is Code.CONNECTED


def test_a_given_ca_bundle_wins_over_ssl_cert_file(
    fault_server, no_env_trust, no_proxy_env, monkeypatch, ca, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """--ca-bundle means only that bundle: the environment's store is not added to it."""
    authority, pem = ca
    server = fault_server(respond(200, COMPANY, JSON), tls=tls_context(authority))
    other = tmp_path / "other.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    monkeypatch.setenv("SSL_CERT_FILE", pem)
    result = check_connection(EMAIL, CANARY_TOKEN, server.url, timeout=T, ca_bundle=str(other))
    assert result.code is Code.TLS_ERROR
    trust = _doctor_trust(server.url, ca_bundle=str(other))
    assert (trust["store"], trust["path"]) == ("bundle", str(other))
