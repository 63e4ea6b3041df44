"""Drive the real GUI entry point in this process, as a user would, then exit with its code.

    python -m tests.helpers.gui_driver SCENARIO [WIZARD ARGS...]

The QApplication is made here only so the scenario's first timer can be queued;
`wizard.app.main()` reuses it (as it reuses any existing one) and does everything else:
theme, translations, the lazy wizard, the event loop, the exit code, the result file.

A scenario is a generator over the wizard: it does what a user does (keys through QTest,
clicks) and yields a condition to wait for before its next move. A scenario that gets stuck
exits with STUCK (and says where on stderr), so a test never waits for a window nobody closes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard

STUCK = 97
POLL_MS = 20
ROUNDS = int(os.environ.get("GUI_DRIVER_ROUNDS", "1"))
STEP_TIMEOUT_MS = int(os.environ.get("GUI_DRIVER_STEP_TIMEOUT_MS", "20000"))
DEMO_TOKEN = "0123456789abcdef0123"

Wait = Callable[[], bool]
Scenario = Callable[[Any], Iterator[Wait]]


def _quit_box(wizard: Any) -> QMessageBox | None:
    box = getattr(wizard, "_quit_box", None)
    return box if box is not None and box.isVisible() else None


def close_window(wizard: Any) -> Iterator[Wait]:
    """The title bar's close button; "Salir sin guardar" if the wizard asks."""
    wizard.close()
    yield lambda: _quit_box(wizard) is not None or not wizard.isVisible()
    box = _quit_box(wizard)
    if box is not None:
        leave = next(
            b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole
        )
        QTest.mouseClick(leave, Qt.MouseButton.LeftButton)
    yield lambda: not wizard.isVisible()


def to_credentials(wizard: Any, *, demo: bool = True) -> Iterator[Wait]:
    if demo and not wizard.ctx.demo:
        QTest.mouseClick(wizard.welcome.demo_check, Qt.MouseButton.LeftButton)
        yield lambda: wizard.ctx.demo
    for _ in range(5):
        wizard.next()
    yield lambda: wizard.currentPage() is wizard.credentials


def type_into(edit: Any, text: str, *, replace: bool = True) -> None:
    edit.setFocus(Qt.FocusReason.TabFocusReason)
    if replace:
        QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClick(edit, Qt.Key.Key_Delete)
    QTest.keyClicks(edit, text)


def erase(edit: Any) -> None:
    """Backspace until the field is empty, one key at a time, as people correct a field."""
    edit.setFocus(Qt.FocusReason.TabFocusReason)
    edit.end(False)
    for _ in range(len(edit.text())):
        QTest.keyClick(edit, Qt.Key.Key_Backspace)


def paste_into(edit: Any, text: str) -> None:
    """A paste: the whole text arrives in one edit, as Ctrl+V does."""
    edit.setFocus(Qt.FocusReason.TabFocusReason)
    edit.selectAll()
    QApplication.clipboard().setText(text)
    QTest.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_done(wizard: Any) -> Wait:
    return lambda: wizard.currentPage() is wizard.test and wizard.test._state == "done"


def read_result(wizard: Any) -> Iterator[Wait]:
    """The user reads the answer: after a success, until the plan table is in."""
    yield test_done(wizard)
    if wizard.ctx.verified:
        yield lambda: wizard.ctx.probe_result is not None or not wizard.test.probe_view.isVisible()
    yield pause(300)


def pause(ms: int) -> Wait:
    timer = QElapsedTimer()
    timer.start()
    return lambda: timer.elapsed() >= ms


def press_next(wizard: Any) -> None:
    button = wizard.button(QWizard.WizardButton.NextButton)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


# --- scenarios ---
def _correction_rounds(wizard: Any, correct: Callable[[Any], None]) -> Iterator[Wait]:
    """ROUNDS times: make the mistake and correct it, test, read, go back; then test once
    more and close. A user fighting the form makes the same few moves many times."""
    yield from to_credentials(wizard)
    c = wizard.credentials
    for round_ in range(ROUNDS):
        correct(c)
        press_next(wizard)
        if round_ == ROUNDS - 1:
            yield from read_result(wizard)
        else:
            yield test_done(wizard)
            QTest.mouseClick(wizard.test.backButton, Qt.MouseButton.LeftButton)
            yield lambda: wizard.currentPage() is c
    yield from close_window(wizard)


def token_typed_into_user(wizard: Any) -> Iterator[Wait]:
    """Types the token into «Usuario», erases it key by key, types the email, tests."""

    def correct(c: Any) -> None:
        type_into(c.emailEdit, DEMO_TOKEN)
        erase(c.emailEdit)
        type_into(c.emailEdit, "demo@alegra.test", replace=False)
        type_into(c.tokenEdit, DEMO_TOKEN)

    yield from _correction_rounds(wizard, correct)


def token_pasted_into_user(wizard: Any) -> Iterator[Wait]:
    """Pastes the token into «Usuario», pastes the email over it, the token below, tests."""

    def correct(c: Any) -> None:
        paste_into(c.emailEdit, DEMO_TOKEN)
        paste_into(c.emailEdit, "demo@alegra.test")
        paste_into(c.tokenEdit, DEMO_TOKEN)
        type_into(c.tokenEdit, DEMO_TOKEN)

    yield from _correction_rounds(wizard, correct)


def fail_back_change_email(wizard: Any) -> Iterator[Wait]:
    """A wrong email fails the test; back, the email erased key by key and retyped."""
    first = {"done": False}

    def correct(c: Any) -> None:
        if not first["done"]:
            type_into(c.tokenEdit, DEMO_TOKEN)
            first["done"] = True
        erase(c.emailEdit)
        type_into(c.emailEdit, "nadie@alegra.test", replace=False)
        erase(c.emailEdit)
        type_into(c.emailEdit, "demo@alegra.test", replace=False)

    yield from _correction_rounds(wizard, correct)


def cancel_on_page_one(wizard: Any) -> Iterator[Wait]:
    button = wizard.button(QWizard.WizardButton.CancelButton)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    yield lambda: not wizard.isVisible()


def choose_english_and_mexico(wizard: Any) -> Iterator[Wait]:
    """Picks English and México on page one (by keyboard), goes on, types, cancels."""
    welcome = wizard.welcome
    welcome.language_combo.setFocus(Qt.FocusReason.TabFocusReason)
    index = welcome.language_combo.findData("en")
    welcome.language_combo.setCurrentIndex(index)
    welcome.country_combo.setCurrentIndex(welcome.country_combo.findData("mx"))
    yield lambda: wizard.ctx.lang == "en" and wizard.ctx.country.code == "mx"
    for _ in range(5):
        wizard.next()
    yield lambda: wizard.currentPage() is wizard.credentials
    type_into(wizard.credentials.emailEdit, "ana@empresa.mx")
    type_into(wizard.credentials.tokenEdit, DEMO_TOKEN)
    yield from close_window(wizard)


def report_language(wizard: Any) -> Iterator[Wait]:
    """Says which language and country the window opened with, then cancels."""
    sys.stderr.write(f"gui_driver: lang={wizard.ctx.lang} country={wizard.ctx.country.code}\n")
    yield from cancel_on_page_one(wizard)


def close_after_failed_test(wizard: Any) -> Iterator[Wait]:
    yield from to_credentials(wizard, demo=not os.environ.get("GUI_DRIVER_REAL"))
    c = wizard.credentials
    type_into(c.emailEdit, "nadie@alegra.test")
    type_into(c.tokenEdit, DEMO_TOKEN)
    press_next(wizard)
    yield from read_result(wizard)
    yield from close_window(wizard)


def _to_save(wizard: Any, email: str = "demo@alegra.test") -> Iterator[Wait]:
    yield from to_credentials(wizard, demo=not os.environ.get("GUI_DRIVER_REAL"))
    c = wizard.credentials
    type_into(c.emailEdit, email)
    type_into(c.tokenEdit, DEMO_TOKEN)
    press_next(wizard)
    yield test_done(wizard)
    press_next(wizard)
    yield lambda: wizard.currentPage() is wizard.save


def save(wizard: Any) -> Iterator[Wait]:
    """Tests, saves, and presses «Terminar» on the done page."""
    yield from _to_save(wizard)
    press_next(wizard)
    yield lambda: wizard.currentPage() is wizard.done_page
    QTest.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    yield lambda: not wizard.isVisible()


def failed_save_give_up(wizard: Any) -> Iterator[Wait]:
    """The keyring refuses; the user closes the window from the save page's error."""
    yield from _to_save(wizard)
    press_next(wizard)
    yield lambda: wizard.save.skip_button.isVisible()
    yield from close_window(wizard)


def failed_save_skip(wizard: Any) -> Iterator[Wait]:
    """The keyring refuses; the user presses «Terminar sin guardar», then «Terminar»."""
    yield from _to_save(wizard)
    press_next(wizard)
    yield lambda: wizard.save.skip_button.isVisible()
    QTest.mouseClick(wizard.save.skip_button, Qt.MouseButton.LeftButton)
    yield lambda: wizard.currentPage() is wizard.done_page
    QTest.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    yield lambda: not wizard.isVisible()


def open_alegra_then_hold(wizard: Any) -> Iterator[Wait]:
    """Presses «Abrir Alegra en el navegador» (BROWSER: the test's fake browser, which
    writes GUI_DRIVER_BROWSER_LOG), writes this process's id and PR_GET_DUMPABLE flag to
    GUI_DRIVER_READY, waits for
    GUI_DRIVER_GO (the test reads /proc meanwhile), then cancels."""
    from pathlib import Path

    log, ready, go = (
        Path(os.environ[f"GUI_DRIVER_{name}"]) for name in ("BROWSER_LOG", "READY", "GO")
    )
    wizard.next()
    yield lambda: wizard.currentPage() is wizard.sign_in
    QTest.mouseClick(wizard.sign_in.open_button, Qt.MouseButton.LeftButton)
    yield lambda: log.exists() and log.read_text().endswith("\n")
    import ctypes

    dumpable = ctypes.CDLL(None).prctl(3, 0, 0, 0, 0)  # PR_GET_DUMPABLE
    ready.write_text(f"{os.getpid()} {dumpable}")
    yield go.exists
    yield from close_window(wizard)


CARD = "Datos de usuario\nUsuario: ana@empresa.co\nToken: {token}\nRenovar token"


def paste_routes(wizard: Any) -> Iterator[Wait]:
    """Every way a token reaches the credentials page, for a screen reader listening from
    another process (tests/helpers/atspi_token_reader.py): waits for GUI_DRIVER_GO, says
    «route: NAME» (an AT-SPI announcement) before each route, checks where the token
    landed, says «route: done» and closes. A route that misplaces the token exits STUCK."""
    from pathlib import Path

    from PySide6.QtCore import QMimeData, QPoint, QPointF
    from PySide6.QtGui import (
        QClipboard,
        QContextMenuEvent,
        QDragEnterEvent,
        QDropEvent,
        QGuiApplication,
    )

    from wizard.ui.base import announce

    token = os.environ["GUI_DRIVER_TOKEN"]
    go = Path(os.environ["GUI_DRIVER_GO"])
    clipboard = QGuiApplication.clipboard()
    yield go.exists
    yield from to_credentials(wizard)
    c = wizard.credentials
    email, secret = c.emailEdit, c.tokenEdit

    def start(route: str, *, email_text: str = "", token_text: str = "") -> None:
        announce(c, f"route: {route}")
        email.setText(email_text)
        secret.set_token(token_text)
        c.apply_cleaning()

    def landed(want_email: str, want_token: str = token) -> Wait:
        def check() -> bool:
            if secret.token() == want_token and email.text() == want_email:
                return True
            sys.stderr.write(f"gui_driver: misplaced: {email.text()!r} {secret.token()!r}\n")
            return False

        return check

    def ctrl(edit: Any, key: Qt.Key, text: str, *, over_all: bool = False) -> None:
        clipboard.setText(text)
        edit.setFocus(Qt.FocusReason.TabFocusReason)
        if over_all:
            edit.selectAll()
        else:
            edit.end(False)
        QTest.keyClick(edit, key, Qt.KeyboardModifier.ControlModifier)

    start("typed")
    secret.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClicks(secret, token)
    yield landed("")
    start("keyboard paste")
    ctrl(secret, Qt.Key.Key_V, token)
    yield landed("")
    start("shift insert")
    clipboard.setText(token)
    secret.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(secret, Qt.Key.Key_Insert, Qt.KeyboardModifier.ShiftModifier)
    yield landed("")
    start("paste over an old token", token_text="0a1b0c1d0e1f0a1b0c1d")
    ctrl(secret, Qt.Key.Key_V, token, over_all=True)
    yield landed("")
    start("context menu paste")
    clipboard.setText(token)
    middle = QPoint(secret.width() // 2, secret.height() // 2)
    menu_event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, middle, secret.mapToGlobal(middle)
    )
    QApplication.sendEvent(secret, menu_event)
    yield lambda: QApplication.activePopupWidget() is not None
    menu = QApplication.activePopupWidget()
    next(a for a in menu.actions() if a.objectName() == "edit-paste").trigger()
    menu.close()
    yield landed("")
    start("middle click")
    clipboard.setText(token, QClipboard.Mode.Selection)
    QTest.mouseClick(secret, Qt.MouseButton.MiddleButton, pos=middle)
    yield landed("")
    start("drop")
    mime = QMimeData()
    mime.setText(token)
    drag = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(secret, QDragEnterEvent(middle, *drag))  # a drop follows an enter
    QApplication.sendEvent(secret, QDropEvent(QPointF(middle), *drag))
    yield landed("")
    start("paste into Usuario")
    ctrl(email, Qt.Key.Key_V, token)
    yield landed("")
    start("email:token into Usuario")
    ctrl(email, Qt.Key.Key_V, f"ana@empresa.co:{token}")
    yield landed("ana@empresa.co")
    start("whole card into Usuario")
    ctrl(email, Qt.Key.Key_V, CARD.format(token=token))
    yield landed("ana@empresa.co")
    start("whole card into Token")
    ctrl(secret, Qt.Key.Key_V, CARD.format(token=token))
    yield landed("ana@empresa.co")
    start("token after the email in Usuario", email_text="ana@empresa.co")
    ctrl(email, Qt.Key.Key_V, token)
    yield landed("ana@empresa.co")
    start("messy paste re-written clean", email_text="ana@empresa.co")
    ctrl(secret, Qt.Key.Key_V, f'  "Token: {token}"\u200b ')
    yield landed("ana@empresa.co")
    start("messy token into Usuario", email_text="ana@empresa.co")
    ctrl(email, Qt.Key.Key_V, f' "{token}" ', over_all=True)
    yield landed("ana@empresa.co")
    start("undo", email_text="ana@empresa.co")
    ctrl(secret, Qt.Key.Key_V, token)
    yield landed("ana@empresa.co")  # (key clicks may be queued: one paste at a time)
    ctrl(secret, Qt.Key.Key_V, "f" * 20, over_all=True)
    yield landed("ana@empresa.co", want_token="f" * 20)
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    for edit in (secret, email):
        edit.setFocus(Qt.FocusReason.TabFocusReason)
        QTest.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClick(edit, Qt.Key.Key_Z, redo)
    yield landed("ana@empresa.co", want_token="f" * 20)  # no old token came back
    # Ctrl+Y: Unix line edits' "yank" pastes the clipboard
    start("Ctrl+Y into Token")
    ctrl(secret, Qt.Key.Key_Y, token)
    yield landed("")
    start("Ctrl+Y into Usuario", email_text="ana@empresa.co")
    ctrl(email, Qt.Key.Key_Y, token)
    yield landed("ana@empresa.co")
    announce(c, "route: done")
    yield pause(1500)
    clipboard.clear()
    yield from close_window(wizard)


def show_then_select(wizard: Any) -> Iterator[Wait]:
    """Pastes GUI_DRIVER_TOKEN, presses «Mostrar», selects the shown token and the field as
    a user would (double and triple click, Shift+Home), presses «Ocultar», then writes what
    X11's PRIMARY selection holds to GUI_DRIVER_PRIMARY, and cancels."""
    from pathlib import Path

    from PySide6.QtGui import QClipboard, QGuiApplication

    token = os.environ["GUI_DRIVER_TOKEN"]
    clipboard = QGuiApplication.clipboard()
    yield from to_credentials(wizard)
    c = wizard.credentials
    type_into(c.emailEdit, "ana@empresa.co")
    paste_into(c.tokenEdit, token)
    clipboard.setText("before", QClipboard.Mode.Selection)
    QTest.mouseClick(c.show_button, Qt.MouseButton.LeftButton)
    yield lambda: c.token_shown.isVisible()
    label = c.token_shown
    QTest.mouseDClick(label, Qt.MouseButton.LeftButton)
    QTest.mouseClick(label, Qt.MouseButton.LeftButton)
    c.tokenEdit.setFocus(Qt.FocusReason.MouseFocusReason)
    QTest.mouseDClick(c.tokenEdit, Qt.MouseButton.LeftButton)
    QTest.keyClick(c.tokenEdit, Qt.Key.Key_End)
    QTest.keyClick(c.tokenEdit, Qt.Key.Key_Home, Qt.KeyboardModifier.ShiftModifier)
    yield pause(300)
    QTest.mouseClick(c.show_button, Qt.MouseButton.LeftButton)
    yield pause(300)
    Path(os.environ["GUI_DRIVER_PRIMARY"]).write_text(clipboard.text(QClipboard.Mode.Selection))
    yield from close_window(wizard)


SCENARIOS: dict[str, Scenario] = {
    f.__name__: f
    for f in (
        token_typed_into_user,
        token_pasted_into_user,
        fail_back_change_email,
        cancel_on_page_one,
        choose_english_and_mexico,
        report_language,
        close_after_failed_test,
        save,
        failed_save_give_up,
        failed_save_skip,
        open_alegra_then_hold,
        paste_routes,
        show_then_select,
    )
}
CORRECTION_PATHS = ("token_typed_into_user", "token_pasted_into_user", "fail_back_change_email")


def _find_wizard() -> Any:
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == "alegraWizard" and getattr(widget, "_built", False):
            return widget
    return None


def _stuck(where: str) -> None:
    sys.stderr.write(f"gui_driver: stuck {where}\n")
    sys.stderr.flush()
    os._exit(STUCK)


def drive(scenario: Scenario) -> None:
    state: dict[str, Any] = {"steps": None, "wait": None, "waited": 0, "n": 0}

    def tick() -> None:
        if state["steps"] is None:
            wizard = _find_wizard()
            if wizard is None or not wizard.isVisible():
                state["waited"] += POLL_MS
                if state["waited"] > STEP_TIMEOUT_MS:
                    _stuck("before the window appeared")
                QTimer.singleShot(POLL_MS, tick)
                return
            state["steps"] = scenario(wizard)
            state["wait"] = lambda: True
        if not state["wait"]():
            state["waited"] += POLL_MS
            if state["waited"] > STEP_TIMEOUT_MS:
                _stuck(f"at step {state['n']}")
            QTimer.singleShot(POLL_MS, tick)
            return
        state["waited"] = 0
        state["n"] += 1
        try:
            state["wait"] = next(state["steps"])
        except StopIteration:
            return  # the window is closed: main() returns on its own
        QTimer.singleShot(POLL_MS, tick)

    QTimer.singleShot(0, tick)


_app: QApplication | None = None


def main(argv: list[str]) -> int:
    scenario = SCENARIOS[argv[0]]
    global _app
    # Held to the end, as a launcher that made the application would: it then goes at
    # interpreter shutdown, where a reference-count error in the binding shows as an abort.
    _app = QApplication([sys.argv[0], *argv[1:]])
    drive(scenario)
    from wizard import app

    return app.main(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
