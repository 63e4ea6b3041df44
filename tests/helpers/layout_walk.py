"""Walks every page and state of the real wizard (test mode, the in-process sandbox) in
Spanish and English, light and dark, at one window size, and prints one JSON line per
state with the layout problems found (tests/helpers/layout.py).

Run by tests/ui/test_layout.py in a child process per screen: the screen's size and
QT_SCALE_FACTOR are fixed when Qt starts. Usage: layout_walk.py WIDTHxHEIGHT|auto
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QPoint, QRect  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from tests.helpers import done_states  # noqa: E402
from tests.helpers import layout as layout_checks  # noqa: E402
from tests.helpers.qt_wait import wait_until  # noqa: E402

SLOW_S = 1.5


def pump(app: QApplication, rounds: int = 4) -> None:
    for _ in range(rounds):
        app.processEvents()
        time.sleep(0.005)
    app.processEvents()


def walk(
    app: QApplication, lang: str, theme: str, size: tuple[int, int] | None, config: Path
) -> None:
    from wizard import app as gui
    from wizard.probe import probe_permissions
    from wizard.sandbox import Sandbox
    from wizard.store import Store

    gui.apply_theme(app, theme)
    wizard = gui.create_wizard(
        ["--sandbox", "--lang", lang],
        open_url=lambda url: True,
        store=lambda: Store(config_dir=config),
        sandbox=lambda: Sandbox(slow_seconds=SLOW_S).start(),
        # The real probe against the sandbox, without the pause that spares Alegra's limit.
        probe=lambda email, token, url, cancel: probe_permissions(
            email, token, url, cancel=cancel, pace_s=0
        ),
    )
    wizard.show()
    pump(app)

    def report(state: str, window: QWidget | None = None) -> None:
        pump(app)
        found = layout_checks.problems(window or wizard)
        line: dict[str, Any] = {
            "lang": lang,
            "theme": theme,
            "state": state,
            "problems": found,
            "t": round(time.monotonic(), 2),
        }
        page = wizard.currentPage()
        if window is None and state.startswith("page ") and hasattr(page, "image"):
            line["picture"] = picture_view(page)
        print(json.dumps(line))
        sys.stdout.flush()

    report("default size")  # the size the window picks for itself must fit the screen
    if size is not None:
        wizard.resize(*size)
        pump(app)
    if size is not None and (wizard.width(), wizard.height()) != size:
        print(json.dumps({"lang": lang, "theme": theme, "state": "resize", "problems": [
            f"asked {size}, got {wizard.width()}x{wizard.height()}"
            f" (minimum {wizard.minimumWidth()}x{wizard.minimumHeight()})"]}))  # fmt: skip

    def wait(condition: Callable[[], bool], timeout: float = 15.0) -> None:
        wait_until(app, condition, timeout)

    for state, window in states(wizard, wait):
        report(state, window)
    wizard.ctx.shutdown()
    wizard.deleteLater()
    pump(app)


def picture_view(page: Any) -> dict[str, Any]:
    """How a guide page shows its picture as it opens (scrolled to the top): its drawn
    width in physical px against its own, the share of it inside the page's visible
    area, and whether its steps (the text beside or above it) are all in view."""
    image, scroll = page.image, page.page_scroll
    viewport = scroll.viewport()
    drawn = image.drawn_rect()
    top_left = image.mapTo(viewport, drawn.topLeft().toPoint())
    rect = QRect(top_left, drawn.size().toSize())
    seen = rect.intersected(viewport.rect())
    area = max(1, rect.width() * rect.height())
    text = page.text
    text_rect = QRect(text.mapTo(viewport, QPoint(0, 0)), text.size())
    return {
        "drawn_px": round(drawn.width() * image.devicePixelRatioF()),
        "natural_px": image.natural_size().width(),
        "on_screen": round(seen.width() * seen.height() / area, 3),
        "steps_on_screen": viewport.rect().contains(text_rect),
        "beside": text_rect.right() < rect.left(),
        "scrolled": scroll.verticalScrollBar().value(),
    }


Wait = Callable[..., None]  # wait(condition, timeout=15.0): returns once condition() holds


def states(wizard: Any, wait: Wait) -> Iterator[tuple[str, QWidget | None]]:
    """Every page and state of the wizard (in test mode, on its first page), in order:
    yields each state's name, and the window to look at when it is not the wizard (a
    dialog), once it shows. The layout walk measures each, the focus test tabs through."""
    from wizard.sandbox import DEMO_TOKEN

    test, cred = wizard.test, wizard.credentials
    while True:
        page = wizard.currentPage()
        if page is cred:
            # Notes and problems under the fields: a messy paste, then a bad address.
            cred.emailEdit.setText("  Usuario: demo@alegra.test ")
            cred.tokenEdit.set_token('"0123456789abcdef0123 "')
            cred.apply_cleaning()
            yield "credentials: paste notes", None
            cred.emailEdit.setText("demo@")
            cred.apply_cleaning()
            yield "credentials: problem", None
            cred.use_demo_account()
        if page is test:
            wait(lambda: test._state == "done")
            wait(lambda: wizard.ctx.probe_result is not None)
        yield f"page {page.objectName()}", None
        if page is wizard.manual_api:
            page.more_button.setChecked(True)
            yield "manualApiPage: can't find panel open", None
            page.more_button.setChecked(False)
        if page is wizard.done_page:
            # Every outcome the done page shows, then back to this walk's own (test mode).
            for state in done_states.STATES:
                done_states.show(wizard, state)
                yield f"done: {state}", None
                if state == "saved":
                    wizard.done_page.programs_toggle.setChecked(True)
                    yield "done: saved, for programmers open", None
            done_states.show(wizard, "test_mode")
            break
        wizard.next()
        if page is wizard.save:
            wait(lambda: wizard.currentPage() is wizard.done_page)

    for email, name in (
        ("basico@alegra.test", "basic plan"),
        ("nadie@alegra.test", "unauthorized"),
        ("limite@alegra.test", "rate limited"),
        ("sinpermiso@alegra.test", "forbidden"),
        ("suspendida@alegra.test", "payment required"),
        ("caido@alegra.test", "server error"),
        ("lento@alegra.test", "running"),
    ):
        while wizard.currentPage() is not cred:
            wizard.back()
        # After the done page the window has let go of the token: type it in again.
        cred.use_demo_account()
        cred.emailEdit.setText(email)
        cred.tokenEdit.set_token(DEMO_TOKEN)  # the window lets go of the token once saved
        cred.apply_cleaning()
        wizard.next()
        assert wizard.currentPage() is test, name
        if name == "running":
            wait(lambda: test.busy)
        else:
            wait(lambda: test._state == "done")
        if name == "basic plan":
            wait(lambda: wizard.ctx.probe_result is not None)
        yield f"test: {name}", None
        if name == "unauthorized":
            test.doctorButton.click()
            dialog = test.doctor_dialog
            assert dialog is not None
            wait(lambda: test.doctor_dialog.report is not None, 30.0)
            yield "doctor dialog", dialog
            dialog.accept()
    test.cancel()
    wizard.ctx.set_support(True)
    yield "test: support mode", None
    wizard.open_support_report()
    assert wizard.support_dialog is not None
    yield "support report", wizard.support_dialog
    wizard.support_dialog.accept()


def main() -> int:
    size: tuple[int, int] | None = None
    if sys.argv[1] != "auto":  # auto: the size the window picks for the screen
        width, height = (int(v) for v in sys.argv[1].split("x"))
        size = (width, height)
    app = QApplication([sys.argv[0]])
    with tempfile.TemporaryDirectory() as tmp:
        for lang in ("es", "en"):
            for theme in ("light", "dark"):
                walk(app, lang, theme, size, Path(tmp) / f"{lang}-{theme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
