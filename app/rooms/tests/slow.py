"""Which tests are slow: those that run code beside themselves, found from their code.

A test is marked ``slow`` (``make test PYTEST_ARGS='-m "not slow"'`` leaves it
out) when it, a fixture it uses, or any function or class of the project
that these name, uses ``subprocess``, ``threading``, ``multiprocessing`` or
``concurrent.futures`` (a server, a worker, concurrent writers, a program
run as a user would), or when it uses a fixture that serves or runs things
elsewhere (``live_server``, ``scratch_database``). Nothing has to be
remembered: a new test that starts a thread is slow from the start.
Property-based and other long tests carry the marker by hand.
"""

import inspect
import sys
import types
from pathlib import Path

import pytest

#: The modules whose use means running code beside the test.
ELSEWHERE = {"subprocess", "threading", "multiprocessing", "concurrent"}
#: Fixtures that start a server or exist for tests that start other processes.
SLOW_FIXTURES = {"live_server", "scratch_database"}

_REPO_DIR = Path(__file__).resolve().parents[3]


def _names(code: types.CodeType):
    """The global names ``code`` uses, its nested functions' and comprehensions' included."""
    yield from code.co_names
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            yield from _names(constant)


def _of_the_project(value) -> bool:
    module = sys.modules.get(getattr(value, "__module__", None) or "")
    path = getattr(module, "__file__", None)
    return bool(path) and Path(path).is_relative_to(_REPO_DIR) and ".venv" not in Path(path).parts


def _top_module(value) -> str:
    name = value.__name__ if isinstance(value, types.ModuleType) else value.__module__
    return (name or "").partition(".")[0]


def _functions_of(value) -> list:
    """The functions of a project function or class (its methods, its bases' included)."""
    if not inspect.isclass(value):
        return [value] if inspect.isfunction(value) else []
    return [
        member
        for klass in value.__mro__
        if _of_the_project(klass)
        for member in vars(klass).values()
        if inspect.isfunction(member)
    ]


def runs_code_elsewhere(function, seen: set | None = None) -> bool:
    """Whether ``function``, or the project's functions and classes it names, use
    threads or processes."""
    seen = set() if seen is None else seen
    function = inspect.unwrap(function)
    code = getattr(function, "__code__", None)
    if code is None or code in seen:
        return False
    seen.add(code)
    for name in _names(code):
        value = function.__globals__.get(name)
        if not (inspect.ismodule(value) or getattr(value, "__module__", None)):
            continue
        if _top_module(value) in ELSEWHERE:
            return True
        if _of_the_project(value) and any(
            runs_code_elsewhere(member, seen) for member in _functions_of(value)
        ):
            return True
    return False


def is_slow(item: pytest.Item) -> bool:
    fixtures = getattr(item, "_fixtureinfo", None)
    names = set(getattr(item, "fixturenames", ()))
    if names & SLOW_FIXTURES:
        return True
    seen: set = set()
    functions = [getattr(item, "function", None)]
    if fixtures is not None:
        functions += [
            definition.func
            for name in names
            for definition in fixtures.name2fixturedefs.get(name, ())
        ]
    return any(
        function is not None and _of_the_project(function) and runs_code_elsewhere(function, seen)
        for function in functions
    )


def mark_slow(items: list[pytest.Item]) -> None:
    for item in items:
        if "slow" not in item.keywords and is_slow(item):
            item.add_marker(pytest.mark.slow)
