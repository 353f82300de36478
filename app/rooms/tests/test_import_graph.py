"""No import circle anywhere in the project.

A module that imports another which imports it back (directly or through
others, at the top or inside a function) can only be read together with
it, and works or fails by the order modules happen to be loaded in. The
graph is built from the source with ``ast``: every ``import`` of every
Python file under ``app/`` and ``supplementary_scripts/`` that names a module
of the project, resolved the way the running code resolves it (``app/`` and
``supplementary_scripts/`` are on the import path of the service, the scripts
and the tests).
"""

import ast
import graphlib
from pathlib import Path

from .project import APP_DIR, REPO_DIR

#: Where modules are imported from, as the service, the scripts and the tests run,
#: and which files are found there under which dotted names.
SOURCE_ROOTS = (
    (APP_DIR, APP_DIR),  # rooms.models, app.settings, local_replica
    (REPO_DIR, REPO_DIR / "supplementary_scripts"),  # supplementary_scripts.harness
    (REPO_DIR / "supplementary_scripts", REPO_DIR / "supplementary_scripts"),  # process_logs
)


def module_names() -> dict[str, Path]:
    """Every project module by every name it can be imported under."""
    modules = {}
    for root, directory in SOURCE_ROOTS:
        for path in sorted(directory.rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            if parts and all(part.isidentifier() for part in parts):
                modules.setdefault(".".join(parts), path)
    return modules


def package_of(path: Path, modules: dict[str, Path]) -> str:
    """The dotted package a file belongs to (for relative imports)."""
    name = next(name for name, file in modules.items() if file == path)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def imported(path: Path, modules: dict[str, Path]) -> set[Path]:
    """The project files ``path`` imports, wherever in the file the import stands."""
    found = set()

    def add(name: str) -> None:
        # ``import a.b.c`` loads a.b.c (its parents are packages on the way).
        while name and name not in modules:
            name = name.rpartition(".")[0]
        if name:
            found.add(modules[name])

    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = package_of(path, modules).split(".")
                package = package[: len(package) - node.level + 1]
                base = ".".join(filter(None, [*package, base]))
            for alias in node.names:
                # ``from package import module`` imports that module; otherwise a name of ``base``.
                if f"{base}.{alias.name}" in modules:
                    add(f"{base}.{alias.name}")
                else:
                    add(base)
    found.discard(path)
    return found


def import_graph() -> dict[Path, set[Path]]:
    """Each project file -> the project files it imports."""
    modules = module_names()
    return {path: imported(path, modules) for path in set(modules.values())}


def test_the_graph_sees_the_imports():
    """Known edges are in it: absolute, relative, and inside a function."""
    graph = import_graph()
    rooms = APP_DIR / "rooms"

    assert rooms / "views" / "__init__.py" in graph[APP_DIR / "app" / "urls.py"]
    assert rooms / "models" / "room.py" in graph[rooms / "models" / "bed.py"]
    assert rooms / "signals.py" in graph[rooms / "apps.py"]  # in ready()
    scripts = REPO_DIR / "supplementary_scripts"
    assert scripts / "harness.py" in graph[scripts / "cli.py"]


def test_no_module_imports_itself_through_others():
    sorter = graphlib.TopologicalSorter(import_graph())
    try:
        sorter.prepare()
    except graphlib.CycleError as error:
        cycle = [str(path.relative_to(REPO_DIR)) for path in error.args[1]]
        raise AssertionError(f"import circle: {' -> '.join(cycle)}") from None
