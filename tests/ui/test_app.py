"""The GUI entry point as a user starts it (a subprocess), and the step pictures."""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtSvg import QSvgRenderer

from tests.helpers import ROOT, cli, gui_driver
from tests.helpers.keyrings import real_keyring
from wizard import i18n
from wizard.app import build_parser
from wizard.sandbox import DEMO_TOKEN, Sandbox
from wizard.store import SERVICE, Store, keyring_service
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
    if not extra:  # the start-up benchmark's path (test mode starts the sandbox first)
        assert report["deferred_modules_loaded"] == []
    assert report["gc_enabled"] is True  # off only until the first paint (launch.run_gui)


def test_the_garbage_collector_comes_back_once() -> None:
    """app._collect_again, at the first paint or from the fallback timer if the window
    never paints: on again and start-up's objects frozen, once; a collector the caller
    left on (tests, other programs calling main) is left alone, nothing frozen."""
    import gc

    from wizard import app

    # A freeze moves every tracked object to the permanent generation; the count also
    # drops when a frozen object is freed (another thread's, say), so compare against a
    # batch of fresh objects: only a freeze takes them in.
    def fresh() -> list[dict[str, int]]:
        return [{"n": i} for i in range(5000)]

    assert gc.isenabled()
    before = gc.get_freeze_count()
    batch = fresh()
    app._collect_again()
    assert gc.isenabled() and gc.get_freeze_count() < before + len(batch)
    gc.disable()
    try:
        batch = fresh()
        app._collect_again()
        assert gc.isenabled()
        frozen = gc.get_freeze_count()
        assert frozen >= before + len(batch)
        batch = fresh()
        app._collect_again()
        assert gc.get_freeze_count() < frozen + len(batch)
    finally:
        del batch
        gc.unfreeze()
        gc.enable()


def test_the_garbage_collector_is_back_on_when_the_window_cannot_open(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc

    from wizard import launch

    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert gc.isenabled()
    assert launch.run_gui([]) == 19  # no display: cancelled, nothing saved
    assert gc.isenabled()


def test_without_a_display_says_what_to_do_instead_of_aborting() -> None:
    env = _env()
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    proc = _run([], env)
    assert proc.returncode == 19  # `cancelled`: nothing was saved (README's exit table)
    assert "No hay una pantalla disponible" in proc.stderr
    assert "alegra-wizard login --email" in proc.stderr
    assert "alegra-wizard check" not in proc.stderr
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
    return cli.run(
        [sys.executable, "-m", "tests.helpers.gui_driver", scenario, *args],
        input="",
        env=_env(QT_QPA_PLATFORM="offscreen", **env),
        timeout=180,
    )


@pytest.mark.parametrize("run", range(2))
@pytest.mark.parametrize("scenario", gui_driver.CORRECTION_PATHS)
def test_correction_paths_exit_cleanly(scenario: str, run: int) -> None:
    """Each correction path, eight rounds in one session, twice: a clean exit every time
    (the wizard closed without saving: `cancelled`)."""
    proc = _drive(scenario, "--lang", "es", GUI_DRIVER_ROUNDS="8")
    assert "Fatal Python error" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == 19, proc.stderr[-2000:]


# --- what a caller learns: exit codes and --result-json (issue 16) ---
RESULT_KEYS = {
    "ok", "code", "saved", "verified", "profile", "company", "email", "token_hint", "test_mode",
}  # fmt: skip


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    """A throwaway HOME and config folder for the child; the session's Secret Service."""
    folder = tmp_path / "home"
    (folder / ".config").mkdir(parents=True)
    return {"HOME": str(folder), "XDG_CONFIG_HOME": str(folder / ".config")}


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    box = Sandbox().start()
    yield box
    box.stop()


def _result(path: Path) -> dict[str, object]:
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text("utf-8")
    assert DEMO_TOKEN not in text
    data = json.loads(text)
    assert set(data) == RESULT_KEYS
    return data  # type: ignore[no-any-return]


def test_the_result_json_company_is_cleaned_and_never_holds_the_token(make_wizard) -> None:  # type: ignore[no-untyped-def]
    """The company in --result-json is what the server sent, but as the CLI prints it
    (present.company_json): no escape or control characters, and a token the server echoed
    in it masked."""
    from wizard.check import CheckResult, Company
    from wizard.outcomes import Code
    from wizard.redact import register_secret

    ctx = make_wizard("--lang", "es").ctx
    ctx.token = DEMO_TOKEN
    register_secret(DEMO_TOKEN)  # as the credentials page does with what was pasted
    echoed = Company(
        name=f"\x1b[31mEspiga {DEMO_TOKEN}", identification="900\x07", country="colombia",
        currency="COP",
    )  # fmt: skip
    ctx.result = CheckResult(Code.CONNECTED, 200, echoed, None, 5)
    report = ctx.ending().report
    assert report["company"] == {
        "name": "Espiga …" + DEMO_TOKEN[-4:], "identification": "900", "country": "colombia",
        "currency": "COP",
    }  # fmt: skip
    assert DEMO_TOKEN not in json.dumps(report)


def test_saving_exits_0_and_says_which_profile(
    tmp_path: Path, home: dict[str, str], sandbox: Sandbox
) -> None:
    out = tmp_path / "result.json"
    proc = _drive(
        "save", "--lang", "es", "--base-url", sandbox.url, "--result-json", str(out),
        GUI_DRIVER_REAL="1", **home,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = _result(out)
    assert data["ok"] is True and data["saved"] is True and data["verified"] is True
    assert data["code"] == "connected" and data["test_mode"] is False
    assert data["email"] == "demo@alegra.test" and data["token_hint"] == "…" + DEMO_TOKEN[-4:]
    company = data["company"]
    assert isinstance(company, dict) and company["name"]
    store = Store(config_dir=Path(home["XDG_CONFIG_HOME"]) / "alegra-wizard")
    try:
        assert store.load(str(data["profile"])).token == DEMO_TOKEN
    finally:
        store.forget(str(data["profile"]))
    assert DEMO_TOKEN not in proc.stdout + proc.stderr


def test_cancel_on_page_one_exits_19_with_code_cancelled(
    tmp_path: Path, home: dict[str, str]
) -> None:
    proc = _drive("cancel_on_page_one", "--result-json", "-", **home)
    assert proc.returncode == 19, proc.stderr[-2000:]
    data = json.loads(proc.stdout)
    assert set(data) == RESULT_KEYS
    assert data["code"] == "cancelled" and data["ok"] is False and data["saved"] is False
    assert data["email"] is None and data["token_hint"] is None and data["company"] is None


def test_closing_after_a_failed_test_exits_19(
    tmp_path: Path, home: dict[str, str], sandbox: Sandbox
) -> None:
    out = tmp_path / "result.json"
    proc = _drive(
        "close_after_failed_test", "--base-url", sandbox.url, "--result-json", str(out),
        GUI_DRIVER_REAL="1", **home,
    )  # fmt: skip
    assert proc.returncode == 19, proc.stderr[-2000:]
    data = _result(out)
    assert data["code"] == "cancelled" and data["saved"] is False and data["verified"] is False
    assert data["email"] == "nadie@alegra.test" and data["profile"] is None


@pytest.mark.parametrize("scenario", ["failed_save_give_up", "failed_save_skip"])
def test_a_failed_save_the_user_gives_up_on_exits_16(
    scenario: str, tmp_path: Path, home: dict[str, str], sandbox: Sandbox
) -> None:
    out = tmp_path / "result.json"
    proc = _drive(
        scenario, "--base-url", sandbox.url, "--result-json", str(out),
        GUI_DRIVER_REAL="1",
        PYTHON_KEYRING_BACKEND="tests.helpers.subprocess_keyrings.LockedKeyring",
        **home,
    )  # fmt: skip
    assert proc.returncode == 16, proc.stderr[-2000:]
    data = _result(out)
    assert data["code"] == "storage_error" and data["saved"] is False and data["ok"] is False
    assert data["verified"] is False and data["profile"] is None


def test_test_mode_writes_nothing_real(tmp_path: Path, home: dict[str, str]) -> None:
    """The whole test-mode flow, saved and finished: exit 0, `test_mode: true, saved:
    false`, no keyring item and no file of ours anywhere in HOME."""
    import keyring

    real_keyring()
    before = {p for p in Path(home["HOME"]).rglob("*")}
    # The session's Secret Service is shared with the tests before this one: compare.
    items_before = sorted(_secret_service_items())
    out = tmp_path / "result.json"
    proc = _drive("save", "--lang", "es", "--result-json", str(out), **home)
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = _result(out)
    assert data["test_mode"] is True and data["saved"] is False and data["ok"] is True
    assert data["profile"] is None and data["code"] == "connected"
    written = {p for p in Path(home["HOME"]).rglob("*")} - before
    ours = [p for p in written if "alegra" in str(p).lower() or p.suffix == ".json"]
    assert ours == [], ours
    assert not (Path(home["XDG_CONFIG_HOME"]) / "alegra-wizard").exists()
    for name in ("demo-company", "demo", "empresa-demo-s-a-s"):
        assert keyring.get_password(keyring_service(name), name) is None
    items = sorted(_secret_service_items())
    assert items == items_before, items


def _secret_service_items() -> list[str]:
    """Every item of ours in the session's Secret Service (by its service attribute:
    `alegra-wizard:<profile id>`, or the earlier `alegra-wizard`)."""
    import secretstorage

    connection = secretstorage.dbus_init()
    try:
        ours = []
        for item in secretstorage.get_default_collection(connection).get_all_items():
            service = item.get_attributes().get("service", "")
            if service == SERVICE or service.startswith(SERVICE + ":"):
                ours.append(item.get_label())
        return ours
    finally:
        connection.close()


def test_a_command_line_of_switches_reads_as_argparse_would() -> None:
    """app.parse_args skips building the parser for `alegra-wizard` and its value-less
    switches (start-up time); the result must be what the parser gives, in any order,
    and anything else must still go through the parser."""
    import itertools

    from wizard import app

    parser = build_parser()
    switches = list(app.SWITCHES)
    for n in range(len(switches) + 1):
        for argv in itertools.permutations(switches, n):
            assert vars(app.parse_args(list(argv))) == vars(parser.parse_args(list(argv)))
    assert vars(app.parse_args(["--sandbox", "--sandbox"])) == vars(
        parser.parse_args(["--sandbox", "--sandbox"])
    )
    for argv in (["--sand"], ["--lang", "en", "--support"], ["--theme=dark"], ["--country", "mx"]):
        assert vars(app.parse_args(argv)) == vars(parser.parse_args(argv)), argv
    with pytest.raises(SystemExit):
        app.parse_args(["--lang", "xx"])


def test_every_window_option_has_a_help_text() -> None:
    for lang in i18n.LANGS:
        parser = build_parser(lang)
        options = [a for a in parser._actions if a.option_strings and a.dest != "help"]
        shown = [a for a in options if a.help != argparse.SUPPRESS]
        assert {a.dest for a in shown} >= {
            "sandbox", "base_url", "lang", "country", "profile", "support", "theme",
            "result_json",
        }  # fmt: skip
        for action in shown:
            assert action.help and len(action.help) > 10, action.dest
        text = parser.format_help()
        assert "--result-json" in text and "--profile" in text and "--support" in text
    assert "prueba" in build_parser("es").format_help()
    assert "test mode" in build_parser("en").format_help()


# --- language and country (issue 13.11) ---
def _locale_env(home: dict[str, str], **values: str) -> dict[str, str]:
    env = dict(home)
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE", "ALEGRA_WIZARD_LANG"):
        env[var] = ""
    env.update(values)
    return env


def _opened_with(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 19, proc.stderr[-2000:]
    line = next(x for x in proc.stderr.splitlines() if x.startswith("gui_driver: lang="))
    return line.removeprefix("gui_driver: ")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"LANG": "C.UTF-8"}, "lang=es country=co"),
        ({}, "lang=es country=co"),
        ({"LC_ALL": "C"}, "lang=es country=co"),
        ({"LANG": "es_MX.UTF-8"}, "lang=es country=mx"),
        ({"LANG": "en_US.UTF-8"}, "lang=en country=co"),
        ({"LANG": "C.UTF-8", "LANGUAGE": "es_PE:en"}, "lang=es country=pe"),
    ],
)
def test_the_window_starts_in_spanish_unless_the_system_says_english(
    home: dict[str, str], values: dict[str, str], expected: str
) -> None:
    proc = _drive("report_language", **_locale_env(home, **values))
    assert _opened_with(proc) == expected


def test_language_and_country_are_remembered_apart_from_the_token(home: dict[str, str]) -> None:
    env = _locale_env(home, LANG="C.UTF-8")
    proc = _drive("choose_english_and_mexico", **env)
    assert proc.returncode == 19, proc.stderr[-2000:]
    folder = Path(home["XDG_CONFIG_HOME"]) / "alegra-wizard"
    settings_file = folder / "settings.json"
    assert stat.S_IMODE(settings_file.stat().st_mode) == 0o600
    text = settings_file.read_text("utf-8")
    assert json.loads(text) == {"format": 1, "lang": "en", "country": "mx"}
    assert DEMO_TOKEN not in text and "ana@" not in text
    assert sorted(p.name for p in folder.iterdir()) == ["settings.json"]  # no temp file left
    assert _opened_with(_drive("report_language", **env)) == "lang=en country=mx"
    # The command line still wins over what was remembered.
    again = _drive("report_language", "--lang", "es", "--country", "co", **env)
    assert _opened_with(again) == "lang=es country=co"
