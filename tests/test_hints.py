"""The hints catalog: every outcome code has a complete hint in every language."""

from __future__ import annotations

import sys

import pytest

from wizard import i18n
from wizard.hints import hint_for
from wizard.outcomes import Code


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("code", list(Code))
def test_every_code_has_a_hint_in_every_language(code: Code, lang: str) -> None:
    for part in ("title", "causes", "steps"):
        entry = i18n.catalog()[f"hint.{code.value}.{part}"]
        assert lang in entry, f"hint.{code.value}.{part} lacks {lang}"
    hint = hint_for(code, lang)
    assert hint.title.strip()
    assert hint.steps and all(step.strip() for step in hint.steps)
    assert "{" not in hint.title + "".join(hint.steps), "unfilled placeholder"


def test_spanish_and_english_differ() -> None:
    for code in Code:
        assert hint_for(code, "es").title != hint_for(code, "en").title, code


def test_unauthorized_names_the_three_causes_and_the_path() -> None:
    hint = hint_for(Code.UNAUTHORIZED, "es")
    causes = " ".join(hint.causes)
    assert "espacio" in causes
    assert "exactamente" in causes
    assert "Renovar token" in causes
    steps = " ".join(hint.steps)
    for place in ("Configuración", "Integraciones", "Integración Manual", "Datos de usuario"):
        assert place in steps
    assert hint.url is not None and hint.url.startswith("https://app.alegra.com")


def test_forbidden_names_plan_tier_resources() -> None:
    causes = " ".join(hint_for(Code.FORBIDDEN, "es").causes)
    for resource in ("comprobantes contables", "activos fijos", "adjuntos", "formas de pago"):
        assert resource in causes


def test_forbidden_user_variant_is_sharper() -> None:
    plain = hint_for(Code.FORBIDDEN, "es")
    user = hint_for(Code.FORBIDDEN, "es", variant="user")
    assert user.title != plain.title
    assert "permiso" in " ".join(user.steps)
    # An unknown variant falls back to the plain entry.
    assert hint_for(Code.FORBIDDEN, "es", variant="nope") == plain


def test_rate_limited_says_how_long_to_wait() -> None:
    assert "Espera 30 segundos." in hint_for(Code.RATE_LIMITED, "es", seconds=30).steps
    assert "Wait 1 second." in hint_for(Code.RATE_LIMITED, "en", seconds=-2).steps
    assert "Espera 1 segundo." in hint_for(Code.RATE_LIMITED, "es", seconds=0).steps
    assert "Espera 60 segundos." in hint_for(Code.RATE_LIMITED, "es").steps  # unknown
    assert "Espera 3 minutos." in hint_for(Code.RATE_LIMITED, "es", seconds=130).steps
    assert "Wait 1 hour." in hint_for(Code.RATE_LIMITED, "en", seconds=10**20).steps


def test_dns_says_no_internet() -> None:
    assert "No hay conexión a internet" in hint_for(Code.DNS_FAILURE, "es").title
    assert "No internet connection" in hint_for(Code.DNS_FAILURE, "en").title


def test_tls_names_the_issuer_and_office_inspection() -> None:
    hint = hint_for(Code.TLS_ERROR, "es", issuer="Fortinet CA")
    assert "Fortinet CA" in hint.title
    assert "inspeccionando" in " ".join(hint.causes)
    assert "desconocido" in hint_for(Code.TLS_ERROR, "es").title


def test_hint_text_numbers_the_steps() -> None:
    from wizard.present import hint_text

    text = hint_text(hint_for(Code.TIMEOUT, "en"))
    assert "\n  1. " in text and "\n  2. " in text


@pytest.mark.parametrize(
    ("platform", "named", "never"),
    [
        ("win32", "Administrador de credenciales", "gnome-keyring"),
        ("darwin", "Acceso a Llaveros", "gnome-keyring"),
        ("linux", "gnome-keyring", "Administrador de credenciales"),
    ],
)
def test_no_keyring_steps_are_this_systems(
    monkeypatch: pytest.MonkeyPatch, platform: str, named: str, never: str
) -> None:
    """Issue 26: Windows and macOS users were told to install gnome-keyring. The steps
    for `no_backend` are the system's own, in both languages and for every country."""
    from wizard import countries, present

    monkeypatch.setattr(sys, "platform", platform)
    for country in (None, *countries.COUNTRIES):
        hint = present.storage_texts("no_backend", "es", country)
        text = " ".join(hint.steps)
        assert named in text and never not in text, (platform, country)
        assert hint.title  # the common (or the country's) title
    english = " ".join(present.storage_texts("no_backend", "en").steps)
    assert never not in english


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("code", list(Code))
def test_every_hint_has_one_first_fix_sentence(code: Code, lang: str) -> None:
    """The window shows it first, under the title; the rest sits behind «Ver más causas»."""
    fix = hint_for(code, lang).fix
    assert fix.strip() and "{" not in fix
    assert fix.count(". ") == 0, f"{code}: one sentence, not several: {fix}"


@pytest.mark.parametrize(
    "code", [Code.DNS_FAILURE, Code.CONNECTION_FAILED, Code.UNEXPECTED_RESPONSE]
)
def test_network_hints_name_the_server_checked_not_alegras_by_default(code: Code) -> None:
    from wizard import countries

    for lang in i18n.LANGS:
        for country in (None, *countries.COUNTRIES):
            hint = hint_for(code, lang, country=country, host="erp.mi-empresa.co")
            text = " ".join([hint.fix, *hint.causes, *hint.steps])
            assert "api.alegra.com" not in text.replace("https://api.alegra.com/api/v1", "")
            assert "erp.mi-empresa.co" in text
            default = hint_for(code, lang, country=country)
            assert "api.alegra.com" in " ".join([default.fix, *default.causes, *default.steps])


def test_the_window_s_429_has_no_static_wait() -> None:
    for lang in i18n.LANGS:
        live = hint_for(Code.RATE_LIMITED, lang, variant="live", seconds=30)
        assert "30" not in " ".join([live.title, live.fix, *live.causes, *live.steps])
