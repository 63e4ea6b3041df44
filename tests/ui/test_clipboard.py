"""The pasted token does not stay on the system clipboard (issue 22.6), as password
managers do: once it is saved, or the window closes, the clipboard is cleared if it still
holds that very token, and the done page says so in one line. Anything else stays."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QClipboard, QGuiApplication

from tests.helpers.gui import fill, go_to, save_and_finish
from wizard.sandbox import DEMO_TOKEN


@pytest.fixture
def clipboard():  # type: ignore[no-untyped-def]
    board = QGuiApplication.clipboard()
    yield board
    board.clear()


def to_done_page(make_wizard, qtbot):  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox", "--lang", "es")
    fill(wizard, "demo@alegra.test", DEMO_TOKEN)
    go_to(wizard, wizard.test)
    qtbot.waitUntil(lambda: wizard.ctx.verified, timeout=10_000)
    wizard.next()
    save_and_finish(qtbot, wizard)
    return wizard


@pytest.mark.parametrize("copied", [DEMO_TOKEN, f"  {DEMO_TOKEN}\n", f"Token: {DEMO_TOKEN}"])
def test_a_saved_token_leaves_the_clipboard_and_the_done_page_says_so(
    make_wizard, qtbot, clipboard, copied: str
) -> None:  # type: ignore[no-untyped-def]
    clipboard.setText(copied)
    wizard = to_done_page(make_wizard, qtbot)
    assert clipboard.text() == ""
    notice = wizard.done_page.clipboard_notice
    assert notice.isVisible() and "portapapeles" in notice.text()


def test_anything_else_on_the_clipboard_stays_and_nothing_is_said(
    make_wizard, qtbot, clipboard
) -> None:  # type: ignore[no-untyped-def]
    clipboard.setText("Pedido 4411 para Panadería La Espiga")
    wizard = to_done_page(make_wizard, qtbot)
    assert clipboard.text() == "Pedido 4411 para Panadería La Espiga"
    assert not wizard.done_page.clipboard_notice.isVisible()


def test_closing_the_window_takes_the_token_off_the_clipboard(
    make_wizard, qtbot, clipboard
) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox", "--lang", "es")
    fill(wizard, "demo@alegra.test", DEMO_TOKEN)
    clipboard.setText(DEMO_TOKEN)
    if clipboard.supportsSelection():
        clipboard.setText(DEMO_TOKEN, QClipboard.Mode.Selection)
    wizard.reject()
    box = wizard._quit_box
    leave = next(b for b in box.buttons() if b is not box.escapeButton())
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        leave.click()
    assert clipboard.text() == ""
    if clipboard.supportsSelection():
        assert clipboard.text(QClipboard.Mode.Selection) == ""
