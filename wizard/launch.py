"""What a command line asks for: the window, or one of the CLI's commands.

Decided before anything else is imported, so opening the window does not pay for the
CLI's modules (the window's first paint is a benchmarked figure).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

SUBCOMMANDS = ("check", "status", "forget", "sandbox", "credential", "doctor")
CLI_ONLY_FLAGS = frozenset({"--version", "-h", "--help"})


def wants_gui(argv: Sequence[str]) -> bool:
    first = next((a for a in argv if not a.startswith("-")), None)
    return first not in SUBCOMMANDS and not CLI_ONLY_FLAGS & set(argv[:1])


def run_gui(argv: Sequence[str]) -> int:
    try:
        from wizard import app
    except ImportError as exc:  # Qt missing in a core-only install
        from wizard import i18n
        from wizard.outcomes import EXIT_INTERNAL_ERROR

        sys.stderr.write(i18n.both("cli.no_gui_yet") + f" ({exc.name})\n")
        return EXIT_INTERNAL_ERROR
    return app.main(list(argv))


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if wants_gui(argv):
        return run_gui(argv)
    from wizard.cli import main as cli_main

    return cli_main(argv)
