"""The fault matrix's adversarial server: raw sockets on 127.0.0.1 or ::1 that do exactly
what a test says (answer, reset, fall silent, drip, flood), and record every request's
headers so a test can prove where the Authorization header did (not) go.

Behaviours are small functions of a `Conn`; the factories below cover the issue's cases.
Nothing here ever talks to a host other than the loopback. The fixtures that start and stop
servers (fault_server, no_env_trust, no_proxy_env) are in tests/faults/conftest.py.
"""

from __future__ import annotations

import contextlib
import datetime
import socket
import ssl
import struct
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import trustme

from wizard import hints, i18n
from wizard.check import CheckResult
from wizard.outcomes import Code

EMAIL = "ana@empresa.co"
JSON = {"Content-Type": "application/json"}
HTML = {"Content-Type": "text/html; charset=utf-8"}
PORTAL = b"<html><head><title>WiFi</title></head><body>Acepta los terminos</body></html>"
HTML_ERROR = b"<html><body><h1>Service Unavailable</h1></body></html>"
COMPANY = b'{"name": "Ferreteria Sur", "identification": "900"}'
ISSUER = "Inspeccion TLS de la Oficina"
LINGER_RST = struct.pack("ii", 1, 0)  # close() sends a TCP reset instead of a FIN


@dataclass
class Request:
    method: str
    target: str
    headers: dict[str, str]  # names lower-cased


@dataclass
class Conn:
    sock: socket.socket
    request: Request | None
    stop: threading.Event
    sent: list[int] = field(default_factory=lambda: [0])

    def send(self, data: bytes) -> bool:
        """False once the client has gone (or the server is stopping)."""
        if self.stop.is_set():
            return False
        try:
            self.sock.sendall(data)
        except OSError:
            return False
        self.sent[0] += len(data)
        return True

    def wait(self, seconds: float) -> bool:
        """Sleep; False if the server is stopping."""
        return not self.stop.wait(seconds)

    def reset(self) -> None:
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER_RST)
        self.sock.close()


Behaviour = Callable[[Conn], None]


def _read_request(sock: socket.socket) -> Request | None:
    sock.settimeout(5)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return None
            data += chunk
    except OSError:
        return None
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    method, target, *_ = [*head[0].split(" "), "", ""][:3]
    headers = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Request(method, target, headers)


class FaultServer:
    """One listening socket; each connection runs `behaviour` on its own thread."""

    def __init__(
        self,
        behaviour: Behaviour,
        host: str = "127.0.0.1",
        tls: ssl.SSLContext | None = None,
        read_request: bool = True,
    ) -> None:
        self.behaviour = behaviour
        self.host = host
        self.tls = tls
        self.read_request = read_request
        self.requests: list[Request] = []  # the header recorder
        self.connections = 0
        self.sent = [0]  # bytes sent, all connections together
        self.stop = threading.Event()
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._listener = socket.socket(family, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((host, 0))
        self._listener.listen(16)
        self._listener.settimeout(0.1)
        self._open: list[socket.socket] = []
        self._thread = threading.Thread(target=self._loop, name="fault-server", daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._listener.getsockname()[1])

    @property
    def origin(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    @property
    def url(self) -> str:
        """The base URL to hand the client (it appends /company)."""
        return f"{self.origin}/api/v1"

    def _loop(self) -> None:
        while not self.stop.is_set():
            try:
                sock, _ = self._listener.accept()
            except OSError:
                continue
            self.connections += 1
            self._open.append(sock)
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        try:
            if self.tls is not None:
                sock.settimeout(5)
                try:
                    sock = self.tls.wrap_socket(sock, server_side=True)
                except (OSError, ssl.SSLError):
                    return  # the client refused our certificate or protocol: that's the test
                self._open.append(sock)
            request = _read_request(sock) if self.read_request else None
            if request is not None:
                self.requests.append(request)
            conn = Conn(sock, request, self.stop, self.sent)
            self.behaviour(conn)
        finally:
            with contextlib.suppress(OSError):
                sock.close()

    def close(self) -> None:
        self.stop.set()
        self._listener.close()
        for sock in self._open:
            with contextlib.suppress(OSError):
                sock.close()
        self._thread.join(2)


ServerFactory = Callable[..., FaultServer]


def closed_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on (bound, then released)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def ipv6_loopback() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


# --- behaviours ----------------------------------------------------------------------


def http_response(
    status: int,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    reason: str = "Whatever",
) -> bytes:
    lines = [f"HTTP/1.1 {status} {reason}"]
    merged = {"Content-Length": str(len(body)), "Connection": "close", **(headers or {})}
    lines += [f"{k}: {v}" for k, v in merged.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def respond(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Behaviour:
    payload = http_response(status, body, headers)

    def behaviour(conn: Conn) -> None:
        conn.send(payload)

    return behaviour


def reset_before() -> Behaviour:
    def behaviour(conn: Conn) -> None:
        conn.reset()

    return behaviour


def reset_mid(partial: bytes) -> Behaviour:
    def behaviour(conn: Conn) -> None:
        conn.send(partial)
        conn.wait(0.05)
        conn.reset()

    return behaviour


def silence() -> Behaviour:
    def behaviour(conn: Conn) -> None:
        conn.wait(30)

    return behaviour


def drip(head: bytes, byte: bytes = b" ", every: float = 0.2) -> Behaviour:
    """Send `head`, then one byte every `every` seconds for ever: each read is quick."""

    def behaviour(conn: Conn) -> None:
        if not conn.send(head):
            return
        while conn.wait(every) and conn.send(byte):
            pass

    return behaviour


def flood(total: int, block: int = 65536) -> Behaviour:
    """A 200 promising `total` bytes of JSON-ish body, sent as fast as the client reads."""

    def behaviour(conn: Conn) -> None:
        head = http_response(200, headers={"Content-Length": str(total)})
        if not conn.send(head):
            return
        chunk = b" " * block
        left = total
        while left > 0 and conn.send(chunk[: min(block, left)]):
            left -= block

    return behaviour


# --- assertions ------------------------------------------------------------------------


def expected_hint(result: CheckResult, lang: str) -> hints.Hint:
    """The hint the CLI and the GUI render for `result` (same arguments as they pass)."""
    variant = "user" if result.can_read_company is False else None
    reset = result.rate_limit.reset_s if result.rate_limit is not None else None
    return hints.hint_for(
        result.code, lang, variant=variant, seconds=reset, issuer=result.tls_issuer
    )


def assert_hint(result: CheckResult) -> None:
    """A failure has a real catalog entry in both languages: a title and steps."""
    if result.code is Code.CONNECTED:
        return
    assert i18n.has(f"hint.{result.code.value}.title"), result.code
    for lang in i18n.LANGS:
        hint = expected_hint(result, lang)
        assert hint.title and not hint.title.startswith("hint."), (lang, hint)
        assert hint.steps, (lang, result.code)


def timed(fn: Callable[[], CheckResult]) -> tuple[CheckResult, float]:
    start = time.monotonic()
    result = fn()
    return result, time.monotonic() - start


# --- TLS ---------------------------------------------------------------------------------


def tls_context(
    ca: trustme.CA, host: str = "127.0.0.1", tls10: bool = False, **cert: object
) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert(host, **cert).configure_cert(context)  # type: ignore[arg-type]
    if tls10:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            context.set_ciphers("DEFAULT:@SECLEVEL=0")
            context.minimum_version = ssl.TLSVersion.TLSv1
            context.maximum_version = ssl.TLSVersion.TLSv1
    return context


def past_validity() -> dict[str, object]:
    """Certificate dates that ended in 2020: an expired certificate."""
    end = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    return {"not_before": end - datetime.timedelta(days=30), "not_after": end}
