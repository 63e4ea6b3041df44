"""`alegra-wizard doctor`: the prerequisites of a working connection, each with a fix.

Qt-free. Every item says what it saw and, when something is wrong, what to do. The
network items (DNS, HTTPS and its certificate, clock) send no credentials and can be
skipped (`offline=True`). Each has a timeout: a doctor that hangs would be no help.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

from wizard import i18n

OK, WARN, FAIL, SKIPPED = "ok", "warn", "fail", "skipped"
MAX_SKEW_S = 300  # beyond this, TLS and Alegra's answers may fail in odd ways
# Issuers of public web certificates. Another issuer on Alegra's own host, trusted by
# this computer, usually means an office proxy that inspects HTTPS.
PUBLIC_ISSUERS = (
    "Amazon",
    "DigiCert",
    "Let's Encrypt",
    "Sectigo",
    "GlobalSign",
    "Google Trust Services",
    "GoDaddy",
    "Starfield",
    "Cloudflare",
    "Microsoft",
    "Entrust",
    "ZeroSSL",
    "IdenTrust",
    "Certum",
    "Buypass",
    "COMODO",
    "Thawte",
    "GeoTrust",
    "Baltimore",
)
ALEGRA_HOST = "api.alegra.com"

T = TypeVar("T")


@dataclass(frozen=True)
class Item:
    id: str  # keyring, config, proxy, dns, https, clock, profile
    status: str  # ok | warn | fail | skipped
    detail: str
    fix: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "detail": self.detail, "fix": self.fix}


@dataclass
class Report:
    items: list[Item] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(item.status != FAIL for item in self.items)

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "items": [item.to_json() for item in self.items]}

    def as_text(self) -> str:
        marks = {OK: "✔", WARN: "!", FAIL: "✘", SKIPPED: "–"}
        lines = []
        for item in self.items:
            lines.append(f"{marks[item.status]} {item.detail}")
            if item.fix and item.status in (WARN, FAIL):
                lines.append(f"    → {item.fix}")
        return "\n".join(lines)


class _TimedOut(Exception):
    pass


def _with_timeout(fn: Callable[[], T], timeout: float) -> T:
    """Run fn on a daemon thread; _TimedOut if it has not finished in `timeout` s."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=run, name="doctor", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise _TimedOut
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


class Doctor:
    def __init__(
        self,
        *,
        base_url: str,
        store: Any,
        lang: str = i18n.DEFAULT_LANG,
        offline: bool = False,
        timeout: float = 5.0,
        ca_bundle: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        parts = urlsplit(self.base_url)
        self.host = parts.hostname or ""
        self.https = parts.scheme == "https"
        self.port = parts.port or (443 if self.https else 80)
        self.store = store
        self.lang = lang
        self.offline = offline
        self.timeout = timeout
        self.ca_bundle = ca_bundle
        self.clock = clock
        self.dns_failed = False

    def t(self, key: str, **fmt: object) -> str:
        return i18n.t(f"doctor.{key}", self.lang, **fmt)

    def item(self, item_id: str, status: str, state: str, **fmt: object) -> Item:
        """An item whose texts are doctor.<id>.<state> (and .<state>_fix when there is one)."""
        fix_key = f"doctor.{item_id}.{state}_fix"
        fix = i18n.t(fix_key, self.lang, **fmt) if i18n.has(fix_key) else None
        return Item(item_id, status, self.t(f"{item_id}.{state}", **fmt), fix)

    def run(self, on_item: Callable[[Item], None] | None = None) -> Report:
        report = Report()
        checks: list[Callable[[], list[Item]]] = [
            self.check_keyring,
            self.check_config,
            self.check_proxy,
            self.check_dns,
            self.check_https,
            self.check_clock,
        ]
        for check in checks:
            for item in check():
                report.items.append(item)
                if on_item is not None:
                    on_item(item)
        return report

    # --- local items ---
    def _storage_failure(self, item_id: str, reason: str) -> Item:
        """A failed keyring or config item, in the store's own words for `reason`."""
        from wizard.hints import storage_hint

        hint = storage_hint(reason, self.lang)
        detail = self.t(f"{item_id}.fail", problem=hint.title)
        return Item(item_id, FAIL, detail, " ".join(hint.steps))

    def check_keyring(self) -> list[Item]:
        from wizard.store import StorageError

        try:
            name = self.store.check_backend()
        except StorageError as exc:
            return [self._storage_failure("keyring", exc.reason)]
        return [self.item("keyring", OK, "ok", backend=name)]

    def check_config(self) -> list[Item]:
        from wizard.store import StorageError

        try:
            profiles = self.store.list_profiles()
        except StorageError as exc:
            return [self._storage_failure("config", exc.reason)]
        items = [self.item("config", OK, "ok", count=len(profiles))]
        for profile in profiles:
            items.append(self._profile_item(profile))
        return items

    def _profile_item(self, profile: Any) -> Item:
        name = profile.name or profile.id
        if not profile.last_check_code:
            return self.item("profile", WARN, "never", name=name)
        from wizard.outcomes import Code

        when = (profile.last_check_at or "")[:16].replace("T", " ")
        code = profile.last_check_code
        if code == Code.CONNECTED.value:
            return self.item("profile", OK, "ok", name=name, when=when)
        title = i18n.t(f"hint.{code}.title", self.lang) if i18n.has(f"hint.{code}.title") else code
        return self.item("profile", WARN, "failed", name=name, when=when, problem=title)

    def check_proxy(self) -> list[Item]:
        import urllib.request

        proxies = urllib.request.getproxies()  # environment, and the OS settings on Win/mac
        chosen = proxies.get("https" if self.https else "http")
        if not chosen:
            return [self.item("proxy", OK, "none")]
        return [self.item("proxy", OK, "set", proxy=_without_password(chosen))]

    # --- network items ---
    def _skipped(self, item_id: str) -> list[Item]:
        return [Item(item_id, SKIPPED, self.t(f"{item_id}.skipped", host=self.host))]

    def _unresolved(self, item_id: str) -> list[Item]:
        """After a failed DNS item: one cause, one fix; don't list its echoes."""
        return [Item(item_id, SKIPPED, self.t("no_dns", what=self.t(f"{item_id}.what")))]

    def check_dns(self) -> list[Item]:
        if self.offline:
            return self._skipped("dns")
        try:
            infos = _with_timeout(
                lambda: socket.getaddrinfo(self.host, self.port, type=socket.SOCK_STREAM),
                self.timeout,
            )
        except (_TimedOut, OSError, UnicodeError):
            self.dns_failed = True
            return [self.item("dns", FAIL, "fail", host=self.host)]
        address = str(infos[0][4][0]) if infos else "?"
        return [self.item("dns", OK, "ok", host=self.host, address=address)]

    def _tls_context(self) -> ssl.SSLContext:
        if self.ca_bundle:
            return ssl.create_default_context(cafile=self.ca_bundle)
        import truststore  # the OS trust store, as the client uses

        return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)

    def check_https(self) -> list[Item]:
        if self.offline:
            return self._skipped("https")
        if self.dns_failed:
            return self._unresolved("https")
        if not self.https:
            return [self.item("https", SKIPPED, "plain_http", host=self.host)]

        def handshake() -> str | None:
            with (
                socket.create_connection((self.host, self.port), timeout=self.timeout) as raw,
                self._tls_context().wrap_socket(raw, server_hostname=self.host) as tls,
            ):
                cert: dict[str, Any] = dict(tls.getpeercert() or {})
            issuer = {str(k): str(v) for rdn in cert.get("issuer", ()) for k, v in rdn}
            return issuer.get("organizationName") or issuer.get("commonName")

        try:
            issuer = _with_timeout(handshake, self.timeout + 1)
        except ssl.SSLError:
            from wizard.alegra import _issuer

            seen = _issuer(self.host, self.port) or self.t("unknown_issuer")
            return [self.item("https", FAIL, "untrusted", host=self.host, issuer=seen)]
        except (_TimedOut, OSError):
            return [self.item("https", FAIL, "unreachable", host=self.host)]
        issuer = issuer or self.t("unknown_issuer")
        if self.host == ALEGRA_HOST and not any(
            p.lower() in issuer.lower() for p in PUBLIC_ISSUERS
        ):
            return [self.item("https", WARN, "inspected", host=self.host, issuer=issuer)]
        return [self.item("https", OK, "ok", host=self.host, issuer=issuer)]

    def check_clock(self) -> list[Item]:
        """The server's Date header against this computer's clock (no credentials sent)."""
        if self.offline:
            return self._skipped("clock")
        if self.dns_failed:
            return self._unresolved("clock")
        from email.utils import parsedate_to_datetime

        from wizard.alegra import _session

        def head() -> str | None:
            session = _session(self.ca_bundle, self.https)
            try:
                answer = session.head(
                    f"{self.base_url}/",
                    timeout=(self.timeout, self.timeout),
                    allow_redirects=False,
                    verify=self.ca_bundle if self.ca_bundle else True,
                )
                date = answer.headers.get("Date")
                return str(date) if date else None
            finally:
                session.close()

        try:
            date = _with_timeout(head, self.timeout + 1)
            server = parsedate_to_datetime(date).timestamp() if date else None
        except Exception:  # unreachable, or a Date we cannot read: nothing to compare
            server = None
        if server is None:
            return [self.item("clock", SKIPPED, "unknown", host=self.host)]
        skew = self.clock() - server
        minutes = round(abs(skew) / 60)
        if abs(skew) <= MAX_SKEW_S:
            return [self.item("clock", OK, "ok")]
        state = "ahead" if skew > 0 else "behind"
        return [self.item("clock", FAIL, state, minutes=minutes)]


def _without_password(url: str) -> str:
    """A proxy URL fit to show: user:password@ removed."""
    try:
        parts = urlsplit(url if "://" in url else f"http://{url}")
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "?"
    return f"{parts.scheme}://{parts.hostname or '?'}{port}"
