"""A fork server for the CLI tests: `python -m wizard ...` and the `alegra-wizard` console
script as real, separate processes at a fraction of their start-up cost.

Most of a CLI child's ~0.2 s of CPU is the interpreter importing requests, keyring,
cryptography and the wizard. One zygote per test process (each pytest-xdist worker) imports
them once; for each run it fork()s a real child that takes the run's argv, environment,
working folder, umask and its own stdin/stdout/stderr (pipes passed over a Unix socket),
rebuilds sys.stdin/stdout/stderr as the interpreter does at start-up, runs the entry point
through the code path `python -m` uses (runpy._run_module_as_main) or the console script's
own file, and leaves through the interpreter's own exit: SystemExit, threads joined, atexit
handlers, the final flush (a failed flush is exit 120), exactly as the real thing. The exit
status comes from waitpid(), so a signal shows as -N like subprocess's returncode.

What the zygote cannot give a child is whatever the interpreter decides while it starts or
a module decides while it is imported. So a run goes to the zygote only when it differs from
the environment the zygote started with in variables that are read later, at run time
(RUNTIME_VARIABLES, each with its reader named); anything else (LANG, LC_*, PYTHON*, TZ, a
removed HOME...) gets a real subprocess, as do other interpreters, flags, folders and
the window. The zygote checks its own premise when it starts: it records every
environment variable read while the modules are imported and refuses to start if one of
RUNTIME_VARIABLES is among them, if a thread is running, or if the imports left a file
descriptor open. tests/test_zygote.py runs a probe both ways and compares what it saw.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

ROOT = Path(__file__).resolve().parents[2]

# What a CLI run imports (measured with sys.modules at exit over every command); importing
# is all the zygote does with them: no keyring backend is chosen, no session, no socket.
PRELOAD = (
    "wizard.launch",
    "wizard.cli",
    "wizard.app",  # build_parser only: the top-level --help lists the window's options
    "wizard.check",
    "wizard.doctor",
    "wizard.probe",
    "wizard.sandbox",
    "wizard.store",
    "wizard.transport",
    "keyring",
    "keyring.core",
    "keyring.backends.SecretService",
    "keyring.backends.chainer",
    "keyring.backends.fail",
    "keyring.backends.kwallet",
    "keyring.backends.libsecret",
    "keyring.backends.macOS",
    "keyring.backends.Windows",
    "truststore",
    "importlib.metadata",
)
# The Qt side, for children that make their own QApplication (the layout walks, the GUI
# driver): Qt's libraries and the wizard's window modules, no application object, no
# platform plugin (QT_QPA_PLATFORM and QT_SCALE_FACTOR are read when the QApplication is made).
PRELOAD_QT = (
    *PRELOAD,
    "PySide6.QtCore",
    "PySide6.QtGui",
    "PySide6.QtWidgets",
    "PySide6.QtTest",
    "wizard.ui.wizard",
    "tests.helpers.layout",
)
PRELOADS = {"cli": PRELOAD, "qt": PRELOAD_QT}

# Environment variables a run may change and still use the zygote, because nothing reads
# them before the command runs (the zygote verifies none is read while importing PRELOAD):
RUNTIME_VARIABLES = re.compile(
    r"(ALEGRA_[A-Z_]+"  # the wizard's own, read by cli/store/settings/app functions
    r"|PYTHON_KEYRING_BACKEND"  # keyring.core.init_backend, at the first keyring call
    r"|(?i:https?_proxy|all_proxy|no_proxy)"  # requests/urllib, per request
    r"|REQUESTS_CA_BUNDLE|CURL_CA_BUNDLE"  # requests' merge_environment_settings, per request
    r"|SSL_CERT_FILE|SSL_CERT_DIR"  # OpenSSL's default verify paths, per context
    r"|HOME|XDG_CONFIG_HOME|XDG_DATA_HOME|XDG_CACHE_HOME"  # expanduser/platformdirs, per call
    r"|XDG_RUNTIME_DIR|DBUS_SESSION_BUS_ADDRESS"  # jeepney, when it connects
    r"|TMPDIR"  # tempfile.gettempdir, at its first call (checked: not called while importing)
    r"|PYTEST_CURRENT_TEST"  # pytest's note of the running test, read by no one here
    r"|GUI_DRIVER_[A-Z_]+)"  # tests.helpers.gui_driver's, read when the child imports it
)
# Read by Qt when a QApplication is made (QGuiApplicationPrivate: the platform plugin, the
# high-DPI scaling), which the Qt zygote leaves to each child.
QT_RUNTIME_VARIABLES = re.compile(r"QT_QPA_PLATFORM|QT_SCALE_FACTOR|QT_SCREEN_SCALE_FACTORS")


# --- the server ---------------------------------------------------------------------------


class _RecordingEnviron(os._Environ):  # type: ignore[name-defined,misc,type-arg]
    """os.environ that notes every variable read (get, [], in) and any walk over all.

    Not counted: ctypes.util's library search, which copies the whole environment for the
    gcc/ld it runs (keyring's macOS backend looking for its frameworks, in vain on Linux):
    its answer is the library path's, whatever HOME or a proxy says."""

    read: ClassVar[set[str]] = set()

    @staticmethod
    def _note(key: object) -> None:
        frame = sys._getframe(2)
        while frame is not None:
            if frame.f_code.co_filename.endswith(os.path.join("ctypes", "util.py")):
                return
            frame = frame.f_back  # type: ignore[assignment]
        if isinstance(key, str):
            _RecordingEnviron.read.add(key)

    def __getitem__(self, key: str) -> str:
        self._note(key)
        return super().__getitem__(key)  # type: ignore[no-any-return]

    def __iter__(self) -> Any:
        self._note("*")
        return super().__iter__()


def _preload(names: Sequence[str]) -> None:
    import tempfile

    plain = type(os.environ)
    os.environ.__class__ = _RecordingEnviron
    try:
        for name in names:
            __import__(name)
    finally:
        os.environ.__class__ = plain
    # The same library search made a temp file, so gettempdir() cached the zygote's TMPDIR;
    # a real run makes it later, under its own TMPDIR: forget it, as a fresh process has.
    tempfile.tempdir = None
    read = _RecordingEnviron.read
    problems = sorted(
        v
        for v in read
        if v == "*" or RUNTIME_VARIABLES.fullmatch(v) or QT_RUNTIME_VARIABLES.fullmatch(v)
    )
    if len(os.listdir("/proc/self/task")) != 1:  # Python's threads and any library's
        problems.append(f"threads after the imports: {os.listdir('/proc/self/task')}")
    extra = sorted(int(fd) for fd in os.listdir("/proc/self/fd") if int(fd) > 2)
    # listdir's own descriptor is the one left
    if len(extra) > 1:
        problems.append(f"descriptors left open by the imports: {extra}")
    if problems:
        raise SystemExit(f"zygote: the imports decide things a child must decide: {problems}")
    import gc

    # Children share these objects' pages until they write to them; collecting them would
    # (gc touches every object it traverses): half a child's CPU went to those copies.
    gc.freeze()


def _stdio(fd: int, mode: str, like: io.TextIOWrapper, name: str) -> io.TextIOWrapper:
    """sys.stdin/stdout/stderr as CPython's create_stdio makes them (Python/pylifecycle.c):
    the same encoding and errors (the start-up environment is the zygote's), buffered, line
    buffered on a terminal (and stderr always), closefd=False."""
    buffered = not like.write_through
    buffering = -1 if (buffered or mode == "r") else 0
    buf = open(fd, mode + "b", buffering=buffering, closefd=False)  # noqa: SIM115
    raw = buf.raw if buffering else buf  # type: ignore[union-attr]
    raw.name = name
    line_buffering = buffered and (raw.isatty() or fd == 2)
    stream = io.TextIOWrapper(
        buf,  # type: ignore[arg-type]
        encoding=like.encoding,
        errors=like.errors,
        newline="\n",
        line_buffering=line_buffering,
        write_through=not buffered,
    )
    stream.mode = mode  # type: ignore[misc]
    return stream


def _become(request: dict[str, Any], fds: list[int], others: list[Any]) -> None:
    """In the forked child: turn into the requested run. Leaves by raising SystemExit (the
    entry point's sys.exit, or 0 at the end), never by returning into the server loop."""
    for thing in others:  # the server's sockets, selector and other children's pidfds
        thing.close() if hasattr(thing, "close") else os.close(thing)
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    for fd in fds:  # received after 0..2 were taken: always above 2
        os.close(fd)
    os.umask(request["umask"])
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    for fd, attr, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        stream = _stdio(fd, mode, getattr(sys, attr), f"<{attr}>")
        setattr(sys, attr, stream)
        setattr(sys, f"__{attr}__", stream)
    args = request["args"]
    if request["module"]:  # python -m MODULE: what pymain_run_module does
        import runpy

        sys.argv = ["-m", *args]
        sys.path[0] = os.getcwd()
        runpy._run_module_as_main(request["module"])  # type: ignore[attr-defined]
    else:  # a script (the console script): what pymain_run_file does
        script = request["script"]
        sys.argv = [script, *args]
        sys.path[0] = os.path.dirname(os.path.realpath(script))
        from importlib.machinery import SourceFileLoader

        main = sys.modules["__main__"]
        main.__file__ = script
        main.__cached__ = None  # type: ignore[attr-defined]
        main.__loader__ = SourceFileLoader("__main__", script)
        code = compile(Path(script).read_bytes(), script, "exec")
        exec(code, main.__dict__)
    raise SystemExit(0)


def serve(path: str, preload: str) -> None:
    """The zygote's loop (single-threaded). Its stdin is a lifeline: EOF ends it."""
    _preload(PRELOADS[preload])
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(path)
    listener.listen(64)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "accept")
    selector.register(0, selectors.EVENT_READ, "lifeline")
    running: dict[int, tuple[int, socket.socket]] = {}  # pidfd -> (pid, connection)
    os.write(1, b"ready\n")
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 1)  # 0..2 stay taken, so no socket ever gets those numbers
    os.close(devnull)
    while True:
        for key, _events in selector.select():
            if key.data == "lifeline":
                if not os.read(0, 512):
                    for pid, _conn in running.values():
                        with contextlib.suppress(ProcessLookupError):
                            os.kill(pid, signal.SIGKILL)
                    os._exit(0)
            elif key.data == "accept":
                conn, _ = listener.accept()
                message, fds, _flags, _addr = socket.recv_fds(conn, 1 << 20, 3)
                request = json.loads(message)
                if len(os.listdir("/proc/self/task")) != 1:  # fork() of a threaded process
                    raise SystemExit(f"zygote: threads running: {threading.enumerate()}")
                others: list[Any] = [listener, conn, selector]
                others += [c for _p, c in running.values()] + list(running)
                pid = os.fork()
                if pid == 0:
                    _become(request, fds, others)
                for fd in fds:
                    os.close(fd)
                pidfd = os.pidfd_open(pid)
                running[pidfd] = (pid, conn)
                selector.register(pidfd, selectors.EVENT_READ, "child")
                conn.send(f"pid {pid}".encode())
            else:
                pidfd = key.fd
                pid, conn = running.pop(pidfd)
                selector.unregister(pidfd)
                os.close(pidfd)
                _pid, status = os.waitpid(pid, 0)
                with contextlib.suppress(OSError):
                    conn.send(f"exit {os.waitstatus_to_exitcode(status)}".encode())
                conn.close()


# --- the client ---------------------------------------------------------------------------


class Zygote:
    """The test process's side: starts the server on first use, one per process."""

    def __init__(self, baseline: Mapping[str, str], folder: Path, preload: str = "cli") -> None:
        self.baseline = dict(baseline)
        self.preload = preload
        self.folder = folder
        self.proc: subprocess.Popen[bytes] | None = None
        self.path = str(folder / f"zygote-{preload}.sock")
        self.lock = threading.Lock()
        self.served = 0
        self.declined: list[str] = []

    def start(self) -> None:
        with self.lock:
            if self.proc is not None:
                return
            self.folder.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)
            log = open(self.folder / f"zygote-{self.preload}.log", "wb")  # noqa: SIM115
            code = "from tests.helpers import zygote; import sys; zygote.serve(*sys.argv[1:])"
            self.proc = subprocess.Popen(
                [sys.executable, "-c", code, self.path, self.preload],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                env=self.baseline,
                cwd=ROOT,
            )
            log.close()
            assert self.proc.stdout is not None
            if self.proc.stdout.readline() != b"ready\n":
                self.proc.wait(10)
                log_text = (self.folder / f"zygote-{self.preload}.log").read_text(errors="replace")
                raise RuntimeError(f"the {self.preload} zygote did not start: {log_text[-3000:]}")

    def stop(self) -> None:
        if self.proc is not None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait(10)
            self.proc = None

    def _runtime(self, name: str) -> bool:
        if RUNTIME_VARIABLES.fullmatch(name):
            return True
        return self.preload == "qt" and QT_RUNTIME_VARIABLES.fullmatch(name) is not None

    def why_not(self, env: Mapping[str, str], cwd: str | os.PathLike[str]) -> str | None:
        """None if the zygote gives this run what a fresh interpreter would, else why not."""
        if os.path.realpath(cwd) != str(ROOT):
            return "another working folder"
        for name in sorted(set(env) | set(self.baseline)):
            if env.get(name) != self.baseline.get(name) and not self._runtime(name):
                return f"{name} differs from the zygote's start-up environment"
        return None

    def run(
        self,
        *,
        module: str | None,
        script: str | None,
        args: Sequence[str],
        stdin: bytes,
        env: Mapping[str, str],
        cwd: str | os.PathLike[str],
        timeout: float,
        cmd: list[str],
    ) -> tuple[int, bytes, bytes]:
        self.start()
        self.served += 1
        request = {
            "module": module,
            "script": script,
            "args": list(args),
            "env": dict(env),
            "cwd": str(cwd),
            "umask": _umask(),
        }
        ends = [os.pipe() for _ in range(3)]  # (read, write) each
        child_fds = [ends[0][0], ends[1][1], ends[2][1]]
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            sock.connect(self.path)
            socket.send_fds(sock, [json.dumps(request).encode()], child_fds)
        finally:
            for fd in child_fds:
                os.close(fd)
        deadline = time.monotonic() + timeout
        sock.settimeout(timeout)
        pid = int(sock.recv(64).split()[1])
        try:
            out, err = _communicate(ends[0][1], ends[1][0], ends[2][0], stdin, deadline)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            sock.settimeout(10)
            sock.recv(64)
            sock.close()
            raise subprocess.TimeoutExpired(cmd, timeout) from None
        sock.settimeout(max(deadline - time.monotonic(), 0.001) + 10)
        reply = sock.recv(64).split()
        sock.close()
        return int(reply[1]), out, err


def _umask() -> int:
    """The test process's umask, without setting it (another thread may be creating files)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("Umask:"):
            return int(line.split()[1], 8)
    raise RuntimeError("no Umask in /proc/self/status")


def _communicate(
    stdin_w: int, stdout_r: int, stderr_r: int, data: bytes, deadline: float
) -> tuple[bytes, bytes]:
    """subprocess.communicate() over raw descriptors: feed stdin, read both to EOF."""
    chunks: dict[int, list[bytes]] = {stdout_r: [], stderr_r: []}
    selector = selectors.DefaultSelector()
    offset = 0
    if data:
        os.set_blocking(stdin_w, False)
        selector.register(stdin_w, selectors.EVENT_WRITE)
    else:
        os.close(stdin_w)
    for fd in chunks:
        selector.register(fd, selectors.EVENT_READ)
    try:
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise subprocess.TimeoutExpired([], 0)
            for key, _events in selector.select(remaining):
                if key.fd == stdin_w:
                    try:
                        offset += os.write(stdin_w, data[offset : offset + 65536])
                    except BrokenPipeError:
                        offset = len(data)  # the child stopped reading, as subprocess ignores
                    if offset >= len(data):
                        selector.unregister(stdin_w)
                        os.close(stdin_w)
                else:
                    chunk = os.read(key.fd, 65536)
                    if chunk:
                        chunks[key.fd].append(chunk)
                    else:
                        selector.unregister(key.fd)
                        os.close(key.fd)
    finally:
        for fd in list(selector.get_map()):
            os.close(fd)
        selector.close()
    return b"".join(chunks[stdout_r]), b"".join(chunks[stderr_r])
