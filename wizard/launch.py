"""The one dispatcher: a command line asks for the window or for one of the CLI's
commands (wizard.cli.parser.COMMANDS), and this runs it through to an exit code.

Decided before anything else is imported, so opening the window does not pay for the
CLI's modules (the window's first paint is the start-up users wait for): the window takes no
words, only options, so any word on the command line (a command, or a mistyped one the
CLI will name) means the CLI, and so do -h/--help/--version.
"""

from __future__ import annotations

import codecs
import gc
import os
import sys
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from wizard.appconfig import AppConfig
    from wizard.cli.options import Command, Context
    from wizard.cli.render import Io

CLI_ONLY_FLAGS = frozenset({"--version", "-h", "--help"})
# A closed pipe (`alegra-wizard status --json | head -c1`): what a shell reports for a
# command killed by SIGPIPE, without the traceback.
EXIT_BROKEN_PIPE = 141
EXIT_INTERRUPTED = 130  # Ctrl+C, as shells report SIGINT


def _gui_option_takes_value(option: str) -> bool:
    """Whether the window's parser reads the next word as this option's value."""
    import argparse

    from wizard.app_options import add_options

    options = add_options(argparse.ArgumentParser(add_help=False), "en")
    return any(option in action.option_strings and action.nargs != 0 for action in options)


def wants_gui(argv: Sequence[str]) -> bool:
    for i, arg in enumerate(argv):
        if arg in CLI_ONLY_FLAGS:
            return False
        if arg == "--":
            return i + 1 == len(argv)
        if arg.startswith("-"):
            continue
        previous = argv[i - 1] if i else ""
        if previous.startswith("-") and "=" not in previous and _gui_option_takes_value(previous):
            continue
        return False
    return True


def run_gui(argv: Sequence[str]) -> int:
    # Until the window has painted, Python's cyclic garbage collector only walks what
    # start-up builds to keep (Qt's enums, modules, page one): collections that find
    # nothing, paid by the first paint. app.main freezes what exists then and turns it
    # back on (gc.freeze: later collections skip those long-lived objects too).
    gc.disable()
    try:
        try:
            from wizard import app
        except ImportError as exc:  # Qt missing in a core-only install
            from wizard import i18n
            from wizard.outcomes import EXIT_INTERNAL_ERROR

            sys.stderr.write(i18n.both("cli.no_gui_yet") + f" ({exc.name})\n")
            return EXIT_INTERNAL_ERROR
        try:
            return app.main(list(argv))
        except Exception:
            # A failure before or around the window: our box and crash log, not a frozen
            # app's English traceback dialog (PyInstaller's, for an uncaught exception).
            from wizard import i18n
            from wizard.outcomes import EXIT_INTERNAL_ERROR

            app.report_crash(sys.exc_info(), i18n.system_lang())
            return EXIT_INTERNAL_ERROR
    finally:
        gc.enable()


# --- streams -------------------------------------------------------------------------------

# Typographic characters and their plain stand-ins (escapes: the quotes look alike).
_PLAIN = {
    "\u2026": "...", "\u00ab": '"', "\u00bb": '"', "\u201c": '"', "\u201d": '"',
    "\u2018": "'", "\u2019": "'", "\u2014": "-", "\u2013": "-", "\u00b7": "-",
    "\u2022": "*", "\u2714": "OK", "\u2718": "X", "\u2192": "->", "\u00bf": "", "\u00a1": "",
}  # fmt: skip


def _degrade(error: UnicodeError) -> tuple[str, int]:
    """An encode error handler: what a console that can't show a character gets instead
    (the closest plain letters, else "?"), so human text degrades instead of crashing."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = []
    for ch in error.object[error.start : error.end]:
        if ch in _PLAIN:
            out.append(_PLAIN[ch])
            continue
        plain = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
        out.append(plain or "?")
    return "".join(out), error.end


codecs.register_error("alegra-degrade", _degrade)


def configure_streams() -> None:
    """Any stdout/stderr encoding works (cp1252, latin-1, ascii); stdin never fails to decode.
    stdout ends lines with LF on every platform: Windows' text-mode stdout would end
    `credential get | program`'s token with CRLF (and `--output` writes LF too)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="alegra-degrade")
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(newline="\n")
    reconfigure = getattr(sys.stdin, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="replace")


def _quiet_stdout() -> None:
    """After a closed pipe: later writes and the interpreter's final flush go nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


# --- dispatch ------------------------------------------------------------------------------


def run_cli(argv: Sequence[str]) -> int:
    from wizard import hardening, i18n
    from wizard.cli import parser
    from wizard.cli.help import run_help
    from wizard.cli.options import Context
    from wizard.cli.render import Io, argv_lang

    hardening.protect_process()  # no core dump; ALEGRA_TOKEN held out of the environment
    configure_streams()
    io = Io(sys.stdin, sys.stdout, sys.stderr, argv_lang(argv), json="--json" in argv)
    try:
        try:
            args, command, parsers = parser.parse(argv)
        except SystemExit as done:  # --help, --version, a usage error
            sys.stdout.flush()
            return done.code if isinstance(done.code, int) else 0
        io.lang, io.json = args.lang, bool(args.json)
        app = _app_file(args, io)
        if app is None:
            from wizard.outcomes import EXIT_USAGE

            return EXIT_USAGE
        ctx = Context(parsers, app=app)
        ctx.on_keyring_consent = lambda: io.err(i18n.t("storage.consent_wait", io.lang))
        if command is None:
            run_help(_no_topic(args), io, ctx)
            sys.stdout.flush()
            return 0
        code = _run(command, args, io, ctx)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        if io.json:  # even a Ctrl+C leaves the caller its one JSON object
            io.emit_json({"ok": False, "code": "interrupted"})
        return EXIT_INTERRUPTED


def _app_file(args: argparse.Namespace, io: Io) -> AppConfig | None:
    """The app file in effect (wizard.appconfig); None after saying, in Spanish then
    English, why a file can't be used (the command then exits 2, having changed nothing)."""
    from wizard import appconfig

    try:
        return appconfig.load(getattr(args, "app_config", None))
    except appconfig.AppConfigError as error:
        io.err(error.both())
        if io.json:
            io.emit_json(
                {
                    "ok": False,
                    "code": "usage_error",
                    "message": error.message(io.lang),
                    "app_config": {
                        "path": str(error.path),
                        "problem": error.problem,
                        "line": error.line,
                        "nearest": error.nearest,
                    },
                }
            )
        return None


def _no_topic(args: argparse.Namespace) -> argparse.Namespace:
    import argparse

    return argparse.Namespace(topic=None, lang=args.lang)


def _run(command: Command, args: argparse.Namespace, io: Io, ctx: Context) -> int:
    from wizard.cli import render
    from wizard.redact import configure_logging

    configure_logging()
    try:
        return command.run(args, io, ctx)
    except (BrokenPipeError, KeyboardInterrupt):
        raise
    except Exception as exc:
        outcome = render.render_outcome(exc, io)
        if outcome is not None:
            return outcome
        storage_error = render.as_storage_error(exc)
        if storage_error is not None:
            return render.render_storage_error(storage_error, io)
        if getattr(args, "debug", False):  # the traceback, through Io: secrets masked
            import traceback

            io.err("".join(traceback.format_exception(exc)).rstrip())
        from wizard import crashlog  # the details, for support (a hidden run has no --debug)

        log = crashlog.write((type(exc), exc, exc.__traceback__))
        return render.render_internal_error(exc, io, log=log)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if wants_gui(argv):
        return run_gui(argv)
    return run_cli(argv)
