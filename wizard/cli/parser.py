"""The parser: the table of commands (`COMMANDS`), the argparse parsers built from it, and
`parse`, which turns a command line into (namespace, command) or ends with a usage error
(exit 2) in the chosen language."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from wizard import i18n
from wizard.cli.check import build_check, run_check
from wizard.cli.credential import build_credential_get, run_credential_get
from wizard.cli.doctor import build_doctor, run_doctor
from wizard.cli.help import build_help, run_help
from wizard.cli.login import build_login, run_login
from wizard.cli.options import Command, shared_options
from wizard.cli.profiles import (
    build_default,
    build_forget,
    build_profiles,
    build_rename,
    build_status,
    run_default,
    run_forget,
    run_profiles,
    run_rename,
    run_status,
)
from wizard.cli.render import Io, argv_lang, cli_lang, msg
from wizard.cli.sandbox import build_sandbox, run_sandbox
from wizard.outcomes import EXIT_USAGE

PROG = "alegra-wizard"

COMMANDS: tuple[Command, ...] = (
    Command(("check",), build_check, run_check, net=True),
    Command(("login",), build_login, run_login, net=True),
    Command(("status",), build_status, run_status),
    Command(("profiles",), build_profiles, run_profiles),
    Command(("default",), build_default, run_default),
    Command(("rename",), build_rename, run_rename),
    Command(("forget",), build_forget, run_forget),
    Command(("credential", "get"), build_credential_get, run_credential_get, json=False),
    Command(("doctor",), build_doctor, run_doctor, net=True),
    Command(("sandbox",), build_sandbox, run_sandbox, json=False),
    Command(("help",), build_help, run_help, json=False),
)

ARGPARSE_TEXTS = (
    "usage", "positional", "options", "help", "unrecognized", "required", "argument",
    "expected_one", "invalid_choice", "invalid_type", "ambiguous", "not_allowed", "ignored",
    "error",
)  # fmt: skip


def install_argparse_texts(lang: str) -> None:
    """argparse's own words (usage:, options, its error messages) from the catalog: it looks
    `_` and `ngettext` up in its module at call time."""
    # The English entry is argparse's own text, its message id.
    table = {
        i18n.t(f"cli.argparse.{key}", "en"): i18n.t(f"cli.argparse.{key}", lang)
        for key in ARGPARSE_TEXTS
    }

    def gettext(message: str) -> str:
        return table.get(message, message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


class Parser(argparse.ArgumentParser):
    """Errors in the chosen language, on stderr, plus the one JSON object under --json."""

    lang: str = i18n.DEFAULT_LANG
    json_errors: bool = False
    extra_help: Callable[[], str] | None = None

    def error(self, message: str) -> NoReturn:
        self.usage_error(message)

    def usage_error(self, message: str, hint: str = "") -> NoReturn:
        """The usage, the message (and a hint), the JSON object under --json; exit 2."""
        lang = self.lang
        self.print_usage(sys.stderr)
        sys.stderr.write(msg("usage_error", lang, prog=self.prog, message=message) + "\n")
        if hint:
            sys.stderr.write(hint + "\n")
        if self.json_errors:
            Io(sys.stdin, sys.stdout, sys.stderr, lang, json=True).emit_json(
                {"ok": False, "code": "usage_error", "message": " ".join([message, hint]).strip()}
            )
        raise SystemExit(EXIT_USAGE)

    def _get_formatter(self) -> argparse.HelpFormatter:
        # argparse builds a formatter for every add_argument; without a width it asks
        # shutil, whose import (zlib, bz2, lzma) every command would pay at start-up.
        return self.formatter_class(prog=self.prog, width=_help_width())  # type: ignore[call-arg]

    def format_help(self) -> str:
        text = super().format_help()
        return text + self.extra_help() if self.extra_help else text


def _help_width() -> int:
    """What argparse's HelpFormatter computes with shutil.get_terminal_size: COLUMNS, else
    the terminal's width, else 80; minus 2."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return (columns if columns > 0 else 80) - 2


def top_names() -> list[str]:
    return list(dict.fromkeys(c.path[0] for c in COMMANDS))


def _window_options_help(lang: str) -> str:
    """The window's own options (wizard.app_options: Qt-free) in the top-level --help."""
    from wizard.app_options import add_options

    listing = argparse.ArgumentParser(prog="alegra-wizard", usage=argparse.SUPPRESS, add_help=False)
    group = listing.add_argument_group(
        msg("help.window_options", lang), msg("help.window_usage", lang)
    )
    add_options(group, lang)
    return "\n" + listing.format_help()


class _VersionAction(argparse.Action):
    """--version, reading the version only when asked (it is not free to find)."""

    def __init__(self, option_strings: list[str], dest: str, **kw: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kw)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from wizard.version import __version__

        sys.stdout.write(f"{PROG} {__version__}\n")
        parser.exit()


class Parsers:
    """The top-level parser and each command's, by the name the user types."""

    def __init__(self, top: Parser, by_name: dict[str, Parser]) -> None:
        self.top, self.by_name = top, by_name


def build_parser(
    lang: str = i18n.DEFAULT_LANG, *, json_errors: bool = False, only: str | None = None
) -> Parsers:
    """Every command's parser; with `only` (the command word typed), the others get just
    their name and summary: building every option costs more than a check's own work."""
    install_argparse_texts(lang)

    def make(**kw: Any) -> Parser:
        kw.setdefault("add_help", False)
        parser = Parser(**kw)
        parser.lang, parser.json_errors = lang, json_errors
        parser.add_argument("-h", "--help", action="help", help=msg("opt.help", lang))
        return parser

    top = make(prog=PROG, description=msg("description", lang))
    top.extra_help = lambda: _window_options_help(lang)
    top.add_argument("--version", action=_VersionAction, help=msg("opt.version", lang))
    shared_options(top, lang, top=True, net=True)
    sub = top.add_subparsers(
        dest="command",
        metavar=msg("help.command_metavar", lang),
        title=msg("help.commands", lang),
    )
    by_name: dict[str, Parser] = {}
    nested: dict[str, Any] = {}
    for command in COMMANDS:
        summary = msg(f"cmd.{command.key}", lang)
        container = sub
        if len(command.path) == 2:
            group = command.path[0]
            if group not in nested:
                parent = sub.add_parser(
                    group,
                    help=msg(f"cmd.{group}", lang),
                    description=msg(f"cmd.{group}", lang),
                    add_help=False,
                )
                parent.lang, parent.json_errors = lang, json_errors
                parent.add_argument("-h", "--help", action="help", help=msg("opt.help", lang))
                by_name[group] = parent
                nested[group] = parent.add_subparsers(
                    dest="action", metavar=msg("help.action_metavar", lang), required=True
                )
            container = nested[group]
        parser = container.add_parser(
            command.path[-1],
            help=summary,
            description=summary,
            add_help=False,
            prog=f"{PROG} {command.name}",
        )
        parser.lang, parser.json_errors = lang, json_errors
        by_name[command.name] = parser
        if only is not None and command.path[0] != only:
            continue
        parser.add_argument("-h", "--help", action="help", help=msg("opt.help", lang))
        command.build(parser, lang)
        shared_options(parser, lang, top=False, net=command.net)
        if not command.json:
            parser.set_defaults(no_json=True)
    return Parsers(top, by_name)


# Options of the top-level parser that take a value (to find the command word).
_TOP_VALUE_OPTIONS = frozenset({"--lang", "--base-url", "--timeout"})


def _first_word(argv: Sequence[str]) -> str | None:
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg == "--":
            return None
        if arg.startswith("-"):
            skip = arg in _TOP_VALUE_OPTIONS
            continue
        return arg
    return None


def parse(argv: Sequence[str]) -> tuple[argparse.Namespace, Command | None, Parsers]:
    """The namespace and the command it names (None: top-level only, e.g. `--version`).
    Usage errors end here with exit 2, in the chosen language."""
    lang = argv_lang(argv)
    word = _first_word(argv)
    only = word if word in top_names() and word != "help" else None
    parsers = build_parser(lang, json_errors="--json" in argv, only=only)
    if word is not None and word not in top_names():
        import difflib

        close = difflib.get_close_matches(word, top_names(), n=1, cutoff=0.5)
        parsers.top.usage_error(
            msg("unknown_command", lang, command=word),
            msg("did_you_mean", lang, command=close[0]) if close else msg("see_help", lang),
        )
    args, extras = parsers.top.parse_known_args(list(argv))
    path = tuple(p for p in (args.command, getattr(args, "action", None)) if p)
    command = next((c for c in COMMANDS if c.path == path), None)
    if extras:
        owner = parsers.by_name.get(" ".join(path), parsers.top)
        message = argparse._("unrecognized arguments: %s")  # type: ignore[attr-defined]
        owner.usage_error(message % " ".join(extras))
    if command is not None and getattr(args, "no_json", False) and args.json:
        parsers.by_name[command.name].usage_error(msg("no_json", lang, command=command.name))
    args.lang = cli_lang(args.lang)
    return args, command, parsers
