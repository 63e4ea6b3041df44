"""The app file: where it is found, what a good one gives, and every bad file refused with a
message in both languages that says what to fix."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT
from wizard import appconfig, i18n
from wizard.appconfig import DEFAULT, AppConfigError, load, read
from wizard.probe import PROBED

SAMPLE = ROOT / "resources" / "samples" / "facturador-pos" / "alegra-wizard.toml"
PNG = (ROOT / "resources" / "samples" / "facturador-pos" / "logo.png").read_bytes()
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>'
GOOD = '[app]\nname = "Facturador POS"\nid = "facturador-pos"\n'


def write(folder: Path, text: str, name: str = "alegra-wizard.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_sample_file_is_good() -> None:
    app = read(SAMPLE)
    assert app.name == "Facturador POS"
    assert app.id == "facturador-pos"
    assert app.logo == SAMPLE.parent / "logo.png"
    assert app.support == "soporte@facturador.co · WhatsApp +57 300 000 0000"
    assert app.needs == ("invoices", "contacts", "bank_accounts")
    assert app.why == {"bank_accounts": "para conciliar los pagos"}
    assert app.branded and app.source == SAMPLE


def test_without_a_file_the_wizard_is_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(appconfig.ENV_VAR, raising=False)
    monkeypatch.setattr(sys, "argv", ["-m"])
    assert load(None) == DEFAULT
    assert DEFAULT.id == "alegra-wizard" and DEFAULT.name is None and not DEFAULT.branded
    assert DEFAULT.needs == () and DEFAULT.logo is None and DEFAULT.support is None


def test_the_option_wins_over_the_variable_and_the_variable_over_beside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    beside = tmp_path / "bin"
    beside.mkdir()
    write(beside, GOOD.replace("facturador-pos", "beside"))
    (beside / "alegra-wizard").write_text("")
    monkeypatch.setattr(sys, "argv", [str(beside / "alegra-wizard")])
    env_file = write(tmp_path, GOOD.replace("facturador-pos", "from-env"), "env.toml")
    option_file = write(tmp_path, GOOD.replace("facturador-pos", "from-option"), "opt.toml")
    env = {appconfig.ENV_VAR: str(env_file)}
    assert load(str(option_file), env).id == "from-option"
    assert load(None, env).id == "from-env"
    assert load(None, {}).id == "beside"


def test_beside_a_frozen_app_means_its_executables_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, GOOD)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "alegra-wizard.exe"))
    assert appconfig.beside_executable() == tmp_path.resolve() / "alegra-wizard.toml"
    assert load(None, {}).id == "facturador-pos"


def test_from_source_only_the_console_script_has_a_beside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m wizard` (argv[0] is the package's __main__.py) never reads a file that
    happens to lie in the package or the working folder."""
    write(tmp_path, GOOD)
    monkeypatch.setattr(sys, "argv", [str(tmp_path / "__main__.py")])
    assert appconfig.beside_executable() is None
    assert load(None, {}) == DEFAULT
    monkeypatch.setattr(sys, "argv", [str(tmp_path / "alegra-wizard")])
    assert load(None, {}).id == "facturador-pos"


def test_a_file_named_by_the_variable_must_exist(tmp_path: Path) -> None:
    with pytest.raises(AppConfigError) as caught:
        load(None, {appconfig.ENV_VAR: str(tmp_path / "nope.toml")})
    assert caught.value.problem == "missing_file"


def test_an_svg_logo_and_the_svg_without_namespace(tmp_path: Path) -> None:
    (tmp_path / "logo.svg").write_bytes(SVG)
    assert read(write(tmp_path, GOOD + 'logo = "logo.svg"\n')).logo == tmp_path / "logo.svg"
    (tmp_path / "plain.svg").write_bytes(b"<svg width='1' height='1'></svg>")
    assert read(write(tmp_path, GOOD + 'logo = "plain.svg"\n')).logo == tmp_path / "plain.svg"


def test_texts_are_trimmed_and_a_resource_may_go_without_why(tmp_path: Path) -> None:
    app = read(write(tmp_path, GOOD.replace('"Facturador POS"', '"  Mi POS  "')
                     + '[needs]\nresources = ["bank_accounts"]\n'))  # fmt: skip
    assert app.name == "Mi POS" and app.needs == ("bank_accounts",) and app.why == {}


# (file text, problem, what the message must name). {png} is replaced by a logo line.
BAD_FILES = [
    ('[app]\nname = "X"\nid = "x"\nid = "y"\n', "syntax", "4"),
    ('[app]\nname = "X\nid = "x"\n', "syntax", "2"),
    ('[app]\nnmae = "X"\nid = "x"\n', "unknown_key", "app.name"),
    ('[ap]\nname = "X"\nid = "x"\n', "unknown_key", "app"),
    (GOOD + 'base_url = "https://evil.example"\n', "unknown_key", "app.base_url"),
    (GOOD + "[security]\nverify_tls = false\n", "unknown_key", "security"),
    (GOOD + '[needs]\nresources = ["invoice"]\n', "unknown_resource", "invoices"),
    (GOOD + '[needs]\nresources = ["bank_acounts"]\n', "unknown_resource", "bank_accounts"),
    (GOOD + '[needs]\nresources = ["invoices", "invoices"]\n', "duplicate_resource", "invoices"),
    (GOOD + '[needs]\nresources = "invoices"\n', "wrong_type", "needs.resources"),
    (GOOD + '[needs]\nresources = ["invoices"]\nwhy.invoice = "x"\n', "why_not_needed", "invoices"),
    ('[app]\nname = "X"\n', "missing_key", "app.id"),
    ('[app]\nid = "x"\n', "missing_key", "app.name"),
    ("[needs]\nresources = []\n", "missing_key", "[app]"),
    ('[app]\nname = "X"\nid = "Facturador"\n', "bad_id", "Facturador"),
    ('[app]\nname = "X"\nid = "factura dor"\n', "bad_id", "factura dor"),
    ('[app]\nname = "X"\nid = ""\n', "bad_id", "a-z"),
    ('[app]\nname = "X"\nid = "' + "a" * 41 + '"\n', "bad_id", "40"),
    ('[app]\nname = "X"\nid = "pos_1"\n', "bad_id", "pos_1"),
    ('[app]\nname = "X"\nid = 7\n', "wrong_type", "app.id"),
    ('[app]\nname = "' + "N" * 41 + '"\nid = "x"\n', "text_too_long", "40"),
    ('[app]\nname = "Fact\\nPOS"\nid = "x"\n', "control_character", "app.name"),
    ('[app]\nname = "Fact\\u202ePOS"\nid = "x"\n', "control_character", "app.name"),
    ('[app]\nname = "Fact\\u200bPOS"\nid = "x"\n', "control_character", "app.name"),
    ('[app]\nname = "   "\nid = "x"\n', "empty_text", "app.name"),
    (GOOD + 'support = "' + "s" * 121 + '"\n', "text_too_long", "120"),
    (GOOD + 'support = "a\\tb"\n', "control_character", "app.support"),
    (
        GOOD + '[needs]\nresources = ["invoices"]\nwhy.invoices = "' + "w" * 121 + '"\n',
        "text_too_long",
        "needs.why.invoices",
    ),
    (
        GOOD + '[needs]\nresources = ["invoices"]\nwhy.invoices = "a\\u0000b"\n',
        "control_character",
        "needs.why.invoices",
    ),
    (GOOD + 'logo = "nope.png"\n', "logo_missing", "nope.png"),
    (GOOD + 'logo = "big.png"\n', "logo_too_big", "1024"),
    (GOOD + 'logo = "fake.png"\n', "logo_not_image", "fake.png"),
    (GOOD + 'logo = "fake.svg"\n', "logo_not_image", "fake.svg"),
    (GOOD + 'logo = "html.svg"\n', "logo_not_image", "html.svg"),
    (GOOD + 'logo = "png.svg"\n', "logo_not_image", "png.svg"),
    (GOOD + 'logo = "logo.gif"\n', "logo_not_image", "logo.gif"),
    (GOOD + 'logo = "folder.png"\n', "logo_missing", "folder.png"),
]


def bad_logos(folder: Path) -> None:
    (folder / "big.png").write_bytes(PNG + b"\0" * (1024 * 1024))
    (folder / "fake.png").write_bytes(b"GIF89a not a png")
    (folder / "fake.svg").write_bytes(b"not xml at all")
    (folder / "html.svg").write_bytes(b"<html><body>svg</body></html>")
    (folder / "png.svg").write_bytes(PNG)
    (folder / "logo.gif").write_bytes(b"GIF89a")
    (folder / "folder.png").mkdir()


@pytest.mark.parametrize(("text", "problem", "named"), BAD_FILES)
def test_every_bad_file_is_refused_with_what_to_fix(
    tmp_path: Path, text: str, problem: str, named: str
) -> None:
    bad_logos(tmp_path)
    path = write(tmp_path, text)
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(AppConfigError) as caught:
        load(str(path))
    error = caught.value
    assert error.problem == problem
    es, en = error.message("es"), error.message("en")
    assert named in es and named in en
    assert str(path) in es and str(path) in en
    assert "No se cambió nada" in es and "Nothing was changed" in en
    assert str(error) == f"{es}\n\n{en}"  # Spanish first
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


def test_the_syntax_error_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[app]\nname = "X"\n\n\nid = = "x"\n')
    with pytest.raises(AppConfigError) as caught:
        read(path)
    assert caught.value.line == 5
    assert "línea 5" in caught.value.message("es") and "line 5" in caught.value.message("en")


def test_a_misspelt_key_suggests_the_nearest(tmp_path: Path) -> None:
    with pytest.raises(AppConfigError) as caught:
        read(write(tmp_path, '[app]\nname = "X"\nid = "x"\nsuport = "s"\n'))
    assert caught.value.nearest == "app.support"
    assert "¿Quisiste decir «app.support»?" in caught.value.message("es")
    with pytest.raises(AppConfigError) as caught:
        read(write(tmp_path, GOOD + '[needs]\nresources = ["bank-accounts"]\n'))
    assert caught.value.nearest == "bank_accounts"
    assert "Did you mean “bank_accounts”?" in caught.value.message("en")


def test_a_word_far_from_any_key_suggests_nothing(tmp_path: Path) -> None:
    with pytest.raises(AppConfigError) as caught:
        read(write(tmp_path, GOOD + 'zzzzzz = "s"\n'))
    assert caught.value.nearest is None
    assert "Quisiste" not in caught.value.message("es")


def test_a_missing_file_named_by_the_option(tmp_path: Path) -> None:
    with pytest.raises(AppConfigError) as caught:
        load(str(tmp_path / "nope.toml"))
    assert caught.value.problem == "missing_file"
    assert not (tmp_path / "nope.toml").exists()


def test_a_file_that_is_not_utf8_or_too_big(tmp_path: Path) -> None:
    (tmp_path / "latin1.toml").write_bytes(GOOD.replace("POS", "Señal").encode("latin-1"))
    with pytest.raises(AppConfigError) as caught:
        read(tmp_path / "latin1.toml")
    assert caught.value.problem == "not_utf8"
    (tmp_path / "big.toml").write_text(GOOD + "#" * (64 * 1024), encoding="utf-8")
    with pytest.raises(AppConfigError) as caught:
        read(tmp_path / "big.toml")
    assert caught.value.problem == "file_too_big"


def test_the_file_has_no_key_for_the_address_or_security() -> None:
    """What the file may say: words, a picture, resources. Nothing reaches the network's
    address, TLS, redirects or the store's rules."""
    every_key = {key for keys in appconfig.KNOWN_KEYS.values() for key in keys}
    assert every_key == {"app", "needs", "name", "id", "logo", "support", "resources", "why"}


def test_every_resource_has_a_short_name_in_both_languages() -> None:
    for item in PROBED:
        for lang in i18n.LANGS:
            assert i18n.has(f"brand.resource.{item.key}", lang)


def test_an_svg_declaring_entities_is_not_expanded_but_refused(tmp_path: Path) -> None:
    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        b'<svg xmlns="http://www.w3.org/2000/svg">&b;</svg>'
    )
    (tmp_path / "laughs.svg").write_bytes(laughs)
    with pytest.raises(AppConfigError) as caught:
        read(write(tmp_path, GOOD + 'logo = "laughs.svg"\n'))
    assert caught.value.problem == "logo_not_image"
