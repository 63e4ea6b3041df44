"""Keys do what they say (issue 22.5), pressed as a user presses them: Enter on a focused
button or disclosure presses it, Enter from a field (or with the focus nowhere) is Next,
Escape and the window's close button ask before leaving, also while a check runs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWizard

from tests.helpers import done_states
from tests.helpers.gui import fill, focus_widget, go_to, save_and_finish
from wizard.sandbox import DEMO_TOKEN

ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def press(qtbot, widget, k=Qt.Key.Key_Return) -> None:  # type: ignore[no-untyped-def]
    """A key on the focused widget, as the keyboard delivers it."""
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    assert focus_widget() is widget
    modifier = Qt.KeyboardModifier.KeypadModifier if k == Qt.Key.Key_Enter else None
    if modifier is None:
        qtbot.keyClick(widget, k)
    else:
        qtbot.keyClick(widget, k, modifier)


def after_a_401(make_wizard, qtbot):  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox", "--lang", "es")
    fill(wizard, "nadie@alegra.test", DEMO_TOKEN)
    go_to(wizard, wizard.test)
    qtbot.waitUntil(lambda: wizard.ctx.result is not None, timeout=10_000)
    return wizard


def test_enter_on_back_to_data_after_a_401_goes_back(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = after_a_401(make_wizard, qtbot)
    press(qtbot, wizard.test.backButton)
    assert wizard.currentPage() is wizard.credentials


def test_enter_on_try_again_after_a_401_checks_again(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = after_a_401(make_wizard, qtbot)
    first = wizard.ctx.result
    with qtbot.waitSignal(wizard.test.runner.finished, timeout=10_000):
        press(qtbot, wizard.test.testButton, Qt.Key.Key_Enter)  # the keypad's Enter too
    assert wizard.currentPage() is wizard.test
    assert wizard.ctx.result is not None and wizard.ctx.result is not first


def test_enter_on_open_alegra_opens_the_browser_and_stays(make_wizard, qtbot, browser) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--lang", "es")
    go_to(wizard, wizard.sign_in)
    press(qtbot, wizard.sign_in.open_button)
    assert browser.opened == [wizard.ctx.country.sign_in_url]
    assert wizard.currentPage() is wizard.sign_in


def test_enter_on_cant_find_it_opens_the_help_and_stays(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--lang", "es")
    go_to(wizard, wizard.manual_api)
    press(qtbot, wizard.manual_api.more_button)
    assert wizard.currentPage() is wizard.manual_api
    assert wizard.manual_api.more_button.isChecked()
    assert wizard.manual_api.more_panel.isVisible()


def test_enter_on_for_programmers_opens_it_and_keeps_the_window(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox", "--lang", "es")
    fill(wizard, "demo@alegra.test", DEMO_TOKEN)
    go_to(wizard, wizard.test)
    qtbot.waitUntil(lambda: wizard.ctx.verified, timeout=10_000)
    wizard.next()
    save_and_finish(qtbot, wizard)
    done_states.show(wizard, "saved")
    toggle = wizard.done_page.programs_toggle
    press(qtbot, toggle)
    assert toggle.isChecked() and wizard.done_page.programs.isVisible()
    assert wizard.isVisible() and wizard.result() == 0
    press(qtbot, toggle)  # and closes it again
    assert not toggle.isChecked()
    assert wizard.isVisible()


def test_enter_from_a_field_or_from_nowhere_is_next(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox", "--lang", "es")
    # The welcome page's test-mode box is a field: Space ticks it, Enter goes on.
    press(qtbot, wizard.welcome.demo_check)
    assert wizard.currentPage() is wizard.sign_in
    QApplication.focusWidget().clearFocus()  # type: ignore[union-attr]
    assert focus_widget() is None
    qtbot.keyClick(wizard, Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.open_settings
    fill(wizard, "demo@alegra.test", DEMO_TOKEN)
    press(qtbot, wizard.credentials.tokenEdit)
    assert wizard.currentPage() is wizard.test


def test_escape_during_a_check_asks_and_the_check_goes_on_if_one_stays(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox")
    fill(wizard, "lento@alegra.test", DEMO_TOKEN)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.test.busy)
    qtbot.keyClick(focus_widget() or wizard, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: wizard._quit_box is not None and wizard._quit_box.isVisible())
    assert wizard.test.busy  # nothing stopped before the user answered
    qtbot.keyClick(wizard._quit_box, Qt.Key.Key_Escape)  # «Seguir aquí»
    assert wizard.isVisible() and wizard.test.busy
    qtbot.waitUntil(lambda: wizard.ctx.result is not None, timeout=10_000)


def test_closing_the_window_during_a_check_asks_then_closes(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox")
    fill(wizard, "lento@alegra.test", DEMO_TOKEN)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.test.busy)
    wizard.close()  # the title bar's ✕, Alt+F4
    qtbot.waitUntil(lambda: wizard._quit_box is not None and wizard._quit_box.isVisible())
    assert wizard.isVisible()
    box = wizard._quit_box
    leave = next(b for b in box.buttons() if b is not box.escapeButton())
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        leave.setFocus()
        qtbot.keyClick(leave, Qt.Key.Key_Return)
    assert not wizard.isVisible()
    assert wizard.result() == QWizard.DialogCode.Rejected
    assert not wizard.test.busy


def test_a_held_enter_presses_the_button_once(make_wizard, qtbot, browser) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    wizard = make_wizard("--lang", "es")
    go_to(wizard, wizard.sign_in)
    button = wizard.sign_in.open_button
    press(qtbot, button)
    for _ in range(3):  # what the keyboard sends while Enter stays down
        repeat = QKeyEvent(
            QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r", True
        )
        QApplication.sendEvent(button, repeat)
    assert browser.opened == [wizard.ctx.country.sign_in_url]
    assert wizard.currentPage() is wizard.sign_in
