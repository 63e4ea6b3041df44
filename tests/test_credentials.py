"""The paste cleaner: real pastes with exact results, and properties over arbitrary Unicode."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wizard import credentials, i18n
from wizard.credentials import FIXES, PROBLEMS, WARNINGS, clean, describe, summary
from wizard.present import mask_token

TOKEN = "a1b2c3d4e5f6a7b8c9d0"
EMAIL = "ana@empresa.co"


def ids(notes) -> set[str]:  # type: ignore[no-untyped-def]
    return {n.id for n in notes}


@pytest.mark.parametrize(
    ("email", "token", "fix"),
    [
        (f"  {EMAIL}\t", f"{TOKEN}\n", "trimmed_whitespace"),
        (EMAIL, f"\u200b{TOKEN}\ufeff", "removed_invisible"),
        (EMAIL, f"{TOKEN}\u00ad", "removed_invisible"),
        (f"\u200e{EMAIL}\u2060", TOKEN, "removed_invisible"),
        (EMAIL, f"“{TOKEN}”", "removed_quotes"),
        (f"'{EMAIL}'", f"`{TOKEN}`", "removed_quotes"),
        (f"Usuario: {EMAIL}", f"Token: {TOKEN}", "removed_label"),
        (f"Email: {EMAIL}", f"API token = {TOKEN}", "removed_label"),
        (f"mailto:{EMAIL}", TOKEN, "removed_mailto"),
        (TOKEN, EMAIL, "swapped_fields"),
        ("ana@Empresa.CO", TOKEN, "lowercased_domain"),
        ("ａｎａ＠empresa.co", TOKEN, "normalized_fullwidth"),  # noqa: RUF001 (the point)
    ],
)
def test_real_pastes_are_cleaned(email: str, token: str, fix: str) -> None:
    result = clean(email, token)
    assert (result.email, result.token) == (EMAIL, TOKEN)
    assert fix in ids(result.fixes)
    assert result.ok


@pytest.mark.parametrize(
    "block",
    [
        f"Datos de usuario\nUsuario\n{EMAIL}\nToken\n{TOKEN}\nRenovar token",
        f"Usuario: {EMAIL}  Token: {TOKEN}",
        f"{EMAIL}:{TOKEN}",
        f"User data\r\nUser: {EMAIL}\r\nToken: {TOKEN}\r\n",
    ],
)
@pytest.mark.parametrize("into", ["email", "token"])
def test_a_whole_card_in_either_field_fills_both(block: str, into: str) -> None:
    result = clean(block, "") if into == "email" else clean("", block)
    assert (result.email, result.token) == (EMAIL, TOKEN)
    assert "split_combined" in ids(result.fixes)


def test_basic_header_is_decoded() -> None:
    import base64

    header = "Authorization: Basic " + base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()
    result = clean(header, "")
    assert (result.email, result.token) == (EMAIL, TOKEN)
    assert "decoded_basic_header" in ids(result.fixes)


def test_token_case_is_never_changed_and_shape_only_warns() -> None:
    result = clean(EMAIL, "ABCdef0123456789XYZ")
    assert result.token == "ABCdef0123456789XYZ"
    assert result.ok
    assert {"token_unusual_shape", "token_has_uppercase"} <= ids(result.warnings)


def test_email_local_part_is_not_rewritten() -> None:
    assert clean("Ana.Perez@EMPRESA.co", TOKEN).email == "Ana.Perez@empresa.co"


def test_example_credentials_warn() -> None:
    assert "example_credentials" in ids(
        clean("ejemploapi@alegra.com", "tokenejemploapi12345").warnings
    )


@pytest.mark.parametrize(
    ("email", "token", "problem"),
    [
        ("", TOKEN, "empty_email"),
        (EMAIL, "", "empty_token"),
        ("ana.empresa.co", TOKEN, "email_invalid"),
        ("ana @empresa.co", TOKEN, "email_forbidden_char"),
        (EMAIL, "a1b2c3 d4e5", "token_forbidden_char"),
        (EMAIL, "a1b2c3\u00a0d4e5", "token_forbidden_char"),
        (EMAIL, "a1b2ñc3d4", "token_non_ascii"),
    ],
)
def test_problems_block(email: str, token: str, problem: str) -> None:
    result = clean(email, token)
    assert problem in ids(result.problems)
    assert not result.ok


def test_every_id_is_explained_in_both_languages() -> None:
    for table in (FIXES, WARNINGS, PROBLEMS):
        for key in table.values():
            for lang in i18n.LANGS:
                assert i18n.t(key, lang).strip()


def test_summary_counts_in_plain_words() -> None:
    result = clean(EMAIL, f'  "{TOKEN}"')
    assert summary(result.fixes, "token", "es") == "Quitamos 2 espacios y 2 comillas."
    assert summary(result.fixes, "token", "en") == "Removed 2 spaces and 2 quotes."
    assert summary(result.fixes, "email", "es") == ""
    assert describe(result.fixes, "en")


def test_token_hint_and_repr_never_show_the_token() -> None:
    from wizard import credentials, redact

    # One mask, one name: the front ends' present.mask_token is the core's redact.mask_token.
    assert mask_token is redact.mask_token and not hasattr(credentials, "token_hint")
    assert mask_token(TOKEN) == "…c9d0"
    assert mask_token("") == ""
    assert TOKEN not in repr(clean(EMAIL, TOKEN))


_INVISIBLE_CATS = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


@given(st.text(), st.text())
def test_total_idempotent_and_clean_output(email: str, token: str) -> None:
    first = clean(email, token)
    second = clean(first.email, first.token)
    assert (second.email, second.token) == (first.email, first.token)
    assert second.fixes == ()
    for field, value in (("email", first.email), ("token", first.token)):
        assert value == value.strip()
        if any(ch.isspace() for ch in value):
            assert any(p.field == field for p in first.problems)
        assert not value or not value[0].isspace()
        assert all(unicodedata.category(ch) not in _INVISIBLE_CATS for ch in value)
        assert "\u00a0" not in value and "\ufeff" not in value


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_token_shaped_values_survive(noise: str) -> None:
    result = clean(f" {EMAIL} ", f"\u200b{TOKEN} ")
    assert (result.email, result.token) == (EMAIL, TOKEN)
    clean(noise, noise)  # never raises


# --- issue 15 item 11, issue 17: what a Basic-auth user can't hold, look-alikes, JWTs -------
@pytest.mark.parametrize("email", ["ana@empresa.co:x", "a:b@empresa.co", "ana:@empresa.co"])
def test_an_email_with_a_colon_is_a_problem(email: str) -> None:
    result = clean(email, TOKEN)
    assert not result.ok and ids(result.problems) == {"email_has_colon"}
    es, en = describe(result.problems, "es")[0], describe(result.problems, "en")[0]
    assert "«:»" in es and "usuario" in es and "“:”" in en


def test_the_cli_refuses_an_email_with_a_colon_and_sends_nothing(run_cli, sandbox) -> None:  # type: ignore[no-untyped-def]
    before = len(sandbox.requests_seen)
    args = ["check", "--email", "demo@alegra.test:x", "--token-stdin", "--json"]
    got = run_cli(*args, "--base-url", sandbox.url, stdin="0123456789abcdef0123\n")
    assert got.returncode == 3 and got.json["code"] == "invalid_input", got
    assert len(sandbox.requests_seen) == before


def test_check_connection_refuses_a_colon_even_without_the_cleaner(sandbox) -> None:  # type: ignore[no-untyped-def]
    from wizard.check import check_connection
    from wizard.outcomes import Code

    before = len(sandbox.requests_seen)
    result = check_connection("demo@alegra.test:x", "0123456789abcdef0123", sandbox.url)
    assert result.code is Code.INVALID_INPUT and len(sandbox.requests_seen) == before


@pytest.mark.parametrize(
    ("email", "char"),
    [("\u0430na@empresa.co", "\u0430"), ("ana@empr\u0435sa.co", "\u0435"),
     ("ana@empres\u03b1.co", "\u03b1")],
)  # fmt: skip
def test_a_look_alike_letter_is_a_warning_that_names_it(email: str, char: str) -> None:
    result = clean(email, TOKEN)
    assert result.ok, "a warning, not a problem: Alegra might really have it"
    notes = [n for n in result.warnings if n.id == "email_lookalike_char"]
    assert notes and notes[0].detail == char
    for lang in ("es", "en"):
        text = describe(notes, lang)[0]
        assert (char in text and f"U+{ord(char):04X}" in text and "CYRILLIC" in text) or (
            "GREEK" in text
        )


@pytest.mark.parametrize(
    ("email", "shown"),
    [
        ("ana@empresá.co", "á"),
        ("ana@xn--empres-qta.co", "xn--empres-qta"),
        ("josé@münchen.de", "ü"),
    ],
)
def test_an_idn_domain_is_a_warning_that_names_it(email: str, shown: str) -> None:
    result = clean(email, TOKEN)
    assert result.ok
    notes = [n for n in result.warnings if n.id == "email_idn_domain"]
    assert notes and notes[0].detail == shown
    assert shown in describe(notes, "es")[0] and shown in describe(notes, "en")[0]


def test_accents_in_a_latin_local_part_are_not_look_alikes() -> None:
    assert not {"email_lookalike_char", "email_idn_domain"} & ids(
        clean("josé.muñoz@empresa.co", TOKEN).warnings
    )


JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlX2hlcmU"


def test_a_pasted_jwt_is_the_wrong_products_token() -> None:
    result = clean(EMAIL, JWT)
    assert result.ok and ids(result.warnings) == {"token_is_jwt"}
    es, en = describe(result.warnings, "es")[0], describe(result.warnings, "en")[0]
    assert "Nómina" in es and "facturación electrónica" in es and "Datos de usuario" in es
    assert "payroll" in en and "User data" in en
    assert "token_is_jwt" not in ids(clean(EMAIL, "eyJnotajwt0000000000").warnings)


def test_paste_notes_are_sentences_that_count_every_fix() -> None:
    """A whole card pasted into one field: the split is its own sentence, and the labels,
    quotes and spaces it dropped are counted (issue 13.9)."""
    result = clean('Usuario: "ana@empresa.co" Token: "abc123def456abc12345"   ', "")
    assert summary(result.fixes, "email", "es") == (
        "Separamos el correo y el token, que venían juntos."
        " Quitamos 3 espacios, 4 comillas y 2 etiquetas."
    )
    assert summary(result.fixes, "email", "en") == (
        "We separated the email and the token, which came together."
        " Removed 3 spaces, 4 quotes and 2 labels."
    )
    swapped = clean("abc123def456abc12345", "ana@Empresa.CO")
    assert summary(swapped.fixes, "email", "es") == (
        "Cambiamos de lugar el correo y el token: estaban en el campo equivocado."
        " Pasamos a minúsculas el dominio del correo."
    )


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"\xff\xfe" + "tok\u00e9n\r\n".encode("utf-16-le"), "tok\u00e9n\r\n"),
        (b"\xfe\xff" + "tok\u00e9n".encode("utf-16-be"), "tok\u00e9n"),
        (b"\xff\xfe\x00\x00" + "token".encode("utf-32-le"), "token"),
        (b"\x00\x00\xfe\xff" + "token".encode("utf-32-be"), "token"),
        (b"\xef\xbb\xbftok\xc3\xa9n", "tok\u00e9n"),
        ("tok\u00e9n".encode(), "tok\u00e9n"),  # no mark: UTF-8
        ("tok\u00e9n".encode("cp1252"), "tok\u00e9n"),  # not UTF-8: the console's encoding
        (b"\xff\xfet\x00\x00\xd8", "t\ufffd"),  # a broken UTF-16 tail: replaced, no raise
    ],
)
def test_token_files_are_decoded_by_their_byte_order_mark(data: bytes, text: str) -> None:
    assert credentials.decode_token_file(data, "cp1252") == text


# --- where a paste goes, before anything is inserted (issue 24) ---
CARD = "Datos de usuario\nUsuario: ana@empresa.co\nToken: 0f9e8d7c6b5a4f3e2d1c\nRenovar token"


@pytest.mark.parametrize(
    ("field", "email", "token", "span", "text", "expected"),
    [
        # a token at the end of an email already there: the email stays
        ("email", "ana@empresa.co", "", (14, 14), "0f9e8d7c6b5a4f3e2d1c",
         ("ana@empresa.co", "0f9e8d7c6b5a4f3e2d1c", True)),
        # a token over the whole of «Usuario»: the email there comes back
        ("email", "ana@empresa.co", "", (0, 14), "0f9e8d7c6b5a4f3e2d1c",
         ("ana@empresa.co", "0f9e8d7c6b5a4f3e2d1c", True)),
        ("email", "", "old", (0, 0), "ana@empresa.co:0f9e8d7c6b5a4f3e2d1c",
         ("ana@empresa.co", "0f9e8d7c6b5a4f3e2d1c", False)),
        ("email", "x@y.co", "old", (6, 6), CARD,
         ("ana@empresa.co", "0f9e8d7c6b5a4f3e2d1c", False)),
        ("token", "x@y.co", "old", (0, 3), CARD,
         ("ana@empresa.co", "0f9e8d7c6b5a4f3e2d1c", False)),
        ("token", "x@y.co", "abcd", (2, 2), "XY", ("x@y.co", "abXYcd", False)),
        ("email", "ana@", "", (4, 4), "empresa.co", ("ana@empresa.co", "", False)),
    ],
)  # fmt: skip
def test_a_paste_is_placed_before_it_is_inserted(field, email, token, span, text, expected) -> None:  # type: ignore[no-untyped-def]
    raw_email, raw_token, moved = credentials.place_paste(field, email, token, *span, text)
    cleaned = clean(raw_email, raw_token)
    assert (cleaned.email, cleaned.token, moved) == expected
