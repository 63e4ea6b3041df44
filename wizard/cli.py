"""The command line: one table of subcommands (name, parser builder, handler) that the
parser, the help and `wizard.launch`'s dispatch all read.

The token never goes on the command line: it comes from stdin (--token-stdin),
ALEGRA_TOKEN, a stored profile, or a hidden prompt on a terminal; it is never
printed, except by `credential get` into a pipe (or a file named with --output),
which is that command's whole purpose. Results go to stdout, messages to stderr,
`--json` prints exactly one JSON object whatever happens.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TextIO

from wizard import i18n, present
from wizard.hints import Hint, hint_for
from wizard.outcomes import (
    EXIT_DOCTOR_FOUND_PROBLEMS,
    EXIT_INTERNAL_ERROR,
    EXIT_USAGE,
    UNVERIFIABLE,
    Code,
    exit_code,
)

PROG = "alegra-wizard"

# What --token-stdin reads at most: an email and a token (even a whole pasted "Datos de
# usuario" card) fit in far less; a runaway pipe must not take seconds and memory.
STDIN_CAP_BYTES = 8 * 1024


# --- language, streams -------------------------------------------------------------------


def cli_lang(requested: str | None) -> str:
    """Spanish unless --lang or ALEGRA_WIZARD_LANG say otherwise (DESIGN: Spanish, or --lang en)."""
    return i18n.normalize_lang(requested or os.environ.get("ALEGRA_WIZARD_LANG") or "es")


def argv_lang(argv: Sequence[str]) -> str:
    """The language asked for on a command line not parsed yet (help and usage errors are
    written in it)."""
    requested = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            requested = argv[i + 1]
        elif arg.startswith("--lang="):
            requested = arg.split("=", 1)[1]
    return cli_lang(requested if requested in i18n.LANGS else None)


# Plain classes, not dataclasses: each dataclass costs ~1 ms of code generation at import,
# and `check --json`'s start-up is a benchmarked figure.
class Io:
    """Where a command writes: results to stdout, messages to stderr, one JSON object."""

    def __init__(
        self,
        stdin: TextIO,
        stdout: TextIO,
        stderr: TextIO,
        lang: str = i18n.DEFAULT_LANG,
        json: bool = False,
    ) -> None:
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr
        self.lang, self.json = lang, json
        self.json_written = False

    def out(self, text: str) -> None:
        self.stdout.write(present.clean_block(text) + "\n")

    def err(self, text: str) -> None:
        self.stderr.write(present.clean_block(text) + "\n")

    def emit_json(self, payload: dict[str, Any]) -> None:
        """The run's one JSON object, secrets masked; ASCII-escaped unless the stream is
        UTF-8 (a cp1252, latin-1 or ascii pipe then still carries valid JSON)."""
        import codecs
        import json

        if self.json_written:
            return
        self.json_written = True
        payload = present.scrub(payload)
        encoding = getattr(self.stdout, "encoding", None) or "utf-8"
        try:
            utf8 = codecs.lookup(encoding).name == "utf-8"
        except LookupError:
            utf8 = False
        text = json.dumps(payload, ensure_ascii=not utf8)
        self.stdout.write(text + "\n")


# --- the parser ----------------------------------------------------------------------------


def _msg(key: str, lang: str, **fmt: object) -> str:
    return i18n.t(f"cli.{key}", lang, **fmt)


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
        usage_error(self, message)

    def format_help(self) -> str:
        text = super().format_help()
        return text + self.extra_help() if self.extra_help else text

    def _get_formatter(self) -> argparse.HelpFormatter:
        # argparse builds a formatter for every add_argument; without a width it asks
        # shutil, whose import (zlib, bz2, lzma) is ~3 ms of every command's start-up.
        return self.formatter_class(prog=self.prog, width=_help_width())  # type: ignore[call-arg]


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


def usage_error(parser: Parser, message: str, hint: str = "") -> NoReturn:
    lang = parser.lang
    parser.print_usage(sys.stderr)
    sys.stderr.write(_msg("usage_error", lang, prog=parser.prog, message=message) + "\n")
    if hint:
        sys.stderr.write(hint + "\n")
    if parser.json_errors:
        Io(sys.stdin, sys.stdout, sys.stderr, lang, json=True).emit_json(
            {"ok": False, "code": "usage_error", "message": " ".join([message, hint]).strip()}
        )
    raise SystemExit(EXIT_USAGE)


def _timeout_type(lang: str) -> Callable[[str], float]:
    def parse(text: str) -> float:
        # The range is the transport's, the one the check and the probe apply too.
        from wizard.transport import MAX_TIMEOUT_S, validate_timeout

        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(_msg("bad_timeout_value", lang, value=text)) from None
        if validate_timeout(value) is not None:
            raise argparse.ArgumentTypeError(
                _msg("bad_timeout_range", lang, value=text, max=int(MAX_TIMEOUT_S))
            )
        return value

    return parse


def _port_type(lang: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(_msg("bad_port", lang, value=text)) from None
        if not 0 <= value <= 65535:
            raise argparse.ArgumentTypeError(_msg("bad_port", lang, value=text))
        return value

    return parse


def _shared_options(parser: argparse.ArgumentParser, lang: str, *, top: bool, net: bool) -> None:
    """--lang, --json, --debug (and --base-url, --timeout): the same before or after the
    subcommand. Under a subcommand the default is SUPPRESS, so a value given before it is
    not overwritten."""

    def default(value: object) -> object:
        return value if top else argparse.SUPPRESS

    group = parser.add_argument_group(_msg("help.shared_options", lang)) if top else parser
    group.add_argument(
        "--lang", choices=i18n.LANGS, default=default(None), help=_msg("opt.lang", lang)
    )
    group.add_argument(
        "--json", action="store_true", default=default(False), help=_msg("opt.json", lang)
    )
    group.add_argument(
        "--debug", action="store_true", default=default(False), help=_msg("opt.debug", lang)
    )
    if net:
        group.add_argument(
            "--base-url", metavar="URL", default=default(None), help=_msg("opt.base_url", lang)
        )
        group.add_argument(
            "--timeout",
            metavar="S",
            type=_timeout_type(lang),
            default=default(None),
            help=_msg("opt.timeout", lang, default=int(present.DEFAULT_TIMEOUT_S)),
        )


def _profile_option(parser: argparse.ArgumentParser, lang: str, *, required: bool = False) -> None:
    parser.add_argument(
        "--profile",
        metavar="P",
        required=required,
        help=_msg("opt.profile_required" if required else "opt.profile", lang),
    )


def _token_options(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("--email", metavar="E", help=_msg("opt.email", lang))
    parser.add_argument(
        "--token-stdin",
        action="store_true",
        help=_msg("opt.token_stdin", lang, kib=STDIN_CAP_BYTES // 1024),
    )


def _ca_option(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("--ca-bundle", metavar="PEM", help=_msg("opt.ca_bundle", lang))


def build_check(p: argparse.ArgumentParser, lang: str) -> None:
    _token_options(p, lang)
    _profile_option(p, lang)
    p.add_argument("--offline", action="store_true", help=_msg("opt.offline", lang))
    p.add_argument("--probe", action="store_true", help=_msg("opt.probe", lang))
    _ca_option(p, lang)


def build_login(p: argparse.ArgumentParser, lang: str) -> None:
    _token_options(p, lang)
    p.add_argument("--profile", metavar="P", help=_msg("opt.login_profile", lang))
    p.add_argument("--name", metavar="N", help=_msg("opt.login_name", lang))
    p.add_argument("--unverified", action="store_true", help=_msg("opt.unverified", lang))
    _ca_option(p, lang)


def build_status(p: argparse.ArgumentParser, lang: str) -> None:
    _profile_option(p, lang)


def build_forget(p: argparse.ArgumentParser, lang: str) -> None:
    _profile_option(p, lang, required=True)


def build_sandbox(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument(
        "--port", metavar="N", type=_port_type(lang), default=0, help=_msg("opt.port", lang)
    )
    p.add_argument("--https", action="store_true", help=_msg("opt.https", lang))


def build_doctor(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("--offline", action="store_true", help=_msg("opt.doctor_offline", lang))
    _ca_option(p, lang)


def build_credential_get(p: argparse.ArgumentParser, lang: str) -> None:
    _profile_option(p, lang)
    p.add_argument("--output", metavar="FILE", help=_msg("opt.output", lang))


def build_profiles(p: argparse.ArgumentParser, lang: str) -> None:
    del p, lang  # no options of its own


def build_default(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("profile", metavar="P", help=_msg("opt.default_profile", lang))


def build_rename(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("profile", metavar="P", help=_msg("opt.rename_profile", lang))
    p.add_argument("new_name", metavar="NEW", help=_msg("opt.rename_new", lang))


def build_help(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("topic", metavar="COMMAND", nargs="?", help=_msg("opt.help_topic", lang))


Handler = Callable[[argparse.Namespace, Io], int]
Builder = Callable[[argparse.ArgumentParser, str], None]


class Command:
    """One subcommand. `path` is what the user types ("credential get")."""

    def __init__(
        self,
        path: tuple[str, ...],
        build: Builder,
        run: Handler,
        *,
        net: bool = False,  # takes --base-url and --timeout
        json: bool = True,  # takes --json
    ) -> None:
        self.path, self.build, self.run, self.net, self.json = path, build, run, net, json

    @property
    def name(self) -> str:
        return " ".join(self.path)

    @property
    def key(self) -> str:
        return "_".join(self.path)


def _commands() -> tuple[Command, ...]:
    return (
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


def top_names() -> list[str]:
    return list(dict.fromkeys(c.path[0] for c in COMMANDS))


def _window_options_help(lang: str) -> str:
    """The window's own options (wizard.app's parser) in the top-level --help. wizard.app
    imports Qt only when the window is built, so this costs no Qt."""
    import inspect

    from wizard import app

    build: Any = app.build_parser  # the window's parser takes the language once it can
    gui = build(lang) if inspect.signature(build).parameters else build()
    formatter = gui._get_formatter()
    formatter.start_section(_msg("help.window_options", lang))
    formatter.add_text(_msg("help.window_usage", lang))
    formatter.add_arguments([a for a in gui._actions if not isinstance(a, argparse._HelpAction)])
    formatter.end_section()
    return "\n" + str(formatter.format_help())


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
    their name and summary: building 80 options costs more than a check's own work."""
    install_argparse_texts(lang)

    def make(**kw: Any) -> Parser:
        kw.setdefault("add_help", False)
        parser = Parser(**kw)
        parser.lang, parser.json_errors = lang, json_errors
        parser.add_argument("-h", "--help", action="help", help=_msg("opt.help", lang))
        return parser

    top = make(prog=PROG, description=_msg("description", lang))
    top.extra_help = lambda: _window_options_help(lang)
    top.add_argument("--version", action=_VersionAction, help=_msg("opt.version", lang))
    _shared_options(top, lang, top=True, net=True)
    sub = top.add_subparsers(
        dest="command",
        metavar=_msg("help.command_metavar", lang),
        title=_msg("help.commands", lang),
    )
    by_name: dict[str, Parser] = {}
    nested: dict[str, Any] = {}
    for command in COMMANDS:
        summary = _msg(f"cmd.{command.key}", lang)
        container = sub
        if len(command.path) == 2:
            group = command.path[0]
            if group not in nested:
                parent = sub.add_parser(
                    group,
                    help=_msg(f"cmd.{group}", lang),
                    description=_msg(f"cmd.{group}", lang),
                    add_help=False,
                )
                parent.lang, parent.json_errors = lang, json_errors
                parent.add_argument("-h", "--help", action="help", help=_msg("opt.help", lang))
                by_name[group] = parent
                nested[group] = parent.add_subparsers(
                    dest="action", metavar=_msg("help.action_metavar", lang), required=True
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
        parser.add_argument("-h", "--help", action="help", help=_msg("opt.help", lang))
        command.build(parser, lang)
        _shared_options(parser, lang, top=False, net=command.net)
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
        usage_error(
            parsers.top,
            _msg("unknown_command", lang, command=word),
            _msg("did_you_mean", lang, command=close[0]) if close else _msg("see_help", lang),
        )
    args, extras = parsers.top.parse_known_args(list(argv))
    path = tuple(p for p in (args.command, getattr(args, "action", None)) if p)
    command = next((c for c in COMMANDS if c.path == path), None)
    if extras:
        owner = parsers.by_name.get(" ".join(path), parsers.top)
        message = argparse._("unrecognized arguments: %s")  # type: ignore[attr-defined]
        usage_error(owner, message % " ".join(extras))
    if command is not None and getattr(args, "no_json", False) and args.json:
        usage_error(parsers.by_name[command.name], _msg("no_json", lang, command=command.name))
    args.lang = cli_lang(args.lang)
    return args, command, parsers


# --- reading what the user gives -----------------------------------------------------------


class _Outcome(Exception):
    """An expected early end (not configured, a profile choice to make) carried to the
    renderer, with what to tell the user."""

    def __init__(self, code: Code, message: str = "", profiles: list[Any] | None = None) -> None:
        super().__init__(code.value)
        self.code = code
        self.message = message
        self.profiles = profiles or []


def read_stdin(stdin: TextIO, lang: str) -> str:
    """What --token-stdin reads: at most STDIN_CAP_BYTES, as UTF-8 whatever the locale says
    (a paste is UTF-8; an ascii or cp1252 locale must not make it an error)."""
    buffer = getattr(stdin, "buffer", None)
    if buffer is not None:
        raw: bytes = buffer.read(STDIN_CAP_BYTES + 1)
        text = None
        if len(raw) <= STDIN_CAP_BYTES:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode(getattr(stdin, "encoding", None) or "latin-1", "replace")
    else:
        text = stdin.read(STDIN_CAP_BYTES + 1)
        if len(text.encode("utf-8", "surrogatepass")) > STDIN_CAP_BYTES:
            text = None
    if text is None:
        raise _Outcome(Code.INVALID_INPUT, _msg("stdin_too_big", lang, kib=STDIN_CAP_BYTES // 1024))
    return text


class Inputs:
    """What a check or login was given, and where each part came from."""

    def __init__(self) -> None:
        self.email = ""
        self.token = ""
        self.base_url: str | None = None
        self.profile: Any = None  # wizard.store.Profile
        self.stored_token: str | None = None
        # The stored profile's own email, token and server are what is checked (then,
        # and only then, the result is recorded on it).
        self.own_credentials = False


def _store() -> Any:
    from wizard import store

    return store.Store()


def resolve_profile(st: Any, profile_id: str | None, lang: str) -> Any:
    """Store.resolve with the CLI's words: not configured, or several and no default."""
    from wizard import store

    try:
        return st.resolve(profile_id)
    except store.AmbiguousProfile as exc:
        names = ", ".join(p.id for p in exc.profiles)
        raise _Outcome(
            Code.NOT_CONFIGURED, _msg("ambiguous_profile", lang, profiles=names), exc.profiles
        ) from None
    except store.ProfileNotFound as exc:
        if profile_id is None:
            raise _Outcome(Code.NOT_CONFIGURED, _msg("status_none", lang)) from None
        raise _Outcome(
            Code.NOT_CONFIGURED, _not_found_message(profile_id, exc.profiles, lang), exc.profiles
        ) from None


def _not_found_message(profile_id: str, profiles: list[Any], lang: str) -> str:
    """«No hay un perfil P», with what is stored, so the user can pick the right name."""
    names = ", ".join(p.id for p in profiles) or "—"
    return _msg("profile_not_found", lang, profile=profile_id, profiles=names)


def _prompt_token(io: Io) -> str:
    import getpass

    return getpass.getpass(_msg("token_prompt", io.lang))


def _gather(args: argparse.Namespace, io: Io, *, use_default: bool) -> Inputs:
    inputs = Inputs()
    token: str | None = None
    if args.token_stdin:
        token = read_stdin(io.stdin, io.lang)
    elif "ALEGRA_TOKEN" in os.environ:
        from wizard.hardening import take_secret

        token = take_secret("ALEGRA_TOKEN")  # gone from the environment once read
    email = args.email or os.environ.get("ALEGRA_EMAIL")
    base_url = args.base_url or os.environ.get("ALEGRA_API_URL")
    # A stored profile: the one named, else (when nothing was given to check) the default.
    if args.profile or (use_default and token is None and email is None):
        st = _store()
        if args.profile or st.list_profiles():
            inputs.profile = resolve_profile(st, args.profile, io.lang)
            if token is None or args.offline:
                inputs.stored_token = st.load(inputs.profile.id).token
    if token is None and inputs.stored_token is not None and not args.offline:
        token = inputs.stored_token
        inputs.own_credentials = True
    interactive = io.stdin.isatty() and not args.token_stdin
    if token is None and interactive:
        token = _prompt_token(io)
    inputs.token = token or ""
    if email is None and inputs.profile is not None:
        email = inputs.profile.email
    elif email is not None and inputs.profile is not None and email != inputs.profile.email:
        inputs.own_credentials = False
    if email is None and interactive:
        email = input(_msg("email_prompt", io.lang))
    inputs.email = email or ""
    stored_url = inputs.profile.base_url if inputs.profile is not None else None
    if base_url is not None and stored_url and base_url != stored_url:
        inputs.own_credentials = False
    inputs.base_url = base_url or stored_url or None
    return inputs


def _register(email: str, token: str) -> None:
    """Known secrets are masked on every output: the token, and the Basic header it makes."""
    import base64

    from wizard.redact import register_secret

    register_secret(token)
    if token:
        basic = base64.b64encode(f"{email}:{token}".encode()).decode()
        register_secret(basic)


# --- check and login ----------------------------------------------------------------------


def _empty_report() -> dict[str, Any]:
    return {
        "ok": False,
        "code": None,
        "http_status": None,
        "email": "",
        "token_hint": "",
        "company": None,
        "fixes": [],
        "warnings": [],
        "problems": [],
        "hint": None,
        "elapsed_ms": 0,
        "rate_limit": None,
        "user": None,
    }


class Checked:
    """What check and login share: the report, the lines to print, the cleaned input."""

    def __init__(self) -> None:
        self.report: dict[str, Any] = _empty_report()
        self.lines: list[str] = []
        self.errors: list[str] = []  # to stderr
        self.hint: Hint | None = None
        self.code = Code.INVALID_INPUT
        self.result: Any = None  # CheckResult
        self.cleaned: Any = None
        self.inputs: Inputs | None = None
        self.base_url = ""


def _clean_and_check(
    args: argparse.Namespace, io: Io, *, use_default: bool, probe: bool
) -> Checked:
    from wizard import credentials

    lang = io.lang
    c = Checked()
    try:
        inputs = _gather(args, io, use_default=use_default)
        c.inputs = inputs
        cleaned = credentials.clean(inputs.email, inputs.token)
        c.cleaned = cleaned
        _register(inputs.email, inputs.token.strip())
        _register(cleaned.email, cleaned.token)
        c.report["email"] = cleaned.email
        c.report["token_hint"] = present.mask_token(cleaned.token)
        c.report["fixes"] = [{"field": n.field, "fix": n.id} for n in cleaned.fixes]
        c.report["warnings"] = [{"field": n.field, "warning": n.id} for n in cleaned.warnings]
        c.report["problems"] = [{"field": n.field, "problem": n.id} for n in cleaned.problems]
        if cleaned.fixes:
            c.lines.append(_msg("fixed", lang))
            c.lines += [f"  - {line}" for line in credentials.describe(cleaned.fixes, lang)]
        if cleaned.warnings:
            c.lines.append(_msg("warning", lang))
            c.lines += [f"  - {line}" for line in credentials.describe(cleaned.warnings, lang)]
        c.code, c.hint = _check_inputs(args, c, inputs, cleaned, lang, probe=probe)
    except _Outcome as outcome:
        c.code = outcome.code
        c.hint = hint_for(outcome.code, lang)
        if outcome.message:
            c.errors.append(outcome.message)
        if outcome.profiles:
            c.report["profiles"] = [p.id for p in outcome.profiles]
    except Exception as exc:
        storage_error = as_storage_error(exc)
        if storage_error is None:
            raise
        c.code = Code.STORAGE_ERROR
        c.hint = present.storage_texts(storage_error.reason, lang)
        c.errors.append(present.hint_text(c.hint))
    c.report["code"] = c.code.value
    c.report["ok"] = c.code in (Code.CONNECTED, Code.FORMAT_OK)
    if c.code is not Code.CONNECTED:
        c.report["hint"] = present.hint_json(c.hint)
    return c


def _check_inputs(
    args: argparse.Namespace, c: Checked, inputs: Inputs, cleaned: Any, lang: str, *, probe: bool
) -> tuple[Code, Hint | None]:
    from pathlib import Path

    from wizard import check, credentials, transport

    if cleaned.problems:
        c.lines.append(_msg("problem", lang))
        c.lines += [f"  - {line}" for line in credentials.describe(cleaned.problems, lang)]
        return Code.INVALID_INPUT, hint_for(Code.INVALID_INPUT, lang)
    base_url = inputs.base_url or transport.DEFAULT_BASE_URL
    c.base_url = base_url
    if transport.validate_base_url(base_url) is not None:
        c.lines.append(_msg("bad_url", lang, url=present.clean_text(base_url)))
        return Code.INVALID_INPUT, hint_for(Code.INVALID_INPUT, lang)
    if args.ca_bundle and not Path(args.ca_bundle).is_file():
        c.lines.append(_msg("bad_ca_bundle", lang, path=args.ca_bundle))
        return Code.INVALID_INPUT, hint_for(Code.INVALID_INPUT, lang)
    timeout = present.DEFAULT_TIMEOUT_S if args.timeout is None else args.timeout

    if getattr(args, "offline", False):
        if inputs.stored_token is not None:
            import hmac

            same = hmac.compare_digest(cleaned.token.encode(), inputs.stored_token.encode())
            c.report["matches_stored"] = same
            key = "matches_stored" if same else "differs_stored"
            c.lines.append(_msg(key, lang, profile=inputs.profile.id))
        c.lines.append(_msg("format_ok", lang))
        return Code.FORMAT_OK, hint_for(Code.FORMAT_OK, lang)

    result = check.check_connection(
        cleaned.email, cleaned.token, base_url=base_url, timeout=timeout, ca_bundle=args.ca_bundle
    )
    c.result = result
    c.report["http_status"] = result.http_status
    c.report["company"] = present.company_json(result.company)
    c.report["user"] = present.user_json(result.user)
    c.report["warnings"] += [{"field": "email", "warning": w} for w in result.warnings]
    c.report["elapsed_ms"] = result.elapsed_ms
    c.report["rate_limit"] = present.rate_limit_json(result)
    if result.detail:
        c.report["detail"] = present.clean_text(result.detail)
    if result.code is Code.CONNECTED:
        c.lines.append(_connected_lines(result.company, lang))
        view = present.company_view(result.company, lang)
        who = present.user_line(result.user, lang, view.name if view else None)
        if who:
            c.lines.append(who)
        c.lines += [_msg(f"check_warning.{w}", lang) for w in result.warnings]
        if probe:
            from wizard.hints import probe_as_text
            from wizard.probe import probe_permissions

            found = probe_permissions(
                cleaned.email, cleaned.token, base_url=base_url, timeout=timeout,
                ca_bundle=args.ca_bundle,
            )  # fmt: skip
            c.report["permissions"] = found.to_json()
            c.lines.append(probe_as_text(found, lang))
        return Code.CONNECTED, None
    return result.code, present.hint_for_result(result, lang)


def _connected_lines(company: Any, lang: str) -> str:
    view = present.company_view(company, lang)
    name = view.name if view else _msg("unknown_company", lang)
    lines = [_msg("connected", lang, company=name.rstrip("."))]
    if view is not None:
        lines.append(view.line(lang))
    return "\n".join(lines)


def _render_checked(c: Checked, io: Io) -> None:
    if io.json:
        io.emit_json(c.report)
        for line in c.errors:
            io.err(line)
        return
    for line in c.errors:
        io.err(line)
    lines = list(c.lines)
    if c.hint is not None and c.code not in (Code.CONNECTED, Code.FORMAT_OK, Code.STORAGE_ERROR):
        lines.append(present.hint_text(c.hint))
    if lines:
        io.out("\n".join(lines))


def run_check(args: argparse.Namespace, io: Io) -> int:
    c = _clean_and_check(args, io, use_default=True, probe=args.probe)
    inputs = c.inputs
    # Only the profile's own stored email, token and server make its result (not an
    # ALEGRA_TOKEN, --token-stdin, --email or --base-url standing in for them).
    if c.result is not None and inputs is not None and inputs.own_credentials:
        _record_last_check(inputs.profile.id, c.result)
    _render_checked(c, io)
    return exit_code(c.code)


def _record_last_check(profile_id: str, result: Any) -> None:
    import logging

    from wizard import store

    try:
        store.Store().update_last_check(
            profile_id, result.code.value, user=result.user, rate_limit=result.rate_limit
        )
    except store.StorageError as exc:  # a check result must not be lost to a config hiccup
        logging.getLogger(__name__).warning("could not record the last check: %s", exc.reason)


def run_login(args: argparse.Namespace, io: Io) -> int:
    """The wizard without the window: clean, check, store when connected (or, with
    --unverified, when Alegra could not be reached)."""
    args.offline = False
    if args.profile and not args.email and not os.environ.get("ALEGRA_EMAIL"):
        # A new token for a stored profile: its email unless another is given.
        existing = _store().find(args.profile)
        args.email = existing.email if existing is not None else None
    # --profile names what to save under (it may not exist yet), not what to check.
    gather = argparse.Namespace(**{**vars(args), "profile": None})
    c = _clean_and_check(gather, io, use_default=False, probe=False)
    c.report["profile"] = None
    c.report["saved"] = False
    c.report["verified"] = c.code is Code.CONNECTED
    may_save = c.code is Code.CONNECTED or (
        args.unverified and c.code in UNVERIFIABLE and c.code is not Code.FORMAT_OK
    )
    if c.result is None or not may_save:
        if c.result is not None and c.code in UNVERIFIABLE:
            c.errors.append(_msg("login_not_saved_unverifiable", io.lang))
        elif c.result is not None:
            c.errors.append(_msg("login_not_saved", io.lang))
        _render_checked(c, io)
        return exit_code(c.code)
    try:
        profile, created = _save_login(args, c)
    except Exception as exc:
        error = as_storage_error(exc)
        if error is None:
            raise
        c.code = Code.STORAGE_ERROR
        c.report.update(ok=False, code=c.code.value)
        c.hint = present.storage_texts(error.reason, io.lang)
        c.report["hint"] = present.hint_json(c.hint)
        c.errors.append(present.hint_text(c.hint))
        _render_checked(c, io)
        return exit_code(Code.STORAGE_ERROR)
    c.report["profile"] = profile.id
    c.report["saved"] = True
    key = "login_saved" if c.code is Code.CONNECTED else "login_saved_unverified"
    c.lines.append(
        _msg(key, io.lang, profile=profile.id, name=present.clean_text(profile.name))
        + ("" if created else " " + _msg("login_updated", io.lang))
    )
    _render_checked(c, io)
    return 0


def _save_login(args: argparse.Namespace, c: Checked) -> tuple[Any, bool]:
    from wizard import store

    st = store.Store()
    result, cleaned = c.result, c.cleaned
    company = result.company
    existing = None
    if args.profile:
        existing = st.find(args.profile)
    elif company is not None or args.name is None:
        # The same Alegra user and company again: update it, don't make a second one.
        existing = st.find_duplicate(cleaned.email, company.identification if company else None)
    name = args.name or (existing.name if existing else None)
    name = name or present.clean_optional(company.name if company else None) or cleaned.email
    country = present.company_country(company)
    profile = store.Profile(
        id=existing.id
        if existing
        else (store.profile_id_for(args.profile) if args.profile else ""),
        name=name,
        email=cleaned.email,
        base_url=c.base_url,
        country=country.code if country else (existing.country if existing else None),
        company=present.clean_optional(company.name)
        if company
        else (existing.company if existing else None),
        identification=present.clean_optional(company.identification)
        if company
        else (existing.identification if existing else None),
        last_check_at=store.now_iso(),
        last_check_code=result.code.value,
    )
    saved = st.save(profile, cleaned.token)
    return saved.profile, saved.created


# --- the stored profiles --------------------------------------------------------------------


def _fail(io: Io, code: Code, message: str = "", **extra: Any) -> int:
    """An early end with a message (stderr) and, under --json, the one JSON object."""
    hint = hint_for(code, io.lang)
    if io.json:
        io.emit_json({"ok": False, "code": code.value, "hint": present.hint_json(hint), **extra})
    if message:
        io.err(message)
    if not message or code is not Code.NOT_CONFIGURED:
        io.err(present.hint_text(hint))
    return exit_code(code)


def _outcome_exit(io: Io, outcome: _Outcome) -> int:
    extra = {"profiles": [p.id for p in outcome.profiles]} if outcome.profiles else {}
    return _fail(io, outcome.code, outcome.message, **extra)


def _last_check_text(profile: Any, lang: str) -> str:
    if not profile.last_check_at:
        return _msg("never_checked", lang)
    return f"{profile.last_check_at} ({profile.last_check_code})"


def _profile_lines(profile: Any, backend: str, lang: str, default_id: str | None) -> str:
    from wizard import countries

    title = _msg("status_profile", lang, id=profile.id, name=present.clean_text(profile.name))
    if profile.id == default_id:
        title += " " + _msg("is_default", lang)
    fields = _msg(
        "status_fields",
        lang,
        email=present.clean_text(profile.email),
        company=present.clean_text(profile.company or "—"),
        identification=present.clean_text(profile.identification or "—"),
        country=countries.by_code(profile.country).name(lang) if profile.country else "—",
        token_hint=present.clean_text(profile.token_hint),
        backend=backend,
        last_check=_last_check_text(profile, lang),
    )
    return f"{title}\n{fields}"


def _default_id(st: Any) -> str | None:
    return st.default_id()  # type: ignore[no-any-return]


def run_status(args: argparse.Namespace, io: Io) -> int:
    st = _store()
    try:
        profile = resolve_profile(st, args.profile, io.lang)
    except _Outcome as outcome:
        return _outcome_exit(io, outcome)
    backend = st.backend_name()
    return _show_profiles(io, st, [profile], {"ok": True, "code": None, "backend": backend})


def run_profiles(args: argparse.Namespace, io: Io) -> int:
    st = _store()
    return _show_profiles(io, st, st.list_profiles(), {"ok": True, "default": _default_id(st)})


def _show_profiles(io: Io, st: Any, profiles: list[Any], head: dict[str, Any]) -> int:
    """status and profiles: `head` and the profiles as one JSON object, or a block of
    lines per profile (none: a message on stderr)."""
    default_id = _default_id(st)
    if io.json:
        io.emit_json({**head, "profiles": [present.profile_json(p, default_id) for p in profiles]})
        return 0
    if not profiles:
        io.err(_msg("status_none", io.lang))
        return 0
    backend = st.backend_name()
    io.out("\n".join(_profile_lines(p, backend, io.lang, default_id) for p in profiles))
    return 0


def _not_found(io: Io, profile_id: str, exc: Any) -> int:
    """A named profile that is not stored (a store.ProfileNotFound): not_configured, and
    the message lists those that are."""
    return _fail(io, Code.NOT_CONFIGURED, _not_found_message(profile_id, exc.profiles, io.lang))


def run_default(args: argparse.Namespace, io: Io) -> int:
    from wizard import store

    st = _store()
    try:
        profile = st.set_default(args.profile)
    except store.ProfileNotFound as exc:
        return _not_found(io, args.profile, exc)
    if io.json:
        io.emit_json({"ok": True, "code": None, "default": profile.id})
    else:
        io.out(_msg("default_set", io.lang, profile=profile.id))
    return 0


def run_rename(args: argparse.Namespace, io: Io) -> int:
    from wizard import store

    st = _store()
    new_name = args.new_name.strip()
    if not new_name:
        return _fail(io, Code.INVALID_INPUT, _msg("rename_empty", io.lang))
    try:
        profile = st.rename(args.profile, new_name)
    except store.ProfileNotFound as exc:
        return _not_found(io, args.profile, exc)
    except store.ProfileExists:
        return _fail(io, Code.INVALID_INPUT, _msg("rename_exists", io.lang, name=new_name))
    if io.json:
        io.emit_json({"ok": True, "code": None, "profile": present.profile_json(profile)})
    else:
        io.out(_msg("renamed", io.lang, old=args.profile, profile=profile.id, name=profile.name))
    return 0


def run_forget(args: argparse.Namespace, io: Io) -> int:
    removed = _store().forget(args.profile)
    key = "forgotten" if removed else "nothing_to_forget"
    if io.json:
        io.emit_json({"ok": True, "code": None, "profile": args.profile, "removed": removed})
    else:
        io.out(_msg(key, io.lang, profile=args.profile))
    return 0


def _is_pipe(stream: TextIO) -> bool:
    import stat

    try:
        mode = os.fstat(stream.fileno()).st_mode
    except (OSError, ValueError, AttributeError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def run_credential_get(args: argparse.Namespace, io: Io) -> int:
    lang = io.lang
    if args.output is None and not _is_pipe(io.stdout):
        io.err(_msg("credential_not_pipe", lang, profile=args.profile or "P"))
        return exit_code(Code.INVALID_INPUT)
    st = _store()
    try:
        profile = resolve_profile(st, args.profile, lang)
    except _Outcome as outcome:
        return _outcome_exit(io, outcome)
    creds = st.load(profile.id)
    text = (
        f"profile={creds.profile.id}\n"
        f"email={creds.profile.email}\n"
        f"base_url={creds.profile.base_url}\n"
        f"token={creds.token}\n"
    )
    if args.output is not None:
        try:
            from pathlib import Path

            from wizard.private_files import write_private

            write_private(Path(args.output), text.encode("utf-8"))
        except OSError as exc:
            io.err(_msg("output_failed", lang, path=args.output, error=exc.strerror or exc))
            return exit_code(Code.INVALID_INPUT)
        io.err(_msg("output_written", lang, path=args.output))
        return 0
    io.stdout.write(text)
    return 0


def run_sandbox(args: argparse.Namespace, io: Io) -> int:
    from wizard import sandbox

    lang = io.lang

    def announce(url: str, ca_file: str | None = None) -> None:
        io.out(_msg("sandbox_running", lang, url=url))
        if ca_file:
            io.out(_msg("sandbox_ca", lang, path=ca_file))
        io.stdout.flush()

    try:
        sandbox.serve_forever(port=args.port, https=args.https, announce=announce)
    except sandbox.SandboxError as exc:
        io.err(_msg("sandbox_https_unavailable", lang, error=str(exc)))
        return EXIT_INTERNAL_ERROR
    except OSError as exc:  # the port is taken, or not ours to use
        io.err(_msg("sandbox_port_busy", lang, port=args.port, error=exc.strerror or exc))
        return exit_code(Code.CONNECTION_FAILED)
    return 0


def run_doctor(args: argparse.Namespace, io: Io) -> int:
    from wizard import transport
    from wizard.doctor import DEFAULT_TIMEOUT_S, Doctor, Report

    lang = io.lang
    base_url = args.base_url or os.environ.get("ALEGRA_API_URL") or transport.DEFAULT_BASE_URL
    if transport.validate_base_url(base_url) is not None:
        return _fail(
            io, Code.INVALID_INPUT, _msg("bad_url", lang, url=present.clean_text(base_url))
        )
    doctor = Doctor(
        base_url=base_url,
        store=_store(),
        lang=lang,
        offline=args.offline,
        timeout=DEFAULT_TIMEOUT_S if args.timeout is None else args.timeout,
        ca_bundle=args.ca_bundle,
    )
    if io.json:
        report = doctor.run()
        io.emit_json(report.to_json())
    else:
        io.out(i18n.t("doctor.title", lang))
        io.stdout.flush()

        def show(item: Any) -> None:  # line by line: the network items take a moment
            io.out(Report(items=[item]).as_text())
            io.stdout.flush()

        report = doctor.run(on_item=show)
        io.out(report.verdict(lang))
    return 0 if report.ok else EXIT_DOCTOR_FOUND_PROBLEMS


def run_help(args: argparse.Namespace, io: Io) -> int:
    parsers = build_parser(io.lang)
    topic = args.topic
    if topic is None:
        io.out(parsers.top.format_help().rstrip("\n"))
        return 0
    parser = parsers.by_name.get(topic)
    if parser is None:
        import difflib

        close = difflib.get_close_matches(topic, list(parsers.by_name), n=1, cutoff=0.5)
        usage_error(
            parsers.top,
            _msg("unknown_command", io.lang, command=topic),
            _msg("did_you_mean", io.lang, command=close[0]) if close else "",
        )
    io.out(parser.format_help().rstrip("\n"))
    return 0


COMMANDS: tuple[Command, ...] = _commands()


# --- errors that escape a command -----------------------------------------------------------


def as_storage_error(exc: BaseException) -> Any:
    """A StorageError from wizard.store, if that is what escaped (it's imported lazily)."""
    store_mod = sys.modules.get("wizard.store")
    if store_mod is None or not isinstance(exc, store_mod.StorageError):
        return None
    return exc


def render_storage_error(error: Any, io: Io) -> int:
    reason = getattr(error.reason, "value", error.reason)
    if reason == "not_configured":
        return _fail(io, Code.NOT_CONFIGURED)
    hint = present.storage_texts(error.reason, io.lang)
    if io.json:
        io.emit_json(
            {"ok": False, "code": Code.STORAGE_ERROR.value, "hint": present.hint_json(hint)}
        )
    io.err(present.hint_text(hint))
    return exit_code(Code.STORAGE_ERROR)


def render_outcome(outcome: BaseException, io: Io) -> int | None:
    if isinstance(outcome, _Outcome):
        return _outcome_exit(io, outcome)
    return None


def render_internal_error(exc: BaseException, io: Io) -> int:
    name = type(exc).__name__
    if io.json:
        io.emit_json({"ok": False, "code": "internal_error", "error": name})
    io.err(_msg("internal_error", io.lang, error=name))
    return EXIT_INTERNAL_ERROR
