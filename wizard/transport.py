"""The HTTP transport every request to Alegra (or to the doctor's host) goes through. Qt-free.

What it guarantees, whatever the environment says:
- exactly the headers we pass go on the wire: `trust_env` is off, so a `~/.netrc`, `$NETRC`
  or a netrc `default` entry can never replace (or add) an Authorization header, and
  REQUESTS_CA_BUNDLE never silently replaces the OS trust store;
- plain http only to loopback, never through a proxy: an IP literal, or `localhost` when
  every address it resolves to is loopback (resolved once, before connecting, and the
  connection goes to those checked addresses: no second lookup that could differ);
- https honours the proxies of the environment and the OS settings (and NO_PROXY);
- no redirects followed, no cookie jar, an overall deadline (a watchdog shuts the sockets
  down) and a body size cap.
requests and truststore are imported inside the functions so the GUI's first window
doesn't wait for them.
"""

from __future__ import annotations

import base64
import contextlib
import ipaddress
import math
import socket
import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from wizard.outcomes import Code
from wizard.version import USER_AGENT

DEFAULT_BASE_URL = "https://api.alegra.com/api/v1"
MAX_BODY = 2 * 1024 * 1024
# Accepted timeouts, in seconds: more than 0, at most MAX_TIMEOUT_S, finite. Beyond that a
# timer or a socket timeout overflows (inf, 1e300) and nobody waits ten minutes anyway.
MAX_TIMEOUT_S = 600.0
LOOPBACK_NAMES = frozenset({"localhost"})


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


# --- what may fail ------------------------------------------------------------------------
class Cancelled(Exception):
    """The caller's cancel event was set."""


class NotLoopback(Exception):
    """A plain-http name resolved to at least one address that is not loopback."""


class BadRequest(Exception):
    """The URL or timeout breaks the rules above: nothing was sent."""


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
    """An outcome code for a transport exception (requests' family, or socket errors)."""
    import requests

    if isinstance(exc, NotLoopback | BadRequest):
        return Code.INVALID_INPUT
    chain: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and len(chain) < 12:
        chain.append(cur)
        cur = cur.__cause__ or cur.__context__
    text = " ".join(repr(e) for e in chain)
    if isinstance(exc, requests.exceptions.ProxyError) or ("407" in text and "Proxy" in text):
        return Code.PROXY_ERROR
    if isinstance(exc, requests.exceptions.SSLError) or any(
        isinstance(e, ssl.SSLError) for e in chain
    ):
        return Code.TLS_ERROR
    if isinstance(exc, requests.exceptions.Timeout) or any(
        isinstance(e, TimeoutError | socket.timeout) for e in chain
    ):
        return Code.TIMEOUT
    if any(isinstance(e, socket.gaierror) for e in chain) or "NameResolutionError" in text:
        return Code.DNS_FAILURE
    return Code.CONNECTION_FAILED


# --- the session --------------------------------------------------------------------------
class _RejectAll:
    """A cookie policy that keeps nothing (Alegra sets PHPSESSID)."""

    netscape = True
    rfc2965 = False
    hide_cookie2 = False

    def set_ok(self, cookie: Any, request: Any) -> bool:
        return False

    def return_ok(self, cookie: Any, request: Any) -> bool:
        return False

    def domain_return_ok(self, domain: str, request: Any) -> bool:
        return False

    def path_return_ok(self, path: str, request: Any) -> bool:
        return False


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
        # A duplicate descriptor: TLS wrapping detaches the original socket object.
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


def _connection_class(
    base_cls: Any, watchdog: Watchdog | None, pinned: Mapping[str, list[str]]
) -> Any:
    """urllib3's connection class, connecting a pinned host name only to its checked
    addresses (in order), and telling `watchdog` about each socket it opens."""

    class _Connection(base_cls):  # type: ignore[misc]
        ours = True

        def _new_conn(self) -> socket.socket:
            addresses = pinned.get(self.host)
            if addresses is None:
                sock: socket.socket = super()._new_conn()
            else:
                sock = self._connect_to(addresses)
            if watchdog is not None:
                watchdog.watch(sock)
            return sock

        def _connect_to(self, addresses: list[str]) -> socket.socket:
            last: Exception | None = None
            for address in addresses:
                self._dns_host = address  # urllib3 connects here; Host: stays the name
                try:
                    return super()._new_conn()  # type: ignore[no-any-return]
                except Exception as exc:  # the next checked address, then the last error
                    last = exc
            assert last is not None
            raise last

    return _Connection


def session(
    ca_bundle: str | None,
    https: bool,
    watchdog: Watchdog | None = None,
    pinned: Mapping[str, list[str]] | None = None,
) -> Any:
    """A requests Session that obeys this module's rules. Pass `proxies=proxies_for(url)`
    and `verify=verify_for(ca_bundle)` to each request (trust_env is off)."""
    import requests
    from requests.adapters import HTTPAdapter

    class _NoRedirects(requests.Session):
        # Even with allow_redirects=False, requests looks for the next hop of a 3xx and
        # reads the whole body to do so: past our deadline and size cap, and a malformed
        # Location raised. We never follow one, so there is never a next hop.
        def get_redirect_target(self, resp: Any) -> None:
            return None

    context = None
    if https and ca_bundle is None:
        import truststore

        # The OS trust store, explicitly: REQUESTS_CA_BUNDLE must not silently replace it.
        context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    pins = dict(pinned or {})

    class _Adapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            if context is not None:
                kwargs["ssl_context"] = context
            super().init_poolmanager(*args, **kwargs)

        def proxy_manager_for(self, *args: Any, **kwargs: Any) -> Any:
            if context is not None:
                kwargs["ssl_context"] = context
            return super().proxy_manager_for(*args, **kwargs)

        def get_connection_with_tls_context(self, *args: Any, **kwargs: Any) -> Any:
            pool: Any = super().get_connection_with_tls_context(*args, **kwargs)
            if not getattr(pool.ConnectionCls, "ours", False):
                pool.ConnectionCls = _connection_class(pool.ConnectionCls, watchdog, pins)
            return pool

    result = _NoRedirects()
    # No ~/.netrc, $NETRC, proxy variables or CA bundle variables behind our back: the
    # Authorization header on the wire is exactly ours, or none.
    result.trust_env = False
    result.cookies.set_policy(_RejectAll())  # type: ignore[arg-type]
    adapter = _Adapter()
    result.mount("https://", adapter)
    result.mount("http://", adapter)
    return result


def proxies_for(url: str) -> dict[str, str]:
    """The proxies for `url`: none for plain http (only ever loopback: never through a
    proxy, which would read the credentials in clear and could forge an answer); for https,
    the environment's and the OS's proxies unless NO_PROXY (or the OS bypass list) says
    otherwise."""
    if urlsplit(url).scheme != "https":
        return {}
    import requests.utils

    found: dict[str, str] = requests.utils.get_environ_proxies(url)
    return {k: v for k, v in found.items() if k in ("https", "all") or k.startswith("https:")}


def verify_for(ca_bundle: str | None) -> str | bool:
    return ca_bundle if ca_bundle else True


@dataclass(frozen=True)
class Answer:
    """One HTTP answer, read within the deadline and size cap."""

    status: int
    headers: Any  # a case-insensitive mapping
    body: bytes | None  # None when larger than the cap


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
) -> Answer:
    """One request under the rules above. Raises BadRequest / NotLoopback (nothing sent),
    Cancelled, TimeoutError (the overall deadline) or requests' transport exceptions
    (`classify` names them)."""
    if validate_base_url(url.split("?", 1)[0]) is not None or validate_timeout(timeout):
        raise BadRequest(url if validate_timeout(timeout) is None else "timeout")
    parts = urlsplit(url)
    https = parts.scheme == "https"
    pinned: dict[str, list[str]] = {}
    if not https:
        host = parts.hostname or ""
        addresses = resolve_loopback(host, parts.port or 80)
        if not is_loopback_literal(host):
            pinned[host] = addresses
    watchdog = Watchdog(deadline)
    client = session(ca_bundle, https, watchdog, pinned)
    sent = {"Accept": "application/json", "User-Agent": USER_AGENT, **(headers or {})}
    try:
        response = client.request(
            method,
            url,
            headers=sent,
            timeout=(timeout, timeout),
            allow_redirects=False,
            stream=True,
            verify=verify_for(ca_bundle),
            proxies=proxies_for(url),
        )
        chunks: list[bytes] = []
        size = 0
        # A per-read timeout never trips on a server dripping a byte a second: keep a clock.
        # read1 returns whatever has arrived (iter_content would wait for a full chunk).
        while method != "HEAD":
            if cancel is not None and cancel.is_set():
                raise Cancelled
            if time.monotonic() > deadline:
                raise TimeoutError("overall deadline")
            chunk = response.raw.read1(8192, decode_content=True)
            if not chunk:
                break
            size += len(chunk)
            if size > max_body:
                return Answer(response.status_code, response.headers, None)
            chunks.append(chunk)
        if watchdog.fired:  # the end of the body was the watchdog's doing
            raise TimeoutError("overall deadline")
        return Answer(response.status_code, response.headers, b"".join(chunks))
    except Exception:
        if watchdog.fired:
            raise TimeoutError("overall deadline") from None
        raise
    finally:
        watchdog.stop()
        client.close()


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
