"""Command-line front end: the GUI flags, or check / status / forget / sandbox / credential.

The CLI renders the same result objects as the GUI. The token never goes on
the command line: it comes from stdin (--token-stdin), ALEGRA_TOKEN, a stored
profile, or a hidden prompt on a terminal; it is never printed, except by
`credential get` into a pipe, which is that command's whole purpose.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from wizard import i18n
from wizard.hints import Hint, hint_for, storage_hint
from wizard.launch import run_gui, wants_gui
from wizard.outcomes import EXIT_DOCTOR_FOUND_PROBLEMS, EXIT_INTERNAL_ERROR, Code, exit_code
from wizard.version import __version__

DEFAULT_TIMEOUT = 20.0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="alegra-wizard", description=i18n.both("cli.description"))
    parser.add_argument("--version", action="version", version=f"alegra-wizard {__version__}")
    parser.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="check email + token (live, or --offline)")
    check.add_argument("--email", help="Alegra user email (or ALEGRA_EMAIL)")
    check.add_argument("--token-stdin", action="store_true", help="read the token from stdin")
    check.add_argument("--profile", help="use (and compare with) a stored profile")
    check.add_argument("--offline", action="store_true", help="only check the format")
    check.add_argument(
        "--probe", action="store_true", help="after connecting, list what the plan/user can read"
    )
    check.add_argument("--base-url", help="API base URL (or ALEGRA_API_URL)")
    check.add_argument("--timeout", type=float, default=None, help="seconds (default 20)")
    check.add_argument("--ca-bundle", help="PEM file of trusted CAs instead of the OS store")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.add_argument("--lang", choices=i18n.LANGS, default=None)

    status = sub.add_parser("status", help="what is stored (offline, no token)")
    status.add_argument("--profile")
    status.add_argument("--json", action="store_true")
    status.add_argument("--lang", choices=i18n.LANGS, default=None)

    forget = sub.add_parser("forget", help="remove a stored profile and its token")
    forget.add_argument("--profile", required=True)
    forget.add_argument("--lang", choices=i18n.LANGS, default=None)

    sandbox = sub.add_parser("sandbox", help="run the fake Alegra and print its URL")
    sandbox.add_argument("--port", type=int, default=0)
    sandbox.add_argument("--https", action="store_true")
    sandbox.add_argument("--lang", choices=i18n.LANGS, default=None)

    doctor = sub.add_parser("doctor", help="check this computer's prerequisites")
    doctor.add_argument("--json", action="store_true", help="print one JSON object")
    doctor.add_argument("--offline", action="store_true", help="skip the network items")
    doctor.add_argument("--base-url", help="API base URL (or ALEGRA_API_URL)")
    doctor.add_argument("--timeout", type=float, default=5.0, help="seconds per item")
    doctor.add_argument("--ca-bundle", help="PEM file of trusted CAs instead of the OS store")
    doctor.add_argument("--lang", choices=i18n.LANGS, default=None)

    credential = sub.add_parser("credential", help="for other programs")
    cred_sub = credential.add_subparsers(dest="action", metavar="ACTION", required=True)
    get = cred_sub.add_parser("get", help="print email and token to a pipe")
    get.add_argument("--profile", required=True)
    get.add_argument("--lang", choices=i18n.LANGS, default=None)
    return parser


def cli_lang(requested: str | None) -> str:
    """Spanish unless --lang or ALEGRA_WIZARD_LANG say otherwise (DESIGN: Spanish, or --lang en)."""
    return i18n.normalize_lang(requested or os.environ.get("ALEGRA_WIZARD_LANG") or "es")


@dataclass
class Inputs:
    email: str = ""
    token: str = ""
    base_url: str | None = None
    profile: Any = None  # wizard.store.Profile
    stored_token: str | None = None


def _read_token(args: argparse.Namespace, stdin: TextIO) -> str | None:
    if args.token_stdin:
        # One line is the token; a whole pasted card may span lines, the cleaner handles it.
        return stdin.read()
    env = os.environ.get("ALEGRA_TOKEN")
    if env is not None:
        return env
    return None


def _gather(args: argparse.Namespace, stdin: TextIO, lang: str) -> Inputs:
    inputs = Inputs()
    if args.profile:
        from wizard import store

        st = store.Store()
        inputs.profile = _find_profile(st, args.profile)
        if inputs.profile is None:
            raise _Outcome(Code.NOT_CONFIGURED)
        inputs.stored_token = st.load(args.profile).token
    token = _read_token(args, stdin)
    if token is None and inputs.stored_token is not None and not args.offline:
        token = inputs.stored_token
    if token is None and stdin.isatty() and not args.token_stdin:
        import getpass

        token = getpass.getpass(i18n.t("cli.token_prompt", lang))
    inputs.token = token or ""
    email = args.email or os.environ.get("ALEGRA_EMAIL")
    if email is None and inputs.profile is not None:
        email = inputs.profile.email
    if email is None and stdin.isatty() and not args.token_stdin:
        email = input(i18n.t("cli.email_prompt", lang))
    inputs.email = email or ""
    inputs.base_url = args.base_url or os.environ.get("ALEGRA_API_URL")
    if inputs.base_url is None and inputs.profile is not None:
        inputs.base_url = inputs.profile.base_url or None
    return inputs


class _Outcome(Exception):
    """An expected early end (not configured, storage error) carried to the renderer."""

    def __init__(self, code: Code, detail_key: str | None = None, **fmt: object) -> None:
        super().__init__(code.value)
        self.code = code
        self.detail_key = detail_key
        self.fmt = fmt


def _company_json(company: Any) -> dict[str, Any] | None:
    if company is None:
        return None
    return {
        "name": company.name,
        "identification": company.identification,
        "country": company.country,
        "currency": company.currency,
    }


def _storage_hint(error: Any, lang: str) -> Hint:
    """Hint for a StorageError: the store's own texts for its reason, else the generic one."""
    return storage_hint(getattr(error, "reason", "failed"), lang)


def run_check(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from wizard import credentials

    lang = cli_lang(args.lang)
    report: dict[str, Any] = {
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
    }
    messages: list[str] = []
    hint: Hint | None = None
    from wizard.redact import register_secret

    try:
        inputs = _gather(args, stdin, lang)
        register_secret(inputs.token.strip())
        cleaned = credentials.clean(inputs.email, inputs.token)
        register_secret(cleaned.token)
        report["email"] = cleaned.email
        report["token_hint"] = credentials.token_hint(cleaned.token)
        report["fixes"] = [{"field": n.field, "fix": n.id} for n in cleaned.fixes]
        report["warnings"] = [{"field": n.field, "warning": n.id} for n in cleaned.warnings]
        report["problems"] = [{"field": n.field, "problem": n.id} for n in cleaned.problems]
        if cleaned.fixes:
            messages.append(i18n.t("cli.fixed", lang))
            messages += [f"  - {line}" for line in credentials.describe(cleaned.fixes, lang)]
        if cleaned.warnings:
            messages.append(i18n.t("cli.warning", lang))
            messages += [f"  - {line}" for line in credentials.describe(cleaned.warnings, lang)]
        code, extra = _check_inputs(args, inputs, cleaned, lang, messages, report)
        hint = extra
    except _Outcome as outcome:
        code = outcome.code
        hint = hint_for(code, lang)
        if outcome.detail_key:
            messages.append(i18n.t(outcome.detail_key, lang, **outcome.fmt))
    except Exception as exc:
        storage_error = _as_storage_error(exc)
        if storage_error is None:
            raise
        code = Code.STORAGE_ERROR
        hint = _storage_hint(storage_error, lang)

    report["code"] = code.value
    report["ok"] = code in (Code.CONNECTED, Code.FORMAT_OK)
    if hint is not None and code is not Code.CONNECTED:
        report["hint"] = {"title": hint.title, "steps": hint.steps, "url": hint.url}
    if args.json:
        stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
    else:
        lines = list(messages)
        if hint is not None and code not in (Code.CONNECTED, Code.FORMAT_OK):
            lines.append(hint.as_text())
        stdout.write("\n".join(lines) + "\n")
    return exit_code(code)


def _check_inputs(
    args: argparse.Namespace,
    inputs: Inputs,
    cleaned: Any,
    lang: str,
    messages: list[str],
    report: dict[str, Any],
) -> tuple[Code, Hint | None]:
    from wizard import alegra, credentials

    if cleaned.problems:
        messages.append(i18n.t("cli.problem", lang))
        messages += [f"  - {line}" for line in credentials.describe(cleaned.problems, lang)]
        return Code.INVALID_INPUT, hint_for(Code.INVALID_INPUT, lang)
    base_url = inputs.base_url or alegra.DEFAULT_BASE_URL
    if alegra.validate_base_url(base_url) is not None:
        messages.append(i18n.t("cli.bad_url", lang, url=base_url))
        return Code.INVALID_INPUT, hint_for(Code.INVALID_INPUT, lang)
    if args.ca_bundle and not Path(args.ca_bundle).is_file():
        messages.append(i18n.t("cli.bad_ca_bundle", lang, path=args.ca_bundle))
        return Code.INVALID_INPUT, hint_for(Code.INVALID_INPUT, lang)
    timeout = DEFAULT_TIMEOUT if args.timeout is None else args.timeout
    if not timeout > 0:
        messages.append(i18n.t("cli.bad_timeout", lang))
        return Code.INVALID_INPUT, hint_for(Code.INVALID_INPUT, lang)

    if args.offline:
        if inputs.stored_token is not None:
            import hmac

            same = hmac.compare_digest(cleaned.token.encode(), inputs.stored_token.encode())
            report["matches_stored"] = same
            key = "cli.matches_stored" if same else "cli.differs_stored"
            messages.append(i18n.t(key, lang, profile=inputs.profile.id))
        messages.append(i18n.t("cli.format_ok", lang))
        return Code.FORMAT_OK, hint_for(Code.FORMAT_OK, lang)

    result = alegra.check_connection(
        cleaned.email,
        cleaned.token,
        base_url=base_url,
        timeout=timeout,
        ca_bundle=args.ca_bundle,
    )
    report["http_status"] = result.http_status
    report["company"] = _company_json(result.company)
    report["elapsed_ms"] = result.elapsed_ms
    rl = result.rate_limit
    if rl is not None:
        report["rate_limit"] = {"limit": rl.limit, "remaining": rl.remaining, "reset_s": rl.reset_s}
    if result.detail:
        report["detail"] = result.detail
    if inputs.profile is not None:
        _record_last_check(inputs.profile.id, result.code)
    if result.code is Code.CONNECTED:
        messages.append(_connected_line(result.company, lang))
        if args.probe:
            from wizard.hints import probe_as_text

            probe = alegra.probe_permissions(
                cleaned.email, cleaned.token, base_url=base_url, timeout=timeout,
                ca_bundle=args.ca_bundle,
            )  # fmt: skip
            report["permissions"] = probe.to_json()
            messages.append(probe_as_text(probe, lang))
        return Code.CONNECTED, None
    variant = "user" if result.can_read_company is False else None
    reset = rl.reset_s if rl is not None else None
    return result.code, hint_for(
        result.code, lang, variant=variant, seconds=reset, issuer=result.tls_issuer
    )


def _record_last_check(profile_id: str, code: Code) -> None:
    import logging

    from wizard import store

    try:
        store.Store().update_last_check(profile_id, code.value)
    except store.StorageError as exc:  # a check result must not be lost to a config hiccup
        logging.getLogger(__name__).warning("could not record the last check: %s", exc.reason)


def _connected_line(company: Any, lang: str) -> str:
    from wizard import countries

    name = (company.name if company else None) or i18n.t("cli.unknown_company", lang)
    lines = [i18n.t("cli.connected", lang, company=name.rstrip("."))]
    if company is not None:
        # The country's own words: "NIT" in Colombia, "RFC" in Mexico...
        country = countries.by_edition(company.country)
        lines.append(
            i18n.t(
                "cli.company_line",
                lang,
                name=name,
                id_label=country.tax_id_label(lang) if country else i18n.t("cli.tax_id", lang),
                identification=company.identification or "—",
                country=country.name(lang) if country else company.country or "—",
                currency=company.currency or "—",
            )
        )
    return "\n".join(lines)


def run_status(args: argparse.Namespace, stdout: TextIO) -> int:
    from wizard import store

    lang = cli_lang(args.lang)
    st = store.Store()
    profiles = st.list_profiles()
    if args.profile:
        profiles = [p for p in profiles if p.id == args.profile]
        if not profiles:
            return _render_code(Code.NOT_CONFIGURED, args, stdout, lang)
    backend = st.backend_name()
    if args.json:
        payload = {
            "ok": bool(profiles),
            "code": None if profiles else Code.NOT_CONFIGURED.value,
            "backend": backend,
            "profiles": [_profile_json(p) for p in profiles],
        }
        stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
        return 0 if profiles else exit_code(Code.NOT_CONFIGURED)
    if not profiles:
        stdout.write(i18n.t("cli.status_none", lang) + "\n")
        return exit_code(Code.NOT_CONFIGURED)
    for p in profiles:
        stdout.write(i18n.t("cli.status_profile", lang, id=p.id, name=p.name) + "\n")
        last = (
            f"{p.last_check_at} ({p.last_check_code})"
            if p.last_check_at
            else i18n.t("cli.never_checked", lang)
        )
        stdout.write(
            i18n.t(
                "cli.status_fields",
                lang,
                email=p.email,
                company=p.company or "—",
                identification=p.identification or "—",
                country=p.country or "—",
                token_hint=p.token_hint,
                backend=backend,
                last_check=last,
            )
            + "\n"
        )
    return 0


def _find_profile(st: Any, profile_id: str) -> Any:
    return next((p for p in st.list_profiles() if p.id == profile_id), None)


def _profile_json(profile: Any) -> dict[str, Any]:
    """A stored profile for --json output: metadata only (the token is never in it)."""
    fields = [
        "id",
        "name",
        "email",
        "base_url",
        "country",
        "company",
        "identification",
        "token_hint",
        "last_check_at",
        "last_check_code",
    ]
    return {name: getattr(profile, name, None) for name in fields}


def _render_code(code: Code, args: argparse.Namespace, stdout: TextIO, lang: str) -> int:
    hint = hint_for(code, lang)
    if getattr(args, "json", False):
        stdout.write(
            json.dumps(
                {
                    "ok": False,
                    "code": code.value,
                    "hint": {"title": hint.title, "steps": hint.steps, "url": hint.url},
                },
                ensure_ascii=False,
            )
            + "\n"
        )
    else:
        stdout.write(hint.as_text() + "\n")
    return exit_code(code)


def run_forget(args: argparse.Namespace, stdout: TextIO) -> int:
    from wizard import store

    lang = cli_lang(args.lang)
    removed = store.Store().forget(args.profile)
    key = "cli.forgotten" if removed else "cli.nothing_to_forget"
    stdout.write(i18n.t(key, lang, profile=args.profile) + "\n")
    return 0


def run_credential_get(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from wizard import store

    lang = cli_lang(args.lang)
    if stdout.isatty():
        stderr.write(i18n.t("cli.credential_tty", lang, profile=args.profile) + "\n")
        return exit_code(Code.INVALID_INPUT)
    st = store.Store()
    if _find_profile(st, args.profile) is None:
        stderr.write(hint_for(Code.NOT_CONFIGURED, lang).as_text() + "\n")
        return exit_code(Code.NOT_CONFIGURED)
    creds = st.load(args.profile)
    stdout.write(
        f"profile={creds.profile.id}\n"
        f"email={creds.profile.email}\n"
        f"base_url={creds.profile.base_url}\n"
        f"token={creds.token}\n"
    )
    return 0


def run_sandbox(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from wizard import sandbox

    lang = cli_lang(args.lang)

    def announce(url: str, ca_file: str | None = None) -> None:
        stdout.write(i18n.t("cli.sandbox_running", lang, url=url) + "\n")
        if ca_file:
            stdout.write(i18n.t("cli.sandbox_ca", lang, path=ca_file) + "\n")
        stdout.flush()

    try:
        sandbox.serve_forever(port=args.port, https=args.https, announce=announce)
    except sandbox.SandboxError as exc:
        stderr.write(i18n.t("cli.sandbox_https_unavailable", lang, error=str(exc)) + "\n")
        return EXIT_INTERNAL_ERROR
    return 0


def run_doctor(args: argparse.Namespace, stdout: TextIO) -> int:
    from wizard import alegra, store
    from wizard.doctor import Doctor, Report

    lang = cli_lang(args.lang)
    base_url = args.base_url or os.environ.get("ALEGRA_API_URL") or alegra.DEFAULT_BASE_URL
    if alegra.validate_base_url(base_url) is not None:
        stdout.write(i18n.t("cli.bad_url", lang, url=base_url) + "\n")
        return exit_code(Code.INVALID_INPUT)
    doctor = Doctor(
        base_url=base_url,
        store=store.Store(),
        lang=lang,
        offline=args.offline,
        timeout=args.timeout,
        ca_bundle=args.ca_bundle,
    )
    if args.json:
        report = doctor.run()
        stdout.write(json.dumps(report.to_json(), ensure_ascii=False) + "\n")
    else:
        stdout.write(i18n.t("doctor.title", lang) + "\n")
        stdout.flush()

        def show(item: Any) -> None:  # line by line: the network items take a moment
            stdout.write(Report(items=[item]).as_text() + "\n")
            stdout.flush()

        report = doctor.run(on_item=show)
        stdout.write(i18n.t("doctor.all_ok" if report.ok else "doctor.has_problems", lang) + "\n")
    return 0 if report.ok else EXIT_DOCTOR_FOUND_PROBLEMS


def _dispatch(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    if args.command == "check":
        return run_check(args, stdin, stdout, stderr)
    if args.command == "status":
        return run_status(args, stdout)
    if args.command == "forget":
        return run_forget(args, stdout)
    if args.command == "sandbox":
        return run_sandbox(args, stdout, stderr)
    if args.command == "credential":
        return run_credential_get(args, stdout, stderr)
    if args.command == "doctor":
        return run_doctor(args, stdout)
    raise AssertionError(args.command)


def _storage_exit(error: Any, args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    lang = cli_lang(getattr(args, "lang", None))
    hint = _storage_hint(error, lang)
    if getattr(args, "json", False):
        payload = {
            "ok": False,
            "code": Code.STORAGE_ERROR.value,
            "hint": {"title": hint.title, "steps": hint.steps, "url": hint.url},
        }
        stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
    else:
        stderr.write(hint.as_text() + "\n")
    return exit_code(Code.STORAGE_ERROR)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if wants_gui(argv):
        return run_gui(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return run_gui(argv)
    from wizard.redact import configure_logging

    configure_logging()
    try:
        return _dispatch(args, sys.stdin, sys.stdout, sys.stderr)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        storage_error = _as_storage_error(exc)
        if storage_error is not None:
            if isinstance(storage_error, _NotConfigured):
                return _render_code(
                    Code.NOT_CONFIGURED, args, sys.stdout, cli_lang(getattr(args, "lang", None))
                )
            return _storage_exit(storage_error, args, sys.stdout, sys.stderr)
        if args.debug:
            raise
        lang = cli_lang(getattr(args, "lang", None))
        sys.stderr.write(i18n.t("cli.internal_error", lang, error=type(exc).__name__) + "\n")
        return EXIT_INTERNAL_ERROR


class _NotConfigured(Exception):
    pass


def _as_storage_error(exc: BaseException) -> Any:
    """A StorageError from wizard.store, if that is what escaped (it's imported lazily)."""
    store_mod = sys.modules.get("wizard.store")
    if store_mod is None or not isinstance(exc, store_mod.StorageError):
        return None
    if getattr(exc, "reason", "") == "not_configured":
        return _NotConfigured()
    return exc
