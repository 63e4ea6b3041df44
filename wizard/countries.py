"""The countries Alegra serves: one row each (data, not branches).

A row picks the sign-in link the wizard opens and the words later steps use
(the tax id's local name: NIT, RFC, RUC...). Names and labels are catalog
entries (`country.<CODE>.name`, `country.<CODE>.tax_id`); this table holds only
what is not text a person reads.
"""

from __future__ import annotations

from wizard import i18n

SIGN_IN_BASE = "https://app.alegra.com"
# Reported by third parties, not confirmed by Alegra: offered as a shortcut only.
API_SETTINGS_URL = "https://app.alegra.com/configuration/api"


class Country:
    """One country's edition of Alegra and its words.

    A plain class rather than a dataclass: the window reads this table before its first
    paint, and importing dataclasses (with the classes it generates code for) costs
    ~5 ms there. Compared and hashed by value, like the frozen dataclass it was."""

    __slots__ = ("code", "edition", "path")

    def __init__(self, code: str, path: str, edition: str | None) -> None:
        self.code = code  # ISO 3166-1 alpha-2, lowercase; "other" for the rest
        self.path = path  # sign-in path on app.alegra.com ("" for the plain address)
        self.edition = edition  # /company's applicationVersion for this country

    def _key(self) -> tuple[str, str, str | None]:
        return (self.code, self.path, self.edition)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Country):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Country(code={self.code!r}, path={self.path!r}, edition={self.edition!r})"

    @property
    def sign_in_url(self) -> str:
        return f"{SIGN_IN_BASE}/{self.path}" if self.path else SIGN_IN_BASE

    def name(self, lang: str) -> str:
        return i18n.t(f"country.{self.code.upper()}.name", lang)

    def tax_id_label(self, lang: str) -> str:
        return i18n.t(f"country.{self.code.upper()}.tax_id", lang)

    def words(self, key: str, lang: str | None = None) -> str:
        """The catalog key to use for `key` ("gui.welcome.intro") in this country:
        `country.<CODE>.gui.welcome.intro` when the catalog has one (in `lang`, when
        given) — the country's own words («computador» in Colombia, «ordenador» in
        Spain) or menu labels of its edition of Alegra, kept as data in countries.toml —
        else `key` itself. An override usually holds Spanish only: with `lang` "en" the
        common English text is used, not the override's Spanish fallback."""
        local = f"country.{self.code.upper()}.{key}"
        return local if i18n.has(local, lang) else key


COUNTRIES: tuple[Country, ...] = (
    Country("co", "co", "colombia"),
    Country("mx", "mx", "mexico"),
    Country("pe", "pe", "peru"),
    Country("cr", "cr", "costaRica"),
    Country("do", "do", "republicaDominicana"),
    Country("ar", "ar", "argentina"),
    Country("cl", "cl", "chile"),
    Country("pa", "pa", "panama"),
    Country("es", "es", "spain"),
    Country("other", "", None),
)
DEFAULT_COUNTRY = "co"

_BY_CODE = {c.code: c for c in COUNTRIES}
_BY_EDITION = {c.edition.lower(): c for c in COUNTRIES if c.edition}


def by_code(code: str | None) -> Country:
    """The row for `code` (case-insensitive); unknown codes get the "other" row."""
    return _BY_CODE.get((code or "").strip().lower(), _BY_CODE["other"])


def from_locale(os_locale: str | None = None) -> Country:
    """The country the user's locale names (es_MX → México), else the default. `os_locale`:
    the OS's own locale name where the environment has none (i18n.system_territory)."""
    territory = i18n.system_territory(os_locale)
    if territory and territory.lower() in _BY_CODE and territory.lower() != "other":
        return _BY_CODE[territory.lower()]
    return _BY_CODE[DEFAULT_COUNTRY]


def by_edition(edition: str | None) -> Country | None:
    """The row for a /company applicationVersion such as "costaRica", or None."""
    return _BY_EDITION.get((edition or "").strip().lower())


def edition_name(edition: str | None, lang: str) -> str | None:
    """A readable country name for an applicationVersion; the raw value if unknown."""
    if not edition:
        return None
    country = by_edition(edition)
    return country.name(lang) if country else edition
