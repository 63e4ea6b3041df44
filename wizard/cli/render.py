"""Where a command writes (`Io`: results to stdout, messages to stderr, the run's one JSON
object) and how a command that ends early or fails is rendered, so every command ends the
same way: the message, the hint, the exit code, and under --json one object."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from wizard import i18n, present
from wizard.hints import hint_for
from wizard.outcomes import EXIT_INTERNAL_ERROR, Code, exit_code

if TYPE_CHECKING:
    from pathlib import Path


def msg(key: str, lang: str, **fmt: object) -> str:
    """A CLI text from the catalog (`cli.<key>`)."""
    return i18n.t(f"cli.{key}", lang, **fmt)


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


class Outcome(Exception):
    """An expected early end (not configured, a profile choice to make) carried to the
    renderer, with what to tell the user."""

    def __init__(self, code: Code, message: str = "", profiles: list[Any] | None = None) -> None:
        super().__init__(code.value)
        self.code = code
        self.message = message
        self.profiles = profiles or []


def not_found_message(profile_id: str, profiles: list[Any], lang: str) -> str:
    """«No hay un perfil P», with what is stored, so the user can pick the right name."""
    names = ", ".join(p.id for p in profiles) or "—"
    return msg("profile_not_found", lang, profile=profile_id, profiles=names)


def fail(io: Io, code: Code, message: str = "", **extra: Any) -> int:
    """An early end with a message (stderr) and, under --json, the one JSON object."""
    hint = hint_for(code, io.lang)
    if io.json:
        io.emit_json({"ok": False, "code": code.value, "hint": present.hint_json(hint), **extra})
    if message:
        io.err(message)
    if not message or code is not Code.NOT_CONFIGURED:
        io.err(present.hint_text(hint))
    return exit_code(code)


def outcome_exit(io: Io, outcome: Outcome) -> int:
    extra = {"profiles": [p.id for p in outcome.profiles]} if outcome.profiles else {}
    return fail(io, outcome.code, outcome.message, **extra)


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
        return fail(io, Code.NOT_CONFIGURED)
    hint = present.storage_texts(error.reason, io.lang)
    if io.json:
        io.emit_json(
            {"ok": False, "code": Code.STORAGE_ERROR.value, "hint": present.hint_json(hint)}
        )
    io.err(present.hint_text(hint))
    return exit_code(Code.STORAGE_ERROR)


def render_outcome(outcome: BaseException, io: Io) -> int | None:
    if isinstance(outcome, Outcome):
        return outcome_exit(io, outcome)
    return None


def render_internal_error(exc: BaseException, io: Io, log: Path | None = None) -> int:
    """A bug: its name, and where its details went (`log`: the crash log, redacted)."""
    name = type(exc).__name__
    if io.json:
        io.emit_json({"ok": False, "code": "internal_error", "error": name})
    if log is not None:
        io.err(msg("internal_error_logged", io.lang, error=name, path=log))
    else:
        io.err(msg("internal_error", io.lang, error=name))
    return EXIT_INTERNAL_ERROR
