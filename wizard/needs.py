"""Does this account have what the product needs? The app file's [needs], checked (Qt-free).

After a good check, only the needed resources are probed, in the file's order, paced like
the plan probe (wizard.probe). A resource the plan or the user's role denies is *missing*:
the outcome is `needs_unmet`. One that can't be checked (no read-only path, an error, a
pause for the rate limit) is said to be unchecked and never blocks.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, NamedTuple

from wizard import i18n
from wizard.appconfig import AppConfig
from wizard.probed import AVAILABLE, NO_PERMISSION, NOT_IN_PLAN, SKIPPED

if TYPE_CHECKING:
    from wizard.outcomes import Code
    from wizard.probe import ProbeResult

# Light on purpose (NamedTuples, the HTTP stack imported only to probe): page one names the
# needs before the window's first paint.
MISSING = frozenset({NOT_IN_PLAN, NO_PERMISSION})


class Need(NamedTuple):
    resource: str
    status: str  # a probe row status
    why: str | None

    @property
    def missing(self) -> bool:
        return self.status in MISSING

    @property
    def unchecked(self) -> bool:
        return self.status != AVAILABLE and not self.missing

    def to_json(self) -> dict[str, Any]:
        return {"resource": self.resource, "status": self.status, "why": self.why}


class NeedsReport(NamedTuple):
    needs: tuple[Need, ...]
    rate_limited: bool = False
    reset_s: int | None = None

    @property
    def missing(self) -> tuple[Need, ...]:
        return tuple(need for need in self.needs if need.missing)

    @property
    def unchecked(self) -> tuple[Need, ...]:
        return tuple(need for need in self.needs if need.unchecked)

    @property
    def code(self) -> Code:
        """needs_unmet when any need is known missing, else connected."""
        from wizard.outcomes import Code

        return Code.NEEDS_UNMET if self.missing else Code.CONNECTED

    def missing_json(self) -> list[dict[str, Any]]:
        return [need.to_json() for need in self.missing]

    def unchecked_json(self) -> list[dict[str, Any]]:
        return [need.to_json() for need in self.unchecked]


def check_needs(
    app: AppConfig,
    email: str,
    token: str,
    base_url: str,
    timeout: float,
    ca_bundle: str | None = None,
    cancel: threading.Event | None = None,
    pace_s: float | None = None,
) -> NeedsReport | None:
    """Probe the app's needed resources, and only them (`pace_s` apart: the probe's pace
    unless given). None when the app needs nothing."""
    if not app.needs:
        return None
    from wizard import probe

    if pace_s is None:
        pace_s = probe.PROBE_PACE_S
    found = probe.probe_permissions(
        email, token, base_url=base_url, timeout=timeout, ca_bundle=ca_bundle, cancel=cancel,
        pace_s=pace_s, resources=app.needs,
    )  # fmt: skip
    return report_from_probe(app, found)


def report_from_probe(app: AppConfig, found: ProbeResult) -> NeedsReport:
    rows = {row.key: row.status for row in found.rows}
    needs = tuple(Need(key, rows.get(key, SKIPPED), app.why.get(key)) for key in app.needs)
    return NeedsReport(needs, rate_limited=found.rate_limited, reset_s=found.reset_s)


def resource_name(key: str, lang: str) -> str:
    """A resource's short name («Bancos»)."""
    return i18n.t(f"brand.resource.{key}", lang)


def names(keys: tuple[str, ...] | list[str], lang: str) -> str:
    return ", ".join(resource_name(key, lang) for key in keys)


def app_name(app: AppConfig, lang: str) -> str:
    """The product's name, or the wizard's own words when no file names one."""
    return app.name if app.name is not None else i18n.t("brand.default_name", lang)


def up_front(app: AppConfig, lang: str) -> str | None:
    """«Facturador POS necesitará: Facturas, Contactos, Bancos.», or None."""
    if not app.needs:
        return None
    return i18n.t(
        "brand.needs.up_front", lang, name=app_name(app, lang), resources=names(app.needs, lang)
    )


def missing_lines(app: AppConfig, report: NeedsReport, lang: str) -> list[str]:
    """One sentence per missing need, with why the product needs it."""
    lines = []
    for need in report.missing:
        kind = "missing_plan" if need.status == NOT_IN_PLAN else "missing_permission"
        line = i18n.t(f"brand.needs.{kind}", lang, resource=resource_name(need.resource, lang))
        if need.why:
            lines.append(
                i18n.t("brand.needs.why", lang, line=line, name=app_name(app, lang), why=need.why)
            )
        else:
            lines.append(i18n.t("brand.needs.no_why", lang, line=line, name=app_name(app, lang)))
    return lines


def unchecked_lines(report: NeedsReport, lang: str) -> list[str]:
    return [
        i18n.t("brand.needs.unchecked", lang, resource=resource_name(need.resource, lang))
        for need in report.unchecked
    ]


def summary_lines(app: AppConfig, report: NeedsReport, lang: str) -> list[str]:
    """What the CLI prints and the window shows after the needs were checked."""
    lines = missing_lines(app, report, lang)
    if not report.missing:
        met = [need.resource for need in report.needs if need.status == AVAILABLE]
        if met:
            lines.append(
                i18n.t(
                    "brand.needs.all_met",
                    lang,
                    name=app_name(app, lang),
                    resources=names(met, lang),
                )
            )
    return lines + unchecked_lines(report, lang)
