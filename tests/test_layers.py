"""The packages form layers: no package imports one that imports it back."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Lowest first, as docs/architecture.md draws them.
LAYERS = (
    ("domain",),
    ("texts",),
    ("storage",),
    ("core",),
    ("reports",),
    # The web view sits beside the handlers: of them it uses the access rules alone.
    ("handlers", "schedules", "web"),
    ("channels",),
    ("admin",),
)
PACKAGES = tuple(package for layer in LAYERS for package in layer)


def _imports(package: str) -> set[str]:
    """Return the other project packages that modules of a package import."""
    found: set[str] = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
    return (found & set(PACKAGES)) - {package}


def _reaches(graph: dict[str, set[str]], start: str) -> set[str]:
    """Return every package reachable from start by following imports."""
    seen: set[str] = set()
    todo = list(graph[start])
    while todo:
        package = todo.pop()
        if package not in seen:
            seen.add(package)
            todo.extend(graph[package])
    return seen


def test_no_package_imports_one_that_imports_it_back() -> None:
    """Each package sits on a layer: following imports never leads back to where it started."""
    graph = {package: _imports(package) for package in PACKAGES}
    cycles = sorted(package for package in PACKAGES if package in _reaches(graph, package))
    assert cycles == [], {package: sorted(graph[package]) for package in cycles}


def test_domain_imports_no_other_package() -> None:
    """Domain rules are plain functions: they read no text, storage, channel or core module."""
    assert _imports("domain") == set()


def test_packages_import_only_the_layers_below_their_own() -> None:
    """A package reaches down the layers of docs/architecture.md, never up."""
    level = {package: n for n, layer in enumerate(LAYERS) for package in layer}
    upward = {
        package: sorted(other for other in _imports(package) if level[other] > level[package])
        for package in PACKAGES
    }
    assert {package: found for package, found in upward.items() if found} == {}


def _module_imports(path: Path) -> set[str]:
    """Return the modules one file imports by their dotted names, each name taken from a package included."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_web_view_uses_no_handler_but_the_access_rules() -> None:
    """The web view sits beside the handlers: of them it uses the chat's access rules alone."""
    used = {name for path in (ROOT / "web").rglob("*.py") for name in _module_imports(path)}
    assert {name for name in used if name.split(".")[0] == "handlers"} == {"handlers.access"}
    assert _imports("web") <= {"core", "domain", "handlers", "reports", "storage", "texts"}


def test_only_the_wiring_imports_the_web_view() -> None:
    """Nothing but bot.py and the web server module imports the web view (tests and benchmarks aside)."""
    importers = {
        path.relative_to(ROOT).as_posix()
        for path in ROOT.rglob("*.py")
        if path.relative_to(ROOT).parts[0] not in ("web", "tests", "bench", ".venv")
        and any(name.split(".")[0] == "web" for name in _module_imports(path))
    }
    assert importers <= {"bot.py", "channels/webserver.py"}
