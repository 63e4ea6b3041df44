"""`help [COMMAND]`: the top-level help, or one command's. The parsers come in the
handler's Context (the ones `parse` built), so this module needs no parser of its own."""

from __future__ import annotations

import argparse

from wizard.cli.options import Context
from wizard.cli.render import Io, msg


def build_help(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("topic", metavar="COMMAND", nargs="?", help=msg("opt.help_topic", lang))


def run_help(args: argparse.Namespace, io: Io, ctx: Context) -> int:
    parsers = ctx.parsers
    topic = args.topic
    if topic is None:
        io.out(parsers.top.format_help().rstrip("\n"))
        return 0
    parser = parsers.by_name.get(topic)
    if parser is None:
        import difflib

        close = difflib.get_close_matches(topic, list(parsers.by_name), n=1, cutoff=0.5)
        parsers.top.usage_error(
            msg("unknown_command", io.lang, command=topic),
            msg("did_you_mean", io.lang, command=close[0]) if close else "",
        )
    io.out(parser.format_help().rstrip("\n"))
    return 0
