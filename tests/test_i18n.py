"""The one catalog: every entry in every language, same shape, same placeholders."""

from __future__ import annotations

import string

from wizard import i18n


def _fields(value: object) -> set[str]:
    items = value if isinstance(value, list) else [value]
    names: set[str] = set()
    for item in items:
        names |= {f for _, f, _, _ in string.Formatter().parse(str(item)) if f}
    return names


def test_every_entry_has_spanish_and_english_with_the_same_shape() -> None:
    for key, entry in i18n.catalog().items():
        assert set(i18n.LANGS) <= entry.keys(), f"{key} lacks a language"
        es, en = entry["es"], entry["en"]
        assert type(es) is type(en), f"{key}: es and en differ in type"
        if isinstance(es, list):
            assert len(es) == len(en), f"{key}: es and en have different numbers of items"
        assert _fields(es) == _fields(en), f"{key}: placeholders differ"


def test_language_normalisation() -> None:
    assert i18n.normalize_lang("en_US.UTF-8") == "en"
    assert i18n.normalize_lang("es-MX") == "es"
    assert i18n.normalize_lang("pt_BR") == "es"
    assert i18n.normalize_lang(None) == "es"


def test_system_language(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for var in ("ALEGRA_WIZARD_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert i18n.system_lang() == "en"
    monkeypatch.setenv("LANG", "es_CO.UTF-8")
    assert i18n.system_lang() == "es"
    monkeypatch.setenv("ALEGRA_WIZARD_LANG", "en")
    assert i18n.system_lang() == "en"


def test_missing_key_is_a_clear_error() -> None:
    try:
        i18n.t("no.such.key")
    except KeyError as exc:
        assert "no.such.key" in str(exc)
    else:
        raise AssertionError("expected KeyError")
