"""The package uses other code through its public API only: no private module (`_json`,
`_ssl`), no underscore name of someone else's module or object (`ssl._ssl`,
`argparse._HelpAction`). Those change without notice between Python or library versions,
and a frozen app or another interpreter may not have them. Checked on the source (ast).

An underscore name is ours when the package itself defines it (a function, a class, an
attribute it assigns); any other one is someone else's private name.
"""

from __future__ import annotations

import ast

from tests.helpers import ROOT

PACKAGE = ROOT / "wizard"
# PyInstaller documents sys._MEIPASS as the way to find a frozen app's bundled files.
DOCUMENTED = {"_MEIPASS"}


def _trees() -> dict[str, ast.Module]:
    return {
        str(path.relative_to(ROOT)): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def _ours(trees: dict[str, ast.Module]) -> set[str]:
    """Every underscore name the package defines."""
    names: set[str] = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
    return {name for name in names if name.startswith("_")}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_uses(trees: dict[str, ast.Module]) -> list[str]:
    ours = _ours(trees)
    found: list[str] = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            modules: list[str] = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules = [node.module]
                if node.module != "__future__":
                    names = [a.name for a in node.names if _private(a.name)]
                    found += [f"{path}:{node.lineno}: {node.module}.{n}" for n in names]
            for module in modules:
                if module != "__future__" and any(p.startswith("_") for p in module.split(".")):
                    found.append(f"{path}:{node.lineno}: import {module}")
            if isinstance(node, ast.Attribute):
                name = node.attr
                allowed = name in ours or name in DOCUMENTED
                if not _private(name) or allowed:
                    continue
                found.append(f"{path}:{node.lineno}: .{name}")
    return found


def test_the_package_uses_no_private_name_of_other_code() -> None:
    assert private_uses(_trees()) == []


def test_the_check_catches_what_it_is_for() -> None:
    """The uses issue 23 removed, each found again in a module of their own."""
    samples = {
        "wizard/a.py": "import ssl\nssl._ssl._test_decode_cert('x')\n",
        "wizard/b.py": "from _json import make_scanner\n",
        "wizard/c.py": "import _json\n",
        "wizard/d.py": "import argparse\nargparse._HelpAction\n",
        "wizard/e.py": "class A:\n    def f(self):\n        self._x = 1\n        return self._x\n",
        "wizard/f.py": "import sys\nsys._MEIPASS\n",
    }
    found = private_uses({path: ast.parse(source) for path, source in samples.items()})
    assert sorted(found) == [
        "wizard/a.py:2: ._ssl",
        "wizard/a.py:2: ._test_decode_cert",
        "wizard/b.py:1: import _json",
        "wizard/c.py:1: import _json",
        "wizard/d.py:2: ._HelpAction",
    ]
