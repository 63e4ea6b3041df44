"""The Alegra HTTP client: GET /company as the connection test (Qt-free).

Expected failures are results, never exceptions. Credentials: a Basic header
built from UTF-8 by hand (requests' own encodes Latin-1), only over HTTPS or to
loopback, never across a redirect, no cookie jar. requests and truststore are
imported inside the functions so the GUI's first window doesn't wait for them.
"""

from __future__ import annotations

import base64
import contextlib
import ipaddress
import json
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from wizard.outcomes import Code, code_for_status
from wizard.version import USER_AGENT

DEFAULT_BASE_URL = "https://api.alegra.com/api/v1"
MAX_BODY = 2 * 1024 * 1024


@dataclass(frozen=True)
class Company:
    name: str | None
    identification: str | None
    country: str | None
    currency: str | None


@dataclass(frozen=True)
class RateLimit:
    limit: int | None
    remaining: int | None
    reset_s: int | None


@dataclass(frozen=True)
class CheckResult:
    code: Code
    http_status: int | None
    company: Company | None
    rate_limit: RateLimit | None
    elapsed_ms: int
    detail: str = ""
    tls_issuer: str | None = None
    can_read_company: bool | None = None

    def to_json(self) -> dict[str, Any]:
        rl = self.rate_limit
        return {
            "ok": self.code is Code.CONNECTED,
            "code": self.code.value,
            "http_status": self.http_status,
            "company": None if self.company is None else vars(self.company).copy(),
            "elapsed_ms": self.elapsed_ms,
            "rate_limit": None if rl is None else vars(rl).copy(),
        }


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_base_url(url: str) -> str | None:
    """None when usable; else a problem id. Plain http only to loopback."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "bad_url"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "bad_url"
    if parts.username or parts.password:
        return "bad_url"
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        return "insecure_url"
    return None


def basic_header(email: str, token: str) -> str:
    return "Basic " + base64.b64encode(f"{email}:{token}".encode()).decode("ascii")


def _int(value: str | None) -> int | None:
    try:
        return int(str(value).strip()) if value is not None else None
    except ValueError:
        return None


def parse_rate_limit(headers: Any) -> RateLimit | None:
    limit = _int(headers.get("X-Rate-Limit-Limit"))
    remaining = _int(headers.get("X-Rate-Limit-Remaining"))
    reset = _int(headers.get("X-Rate-Limit-Reset"))
    if limit is None and remaining is None and reset is None:
        return None
    return RateLimit(limit, remaining, None if reset is None else max(0, reset))


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def parse_company(body: dict[str, Any]) -> Company:
    ident = _text(body.get("identification"))
    obj = body.get("identificationObject")
    if ident is None and isinstance(obj, dict):
        ident = _text(obj.get("number"))
    currency = body.get("currency")
    return Company(
        name=_text(body.get("name")),
        identification=ident,
        country=_text(body.get("applicationVersion")),
        currency=_text(currency.get("code")) if isinstance(currency, dict) else _text(currency),
    )


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


class _Watchdog:
    """Shuts the request's sockets down at the overall deadline. The per-read timeout never
    trips on a server that drips a byte a second, and while the status line and headers
    are read (or a TLS handshake runs) our own clock in _get can't look: this can."""

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


def _watched(base_cls: Any, watchdog: _Watchdog) -> Any:
    """urllib3's connection class, telling `watchdog` about each socket it opens."""

    class _Watched(base_cls):  # type: ignore[misc]
        watched = True

        def _new_conn(self) -> socket.socket:
            sock: socket.socket = super()._new_conn()
            watchdog.watch(sock)
            return sock

    return _Watched


def _session(ca_bundle: str | None, https: bool, watchdog: _Watchdog | None = None) -> Any:
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
            if watchdog is not None and not getattr(pool.ConnectionCls, "watched", False):
                pool.ConnectionCls = _watched(pool.ConnectionCls, watchdog)
            return pool

    session = _NoRedirects()
    session.cookies.set_policy(_RejectAll())  # type: ignore[arg-type]
    if context is not None or watchdog is not None:
        adapter = _Adapter()
        session.mount("https://", adapter)
        session.mount("http://", adapter)
    return session


def _issuer(host: str, port: int) -> str | None:
    """Who issued the server's certificate, read on a separate connection that sends nothing."""
    try:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        with (
            socket.create_connection((host, port), timeout=3) as raw,
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


def _classify_exception(exc: BaseException) -> Code:
    import requests

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


def _get(
    url: str,
    email: str,
    token: str,
    *,
    timeout: float,
    ca_bundle: str | None,
    deadline: float,
    cancel: threading.Event | None,
) -> tuple[int, Any, bytes | None]:
    """(status, headers, body or None if too big); raises requests exceptions / TimeoutError."""
    watchdog = _Watchdog(deadline)
    session = _session(ca_bundle, url.startswith("https"), watchdog)
    try:
        response = session.get(
            url,
            headers={
                "Authorization": basic_header(email, token),
                "Accept": "application/json",
                "User-Agent": USER_AGENT,
            },
            timeout=(timeout, timeout),
            allow_redirects=False,
            stream=True,
            verify=ca_bundle if ca_bundle else True,
        )
        chunks: list[bytes] = []
        size = 0
        # A per-read timeout never trips on a server dripping a byte a second: keep a clock.
        # read1 returns whatever has arrived (iter_content would wait for a full chunk).
        while True:
            if cancel is not None and cancel.is_set():
                raise _Cancelled
            if time.monotonic() > deadline:
                raise TimeoutError("overall deadline")
            chunk = response.raw.read1(8192, decode_content=True)
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_BODY:
                return response.status_code, response.headers, None
            chunks.append(chunk)
        if watchdog.fired:  # the end of the body was the watchdog's doing
            raise TimeoutError("overall deadline")
        return response.status_code, response.headers, b"".join(chunks)
    except Exception:
        if watchdog.fired:
            raise TimeoutError("overall deadline") from None
        raise
    finally:
        watchdog.stop()
        session.close()


class _Cancelled(Exception):
    pass


def check_connection(
    email: str,
    token: str,
    base_url: str = DEFAULT_BASE_URL,
    timeout: float = 15.0,
    ca_bundle: str | None = None,
    cancel: threading.Event | None = None,
) -> CheckResult:
    start = time.monotonic()

    def result(code: Code, status: int | None = None, **kw: Any) -> CheckResult:
        elapsed = int((time.monotonic() - start) * 1000)
        kw.setdefault("company", None)
        kw.setdefault("rate_limit", None)
        return CheckResult(code, status, elapsed_ms=elapsed, **kw)

    if validate_base_url(base_url) is not None:
        return result(Code.INVALID_INPUT, detail="insecure or malformed base URL")
    base = base_url.rstrip("/")
    deadline = start + timeout
    try:
        status, headers, body = _get(
            f"{base}/company", email, token, timeout=timeout, ca_bundle=ca_bundle,
            deadline=deadline, cancel=cancel,
        )  # fmt: skip
    except _Cancelled:
        return result(Code.CANCELLED)
    except TimeoutError:
        return result(Code.TIMEOUT, detail="no complete answer before the deadline")
    except Exception as exc:  # requests' whole family of transport errors
        code = _classify_exception(exc)
        issuer = None
        if code is Code.TLS_ERROR:
            parts = urlsplit(base)
            issuer = _issuer(parts.hostname or "", parts.port or 443)
        return result(code, detail=type(exc).__name__, tls_issuer=issuer)

    rate = parse_rate_limit(headers)
    if 300 <= status < 400:
        try:
            target = urlsplit(headers.get("Location", "")).hostname or "?"
        except ValueError:  # e.g. "http://[x": still a redirect, never followed
            target = "?"
        if token and token.lower() in target.lower():  # the server chose it: it may echo us
            target = "?"
        return result(
            Code.UNEXPECTED_RESPONSE, status, rate_limit=rate, detail=f"redirect to {target}"
        )
    if status == 407:
        return result(Code.PROXY_ERROR, status, rate_limit=rate)
    if status != 200:
        can_read = None
        if status == 403:
            can_read = _users_self_ok(base, email, token, timeout, ca_bundle, deadline, cancel)
        return result(code_for_status(status), status, rate_limit=rate, can_read_company=can_read)
    if body is None:
        return result(Code.UNEXPECTED_RESPONSE, status, rate_limit=rate, detail="body too large")
    try:
        parsed = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return result(Code.UNEXPECTED_RESPONSE, status, rate_limit=rate, detail="not JSON")
    if not isinstance(parsed, dict):
        return result(Code.UNEXPECTED_RESPONSE, status, rate_limit=rate, detail="not an object")
    return result(Code.CONNECTED, status, company=parse_company(parsed), rate_limit=rate)


def _users_self_ok(
    base: str,
    email: str,
    token: str,
    timeout: float,
    ca_bundle: str | None,
    deadline: float,
    cancel: threading.Event | None,
) -> bool | None:
    """After a 403 on /company: does /users/self answer? Then the credentials are right and
    the user lacks the permission to read company info."""
    try:
        status, _, _ = _get(
            f"{base}/users/self", email, token, timeout=timeout, ca_bundle=ca_bundle,
            deadline=max(deadline, time.monotonic() + timeout), cancel=cancel,
        )  # fmt: skip
    except Exception:
        return None
    return False if status == 200 else None


# --- permission and plan probe ------------------------------------------------------------
# One row per resource an integration may need. path None: Alegra has no read-only list
# endpoint we could confirm (see shared/ALEGRA_API.md): shown as "not checked", never
# guessed against the live API. Names: catalog keys probe.resource.<key>. Correct a row
# here when a path is confirmed.
@dataclass(frozen=True)
class Probed:
    key: str
    path: str | None
    gated: bool  # plan-gated: a 403 means the plan tier, not the user's permissions


PROBED: tuple[Probed, ...] = (
    Probed("contacts", "/contacts", gated=False),
    Probed("invoices", "/invoices", gated=False),
    Probed("bills", "/bills", gated=False),
    Probed("items", "/items", gated=False),
    Probed("taxes", "/taxes", gated=False),
    Probed("categories", "/categories", gated=False),
    Probed("cost_centers", "/cost-centers", gated=False),
    Probed("journals", "/journals", gated=True),
    Probed("bank_accounts", "/bank-accounts", gated=True),
    Probed("attachments", None, gated=True),
    Probed("payment_methods", None, gated=True),
    Probed("fixed_assets", None, gated=True),
)

# Row statuses.
AVAILABLE = "available"
NOT_IN_PLAN = "not_in_plan"  # 403 on a plan-gated resource
NO_PERMISSION = "no_permission"  # 403 on a core resource
ERROR = "error"  # anything else: transport error, 5xx, 404...
NOT_CHECKED = "not_checked"  # no confirmed read-only path
SKIPPED = "skipped"  # stopped early: rate limit or cancel
# Stop probing when the rate limit is this close (the user's other programs share it).
MIN_REMAINING = 5
PROBE_PACE_S = 0.25  # ~4 calls a second: well under Alegra's ~150 a minute


@dataclass(frozen=True)
class ProbeRow:
    key: str
    path: str | None
    gated: bool
    status: str
    http_status: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "resource": self.key,
            "path": self.path,
            "gated": self.gated,
            "status": self.status,
            "http_status": self.http_status,
        }


@dataclass(frozen=True)
class ProbeResult:
    rows: tuple[ProbeRow, ...]
    rate_limited: bool  # stopped on a 429 or a nearly spent limit
    reset_s: int | None
    cancelled: bool = False

    def to_json(self) -> list[dict[str, Any]]:
        return [row.to_json() for row in self.rows]


def _row_status(item: Probed, status: int) -> str:
    if 200 <= status < 300:
        return AVAILABLE
    if status == 403:
        return NOT_IN_PLAN if item.gated else NO_PERMISSION
    return ERROR


def probe_permissions(
    email: str,
    token: str,
    base_url: str = DEFAULT_BASE_URL,
    timeout: float = 10.0,
    ca_bundle: str | None = None,
    cancel: threading.Event | None = None,
    pace_s: float = PROBE_PACE_S,
) -> ProbeResult:
    """Read-only `GET <resource>?limit=1` for each row of PROBED, one at a time, `pace_s`
    apart. Stops (the rest "skipped") on a 429, when the rate limit is nearly spent, or on
    cancel. Never raises for network trouble: that row is "error"."""
    if validate_base_url(base_url) is not None:
        errors = tuple(ProbeRow(p.key, p.path, p.gated, ERROR) for p in PROBED)
        return ProbeResult(errors, rate_limited=False, reset_s=None)
    base = base_url.rstrip("/")
    rows: list[ProbeRow] = []
    stop: str | None = None
    reset_s: int | None = None
    called = False
    for item in PROBED:
        if item.path is None:
            rows.append(ProbeRow(item.key, None, item.gated, NOT_CHECKED))
            continue
        if stop is None and called:  # spread the calls out
            if cancel is None:
                time.sleep(pace_s)
            elif cancel.wait(pace_s):
                stop = "cancelled"
        if stop is None and cancel is not None and cancel.is_set():
            stop = "cancelled"
        if stop is not None:
            rows.append(ProbeRow(item.key, item.path, item.gated, SKIPPED))
            continue
        called = True
        try:
            status, headers, _ = _get(
                f"{base}{item.path}?limit=1", email, token, timeout=timeout,
                ca_bundle=ca_bundle, deadline=time.monotonic() + timeout, cancel=cancel,
            )  # fmt: skip
        except _Cancelled:
            stop = "cancelled"
            rows.append(ProbeRow(item.key, item.path, item.gated, SKIPPED))
            continue
        except Exception:  # transport trouble on this one resource: say "?" and go on
            rows.append(ProbeRow(item.key, item.path, item.gated, ERROR))
            continue
        rate = parse_rate_limit(headers)
        if status == 429:
            stop = "rate_limited"
            reset_s = rate.reset_s if rate else None
            rows.append(ProbeRow(item.key, item.path, item.gated, SKIPPED, status))
            continue
        rows.append(ProbeRow(item.key, item.path, item.gated, _row_status(item, status), status))
        if rate is not None and rate.remaining is not None and rate.remaining <= MIN_REMAINING:
            stop = "rate_limited"
            reset_s = rate.reset_s
    return ProbeResult(
        tuple(rows),
        rate_limited=stop == "rate_limited",
        reset_s=reset_s,
        cancelled=stop == "cancelled",
    )
