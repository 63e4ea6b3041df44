"""Screenshots of every wizard page, as a person sees them: the real app on a real X
server (run through `make screenshots`, which wraps this in xvfb-run), in test mode,
in Spanish and English, light and dark, into docs/screenshots/<lang>-<theme>/.

Also the failure views support staff ask about most (wrong token, rate limit, a
slow answer in progress). The token never shows: the field is masked. Saving uses the
real Secret Service of the throwaway HOME that scripts/with-keyring.sh provides.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
COMBOS = [(lang, theme) for lang in ("es", "en") for theme in ("light", "dark")]


def wait_until(app, condition, timeout: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the wizard did not get there in time")
        app.processEvents()
        time.sleep(0.01)


def settle(app) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        app.processEvents()
        time.sleep(0.02)


def shoot(lang: str, theme: str) -> None:
    from PySide6.QtWidgets import QApplication

    from wizard import app as gui

    app = QApplication([sys.argv[0]])
    gui.apply_theme(app, theme)
    gui.install_translations(app, lang)
    wizard = gui.create_wizard(["--sandbox", "--lang", lang], open_url=lambda url: True)
    wizard.resize(880, 720)
    wizard.show()
    folder = OUT / f"{lang}-{theme}"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()

    def save(name: str) -> None:
        settle(app)
        path = folder / f"{name}.png"
        wizard.grab().save(str(path))
        print(path.relative_to(ROOT))

    def save_window(window, name: str) -> None:  # type: ignore[no-untyped-def]
        settle(app)
        path = folder / f"{name}.png"
        window.grab().save(str(path))
        print(path.relative_to(ROOT))

    number = 0
    while True:
        page = wizard.currentPage()
        if page is wizard.credentials:
            page.use_demo_account()
        if page is wizard.test:
            wait_until(app, lambda: wizard.test._state == "done")
            wait_until(app, lambda: wizard.ctx.probe_result is not None)
        number += 1
        save(f"{number:02d}-{page.objectName()}")
        if page is wizard.manual_api:
            page.more_button.setChecked(True)
            save(f"{number:02d}-{page.objectName()}-cant-find")
            page.more_button.setChecked(False)
        if page is wizard.done_page:
            break
        wizard.next()
        if page is wizard.save:  # saving runs on a worker thread
            wait_until(app, lambda: wizard.currentPage() is wizard.done_page)

    # Failure views: back to the credentials page and try the scenarios that teach.
    for email, name in (
        ("basico@alegra.test", "basic-plan"),
        ("nadie@alegra.test", "unauthorized"),
        ("limite@alegra.test", "rate-limited"),
        ("sinpermiso@alegra.test", "forbidden"),
        ("caido@alegra.test", "server-error"),
        ("lento@alegra.test", "running"),
    ):
        while wizard.currentPage() is not wizard.credentials:
            wizard.back()
        wizard.credentials.emailEdit.setText(email)
        wizard.credentials.apply_cleaning()
        wizard.next()
        if name == "running":
            wait_until(app, lambda: wizard.test.busy)
            time.sleep(1.2)
        else:
            wait_until(app, lambda: wizard.test._state == "done")
        if name == "basic-plan":
            wait_until(app, lambda: wizard.ctx.probe_result is not None)
        save(f"test-{name}")
        if name == "unauthorized":  # Diagnóstico, from the failure view
            wizard.test.doctorButton.click()
            dialog = wizard.test.doctor_dialog
            wait_until(app, lambda: wizard.test.doctor_dialog.report is not None)
            save_window(dialog, "doctor-dialog")
            dialog.accept()
    # Support-safe mode and its report.
    wizard.ctx.set_support(True)
    settle(app)
    save("test-support-mode")
    wizard.open_support_report()
    save_window(wizard.support_dialog, "support-report")
    wizard.support_dialog.accept()
    wizard.test.cancel()
    wizard.ctx.shutdown()


def main() -> int:
    if len(sys.argv) == 3:
        shoot(sys.argv[1], sys.argv[2])
        return 0
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "xcb"))
    for lang, theme in COMBOS:  # one process each: the theme is fixed at start-up
        subprocess.run([sys.executable, __file__, lang, theme], env=env, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
