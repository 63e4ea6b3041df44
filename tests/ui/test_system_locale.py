"""Language and country from the OS's own settings where the environment has none
(issue 26): Windows and macOS keep them in their settings, which QLocale.system() reads;
a Spanish-Mexico Windows got Colombia. Here QLocale.system() gives the locale such an OS
would (a real QLocale), and the environment names none."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QLocale

from wizard import app

LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE", "ALEGRA_WIZARD_LANG")


@pytest.fixture
def bare_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in LOCALE_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ALEGRA_WIZARD_CONFIG_DIR", str(tmp_path / "config"))  # nothing remembered
    return monkeypatch


def _os_says(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale(name)))


@pytest.mark.parametrize(
    ("os_locale", "lang", "country"),
    [("es_MX", "es", "mx"), ("es_CL", "es", "cl"), ("en_US", "en", "co"), ("es_CR", "es", "cr")],
)
def test_the_os_settings_choose_language_and_country(
    bare_environment: pytest.MonkeyPatch, os_locale: str, lang: str, country: str
) -> None:
    _os_says(bare_environment, os_locale)
    options, _theme = app.parse_options([])
    assert (options.lang, options.country) == (lang, country)


def test_the_environment_wins_over_the_os(bare_environment: pytest.MonkeyPatch) -> None:
    _os_says(bare_environment, "es_MX")
    bare_environment.setenv("LANG", "es_PE.UTF-8")
    options, _theme = app.parse_options([])
    assert (options.lang, options.country) == ("es", "pe")


def test_a_linux_without_lang_says_nothing(bare_environment: pytest.MonkeyPatch) -> None:
    """The real QLocale.system() here: "C", no region: the defaults, Spanish and Colombia."""
    assert QLocale.system().name() == "C"
    assert app.os_locale_name() is None
    options, _theme = app.parse_options([])
    assert (options.lang, options.country) == ("es", "co")
