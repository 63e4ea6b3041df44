"""The support report: every field, every outcome, never the token."""

from __future__ import annotations

import base64

import pytest

from tests.helpers import CANARY_TOKEN
from wizard.diagnostics import SupportInfo, build_report
from wizard.doctor import Item, Report
from wizard.outcomes import Code
from wizard.probe import PROBED, ProbeResult, ProbeRow


def info(**kw: object) -> SupportInfo:
    base: dict[str, object] = {
        "profile": "panaderia",
        "email": "ana@panaderia.co",
        "company": "Panadería La Espiga S.A.S.",
        "identification": "900123456-7",
        "country": "Colombia",
        "token_hint": "…" + CANARY_TOKEN[-4:],
        "keyring_backend": "SecretService Keyring",
        "last_code": "connected",
    }
    base.update(kw)
    return SupportInfo(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize("code", list(Code))
@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_outcome_reads_well_and_holds_no_token(code: Code, lang: str) -> None:
    report = build_report(info(last_code=code.value), lang, secrets=[CANARY_TOKEN])
    assert CANARY_TOKEN not in report
    assert code.value in report and "ana@panaderia.co" in report and "900123456-7" in report
    assert ("Perfil" if lang == "es" else "Profile") in report
    assert "…" + CANARY_TOKEN[-4:] in report


def test_a_token_that_slipped_into_any_field_is_masked() -> None:
    header = "Basic " + base64.b64encode(f"ana@x.co:{CANARY_TOKEN}".encode()).decode()
    leaky = info(
        company=f"Empresa {CANARY_TOKEN}",
        email=f"ana@x.co Authorization: {header}",
        keyring_backend=f"token={CANARY_TOKEN}",
    )
    report = build_report(leaky, "es", secrets=[CANARY_TOKEN])
    encoded = header.split()[1]
    assert CANARY_TOKEN not in report and encoded not in report


def test_probe_and_doctor_sections() -> None:
    probe = ProbeResult(
        tuple(
            ProbeRow(p.key, p.path, p.gated, "not_in_plan" if p.gated else "available")
            for p in PROBED
        ),
        rate_limited=False,
        reset_s=None,
    )
    doctor = Report([Item("dns", "fail", "No se encuentra el nombre api.alegra.com.", "…")])
    report = build_report(info(test_mode=True), "es", probe=probe, doctor=doctor)
    assert "Bancos: ✘ tu plan no incluye esto" in report
    assert "✘ No se encuentra el nombre api.alegra.com." in report
    assert "modo de prueba" in report and "no contiene el token" in report


def test_unsaved_flow_and_missing_fields() -> None:
    report = build_report(
        info(profile=None, company=None, identification=None, last_code=None), "en"
    )
    assert "Profile: not saved" in report and "Company: —" in report


def test_the_product_and_its_support_contact_lead_the_report() -> None:
    from tests.helpers import ROOT
    from wizard.appconfig import AppConfig, read

    app = read(ROOT / "resources" / "samples" / "facturador-pos" / "alegra-wizard.toml")
    report = build_report(info(last_code="needs_unmet"), "es", app=app, secrets=[CANARY_TOKEN])
    lines = report.splitlines()
    assert "App: Facturador POS (facturador-pos)" in lines[:4]
    assert "Soporte de Facturador POS: soporte@facturador.co · WhatsApp +57 300 000 0000" in lines
    assert "needs_unmet" in report and CANARY_TOKEN not in report
    plain = build_report(info(), "es", app=AppConfig())
    assert "App:" not in plain and "Soporte de" not in plain


def test_a_token_shaped_run_is_masked_wherever_a_user_or_server_put_it() -> None:
    token = "0f9e8d7c6b5a4f3e2d1c"  # never registered
    leaky = info(
        email=f"ana@empresa.co{token}",
        company=f"Eco {token}",
        identification=token,
        profile=f"x-{token}",
    )
    report = build_report(leaky, "es")
    assert token not in report, report
    assert report.count("…" + token[-4:]) == 4
    # A long, valid email is no token.
    long_email = "contabilidad.general@panaderialaespiga.com.co"
    assert long_email in build_report(info(email=long_email), "es")


@pytest.mark.parametrize(
    ("reported", "name"),
    [
        (("Windows", "10", "10.0.22631", "", "AMD64"), "Windows 11 (build 22631, AMD64)"),
        (("Windows", "10", "10.0.22000", "", "AMD64"), "Windows 11 (build 22000, AMD64)"),
        (("Windows", "10", "10.0.19045", "", "AMD64"), "Windows 10 (build 19045, AMD64)"),
        (("Windows", "11", "10.0.26100", "", "ARM64"), "Windows 11 (build 26100, ARM64)"),
        (
            ("Darwin", "23.5.0", "Darwin Kernel Version 23.5.0", "14.5", "arm64"),
            "macOS 14.5 (arm64)",
        ),
        (("Linux", "6.1.0-18-amd64", "#1 SMP", "", "x86_64"), "Linux (x86_64)"),
        (
            ("Linux", "6.1.0-18-amd64", "#1 SMP", "", "x86_64", "Debian GNU/Linux 12 (bookworm)"),
            "Debian GNU/Linux 12 (bookworm) (x86_64)",
        ),
    ],
)
def test_the_report_names_the_os_as_its_user_knows_it(reported: tuple[str, ...], name: str) -> None:
    """Issue 26: Windows 11 reported itself as "Windows 10", macOS as "Darwin 23"."""
    from wizard.diagnostics import os_name

    assert os_name(*reported) == name


def test_this_machine_s_os_is_described_from_platform() -> None:
    import platform

    from wizard.diagnostics import linux_distribution, system_description

    described = system_description()
    assert described == f"{linux_distribution() or 'Linux'} ({platform.machine()})"
    assert platform.release() not in described  # no kernel build string


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_outcome_is_in_words_and_its_code_only_on_the_technical_line(lang: str) -> None:
    from wizard import i18n

    report = build_report(info(last_code="unauthorized"), lang)
    lines = report.splitlines()
    outcome = next(line for line in lines if line.startswith(("Último resultado", "Last outcome")))
    assert outcome.endswith(i18n.t("hint.unauthorized.title", lang))
    coded = [line for line in lines if "unauthorized" in line]
    assert coded == [i18n.t("support.technical", lang, code="unauthorized")]


def test_a_server_other_than_alegras_is_named() -> None:
    other = build_report(info(server="https://alegra.proxy.miempresa.co/api/v1"), "es")
    assert "Servidor (no es el de Alegra): https://alegra.proxy.miempresa.co/api/v1" in other
    alegra = build_report(info(server="https://api.alegra.com/api/v1/"), "es")
    assert "Servidor" not in alegra
