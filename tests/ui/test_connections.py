"""The welcome page's saved connections (pytest-qt, the real wizard): profiles saved
through wizard.store into the throwaway HOME's real Secret Service, live re-checks
against the in-process sandbox, and the keyboard, screen-reader and layout rules."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QWidget,
    QWizard,
)

from tests.helpers import ROOT
from tests.helpers import layout as layout_checks
from tests.helpers.connections import (
    WRONG_TOKEN,
    app_under_xvfb,
    dialog_for,
    items,
    open_box,
    press,
    save_profile,
    save_two,
    view_of,
)
from tests.helpers.gui import fill, save_and_finish
from wizard.sandbox import DEMO_TOKEN
from wizard.store import Profile, StorageError, Store, keyring_service
from wizard.ui.connections import ConnectionsView
from wizard.ui.wizard import AlegraWizard


@pytest.fixture
def two(config_dir: Path, sandbox) -> tuple[Profile, Profile]:  # type: ignore[no-untyped-def]
    return save_two(config_dir, sandbox.url)


def test_with_nothing_stored_page_one_is_as_before(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--lang", "es")
    view = view_of(qtbot, wizard)
    assert not view.isVisible()
    assert wizard.welcome.need_items.isVisible()
    assert "Una cuenta de Alegra" in wizard.welcome.need_items.text()


def test_the_stored_connections_are_listed_in_words(make_wizard, qtbot, two, config_dir) -> None:  # type: ignore[no-untyped-def]
    good, bad = two
    Store(config_dir=config_dir).update_last_check(good.id, "connected")
    Store(config_dir=config_dir).update_last_check(bad.id, "unauthorized")
    wizard = make_wizard("--lang", "es")
    view = view_of(qtbot, wizard)
    assert view.isVisible()
    assert not wizard.welcome.need_items.isVisible()  # that list is for a first connection
    first, second = items(view)
    assert first.startswith("Panadería La Espiga\n")
    assert "Panadería La Espiga S.A.S. · demo@alegra.test · token …0123" in first
    assert re.search(
        r"Última revisión: \d{1,2} \w+ 20\d\d, \d\d:\d\d\. La conexión funcionó\.", first
    )
    assert "mx@alegra.test · token …9999" in second
    assert "Alegra no reconoce ese correo con ese token." in second
    for text in items(view):
        assert DEMO_TOKEN not in text and WRONG_TOKEN not in text
    # A screen reader reads each row as one sentence.
    spoken = view.list.item(0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert spoken.startswith("Panadería La Espiga. Panadería La Espiga S.A.S. · demo@alegra.test")
    wizard.ctx.set_lang("en")
    assert "Last checked:" in items(view)[0] and "The connection worked." in items(view)[0]
    assert "Alegra doesn't recognise that email with that token." in items(view)[1]


def test_a_never_checked_connection_says_so(make_wizard, qtbot, config_dir, sandbox) -> None:  # type: ignore[no-untyped-def]
    save_profile(config_dir, "Solo uno", url=sandbox.url, company=None)
    view = view_of(qtbot, make_wizard("--lang", "es"))
    (text,) = items(view)
    assert text == "Solo uno\ndemo@alegra.test · token …0123\nSin revisar todavía."
    assert view.list.currentRow() == 0  # the only one is chosen: its buttons work at once
    assert view.check_button.isEnabled()


def test_revisar_checks_live_and_records_the_result(make_wizard, qtbot, two, config_dir) -> None:  # type: ignore[no-untyped-def]
    good, _bad = two
    view = view_of(qtbot, make_wizard("--lang", "es"))
    view.select(good.id)
    view.check_button.click()
    assert view.check_button.text() == "Detener la re&visión"  # Cancel works at any moment
    qtbot.waitUntil(lambda: not view.check_worker.busy, timeout=10_000)
    # Who the token belongs to, from /users/self (the sandbox names a user per account).
    status = view.status.text()
    assert status.startswith(
        "✔ «Panadería La Espiga» funciona: conectada con Panadería La Espiga S.A.S. como "
    )
    assert status.removeprefix(
        "✔ «Panadería La Espiga» funciona: conectada con Panadería La Espiga S.A.S. como "
    )
    assert view.check_button.text() == "Re&visar"
    stored = Store(config_dir=config_dir).find(good.id)
    assert stored is not None and stored.last_check_code == "connected"
    # What doctor shows later (it sends no credentials itself): who, and the budget.
    assert (stored.last_user, stored.last_role) == ("Ana Pérez", "admin")  # the code, as sent
    remaining, _, limit = (stored.last_rate_limit or "").partition("/")
    assert limit == "150" and int(remaining) < 150 and stored.last_rate_reset_at  # spent
    qtbot.waitUntil(lambda: "La conexión funcionó." in items(view)[0], timeout=5_000)
    assert view.dialog is None  # a success needs no window of its own


def test_revisar_todas_checks_every_connection_and_records_each(  # type: ignore[no-untyped-def]
    make_wizard, qtbot, two, config_dir
) -> None:
    """«Revisar todas» (issue 25): the same run as `check --all`, in the window: every
    connection re-checked live, each row showing its result, a summary; Stop works."""
    good, bad = two
    view = view_of(qtbot, make_wizard("--lang", "es"))
    button = view.findChild(QPushButton, "checkAllButton")
    assert button.text() == "Revisa&r todas" and button.isEnabled()
    button.click()
    assert button.text() == "Detene&r todas"
    assert view.status.text() == "Revisando 2 conexiones con Alegra, una tras otra…"
    assert not view.check_button.isEnabled() and not view.remove_button.isEnabled()
    qtbot.waitUntil(lambda: not view.check_all_worker.busy, timeout=15_000)
    assert view.status.text() == ("Conexiones revisadas: 2 · funcionan: 1 · con problemas: 1.")
    stored = {p.id: p.last_check_code for p in Store(config_dir=config_dir).list_profiles()}
    assert stored == {good.id: "connected", bad.id: "unauthorized"}
    qtbot.waitUntil(lambda: "La conexión funcionó." in items(view)[0], timeout=5_000)
    assert "Alegra no reconoce ese correo con ese token." in items(view)[1]
    assert button.text() == "Revisa&r todas" and view.check_button.isEnabled()
    # Stop: the run ends at once; what was not checked yet stays as it was.
    button.click()
    button.click()
    assert view.status.text() == (
        "Revisión detenida. Las conexiones ya revisadas muestran su resultado."
    )
    qtbot.waitUntil(lambda: not view.check_all_worker.busy, timeout=10_000)
    assert button.text() == "Revisa&r todas"


def test_a_failed_recheck_shows_the_hint_and_offers_a_new_token(
    make_wizard, qtbot, two, config_dir
) -> None:  # type: ignore[no-untyped-def]
    _good, bad = two
    wizard = make_wizard("--lang", "es")
    view = view_of(qtbot, wizard)
    dialog = dialog_for(qtbot, view, bad.id, view.check_button)
    status = dialog.findChild(QLabel, "connectionCheckStatus")
    assert status.text() == "Alegra no reconoce ese correo con ese token."
    hint = dialog.findChild(QWidget, "connectionHintView").toPlainText()  # type: ignore[attr-defined]
    assert "Posibles causas:" in hint and "Qué hacer:" in hint
    assert "Renovar token" in hint
    assert view.status.text() == "✘ «Tacos El Güero»: Alegra no reconoce ese correo con ese token."
    stored = Store(config_dir=config_dir).find(bad.id)
    assert stored is not None and stored.last_check_code == "unauthorized"
    # «Cambiar token» from the result: the «Renovar token» warning, then the rotation.
    press(dialog, "dialogRotateButton")
    box = open_box(qtbot, view)
    assert box.objectName() == "rotateWarningBox"
    press(box, "confirmButton")
    assert wizard.currentPage() is wizard.credentials
    assert wizard.ctx.updating is not None and wizard.ctx.updating.id == bad.id
    assert wizard.credentials.emailEdit.text() == "mx@alegra.test"
    assert wizard.credentials.tokenEdit.token() == ""


def test_cambiar_token_warns_about_renovar_token_first(make_wizard, qtbot, two) -> None:  # type: ignore[no-untyped-def]
    good, _bad = two
    wizard = make_wizard("--lang", "es")
    view = view_of(qtbot, wizard)
    box = dialog_for(qtbot, view, good.id, view.rotate_button)
    assert isinstance(box, QMessageBox)
    text = box.text()
    assert "«Renovar token»" in text and "deja de funcionar en ese mismo momento" in text
    assert "todos los programas" in text
    assert box.defaultButton().objectName() == "backButton"  # Enter is the safe answer
    press(box, "backButton")
    assert wizard.currentPage() is wizard.welcome and wizard.ctx.updating is None
    view.rotate_button.click()
    press(open_box(qtbot, view), "confirmButton")
    assert wizard.currentPage() is wizard.credentials
    assert wizard.ctx.updating is not None and wizard.ctx.updating.id == good.id
    assert "Actualizando el perfil «Panadería La Espiga»" in wizard.credentials.update_notice.text()


def test_renombrar_moves_the_secret_to_the_new_name(make_wizard, qtbot, two, config_dir) -> None:  # type: ignore[no-untyped-def]
    good, bad = two
    view = view_of(qtbot, make_wizard("--lang", "es"))
    dialog = dialog_for(qtbot, view, good.id, view.rename_button)
    edit = dialog.findChild(QWidget, "renameEdit")
    assert edit is not None and edit.text() == "Panadería La Espiga"  # type: ignore[attr-defined]
    assert edit.accessibleName() == "Nuevo nombre"
    edit.setText("Espiga Centro")  # type: ignore[attr-defined]
    dialog.accept()
    qtbot.waitUntil(lambda: items(view)[0].startswith("Espiga Centro\n"), timeout=10_000)
    assert "Los programas que la pedían por el nombre anterior" in view.status.text()
    store = Store(config_dir=config_dir)
    assert store.find(good.id) is None
    assert store.load("espiga-centro").token == DEMO_TOKEN
    assert keyring.get_password(keyring_service(good.id), good.id) is None
    assert view.selected() is not None and view.selected().id == "espiga-centro"  # type: ignore[union-attr]
    # A clash with another connection's name changes nothing.
    view.rename("espiga-centro", "Tacos El Güero")
    qtbot.waitUntil(lambda: "Ya hay una conexión llamada" in view.status.text(), timeout=10_000)
    assert store.load(bad.id).token == WRONG_TOKEN
    assert store.load("espiga-centro").token == DEMO_TOKEN


def test_quitar_asks_then_removes_secret_and_metadata(make_wizard, qtbot, two, config_dir) -> None:  # type: ignore[no-untyped-def]
    good, bad = two
    view = view_of(qtbot, make_wizard("--lang", "es"))
    box = dialog_for(qtbot, view, bad.id, view.remove_button)
    assert "¿Quitar «Tacos El Güero»?" in box.text()  # type: ignore[attr-defined]
    press(box, "backButton")
    assert keyring.get_password(keyring_service(bad.id), bad.id) == WRONG_TOKEN
    view.remove_button.click()
    press(open_box(qtbot, view), "confirmButton")
    qtbot.waitUntil(lambda: len(items(view)) == 1, timeout=10_000)
    assert view.status.text() == "Quitamos «Tacos El Güero»."
    assert keyring.get_password(keyring_service(bad.id), bad.id) is None
    assert Store(config_dir=config_dir).find(bad.id) is None
    assert Store(config_dir=config_dir).load(good.id).token == DEMO_TOKEN
    press(dialog_for(qtbot, view, good.id, view.remove_button), "confirmButton")
    qtbot.waitUntil(lambda: not items(view), timeout=10_000)
    with pytest.raises(StorageError):
        Store(config_dir=config_dir).load(good.id)


def test_usar_por_defecto(make_wizard, qtbot, two, config_dir) -> None:  # type: ignore[no-untyped-def]
    good, bad = two
    view = view_of(qtbot, make_wizard("--lang", "es"))
    view.select(bad.id)
    assert view.default_button.isEnabled()
    view.default_button.click()
    qtbot.waitUntil(
        lambda: items(view)[1].startswith("Tacos El Güero (por defecto)\n"), timeout=10_000
    )
    assert Store(config_dir=config_dir).default_id() == bad.id
    assert view.status.text() == "«Tacos El Güero» es ahora la conexión por defecto."
    assert view.selected() is not None and view.selected().id == bad.id  # type: ignore[union-attr]
    assert not view.default_button.isEnabled()  # it is the default already
    view.select(good.id)
    assert view.default_button.isEnabled()


def test_conectar_otra_empresa_starts_the_normal_flow(make_wizard, qtbot, two) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--lang", "es")
    view = view_of(qtbot, wizard)
    view.new_button.click()
    assert wizard.currentPage() is wizard.sign_in
    assert wizard.ctx.updating is None


def test_a_duplicate_updates_the_existing_connection(make_wizard, qtbot, config_dir) -> None:  # type: ignore[no-untyped-def]
    """Same email and company: the save page says it updates «X», and it does."""
    wizard = make_wizard("--sandbox", "--lang", "es")
    for attempt in range(2):
        if attempt:
            wizard.restart()
        fill(wizard, "demo@alegra.test", DEMO_TOKEN)
        wizard.next()
        qtbot.waitUntil(lambda: wizard.ctx.verified, timeout=10_000)
        wizard.next()
        duplicate = wizard.save.duplicate
        if attempt:
            assert duplicate.isVisible()
            assert "Al guardar lo actualizamos (no se crea una copia)" in duplicate.text()
            assert not wizard.save.new_copy.isChecked()
        save_and_finish(qtbot, wizard)
    profiles = wizard.ctx.store.list_profiles()
    assert [p.email for p in profiles] == ["demo@alegra.test"]
    wizard.restart()
    view = view_of(qtbot, wizard)
    view.reload()
    qtbot.waitUntil(lambda: view.loaded and len(items(view)) == 1, timeout=10_000)
    wizard.ctx.store.forget(profiles[0].id)


# --- keyboard, screen reader, layout ---


def mnemonic(text: str) -> str | None:
    match = re.search(r"&([^&])", text.replace("&&", ""))
    return match.group(1).lower() if match else None


def page_mnemonics(wizard: AlegraWizard) -> dict[str, list[str]]:
    """Every mnemonic a user can press on page one: its buttons, check boxes, labels with
    buddies, and the wizard's own buttons."""
    found: dict[str, list[str]] = {}
    widgets: list[QWidget] = [
        *wizard.welcome.findChildren(QAbstractButton),
        *wizard.welcome.findChildren(QLabel),
        *(
            wizard.button(b)
            for b in (QWizard.WizardButton.NextButton, QWizard.WizardButton.CancelButton)
        ),
    ]
    for widget in widgets:
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel) and widget.buddy() is None:
            continue
        letter = mnemonic(widget.text())  # type: ignore[attr-defined]
        if letter:
            found.setdefault(letter, []).append(widget.text())  # type: ignore[attr-defined]
    return found


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_button_has_a_mnemonic_unique_on_the_page(make_wizard, qtbot, two, lang: str) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--lang", lang)
    view = view_of(qtbot, wizard)
    found = page_mnemonics(wizard)
    clashes = {k: v for k, v in found.items() if len(v) > 1}
    assert not clashes, clashes
    for button in (view.new_button, *(getattr(view, a) for a in (
        "check_all_button", "check_button", "rotate_button", "rename_button", "remove_button",
        "default_button",
    ))):  # fmt: skip
        assert mnemonic(button.text()), button.text()
        assert button.accessibleDescription(), button.objectName()
    assert mnemonic(view.title.text()) and view.title.buddy() is view.list
    # The mnemonic really works: Alt+letter on the list's label focuses the list.
    letter = mnemonic(view.title.text())
    qtbot.keyClick(wizard, letter, Qt.KeyboardModifier.AltModifier)  # type: ignore[arg-type]
    assert QApplication.focusWidget() is view.list


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_dialogs_buttons_have_mnemonics(make_wizard, qtbot, two, lang: str) -> None:  # type: ignore[no-untyped-def]
    good, bad = two
    view = view_of(qtbot, make_wizard("--lang", lang))
    for opener in (view.ask_rotate, view.ask_remove, view.ask_rename):
        view.select(good.id)
        opener()
        box = open_box(qtbot, view)
        buttons = [b for b in box.findChildren(QAbstractButton) if b.isVisible() and b.text()]
        letters = [mnemonic(b.text()) for b in buttons]
        assert all(letters) and len(set(letters)) == len(letters), [b.text() for b in buttons]
        box.close()
        view.dialog = None
    box = dialog_for(qtbot, view, bad.id, view.check_button)
    letters = [mnemonic(b.text()) for b in box.findChildren(QPushButton) if b.isVisible()]
    assert len(letters) == 2 and all(letters) and len(set(letters)) == 2


def test_tab_walks_the_page_in_order_and_leaves_the_list(make_wizard, qtbot, two) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--lang", "es")
    view = view_of(qtbot, wizard)
    view.new_button.setFocus()
    seen: list[QWidget] = []
    for _ in range(30):
        widget = QApplication.focusWidget()
        assert widget is not None
        if seen and widget is seen[0]:
            break
        seen.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    else:
        raise AssertionError("Tab never came back round: a trap")
    order = [w.objectName() for w in seen]
    expected = [
        "newConnectionButton", "connectionsList", "checkConnectionButton", "rotateTokenButton",
        "renameConnectionButton", "removeConnectionButton", "defaultConnectionButton",
        "languageCombo", "countryCombo", "demoCheck", "supportCheck",
    ]  # fmt: skip
    assert order[: len(expected)] == expected, order
    # Arrows move inside the list; Tab goes on to the next button.
    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_Down)
    assert view.list.currentRow() == 1 and QApplication.focusWidget() is view.list
    qtbot.keyClick(view.list, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is view.check_button
    assert not view.list.tabKeyNavigation()


def test_accessible_names(make_wizard, qtbot, two) -> None:  # type: ignore[no-untyped-def]
    view = view_of(qtbot, make_wizard("--lang", "es"))
    assert view.list.accessibleName() == "Conexiones guardadas"
    for row in range(view.list.count()):
        spoken = view.list.item(row).data(Qt.ItemDataRole.AccessibleTextRole)
        assert spoken and "\n" not in spoken
    view.list.setCurrentRow(1)
    view.check_button.click()
    dialog = open_box(qtbot, view)
    assert dialog.findChild(QWidget, "connectionHintView").accessibleName() == "Qué hacer:"


def visible_rect(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def leaves(page: QWidget) -> list[QWidget]:
    kinds = (QLabel, QAbstractButton, QComboBox, QListWidget, QCheckBox)
    return [
        w
        for w in page.findChildren(QWidget)
        if isinstance(w, kinds) and w.isVisible() and w.window() is page.window()
    ]


def assert_laid_out(wizard: AlegraWizard, view: ConnectionsView) -> None:
    """Nothing outside the window, no text cut, no two widgets drawn over each other."""
    QApplication.processEvents()
    page = wizard.welcome
    assert page.isVisible() and view.isVisible()
    # (isAncestorOf is true of the widget itself: keep the list, not its parts.)
    widgets = [w for w in leaves(page) if w is view.list or not view.list.isAncestorOf(w)]
    assert view.list in widgets
    window_rect = wizard.rect()
    # The page body scrolls (wizard/ui/base.py): below the fold is fine when its scroll
    # bar shows; tests/helpers/layout.py judges reachability, overlap and clipping.
    assert layout_checks.widget_problems(wizard) == []
    scroll = page.page_scroll
    scrolled = scroll.verticalScrollBar().isVisible()
    for widget in widgets:
        rect = visible_rect(widget, wizard)
        text = widget.text() if hasattr(widget, "text") else ""
        reachable = scrolled and scroll.viewport().isAncestorOf(widget)
        assert reachable or window_rect.contains(rect), (widget.objectName(), text, rect)
        if isinstance(widget, QAbstractButton):
            hint = widget.sizeHint()
            assert widget.width() >= hint.width(), text
            assert widget.height() >= hint.height() - 1, text
        if isinstance(widget, QLabel) and widget.text():
            needed = (
                widget.heightForWidth(widget.width())
                if widget.wordWrap()
                else widget.sizeHint().height()
            )
            assert widget.height() >= needed - 1, (widget.objectName(), text)
            if not widget.wordWrap():
                assert widget.width() >= widget.sizeHint().width() - 1, text
    for i, a in enumerate(widgets):
        for b in widgets[i + 1 :]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            overlap = visible_rect(a, wizard).intersected(visible_rect(b, wizard))
            assert overlap.isEmpty(), (a.objectName() or a.text(), b.objectName() or b.text())  # type: ignore[attr-defined]
    # The list shows at least one whole connection, and scrolls to the rest.
    assert view.list.visualItemRect(view.list.item(0)).height() <= view.list.viewport().height()


@pytest.mark.parametrize("size", [(853, 480), (880, 512)])
@pytest.mark.parametrize("lang", ["es", "en"])
def test_no_overlap_and_nothing_cut_at_laptop_sizes(
    make_wizard, qtbot, config_dir, sandbox, size, lang
) -> None:  # type: ignore[no-untyped-def]
    names = ("Panadería La Espiga", "Tacos El Güero", "Ferretería Núñez")
    for n, name in enumerate(names):
        token = DEMO_TOKEN if n == 0 else WRONG_TOKEN
        profile = save_profile(config_dir, name, url=sandbox.url, token=token)
        Store(config_dir=config_dir).update_last_check(
            profile.id, ("connected", "unauthorized", "timeout")[n]
        )
    wizard = make_wizard("--lang", lang)
    view = view_of(qtbot, wizard)
    wizard.resize(*size)
    qtbot.waitUntil(lambda: (wizard.width(), wizard.height()) == size, timeout=3_000)
    assert_laid_out(wizard, view)
    # With a re-check's result under the buttons, too.
    dialog = dialog_for(qtbot, view, "tacos-el-guero", view.check_button)
    assert view.status.isVisible()
    assert_laid_out(wizard, view)
    dialog.close()
    # The result window fits the laptop's screen too.
    assert dialog.width() <= size[0] and dialog.height() <= size[1]


def test_test_mode_leaves_the_real_connections_alone(make_wizard, qtbot, config_dir) -> None:  # type: ignore[no-untyped-def]
    real = save_profile(config_dir, "Mi empresa real", url="https://api.alegra.com/api/v1")
    wizard = make_wizard("--sandbox", "--lang", "es")
    view = view_of(qtbot, wizard)
    for row, profile in enumerate(view.profiles):
        if profile.id == real.id:  # listed at most, never usable
            view.list.setCurrentRow(row)
            assert "Modo de prueba: esta conexión real no se usa ni se cambia." in items(view)[row]
            for button in (view.check_button, view.rotate_button, view.rename_button,
                           view.remove_button, view.default_button):  # fmt: skip
                assert not button.isEnabled(), button.objectName()
            view.check_selected()
            view.ask_remove()
            view.ask_rename()
            view.ask_rotate()
            assert view.dialog is None and not view.check_worker.busy
    assert keyring.get_password(keyring_service(real.id), real.id) == DEMO_TOKEN
    stored = Store(config_dir=config_dir).find(real.id)
    assert stored is not None and stored.last_check_at is None and stored.name == "Mi empresa real"
    # Leaving test mode shows the real ones, usable.
    wizard.welcome.demo_check.setChecked(False)
    view = view_of(qtbot, wizard)
    assert real.id in [p.id for p in view.profiles]
    view.select(real.id)
    assert view.rename_button.isEnabled()


def test_page_one_paints_before_the_store_is_read(tmp_path, config_dir, sandbox) -> None:  # type: ignore[no-untyped-def]
    """The real entry point in a child process: nothing heavy (keyring, requests, this
    view) before the first paint; after it the stored connection is listed, re-checked
    live against a sandbox, and the window closes with the GUI's exit code."""
    save_profile(config_dir, "Panadería La Espiga", url=sandbox.url)
    driver = tmp_path / "driver.py"
    driver.write_text(
        textwrap.dedent(
            """
            import json, sys
            from PySide6.QtCore import QTimer
            from PySide6.QtWidgets import QApplication
            from wizard import app as gui
            from wizard.ui import wizard as w

            qt = QApplication([sys.argv[0]])
            seen = {}
            HEAVY = ("keyring", "requests", "wizard.ui.connections", "wizard.store")
            build_rest = w.AlegraWizard.build_rest

            def patched(self):  # main() calls it right after the first paint
                seen.setdefault("before_rest", sorted(m for m in HEAVY if m in sys.modules))
                build_rest(self)

            w.AlegraWizard.build_rest = patched

            def hook():
                wizard = next(
                    (x for x in qt.topLevelWidgets() if x.objectName() == "alegraWizard"), None
                )
                if wizard is None:
                    return QTimer.singleShot(5, hook)
                step(wizard)

            def step(wizard):
                view = wizard.welcome.connections
                if view is None or not view.loaded:
                    return QTimer.singleShot(20, lambda: step(wizard))
                if "listed" not in seen:
                    seen["listed"] = [view.list.item(r).text() for r in range(view.list.count())]
                    view.check_button.click()
                if view.check_worker.busy:
                    return QTimer.singleShot(20, lambda: step(wizard))
                seen["status"] = view.status.text()
                print(json.dumps(seen), flush=True)
                wizard.reject()

            QTimer.singleShot(0, hook)
            sys.exit(gui.main(["--lang", "es"]))
            """
        ),
        encoding="utf-8",
    )
    env = {**os.environ, "ALEGRA_WIZARD_CONFIG_DIR": str(config_dir), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, str(driver)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert "Fatal Python error" not in proc.stderr
    assert proc.returncode in (0, 19), proc.stderr  # 19: closed without saving (DESIGN)
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["before_rest"] == [], seen
    assert seen["listed"][0].startswith("Panadería La Espiga\n")
    assert seen["status"].startswith("✔ «Panadería La Espiga» funciona")
    assert DEMO_TOKEN not in proc.stdout + proc.stderr


# --- a screen reader's view, over the real accessibility bus (AT-SPI) ---

# Run by Debian's own python3 (pyatspi is a system package): the tree as Orca reads it.
ATSPI_READER = """
import json
import pyatspi


def walk(node, out):
    try:
        states = node.getState()
        labelled_by = [
            target.name
            for relation in node.getRelationSet()
            if relation.getRelationType() == pyatspi.RELATION_LABELLED_BY
            for target in (relation.getTarget(i) for i in range(relation.getNTargets()))
        ]
        out.append({
            "role": node.getRoleName(), "name": node.name, "description": node.description,
            "showing": states.contains(pyatspi.STATE_SHOWING), "labelled_by": labelled_by,
        })
    except Exception:
        return
    for i in range(node.childCount):
        walk(node.getChildAtIndex(i), out)


desktop = pyatspi.Registry.getDesktop(0)
nodes = []
for i in range(desktop.childCount):
    app = desktop.getChildAtIndex(i)
    if app is not None and app.name == "alegra-wizard":
        walk(app, nodes)
print(json.dumps(nodes, ensure_ascii=False))
"""


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_screen_reader_hears_the_connections(tmp_path, config_dir, sandbox, lang) -> None:  # type: ignore[no-untyped-def]
    """The real app under Xvfb with accessibility on; a second process reads the AT-SPI
    tree: the list is named and labelled, each connection is one spoken row (never the
    token), every action button has its name and description, in the page's order."""
    import shutil
    import time

    system_python = "/usr/bin/python3"
    probe = subprocess.run(
        [system_python, "-c", "import pyatspi"], capture_output=True, check=False
    )
    assert probe.returncode == 0, "python3-pyatspi (scripts/install-system-deps.sh test)"
    assert shutil.which("xvfb-run") and shutil.which("dbus-send")
    assert os.environ.get("DBUS_SESSION_BUS_ADDRESS"), "run under scripts/with-keyring.sh"
    save_profile(config_dir, "Panadería La Espiga", url=sandbox.url)
    (tmp_path / "reader.py").write_text(ATSPI_READER, encoding="utf-8")
    nodes: list[dict] = []  # type: ignore[type-arg]
    with app_under_xvfb(tmp_path, config_dir, lang) as app:
        for _ in range(20):  # the bridge registers the window shortly after it shows
            read = subprocess.run(
                [system_python, str(tmp_path / "reader.py")],
                capture_output=True, text=True, timeout=60, check=False,
            )  # fmt: skip
            nodes = json.loads(read.stdout or "[]")
            if any(n["role"] == "list" and n["showing"] for n in nodes):
                break
            time.sleep(0.3)
    assert "Fatal Python error" not in app.stderr
    assert app.returncode in (0, 19), app.stderr
    assert DEMO_TOKEN not in json.dumps(nodes, ensure_ascii=False)
    showing = [n for n in nodes if n["showing"]]
    words = {
        "es": ("Conexiones guardadas", "Conexiones guardadas (1):", "Idioma:",
               ["Conectar otra empresa", "Revisar", "Cambiar token", "Renombrar", "Quitar",
                "Usar por defecto"]),
        "en": ("Saved connections", "Saved connections (1):", "Language:",
               ["Connect another company", "Check", "Change token", "Rename", "Remove",
                "Make default"]),
    }[lang]  # fmt: skip
    list_name, title, language, buttons = words
    (the_list,) = [n for n in showing if n["role"] == "list" and n["name"] == list_name]
    assert title in the_list["labelled_by"], the_list
    rows = [n for n in showing if n["role"] == "list item" and "demo@alegra.test" in n["name"]]
    assert len(rows) == 1 and rows[0]["name"].startswith(
        "Panadería La Espiga. Panadería La Espiga S.A.S. · demo@alegra.test · token …0123"
    ), rows
    named = {n["name"]: n for n in showing if n["role"] == "push button"}
    for name in buttons:
        assert name in named, (name, sorted(named))
        assert named[name]["description"], name  # what the button does, said after its name
    # Read in the page's order: the connections right after the intro, before the language.
    order = [n["name"] for n in showing]
    assert order.index(title) < order.index(buttons[-1]) < order.index(language)


ANNOUNCE_LISTENER = """
import json
import sys
from pathlib import Path

import pyatspi
from gi.repository import GLib

folder = Path(sys.argv[1])
heard = []


def on(event):
    heard.append({"text": str(event.any_data), "politeness": event.detail1,
                  "role": event.source.getRoleName() if event.source else None})
    if str(event.any_data).startswith(("✔", "✘")):
        GLib.timeout_add(200, lambda: pyatspi.Registry.stop() and False)


def go():
    (folder / "go").touch()
    return False


pyatspi.Registry.registerEventListener(on, "object:announcement")
GLib.timeout_add(500, go)
GLib.timeout_add(20000, lambda: pyatspi.Registry.stop() and False)
pyatspi.Registry.start()
print(json.dumps(heard, ensure_ascii=False))
"""


def test_a_screen_reader_hears_the_recheck_result(tmp_path, config_dir, sandbox) -> None:  # type: ignore[no-untyped-def]
    """Revisar's progress and result are announced (AT-SPI object:announcement) while the
    focus stays on the button: a blind user hears how it went without hunting for it."""
    save_profile(config_dir, "Panadería La Espiga", url=sandbox.url)
    (tmp_path / "listener.py").write_text(ANNOUNCE_LISTENER, encoding="utf-8")
    with app_under_xvfb(tmp_path, config_dir, "es") as app:
        listen = subprocess.run(
            ["/usr/bin/python3", str(tmp_path / "listener.py"), str(tmp_path)],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert app.returncode in (0, 19), app.stderr
    heard = json.loads(listen.stdout or "[]")
    texts = [h["text"] for h in heard]
    assert "Revisando «Panadería La Espiga» con Alegra…" in texts, (heard, listen.stderr)
    (result,) = [h for h in heard if h["text"].startswith("✔")]
    assert result["text"].startswith("✔ «Panadería La Espiga» funciona: conectada con ")
    assert result["role"] == "label"
    assert DEMO_TOKEN not in listen.stdout


# --- when things go wrong ---


def test_a_damaged_profiles_file_is_explained_and_page_one_still_works(
    make_wizard, qtbot, config_dir
) -> None:  # type: ignore[no-untyped-def]
    config_dir.mkdir(parents=True)
    (config_dir / "profiles.json").write_text("{ not json", encoding="utf-8")
    wizard = make_wizard("--lang", "es")
    view = view_of(qtbot, wizard)
    assert view.isVisible() and view.status.isVisible()
    assert view.status.text().startswith("El archivo de perfiles está dañado y no se puede leer.")
    assert view.list.count() == 0 and not view.check_button.isEnabled()
    assert (config_dir / "profiles.json").read_text(encoding="utf-8") == "{ not json"  # untouched
    wizard.next()
    assert wizard.currentPage() is wizard.sign_in


def test_a_hanging_keyring_during_revisar_never_freezes_the_window(
    make_wizard, qtbot, config_dir, sandbox
) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers.keyrings import HangingKeyring

    profile = save_profile(config_dir, "Panadería La Espiga", url=sandbox.url)
    hanging = HangingKeyring()
    wizard = make_wizard(
        "--lang", "es", store=lambda: Store(config_dir=config_dir, backend=hanging, timeout=1.0)
    )
    view = view_of(qtbot, wizard)
    ticks: list[int] = []
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(50)
    try:
        view.select(profile.id)
        view.check_button.click()
        qtbot.waitUntil(lambda: not view.check_worker.busy, timeout=10_000)
    finally:
        timer.stop()
        hanging.release.set()
    assert len(ticks) >= 10  # the event loop kept running while the keyring hung
    assert view.status.text().startswith("El llavero del sistema no responde."), view.status.text()
    assert view.check_button.text() == "Re&visar" and view.check_button.isEnabled()


def test_a_connection_removed_elsewhere_meanwhile(make_wizard, qtbot, two, config_dir) -> None:  # type: ignore[no-untyped-def]
    good, bad = two
    view = view_of(qtbot, make_wizard("--lang", "es"))
    Store(config_dir=config_dir).forget(bad.id)  # e.g. `alegra-wizard forget` in a terminal
    view.select(bad.id)
    view.make_default()
    qtbot.waitUntil(lambda: view.list.count() == 1 and not view.store_worker.busy, timeout=10_000)
    assert view.status.text().startswith("Esa conexión ya no está guardada")
    assert [p.id for p in view.profiles] == [good.id]


def test_cambiar_token_end_to_end_replaces_the_stored_token(
    make_wizard, qtbot, config_dir, sandbox
) -> None:  # type: ignore[no-untyped-def]
    """A token renewed in Alegra: Cambiar token, paste the new one, it is checked, saved over
    the same connection (no second one), and the list says it works."""
    old = save_profile(config_dir, "Panadería La Espiga", url=sandbox.url, token=WRONG_TOKEN)
    wizard = make_wizard("--lang", "es")
    view = view_of(qtbot, wizard)
    press(dialog_for(qtbot, view, old.id, view.rotate_button), "confirmButton")
    assert wizard.currentPage() is wizard.credentials
    wizard.credentials.tokenEdit.set_token(DEMO_TOKEN)
    wizard.credentials.apply_cleaning()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.ctx.verified, timeout=10_000)
    wizard.next()
    save_and_finish(qtbot, wizard)
    store = Store(config_dir=config_dir)
    assert [p.id for p in store.list_profiles()] == [old.id]
    assert store.load(old.id).token == DEMO_TOKEN
    assert store.find(old.id).last_check_code == "connected"  # type: ignore[union-attr]
