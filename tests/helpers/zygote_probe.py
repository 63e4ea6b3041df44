"""`python -m tests.helpers.zygote_probe MODE`: prints what a fresh interpreter gave it (argv,
path, folder, umask, environment, open descriptors, stdio, flags, __main__), so
tests/test_zygote.py can compare a zygote child of it with a real process. MODE: `exit:N`,
`unflushable` (stdout turned read-only: the final flush fails), `signal` (SIGTERM itself),
`sleep` (for the timeout)."""

from __future__ import annotations

import atexit
import json
import os
import signal
import sys
import threading
import time


def stdio(stream: object) -> dict[str, object]:
    return {
        attr: getattr(stream, attr)
        for attr in ("encoding", "errors", "line_buffering", "write_through", "mode", "name")
    } | {"isatty": stream.isatty(), "buffer": type(stream.buffer).__name__}  # type: ignore[attr-defined]


def main() -> None:
    mode = sys.argv[1]
    main_module = sys.modules["__main__"]
    seen = {
        "argv": sys.argv,
        "path": sys.path,
        "cwd": os.getcwd(),
        "umask": os.umask(0o022),
        "env": {k: v for k, v in os.environ.items() if k.startswith(("ZYGOTE_PROBE", "HOME"))},
        "fds": sorted(os.listdir("/proc/self/fd")),
        "stdin": stdio(sys.stdin),
        "stdout": stdio(sys.stdout),
        "stderr": stdio(sys.stderr),
        "dunder_stdout_is_stdout": sys.__stdout__ is sys.stdout,
        "flags": list(sys.flags),
        "main": [main_module.__name__, main_module.__file__, main_module.__spec__.name],
        "threads": threading.active_count(),
        "stdin_text": sys.stdin.read(),
    }
    print(json.dumps(seen))
    atexit.register(lambda: print("atexit ran"))
    print("to stderr", file=sys.stderr)
    if mode.startswith("exit:"):
        sys.exit(int(mode[5:]))
    if mode == "unflushable":
        sys.stdout.write("never flushed")
        os.dup2(os.open(os.devnull, os.O_RDONLY), 1)
    elif mode == "signal":
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGTERM)
    elif mode == "sleep":
        time.sleep(60)


if __name__ == "__main__":
    main()
