"""The presentation layer both front ends render from (Qt-free).

A check result, a stored profile or a storage failure becomes data to show here,
once: which hint, the hint as JSON, the company line, the masked token, the one
default timeout. The GUI turns these into widgets, the CLI into lines or JSON.
Anything a server sent is cleaned of control and escape characters and has every
known secret masked before it leaves this module.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from wizard import countries, i18n
from wizard.hints import Hint, hint_for, sane_wait, storage_hint
from wizard.outcomes import CHECK_TIMEOUT_S, Code
from wizard.redact import mask_token as mask_token  # the token's one mask, for both front ends
from wizard.redact import redact

if TYPE_CHECKING:
    from wizard.check import CheckResult, Company

# One default for the same check, whichever front end runs it (see outcomes).
DEFAULT_TIMEOUT_S = CHECK_TIMEOUT_S

# ESC-introduced sequences (CSI, OSC, and the two-character ones) go whole: removing just
# the ESC would leave "[31m" behind.
_ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
# Bidi overrides/isolates reorder what the user reads (a "Trojan Source" company name).
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_text(text: str) -> str:
    """Server-provided text made safe to print: escape sequences, control characters and
    bidi overrides removed (line breaks and tabs become spaces), secrets masked."""
    text = _ESCAPES.sub("", text)
    out = []
    for ch in text:
        if ch in "\t\r\n":
            out.append(" ")
        elif ch in _BIDI or unicodedata.category(ch) == "Cc":
            continue
        else:
            out.append(ch)
    return redact("".join(out))


def clean_block(text: str) -> str:
    """clean_text for several lines: line breaks and tabs kept, everything else the same.
    Every human line the CLI prints goes through here."""
    return "\n".join(clean_text(line) for line in text.split("\n"))


def clean_optional(text: str | None) -> str | None:
    return None if text is None else clean_text(str(text))


def wait_seconds(result: CheckResult | None) -> int | None:
    """How long a 429 asks to wait (the server's reset, else our default; always 1 s to an
    hour); None otherwise."""
    if result is None or result.code is not Code.RATE_LIMITED:
        return None
    return sane_wait(result.rate_limit.reset_s if result.rate_limit else None)


# What Alegra's body said, as the check JSON carries it: cleaned, at most this long.
SERVER_MESSAGE_MAX = 200


def server_message(result: CheckResult) -> str | None:
    """DESIGN's `server_message`: the error answer's own message, cleaned, at most
    SERVER_MESSAGE_MAX characters (an ellipsis marks a cut); None when it sent none."""
    text = " ".join(clean_text(result.server_message or "").split())
    if not text:
        return None
    if len(text) > SERVER_MESSAGE_MAX:
        text = text[: SERVER_MESSAGE_MAX - 1].rstrip() + "…"
    return text


def hint_for_result(
    result: CheckResult,
    lang: str,
    country: countries.Country | None = None,
    *,
    base_url: str | None = None,
    live: bool = False,
) -> Hint | None:
    """The hint a check result shows (in the country's words): None when connected.
    base_url: the server checked (its host name is named where the hint says what to
    allow). live: the window's texts, where a wait is a live countdown."""
    if result.code is Code.CONNECTED:
        return None
    return hint_for(
        result.code,
        lang,
        variant="user" if result.can_read_company is False else ("live" if live else None),
        seconds=wait_seconds(result),
        issuer=clean_optional(result.tls_issuer),
        country=country,
        host=host_of(base_url),
    )


def host_of(base_url: str | None) -> str | None:
    """A server address's host name, cleaned; None when there is none to name."""
    from urllib.parse import urlsplit

    try:
        host = urlsplit(base_url or "").hostname
    except ValueError:
        return None
    return clean_text(host) if host else None


def hint_json(hint: Hint | None) -> dict[str, Any] | None:
    """DESIGN's `hint` object: {title, steps, url}."""
    if hint is None:
        return None
    return {"title": hint.title, "steps": list(hint.steps), "url": hint.url}


def hint_text(hint: Hint) -> str:
    """A hint as the CLI prints it: the title, the numbered steps, the link."""
    lines = [hint.title]
    lines += [f"  {n}. {step}" for n, step in enumerate(hint.steps, 1)]
    if hint.url:
        lines.append(f"  {hint.url}")
    return "\n".join(lines)


def storage_texts(reason: object, lang: str, country: countries.Country | None = None) -> Hint:
    """What to tell the user about a StorageError's reason (an enum or its string): the
    store's own texts for it, else the generic storage hint. The one lookup."""
    value = getattr(reason, "value", reason)
    return storage_hint(str(value) if value else "failed", lang, country=country)


class CompanyView:
    """A company as both front ends show it, in the user's language, cleaned."""

    def __init__(
        self,
        *,
        name: str,  # never empty: "(empresa sin nombre)" when the server gave none
        named: bool,  # False when `name` is our placeholder
        id_label: str,  # the country's word: NIT, RFC, RUC...
        identification: str | None,
        country: str | None,  # readable name
        currency: str | None,
    ) -> None:
        self.name, self.named, self.id_label = name, named, id_label
        self.identification, self.country, self.currency = identification, country, currency

    def summary(self) -> str:
        """One line: name · identification · country."""
        bits = (self.name if self.named else None, self.identification, self.country)
        return " · ".join(b for b in bits if b) or "—"

    def line(self, lang: str) -> str:
        """The CLI's "Empresa: …" line."""
        return i18n.t(
            "cli.company_line",
            lang,
            name=self.name,
            id_label=self.id_label,
            identification=self.identification or "—",
            country=self.country or "—",
            currency=self.currency or "—",
        )


def company_country(
    company: Company | None, fallback: countries.Country | None = None
) -> countries.Country | None:
    """The country a company's Alegra edition names (its words, its tax id), else `fallback`."""
    return (countries.by_edition(company.country) if company else None) or fallback


def company_view(
    company: Company | None, lang: str, fallback: countries.Country | None = None
) -> CompanyView | None:
    if company is None:
        return None
    name = clean_optional(company.name)
    country = company_country(company, fallback)
    edition = clean_optional(company.country)
    return CompanyView(
        name=name or i18n.t("cli.unknown_company", lang),
        named=bool(name),
        id_label=country.tax_id_label(lang) if country else i18n.t("cli.tax_id", lang),
        identification=clean_optional(company.identification) or None,
        country=countries.edition_name(edition, lang),
        currency=clean_optional(company.currency) or None,
    )


def company_json(company: Company | None) -> dict[str, Any] | None:
    if company is None:
        return None
    return {
        "name": clean_optional(company.name),
        "identification": clean_optional(company.identification),
        "country": clean_optional(company.country),
        "currency": clean_optional(company.currency),
    }


_ROLE_CODE = re.compile(r"[a-z][a-z0-9_-]{0,39}")


def role_words(role: str | None, lang: str) -> str | None:
    """A role code from /users/self in words («administrador» for "admin"), from the
    catalog's `cli.role.<code>`; None for a code we don't know (never shown raw)."""
    code = (role or "").strip().lower()
    if not _ROLE_CODE.fullmatch(code) or not i18n.has(f"cli.role.{code}"):
        return None
    return i18n.t(f"cli.role.{code}", lang)


def user_json(user: Any, lang: str) -> dict[str, Any] | None:
    """DESIGN's `user` ({name, email, role} from /users/self; the role in words), or None."""
    if user is None:
        return None
    return {
        "name": clean_optional(getattr(user, "name", None)),
        "email": clean_optional(getattr(user, "email", None)),
        "role": role_words(getattr(user, "role", None), lang),
    }


def user_line(user: Any, lang: str, company: str | None = None) -> str:
    """Who the token belongs to (/users/self), one line; "" when the server said nothing.
    With `company`: «Conectado como Ana Pérez (administrador) en Panadería La Espiga S.A.S.»"""
    if user is None:
        return ""
    name = clean_optional(getattr(user, "name", None)) or clean_optional(
        getattr(user, "email", None)
    )
    if not name:
        return ""
    role = role_words(getattr(user, "role", None), lang)
    key = "cli.connected_as_role" if role else "cli.connected_as"
    where = clean_optional(company)
    if where:
        return i18n.t(f"{key}_at", lang, name=name, role=role or "", company=where.rstrip("."))
    return i18n.t(key, lang, name=name, role=role or "")


def rate_limit_json(result: CheckResult) -> dict[str, Any] | None:
    rl = result.rate_limit
    if rl is None:
        return None
    return {"limit": rl.limit, "remaining": rl.remaining, "reset_s": rl.reset_s}


def check_json(
    code: Code,
    hint: Hint | None,
    lang: str,
    *,
    cleaned: Any = None,
    result: CheckResult | None = None,
    matches_stored: bool | None = None,
    permissions: list[dict[str, Any]] | None = None,
    profiles: list[str] | None = None,
    needs: Any = None,
) -> dict[str, Any]:
    """DESIGN's check report (`check --json`, and `login --json` before its own fields),
    from what the check found: `cleaned` (wizard.credentials.Cleaned: the email, the
    masked token and what cleaning noticed), the network `result` when there was one, and
    what some ends add (the offline comparison with the stored token, the probe's
    permissions, the profiles to choose from, the app file's needs as checked)."""
    notes = cleaned
    warnings = [{"field": n.field, "warning": n.id} for n in notes.warnings] if notes else []
    if result is not None:
        warnings += [{"field": "email", "warning": w} for w in result.warnings]
    report: dict[str, Any] = {
        "ok": code in (Code.CONNECTED, Code.FORMAT_OK),
        "code": code.value,
        "http_status": result.http_status if result else None,
        "email": notes.email if notes else "",
        "token_hint": mask_token(notes.token) if notes else "",
        "company": company_json(result.company) if result else None,
        "fixes": [{"field": n.field, "fix": n.id} for n in notes.fixes] if notes else [],
        "warnings": warnings,
        "problems": [{"field": n.field, "problem": n.id} for n in notes.problems] if notes else [],
        "hint": None if code is Code.CONNECTED else hint_json(hint),
        "elapsed_ms": result.elapsed_ms if result else 0,
        "rate_limit": rate_limit_json(result) if result else None,
        "user": user_json(result.user, lang) if result else None,
        "server_message": server_message(result) if result else None,
    }
    if matches_stored is not None:
        report["matches_stored"] = matches_stored
    if result is not None and result.detail:
        report["detail"] = clean_text(result.detail)
    if permissions is not None:
        report["permissions"] = permissions
    if profiles:
        report["profiles"] = profiles
    if needs is not None:  # wizard.needs.NeedsReport: the app file's needs were checked
        report["needs_missing"] = needs.missing_json()
        report["needs_unchecked"] = needs.unchecked_json()
    return report


def window_report(
    code: str,
    exit_code: int,
    *,
    saved: bool = False,
    verified: bool = False,
    profile_id: str | None = None,
    company: Company | None = None,
    email: str | None = None,
    token_hint: str | None = None,
    test_mode: bool = False,
    app: Any = None,
    needs: Any = None,
) -> dict[str, object]:
    """DESIGN's --result-json report of the window (never the token): how it ended, what was
    saved. `app` (wizard.appconfig.AppConfig) adds the product and its needs' outcome
    (`needs`: wizard.needs.NeedsReport, None when they were not checked)."""
    report: dict[str, object] = {
        "ok": exit_code == 0,
        "code": code,
        "saved": saved,
        "verified": verified,
        "profile": profile_id,
        "company": company_json(company),
        "email": email or None,
        "token_hint": token_hint or None,
        "test_mode": test_mode,
    }
    if app is not None and app.branded:
        report["app"] = {"id": app.id, "name": app.name}
    if app is not None and app.needs:
        report["needs_missing"] = needs.missing_json() if needs is not None else []
        report["needs_unchecked"] = needs.unchecked_json() if needs is not None else []
    return report


PROFILE_FIELDS = (
    "id",
    "name",
    "email",
    "base_url",
    "country",
    "company",
    "identification",
    "token_hint",
    "last_check_at",
    "last_check_code",
)


def profile_json(profile: Any, default_id: str | None = None) -> dict[str, Any]:
    """A stored profile as data: metadata only (the token is never in a Profile)."""
    data = {name: getattr(profile, name, None) for name in PROFILE_FIELDS}
    data["default"] = default_id is not None and profile.id == default_id
    missing = getattr(profile, "needs_missing", None)
    data["needs_missing"] = missing.split(",") if missing else []
    return data


def scrub(value: Any) -> Any:
    """Every string in a JSON-ready structure cleaned and with secrets masked (the last
    line of defence before anything is printed)."""
    if isinstance(value, str):
        return clean_block(value)
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    return value
