"""Screenshots of the wizard as a product ships it: the sample app file
(resources/samples/facturador-pos/) on a real X server (`make screenshots` runs this inside
xvfb-run and the throwaway HOME's Secret Service), in Spanish and English, light, into
docs/screenshots/brand/<lang>/.

The welcome page (logo, «Facturador POS necesitará: …»), the check page's needs_unmet
verdict (a basic plan without Bancos), the done page after saving it anyway, the done page
of an account that has everything, a failure card with the product's support contact, and
the box a bad app file gets. Saving is real: an in-process sandbox on loopback, the
profiles in a private folder under the app's id, the token in the throwaway keyring.
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

OUT = ROOT / "docs" / "screenshots" / "brand"
SAMPLE = ROOT / "resources" / "samples" / "facturador-pos" / "alegra-wizard.toml"


def shoot(lang: str) -> None:
    from PySide6.QtWidgets import QApplication

    from wizard import app as gui
    from wizard import appconfig
    from wizard.sandbox import DEMO_TOKEN, Sandbox
    from wizard.store import Store
    from wizard.ui.brand import app_file_box

    app = QApplication([sys.argv[0]])
    gui.apply_theme(app, "light")
    gui.install_translations(app, lang)
    folder = OUT / lang
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()

    def save(widget, name: str) -> None:  # type: ignore[no-untyped-def]
        settle(app)
        path = folder / f"{name}.png"
        widget.grab().save(str(path))
        print(path.relative_to(ROOT))

    sandbox = Sandbox().start()
    config = Path(tempfile.mkdtemp(prefix="alegra-wizard-brand-shots-"))
    store = Store(config_dir=config, app_id="facturador-pos")
    for email, outcome in (("basico@alegra.test", "needs-unmet"), ("demo@alegra.test", "met")):
        wizard = gui.create_wizard(
            ["--app-config", str(SAMPLE), "--base-url", sandbox.url, "--lang", lang],
            open_url=lambda url: True,
            store=lambda: store,
        )
        wizard.resize(880, 720)
        wizard.show()
        wizard.build_rest()
        wizard.setWindowTitle(wizard.ctx.window_title())
        if outcome == "needs-unmet":
            save(wizard, "01-welcome")
        while wizard.currentPage() is not wizard.credentials:
            wizard.next()
        wizard.credentials.emailEdit.setText(email)
        wizard.credentials.tokenEdit.setText(DEMO_TOKEN)
        wizard.credentials.apply_cleaning()
        wizard.next()
        wait_until(app, lambda w=wizard: w.ctx.needs_report is not None)
        save(wizard, f"02-test-{outcome}")
        wizard.next()
        wizard.next()  # save, for real (the sandbox's address, the throwaway keyring)
        wait_until(app, lambda w=wizard: w.currentPage() is w.done_page)
        save(wizard, f"03-done-{outcome}")
        if wizard.ctx.saved_profile is not None:
            store.forget(wizard.ctx.saved_profile.id)
        if outcome == "met":  # a failure card, with the product's support contact
            while wizard.currentPage() is not wizard.credentials:
                wizard.back()
            wizard.credentials.emailEdit.setText("nadie@alegra.test")
            wizard.credentials.tokenEdit.setText(DEMO_TOKEN)  # the save let go of it
            wizard.credentials.apply_cleaning()
            wizard.next()
            wait_until(app, lambda w=wizard: w.test._state == "done")
            save(wizard, "04-test-unauthorized")
        wizard.ctx.shutdown()
        wizard.close()
    bad = Path(tempfile.mkdtemp(prefix="alegra-wizard-bad-app-")) / "alegra-wizard.toml"
    bad.write_text('[app]\nname = "Facturador POS"\nid = "Facturador POS"\n', encoding="utf-8")
    try:
        appconfig.read(bad)
    except appconfig.AppConfigError as error:
        box = app_file_box(error, lang)
        box.show()
        save(box, "05-bad-app-file")
        box.close()
    sandbox.stop()


def main() -> int:
    if len(sys.argv) >= 2:
        shoot(sys.argv[1])
        return 0
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "xcb"))
    for lang in ("es", "en"):  # one process each: Qt's own translations are fixed at start
        subprocess.run([sys.executable, __file__, lang], env=env, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
