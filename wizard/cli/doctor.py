"""`doctor`: what stands between this machine and a working check (wizard.doctor runs the
items; this prints them as they come, or the one JSON object)."""

from __future__ import annotations

import argparse
import os
from typing import Any

from wizard import i18n, present
from wizard.cli.options import Context, ca_option
from wizard.cli.render import Io, fail, msg
from wizard.outcomes import EXIT_DOCTOR_FOUND_PROBLEMS, Code


def build_doctor(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("--offline", action="store_true", help=msg("opt.doctor_offline", lang))
    ca_option(p, lang)


def run_doctor(args: argparse.Namespace, io: Io, ctx: Context) -> int:
    from wizard.doctor import DEFAULT_TIMEOUT_S, Doctor, Report
    from wizard.request import DEFAULT_BASE_URL, BadRequest

    lang = io.lang
    base_url = args.base_url or os.environ.get("ALEGRA_API_URL") or DEFAULT_BASE_URL
    try:  # the timeout is the parser's: only the URL can be refused here
        doctor = Doctor(
            base_url=base_url,
            store=ctx.store,
            lang=lang,
            offline=args.offline,
            timeout=DEFAULT_TIMEOUT_S if args.timeout is None else args.timeout,
            ca_bundle=args.ca_bundle,
        )
    except BadRequest:
        return fail(io, Code.INVALID_INPUT, msg("bad_url", lang, url=present.clean_text(base_url)))
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
