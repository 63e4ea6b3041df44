"""`sandbox`: the fake Alegra (wizard.sandbox) on a local port, until Ctrl+C."""

from __future__ import annotations

import argparse

from wizard.cli.options import Context, port_type
from wizard.cli.render import Io, msg
from wizard.outcomes import EXIT_INTERNAL_ERROR, Code, exit_code


def build_sandbox(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument(
        "--port", metavar="N", type=port_type(lang), default=0, help=msg("opt.port", lang)
    )
    p.add_argument("--https", action="store_true", help=msg("opt.https", lang))


def run_sandbox(args: argparse.Namespace, io: Io, ctx: Context) -> int:
    from wizard import sandbox

    lang = io.lang

    def announce(url: str, ca_file: str | None = None) -> None:
        io.out(msg("sandbox_running", lang, url=url))
        if ca_file:
            io.out(msg("sandbox_ca", lang, path=ca_file))
        io.stdout.flush()

    try:
        sandbox.serve_forever(port=args.port, https=args.https, announce=announce)
    except sandbox.SandboxError as exc:
        io.err(msg("sandbox_https_unavailable", lang, error=str(exc)))
        return EXIT_INTERNAL_ERROR
    except OSError as exc:  # the port is taken, or not ours to use
        io.err(msg("sandbox_port_busy", lang, port=args.port, error=exc.strerror or exc))
        return exit_code(Code.CONNECTION_FAILED)
    return 0
