"""The window's command line (its options, their help in the user's language), Qt-free:
the window reads it before anything else, and the CLI's `--help` lists the window's
options from it without importing the window."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any, Protocol

from wizard import countries, i18n

# The window's options, each with its help text's catalog key ("gui.option.<dest>").
THEMES = ("auto", "light", "dark")


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    """The window's parser. Its help texts are in `lang` (default: the system's language), so
    `alegra-wizard --help` (the CLI's) can list the window's options in the user's words."""
    lang = i18n.normalize_lang(lang or i18n.system_lang())
    parser = argparse.ArgumentParser(
        prog="alegra-wizard", description=i18n.t("cli.description", lang)
    )
    add_options(parser, lang)
    return parser


class _Options(Protocol):
    """An argparse parser or argument group: what takes add_argument."""

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action: ...


def add_options(to: _Options, lang: str) -> list[argparse.Action]:
    """Adds the window's options to a parser or argument group; returns them (the CLI's
    --help lists them, the launcher asks which take a value)."""

    def text(dest: str) -> str:
        return i18n.t(f"gui.option.{dest}", lang)

    work_file = "RUTA" if lang == "es" else "PATH"
    return [
        to.add_argument("--sandbox", action="store_true", help=text("sandbox")),
        to.add_argument("--base-url", metavar="URL", help=text("base_url")),
        to.add_argument("--lang", choices=i18n.LANGS, help=text("lang")),
        to.add_argument(
            "--country", choices=[c.code for c in countries.COUNTRIES], help=text("country")
        ),
        to.add_argument(
            "--profile", metavar="PERFIL" if lang == "es" else "PROFILE", help=text("profile")
        ),
        to.add_argument("--support", action="store_true", help=text("support")),
        to.add_argument("--theme", choices=THEMES, default="auto", help=text("theme")),
        to.add_argument("--result-json", metavar=work_file, help=text("result_json")),
        to.add_argument("--app-config", metavar=work_file, help=text("app_config")),
        to.add_argument("--smoke-test", action="store_true", help=argparse.SUPPRESS),
    ]


# The window's options that take no value, and where they go. A command line of only
# these (a desktop launcher's plain `alegra-wizard`, `--sandbox`) is read without
# argparse: building the parser looks up every option's help text (and the CLI's
# catalog file) before the first paint, for nothing. Anything else, abbreviations and
# mistakes included, goes through build_parser() as before.
SWITCHES = {"--sandbox": "sandbox", "--support": "support", "--smoke-test": "smoke_test"}
# What build_parser() gives when no option is typed (a test keeps the two in step).
DEFAULTS: dict[str, object] = {
    "sandbox": False,
    "base_url": None,
    "lang": None,
    "country": None,
    "profile": None,
    "support": False,
    "theme": "auto",
    "result_json": None,
    "app_config": None,
    "smoke_test": False,
}


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The window's command line, as build_parser().parse_args(argv) reads it."""
    if all(arg in SWITCHES for arg in argv):
        args = argparse.Namespace(**DEFAULTS)
        for arg in argv:
            setattr(args, SWITCHES[arg], True)
        return args
    return build_parser().parse_args(list(argv))
