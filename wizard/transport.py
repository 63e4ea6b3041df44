"""The HTTP layer (Qt-free): a hardened requests Session for every call. requests speaks
HTTP; this module turns off what it would read or do on its own and adds what it lacks (an
overall deadline, a body cap). Whatever the environment says:
- exactly the headers we pass go on the wire: `trust_env` is off, so a `~/.netrc`, `$NETRC`
  or a netrc `default` entry never replaces an Authorization header, and
  REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE never replace the trust store;
- plain http only to loopback, never through a proxy: an IP literal, or `localhost` when
  every address it resolves to is loopback (resolved once; the connection goes to those
  checked addresses, never to a second lookup that could differ);
- https goes through the environment's and the OS's proxies (getproxies, NO_PROXY, the OS
  bypass list), passed explicitly: http:// and https:// ones; SOCKS is a ProxyError;
- TLS 1.2 or later with the host name checked, trusting what wizard.tls says;
- no redirect followed, no cookie kept, one overall deadline (a watchdog shuts the
  connection down, also while a TLS handshake, a status line or headers drip in) and a
  body size cap on a streamed read.
A Client's session keeps one connection per host (one check's GET /company and GET
/users/self share it). Imported only after the window's first paint: the light rules (URL,
timeout, the request object) live in wizard.request.
"""

from __future__ import annotations

import contextlib
import contextvars
import http.cookiejar
import logging
import os
import socket
import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
import requests.utils
import urllib3
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from wizard.outcomes import Code

# The rules every request obeys, for callers that hold the transport.
from wizard.request import DEFAULT_BASE_URL as DEFAULT_BASE_URL
from wizard.request import LOOPBACK_NAMES, BadRequest, Request, is_loopback_literal
from wizard.request import MAX_TIMEOUT_S as MAX_TIMEOUT_S
from wizard.request import auth_headers as auth_headers
from wizard.request import basic_header as basic_header
from wizard.request import validate_base_url as validate_base_url
from wizard.request import validate_timeout as validate_timeout
from wizard.tls import tls_context
from wizard.version import USER_AGENT

MAX_BODY = 2 * 1024 * 1024
# Every request's headers, plus the caller's Authorization; identity: never inflated.
HEADERS = {"User-Agent": USER_AGENT, "Accept": "application/json", "Accept-Encoding": "identity"}
# One debug line per request (method, URL, status, new or kept): never a header or body.
log = logging.getLogger(__name__)


class Cancelled(Exception):
    """The caller's cancel event was set."""


class NotLoopback(Exception):
    """A plain-http name resolved to at least one address that is not loopback."""


class ProxyError(Exception):
    """The proxy named is of a kind we don't speak (only http:// and https:// proxies)."""


class _Stale(Exception):
    """A kept connection failed before any answer: nothing was answered, retry once."""


def resolve_loopback(host: str, port: int) -> list[str]:
    """The addresses to connect to for plain http to `host`: the literal itself, or every
    address the name resolves to when all are loopback. Raises NotLoopback (nothing sent) or
    socket.gaierror."""
    if is_loopback_literal(host):
        return [host]
    if host not in LOOPBACK_NAMES:
        raise NotLoopback(host)
    addresses: list[str] = []
    for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        address = str(info[4][0]).split("%", 1)[0]
        if not is_loopback_literal(address):
            raise NotLoopback(host)
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise NotLoopback(host)
    return addresses


def _causes(exc: BaseException) -> list[BaseException]:
    """`exc` and all it wraps: causes, contexts, urllib3's `reason`, requests' arguments."""
    seen: list[BaseException] = []
    todo: list[object] = [exc]
    while todo and len(seen) < 32:
        cur = todo.pop(0)
        if not isinstance(cur, BaseException) or any(cur is e for e in seen):
            continue
        seen.append(cur)
        todo += [cur.__cause__, cur.__context__, getattr(cur, "reason", None), *cur.args]
    return seen


def classify(exc: BaseException) -> Code:
    """An outcome code for an exception from a request, by the types it carries."""
    if isinstance(exc, NotLoopback | BadRequest):
        return Code.INVALID_INPUT
    chain = _causes(exc)

    def has(*types: type[BaseException]) -> bool:
        return any(isinstance(e, types) for e in chain)

    if has(ProxyError, requests.exceptions.ProxyError, urllib3.exceptions.ProxyError):
        return Code.PROXY_ERROR
    if has(ssl.SSLError, requests.exceptions.SSLError, urllib3.exceptions.SSLError):
        return Code.TLS_ERROR
    if has(TimeoutError, requests.exceptions.Timeout):
        return Code.TIMEOUT
    if has(socket.gaierror, urllib3.exceptions.NameResolutionError):
        return Code.DNS_FAILURE
    return Code.CONNECTION_FAILED


# --- the deadline -------------------------------------------------------------------------
# Held while a watched connection closes and while the watchdog shuts one down: a socket's
# descriptor is never reused under the watchdog's hand.
_SOCKETS = threading.Lock()


class Watchdog:
    """Shuts down one exchange's connections at its deadline, and keeps at it until the
    exchange stops: a socket timeout is per read and never trips on a server dripping a byte
    a second, and during a handshake, status line or headers the caller can't look."""

    def __init__(self, deadline: float) -> None:
        self.fired = False
        self.reused = False  # the exchange went on a kept connection
        self._conns: list[HTTPConnection] = []
        self._socks: list[socket.socket] = []
        self._done = threading.Event()
        thread = threading.Thread(target=self._run, args=(deadline,), name="http-deadline")
        thread.daemon = True
        thread.start()

    def watch(self, conn: HTTPConnection) -> None:
        """Guard `conn` from now on (it may still be connecting: no socket yet)."""
        with _SOCKETS:
            if not any(conn is c for c in self._conns):
                self._conns.append(conn)

    def watch_socket(self, sock: Any) -> None:
        """Guard the socket an answer is read from: a duplicate descriptor, as the
        connection lets go of its socket when the server says Connection: close."""
        with contextlib.suppress(OSError, ValueError), _SOCKETS:
            self._socks.append(socket.socket(fileno=os.dup(sock.fileno())))

    def stop(self) -> None:
        self._done.set()
        with _SOCKETS:
            for sock in self._socks:
                sock.close()
            self._socks.clear()

    def _run(self, deadline: float) -> None:
        if self._done.wait(max(0.0, deadline - time.monotonic())):
            return
        self.fired = True
        while True:
            with _SOCKETS:
                for conn in self._conns:
                    _shut_down(conn.sock)
                for sock in self._socks:
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)
            if self._done.wait(0.02):
                return


def _shut_down(sock: Any) -> None:
    """Ends the TCP connection under `sock` (a plain, TLS or TLS-in-TLS socket) through a
    duplicate descriptor: the reading thread's own socket objects stay untouched."""
    # AttributeError: no socket yet; OSError, ValueError: closed meanwhile.
    with (
        contextlib.suppress(OSError, ValueError, AttributeError),
        socket.socket(fileno=os.dup(sock.fileno())) as dup,
    ):
        dup.shutdown(socket.SHUT_RDWR)


_WATCHDOG: contextvars.ContextVar[Watchdog | None] = contextvars.ContextVar(
    "wizard_transport_watchdog", default=None
)


class _Watched(HTTPConnection):
    """A connection that tells the current exchange's watchdog about itself before it
    connects or sends, and ACKs an answer's headers at once."""

    fresh = False  # connected, nothing sent yet

    def connect(self) -> None:
        self.fresh = True
        dog = _WATCHDOG.get()
        if dog is not None:
            dog.watch(self)
        super().connect()

    def request(self, *args: Any, **kwargs: Any) -> None:
        dog = _WATCHDOG.get()
        if dog is not None:
            dog.watch(self)
            dog.reused = self.sock is not None and not self.fresh
        super().request(*args, **kwargs)  # plain http connects in here
        self.fresh = False

    def getresponse(self) -> Any:
        dog = _WATCHDOG.get()
        if dog is not None and self.sock is not None:
            dog.watch_socket(self.sock)
        response = super().getresponse()
        _quick_ack(self.sock)
        return response

    def close(self) -> None:
        with _SOCKETS:
            super().close()


def _quick_ack(sock: Any) -> None:
    """ACK the headers at once (Linux): a server that writes headers and body in two sends
    with Nagle on holds the body until then, and Linux delays that ACK on a kept connection."""
    if hasattr(socket, "TCP_QUICKACK") and isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)


class _WatchedHTTPS(_Watched, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _Watched


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPS


_POOLS = {"http": _HTTPPool, "https": _HTTPSPool}


# --- TLS, proxies and the session ---------------------------------------------------------
class _Adapter(HTTPAdapter):
    """One connection per host, no retries, our TLS context for servers and https://
    proxies alike, and watched connections."""

    def __init__(self, tls: ssl.SSLContext) -> None:
        self.tls = tls
        super().__init__(pool_connections=4, pool_maxsize=1, max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, ssl_context=self.tls, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(
            proxy, ssl_context=self.tls, proxy_ssl_context=self.tls, **kwargs
        )
        manager.pool_classes_by_scheme = _POOLS
        return manager

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        # The trust is this adapter's TLS context alone: requests' own step would load
        # certifi's bundle into it (and so trust more than the OS store or the given CA).
        conn.cert_reqs = "CERT_REQUIRED"
        conn.ca_certs = None
        conn.ca_cert_dir = None


def hardened_session(ca_bundle: str | None) -> requests.Session:
    """A Session that reads nothing from the environment, keeps no cookie, follows no
    redirect and trusts what tls_context says."""
    session = requests.Session()
    session.trust_env = False
    session.max_redirects = 0
    session.headers = CaseInsensitiveDict(HEADERS)
    session.cookies = requests.cookies.RequestsCookieJar(
        policy=http.cookiejar.DefaultCookiePolicy(allowed_domains=[])
    )
    adapter = _Adapter(tls_context(ca_bundle))
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def proxies_for(url: str) -> dict[str, str]:
    """The proxies for `url`: none for plain http (only ever loopback: never through a
    proxy, which would read the credentials in clear and could forge an answer); for https,
    the environment's and the OS's proxies unless NO_PROXY (or the OS bypass list) says
    otherwise."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return {}
    found = requests.utils.get_environ_proxies(url)
    return {k: v for k, v in found.items() if k in ("https", "all") or k.startswith("https:")}


def _checked_proxies(url: str) -> dict[str, str]:
    proxies = proxies_for(url)
    chosen = requests.utils.select_proxy(url, proxies)
    if chosen and "://" in chosen and urlsplit(chosen).scheme.lower() not in ("http", "https"):
        raise ProxyError(f"unsupported proxy scheme {urlsplit(chosen).scheme!r}")
    return proxies


# --- requests -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Answer:
    """One HTTP answer, read within the deadline and size cap."""

    status: int
    headers: Mapping[str, str]  # case-insensitive
    body: bytes | None  # None when larger than the cap


class Client:
    """The hardened sessions of one check or probe (one per CA choice), keeping a connection
    for the next request to the same host and port. A context manager."""

    def __init__(self) -> None:
        self._sessions: dict[str | None, requests.Session] = {}

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for session in self._sessions.values():
            session.close()
        self._sessions.clear()

    def session(self, ca_bundle: str | None) -> requests.Session:
        if ca_bundle not in self._sessions:
            self._sessions[ca_bundle] = hardened_session(ca_bundle)
        return self._sessions[ca_bundle]

    def send(
        self,
        request: Request,
        path: str = "",
        *,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        deadline: float | None = None,
        max_body: int = MAX_BODY,
    ) -> Answer:
        """`method` to the request's URL with `path` (and its query) added, with its
        credentials unless `headers` replaces them. Raises NotLoopback (nothing sent),
        Cancelled, TimeoutError (the overall deadline), ProxyError or requests' exceptions
        (`classify` names them)."""
        if request.cancelled():
            raise Cancelled
        deadline = time.monotonic() + request.timeout if deadline is None else deadline
        sent = dict(request.credentials() if headers is None else headers)
        url = request.url(path)
        parts = urlsplit(url)
        if parts.scheme == "https":
            routes = [url]
            proxies = _checked_proxies(url)
        else:  # plain http: to each checked loopback address in turn, the name as Host
            port = parts.port or 80
            routes = []
            for address in resolve_loopback(parts.hostname or "", port):
                literal = f"[{address}]" if ":" in address else address
                routes.append(urlunsplit((parts.scheme, f"{literal}:{port}", *parts[2:])))
            if routes[0] != url:
                sent["Host"] = parts.netloc
            proxies = {}
        session = self.session(request.ca_bundle if parts.scheme == "https" else None)
        for i, route in enumerate(routes):
            exchange = (session, route, method, sent, proxies, request, deadline, max_body)
            try:
                try:
                    return _exchange(*exchange)
                except _Stale:
                    # The server closed the kept connection as we reused it, before any
                    # answer (a race the pool's check can't see): once more on a new one.
                    return _exchange(*exchange)
            except requests.ConnectionError as exc:
                unreached = any(
                    isinstance(e, urllib3.exceptions.NewConnectionError) for e in _causes(exc)
                )
                if not unreached or i == len(routes) - 1:
                    raise
        raise AssertionError("unreachable")  # the loop returns or raises


def _exchange(
    session: requests.Session,
    url: str,
    method: str,
    sent: Mapping[str, str],
    proxies: dict[str, str],
    request: Request,
    deadline: float,
    max_body: int,
) -> Answer:
    dog = Watchdog(deadline)
    token = _WATCHDOG.set(dog)
    response: requests.Response | None = None
    try:
        wait = min(request.timeout, max(0.001, deadline - time.monotonic()))
        # Sent by the adapter itself: the Session's send would read a redirect's whole
        # body (to offer the next request), past our cap and clock.
        prepared = session.prepare_request(requests.Request(method, url, headers=sent))
        try:
            response = session.get_adapter(url).send(
                prepared, stream=True, timeout=wait, verify=True, proxies=proxies
            )
        except requests.ConnectionError as exc:
            ours = any(isinstance(e, ConnectionError) for e in _causes(exc))
            if dog.reused and ours and not dog.fired:
                raise _Stale from exc
            raise
        log.debug(
            "%s %s -> %s (%s connection)", method, url, response.status_code,
            "kept" if dog.reused else "new",
        )  # fmt: skip
        # The body as it arrives (read1), the clock and the cancel looked at between
        # reads; None once it grows past max_body.
        chunks: list[bytes] = []
        size = 0
        while method != "HEAD":
            if request.cancelled():
                raise Cancelled
            if time.monotonic() > deadline or dog.fired:
                raise TimeoutError("overall deadline")
            chunk = response.raw.read1(8192)
            size += len(chunk)
            if not chunk or size > max_body:
                break
            chunks.append(chunk)
        body = None if size > max_body else b"".join(chunks)
        if dog.fired:  # the end of the body was the watchdog's doing
            raise TimeoutError("overall deadline")
        if body is not None:
            response.raw.release_conn()  # read to its end: the connection may be kept
        return Answer(response.status_code, response.headers, body)
    except (Cancelled, _Stale):
        raise
    except Exception:
        if dog.fired:
            raise TimeoutError("overall deadline") from None
        raise
    finally:
        dog.stop()
        _WATCHDOG.reset(token)
        if response is not None:
            response.close()  # after release_conn: nothing left to close


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
    """One request to a whole URL with exactly `headers` (none by default): `Client.send`
    for callers without a Request. Raises BadRequest for a URL or timeout that breaks the
    rules, before anything is sent."""
    base, mark, query = url.partition("?")
    request = Request(base, timeout=timeout, ca_bundle=ca_bundle, cancel=cancel)
    own = client is None
    client = client or Client()
    try:
        return client.send(
            request, mark + query, method=method, headers=headers or {}, deadline=deadline,
            max_body=max_body,
        )  # fmt: skip
    finally:
        if own:
            client.close()
