"""The GUI entry point as a user starts it (a subprocess), and the step pictures."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtSvg import QSvgRenderer

from tests.helpers import ROOT, gui_driver
from wizard import i18n
from wizard.ui.images import StepImage, step_image_path

STEPS = ("sign_in", "open_settings", "manual_api", "copy_credentials")


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_")}
    env.update(extra)
    return env


@pytest.mark.parametrize("extra", [[], ["--sandbox", "--lang", "en"]])
def test_smoke_test_paints_and_exits_without_heavy_imports(extra: list[str]) -> None:
    proc = _run(
        ["--smoke-test", *extra], _env(QT_QPA_PLATFORM="offscreen", ALEGRA_WIZARD_SMOKE_REPORT="1")
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["rss_kb"] > 0
    assert report["heavy_modules_loaded"] == []


def test_without_a_display_says_what_to_do_instead_of_aborting() -> None:
    env = _env()
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    proc = _run([], env)
    assert proc.returncode == 1
    assert "No hay una pantalla disponible" in proc.stderr
    assert "alegra-wizard check" in proc.stderr
    assert "No display is available" in proc.stderr
    assert "Traceback" not in proc.stderr and "Aborted" not in proc.stderr


def test_bad_gui_flag_is_a_usage_error() -> None:
    proc = _run(["--lang", "fr"], _env(QT_QPA_PLATFORM="offscreen"))
    assert proc.returncode == 2


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("step", STEPS)
def test_every_step_has_a_valid_svg_per_language(qapp, step: str, lang: str) -> None:
    path = step_image_path(step, lang)
    assert path == ROOT / "resources" / "screenshots" / lang / f"{step}.svg"
    assert QSvgRenderer(str(path)).isValid()


def test_mockups_are_up_to_date_with_the_catalog() -> None:
    spec = importlib.util.spec_from_file_location("make_mockups", ROOT / "scripts/make_mockups.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for lang in i18n.LANGS:
        for step, draw in module.STEPS.items():
            svg = module.Svg(lang)
            draw(svg)
            on_disk = (ROOT / "resources/screenshots" / lang / f"{step}.svg").read_text("utf-8")
            assert svg.render() == on_disk, f"re-run scripts/make_mockups.py ({lang}/{step})"


def test_a_png_beside_the_svg_overrides_it(qapp, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "resources/screenshots", tmp_path / "shots")
    png = tmp_path / "shots/en/sign_in.png"
    image = QImage(400, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("#123456"))
    image.save(str(png))
    assert step_image_path("sign_in", "en", tmp_path / "shots") == png
    assert step_image_path("sign_in", "es", tmp_path / "shots").suffix == ".svg"
    widget = StepImage("sign_in", "en", root=tmp_path / "shots")
    widget.resize(600, 300)
    assert widget.heightForWidth(600) == 300  # the PNG's own aspect ratio
    grabbed = widget.grab().toImage()
    assert grabbed.pixelColor(300, 150) == QColor("#123456")


def test_svg_picture_scales_with_its_width_and_is_drawn_from_the_vector(qapp) -> None:
    widget = StepImage("copy_credentials", "es")
    assert widget.heightForWidth(400) == 250
    assert widget.heightForWidth(700) == 438
    assert widget.heightForWidth(2000) == round(StepImage.MAX_WIDTH * 0.625)
    # Rendered from the SVG at paint time (crisp at any device pixel ratio), no bitmap.
    assert widget._svg is not None and widget._png is None
    widget.resize(700, 438)
    image = widget.grab().toImage()
    colours = {image.pixelColor(x, y).name() for x in range(0, 700, 7) for y in range(0, 438, 7)}
    assert "#d92d20" in colours  # the red callouts are there


def test_lazy_wizard_shows_page_one_then_builds_the_rest(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QWizard

    from wizard.app import create_wizard

    wizard = create_wizard(["--lang", "es"], lazy=True)
    qtbot.addWidget(wizard)
    wizard.show()
    assert len(wizard.pageIds()) == 1
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert next_button.isVisible() and not next_button.isEnabled()  # never "Cerrar" on page one
    wizard.build_rest()
    assert [wizard.page(i).objectName() for i in wizard.pageIds()][-1] == "donePage"
    assert len(wizard.pageIds()) == 9 and next_button.isEnabled()
    wizard.next()
    assert wizard.currentPage() is wizard.sign_in


# --- the crash on exit (issue 13.1) ---
# PySide6-Essentials 6.12.0 returns borrowed references as new ones: every
# `SignalInstance.emit()` from Python releases one reference to True (the value it returns),
# every call of a method returning void one reference to None. After enough keystrokes (each
# one re-checks the credentials page, which emits completeChanged) True's count reaches zero
# while objects still hold it, and the interpreter aborts at exit ("Fatal Python error:
# bool_dealloc", exit 134). 6.11.3 counts right; pyproject pins it.
REFCOUNT_PROBE = """
import sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QPushButton
app = QApplication([])
class Source(QObject):
    changed = Signal()
source, button = Source(), QPushButton()
source.changed.connect(lambda: None)
before = sys.getrefcount(True), sys.getrefcount(None)
for _ in range(100):  # fewer than True's own references: a miscount shows, not aborts
    source.changed.emit()
    button.setEnabled(True)
after = sys.getrefcount(True), sys.getrefcount(None)
print(after[0] - before[0], after[1] - before[1])
"""


def test_qt_binding_keeps_the_reference_counts_of_true_and_none() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", REFCOUNT_PROBE],
        capture_output=True,
        text=True,
        env=_env(QT_QPA_PLATFORM="offscreen"),
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    true_delta, none_delta = map(int, proc.stdout.split())
    assert abs(true_delta) < 5, f"True lost {-true_delta} references in 100 emits"
    assert abs(none_delta) < 5, f"None lost {-none_delta} references in 100 void calls"


def _drive(scenario: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The real entry point (wizard.app.main) driven through `scenario` in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "tests.helpers.gui_driver", scenario, *args],
        capture_output=True,
        text=True,
        env=_env(QT_QPA_PLATFORM="offscreen", **env),
        cwd=ROOT,
        timeout=180,
        check=False,
    )


@pytest.mark.parametrize("run", range(2))
@pytest.mark.parametrize("scenario", gui_driver.CORRECTION_PATHS)
def test_correction_paths_exit_cleanly(scenario: str, run: int) -> None:
    """Each correction path, eight rounds in one session, twice: a clean exit every time
    (the wizard closed without saving: `cancelled`)."""
    proc = _drive(scenario, "--lang", "es", GUI_DRIVER_ROUNDS="8")
    assert "Fatal Python error" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == 0, proc.stderr[-2000:]
