"""The support report: what a support agent needs, as plain text fit for WhatsApp or
email, in Spanish or English. Qt-free.

It never holds the token: only its masked hint. As a last guard, every secret the caller
knows about (and anything shaped like an Authorization header) is masked again by
wizard.redact before the text leaves this module.
"""

from __future__ import annotations

import platform
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wizard import i18n
from wizard.redact import mask_token_shaped
from wizard.version import __version__

if TYPE_CHECKING:
    from wizard.appconfig import AppConfig
    from wizard.doctor import Report
    from wizard.probe import ProbeResult


@dataclass(frozen=True)
class SupportInfo:
    profile: str | None
    email: str
    company: str | None
    identification: str | None
    country: str
    token_hint: str  # "…" + last 4, never more
    keyring_backend: str
    last_code: str | None
    test_mode: bool = False
    app_version: str = __version__
    os: str = ""
    server: str = ""  # the API address checked: named when it is not Alegra's


def system_description() -> str:
    """ "Windows 11 (build 22631, AMD64)", "macOS 14.5 (arm64)", "Debian GNU/Linux 12
    (bookworm) (x86_64)"…"""
    return os_name(
        platform.system(), platform.release(), platform.version(), platform.mac_ver()[0],
        platform.machine(), linux_distribution(),
    )  # fmt: skip


def linux_distribution() -> str:
    """The distribution's own name (os-release's PRETTY_NAME), "" where there is none."""
    try:
        return platform.freedesktop_os_release().get("PRETTY_NAME", "")
    except OSError:
        return ""


# Windows 11 still calls itself "10" (Python 3.11's platform.release() too): its build
# number says which. The first Windows 11 build was 22000.
WINDOWS_11_FIRST_BUILD = 22000


def os_name(
    system: str, release: str, version: str, mac_release: str, machine: str, distro: str = ""
) -> str:
    """The OS as its user knows it, from what `platform` reports: Windows by build number,
    macOS by its own version (platform.system() says "Darwin" and the kernel's "23.x"),
    Linux by its distribution (never the kernel's build string, "6.1.0-18-amd64")."""
    if system == "Windows":
        build = version.split(".")[2] if version.count(".") >= 2 else ""
        if build.isdigit():
            name = "11" if int(build) >= WINDOWS_11_FIRST_BUILD and release == "10" else release
            return f"Windows {name} (build {build}, {machine})"
        return f"Windows {release} ({machine})"
    if system == "Darwin" and mac_release:
        return f"macOS {mac_release} ({machine})"
    if system == "Linux":
        return f"{distro or 'Linux'} ({machine})"
    return f"{system} {release} ({machine})".replace("  ", " ")


def build_report(
    info: SupportInfo,
    lang: str = i18n.DEFAULT_LANG,
    *,
    doctor: Report | None = None,
    probe: ProbeResult | None = None,
    secrets: Iterable[str] = (),
    app: AppConfig | None = None,
) -> str:
    """The report; `app`: the product that ships the wizard (its name, id and support
    contact lead the report, so the agent knows whose user writes)."""

    def t(key: str, **fmt: object) -> str:
        return i18n.t(f"support.{key}", lang, **fmt)

    dash = "—"
    outcome = dash  # in words; the code itself only on the technical line at the end
    if info.last_code == "connected":
        outcome = t("connected")
    elif info.last_code:
        title_key = f"hint.{info.last_code}.title"
        outcome = i18n.t(title_key, lang) if i18n.has(title_key) else info.last_code
    # What a user typed or a server said may hold a token (pasted into the wrong field,
    # glued to an email): every token-shaped run in it is masked. Ours (the version, the
    # system, the keyring's name, the app file's lines) are left as they are.
    fields = [
        ("profile", mask_token_shaped(info.profile or "") or t("not_saved")),
        ("email", mask_token_shaped(info.email) or dash),
        ("company", mask_token_shaped(info.company or "") or dash),
        ("identification", mask_token_shaped(info.identification or "") or dash),
        ("country", info.country or dash),
        ("token", info.token_hint or dash),
        ("last_outcome", outcome),
        *((("server", info.server),) if not_alegra(info.server) else ()),
        ("version", info.app_version),
        ("os", info.os or system_description()),
        ("keyring", info.keyring_backend or dash),
    ]
    lines = [t("heading")]
    if info.test_mode:
        lines.append(t("test_mode"))
    if app is not None and app.name is not None:
        lines.append(i18n.t("brand.report.app", lang, name=app.name, id=app.id))
        if app.support:
            lines.append(i18n.t("brand.report.support", lang, name=app.name, support=app.support))
    lines += [f"{t('field.' + key)}: {value}" for key, value in fields]
    if probe is not None:
        from wizard.hints import probe_status_text

        lines.append("")
        lines.append(t("probe_heading"))
        for row in probe.rows:
            name = i18n.t(f"probe.resource.{row.key}", lang)
            lines.append(f"- {name}: {probe_status_text(row.status, lang)}")
    if doctor is not None:
        marks = {"ok": "✔", "warn": "!", "fail": "✘", "skipped": "–"}
        lines.append("")
        lines.append(t("doctor_heading"))
        lines += [f"{marks[item.status]} {mask_token_shaped(item.detail)}" for item in doctor.items]
    lines.append("")
    if info.last_code:
        lines.append(t("technical", code=info.last_code))
    lines.append(t("footer"))
    return _scrub("\n".join(lines), secrets)


def not_alegra(server: str) -> bool:
    """A server address other than Alegra's own API (a proxy, a test server, a typo)."""
    from wizard.request import DEFAULT_BASE_URL

    return bool(server) and server.rstrip("/") != DEFAULT_BASE_URL


def _scrub(text: str, secrets: Iterable[str]) -> str:
    from wizard.redact import mask_token, redact, register_secret

    for secret in secrets:
        if secret:
            register_secret(secret)
            text = text.replace(secret, mask_token(secret))
    return redact(text)
