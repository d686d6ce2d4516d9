"""The one exception tree: every exception class of the program lives in `newsreader/errors.py`,
and the tree drawn in its docstring is the tree of its classes."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import newsreader
from newsreader import errors

PACKAGE = Path(newsreader.__file__).parent
_DRAWN = re.compile(r"^(?P<indent>(?:[│ ] {3}|[├└]── )*)(?P<name>[A-Z]\w+)\s")


def _exception_names() -> set[str]:
    return {
        name
        for name, value in vars(errors).items()
        if inspect.isclass(value) and issubclass(value, BaseException)
    }


def test_no_exception_class_is_defined_outside_errors_py() -> None:
    known = _exception_names() | {"Exception", "BaseException", "OSError", "ValueError"}
    outside = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "errors.py" and path.parent == PACKAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = {
                b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases
            }
            if bases & known or any(b.endswith(("Error", "Exception")) for b in bases):
                outside.append(f"{path.relative_to(PACKAGE)}: {node.name}")
    assert outside == []


def test_the_drawn_tree_is_the_class_tree() -> None:
    doc = errors.__doc__ or ""
    drawn: dict[str, str | None] = {}
    stack: list[str] = []
    lines = doc.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("NewsreaderError ")))
    end = lines.index("", start)
    for line in lines[start:end]:
        found = _DRAWN.match(line)
        if found is None:
            continue  # a description's second line
        level = len(found.group("indent")) // 4
        name = found.group("name")
        del stack[level:]
        drawn[name] = stack[-1] if stack else None
        stack.append(name)
    classes = _exception_names()
    assert set(drawn) == classes
    for name, parent in drawn.items():
        cls = getattr(errors, name)
        if parent is None:
            assert cls.__bases__ == (Exception,)
        else:
            assert cls.__bases__[0] is getattr(errors, parent), name


def test_the_front_ends_catch_every_one_as_a_newsreader_error() -> None:
    for name in _exception_names():
        assert issubclass(getattr(errors, name), errors.NewsreaderError), name


def test_a_failed_lookup_is_an_unresolvable_host_that_names_the_host() -> None:
    # Translated by type: the fetch turns it into the feed's error without reading words.
    plain = errors.HostLookupError("feeds.example", "Name or service not known")
    timed_out = errors.HostLookupError("feeds.example", "no answer within 5 s", timed_out=True)
    assert isinstance(plain, errors.UnresolvableHostError) and plain.host == "feeds.example"
    assert str(plain) == "cannot resolve host name feeds.example"
    assert str(timed_out) == "cannot resolve host name feeds.example: no answer within 5 s"
    assert plain.reason == "Name or service not known" and timed_out.timed_out
