"""What the process leaves behind holds no token: no core dump, and no secret in the
environment its children inherit (Qt-free, cheap to import).

Both front ends call protect_process() first: a crash (or `gcore`) would otherwise write
the token to disk, and the browser «Abrir Alegra en el navegador» starts (xdg-open, then
the browser itself) would otherwise inherit ALEGRA_TOKEN.
"""

from __future__ import annotations

import os
import sys

# The environment variables that carry a secret (DESIGN's CLI contract: ALEGRA_EMAIL and
# ALEGRA_API_URL are not secrets).
SECRET_VARIABLES = ("ALEGRA_TOKEN",)
PR_SET_DUMPABLE = 4  # <linux/prctl.h>
# The secret variables' values, once hold_secrets() took them out of the environment.
_held: dict[str, str] = {}


def disable_core_dumps() -> None:
    """No core file on a crash, and (Linux) no ptrace or /proc/<pid>/mem for other
    processes of the same user: RLIMIT_CORE 0, PR_SET_DUMPABLE 0. Best effort."""
    if sys.platform not in ("linux", "darwin"):
        return
    import contextlib
    import resource

    with contextlib.suppress(ValueError, OSError):  # refused: nothing more we can do
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform == "linux":
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def hold_secrets() -> None:
    """Take the secret variables out of the environment now, their values kept for
    take_secret(): whatever this process starts (doctor's `gsettings`, say) inherits none,
    in the commands that never read them too."""
    for name in SECRET_VARIABLES:
        if name in os.environ:
            _held[name] = os.environ.pop(name)


def has_secret(name: str = "ALEGRA_TOKEN") -> bool:
    return name in _held or name in os.environ


def take_secret(name: str = "ALEGRA_TOKEN") -> str | None:
    """The variable's value, out of the environment (and out of this module) once read."""
    held, current = _held.pop(name, None), os.environ.pop(name, None)
    return held if held is not None else current


def drop_secret_environment() -> None:
    """Remove every secret variable from the environment (the window never reads them)."""
    for name in SECRET_VARIABLES:
        os.environ.pop(name, None)


def protect_process() -> None:
    """The CLI's start-up guard: no core dumps, the secrets out of the environment (held
    for take_secret). The window drops them at start and turns dumps off after its first
    paint (app.main)."""
    disable_core_dumps()
    hold_secrets()
