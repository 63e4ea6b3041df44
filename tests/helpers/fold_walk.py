"""The check page's verdict at one laptop setting: for each result (a 401, a plan that
lacks features, a 429, Alegra down, a user who may not read the company) in Spanish and
English, is the card's title, its first thing to do and the primary action on screen at
first paint, without scrolling? One JSON line per state.

Run by tests/ui/test_verdict.py in a child process per setting (the screen's size and
QT_SCALE_FACTOR are fixed when Qt starts). The window takes the size it picks for itself,
bounded by the screen less a window frame. Usage: fold_walk.py
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from tests.helpers import layout as layout_checks  # noqa: E402
from tests.helpers.qt_wait import wait_until  # noqa: E402

FRAME = (16, 40)  # what a window manager's frame and title bar take, logical px
EMAILS = {
    "unauthorized": "nadie@alegra.test",
    "basic plan": "basico@alegra.test",
    "rate limited": "limite@alegra.test",
    "server error": "caido@alegra.test",
    "forbidden user": "sinpermiso@alegra.test",
}


def in_view(widget: QWidget, window: QWidget) -> bool:
    """Shown, and all of it on screen: not clipped by the page's scroll area or the window."""
    if not widget.isVisible():
        return False
    whole = layout_checks.window_rect(widget, window)
    return not whole.isEmpty() and layout_checks.clipped_rect(widget, window) == whole


def walk(app: QApplication, lang: str) -> None:
    from PySide6.QtWidgets import QWizard

    from wizard import app as gui
    from wizard.probe import probe_permissions
    from wizard.sandbox import DEMO_TOKEN
    from wizard.store import Store

    config = Path(tempfile.mkdtemp(prefix="alegra-wizard-fold-"))
    wizard = gui.create_wizard(
        ["--sandbox", "--lang", lang],
        open_url=lambda url: True,
        store=lambda: Store(config_dir=config),
        probe=lambda email, token, url, cancel: probe_permissions(
            email, token, url, cancel=cancel, pace_s=0
        ),
    )
    wizard.show()
    room = wizard.screen().availableGeometry().size()
    wizard.resize(
        min(wizard.width(), room.width() - FRAME[0]), min(wizard.height(), room.height() - FRAME[1])
    )
    wait_until(app, wizard.isVisible)
    wizard.build_rest()
    test = wizard.test
    for state, email in EMAILS.items():
        wizard.restart()
        for _ in range(5):
            wizard.next()
        wizard.credentials.emailEdit.setText(email)
        wizard.credentials.tokenEdit.setText(DEMO_TOKEN)
        wizard.credentials.apply_cleaning()
        wizard.next()
        wait_until(app, lambda: test._state == "done")
        if state == "basic plan":
            wait_until(app, lambda: wizard.ctx.probe_result is not None)
            first = test.probe_view.summary
            primary = wizard.button(QWizard.WizardButton.NextButton)
        else:
            first = test.countdown_label if state == "rate limited" else test.fix_label
            primary = test.primary_button
        for _ in range(5):
            app.processEvents()
        seen = {
            "title": in_view(test.statusLabel, wizard),
            "first step": in_view(first, wizard),
            "primary action": in_view(primary, wizard),
        }
        line = {
            "lang": lang,
            "state": state,
            "size": f"{wizard.width()}x{wizard.height()}",
            "dpr": wizard.devicePixelRatioF(),
            "seen": seen,
            "first": first.text()[:60],
            "primary": primary.text(),
        }
        print(json.dumps(line, ensure_ascii=False))
        sys.stdout.flush()
        test.cleanupPage()
    wizard.ctx.shutdown()


def main() -> int:
    app = QApplication([sys.argv[0]])
    for lang in ("es", "en"):
        from wizard import app as gui

        gui.install_translations(app, lang)
        walk(app, lang)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
