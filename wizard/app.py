"""GUI entry: checks a display exists, builds the QApplication with Qt's own Spanish
translations, shows the wizard, and only then loads the heavy modules."""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Sequence

from wizard import countries, i18n, settings

# The window's command line lives in wizard.app_options (Qt-free: the CLI's help lists it).
from wizard.app_options import DEFAULTS as DEFAULTS
from wizard.app_options import SWITCHES as SWITCHES
from wizard.app_options import THEMES as THEMES
from wizard.app_options import build_parser as build_parser
from wizard.app_options import parse_args as parse_args

SMOKE_TIMEOUT_MS = 30_000
# Loaded only after the first paint (DESIGN: the window appears first).
HEAVY_MODULES = ("requests", "keyring", "urllib3", "truststore")
# Not before the first paint either (the smoke report lists any that were): page one
# needs none of them, and each cost the start-up benchmark 1-5 ms.
DEFERRED_MODULES = (
    "dataclasses",  # wizard's own classes on that path are plain ones
    "locale",  # only Windows and macOS ask it for the language
    "wizard.outcomes",
    "wizard.version",  # searches sys.path for the dist-info
    "wizard.store",
    "wizard.ui.connections",
    "wizard.ui.fit_browser",
    "tomllib",  # the catalog's compiled JSON is read instead
    "importlib.metadata",
)


# A bad app file the user chose not to continue past: argparse's usage error, as the CLI.
EXIT_APP_FILE_UNUSABLE = 2


def window_title(app, lang: str) -> str:  # type: ignore[no-untyped-def]
    """«Conectar Facturador POS con Alegra» for a product's app file, else our own title."""
    if app.name is not None:
        return i18n.t("brand.title", lang, name=app.name)
    return i18n.t("gui.window_title", lang)


def os_locale_name() -> str | None:
    """The OS's own locale ("es_MX") when the environment names none: Windows and macOS
    keep the user's language and region in their settings, which QLocale.system() reads
    (Python's locale module does not give the region there). None when it says nothing
    ("C": a Linux without LANG)."""
    if i18n.environment_names_a_locale():
        return None
    from PySide6.QtCore import QLocale

    name = QLocale.system().name()
    return name if "_" in name else None


def parse_options(argv: Sequence[str]):  # type: ignore[no-untyped-def]
    from wizard.ui.context import Options

    args = parse_args(argv)
    app, app_error = load_app(args.app_config)
    remembered = {} if args.sandbox else settings.load(app.id)
    lang = args.lang or os.environ.get("ALEGRA_WIZARD_LANG") or remembered.get("lang")
    os_locale = None if lang and (args.country or remembered.get("country")) else os_locale_name()
    country = args.country or remembered.get("country") or countries.from_locale(os_locale).code
    return (
        Options(
            lang=i18n.normalize_lang(lang) if lang else i18n.system_lang(os_locale),
            country=countries.by_code(country).code,
            base_url=args.base_url or os.environ.get("ALEGRA_API_URL") or None,
            sandbox=args.sandbox,
            profile=args.profile,
            support=args.support,
            smoke_test=args.smoke_test,
            result_json=args.result_json,
            app=app,
            app_error=app_error,
        ),
        args.theme,
    )


def load_app(option: str | None):  # type: ignore[no-untyped-def]
    """The app file in effect and, for a file that can't be used, its error (the window
    shows it first and may go on unbranded with DEFAULT)."""
    from wizard import appconfig

    try:
        return appconfig.load(option), None
    except appconfig.AppConfigError as error:
        return appconfig.DEFAULT, error


def display_available() -> bool:
    """False where Qt would abort for lack of a display (Linux/BSD without X or Wayland)."""
    if sys.platform in ("win32", "darwin"):
        return True
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.split(":")[0] in ("offscreen", "minimal", "vnc", "eglfs", "linuxfb"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def install_translations(app, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Qt's own texts (context menus, message box buttons) in the user's language."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    if lang == "en":
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{lang}", folder):
        app.installTranslator(translator)


def apply_theme(app, theme: str, *, high_contrast: bool = False) -> None:  # type: ignore[no-untyped-def]
    """The brand's palette, light or dark (wizard/ui/theme.py; Qt is imported there)."""
    from wizard.ui import theme as themes

    themes.apply_theme(app, theme, high_contrast=high_contrast)


def create_wizard(  # type: ignore[no-untyped-def]
    argv: Sequence[str], *, lazy: bool = False, options=None, **services
):
    """The wizard for these GUI flags, not shown. A QApplication must exist.

    `options`: parse_options(argv)'s, when the caller has them already (main: the
    command line is read once). `services` go to WizardContext (check=, store=,
    open_url=, sandbox=), so tests can hand in a failing keyring or a fake browser
    without touching globals.
    """
    from wizard.ui.context import WizardContext
    from wizard.ui.wizard import AlegraWizard

    if options is None:
        options, _theme = parse_options(argv)
    ctx = WizardContext(options, **services)
    if options.sandbox:
        ctx.set_demo(True)
    wizard = AlegraWizard(ctx, lazy=lazy and not options.profile)
    if options.profile:
        wizard.start_update(options.profile)
    return wizard


def _rss_kb() -> int:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _preload_heavy_modules() -> None:
    """keyring and the HTTP stack (http.client, ssl, the check) cost ~0.2 s to import: do
    it after the window is up, off the GUI thread, so the first check does not pay for it."""

    def load() -> None:
        import http.client  # noqa: F401

        import keyring  # noqa: F401

        import wizard.check  # noqa: F401

    threading.Thread(target=load, name="preload", daemon=True).start()


def _set_icon(app) -> None:  # type: ignore[no-untyped-def]
    """The window and taskbar icon: right after the first paint (it costs ~3 ms)."""
    from PySide6.QtGui import QIcon

    from wizard.resources import resource

    app.setWindowIcon(QIcon(str(resource("icons", "alegra-wizard-256.png"))))


def _show_version(app, wizard) -> None:  # type: ignore[no-untyped-def]
    """The version in the title bar in support mode only (the first thing support asks; a
    shop owner has no use for it), in either language. The support report and «Para
    programadores» name it too. After the paint: finding it reads metadata."""
    from wizard.version import __version__

    app.setApplicationVersion(__version__)

    def retitle(*_: object) -> None:
        title = wizard.ctx.window_title()
        if wizard.ctx.support:
            title = f"{title} {__version__}"
        # Qt appends the display name to every window title that doesn't end with it.
        app.setApplicationDisplayName(title)
        wizard.setWindowTitle(title)

    retitle()
    wizard.ctx.languageChanged.connect(retitle)  # after the wizard's own retranslation
    wizard.ctx.supportChanged.connect(retitle)


def _follow_contrast(app, wizard, theme: str) -> None:  # type: ignore[no-untyped-def]
    from wizard.ui import theme as themes

    themes.follow_contrast(app, wizard, theme)


def _smoke_done(app) -> None:  # type: ignore[no-untyped-def]
    """--smoke-test: the first frame is painted. With ALEGRA_WIZARD_SMOKE_REPORT, one JSON
    line for the start-up benchmark and its tests: memory, what was imported, and when
    (CLOCK_MONOTONIC, shared with the benchmark's parent process: start to first paint
    without the interpreter's exit)."""
    if os.environ.get("ALEGRA_WIZARD_SMOKE_REPORT"):
        import time

        report = {
            "rss_kb": _rss_kb(),
            "painted_monotonic_s": time.monotonic(),
            "heavy_modules_loaded": [m for m in HEAVY_MODULES if m in sys.modules],
            "deferred_modules_loaded": [m for m in DEFERRED_MODULES if m in sys.modules],
            "gc_enabled": gc.isenabled(),
        }
        import json

        print(json.dumps(report), flush=True)
    app.quit()


# If the window has not painted by then (started minimized, on a hidden workspace), the
# garbage collector comes back on anyway: a long session never runs without it.
COLLECT_AGAIN_AFTER_MS = 2_000


def _collect_again() -> None:
    """At the first paint: the garbage collector back on (launch.run_gui turned it off for
    the start-up), what start-up built set aside as permanent, so later collections don't
    walk it again. Once: later calls (the fallback timer) do nothing."""
    if gc.isenabled():
        return
    gc.freeze()
    gc.enable()


def _configure_logging() -> None:
    from wizard import crashlog
    from wizard.redact import configure_logging  # logging costs start-up time: after paint

    configure_logging()
    crashlog.start()  # the windowed app's streams go nowhere: a file for support


def report_crash(exc_info, lang: str) -> None:  # type: ignore[no-untyped-def]
    """An error nothing handled: into the crash log (redacted), one line on stderr, and a
    message box, Spanish then English, naming the log for support. Makes a QApplication
    if there is none yet (a failure before the window)."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from wizard import crashlog

    path = crashlog.record(exc_info)
    where = str(path) if path else i18n.t("gui.crash.no_log", lang)
    sys.stderr.write(i18n.both("gui.crash.title") + f" ({where})\n")
    if QApplication.instance() is None:
        QApplication([sys.argv[0]])
    box = QMessageBox(QMessageBox.Icon.Critical, i18n.t("gui.crash.title", lang),
                      i18n.both("gui.crash.title"))  # fmt: skip
    box.setObjectName("crashBox")
    box.setInformativeText(i18n.both("gui.crash.body", path=where))
    box.exec()


class CrashHooks:
    """sys.excepthook and threading.excepthook while the window runs. PySide6 hands a
    slot's exception to sys.excepthook and goes on with the event loop, a window perhaps
    half-updated and nothing recorded: the hook reports it once and ends the app (exit 1).
    A worker thread's error is recorded. The previous hooks come back on close()."""

    def __init__(self, app, lang: str) -> None:  # type: ignore[no-untyped-def]
        self.app, self.lang, self.crashed = app, lang, False
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._on_error
        threading.excepthook = self._on_thread_error

    def _on_error(self, exc_type, exc, tb) -> None:  # type: ignore[no-untyped-def]
        if self.crashed:  # a second error while the box is up: recorded only
            from wizard import crashlog

            crashlog.record((exc_type, exc, tb))
            return
        self.crashed = True
        report_crash((exc_type, exc, tb), self.lang)
        from wizard.outcomes import EXIT_INTERNAL_ERROR

        self.app.exit(EXIT_INTERNAL_ERROR)

    def _on_thread_error(self, args) -> None:  # type: ignore[no-untyped-def]
        from wizard import crashlog

        if args.exc_type is not SystemExit:
            crashlog.record((args.exc_type, args.exc_value, args.exc_traceback))

    def close(self) -> None:
        sys.excepthook, threading.excepthook = self._previous


def write_result(target: str, report: dict[str, object]) -> None:
    """--result-json: one JSON object, to stdout ("-") or a file written atomically, 0600.
    (The report never holds the token: WizardContext.ending builds it from the hint.)"""
    import json

    payload = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    if target == "-":
        sys.stdout.write(payload)
        sys.stdout.flush()
        return
    from pathlib import Path

    from wizard.private_files import write_private

    write_private(Path(target), payload.encode("utf-8"), make_folder=True)


def remember_choices(ctx) -> None:  # type: ignore[no-untyped-def]
    """Language and country chosen on page one, for the next run (never in test mode:
    it writes nothing to the config folder)."""
    if ctx.demo or not ctx.chosen:
        return
    try:
        settings.save(ctx.chosen, ctx.app.id)
    except OSError as exc:  # a read-only or full disk: next time starts from the system's
        import logging

        logging.getLogger(__name__).warning("could not remember the choices: %s", exc)


def _without_display(options) -> int:  # type: ignore[no-untyped-def]
    from wizard.outcomes import Code, exit_code
    from wizard.present import window_report

    sys.stderr.write(i18n.both("gui.no_display") + "\n")
    code = exit_code(Code.CANCELLED)  # nothing was saved
    report = window_report(Code.CANCELLED.value, code, test_mode=options.sandbox, app=options.app)
    return _ended(options, code, report)


def _ended(options, code: int, report: dict[str, object]) -> int:  # type: ignore[no-untyped-def]
    """The window's exit code, after the one write of --result-json."""
    if options.result_json:
        write_result(options.result_json, report)
    return code


def main(argv: Sequence[str]) -> int:
    from wizard import hardening

    hardening.drop_secret_environment()  # the window never reads ALEGRA_TOKEN; children neither
    options, theme = parse_options(argv)
    if not display_available():
        return _without_display(options)
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *argv])
    app.setApplicationName("alegra-wizard")
    apply_theme(app, theme)
    install_translations(app, options.lang)
    if options.app_error is not None:
        from wizard.ui.brand import ask_to_continue_unbranded

        if not ask_to_continue_unbranded(options.app_error, options.lang):
            return EXIT_APP_FILE_UNUSABLE
        options.app_error = None
    app.setApplicationDisplayName(window_title(options.app, options.lang))
    wizard = create_wizard(argv, lazy=True, options=options)
    smoke_failed = {"value": False}

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):  # type: ignore[no-untyped-def]
            if event.type() == QEvent.Type.Paint:
                obj.removeEventFilter(self)
                _collect_again()
                if options.smoke_test:
                    # Once the whole frame is drawn (the page's widgets paint after the
                    # window itself): the report, then quit.
                    QTimer.singleShot(0, lambda: _smoke_done(app))
                else:
                    # The pages behind Next are built now, while the user reads page one.
                    QTimer.singleShot(0, wizard.build_rest)
                    # No core dump of a token: before the user can type one (ctypes
                    # and resource cost ~5 ms, so not before the first paint).
                    QTimer.singleShot(0, hardening.disable_core_dumps)
                    QTimer.singleShot(0, _preload_heavy_modules)
                    QTimer.singleShot(0, _configure_logging)
                    QTimer.singleShot(0, lambda: _set_icon(app))
                    QTimer.singleShot(0, lambda: _show_version(app, wizard))
                    QTimer.singleShot(0, lambda: _follow_contrast(app, wizard, theme))
            return False

    watcher = FirstPaint()
    wizard.installEventFilter(watcher)
    if options.smoke_test:

        def too_slow() -> None:
            smoke_failed["value"] = True
            app.quit()

        QTimer.singleShot(SMOKE_TIMEOUT_MS, too_slow)
    QTimer.singleShot(COLLECT_AGAIN_AFTER_MS, _collect_again)
    wizard.finished.connect(app.quit)
    hooks = CrashHooks(app, options.lang)
    wizard.show()
    try:
        app.exec()
    finally:
        hooks.close()
        wizard.ctx.shutdown()
    if hooks.crashed:
        from wizard.outcomes import EXIT_INTERNAL_ERROR

        return EXIT_INTERNAL_ERROR
    if options.smoke_test:
        return 1 if smoke_failed["value"] else 0
    from wizard.ui.context import Ending

    ending: Ending = wizard.ctx.ending()
    remember_choices(wizard.ctx)
    return _ended(options, int(ending.exit_code), ending.report)
