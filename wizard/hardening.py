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


def take_secret(name: str = "ALEGRA_TOKEN") -> str | None:
    """The variable's value, removed from this process's environment as it is read: what
    this process starts afterwards never inherits it."""
    return os.environ.pop(name, None)


def drop_secret_environment() -> None:
    """Remove every secret variable from the environment (the window never reads them)."""
    for name in SECRET_VARIABLES:
        os.environ.pop(name, None)


def protect_process(*, keep_secrets: bool = False) -> None:
    """Start-up guard of both front ends. keep_secrets: the CLI reads ALEGRA_TOKEN later
    (take_secret drops it then)."""
    disable_core_dumps()
    if not keep_secrets:
        drop_secret_environment()
