"""The wizard end to end: real widgets (offscreen), the real in-process sandbox."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QWidget,
    QWizard,
)

from tests.helpers import CANARY_TOKEN, ROOT
from tests.helpers.gui import fill, focus_widget, go_to, save_and_finish, visible_texts
from wizard import hints, i18n
from wizard.outcomes import Code
from wizard.sandbox import DEMO_TOKEN

PAGES = [
    "welcomePage",
    "signInPage",
    "openSettingsPage",
    "manualApiPage",
    "copyCredentialsPage",
    "credentialsPage",
    "testPage",
    "savePage",
    "donePage",
]


def key(qtbot, wizard, k, modifier=Qt.KeyboardModifier.NoModifier):  # type: ignore[no-untyped-def]
    qtbot.keyClick(focus_widget() or wizard, k, modifier)


def test_pages_and_object_names_follow_design(make_wizard) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard()
    names = [wizard.page(i).objectName() for i in wizard.pageIds()]
    assert names == PAGES
    for name in (
        "emailEdit",
        "tokenEdit",
        "testButton",
        "cancelButton",
        "statusLabel",
        "hintView",
        "companyLabel",
        "profileNameEdit",
    ):
        assert wizard.findChild(QWidget, name) is not None, name


def test_happy_path_by_keyboard_only(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--lang", "es")
    # Welcome: Tab to the test-mode box, Space ticks it.
    for _ in range(10):
        if focus_widget() is wizard.welcome.demo_check:
            break
        key(qtbot, wizard, Qt.Key.Key_Tab)
    assert focus_widget() is wizard.welcome.demo_check
    key(qtbot, wizard, Qt.Key.Key_Space)
    assert wizard.ctx.demo and wizard.welcome.banner.isVisible()
    key(qtbot, wizard, Qt.Key.Key_Return)  # welcome (from its test-mode box, a field)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    for _ in range(4):  # the four guide steps → credentials; each starts on Next
        qtbot.waitUntil(lambda: focus_widget() is next_button)
        key(qtbot, wizard, Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.credentials
    assert wizard.credentials.banner.isVisible()
    assert focus_widget() is wizard.credentials.emailEdit
    qtbot.keyClicks(wizard.credentials.emailEdit, "demo@alegra.test")
    key(qtbot, wizard, Qt.Key.Key_Tab)
    assert focus_widget() is wizard.credentials.tokenEdit
    qtbot.keyClicks(wizard.credentials.tokenEdit, DEMO_TOKEN)
    key(qtbot, wizard, Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.test
    qtbot.waitUntil(lambda: wizard.ctx.verified, timeout=10_000)
    assert wizard.test.companyLabel.text() == "Panadería La Espiga S.A.S."
    assert "NIT: 900123456-7" in wizard.test.company_details.text()
    qtbot.waitUntil(lambda: focus_widget() is wizard.button(QWizard.WizardButton.NextButton))
    key(qtbot, wizard, Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.save
    assert wizard.save.profileNameEdit.text() == "Panadería La Espiga S.A.S."
    assert wizard.save.test_mode_notice.isVisible()
    assert wizard.save.values["where"].text().startswith("ningún lugar (modo de prueba")
    key(qtbot, wizard, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=10_000)
    # Test mode: nothing was stored, and the page says so (issue 16.3).
    assert "Modo de prueba: no guardamos nada" in wizard.done_page.saved.text()
    assert not wizard.done_page.programs_toggle.isVisible()
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        key(qtbot, wizard, Qt.Key.Key_Return)
    assert wizard.result() == QWizard.DialogCode.Accepted


def test_happy_path_by_clicks(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox", "--lang", "en")
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    for _ in range(5):
        qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(wizard.credentials.demo_button, Qt.MouseButton.LeftButton)
    assert next_button.isEnabled()
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: next_button.isEnabled(), timeout=10_000)
    assert wizard.test.statusLabel.text().startswith("Connected")  # the ✔ is the card's icon
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    assert commit.isVisible() and commit.text() == "&Save"
    qtbot.mouseClick(commit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=10_000)


def test_sign_in_opens_the_country_link(make_wizard, browser, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--country", "mx")
    go_to(wizard, wizard.sign_in)
    qtbot.mouseClick(wizard.sign_in.open_button, Qt.MouseButton.LeftButton)
    assert browser.opened == ["https://app.alegra.com/mx"]
    assert not wizard.sign_in.error.isVisible()


def test_a_browser_that_fails_leaves_the_address_to_copy(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--country", "pe", open_url=lambda url: False)
    go_to(wizard, wizard.sign_in)
    qtbot.mouseClick(wizard.sign_in.open_button, Qt.MouseButton.LeftButton)
    assert wizard.sign_in.error.isVisible()
    assert "https://app.alegra.com/pe" in wizard.sign_in.error.text()


def test_cant_find_it_panel_offers_the_shortcut(make_wizard, browser, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--lang", "es")
    go_to(wizard, wizard.manual_api)
    assert not wizard.manual_api.more_panel.isVisible()
    qtbot.mouseClick(wizard.manual_api.more_button, Qt.MouseButton.LeftButton)
    assert wizard.manual_api.more_panel.isVisible()
    assert "administrador" in wizard.manual_api.help.text()
    qtbot.mouseClick(wizard.manual_api.shortcut_button, Qt.MouseButton.LeftButton)
    assert browser.opened == ["https://app.alegra.com/configuration/api"]


def test_copy_page_warns_about_renovar_token(make_wizard) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--lang", "es")
    go_to(wizard, wizard.copy_credentials)
    assert "Renovar token" in wizard.copy_credentials.warning.text()
    assert wizard.copy_credentials.warning.isVisible()


SCENARIOS = [
    ("nadie@alegra.test", Code.UNAUTHORIZED, None),
    ("sinpermiso@alegra.test", Code.FORBIDDEN, "user"),
    ("suspendida@alegra.test", Code.PAYMENT_REQUIRED, None),
    ("limite@alegra.test", Code.RATE_LIMITED, None),
    ("caido@alegra.test", Code.SERVER_ERROR, None),
]


@pytest.mark.parametrize(("email", "code", "variant"), SCENARIOS)
@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_failing_scenario_shows_its_hint(make_wizard, qtbot, email, code, variant, lang):  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox", "--lang", lang)
    fill(wizard, email, DEMO_TOKEN)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.result is not None, timeout=10_000)
    assert wizard.ctx.result.code == code
    # The window's texts: a 429's wait is its live countdown (variant "live").
    variant = variant or ("live" if code is Code.RATE_LIMITED else None)
    hint = hints.hint_for(code, lang, variant=variant, seconds=30)
    assert wizard.test.statusLabel.text() == hint.title
    assert not wizard.test.hintView.isVisible()  # behind «Ver más causas»
    wizard.test.more_toggle.click()
    shown = wizard.test.hintView.toPlainText()
    for step in hint.steps:
        assert step in shown
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert wizard.test.backButton.isVisible()


@pytest.mark.parametrize(
    ("email", "company"),
    [
        ("demo@alegra.test", "Panadería La Espiga S.A.S."),
        ("mx@alegra.test", None),
        ("basico@alegra.test", None),
    ],
)
def test_connected_scenarios_show_the_company(make_wizard, qtbot, email, company):  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox")
    fill(wizard, email, DEMO_TOKEN)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.verified, timeout=10_000)
    expected = company or wizard.ctx.result.company.name
    assert wizard.test.companyLabel.text() == expected
    assert wizard.test.companyLabel.isVisible()
    assert not wizard.test.hintView.isVisible()


def test_rate_limit_counts_down_before_retry(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox")
    fill(wizard, "limite@alegra.test", DEMO_TOKEN)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.result is not None, timeout=10_000)
    assert not wizard.test.testButton.isEnabled()
    first = wizard.test.countdown_label.text()
    assert "30 s" in first
    qtbot.waitUntil(lambda: wizard.test.countdown_label.text() != first, timeout=3000)
    assert "29 s" in wizard.test.countdown_label.text()


def test_outage_allows_continuing_unverified_only_when_chosen(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox", "--lang", "es")
    fill(wizard, "caido@alegra.test", DEMO_TOKEN)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.result is not None, timeout=10_000)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert wizard.test.continueCheck.isVisible() and not next_button.isEnabled()
    wizard.test.continueCheck.setChecked(True)
    assert next_button.isEnabled()
    wizard.next()
    status = wizard.save.findChild(QLabel, "summary_status").text()
    assert "SIN VERIFICAR" in status


def test_wrong_credentials_never_offer_continuing(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox")
    fill(wizard, "demo@alegra.test", CANARY_TOKEN)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.result is not None, timeout=10_000)
    assert wizard.ctx.result.code == Code.UNAUTHORIZED
    assert not wizard.test.continueCheck.isVisible()


def test_paste_of_a_messy_card_fills_both_fields(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--lang", "es")
    go_to(wizard, wizard.credentials)
    page = wizard.credentials
    QGuiApplication.clipboard().setText(
        "Datos de usuario\n Usuario:  \u201cAna.Perez@Empresa.COM\u201d \n"
        f"Token: \u200b{DEMO_TOKEN}\u00a0\n"
    )
    page.emailEdit.setFocus()
    qtbot.keyClick(page.emailEdit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert page.emailEdit.text() == "Ana.Perez@empresa.com"
    assert page.tokenEdit.token() == DEMO_TOKEN
    assert page.both_label.isVisible()
    assert page.notes["email"].text() == (
        "Separamos el correo y el token, que venían juntos."
        " Pasamos a minúsculas el dominio del correo."
        " Quitamos 2 espacios, 2 caracteres invisibles, 2 comillas y 2 etiquetas."
    )
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_paste_of_token_with_spaces_says_what_was_fixed(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--lang", "es")
    go_to(wizard, wizard.credentials)
    page = wizard.credentials
    page.emailEdit.setText("ana@empresa.com")
    QGuiApplication.clipboard().setText(f'  "{DEMO_TOKEN}" ')
    page.tokenEdit.setFocus()
    qtbot.keyClick(page.tokenEdit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert page.tokenEdit.token() == DEMO_TOKEN
    assert page.notes["token"].text() == "Quitamos 3 espacios y 2 comillas."


def test_problems_block_next_and_are_explained_inline(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard()
    go_to(wizard, wizard.credentials)
    page = wizard.credentials
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled()
    assert not page.problems["email"].isVisible()  # empty fields are not shouted at
    qtbot.keyClicks(page.emailEdit, "ana-sin-arroba")
    qtbot.keyClicks(page.tokenEdit, DEMO_TOKEN)
    assert page.problems["email"].isVisible() and page.problems["email"].text()
    assert not next_button.isEnabled()
    page.emailEdit.clear()
    qtbot.keyClicks(page.emailEdit, "ana@empresa.com")
    assert not page.problems["email"].isVisible()
    assert next_button.isEnabled()


def test_token_is_masked_until_the_user_asks(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard()
    go_to(wizard, wizard.credentials)
    page = wizard.credentials
    assert page.tokenEdit.echoMode() == QLineEdit.EchoMode.Password
    assert page.tokenEdit.token() == ""  # never pre-filled from the clipboard
    page.emailEdit.setText("ana@empresa.com")
    page.tokenEdit.set_token(DEMO_TOKEN)
    page.apply_cleaning()
    assert page.token_shown.isHidden()
    qtbot.mouseClick(page.show_button, Qt.MouseButton.LeftButton)
    # Shown in a label of its own, never selectable; the field stays masked.
    assert page.token_shown.text() == DEMO_TOKEN and not page.token_shown.isHidden()
    assert page.token_shown.textInteractionFlags() == Qt.TextInteractionFlag.NoTextInteraction
    assert page.tokenEdit.echoMode() == QLineEdit.EchoMode.Password
    assert DEMO_TOKEN not in page.tokenEdit.text()
    wizard.next()
    wizard.back()
    assert page.token_shown.isHidden() and page.token_shown.text() == ""


def test_cancel_during_slow_check_is_immediate_and_late_answer_ignored(make_wizard, qtbot):  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox")
    fill(wizard, "lento@alegra.test", DEMO_TOKEN)
    wizard.next()
    page = wizard.test
    qtbot.waitUntil(lambda: page.busy and page.progress.isVisible())
    assert page.cancelButton.isEnabled()
    with qtbot.waitSignal(page.runner._delivered, timeout=10_000):  # the late answer
        started = time.perf_counter()
        qtbot.mouseClick(page.cancelButton, Qt.MouseButton.LeftButton)
        QApplication.processEvents()
        elapsed_ms = (time.perf_counter() - started) * 1000
        assert elapsed_ms < 200
        assert not page.busy
        assert page.testButton.isEnabled() and not page.progress.isVisible()
        assert page.statusLabel.text() == wizard.ctx.t("gui.test.cancelled")
    QApplication.processEvents()
    assert wizard.ctx.result is None  # dropped
    assert page.statusLabel.text() == wizard.ctx.t("gui.test.cancelled")
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_back_during_a_check_drops_its_result(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox")
    fill(wizard, "lento@alegra.test", DEMO_TOKEN)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.test.busy)
    with qtbot.waitSignal(wizard.test.runner._delivered, timeout=10_000):
        qtbot.mouseClick(wizard.test.backButton, Qt.MouseButton.LeftButton)
        assert wizard.currentPage() is wizard.credentials
    QApplication.processEvents()
    assert wizard.ctx.result is None
    assert wizard.test.runner.busy is False


def test_closing_with_typed_data_asks_first(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard()
    fill(wizard, "ana@empresa.com", DEMO_TOKEN)
    wizard.reject()
    qtbot.waitUntil(lambda: wizard._quit_box is not None and wizard._quit_box.isVisible())
    box = wizard._quit_box
    box.button(box.escapeButton().standardButton()) if False else None
    stay = box.escapeButton()
    qtbot.mouseClick(stay, Qt.MouseButton.LeftButton)
    assert wizard.isVisible()
    assert wizard.credentials.emailEdit.text() == "ana@empresa.com"
    wizard.reject()
    box = wizard._quit_box
    quit_button = next(b for b in box.buttons() if b is not box.escapeButton())
    with qtbot.waitSignal(wizard.finished):
        qtbot.mouseClick(quit_button, Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()


def test_back_keeps_what_was_typed(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox")
    go_to(wizard, wizard.credentials)
    qtbot.keyClicks(wizard.credentials.emailEdit, "nadie@alegra.test")
    qtbot.keyClicks(wizard.credentials.tokenEdit, DEMO_TOKEN)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.result is not None, timeout=10_000)
    qtbot.mouseClick(wizard.test.backButton, Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.credentials
    assert wizard.credentials.emailEdit.text() == "nadie@alegra.test"
    assert wizard.credentials.tokenEdit.token() == DEMO_TOKEN
    wizard.back()
    wizard.back()
    go_to(wizard, wizard.credentials)
    assert wizard.credentials.emailEdit.text() == "nadie@alegra.test"
    assert wizard.credentials.tokenEdit.token() == DEMO_TOKEN


@pytest.mark.parametrize("token", [DEMO_TOKEN, CANARY_TOKEN])
def test_token_never_appears_in_any_text(make_wizard, qtbot, token) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox")
    seen: list[str] = []
    fill(wizard, "demo@alegra.test", f"  {token} ")
    seen += visible_texts(wizard)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.result is not None, timeout=10_000)
    seen += visible_texts(wizard)
    if wizard.ctx.verified:
        wizard.next()
        seen += visible_texts(wizard)
        save_and_finish(qtbot, wizard)
        seen += visible_texts(wizard)
    assert wizard.currentPage() is (wizard.done_page if token == DEMO_TOKEN else wizard.test)
    leaks = [text for text in seen if token in text or token[:12] in text]
    assert leaks == []
    assert any(f"…{token[-4:]}" in text for text in seen)  # the masked form is shown


def test_language_switch_retranslates_everything(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--lang", "es")
    assert wizard.button(QWizard.WizardButton.NextButton).text() == "&Siguiente"
    combo = wizard.welcome.language_combo
    combo.setCurrentIndex(combo.findData("en"))
    assert wizard.ctx.lang == "en"
    assert wizard.button(QWizard.WizardButton.NextButton).text() == "&Next"
    assert wizard.welcome.title() == "Connect your account"
    assert wizard.welcome.country_combo.itemText(0) == "Colombia"
    assert wizard.welcome.country_combo.findText("Mexico") >= 0
    go_to(wizard, wizard.copy_credentials)
    assert "Renew token" in wizard.copy_credentials.warning.text()
    assert wizard.copy_credentials.image.source.parent.name == "en"


def test_every_input_has_an_accessible_name_and_a_buddy(make_wizard) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard()
    from PySide6.QtWidgets import QComboBox

    inputs = [w for w in wizard.findChildren(QWidget) if isinstance(w, (QLineEdit, QComboBox))]
    inputs = [w for w in inputs if w.objectName()]  # the combo's own inner line edit aside
    assert {w.objectName() for w in inputs} >= {
        "emailEdit",
        "tokenEdit",
        "profileNameEdit",
        "languageCombo",
        "countryCombo",
    }
    buddies = {label.buddy() for label in wizard.findChildren(QLabel) if label.buddy()}
    for widget in inputs:
        assert widget.accessibleName(), widget.objectName()
        assert widget in buddies, widget.objectName()


def test_qt_own_texts_are_spanish(make_wizard) -> None:  # type: ignore[no-untyped-def]
    from wizard.app import install_translations

    install_translations(QApplication.instance(), "es")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancelar"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_labels_left_in_auto_text_never_hold_markup(make_wizard, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Page one's labels skip PlainText for start-up speed (make_label's catalog_only):
    safe only while their texts can never be taken for rich text, in any language and
    mode. Every other label of ours must be PlainText."""
    from PySide6.QtGui import Qt as QtGui

    wizard = make_wizard("--sandbox", "--lang", lang)
    wizard.welcome.show_notice("<b>perfil</b>")  # a profile name from the command line
    page_one = set(wizard.welcome.findChildren(QLabel))
    pages = [wizard.page(page_id) for page_id in wizard.pageIds()]
    ours = {label for page in pages for label in page.findChildren(QLabel)}
    auto = [
        label
        for label in wizard.findChildren(QLabel)
        if label.textFormat() != Qt.TextFormat.PlainText
    ]
    assert {label.objectName() for label in auto} >= {"introLabel", "sandboxBanner"}
    for label in auto:  # ours, and QWizard's title and subtitle (page titles: catalog)
        assert not QtGui.mightBeRichText(label.text()), (label.objectName(), label.text())
        if label in ours and label not in page_one:
            assert label.objectName() == "sandboxBanner", f"{label.objectName()} not PlainText"
    assert wizard.welcome.demo_error.textFormat() == Qt.TextFormat.PlainText


def test_a_country_with_its_own_menu_labels_gets_them(make_wizard, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Menu wording per country is data: an entry in countries.toml, no code."""
    import shutil
    import sys

    bundle = tmp_path / "resources"
    shutil.copytree(ROOT / "resources", bundle)
    with (bundle / "i18n" / "countries.toml").open("a", encoding="utf-8") as toml:
        toml.write(
            '\n[country.MX.gui.open_settings.steps]\nes = ["Menú de perfil", "Ajustes MX"]\n'
            'en = ["Profile menu", "MX settings"]\n'
        )
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    i18n._load_file.cache_clear()
    i18n.catalog.cache_clear()
    try:
        wizard = make_wizard("--lang", "es", "--country", "mx")
        go_to(wizard, wizard.open_settings)
        assert "Ajustes MX" in wizard.open_settings.text.text()
        wizard.ctx.set_country("co")
        wizard.back()
        wizard.next()
        assert "Ajustes MX" not in wizard.open_settings.text.text()
    finally:
        monkeypatch.undo()
        i18n._load_file.cache_clear()
        i18n.catalog.cache_clear()


# --- renewing a token; a token pasted into «Usuario» (issue 13.6) ---
def _stored_profile(config_dir):  # type: ignore[no-untyped-def]
    from tests.helpers.keyrings import MemoryBackend
    from wizard.store import Profile, Store

    backend = MemoryBackend()
    Store(config_dir=config_dir, backend=backend).save(
        Profile(id="mia", name="La mía", email="ana@empresa.co"), "old" + "x" * 17
    )
    return lambda: Store(config_dir=config_dir, backend=backend)


def test_rotation_opens_with_the_focus_in_the_token_field(make_wizard, qtbot, config_dir) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--lang", "es", "--profile", "mia", store=_stored_profile(config_dir))
    page = wizard.credentials
    assert wizard.currentPage() is page
    qtbot.waitUntil(lambda: focus_widget() is page.tokenEdit)
    assert not page.emailEdit.hasSelectedText()


@pytest.mark.parametrize("mode", ["normal", "rotation", "support"])
def test_a_token_pasted_into_the_email_field_goes_to_the_token_field_masked(
    make_wizard, qtbot, config_dir, mode: str
) -> None:  # type: ignore[no-untyped-def]
    args = {"normal": [], "rotation": ["--profile", "mia"], "support": ["--support"]}[mode]
    wizard = make_wizard("--lang", "es", *args, store=_stored_profile(config_dir))
    go_to(wizard, wizard.credentials)
    page = wizard.credentials
    email_before = page.emailEdit.text()
    shown: list[str] = []
    page.emailEdit.textChanged.connect(shown.append)
    QGuiApplication.clipboard().setText(f" {DEMO_TOKEN}\n")
    page.emailEdit.setFocus()
    page.emailEdit.selectAll()
    qtbot.keyClick(page.emailEdit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert page.tokenEdit.token() == DEMO_TOKEN
    assert page.tokenEdit.echoMode() == QLineEdit.EchoMode.Password
    assert page.emailEdit.text() == email_before
    assert DEMO_TOKEN not in page.emailEdit.text()
    note = page.notes["token"]
    assert note.isVisible() and "Pegaste el token en «Usuario»" in note.text()
    assert focus_widget() is page.tokenEdit
    if mode == "support":
        assert not page.show_button.isEnabled()


# --- mnemonics (issue 13.4) ---
def _mnemonic(text: str) -> str | None:
    import re

    match = re.search(r"&([^&\s])", text.replace("&&", ""))
    return match.group(1).lower() if match else None


def _assert_mnemonics(where: str, texts: list[str]) -> None:
    seen: dict[str, str] = {}
    for text in dict.fromkeys(t for t in texts if t):  # a button repeated per row: one text
        letter = _mnemonic(text)
        assert letter, f"{where}: «{text}» has no mnemonic"
        assert letter not in seen, f"{where}: «{text}» and «{seen[letter]}» both use Alt+{letter}"
        seen[letter] = text


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_button_and_check_box_has_its_own_mnemonic_on_every_page(
    make_wizard, qtbot, lang: str
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QAbstractButton, QCheckBox, QPushButton, QToolButton

    wizard = make_wizard("--sandbox", "--support", "--lang", lang)
    b = QWizard.WizardButton
    ids = wizard.pageIds()
    for page_id in ids:
        page = wizard.page(page_id)
        own = [
            w.text()
            for w in page.findChildren(QAbstractButton)
            if isinstance(w, (QPushButton, QCheckBox, QToolButton)) and w.text()
        ] + [w.text() for w in page.findChildren(QLabel) if w.buddy() is not None]
        if page_id == ids[-1]:
            frame = [b.FinishButton]
        elif page.isCommitPage():
            frame = [b.BackButton, b.CommitButton, b.CancelButton]
        else:
            frame = [b.BackButton, b.NextButton, b.CancelButton]
        frame.append(b.CustomButton1)  # «Informe de soporte» in support mode
        texts = own + [wizard.buttonText(x) for x in frame]
        _assert_mnemonics(f"{lang}/{page.objectName()}", texts)
    # The quit box and the dialogs.
    fill(wizard, "demo@alegra.test", DEMO_TOKEN)
    wizard.reject()
    box = wizard._quit_box
    assert box is not None
    _assert_mnemonics(f"{lang}/quitBox", [x.text() for x in box.buttons()])
    box.reject()
    wizard.open_support_report()
    dialog = wizard.support_dialog
    _assert_mnemonics(f"{lang}/support", [x.text() for x in dialog.findChildren(QPushButton)])
    dialog.close()
    wizard.test.open_doctor()
    doctor = wizard.test.doctor_dialog
    _assert_mnemonics(f"{lang}/doctor", [x.text() for x in doctor.findChildren(QPushButton)])
    doctor.close()


# --- focus (issue 13.3, 13.5) ---
def test_a_slow_answer_does_not_put_next_under_the_users_key(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox", "--lang", "es")
    fill(wizard, "lento@alegra.test", DEMO_TOKEN)
    wizard.next()
    assert focus_widget() is wizard.test.cancelButton
    qtbot.waitUntil(lambda: wizard.ctx.verified, timeout=10_000)
    # The answer's focus move has happened; then run whatever else is queued behind it.
    qtbot.waitUntil(lambda: focus_widget() is wizard.test.companyLabel, timeout=5_000)
    QApplication.processEvents()
    assert focus_widget() is not wizard.button(QWizard.WizardButton.NextButton)
    assert focus_widget() is wizard.test.companyLabel
    next_page = wizard.currentPage()
    key(qtbot, wizard, Qt.Key.Key_Space)
    assert wizard.currentPage() is next_page


def test_tab_leaves_the_plan_table(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers.gui import fast_probe

    wizard = make_wizard("--sandbox", "--lang", "es", probe=fast_probe)
    fill(wizard, "demo@alegra.test", DEMO_TOKEN)
    wizard.next()
    table = wizard.test.probe_view.table
    qtbot.waitUntil(lambda: table.rowCount() > 0, timeout=10_000)
    wizard.test.probe_view.details_toggle.click()  # «Ver detalle»
    assert table.isVisible()
    table.setFocus(Qt.FocusReason.TabFocusReason)
    assert focus_widget() is table
    key(qtbot, wizard, Qt.Key.Key_Tab)
    assert focus_widget() is not table and not table.isAncestorOf(focus_widget())


def test_guide_steps_start_with_the_focus_on_next(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--lang", "es")
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    for page in (wizard.sign_in, wizard.open_settings, wizard.manual_api, wizard.copy_credentials):
        go_to(wizard, page)
        qtbot.waitUntil(lambda: focus_widget() is next_button)
