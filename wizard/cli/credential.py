"""`credential get`: the stored credentials for another program, into a pipe or a private
file (--output), never onto a terminal. The one command that prints a token: that is its
whole purpose."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TextIO

from wizard.cli.check import resolve_profile
from wizard.cli.options import Context, profile_option
from wizard.cli.render import Io, Outcome, msg, outcome_exit
from wizard.outcomes import Code, exit_code


def build_credential_get(p: argparse.ArgumentParser, lang: str) -> None:
    profile_option(p, lang)
    p.add_argument("--output", metavar="FILE", help=msg("opt.output", lang))


def _is_pipe(stream: TextIO) -> bool:
    import stat

    try:
        mode = os.fstat(stream.fileno()).st_mode
    except (OSError, ValueError, AttributeError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def run_credential_get(args: argparse.Namespace, io: Io, ctx: Context) -> int:
    lang = io.lang
    if args.output is None and not _is_pipe(io.stdout):
        io.err(msg("credential_not_pipe", lang, profile=args.profile or "P"))
        return exit_code(Code.INVALID_INPUT)
    st = ctx.store
    try:
        profile = resolve_profile(st, args.profile, lang)
    except Outcome as outcome:
        return outcome_exit(io, outcome)
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
            io.err(msg("output_failed", lang, path=args.output, error=exc.strerror or exc))
            return exit_code(Code.INVALID_INPUT)
        # What the file's permissions really promise here: 0600 on Linux and macOS; on
        # Windows the folder's access rules apply (mode bits mean nothing there).
        written = "output_written_windows" if sys.platform == "win32" else "output_written"
        io.err(msg(written, lang, path=args.output))
        return 0
    io.stdout.write(text)
    return 0
