"""The house rules the code's shape must follow, checked on the source (ast), so a break fails
here with the file and line instead of surfacing as a slow start-up or a crash on a machine
without Qt.

The core is every module of `wizard` outside `wizard/ui/` and `wizard/app.py` (the Qt shell).
A core module never imports Qt, the Qt shell, the CLI or the sandbox, and never calls print.
The exceptions, each for a reason the module's job gives it:

- `wizard.launch` (the dispatcher) imports the window (`wizard.app`) and the CLI: choosing
  between them is all it does.
- The CLI package (`wizard.cli` and its modules) imports `wizard.app` for the window's parser
  (`alegra-wizard --help` lists the window's options; app.py imports Qt only inside
  functions, which the runtime test below holds it to), and `wizard.sandbox` for the
  `sandbox` command, which serves the fake Alegra.

No exception exists for print: the CLI writes through its output streams, the GUI into widgets,
everything else returns values or logs.

The import graph of the package has no cycle (lazy imports count; `if TYPE_CHECKING:` blocks
do not: they never run).

Every module these rules name exists: a rule about a module that is gone polices nothing.

The tests follow one rule too: shared helpers live in tests/helpers/; no test module imports
from another test module or from a conftest.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import ROOT

PACKAGE = ROOT / "wizard"
QT = ("PySide6", "shiboken6", "wizard.ui")
WINDOW = ("wizard.app",)
SANDBOX = ("wizard.sandbox",)
DISPATCHER = "wizard.launch"
CLI = ("wizard.cli",)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_shell(module: str) -> bool:
    """The Qt shell: wizard/ui/ and wizard/app.py."""
    return module == "wizard.app" or _within(module, ("wizard.ui",))


def is_cli(module: str) -> bool:
    return _within(module, CLI)


def _within(module: str, roots: tuple[str, ...]) -> bool:
    return any(module == root or module.startswith(root + ".") for root in roots)


@dataclass(frozen=True)
class Found:
    line: int
    what: str  # a module name, or "print"


def imports_and_prints(
    source: str | ast.Module, module: str, is_package: bool = False
) -> list[Found]:
    """Every module `source` (text, or its parsed tree) imports (at any depth: lazy imports
    count, `from a import b` counts as a and a.b, importlib.import_module/__import__ with a
    literal too) and every call of the print builtin."""
    package = module if is_package else module.rpartition(".")[0]
    found: list[Found] = []
    tree = ast.parse(source) if isinstance(source, str) else source
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Found(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.append(Found(node.lineno, base))
            found += [Found(node.lineno, f"{base}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Call):
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else (func.attr if isinstance(func, ast.Attribute) else None)
            )
            if isinstance(func, ast.Name) and name == "print":
                found.append(Found(node.lineno, "print"))
            elif name in ("import_module", "__import__") and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.append(Found(node.lineno, first.value))
    return found


def violations(source: str, module: str) -> list[str]:
    """The house rules broken by `source` (the text of `module`)."""
    if is_shell(module):
        return []
    broken: list[str] = []
    for item in imports_and_prints(source, module):
        what = item.what
        if what == "print":
            rule = "calls print (the CLI writes to its streams, the GUI to widgets)"
        elif _within(what, QT):
            rule = f"imports {what}: Qt belongs in wizard/ui and wizard/app.py"
        elif _within(what, WINDOW) and module != DISPATCHER and not is_cli(module):
            rule = f"imports {what}: only the dispatcher opens the window"
        elif is_cli(what) and module != DISPATCHER and not is_cli(module):
            rule = f"imports {what}: the core serves the CLI, never the other way round"
        elif _within(what, SANDBOX) and not is_cli(module):
            rule = f"imports {what}: the fake Alegra is for the sandbox command and the GUI"
        else:
            continue
        broken.append(f"{module}:{item.line} {rule}")
    return broken


def package_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_the_core_imports_no_qt_cli_or_sandbox_and_never_prints() -> None:
    broken: list[str] = []
    for path in package_modules():
        broken += violations(path.read_text(encoding="utf-8"), module_name(path))
    assert not broken, "\n".join(broken)


BREAKS = [
    ("wizard.store", "from PySide6.QtCore import QTimer", "imports PySide6.QtCore"),
    ("wizard.hints", "def f():\n    import PySide6", "wizard.hints:2 imports PySide6"),
    ("wizard.doctor", "from wizard.ui import base", "imports wizard.ui"),
    ("wizard.doctor", "from wizard import cli", "imports wizard.cli"),
    ("wizard.present", "from .cli import render", "imports wizard.cli"),
    ("wizard.doctor", "from wizard.cli.parser import COMMANDS", "imports wizard.cli.parser"),
    ("wizard.check", "import wizard.sandbox", "imports wizard.sandbox"),
    ("wizard.present", "from wizard import sandbox", "imports wizard.sandbox"),
    ("wizard.hints", "from wizard.app import build_parser", "imports wizard.app"),
    ("wizard.cli.render", "print('hola')", "calls print"),
    ("wizard.hints", "import importlib\nimportlib.import_module('wizard.cli')", "wizard.cli"),
]


@pytest.mark.parametrize(("module", "source", "expected"), BREAKS)
def test_the_rules_catch_a_break(module: str, source: str, expected: str) -> None:
    found = violations(source, module)
    assert any(expected in line for line in found), found


EXCEPTIONS = [
    ("wizard.launch", "from wizard import app\nfrom wizard.cli import parser"),
    ("wizard.cli.parser", "from wizard import sandbox\nfrom wizard.app import build_parser"),
    ("wizard.cli.sandbox", "from wizard import sandbox"),
    ("wizard.app", "from PySide6.QtWidgets import QApplication\nprint('shell')"),
    ("wizard.ui.check_page", "from wizard.sandbox import DEMO_TOKEN"),
    ("wizard.store", "import sys\nsys.stderr.write('x')\nfrom wizard import timeouts"),
]


@pytest.mark.parametrize(("module", "source"), EXCEPTIONS)
def test_the_documented_exceptions_pass(module: str, source: str) -> None:
    assert violations(source, module) == []


def test_every_module_the_rules_name_exists() -> None:
    """A rule (or a case above) about a module that is gone checks nothing: fail instead."""
    existing = {module_name(p) for p in package_modules()}
    named = {WINDOW[0], SANDBOX[0], DISPATCHER, *CLI, "wizard.ui", "wizard.app"}
    named |= {module for module, *_ in BREAKS + EXCEPTIONS}
    assert named - existing == set(), "named by the rules but missing from wizard/"


def _type_checking_nodes(tree: ast.Module) -> set[int]:
    """The nodes under `if TYPE_CHECKING:` (imports only the type checker follows)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                inside |= {id(n) for n in ast.walk(child)}
    return inside


def import_graph() -> dict[str, set[str]]:
    """Each wizard module and the wizard modules it imports (at any depth, lazily too; not
    under TYPE_CHECKING). `from pkg import name` is pkg.name when that is a module."""
    paths = {module_name(p): p for p in package_modules()}
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _type_checking_nodes(tree)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name in paths}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    targets |= {full} if full in paths else ({base} if base in paths else set())
        graph[module] = targets - {module}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle (its modules in import order, the first repeated at the end), or None."""
    state: dict[str, str] = {}  # "open" while on the path, "done" after
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        path.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_the_import_graph_has_no_cycle() -> None:
    graph = import_graph()
    assert "wizard.cli.parser" in graph["wizard.launch"]  # the graph sees lazy imports
    cycle = find_cycle(graph)
    assert cycle is None, " -> ".join(cycle or [])


def test_a_cycle_is_found() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_importing_the_whole_core_loads_no_qt() -> None:
    """What the ast rules promise, at run time: every core module (the CLI's and the
    dispatcher's module-level imports included) imported together pulls in no Qt."""
    core = [
        module_name(p)
        for p in package_modules()
        if not is_shell(module_name(p)) and module_name(p) != "wizard.__main__"
    ]
    code = (
        "import importlib, json, sys\n"
        f"for name in {core!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6') or m.startswith('wizard.ui'))))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert json.loads(proc.stdout) == []


# --- the tests' own layout --------------------------------------------------------------

TESTS = ROOT / "tests"


def test_modules_import_helpers_never_from_test_modules_or_conftests() -> None:
    """tests.helpers is where shared code lives; a test module importing a sibling test
    module runs (and collects) that module's tests' imports, and a conftest import hides
    fixtures' origins."""
    broken: list[str] = []
    for path in sorted(TESTS.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        trees = [tree]
        # Scripts run in child processes are strings in the test files: check them too.
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if "import" not in node.value:
                    continue
                try:
                    trees.append(ast.parse(node.value))
                except SyntaxError:
                    continue  # a string that mentions "import" but is not Python
        for parsed in trees:
            for item in imports_and_prints(parsed, module_name(path)):
                last = item.what.split(".")[-1]
                if item.what.startswith("tests.") and (
                    last.startswith("test_")
                    or last == "conftest"
                    or ".conftest." in item.what
                    or ".test_" in item.what
                ):
                    broken.append(f"{path.relative_to(ROOT)}:{item.line} imports {item.what}")
    assert not broken, "\n".join(broken)


def test_product_modules_are_not_named_like_tests() -> None:
    """A module named test_*.py reads as a test (and pytest may collect it): the product's
    names say what the module does (the check page is check_page.py)."""
    named_like_tests = sorted(
        str(path.relative_to(ROOT))
        for path in PACKAGE.rglob("*.py")
        if path.name.startswith("test_") or path.name.endswith("_test.py")
    )
    assert named_like_tests == []


def test_no_module_is_longer_than_500_lines() -> None:
    """Split by concern (qutebrowser's configfiles / configcommands / configexc): a module
    past 500 lines holds more than one job."""
    too_long = {
        str(path.relative_to(ROOT)): n
        for path in PACKAGE.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert too_long == {}
