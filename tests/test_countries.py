"""Words for each country: every user-facing sentence in the catalog, looked up for a
country, uses that country's own words («computador» in Colombia, «computadora» in
México, «ordenador» in España), and an override differs from its common text only in
those words."""

from __future__ import annotations

import difflib
import re

import pytest

from wizard import countries, hints, i18n
from wizard.outcomes import Code

# The regional words our texts hit, as regular expressions (Spanish only: English has
# one word for each). Each country lists what its sentences must never say.
COMPUTADOR = r"\bcomputador(es)?\b"
COMPUTADORA = r"\bcomputadoras?\b"
ORDENADOR = r"\bordenador(es)?\b"
CELULAR = r"\bcelular(es)?\b"
MOVIL = r"\bmóvil(es)?\b"
AREA_DE_SISTEMAS = r"\bárea de sistemas\b"  # Spain: «departamento de informática»
INGRESAR = r"\bingres(a|ar)\b"  # Spain: «entra», «entrar» (its «ingresar» is for money)
FORBIDDEN = {
    "co": (COMPUTADORA, ORDENADOR, MOVIL),
    "cl": (COMPUTADORA, ORDENADOR, MOVIL),
    "es": (COMPUTADOR, COMPUTADORA, CELULAR, AREA_DE_SISTEMAS, INGRESAR),
}
LATAM_DEFAULT = (COMPUTADOR, ORDENADOR, MOVIL)  # México and the rest of Latin America
OWN_WORD = {"co": COMPUTADOR, "cl": COMPUTADOR, "es": ORDENADOR}
# Words an override may change besides the regional noun: articles and agreement.
AGREEMENT = {
    "el", "la", "este", "esta", "del", "de", "mismo", "misma", "conectado", "conectada",
    "a", "en", "e", "y",
}  # fmt: skip
REGIONAL = {
    "computador", "computadora", "ordenador", "celular", "móvil",
    "área", "sistemas", "departamento", "informática",
    "ingresa", "ingresar", "entra", "entrar",
}  # fmt: skip


def _texts(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _base_keys() -> list[str]:
    # Mockup texts copy what Alegra's own screens say (the pictures show its labels):
    # they are Alegra's words, not ours.
    return [k for k in i18n.catalog() if not k.startswith(("country.", "mockup."))]


def _resolved(country: countries.Country, key: str, lang: str = "es") -> list[str]:
    return _texts(i18n._raw(country.words(key, lang), lang))


@pytest.mark.parametrize("country", countries.COUNTRIES, ids=lambda c: c.code)
def test_every_sentence_uses_the_countrys_own_words(country: countries.Country) -> None:
    forbidden = FORBIDDEN.get(country.code, LATAM_DEFAULT)
    for key in _base_keys():
        for text in _resolved(country, key):
            for pattern in forbidden:
                assert not re.search(pattern, text, re.IGNORECASE), (
                    f"{country.code}: {key} says {re.search(pattern, text, re.I)[0]!r}: "  # type: ignore[index]
                    f"add or fix [country.{country.code.upper()}.{key}] in countries.toml"
                )


def test_each_override_changes_only_the_regional_words() -> None:
    """An override is the common sentence in other words: if someone edits the common
    sentence, the override must be edited too (else it would silently say the old one)."""
    entries = i18n.catalog()
    overrides = [k for k in entries if k.startswith("country.") and k.split(".", 2)[2] in entries]
    assert len(overrides) >= 30
    for key in overrides:
        base = key.split(".", 2)[2]
        for lang, value in entries[key].items():
            ours, common = _texts(value), _texts(entries[base][lang])
            assert len(ours) == len(common), key
            changed: set[str] = set()
            for a, b in zip(ours, common, strict=True):
                wa, wb = re.findall(r"\w+", a), re.findall(r"\w+", b)
                diff = difflib.SequenceMatcher(a=wa, b=wb, autojunk=False)
                for op, i1, i2, j1, j2 in diff.get_opcodes():
                    if op != "equal":
                        changed |= {w.lower() for w in (*wa[i1:i2], *wb[j1:j2])}
                # Punctuation, spacing and placeholders: exactly the common text's.
                assert re.sub(r"[\w ]+", "", a) == re.sub(r"[\w ]+", "", b), key
            assert changed, f"{key}: the same as {base}: remove it"
            assert changed & REGIONAL, f"{key}: changes no regional word"
            assert changed <= REGIONAL | AGREEMENT, f"{key} differs from {base} in {changed}"


def test_the_countries_use_their_words_where_the_common_text_has_one() -> None:
    intro = "gui.welcome.intro"
    assert re.search(COMPUTADORA, i18n.t(countries.by_code("mx").words(intro, "es"), "es"))
    assert "este computador." in i18n.t(countries.by_code("co").words(intro, "es"), "es")
    assert "este ordenador." in i18n.t(countries.by_code("es").words(intro, "es"), "es")
    for code, pattern in OWN_WORD.items():
        country = countries.by_code(code)
        hits = [k for k in _base_keys() if re.search(pattern, " ".join(_resolved(country, k)))]
        assert len(hits) >= 10, (code, hits)


@pytest.mark.parametrize(
    ("code", "computer", "phone", "this_one"),
    [
        ("co", "El computador no está conectado", "celular", "Este computador"),
        ("cl", "El computador no está conectado", "celular", "Este computador"),
        ("mx", "La computadora no está conectada", "celular", "Esta computadora"),
        ("pe", "La computadora no está conectada", "celular", "Esta computadora"),
        ("ar", "La computadora no está conectada", "celular", "Esta computadora"),
        ("other", "La computadora no está conectada", "celular", "Esta computadora"),
        ("es", "El ordenador no está conectado", "móvil", "Este ordenador"),
    ],
)
def test_hints_speak_the_countrys_words(
    code: str, computer: str, phone: str, this_one: str
) -> None:
    country = countries.by_code(code)
    dns = hints.hint_for(Code.DNS_FAILURE, "es", country=country)
    assert computer in dns.causes[0]
    tls = hints.hint_for(Code.TLS_ERROR, "es", issuer="Proxy S.A.", country=country)
    assert f"los datos del {phone}" in tls.steps[-1]
    assert "«Proxy S.A.»" in " ".join(tls.steps)  # placeholders still filled
    storage = hints.storage_hint("no_backend", "es", country=country)
    assert storage.title.startswith(this_one)


def test_english_keeps_its_one_word_in_every_country() -> None:
    for country in countries.COUNTRIES:
        assert country.words("gui.welcome.intro", "en") == "gui.welcome.intro"
        assert "this computer" in i18n.t(country.words("gui.welcome.intro", "en"), "en")
        dns = hints.hint_for(Code.DNS_FAILURE, "en", country=country)
        assert dns.causes[0] == "The computer is not connected to the internet."


def test_without_a_country_the_common_words() -> None:
    assert "La computadora" in hints.hint_for(Code.DNS_FAILURE, "es").causes[0]
    assert not i18n.has("country.CO.gui.welcome.intro", "en")
    assert i18n.has("country.CO.gui.welcome.intro", "es")
    assert i18n.has("country.CO.gui.welcome.intro")
    assert not i18n.has("country.CO.no.such.key")


def test_spain_signs_in_with_entra() -> None:
    spain, mexico = countries.by_code("es"), countries.by_code("mx")
    assert i18n.t(spain.words("gui.sign_in.title", "es"), "es") == "Entra en Alegra"
    assert i18n.t(mexico.words("gui.sign_in.title", "es"), "es") == "Ingresa a Alegra"


def test_spain_asks_its_departamento_de_informatica() -> None:
    from wizard.doctor import Doctor

    spain, colombia = countries.by_code("es"), countries.by_code("co")
    proxy = hints.hint_for(Code.PROXY_ERROR, "es", country=spain)
    assert "tu departamento de informática" in proxy.steps[0]
    assert "área de sistemas" in hints.hint_for(Code.PROXY_ERROR, "es", country=colombia).steps[0]
    for country, words in ((spain, "departamento de informática"), (colombia, "área de sistemas")):
        doctor = Doctor(
            base_url="https://api.alegra.com/api/v1", store=None, lang="es", country=country
        )
        item = doctor.item("https", "fail", "untrusted", host="api.alegra.com", issuer="Proxy S.A.")
        assert item.fix is not None and f"tu {words}" in item.fix
    english = Doctor(base_url="https://api.alegra.com/api/v1", store=None, lang="en", country=spain)
    item = english.item("https", "fail", "untrusted", host="api.alegra.com", issuer="Proxy S.A.")
    assert item.fix == i18n.t("doctor.https.untrusted_fix", "en")
