"""`alegra-wizard doctor`: the prerequisites of a working connection, each with a fix.

Qt-free. Every item says what it saw and, when something is wrong, what to do. The
network items (DNS, HTTPS and its certificate, clock) send no credentials and can be
skipped (`offline=True`). Each has a timeout: a doctor that hangs would be no help.
"""

from __future__ import annotations

import os
import socket
import ssl
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from wizard import i18n
from wizard.timeouts import CallTimedOut, call_with_timeout

if TYPE_CHECKING:
    from wizard.countries import Country

OK, WARN, FAIL, SKIPPED = "ok", "warn", "fail", "skipped"
# Per item (DNS, HTTPS, clock), whichever front end runs it: the window and `doctor`.
DEFAULT_TIMEOUT_S = 5.0
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


@dataclass(frozen=True)
class Item:
    id: str  # keyring, config, proxy, trust, dns, https, clock, profile
    status: str  # ok | warn | fail | skipped
    detail: str
    fix: str | None = None
    # Facts behind the detail for programs (a profile's last user and rate-limit budget).
    facts: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        out = {"id": self.id, "status": self.status, "detail": self.detail, "fix": self.fix}
        if self.facts is not None:
            out.update(self.facts)
        return out


@dataclass
class Report:
    items: list[Item] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(item.status != FAIL for item in self.items)

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "items": [item.to_json() for item in self.items]}

    def verdict(self, lang: str) -> str:
        """The closing sentence: never «todo en orden» about items that were not looked at."""
        skipped = sum(1 for item in self.items if item.status == SKIPPED)
        if not self.ok:
            return i18n.t("doctor.has_problems", lang)
        if skipped:
            key = "doctor.ok_but_skipped_one" if skipped == 1 else "doctor.ok_but_skipped"
            return i18n.t(key, lang, n=skipped)
        return i18n.t("doctor.all_ok", lang)

    def as_text(self) -> str:
        marks = {OK: "✔", WARN: "!", FAIL: "✘", SKIPPED: "–"}
        lines = []
        for item in self.items:
            lines.append(f"{marks[item.status]} {item.detail}")
            if item.fix and item.status in (WARN, FAIL):
                lines.append(f"    → {item.fix}")
        return "\n".join(lines)


@dataclass(frozen=True)
class Resolution:
    """What the one lookup of the API host found (looked_up False: offline, not tried)."""

    looked_up: bool
    addresses: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return bool(self.addresses)


class Doctor:
    def __init__(
        self,
        *,
        base_url: str,
        store: Any,
        lang: str = i18n.DEFAULT_LANG,
        offline: bool = False,
        timeout: float = DEFAULT_TIMEOUT_S,
        ca_bundle: str | None = None,
        clock: Callable[[], float] = time.time,
        country: Country | None = None,
    ) -> None:
        """country: say it in that country's words (None: the common ones)."""
        from wizard.request import Request

        # The doctor's requests carry no credentials. Building it checks the URL and the
        # timeout (BadRequest, a ValueError): a port of 99999 or a timeout of inf would
        # otherwise break an item's thread.
        self.request = Request(base_url, timeout=timeout, ca_bundle=ca_bundle)
        self.base_url = base_url.rstrip("/")
        parts = urlsplit(self.base_url)
        self.host = parts.hostname or ""
        self.https = parts.scheme == "https"
        self.port = parts.port or (443 if self.https else 80)
        self.store = store
        self.lang = lang
        self.country = country
        self.offline = offline
        self.timeout = timeout
        self.ca_bundle = ca_bundle
        self.clock = clock

    def _local(self, key: str) -> str:
        return self.country.words(key, self.lang) if self.country is not None else key

    def t(self, key: str, **fmt: object) -> str:
        return i18n.t(self._local(f"doctor.{key}"), self.lang, **fmt)

    def item(self, item_id: str, status: str, state: str, **fmt: object) -> Item:
        """An item whose texts are doctor.<id>.<state> (and .<state>_fix when there is one)."""
        fix_key = f"doctor.{item_id}.{state}_fix"
        fix = i18n.t(self._local(fix_key), self.lang, **fmt) if i18n.has(fix_key) else None
        return Item(item_id, status, self.t(f"{item_id}.{state}", **fmt), fix)

    def run(self, on_item: Callable[[Item], None] | None = None) -> Report:
        report = Report()

        def add(items: list[Item]) -> None:
            for item in items:
                report.items.append(item)
                if on_item is not None:
                    on_item(item)

        for local in (self.check_keyring, self.check_config, self.check_proxy, self.check_trust):
            add(local())
        # The network items depend on the name resolving: one lookup, handed to each.
        dns = self.resolve()
        for network in (self.check_dns, self.check_https, self.check_clock):
            add(network(dns))
        return report

    # --- local items ---
    def _storage_failure(self, item_id: str, reason: str, **fmt: object) -> Item:
        """A failed keyring or config item, in the store's own words for `reason`."""
        from wizard.present import storage_texts

        hint = storage_texts(reason, self.lang, country=self.country)
        detail = self.t(f"{item_id}.fail", problem=hint.title, **fmt)
        return Item(item_id, FAIL, detail, " ".join(hint.steps))

    def check_keyring(self) -> list[Item]:
        from wizard.store import StorageError

        try:
            name = self.store.check_backend()
        except StorageError as exc:
            # Name the backend that would have held the secret (a chainer's plaintext
            # member, say): support needs to know which one was refused.
            backend = self.store.effective_backend_name()
            return [self._storage_failure("keyring", exc.reason, backend=backend)]
        return [self.item("keyring", OK, "ok", backend=name)]

    def check_config(self) -> list[Item]:
        from wizard.store import StorageError

        try:
            profiles = self.store.list_profiles()
        except StorageError as exc:
            return [self._storage_failure("config", exc.reason)]
        state = {0: "ok_none", 1: "ok_one"}.get(len(profiles), "ok")  # «1 perfil guardado»
        items = [self.item("config", OK, state, count=len(profiles))]
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
            item = self.item("profile", OK, "ok", name=name, when=when)
        else:
            key = f"hint.{code}.title"
            title = i18n.t(key, self.lang) if i18n.has(key) else code
            item = self.item("profile", WARN, "failed", name=name, when=when, problem=title)
        return self._with_last_answer(item, profile)

    def _with_last_answer(self, item: Item, profile: Any) -> Item:
        """Who the token belonged to and the rate-limit budget, as the profile's last check
        saw them (the doctor itself sends no credentials, so it can't ask)."""
        from dataclasses import replace
        from datetime import datetime

        user, role = getattr(profile, "last_user", None), getattr(profile, "last_role", None)
        budget = getattr(profile, "last_rate_limit", None)
        parts = [item.detail]
        facts: dict[str, Any] = {"user": None, "rate_limit": None}
        if user:
            from wizard.present import role_words

            role = role_words(role, self.lang)  # the stored code, in words
            role_text = role or i18n.t("doctor.no_role", self.lang)
            parts.append(i18n.t("doctor.profile.user", self.lang, user=user, role=role_text))
            facts["user"] = {"name": user, "role": role}
        remaining, _, limit = (budget or "").partition("/")
        if remaining.isdigit() and limit.isdigit():
            reset_s = None
            try:
                at = datetime.fromisoformat(getattr(profile, "last_rate_reset_at", None) or "")
                reset_s = max(0, round(at.timestamp() - self.clock()))
            except (TypeError, ValueError):
                pass
            fmt = {"remaining": remaining, "limit": limit, "seconds": reset_s}
            state = (
                "budget" if reset_s is None else ("budget_reset" if reset_s else "budget_renewed")
            )
            parts.append(i18n.t(f"doctor.profile.{state}", self.lang, **fmt))
            facts["rate_limit"] = {
                "limit": int(limit), "remaining": int(remaining), "reset_s": reset_s,
            }  # fmt: skip
        if len(parts) == 1:
            return item
        return replace(item, detail=" ".join(parts), facts=facts)

    def check_proxy(self) -> list[Item]:
        import urllib.request

        from wizard import autoproxy

        proxies = urllib.request.getproxies()  # environment, and the OS settings on Win/mac
        chosen = proxies.get("https" if self.https else "http")
        items = [
            self.item("proxy", OK, "set", proxy=_without_password(chosen))
            if chosen
            else self.item("proxy", OK, "none")
        ]
        # A PAC script or WPAD is not followed (getproxies names no proxy for it): "no
        # proxy" may be untrue on an office network. (A proxy named outright is used.)
        found = None if chosen else autoproxy.detect()
        if found is not None:
            state = "auto_pac" if found.pac_url else "auto_detect"
            items = [self.item("proxy", WARN, state, url=_pac_shown(found.pac_url or ""))]
        return items

    def check_trust(self) -> list[Item]:
        """Which certificates the check trusts: only the CA bundle given, or the OS store.
        On Linux the OS store is OpenSSL's default file and folder, which SSL_CERT_FILE and
        SSL_CERT_DIR replace for every program (an office's inspecting proxy is trusted
        that way): named, so a support call can see it."""
        if self.ca_bundle:
            return [self._trust("bundle", path=self.ca_bundle)]
        if sys.platform in ("win32", "darwin"):  # truststore asks the OS's own verifier
            return [self._trust("system_os", path=None)]
        paths = ssl.get_default_verify_paths()
        for var in (paths.openssl_cafile_env, paths.openssl_capath_env):
            if os.environ.get(var):
                return [self._trust("environment", path=os.environ[var], variable=var)]
        where = paths.cafile or paths.capath or i18n.t("doctor.trust.unknown_place", self.lang)
        return [self._trust("system", path=where)]

    def _trust(self, store: str, path: str | None, variable: str | None = None) -> Item:
        item = self.item("trust", OK, store, path=path, variable=variable)
        facts = {"store": store, "path": path, "variable": variable}
        return Item(item.id, item.status, item.detail, item.fix, facts={"trust": facts})

    # --- network items ---
    def _skipped(self, item_id: str) -> list[Item]:
        return [Item(item_id, SKIPPED, self.t(f"{item_id}.skipped", host=self.host))]

    def _unresolved(self, item_id: str) -> list[Item]:
        """After a failed DNS item: one cause, one fix; don't list its echoes."""
        return [Item(item_id, SKIPPED, self.t("no_dns", what=self.t(f"{item_id}.what")))]

    def resolve(self) -> Resolution:
        """The one name lookup the network items share (none when offline)."""
        if self.offline:
            return Resolution(looked_up=False, addresses=())
        try:
            infos = call_with_timeout(
                lambda: socket.getaddrinfo(self.host, self.port, type=socket.SOCK_STREAM),
                timeout=self.timeout,
                name="doctor-dns",
            )
        except (CallTimedOut, OSError, UnicodeError):
            return Resolution(looked_up=True, addresses=())
        addresses = tuple(dict.fromkeys(str(info[4][0]) for info in infos))
        return Resolution(looked_up=True, addresses=addresses)

    def check_dns(self, dns: Resolution) -> list[Item]:
        if not dns.looked_up:
            return self._skipped("dns")
        if not dns.ok:
            return [self.item("dns", FAIL, "fail", host=self.host)]
        return [self.item("dns", OK, "ok", host=self.host, address=dns.addresses[0])]

    def _tls_context(self) -> ssl.SSLContext:
        # The check's own TLS rules (TLS 1.2+, the OS store unless a CA bundle): what this
        # item reports is what the check will meet.
        from wizard.tls import tls_context

        return tls_context(self.ca_bundle or None)

    def check_https(self, dns: Resolution) -> list[Item]:
        if not dns.looked_up:
            return self._skipped("https")
        if not dns.ok:
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
            issuer = call_with_timeout(handshake, timeout=self.timeout + 1, name="doctor-tls")
        except ssl.SSLError:
            from wizard.tls import certificate_issuer

            seen = certificate_issuer(self.host, self.port, self.timeout)
            seen = seen or self.t("unknown_issuer")
            return [self.item("https", FAIL, "untrusted", host=self.host, issuer=seen)]
        except (CallTimedOut, OSError):
            return [self.item("https", FAIL, "unreachable", host=self.host)]
        issuer = issuer or self.t("unknown_issuer")
        if self.host == ALEGRA_HOST and not any(
            p.lower() in issuer.lower() for p in PUBLIC_ISSUERS
        ):
            return [self.item("https", WARN, "inspected", host=self.host, issuer=issuer)]
        return [self.item("https", OK, "ok", host=self.host, issuer=issuer)]

    def check_clock(self, dns: Resolution) -> list[Item]:
        """The server's Date header against this computer's clock. No credentials: the
        transport sends exactly the headers given (none), whatever a ~/.netrc says."""
        if not dns.looked_up:
            return self._skipped("clock")
        if not dns.ok:
            return self._unresolved("clock")
        from email.utils import parsedate_to_datetime

        from wizard import transport

        def head() -> str | None:
            with transport.Client() as client:
                answer = client.send(self.request, "/", method="HEAD")
            date = answer.headers.get("Date")
            return str(date) if date else None

        try:
            date = call_with_timeout(head, timeout=self.timeout + 1, name="doctor-clock")
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


def _pac_shown(url: str) -> str:
    """A PAC script's address fit to show: its path kept, any user:password@ removed."""
    parts = urlsplit(url)
    return _without_password(url) + parts.path


def _without_password(url: str) -> str:
    """A proxy URL fit to show: user:password@ removed."""
    try:
        parts = urlsplit(url if "://" in url else f"http://{url}")
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "?"
    return f"{parts.scheme}://{parts.hostname or '?'}{port}"
