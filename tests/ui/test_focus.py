"""The focus is always where a person can see it (issue 13 items 3 and 5): every page and
state of the real wizard (test mode, the in-process sandbox) walked by Tab and Shift+Tab
on a laptop-sized window, each focus checked (tests/helpers/focus.py); and the 429
countdown hands the focus to «Probar de nuevo» once it can be pressed, never under a key
being held."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QPushButton,
    QWidget,
)

from tests.helpers.focus import focus_problems
from tests.helpers.gui import SLOW_S, fast_probe, fill, focus_widget
from tests.helpers.layout import scrolled_rows
from tests.helpers.layout_walk import states
from wizard.sandbox import DEMO_TOKEN, Sandbox

# The smallest window the wizard has to work in: a 1280x800 screen at 2x scale.
SMALL = (640, 400)
MAX_TABS = 40


def tab_walk(qtbot, window: QWidget, state: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Check the focus as the state opens, then after every Tab until it comes round
    again, then the same with Shift+Tab."""
    QApplication.processEvents()  # what the page queued on arriving, before any key
    found = [f"{state}, on arrival: {p}" for p in focus_problems(window)]
    for key, name in ((Qt.Key.Key_Tab, "Tab"), (Qt.Key.Key_Backtab, "Shift+Tab")):
        first = focus_widget()
        for n in range(1, MAX_TABS + 1):
            qtbot.keyClick(focus_widget() or window, key)
            found += [f"{state}, {name} ×{n}: {p}" for p in focus_problems(window)]
            if focus_widget() is first:
                break
    return found


def test_the_focus_is_always_visible_on_every_page_and_state(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard("--lang", "es", probe=fast_probe)
    wizard.resize(*SMALL)
    qtbot.waitUntil(lambda: (wizard.width(), wizard.height()) == SMALL)
    found = tab_walk(qtbot, wizard, "welcome")
    qtbot.mouseClick(wizard.welcome.demo_check, Qt.MouseButton.LeftButton)
    assert wizard.ctx.demo
    seen = ["welcome"]

    def wait(condition, timeout: float = 15.0) -> None:  # type: ignore[no-untyped-def]
        qtbot.waitUntil(condition, timeout=int(timeout * 1000))

    for state, window in states(wizard, wait):
        seen.append(state)
        if window is None and not wizard.isActiveWindow():
            # A dialog just closed: a window manager gives the activation back to the
            # wizard; the offscreen platform has none, so the test does.
            wizard.activateWindow()
            qtbot.waitUntil(wizard.isActiveWindow)
        found += tab_walk(qtbot, window or wizard, state)
        if state == "test: running":  # the slow answer arrives and the result takes the focus
            wait(lambda: wizard.test._state == "done")
            found += tab_walk(qtbot, wizard, "test: slow answer arrived")
    assert len(seen) >= 29, seen
    assert not found, "\n".join(found[:30])


# --- the check itself can fail ---


def test_the_focus_check_finds_a_widget_scrolled_out_of_view_zero_size_or_hidden(qtbot) -> None:  # type: ignore[no-untyped-def]
    far, tiny = QPushButton("Abajo del todo"), QPushButton("")
    window, area, inner, content = scrolled_rows(extra=(far, tiny))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())

    far.setFocus()  # set by code: nothing scrolls it into view
    assert any("scrolled out of view" in p and "Abajo" in p for p in focus_problems(window))
    area.ensureWidgetVisible(far)
    assert focus_problems(window) == []

    tiny.setFixedSize(0, 0)
    tiny.setFocus()
    qtbot.waitUntil(lambda: focus_widget() is tiny)
    assert any("zero-size" in p for p in focus_problems(window))

    far.setFocus()
    far.hide()  # Qt hands the focus on; a widget that kept it hidden is reported
    assert all("Abajo" not in p for p in focus_problems(window))
    label = QLabel("solo con el ratón", content)
    inner.addWidget(label)
    label.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    label.show()
    label.setFocus()
    qtbot.waitUntil(lambda: focus_widget() is label)
    area.ensureWidgetVisible(label)
    assert any("Tab never reaches" in p for p in focus_problems(window))


# --- the 429 countdown ---


@pytest.fixture
def short_wait() -> Iterator[Sandbox]:
    """The sandbox with a 3 s rate-limit reset instead of 30: the same countdown, shorter."""
    sandbox = Sandbox(slow_seconds=SLOW_S, rate_limit_reset_s=3)
    yield sandbox
    sandbox.stop()


def to_rate_limit(qtbot, make_wizard, sandbox):  # type: ignore[no-untyped-def]
    wizard = make_wizard("--sandbox", "--lang", "es", sandbox=sandbox.start)
    fill(wizard, "limite@alegra.test", DEMO_TOKEN)
    wizard.next()
    test = wizard.test
    qtbot.waitUntil(lambda: test._state == "done", timeout=10_000)
    assert test._wait_left == 3 and not test.testButton.isEnabled()
    return wizard, test


def test_during_the_429_wait_the_focus_is_on_a_button_that_works_then_on_retry(
    make_wizard, qtbot, short_wait
) -> None:  # type: ignore[no-untyped-def]
    wizard, test = to_rate_limit(qtbot, make_wizard, short_wait)
    # During the wait «Probar de nuevo» is disabled: the focus is on «Volver a los datos».
    while test._wait_left > 0:
        focus = focus_widget()
        assert focus is test.backButton and focus.isEnabled(), focus
        assert focus_problems(wizard) == []
        left = test._wait_left
        qtbot.waitUntil(lambda: test._wait_left < left, timeout=3000)  # noqa: B023
    # Once it can be pressed, trying again is the next step.
    qtbot.waitUntil(lambda: focus_widget() is test.testButton, timeout=3000)
    assert test.testButton.isEnabled() and "Ya puedes probar" in test.countdown_label.text()
    assert focus_problems(wizard) == []
    qtbot.keyClick(test.testButton, Qt.Key.Key_Space)  # and it works from the keyboard
    qtbot.waitUntil(lambda: test._state == "done" and test._wait_left == 3, timeout=10_000)


def test_the_429_wait_ending_never_moves_the_focus_under_a_held_key(
    make_wizard, qtbot, short_wait
) -> None:  # type: ignore[no-untyped-def]
    _, test = to_rate_limit(qtbot, make_wizard, short_wait)
    assert focus_widget() is test.backButton
    qtbot.waitUntil(lambda: test._wait_left == 1, timeout=5000)
    # The user presses Shift on «Volver a los datos» and holds it while the wait ends.
    press = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Shift, Qt.KeyboardModifier.ShiftModifier)
    QApplication.sendEvent(test.backButton, press)
    assert test.backButton.key_held
    qtbot.waitUntil(lambda: test.testButton.isEnabled(), timeout=3000)
    QApplication.processEvents()
    assert focus_widget() is test.backButton  # not moved while the key is down
    release = QKeyEvent(QEvent.Type.KeyRelease, Qt.Key.Key_Shift, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(test.backButton, release)
    # Released: now «Probar de nuevo» takes the focus.
    qtbot.waitUntil(lambda: focus_widget() is test.testButton, timeout=2000)


def test_a_focus_the_user_moved_during_the_wait_stays_there(make_wizard, qtbot, short_wait) -> None:  # type: ignore[no-untyped-def]
    _, test = to_rate_limit(qtbot, make_wizard, short_wait)
    qtbot.keyClick(test.backButton, Qt.Key.Key_Tab)
    moved = focus_widget()
    assert moved is not test.backButton and moved is not None
    qtbot.waitUntil(lambda: test.testButton.isEnabled(), timeout=5000)
    QApplication.processEvents()
    assert focus_widget() is moved
    QTest.qWait(0)
