"""Checks the release workflow runs on its Windows and macOS runners against the built or
installed app, where the behaviour can only be seen on that OS (packaging/README.md).

    ... | python packaging/release_checks.py no-cr
        standard input must end in LF and hold no CR: `credential get` piped into another
        program (Windows' text-mode stdout would end the token with CRLF).
    python packaging/release_checks.py hold FILE SECONDS EXPECTED_EXIT -- COMMAND...
        keeps FILE open (as a reader or a virus scanner does: on Windows without delete
        sharing, so replacing it fails) for SECONDS while COMMAND runs; exit 1 unless
        COMMAND exits EXPECTED_EXIT.
Prints what it saw; exit 0 when the check passed.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path


def no_cr() -> int:
    data = sys.stdin.buffer.read()
    print(f"{len(data)} bytes, ends with {data[-2:]!r}")  # never the data: it is a token
    ok = bool(data) and data.endswith(b"\n") and b"\r" not in data
    print("ok: LF only" if ok else "FAIL: a CR in what was piped, or no final LF")
    return 0 if ok else 1


def hold(path: Path, seconds: float, expected: int, command: list[str]) -> int:
    released = threading.Event()
    with open(path, "rb"):  # held open: that is the point
        timer = threading.Timer(seconds, released.set)
        timer.start()
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        released.wait()
    out, err = child.communicate(timeout=120)
    timer.cancel()
    sys.stdout.write(out.decode("utf-8", "replace") + err.decode("utf-8", "replace"))
    print(f"held {path.name} for {seconds} s: exit {child.returncode} (expected {expected})")
    return 0 if child.returncode == expected else 1


def main(argv: list[str]) -> int:
    if argv[:1] == ["no-cr"]:
        return no_cr()
    if argv[:1] == ["hold"] and "--" in argv and argv.index("--") == 4:
        return hold(Path(argv[1]), float(argv[2]), int(argv[3]), argv[5:])
    sys.stderr.write(__doc__ or "")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
