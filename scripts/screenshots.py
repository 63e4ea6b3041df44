"""Screenshots of every wizard page, as a person sees them: the real app on a real X
server (run through `make screenshots`, which wraps this in xvfb-run), in test mode,
in Spanish and English, light and dark, into docs/screenshots/<lang>-<theme>/.

Also the failure views support staff ask about most (wrong token, rate limit, a
slow answer in progress), and a laptop set: the main pages and results at small window
sizes (853x480, 880x512), and with the size the window picks itself at 2x on a 1280x800
screen, 150 % on a 1366x768 one and 150 % on a 1920x1080 one (each on an X server of
that physical size, QT_SCALE_FACTOR as the scale), into
docs/screenshots/<lang>-<theme>-<size or screen>[@<scale>x]/. The token never shows: the
field is masked. Saving uses the real Secret Service of the throwaway HOME that
scripts/with-keyring.sh provides.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers.qt_wait import settle, wait_until  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
COMBOS = [(lang, theme) for lang in ("es", "en") for theme in ("light", "dark")]
# (lang, theme, window size or "auto", QT_SCALE_FACTOR, physical screen): the laptop set,
# each on an X server of the screen's physical size with Qt's scale (as Windows does it).
LAPTOP = [
    ("es", "light", "853x480", "1", "1280x800"),
    ("en", "dark", "880x512", "1", "1280x800"),
    ("es", "light", "auto", "2", "1280x800"),
    ("en", "dark", "auto", "2", "1280x800"),
    ("es", "light", "auto", "1.5", "1366x768"),
    ("en", "dark", "auto", "1.5", "1366x768"),
    ("es", "light", "auto", "1.5", "1920x1080"),
    ("en", "dark", "auto", "1.5", "1920x1080"),
]
# What the laptop set shows (the pages where most can go wrong on a small screen).
LAPTOP_SHOTS = {
    "welcomePage", "signInPage", "openSettingsPage", "manualApiPage", "copyCredentialsPage",
    "manualApiPage-cant-find", "credentialsPage", "testPage",
    "savePage", "donePage", "test-unauthorized", "test-basic-plan", "done-saved",
    "done-unverified",
}  # fmt: skip


def shoot(
    lang: str, theme: str, size: str = "880x720", scale: str = "1", screen: str = "1280x800"
) -> None:
    from PySide6.QtWidgets import QApplication

    from wizard import app as gui

    app = QApplication([sys.argv[0]])
    gui.apply_theme(app, theme)
    gui.install_translations(app, lang)
    from wizard.sandbox import DEMO_TOKEN
    from wizard.store import Store

    # A folder of its own per run: page one shows no connection saved by an earlier run.
    config = Path(tempfile.mkdtemp(prefix="alegra-wizard-shots-"))
    wizard = gui.create_wizard(
        ["--sandbox", "--lang", lang],
        open_url=lambda url: True,
        store=lambda: Store(config_dir=config),
    )
    laptop = (size, scale) != ("880x720", "1")
    if size != "auto":
        width, height = (int(v) for v in size.split("x"))
        wizard.resize(width, height)
    wizard.show()
    suffix = (
        ""
        if not laptop
        else f"-{size if size != 'auto' else screen}" + (f"@{scale}x" if scale != "1" else "")
    )
    folder = OUT / f"{lang}-{theme}{suffix}"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()

    def save(name: str) -> None:
        if laptop and name.split("-", 1)[-1] not in LAPTOP_SHOTS and name not in LAPTOP_SHOTS:
            return
        settle(app)
        path = folder / f"{name}.png"
        wizard.grab().save(str(path))
        print(path.relative_to(ROOT))

    def save_window(window, name: str) -> None:  # type: ignore[no-untyped-def]
        if laptop:
            return
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
            # The done page's other outcomes (a real save, one with a problem, one not
            # verified, one that failed), as they show after the save page.
            from tests.helpers import done_states

            for state in ("saved", "problem", "unverified", "not_saved"):
                done_states.show(wizard, state)
                save(f"done-{state.replace('_', '-')}")
            done_states.show(wizard, "test_mode")
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
        wizard.credentials.tokenEdit.set_token(DEMO_TOKEN)  # let go of once saved
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
    if len(sys.argv) >= 3:
        shoot(*sys.argv[1:6])
        return 0
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "xcb"))
    for lang, theme in COMBOS:  # one process each: the theme is fixed at start-up
        subprocess.run([sys.executable, __file__, lang, theme], env=env, check=True)
    for lang, theme, size, scale, screen in LAPTOP:  # the scale and the screen too
        scaled = dict(env, QT_SCALE_FACTOR=scale)
        server = ["xvfb-run", "-a", "-s", f"-screen 0 {screen}x24"]
        command = [sys.executable, __file__, lang, theme, size, scale, screen]
        subprocess.run([*server, *command], env=scaled, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
