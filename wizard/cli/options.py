"""What the commands share: the options several of them take, the `Command` row of the
table, and the `Context` a handler is given besides its arguments and streams."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from wizard import i18n, present
from wizard.cli.render import Io, msg

if TYPE_CHECKING:
    from wizard.appconfig import AppConfig
    from wizard.store import Store

# What --token-stdin reads at most: an email and a token (even a whole pasted "Datos de
# usuario" card) fit in far less; a runaway pipe must not take seconds and memory.
STDIN_CAP_BYTES = 8 * 1024


class Context:
    """What a handler may need beyond `args` and `io`: the store (made when first asked
    for: most commands never open it, and a test passes its own), the parsers (help) and
    the app file's product (wizard.appconfig: its id namespaces the store, its needs are
    checked after a good check)."""

    def __init__(
        self,
        parsers: Any = None,
        store: Callable[[], Store] | None = None,
        app: AppConfig | None = None,
    ) -> None:
        from wizard.appconfig import DEFAULT

        self.parsers = parsers
        self._make_store = store
        self._store: Store | None = None
        self.app = DEFAULT if app is None else app
        # Said while macOS asks the user to let us read the Keychain (Store.on_keyring_consent).
        self.on_keyring_consent: Callable[[], None] | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            if self._make_store is None:
                from wizard.store import Store

                self._store = Store(app_id=self.app.id)
            else:
                self._store = self._make_store()
            self._store.on_keyring_consent = self.on_keyring_consent
        return self._store


Handler = Callable[[argparse.Namespace, Io, Context], int]
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


def timeout_type(lang: str) -> Callable[[str], float]:
    def parse(text: str) -> float:
        # The range is the Request's, the one the check and the probe apply too.
        from wizard.request import MAX_TIMEOUT_S, validate_timeout

        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(msg("bad_timeout_value", lang, value=text)) from None
        if validate_timeout(value) is not None:
            raise argparse.ArgumentTypeError(
                msg("bad_timeout_range", lang, value=text, max=int(MAX_TIMEOUT_S))
            )
        return value

    return parse


def port_type(lang: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(msg("bad_port", lang, value=text)) from None
        if not 0 <= value <= 65535:
            raise argparse.ArgumentTypeError(msg("bad_port", lang, value=text))
        return value

    return parse


def shared_options(parser: argparse.ArgumentParser, lang: str, *, top: bool, net: bool) -> None:
    """--lang, --json, --debug (and --base-url, --timeout): the same before or after the
    subcommand. Under a subcommand the default is SUPPRESS, so a value given before it is
    not overwritten."""

    def default(value: object) -> object:
        return value if top else argparse.SUPPRESS

    group = parser.add_argument_group(msg("help.shared_options", lang)) if top else parser
    group.add_argument(
        "--lang", choices=i18n.LANGS, default=default(None), help=msg("opt.lang", lang)
    )
    group.add_argument(
        "--json", action="store_true", default=default(False), help=msg("opt.json", lang)
    )
    group.add_argument(
        "--debug", action="store_true", default=default(False), help=msg("opt.debug", lang)
    )
    group.add_argument(
        "--app-config", metavar="PATH", default=default(None), help=msg("opt.app_config", lang)
    )
    if net:
        group.add_argument(
            "--base-url", metavar="URL", default=default(None), help=msg("opt.base_url", lang)
        )
        group.add_argument(
            "--timeout",
            metavar="S",
            type=timeout_type(lang),
            default=default(None),
            help=msg("opt.timeout", lang, default=int(present.DEFAULT_TIMEOUT_S)),
        )


def profile_option(parser: argparse.ArgumentParser, lang: str, *, required: bool = False) -> None:
    parser.add_argument(
        "--profile",
        metavar="P",
        required=required,
        help=msg("opt.profile_required" if required else "opt.profile", lang),
    )


def token_options(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("--email", metavar="E", help=msg("opt.email", lang))
    parser.add_argument(
        "--token-stdin",
        action="store_true",
        help=msg("opt.token_stdin", lang, kib=STDIN_CAP_BYTES // 1024),
    )


def ca_option(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("--ca-bundle", metavar="PEM", help=msg("opt.ca_bundle", lang))
