"""What a screen reader hears while a token is pasted, every route, read over AT-SPI.

Run with Debian's own /usr/bin/python3 (pyatspi is a system package, not in the venv),
inside a D-Bus session, by tests/ui/test_atspi.py:

    atspi_token_reader.py VENV_PYTHON MODE TOKEN      (MODE: normal or support)

Turns accessibility on, starts the wizard (test mode, and support mode for "support")
under Xvfb with Qt's AT-SPI bridge, driven by tests/helpers/gui_driver.py's paste_routes
scenario, and listens to every object and window event the bus carries (text-changed,
name and description changes, announcements...). Prints one JSON object: the events
heard, each with the route it was heard in (the scenario says «route: NAME» before
each), the token field's accessible name, and the app's exit code.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyatspi
from atspi_reader import pump  # the sibling script: run from this folder

ROOT = Path(__file__).resolve().parents[2]
CATALOG = json.loads((ROOT / "resources/i18n/compiled/gui.json").read_text())["entries"]
HEARD: list[dict] = []
ROUTE = {"name": "start"}


def heard(event) -> None:  # type: ignore[no-untyped-def]
    data = event.any_data
    text = data if isinstance(data, str) else ""
    try:
        source = event.source.name or "" if event.source else ""
        role = event.source.getRoleName() if event.source else ""
    except Exception:  # a widget gone by the time we ask
        source, role = "", ""
    kind = str(event.type)
    if kind == "object:announcement" and text.startswith("route: "):
        ROUTE["name"] = text.removeprefix("route: ")
        return
    HEARD.append(
        {"route": ROUTE["name"], "type": kind, "text": text, "source": source, "role": role}
    )


def the_app(title: str):  # type: ignore[no-untyped-def]
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        candidate = desktop.getChildAtIndex(i)
        if candidate is None:
            continue
        for j in range(candidate.childCount):
            window = candidate.getChildAtIndex(j)
            if window is not None and title in (window.name or ""):
                return candidate
    return None


def main() -> int:
    python, mode, token = sys.argv[1], sys.argv[2], sys.argv[3]
    subprocess.run(
        ["dbus-send", "--session", "--dest=org.a11y.Bus", "/org/a11y/bus",
         "org.freedesktop.DBus.Properties.Set", "string:org.a11y.Status",
         "string:IsEnabled", "variant:boolean:true"],
        check=True,
    )  # fmt: skip
    for kind in ("object", "window", "focus"):
        pyatspi.Registry.registerEventListener(heard, kind)
    go = Path(tempfile.mkdtemp()) / "go"
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1")
    env.update(QT_ACCESSIBILITY="1", GUI_DRIVER_TOKEN=token, GUI_DRIVER_GO=str(go))
    extra = ["--support"] if mode == "support" else []
    # The X cookie in our own folder (-f): xvfb-run then makes and removes no folder of its
    # own, whose removal failed once as the window closed and turned exit 19 into its own 5.
    auth = go.parent / "Xauthority"
    app_proc = subprocess.Popen(
        ["xvfb-run", "-a", "-f", str(auth), "-s", "-screen 0 1280x800x24", python, "-m",
         "tests.helpers.gui_driver", "paste_routes", "--sandbox", "--lang", "es", *extra],
        env=env, cwd=ROOT, start_new_session=True, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    report: dict = {"token_name": CATALOG["gui.credentials.token_name"]["es"]}
    try:
        title = CATALOG["gui.window_title"]["es"].split("{")[0].strip()
        end = time.monotonic() + 60
        while the_app(title) is None:
            pump(0.1)
            if time.monotonic() > end:
                raise SystemExit("the wizard never came on the AT-SPI bus")
        pump(0.3)
        go.write_text("go")
        end = time.monotonic() + 120
        while app_proc.poll() is None and time.monotonic() < end:
            pump(0.1)
        pump(0.5)
        report["exit_code"] = app_proc.poll()
    finally:
        if app_proc.poll() is None:
            os.killpg(app_proc.pid, signal.SIGTERM)
        _, stderr = app_proc.communicate(timeout=20)
    report["stderr"] = stderr[-3000:]
    report["heard"] = HEARD
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
