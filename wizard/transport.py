"""The HTTP transport every request to Alegra (or to the doctor's host) goes through. Qt-free.

Built on the standard library's http.client, which by itself reads no ~/.netrc, no proxy or
CA bundle variables, keeps no cookies and follows no redirect: there is nothing to turn off.
What it guarantees, whatever the environment says:
- exactly the headers we pass go on the wire: a `~/.netrc`, `$NETRC` or a netrc `default`
  entry can never replace (or add) an Authorization header, and REQUESTS_CA_BUNDLE /
  SSL_CERT_FILE never silently replace the OS trust store;
- plain http only to loopback, never through a proxy: an IP literal, or `localhost` when
  every address it resolves to is loopback (resolved once, before connecting, and the
  connection goes to those checked addresses: no second lookup that could differ);
- https honours the proxies of the environment and the OS settings (and NO_PROXY), through
  an http:// proxy's CONNECT tunnel;
- TLS 1.2 or later, the OS trust store (truststore) unless a CA bundle is given, the host
  name checked;
- no redirects followed, no cookie jar, an overall deadline (a watchdog shuts the sockets
  down, also while a TLS handshake, a status line or headers drip in) and a body size cap.
A `Client` keeps one connection open between the requests of one check (GET /company then
GET /users/self: the second pays no new connection or handshake); it is reused only for
the same scheme, host, port, checked addresses, proxy and CA bundle.
http.client and truststore are imported inside the functions so the GUI's first window
doesn't wait for them.
"""

from __future__ import annotations

import base64
import contextlib
import ipaddress
import logging
import math
import os
import socket
import ssl
import threading
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from wizard.outcomes import Code
from wizard.record import record
from wizard.version import USER_AGENT

DEFAULT_BASE_URL = "https://api.alegra.com/api/v1"
MAX_BODY = 2 * 1024 * 1024
# Accepted timeouts, in seconds: more than 0, at most MAX_TIMEOUT_S, finite. Beyond that a
# timer or a socket timeout overflows (inf, 1e300) and nobody waits ten minutes anyway.
MAX_TIMEOUT_S = 600.0
LOOPBACK_NAMES = frozenset({"localhost"})
# One debug line per request (method, where, status, new or kept connection): never a
# header, a body or the user info (validate_base_url refuses URLs with one).
log = logging.getLogger(__name__)


# --- input rules (pure: no network) -------------------------------------------------------
def validate_timeout(seconds: object) -> str | None:
    """None when `seconds` is a usable timeout (0 < s <= MAX_TIMEOUT_S); else "bad_timeout"."""
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        return "bad_timeout"
    if not math.isfinite(seconds) or not 0 < seconds <= MAX_TIMEOUT_S:
        return "bad_timeout"
    return None


def is_loopback_literal(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_base_url(url: str) -> str | None:
    """None when usable; else a problem id ("bad_url", "insecure_url"). Plain http only to
    a loopback IP literal or `localhost` (whose addresses are checked again at connect
    time). No user info, query, fragment, odd characters or invalid port: they would be
    sent somewhere else than what the user sees, or not at all."""
    if not isinstance(url, str) or not url or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return "bad_url"
    if "?" in url or "#" in url:
        return "bad_url"
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for :abc, :99999, :-1
    except ValueError:
        return "bad_url"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "bad_url"
    if "@" in parts.netloc or port == 0:
        return "bad_url"
    if parts.netloc.endswith(":"):  # "host:" with an empty port
        return "bad_url"
    host = parts.hostname
    if parts.scheme == "http" and not (is_loopback_literal(host) or host in LOOPBACK_NAMES):
        return "insecure_url"
    return None


def basic_header(email: str, token: str) -> str:
    """From UTF-8 bytes (requests' own Basic auth encodes Latin-1)."""
    return "Basic " + base64.b64encode(f"{email}:{token}".encode()).decode("ascii")


def auth_headers(email: str, token: str) -> dict[str, str]:
    """The headers that carry the credentials: the check's and the probe's requests."""
    return {"Authorization": basic_header(email, token)}


# --- what may fail ------------------------------------------------------------------------
class Cancelled(Exception):
    """The caller's cancel event was set."""


class NotLoopback(Exception):
    """A plain-http name resolved to at least one address that is not loopback."""


class BadRequest(Exception):
    """The URL or timeout breaks the rules above: nothing was sent."""


class ProxyError(Exception):
    """The https proxy could not be reached, refused the tunnel (e.g. 407) or is of a kind
    we don't speak (only http:// proxies' CONNECT)."""


def resolve_loopback(host: str, port: int) -> list[str]:
    """The addresses to connect to for plain http to `host`: the literal itself, or every
    address the name resolves to when all are loopback. Raises NotLoopback (nothing sent) or
    socket.gaierror."""
    if is_loopback_literal(host):
        return [host]
    if host not in LOOPBACK_NAMES:
        raise NotLoopback(host)
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[str] = []
    for info in infos:
        address = str(info[4][0]).split("%", 1)[0]
        if not is_loopback_literal(address):
            raise NotLoopback(host)
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise NotLoopback(host)
    return addresses


def classify(exc: BaseException) -> Code:
    """An outcome code for a transport exception (socket, ssl and http.client errors)."""
    if isinstance(exc, NotLoopback | BadRequest):
        return Code.INVALID_INPUT
    chain: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and len(chain) < 12:
        chain.append(cur)
        cur = cur.__cause__ or cur.__context__
    text = " ".join(repr(e) for e in chain)
    if isinstance(exc, ProxyError) or ("407" in text and "Proxy" in text):
        return Code.PROXY_ERROR
    if any(isinstance(e, ssl.SSLError | ssl.CertificateError) for e in chain):
        return Code.TLS_ERROR
    if any(isinstance(e, TimeoutError | socket.timeout) for e in chain):
        return Code.TIMEOUT
    if any(isinstance(e, socket.gaierror) for e in chain):
        return Code.DNS_FAILURE
    return Code.CONNECTION_FAILED


# --- the deadline -------------------------------------------------------------------------
class Watchdog:
    """Shuts the request's sockets down at the overall deadline. The per-read timeout never
    trips on a server that drips a byte a second, and while the status line and headers
    are read (or a TLS handshake runs) the caller's own clock can't look: this can."""

    def __init__(self, deadline: float) -> None:
        self.fired = False
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self.fire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        # A duplicate descriptor of the TCP socket: shutting it down ends the connection
        # under a TLS socket too (which can't be duplicated itself).
        with self._lock:
            self._socks.append(sock.dup())
            if self.fired:
                self._shutdown(self._socks[-1])

    @staticmethod
    def _shutdown(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)

    def fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._socks:
                self._shutdown(sock)

    def stop(self) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._socks:
                sock.close()
            self._socks.clear()


# --- proxies and TLS ----------------------------------------------------------------------
def _no_proxy_match(host: str, port: int | None) -> bool:
    """NO_PROXY / no_proxy says to go direct (as requests reads it: suffixes, host:port,
    and CIDR ranges for IPv4 literals), or the OS bypass list does."""
    import urllib.request

    no_proxy = os.environ.get("no_proxy") or os.environ.get("NO_PROXY")
    if no_proxy:
        entries = [e for e in no_proxy.replace(" ", "").split(",") if e]
        try:
            address = ipaddress.IPv4Address(host)
        except ValueError:
            address = None
        if address is not None:
            for entry in entries:
                if "/" in entry:
                    with contextlib.suppress(ValueError):
                        if address in ipaddress.IPv4Network(entry, strict=False):
                            return True
                elif host == entry:
                    return True
        else:
            with_port = f"{host}:{port}" if port else host
            if any(host.endswith(e) or with_port.endswith(e) for e in entries):
                return True
    try:
        return bool(urllib.request.proxy_bypass(host))
    except (TypeError, OSError):
        return False


def proxies_for(url: str) -> dict[str, str]:
    """The proxies for `url`: none for plain http (only ever loopback: never through a
    proxy, which would read the credentials in clear and could forge an answer); for https,
    the environment's and the OS's proxies unless NO_PROXY (or the OS bypass list) says
    otherwise."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return {}
    import urllib.request

    if _no_proxy_match(parts.hostname, parts.port):
        return {}
    found = urllib.request.getproxies()
    return {k: v for k, v in found.items() if k in ("https", "all") or k.startswith("https:")}


@record
class _Proxy:
    host: str
    port: int
    headers: tuple[tuple[str, str], ...]  # Proxy-Authorization from the URL's user info


def _proxy_route(url: str) -> _Proxy | None:
    """The http:// proxy an https request to `url` goes through, or None to go direct."""
    found = proxies_for(url)
    chosen = found.get("https") or found.get("all")
    if not chosen:
        return None
    try:
        parts = urlsplit(chosen if "://" in chosen else f"http://{chosen}")
        port = parts.port or 80
    except ValueError as exc:
        raise ProxyError("malformed proxy URL") from exc
    if parts.scheme != "http" or not parts.hostname:
        raise ProxyError(f"unsupported proxy scheme {parts.scheme!r}")
    headers: tuple[tuple[str, str], ...] = ()
    if parts.username is not None:
        pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        try:
            raw = pair.encode("latin-1")
        except UnicodeEncodeError:
            raw = pair.encode("utf-8")
        headers = (("Proxy-Authorization", "Basic " + base64.b64encode(raw).decode("ascii")),)
    return _Proxy(parts.hostname, port, headers)


def tls_context(ca_bundle: str | None) -> ssl.SSLContext:
    """TLS 1.2 or later, the host name checked, and the OS trust store (truststore), or
    only `ca_bundle` when one is given: environment variables never replace either."""
    context: ssl.SSLContext
    if ca_bundle is None:
        import truststore

        context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    else:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        if os.path.isdir(ca_bundle):
            context.load_verify_locations(capath=ca_bundle)
        else:
            context.load_verify_locations(cafile=ca_bundle)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    context.set_alpn_protocols(["http/1.1"])
    return context


# --- connections --------------------------------------------------------------------------
@record
class _Route:
    """Where one connection goes; a kept connection is reused only for the same route."""

    host: str  # the name (or literal) in the URL: Host header, SNI, certificate check
    port: int
    https: bool
    addresses: tuple[str, ...]  # plain http: the checked loopback addresses, in order
    proxy: _Proxy | None
    ca_bundle: str | None


def _ascii(host: str) -> str:
    try:
        host.encode("ascii")
    except UnicodeEncodeError:
        return host.encode("idna").decode("ascii")
    return host


def _open_tcp(route: _Route, timeout: float) -> socket.socket:
    if route.proxy is not None:
        try:
            return socket.create_connection((route.proxy.host, route.proxy.port), timeout)
        except OSError as exc:
            raise ProxyError(f"proxy unreachable: {type(exc).__name__}") from exc
    if not route.addresses:
        return socket.create_connection((route.host, route.port), timeout)
    last: OSError | None = None
    for address in route.addresses:  # the checked addresses in turn, then the last error
        try:
            return socket.create_connection((address, route.port), timeout)
        except OSError as exc:
            last = exc
    assert last is not None
    raise last


def _tunnel(sock: socket.socket, route: _Route) -> None:
    """CONNECT host:port through the proxy on `sock`; raises ProxyError unless it says 200."""
    import http.client

    assert route.proxy is not None
    host = _ascii(route.host)
    target = f"[{host}]:{route.port}" if ":" in host else f"{host}:{route.port}"
    lines = [f"CONNECT {target} HTTP/1.1", f"Host: {target}"]
    lines += [f"{k}: {v}" for k, v in route.proxy.headers]
    try:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("ascii"))
        answer = http.client.HTTPResponse(sock, method="CONNECT")
        answer.begin()
    except (OSError, http.client.HTTPException) as exc:
        raise ProxyError(f"proxy tunnel failed: {type(exc).__name__}") from exc
    status, reason = answer.status, answer.reason
    answer.close()  # closes the reader, not the socket
    if status != 200:
        raise ProxyError(f"Tunnel connection failed: {status} {reason}")


_connection_cls: Any = None


def _connection(route: _Route, timeout: float, tls: ssl.SSLContext | None) -> Any:
    """An http.client connection that connects the way `route` says and tells the current
    request's watchdog about its TCP socket before anything is sent or read."""
    global _connection_cls
    if _connection_cls is None:
        import http.client

        class _Connection(http.client.HTTPConnection):
            def __init__(self, route: _Route, timeout: float, tls: ssl.SSLContext | None):
                super().__init__(route.host, route.port, timeout=timeout)
                if route.https:
                    self.default_port = 443  # no ":443" in the Host header
                self.route = route
                self.tls = tls
                self.watchdog: Watchdog | None = None
                self.tcp: socket.socket | None = None  # a duplicate, for later watchdogs

            def connect(self) -> None:
                sock = _open_tcp(self.route, self.timeout)  # type: ignore[arg-type]
                self.tcp = sock.dup()
                if self.watchdog is not None:
                    self.watchdog.watch(sock)
                try:
                    with contextlib.suppress(OSError):
                        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    if self.route.proxy is not None:
                        _tunnel(sock, self.route)
                    if self.tls is not None:
                        sock = self.tls.wrap_socket(sock, server_hostname=self.route.host)
                except BaseException:
                    sock.close()
                    raise
                self.sock = sock

            def close(self) -> None:
                super().close()
                if self.tcp is not None:
                    self.tcp.close()
                    self.tcp = None

        _connection_cls = _Connection
    return _connection_cls(route, timeout, tls)


def _dropped(sock: socket.socket) -> bool:
    """A kept connection the server closed (or wrote to unasked) since its last answer."""
    import select

    try:
        return bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):
        return True


def _quick_ack(sock: socket.socket) -> None:
    """ACK what arrived now (Linux), once the headers are read. A server that writes an
    answer's headers and body in two sends, with Nagle on (the sandbox's http.server
    does), holds the body until the headers are ACKed; past a connection's first exchanges
    Linux delays that ACK by ~40 ms: the second request on a kept connection paid it."""
    if hasattr(socket, "TCP_QUICKACK"):
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)


class Client:
    """Keeps the connection of one request open for the next one to the same route (one
    check's GET /company and GET /users/self, the probe's rows). Use as a context manager;
    `fetch` without a client opens and closes its own connection."""

    def __init__(self) -> None:
        self._kept: dict[_Route, Any] = {}
        self._tls: dict[str | None, ssl.SSLContext] = {}

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for conn in self._kept.values():
            conn.close()
        self._kept.clear()

    def _take(self, route: _Route, timeout: float) -> Any:
        """The kept connection for `route` if it is still good, else a new one."""
        conn = self._kept.pop(route, None)
        if conn is not None and (conn.sock is None or conn.tcp is None or _dropped(conn.sock)):
            conn.close()
            conn = None
        if conn is None:
            tls = None
            if route.https:
                tls = self._tls.get(route.ca_bundle)
                if tls is None:
                    tls = self._tls[route.ca_bundle] = tls_context(route.ca_bundle)
            conn = _connection(route, timeout, tls)
        conn.timeout = timeout
        if conn.sock is not None:
            conn.sock.settimeout(timeout)
        return conn

    def _keep(self, route: _Route, conn: Any) -> None:
        if conn.sock is None:  # the server said Connection: close
            conn.close()
        else:
            self._kept[route] = conn


@record
class Answer:
    """One HTTP answer, read within the deadline and size cap."""

    status: int
    headers: Any  # a case-insensitive mapping (http.client.HTTPMessage)
    body: bytes | None  # None when larger than the cap


def _route(url: str, ca_bundle: str | None) -> tuple[_Route, str]:
    """Where `url` goes, and the request target (path and query, percent-encoded)."""
    parts = urlsplit(url)
    https = parts.scheme == "https"
    host = parts.hostname or ""
    port = parts.port or (443 if https else 80)
    addresses: tuple[str, ...] = ()
    proxy = None
    if https:
        proxy = _proxy_route(url)
    else:
        addresses = tuple(resolve_loopback(host, port))
    target = quote(parts.path or "/", safe="!#$%&'()*+,/:;=?@[]~")
    if parts.query:
        target += "?" + quote(parts.query, safe="!#$%&'()*+,/:;=?@[]~")
    route = _Route(host, port, https, addresses, proxy, ca_bundle if https else None)
    return route, target


def fetch(
    url: str,
    *,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    timeout: float,
    ca_bundle: str | None,
    deadline: float,
    cancel: threading.Event | None = None,
    max_body: int = MAX_BODY,
    client: Client | None = None,
) -> Answer:
    """One request under the rules above, on `client`'s kept connection when it has one for
    the same route. Raises BadRequest / NotLoopback (nothing sent), Cancelled, TimeoutError
    (the overall deadline), ProxyError or socket / ssl / http.client exceptions (`classify`
    names them)."""
    if validate_base_url(url.split("?", 1)[0]) is not None or validate_timeout(timeout):
        raise BadRequest(url if validate_timeout(timeout) is None else "timeout")
    if client is None:
        with Client() as own:
            return fetch(
                url, method=method, headers=headers, timeout=timeout, ca_bundle=ca_bundle,
                deadline=deadline, cancel=cancel, max_body=max_body, client=own,
            )  # fmt: skip
    route, target = _route(url, ca_bundle)
    sent = {"Accept": "application/json", "User-Agent": USER_AGENT, **(headers or {})}
    exchange = (route, target, method, sent, timeout, deadline, cancel, max_body, client)
    try:
        return _exchange(*exchange)
    except _Stale:
        # The server closed the kept connection as we reused it, before any answer (a
        # race _dropped can't see): once more on a new connection, as browsers do.
        return _exchange(*exchange)


class _Stale(Exception):
    """A kept connection failed before any answer: nothing was answered, retry once."""


def _exchange(
    route: _Route,
    target: str,
    method: str,
    sent: Mapping[str, str],
    timeout: float,
    deadline: float,
    cancel: threading.Event | None,
    max_body: int,
    client: Client,
) -> Answer:
    watchdog = Watchdog(deadline)
    conn = client._take(route, timeout)
    conn.watchdog = watchdog
    keep = False
    kept = conn.tcp is not None
    answered = False
    try:
        if kept:  # a kept connection: this request's watchdog guards it too
            watchdog.watch(conn.tcp)
        else:
            conn.connect()
        conn.putrequest(method, target)
        for name, value in sent.items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        answered = True
        if conn.tcp is not None:
            _quick_ack(conn.tcp)
        log.debug(
            "%s %s:%s%s -> %s (%s connection)", method, route.host, route.port,
            target.split("?", 1)[0], response.status, "kept" if kept else "new",
        )  # fmt: skip
        chunks: list[bytes] = []
        size = 0
        # A per-read timeout never trips on a server dripping a byte a second: keep a clock.
        # read1 returns whatever has arrived (read would wait for all of it).
        while method != "HEAD":
            if cancel is not None and cancel.is_set():
                raise Cancelled
            if time.monotonic() > deadline:
                raise TimeoutError("overall deadline")
            chunk = response.read1(8192)
            if not chunk:
                break
            size += len(chunk)
            if size > max_body:
                return Answer(response.status, response.headers, None)
            chunks.append(chunk)
        if watchdog.fired:  # the end of the body was the watchdog's doing
            raise TimeoutError("overall deadline")
        if response.length:  # the server closed before Content-Length said it would
            import http.client

            raise http.client.IncompleteRead(b"".join(chunks), response.length)
        response.close()
        keep = True
        return Answer(response.status, response.headers, b"".join(chunks))
    except Exception as exc:
        if watchdog.fired:
            raise TimeoutError("overall deadline") from None
        if kept and not answered and isinstance(exc, ConnectionError):
            raise _Stale from exc
        raise
    finally:
        watchdog.stop()
        conn.watchdog = None
        if keep:
            client._keep(route, conn)
        else:
            conn.close()


def certificate_issuer(host: str, port: int, timeout: float = 3.0) -> str | None:
    """Who issued the server's certificate, read on a separate connection that sends
    nothing (no HTTP at all: only a TLS handshake)."""
    try:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        with (
            socket.create_connection((host, port), timeout=timeout) as raw,
            ctx.wrap_socket(raw, server_hostname=host) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
        if not der:
            return None
        pem = ssl.DER_cert_to_PEM_cert(der)
        import tempfile

        with tempfile.NamedTemporaryFile("w", suffix=".pem", delete=True) as f:
            f.write(pem)
            f.flush()
            decoded = ssl._ssl._test_decode_cert(f.name)  # type: ignore[attr-defined]
        fields = {k: v for rdn in decoded.get("issuer", ()) for k, v in rdn}
        return fields.get("organizationName") or fields.get("commonName")
    except (OSError, ValueError, AttributeError):
        return None
