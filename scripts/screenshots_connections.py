"""Screenshots of the welcome page's saved connections, as a person sees them: the real
window on a real X server (`make screenshots` runs this after scripts/screenshots.py,
inside xvfb-run and the throwaway HOME's Secret Service), at a laptop's window size
(880×512: what a 1366×768 screen gives the wizard), in Spanish and English, light and
dark, into docs/screenshots/connections/<lang>-<theme>/.

Three connections are saved through wizard.store into a private config folder (the
tokens go to the throwaway keyring) and point at an in-process sandbox, so «Revisar»
really checks: one works, one has a renewed (wrong) token.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers.qt_wait import settle, wait_until  # noqa: E402

OUT = ROOT / "docs" / "screenshots" / "connections"
COMBOS = [(lang, theme) for lang in ("es", "en") for theme in ("light", "dark")]
SIZE = tuple(int(n) for n in os.environ.get("SHOTS_SIZE", "880x512").split("x"))
WRONG_TOKEN = "0123456789abcdef9999"  # noqa: S105 (a fake: the sandbox answers 401)


def shoot(lang: str, theme: str) -> None:
    from PySide6.QtWidgets import QApplication

    from wizard import app as gui
    from wizard.sandbox import DEMO_TOKEN, Sandbox
    from wizard.store import Profile, Store

    app = QApplication([sys.argv[0]])
    gui.apply_theme(app, theme)
    gui.install_translations(app, lang)
    sandbox = Sandbox().start()
    config = Path(tempfile.mkdtemp(prefix="alegra-wizard-shots-"))
    store = Store(config_dir=config)
    rows = (
        ("Panadería La Espiga", "demo@alegra.test", DEMO_TOKEN, "Panadería La Espiga S.A.S.",
         "connected"),
        ("Tacos El Güero", "mx@alegra.test", WRONG_TOKEN, "Tacos El Güero S.A. de C.V.",
         "connected"),
        ("Ferretería Núñez", "compras@ferreteria-nunez.test", WRONG_TOKEN, None, None),
    )  # fmt: skip
    for name, email, token, company, last in rows:
        saved = store.save(
            Profile(id="", name=name, email=email, base_url=sandbox.url, country="co",
                    company=company),
            token,
        )  # fmt: skip
        if last:
            store.update_last_check(saved.profile.id, last)
    store.set_default("panaderia-la-espiga")

    wizard = gui.create_wizard(
        ["--lang", lang], open_url=lambda url: True, store=lambda: Store(config_dir=config)
    )
    wizard.resize(*SIZE)
    wizard.show()
    view = wizard.welcome.connections
    wait_until(app, lambda: view is not None and view.loaded and not view.store_worker.busy)
    assert view is not None
    folder = OUT / f"{lang}-{theme}"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()

    def save(widget, name: str) -> None:  # type: ignore[no-untyped-def]
        settle(app)
        path = folder / f"{name}.png"
        widget.grab().save(str(path))
        print(path.relative_to(ROOT), f"{widget.width()}x{widget.height()}")

    save(wizard, "01-welcome-connections")
    view.select("panaderia-la-espiga")
    view.check_button.click()
    wait_until(app, lambda: not view.check_worker.busy and not view.store_worker.busy)
    save(wizard, "02-recheck-ok")
    view.select("tacos-el-guero")
    view.check_button.click()
    wait_until(app, lambda: view.dialog is not None and view.dialog.isVisible())
    wait_until(app, lambda: not view.store_worker.busy)
    save(view.dialog, "03-recheck-failed-dialog")
    view.dialog.reject()
    save(wizard, "04-recheck-failed")
    view.ask_rotate()
    save(view.dialog, "05-change-token-warning")
    view.dialog.reject()
    view.ask_rename()
    save(view.dialog, "06-rename")
    view.dialog.reject()
    view.ask_remove()
    save(view.dialog, "07-remove-confirm")
    view.dialog.reject()
    wizard.ctx.shutdown()
    sandbox.stop()
    for profile in store.list_profiles():
        store.forget(profile.id)


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
