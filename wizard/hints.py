"""Troubleshooting catalog lookup: what went wrong and how to fix it, per outcome code.

The texts are data (resources/i18n/hints.toml); this module only picks the
entry and fills its placeholders. Adding a case is adding a catalog entry.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wizard import i18n
from wizard.outcomes import RATE_WAIT_DEFAULT_S, RATE_WAIT_MAX_S, RATE_WAIT_MIN_S, Code

if TYPE_CHECKING:
    from wizard.countries import Country
    from wizard.probe import ProbeResult

DEFAULT_WAIT_SECONDS = RATE_WAIT_DEFAULT_S
DEFAULT_HOST = "api.alegra.com"


def sane_wait(seconds: int | None) -> int:
    """A wait to tell the user: the default when unknown, else within 1 s .. 1 hour."""
    if seconds is None:
        return DEFAULT_WAIT_SECONDS
    return min(max(seconds, RATE_WAIT_MIN_S), RATE_WAIT_MAX_S)


def wait_words(seconds: int | None, lang: str) -> str:
    """A sane wait in words: «1 segundo», «30 segundos», «3 minutos», «1 hora»."""
    n = sane_wait(seconds)
    if n == 1:
        return i18n.t("hint.wait.second", lang)
    if n < 120:
        return i18n.t("hint.wait.seconds", lang, n=n)
    if n < 3600:
        return i18n.t("hint.wait.minutes", lang, n=-(-n // 60))
    return i18n.t("hint.wait.hour", lang)


@dataclass(frozen=True, slots=True)
class Hint:
    """What went wrong and how to fix it, in one language."""

    title: str
    causes: list[str]
    steps: list[str]
    url: str | None
    fix: str = ""  # the most likely fix, one sentence (the window shows it first)


def hint_key(code: Code | str, variant: str | None = None) -> str:
    base = f"hint.{Code(code).value}"
    if variant and i18n.has(f"hint.{Code(code).value}_{variant}.title"):
        return f"hint.{Code(code).value}_{variant}"
    return base


def hint_for(
    code: Code | str,
    lang: str = i18n.DEFAULT_LANG,
    *,
    variant: str | None = None,
    seconds: int | None = None,
    issuer: str | None = None,
    country: Country | None = None,
    host: str | None = None,
) -> Hint:
    """The hint for an outcome code in `lang`.

    variant: a sharper entry when the client knows more (e.g. "user" after a
    403 whose /users/self answered 200). seconds: how long to wait (429).
    issuer: the TLS certificate's issuer (tls_error). country: say it in that
    country's words («computador», «ordenador»); None: the common words. host: the
    server's host name, for «allow this program to connect to …» (default Alegra's).
    """
    key = hint_key(code, variant)
    local = _localizer(lang, country)
    fmt = {
        "seconds": sane_wait(seconds),
        "wait": wait_words(seconds, lang),
        "issuer": issuer or i18n.t("hint.unknown_issuer", lang),
        "host": host or DEFAULT_HOST,
    }
    steps = i18n.t_list(local(f"{key}.steps"), lang, **fmt)
    fix_key = next((k for k in (f"{key}.fix", f"{base_key(code)}.fix") if i18n.has(k)), None)
    return Hint(
        title=i18n.t(local(f"{key}.title"), lang, **fmt),
        causes=i18n.t_list(local(f"{key}.causes"), lang, **fmt),
        steps=steps,
        url=i18n.t(f"{key}.url", lang) if i18n.has(f"{key}.url") else None,
        fix=i18n.t(local(fix_key), lang, **fmt) if fix_key else (steps[0] if steps else ""),
    )


def base_key(code: Code | str) -> str:
    return f"hint.{Code(code).value}"


def _localizer(lang: str, country: Country | None) -> Callable[[str], str]:
    if country is None:
        return lambda key: key
    return lambda key: country.words(key, lang)


def system_name(platform: str | None = None) -> str:
    """windows, macos or linux (any other Unix): which of a text's per-system variants."""
    platform = sys.platform if platform is None else platform
    return {"win32": "windows", "darwin": "macos"}.get(platform, "linux")


def storage_hint(
    reason: str, lang: str = i18n.DEFAULT_LANG, *, country: Country | None = None
) -> Hint:
    """The store's own texts for a StorageError reason (storage.<reason> in store.toml;
    storage.<reason>.<system>.title/.steps where this system needs other words: no
    Windows or macOS user is told to install gnome-keyring), else the generic
    storage_error hint."""
    key = f"storage.{reason}"
    local = _localizer(lang, country)

    def own(part: str) -> str | None:
        for candidate in (f"{key}.{system_name()}.{part}", f"{key}.{part}"):
            if i18n.has(candidate):
                return local(candidate)
        return None

    title, steps = own("title"), own("steps")
    if title is not None:
        return Hint(
            title=i18n.t(title, lang),
            causes=[],
            steps=i18n.t_list(steps, lang) if steps else [],
            url=None,
        )
    return hint_for(Code.STORAGE_ERROR, lang, country=country)


def probe_status_text(status: str, lang: str = i18n.DEFAULT_LANG) -> str:
    return i18n.t(f"probe.status.{status}", lang)


def probe_advice(result: ProbeResult, lang: str = i18n.DEFAULT_LANG) -> list[str]:
    """What to do about a probe's ✘ and ? rows, one paragraph per kind, in table order."""
    seen = {row.status for row in result.rows}
    advice = [
        i18n.t(f"probe.fix.{status}", lang)
        for status in ("not_in_plan", "no_permission", "error", "not_checked")
        if status in seen
    ]
    if result.rate_limited:
        advice.append(i18n.t("probe.fix.rate_limited", lang, wait=wait_words(result.reset_s, lang)))
    return advice


def probe_summary(result: ProbeResult, lang: str = i18n.DEFAULT_LANG) -> list[str]:
    """The plan check's verdict, a line per kind of gap (what the plan does not include
    first, then what the user may not use, then what could not be checked) naming the
    resources and what to do; one line when everything checked is there."""
    lines = []
    for status in ("not_in_plan", "no_permission", "error"):
        names = [
            i18n.t(f"probe.resource.{row.key}", lang) for row in result.rows if row.status == status
        ]
        if names:
            lines.append(i18n.t(f"probe.summary.{status}", lang, names=", ".join(names)))
    if result.rate_limited:
        lines.append(i18n.t("probe.summary.rate_limited", lang, seconds=sane_wait(result.reset_s)))
    elif result.cancelled:
        lines.append(i18n.t("probe.summary.cancelled", lang))
    return lines or [i18n.t("probe.summary.all_available", lang)]


def probe_as_text(result: ProbeResult, lang: str = i18n.DEFAULT_LANG) -> str:
    """The probe as plain lines: a heading, one line per resource, then the advice."""
    lines = [i18n.t("probe.cli.heading", lang)]
    width = max(len(i18n.t(f"probe.resource.{row.key}", lang)) for row in result.rows)
    for row in result.rows:
        name = i18n.t(f"probe.resource.{row.key}", lang)
        lines.append(f"  {name.ljust(width)}  {probe_status_text(row.status, lang)}")
    lines += [f"  {paragraph}" for paragraph in probe_advice(result, lang)]
    return "\n".join(lines)
